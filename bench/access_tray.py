"""The UGEL administrator's tray of access requests: our scoped query against raw SQL, same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ayni .venv/bin/python bench/access_tray.py
    DATABASE_URL=sqlite:////tmp/ayni_bench.sqlite3 .venv/bin/python bench/access_tray.py

It migrates the database and fills it with --requests requests spread over the 224 UGELs
(a tenth pending, the rest decided), then times, --rounds times each, what the tray page
asks the database for the administrator of UGEL 07:

- ours: `selectors.tray(admin)` as the view uses it: the count of pending requests and the
  first 50, oldest first, with their unit — the scope (`covered_units`) resolved inside;
- raw: the same two statements in SQL with the unit ids written in, fetching the columns the
  page shows as plain tuples: no ORM, no model objects, no scope lookup.

It prints the median milliseconds of each and the ratio ours/raw. Only the bench's rows
(codes `BEN-…`, the user `BENCH07`) are deleted before a run.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
UGEL = "150108"
ADMIN = "BENCH07"
PAGE = 50
PAGE_COLUMNS = ", ".join(
    f"r.{column}"
    for column in ("code", "kind", "document_type", "document_number", "apellido_paterno",
                   "apellido_materno", "nombres", "email", "created_at", "state")
)  # fmt: skip


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(count: int):
    from django.db import transaction
    from django.utils import timezone

    from ayni.access.models import AccessRequest
    from ayni.accounts.models import User
    from ayni.organizations.models import StaffRole, Unit

    AccessRequest.objects.filter(code__startswith="BEN-").delete()
    User.objects.filter(username=ADMIN).delete()
    admin = User.objects.create_user(ADMIN, None)
    StaffRole.objects.create(user=admin, role="admin_ugel", unit=Unit.objects.get(code=UGEL))
    ugels = list(Unit.objects.filter(kind="UGEL").values_list("pk", flat=True))
    rng = random.Random(2026)
    start = timezone.now() - timedelta(days=365)
    states = ["revision"] + ["aprobada", "rechazada", "atendida"] * 3
    batch = []
    with transaction.atomic():
        for number in range(count):
            state = rng.choice(states)
            kind = "ayuda" if state == "atendida" else rng.choice(["alta", "correo"])
            batch.append(
                AccessRequest(
                    code=f"BEN-{number:09d}", kind=kind, state=state,
                    unit_id=rng.choice(ugels), document_type="DNI",
                    # pending requests get distinct documents (one pending per document)
                    document_number=str(60_000_000 + number), email=f"b{number}@example.pe",
                    phone="987654321", created_at=start + timedelta(seconds=number * 90),
                )
            )  # fmt: skip
            if len(batch) == 5000:
                AccessRequest.objects.bulk_create(batch)
                batch.clear()
        AccessRequest.objects.bulk_create(batch)
    return admin


def median_ms(function, rounds: int) -> float:
    function()  # warm the caches once
    times = []
    for _ in range(rounds):
        begin = time.perf_counter()
        function()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from ayni.access.selectors import tray
    from ayni.organizations.scoping import covered_units

    begin = time.perf_counter()
    admin = fill(args.requests)
    print(f"{args.requests} requests written in {time.perf_counter() - begin:.1f} s")

    def ours():
        requests = tray(admin)
        return requests.count(), [(r.code, r.unit.name) for r in requests[:PAGE]]

    unit_ids = list(covered_units(admin, "admin_ugel").values_list("pk", flat=True))
    marks = ", ".join(["%s"] * len(unit_ids))
    where = f"r.unit_id IN ({marks}) AND r.state IN ('revision', 'observada')"

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM access_accessrequest r WHERE {where}", unit_ids)  # noqa: S608
            count = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT {PAGE_COLUMNS}, u.name FROM access_accessrequest r"  # noqa: S608
                f" JOIN organizations_unit u ON u.id = r.unit_id WHERE {where}"
                f" ORDER BY r.created_at, r.id LIMIT {PAGE}",
                unit_ids,
            )
            return count, cursor.fetchall()

    assert ours()[0] == raw()[0] and [code for code, _ in ours()[1]] == [r[0] for r in raw()[1]]
    ours_ms = median_ms(ours, args.rounds)
    raw_ms = median_ms(raw, args.rounds)
    print(f"database: {connection.vendor}; pending in UGEL 07: {ours()[0]}")
    print(f"ours (scope + count + first {PAGE}): {ours_ms:.2f} ms")
    print(f"raw SQL (count + first {PAGE}):      {raw_ms:.2f} ms")
    print(f"ratio ours/raw: {ours_ms / raw_ms:.2f}")


if __name__ == "__main__":
    main()
