"""Build the payday dataset on PostgreSQL (by default the database ayni_payday).

1. `seed_demo --servidores N`: units, N generated servants, the demo accounts and, for more
   than 2,000 servants, 12 months of boletas for each (through the real import);
2. an account for every generated servant, all with the demo password (one Argon2 hash
   shared by all: hashing 100,000 passwords would take hours and proves nothing);
3. PDFs made ahead for the latest month, as `render_boletas` does the night before payday:
   by default for UGEL 07, which pays half of the generated servants (the other half get
   theirs on the click, "Cargar"); with --pdfs-for N, every latest boleta of the first N
   servants by document number (the ones bench/payday/run_payday.py signs in as), so that
   every journey finds its PDF made, without rendering the whole month;
4. VACUUM ANALYZE, and a summary of what the database holds.

Every step is idempotent: running it again completes what is missing. Files (PDFs) go to
--var-dir, which bench/payday/run_payday.py serves from.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
BATCH = 10_000
UGEL = "150108"


def trim(connection, keep: int) -> None:
    """Delete the boletas of the servants past the first `keep` boletas."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH counted AS (SELECT servant_id, sum(count(*)) OVER (ORDER BY servant_id) AS"
            " running FROM boletas_boleta GROUP BY servant_id)"
            " SELECT min(servant_id) FROM counted WHERE running > %s",
            [keep],
        )
        first_dropped = cursor.fetchone()[0]
        if first_dropped is None:
            return
        cursor.execute("DELETE FROM boletas_boleta WHERE servant_id >= %s", [first_dropped])
        print(f"Boletas borradas para el conjunto pequeño: {cursor.rowcount}")


def render_ahead_for(period, servants: int) -> None:
    """The PDFs of `period` of the first `servants` generated servants with an account, in
    this process, through the workers' task (which skips what is already made)."""
    from ayni.accounts.models import User
    from ayni.boletas.models import Boleta
    from ayni.boletas.tasks import render_boleta_pdfs

    first = User.objects.filter(username__startswith="41").order_by("username")[:servants]
    pending = list(
        Boleta.objects.filter(period=period, state=Boleta.State.CURRENT,
                              servant__account__in=first.values("pk"))
        .order_by("pk").values_list("pk", flat=True)
    )  # fmt: skip
    made = sum(render_boleta_pdfs(pending[i : i + 100]) for i in range(0, len(pending), 100))
    print(f"Boletas de {period:%Y-%m} de los primeros {servants} servidores: {len(pending)}; "
          f"PDF nuevos: {made}")  # fmt: skip


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/ayni_payday")
    parser.add_argument("--servidores", type=int, default=100_000)
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "payday"))
    parser.add_argument("--skip-pdfs", action="store_true", help="no PDFs made ahead")
    parser.add_argument(
        "--pdfs-for",
        type=int,
        metavar="N",
        help="PDFs made ahead only for the first N servants, all of them",
    )
    parser.add_argument(
        "--keep-boletas", type=int,
        help="a small dataset: keep only the boletas of the first servants, about this many "
        "(each servant keeps all of theirs, so Mi boleta does the same work as at scale)",
    )  # fmt: skip
    args = parser.parse_args(argv)

    os.environ.update(DATABASE_URL=args.database, AYNI_VAR_DIR=args.var_dir, LOG_LEVEL="WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    manage = [sys.executable, "manage.py"]
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, check=True)
    subprocess.run([*manage, "seed_demo", "--servidores", str(args.servidores)], cwd=ROOT,
                   check=True)  # fmt: skip
    print(f"seed_demo: {time.monotonic() - started:.0f} s")

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from ayni.accounts.models import User
    from ayni.boletas.models import Boleta
    from ayni.core.demo import DEMO_PASSWORD
    from ayni.organizations.models import Servant

    step = time.monotonic()
    password = make_password(DEMO_PASSWORD)
    without_account = Servant.objects.filter(account__isnull=True, document_type="DNI")
    created, last_pk = 0, 0
    while batch := list(without_account.filter(pk__gt=last_pk).order_by("pk")[:BATCH]):
        last_pk = batch[-1].pk
        User.objects.bulk_create(
            [
                User(
                    username=s.document_number,
                    document_type="DNI",
                    servant=s,
                    first_name=s.nombres,
                    last_name=s.apellidos,
                    password=password,
                )
                for s in batch
            ],  # fmt: skip
            ignore_conflicts=True,
        )
        created += len(batch)
    print(f"Cuentas nuevas: {created} ({time.monotonic() - step:.0f} s)")

    if args.keep_boletas:
        trim(connection, args.keep_boletas)

    latest = Boleta.objects.order_by("-period").values_list("period", flat=True).first()
    if latest and args.pdfs_for:
        step = time.monotonic()
        render_ahead_for(latest, args.pdfs_for)
        print(f"PDF adelantados: {time.monotonic() - step:.0f} s")
    elif latest and not args.skip_pdfs:
        step = time.monotonic()
        subprocess.run([*manage, "render_boletas", "--periodo", f"{latest:%Y-%m}",
                        "--entidad", UGEL], cwd=ROOT, check=True)  # fmt: skip
        print(f"PDF adelantados: {time.monotonic() - step:.0f} s")

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute(
            "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE relname IN"
            " ('organizations_servant', 'accounts_user', 'boletas_boleta',"
            " 'documents_issueddocument') ORDER BY relname"
        )
        for table, rows in cursor.fetchall():
            print(f"{table}: {rows}")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"Tamaño de la base: {cursor.fetchone()[0]}")
    print(f"Total: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
