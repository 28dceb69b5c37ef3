"""The side menu. Each app declares its entries in its AppConfig; nothing here names an app.

An app adds `menu_items = [MenuItem(...), ...]` to its AppConfig. `visible` decides per
user (servants see their own pages; staff also see the pages of their roles).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def is_servant(user) -> bool:
    return getattr(user, "servant_id", None) is not None


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    order: int
    icon: str = "doc"
    visible: Callable = is_servant
    card_text: str = ""  # shown as a card of "Opciones de legajo" on the home page when set


def menu_for(user, current_path: str = "") -> list[dict]:
    entries = []
    for item, url in _items_with_urls(get_urlconf(settings.ROOT_URLCONF), get_script_prefix()):
        if not item.visible(user):
            continue
        entries.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "card_text": item.card_text,
                "active": current_path == url or (url != "/" and current_path.startswith(url)),
            }
        )
    return entries


@cache
def _items_with_urls(urlconf: str, script_prefix: str) -> tuple[tuple[MenuItem, str], ...]:
    """Every app's entries in menu order, each with its URL. Neither changes while a process
    runs, so they are worked out once per URLconf and prefix (the arguments key the cache;
    `reverse` reads the prefix itself)."""
    items = [
        item for config in apps.get_app_configs() for item in getattr(config, "menu_items", ())
    ]
    return tuple(
        (item, reverse(item.url_name, urlconf=urlconf))
        for item in sorted(items, key=lambda i: i.order)
    )
