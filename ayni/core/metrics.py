"""Metrics read from the database when /metrics is scraped.

Apps name their collectors here by dotted path (in their AppConfig.ready()): a process that
never serves /metrics, a management command say, does not import prometheus_client. They are
built into one registry at the first scrape. Being read from the database, they are the same
on every node and counted once, whatever the number of processes.
"""

from functools import cache

from django.utils.module_loading import import_string

_collectors: list[str] = []


def register(path: str) -> None:
    """`path` names a collector class (with `describe()` and `collect()`)."""
    _collectors.append(path)


@cache
def database_metrics():
    from prometheus_client import CollectorRegistry

    registry = CollectorRegistry()
    for path in _collectors:
        registry.register(import_string(path)())
    return registry
