"""Restore drill: back up a populated AYNI, restore it beside it, and prove the copy whole.

1. `ops/backup` of the database (pg_dump, custom format) and of the media folder (tar);
2. `ops/restore` into a new database and a new media folder (the RTO of the simple setup);
3. checks on the restored copy: the row count of every table equals the source's; every
   stored official file (issued documents, legajo attachments, planilla files) still has
   its recorded SHA-256 (and `verify_documents`, where that command exists); a sample of
   verification codes still answer "Válido" on the public verification page; the ID
   copies of access requests (no hash recorded) are present and readable;
4. prints backup size and time, restore time (RTO) and the data-loss window (RPO) of each
   setup; exits non-zero if any check fails. The restored database and the work folder are
   removed at the end, unless --keep or a check failed.

Build the dataset first with bench/payday/dataset.py (docs/operations.md, "Backups and
restore drill").
"""

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
FILE_FIELDS = (  # (app label, model, file field, its SHA-256 field): every stored file
    ("documents", "IssuedDocument", "file", "sha256"),
    ("legajo", "Attachment", "file", "sha256"),
    ("boletas", "PlanillaImport", "stored_file", "sha256"),
    ("access", "AccessRequest", "attachment", None),  # no hash recorded: present, readable
)


def row_counts(url: str) -> dict[str, int]:
    """Exact row count of every table of the public schema."""
    with psycopg.connect(url, autocommit=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def server_setting(url: str, name: str) -> str:
    with psycopg.connect(url, autocommit=True) as connection:
        return connection.execute(f"SHOW {name}").fetchone()[0]


def run(command: list[str]) -> float:
    """Run an ops script, its output shown; the seconds it took."""
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, check=True)
    return time.monotonic() - started


def stored_file_mismatches() -> tuple[int, list[str]]:
    """Re-read every stored file a record points at: how many were checked, and a line for
    each one missing or (where a SHA-256 is recorded) altered."""
    from django.apps import apps

    checked, problems = 0, []
    for app_label, model_name, field, hash_field in FILE_FIELDS:
        model = apps.get_model(app_label, model_name)
        fields = ["pk", field] + ([hash_field] if hash_field else [])
        for record in model.objects.exclude(**{field: ""}).only(*fields).iterator():
            stored = getattr(record, field)
            checked += 1
            try:
                with stored.open("rb") as handle:
                    digest = hashlib.file_digest(handle, "sha256").hexdigest()
            except FileNotFoundError:
                problems.append(f"{model_name} {record.pk}: falta {stored.name}")
                continue
            if hash_field and digest != getattr(record, hash_field):
                problems.append(f"{model_name} {record.pk}: {stored.name} alterado")
    return checked, problems


def codes_not_valid(sample: int, seed: int) -> tuple[int, list[str]]:
    """GET the public verification page for a sample of valid documents' codes: how many
    were asked, and the codes that did not answer "Válido"."""
    from django.test import Client
    from django.urls import reverse

    from ayni.documents.models import IssuedDocument

    codes = list(
        IssuedDocument.objects.filter(state=IssuedDocument.State.VALID).values_list(
            "code", flat=True
        )
    )
    chosen = random.Random(seed).sample(codes, min(sample, len(codes)))
    client = Client(HTTP_HOST="127.0.0.1")
    failed = []
    for code in chosen:
        response = client.get(reverse("documents:verify", args=[code]))
        if response.status_code != 200 or "Válido" not in response.content.decode():
            failed.append(code)
    return len(chosen), failed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="postgres://postgres@127.0.0.1:5432/ayni_payday")
    parser.add_argument("--source-media", default=str(ROOT / "var" / "payday" / "media"))
    parser.add_argument("--work", help="backup and restored media go here (default var/drill/…)")
    parser.add_argument("--sample", type=int, default=200, help="verification codes asked")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--keep", action="store_true", help="keep the restored database")
    args = parser.parse_args(argv)

    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    work = Path(args.work or ROOT / "var" / "drill" / stamp)
    source_name = args.source.rsplit("/", 1)[1].split("?")[0]
    target = f"{args.source.rsplit('/', 1)[0]}/{source_name}_drill_{stamp}"
    backup, media = work / "backup", work / "media"

    backup_seconds = run(["ops/backup", "--database", args.source, "--media",
                          args.source_media, "--out", str(backup)])  # fmt: skip
    backup_bytes = sum(path.stat().st_size for path in backup.iterdir())
    restore_seconds = run(["ops/restore", "--from", str(backup), "--database", target,
                           "--media", str(media)])  # fmt: skip

    failures = []
    started = time.monotonic()
    source_counts, restored_counts = row_counts(args.source), row_counts(target)
    differing = {
        table: (rows, restored_counts.get(table))
        for table, rows in source_counts.items()
        if restored_counts.get(table) != rows
    }
    for table, (rows, restored) in differing.items():
        failures.append(f"{table}: {rows} filas en el origen, {restored} en la copia")
    print(f"Tablas comparadas: {len(source_counts)}, filas: {sum(source_counts.values())},"
          f" distintas: {len(differing)} ({time.monotonic() - started:.1f} s)")  # fmt: skip

    os.environ.update(
        DATABASE_URL=target,
        MEDIA_ROOT=str(media),
        LOG_LEVEL="WARNING",
        AYNI_VERIFICATIONS_PER_MINUTE=str(args.sample + 1),
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command, get_commands

    started = time.monotonic()
    checked, problems = stored_file_mismatches()
    failures += problems
    print(f"Archivos releídos: {checked}, faltantes o alterados:"
          f" {len(problems)} ({time.monotonic() - started:.1f} s)")  # fmt: skip
    if "verify_documents" in get_commands():
        try:
            call_command("verify_documents")
        except SystemExit as exit_:
            if exit_.code:
                failures.append(f"verify_documents terminó con el código {exit_.code}")

    started = time.monotonic()
    asked, not_valid = codes_not_valid(args.sample, args.seed)
    failures += [f"el código {code} no responde «Válido»" for code in not_valid]
    if args.sample and not asked:
        failures.append("la copia no tiene documentos válidos: no se consultó ningún código")
    print(f"Códigos de verificación consultados: {asked}, responden «Válido»:"
          f" {asked - len(not_valid)} ({time.monotonic() - started:.1f} s)")  # fmt: skip

    archive_timeout = server_setting(args.source, "archive_timeout")
    print(
        f"\nCopia: {backup_bytes / 1e6:,.1f} MB en {backup_seconds:.1f} s"
        f" (base {(backup / 'ayni.dump').stat().st_size / 1e6:,.1f} MB)\n"
        f"Restauración (RTO, copia pg_dump): {restore_seconds:.1f} s\n"
        "RPO, pg_dump cada noche: hasta 24 h (más la duración de la copia)\n"
        f"RPO, archivo continuo de WAL: archive_timeout (en este servidor: {archive_timeout},"
        f" archive_mode={server_setting(args.source, 'archive_mode')})"
    )
    if not args.keep and not failures:
        from django.db import connections

        connections.close_all()
        maintenance = f"{target.rsplit('/', 1)[0]}/postgres"
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{target.rsplit("/", 1)[1]}"')
        shutil.rmtree(work)
    for failure in failures:
        print(f"FALLA: {failure}", file=sys.stderr)
    print("Simulacro correcto." if not failures else f"Simulacro con {len(failures)} fallas.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
