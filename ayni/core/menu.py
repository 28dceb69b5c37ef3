"""The side menu. Each app declares its entries in its AppConfig; nothing here names an app.

An app adds `menu_items = [MenuItem(...), ...]` to its AppConfig. `visible` decides per
user (servants see their own pages; staff also see the pages of their roles).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse


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
    items = []
    for config in apps.get_app_configs():
        items.extend(getattr(config, "menu_items", ()))
    entries = []
    for item in sorted(items, key=lambda i: i.order):
        if not item.visible(user):
            continue
        url = reverse(item.url_name)
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
