"""Requests/s of Mi boleta against /healthz (a minimal view), in the same run, in process.

Also the signed-in home page, the same layout with nothing of its own. One servant with
--years × 14 boletas (twelve monthly planillas and two more a year), signed
in on one Django test client (one handler, its middleware loaded once, as in a server
process). Rounds alternate: --requests GETs of /healthz, then as many of Mi boleta, so a
machine busy with other work slows both alike. Each rate is requests over the wall time of
its requests only; CPU is the process's, and the ratio is printed both ways (by wall
rate and by CPU per request, the steadier one when other work shares the cores). The
whole stack runs (middleware, session, template, audit line); no network, no server: the
ratio is the page's work against the least a Django view does.

    .venv/bin/python bench/mi_boleta_rate.py --rounds 5 --requests 200

It builds a throwaway test database (SQLite in memory, or `test_<name>` on PostgreSQL when
DATABASE_URL points there) and never touches the real one.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

EXTRA_PLANILLAS = {7: "Aguinaldo Fiestas Patrias", 12: "Aguinaldo Navidad"}


def servant_with_boletas(years: int):
    """A servant and account with `years` × 14 boletas, imported as a planilla would be."""
    from ayni.accounts.tests.factories import UserFactory
    from ayni.boletas.models import PlanillaImport
    from ayni.boletas.tests.conftest import run_import
    from ayni.boletas.tests.planillas import ROSA, boleta_rows

    user = UserFactory(servant__document_number=ROSA["numero_documento"])
    rows = []
    for index in range(years * 12):  # from June 2020, the first months with boletas
        year, month = 2020 + (index + 5) // 12, (index + 5) % 12 + 1
        period = f"{year}-{month:02d}"
        rows += boleta_rows(periodo=period)
        if month in EXTRA_PLANILLAS:
            rows += boleta_rows(periodo=period, tipo_planilla=EXTRA_PLANILLAS[month])
    result = run_import(rows, origin=PlanillaImport.Origin.COMMAND)
    assert result.ok, result.problems[:3]
    return user, result.created


def rate(client, url: str, requests: int) -> tuple[float, float]:
    """Wall and CPU seconds of `requests` GETs."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(requests):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return time.perf_counter() - wall, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200, help="per page and round")
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    real_database = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        user, boletas = servant_with_boletas(args.years)
        client = Client()
        client.force_login(user)
        # The signed-in home page has Mi boleta's layout and nothing of its own: what any
        # signed-in page costs (session, account, menu, header, session save).
        pages = {
            "healthz": reverse("core:healthz"),
            "home": reverse("core:home"),
            "mi_boleta": reverse("boletas:mine"),
        }
        for url in pages.values():  # warm up: templates, URL resolver, caches
            rate(client, url, 5)
        captures = [CaptureQueriesContext(connections[alias]) for alias in connections]
        for capture in captures:
            capture.__enter__()
        client.get(pages["mi_boleta"])
        for capture in captures:
            capture.__exit__(None, None, None)
        queries = sum(len(capture.captured_queries) for capture in captures)
        totals = {name: [0.0, 0.0] for name in pages}
        for _ in range(args.rounds):
            for name, url in pages.items():
                wall, cpu = rate(client, url, args.requests)
                totals[name][0] += wall
                totals[name][1] += cpu
        count = args.rounds * args.requests
        print(f"database: {connection.vendor}; boletas of the servant: {boletas}; "
              f"{args.rounds} rounds × {args.requests} requests per page; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
        for name, (wall, cpu) in totals.items():
            rate_per_second, cpu_ms = count / wall, cpu / count * 1000
            print(f"{name:10} {rate_per_second:8.1f} requests/s   {cpu_ms:6.2f} ms CPU each")
        print(f"queries per Mi boleta request: {queries}")
        ratio = (count / totals["mi_boleta"][0]) / (count / totals["healthz"][0])
        print(f"ratio Mi boleta / healthz (requests/s): {ratio:.2f}")
        # On a machine busy with other work the wall rates swing; CPU per request less so.
        cpu_ratio = totals["healthz"][1] / totals["mi_boleta"][1]
        print(f"ratio Mi boleta / healthz (by CPU per request): {cpu_ratio:.2f}")
        home_ratio = totals["home"][0] / totals["mi_boleta"][0]
        print(f"ratio Mi boleta / signed-in home (requests/s): {home_ratio:.2f}")
        print(f"ratio signed-in home / healthz (requests/s): "
              f"{totals['healthz'][0] / totals['home'][0]:.2f}")  # fmt: skip
    finally:
        connection.creation.destroy_test_db(real_database, verbosity=0)


if __name__ == "__main__":
    main()
