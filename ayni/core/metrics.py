"""Metrics read from the database when /metrics is scraped.

Apps register collectors here (in their AppConfig.ready()); being read from the database,
they are the same on every node and counted once, whatever the number of processes.
A collector must have `describe()`, so that registering it does not query the database.
"""

from prometheus_client import CollectorRegistry

database_metrics = CollectorRegistry()
