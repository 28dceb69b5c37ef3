"""Mi boleta list latency against the size of the database, with the plan of every query.

Runs the whole Django stack in process (test client, sessions, middleware, template) on
the database of DATABASE_URL: for --servants servants picked at random, one request each
to Mi boleta after a warm-up; reports p50/p95/p99, the number of boletas in the database,
and EXPLAIN (ANALYZE, BUFFERS) of each query one list request makes, flagging sequential
scans of the big tables. Run it on a small and on a large dataset and compare the p99.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

BIG_TABLES = ("boletas_boleta", "documents_issueddocument", "core_auditevent")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servants", type=int, default=400, help="measured requests")
    parser.add_argument("--warmup", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from loadgen import summary_ms

    from ayni.accounts.models import User
    from ayni.boletas.models import Boleta

    if connection.vendor != "postgresql":
        raise SystemExit("Use PostgreSQL (DATABASE_URL): the plans are PostgreSQL's.")
    url = reverse("boletas:mine")
    boletas = Boleta.objects.count()
    # Servants who have boletas: the page's work is theirs, not an empty list's.
    ids = list(
        User.objects.filter(servant__boletas__isnull=False).distinct().values_list("pk", flat=True)
    )
    rng = random.Random(args.seed)
    chosen = rng.sample(ids, min(len(ids), args.servants + args.warmup))
    users = User.objects.in_bulk(chosen)
    # One client (one handler, its middleware loaded once, as in a server process); each
    # servant signs in on it in turn.
    client = Client(HTTP_HOST="127.0.0.1")  # a host the default settings allow
    timings = []
    for index, pk in enumerate(chosen):
        client.force_login(users[pk])
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        if index >= args.warmup:
            timings.append(elapsed)

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            seq_scans = [t for t in BIG_TABLES if f"Seq Scan on {t}" in plan]
            plans.append({"sql": sql, "plan": plan, "seq_scans_on_big_tables": seq_scans})
    result = {
        "boletas_in_database": boletas,
        "servants_with_account": len(ids),
        "list_ms": summary_ms(sorted(timings)),
        "queries_per_list": len(captured.captured_queries),
        "seq_scans_on_big_tables": sorted({t for p in plans for t in p["seq_scans_on_big_tables"]}),
        "plans": plans,
    }
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(json.dumps({k: v for k, v in result.items() if k != "plans"}, indent=2))
    if args.out:
        Path(args.out).write_text(text + "\n")
    return result


if __name__ == "__main__":
    main()
