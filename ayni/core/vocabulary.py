"""The audit vocabulary: every app that records audit events names them in its `events.py`.

`event_constants()` reads them all (for the audit log's filter and the tests that keep the
vocabulary one per app, with no value used twice).
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def event_constants() -> list[tuple[str, str, str]]:
    """(app label, constant name, value) of every event constant, in app order."""
    found = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.events"
        if not config.name.startswith("ayni.") or find_spec(module_name) is None:
            continue
        module = import_module(module_name)
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str):
                found.append((config.label, name, value))
    return found


def event_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The events grouped by app, for a select (value shown as it is stored)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for label, _name, value in event_constants():
        verbose = apps.get_app_config(label).verbose_name
        groups.setdefault(verbose, []).append((value, value))
    return [(group, sorted(set(values))) for group, values in groups.items()]
