"""Planilla import speed: our import against a raw bulk load of the same file, same run.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ayni_bench  # or sqlite:////tmp/b.db
    .venv/bin/python bench/import_planilla.py [--lines 1000000]

It migrates the database, writes a planilla of --lines lines (one planilla of UGEL 07,
about 16 conceptos per boleta) to bench/out/, then, each in a fresh process:

- ours, servants known: `import_planilla` (validation of every line, grouping, totals,
  fingerprints, servant lookup, writes: COPY on PostgreSQL, executemany on SQLite), into
  empty tables, every servant already known (a monthly run);
- again: the same file once more (every boleta unchanged, nothing written);
- ours, all servants new: the bench's boletas and servants deleted, the file imported again:
  every servant is created too (a first national import, or a new region);
- raw: the baseline, no validation at all: PostgreSQL `COPY ... FROM STDIN (FORMAT csv)` of
  the file into a scratch table with the file's columns; on SQLite `csv.reader` streamed
  into the sqlite3 module's `executemany` on such a table.

It prints lines/s, each process's peak memory (max RSS) and the ratio ours/raw of both
cases. Only the
bench's own rows are deleted before a run (its planilla, its servants, the scratch table).
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

ENTITY = "150108"
PERIOD = "2022-06"
PAYROLL_TYPE = "Ley N° 29944 (bench)"
FIRST_DOCUMENT = 52_000_000
SCRATCH = "bench_planilla_raw"
CONCEPTS = [
    ("+rim", "REMUNERACION INTEGRA MENSUAL", "INGRESO"),
    ("+asigjer", "ASIGNACION POR JORNADA", "INGRESO"),
    ("+bonesp", "BONIFICACION ESPECIAL", "INGRESO"),
    ("+ds065", "D.S. 065-2003-EF", "INGRESO"),
    ("+ds056", "D.S. 056-2005-EF", "INGRESO"),
    ("+refsal", "REFRIGERIO Y MOVILIDAD", "INGRESO"),
    ("+asigfam", "ASIGNACION FAMILIAR", "INGRESO"),
    ("+preparac", "PREPARACION DE CLASES", "INGRESO"),
    ("+bonpers", "BONIFICACION PERSONAL", "INGRESO"),
    ("-snp", "SISTEMA NACIONAL DE PENSIONES", "DESCUENTO"),
    ("-derrama", "DERRAMA MAGISTERIAL", "DESCUENTO"),
    ("-sindic", "CUOTA SINDICAL", "DESCUENTO"),
    ("-5ta", "RENTA DE QUINTA CATEGORIA", "DESCUENTO"),
    ("-coopac", "COOPERATIVA DE AHORRO", "DESCUENTO"),
    ("-judic", "DESCUENTO JUDICIAL", "DESCUENTO"),
    ("-segvida", "SEGURO DE VIDA", "DESCUENTO"),
    ("essalud", "ESSALUD 9%", "APORTE"),
    ("sctr", "SCTR", "APORTE"),
]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def write_planilla(
    path: Path, lines: int, *, period=PERIOD, payroll_type=PAYROLL_TYPE, documents=None
) -> tuple[int, int]:
    """A planilla of about `lines` rows, one boleta for each of `documents` (DNIs) in turn,
    or for new DNIs from FIRST_DOCUMENT; returns (rows, boletas)."""
    from ayni.boletas.planilla import COLUMNS

    rng = random.Random(2026)
    rows = boletas = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        while rows < lines and (documents is None or boletas < len(documents)):
            document = str(FIRST_DOCUMENT + boletas) if documents is None else documents[boletas]
            count = min(rng.randint(12, 20), lines - rows)
            head = [
                period, ENTITY, "UGEL 07 SAN BORJA", "20990000078", payroll_type, "DNI",
                document, "QUISPE", "HUAMÁN", f"ROSA {boletas}", f"10{document}",
                "Docente Nombrado", "PROFESOR", "IE 7041 SAN BORJA", "SNP", "", "2009-03-01",
                "30",
            ]  # fmt: skip
            earnings = [c for c in CONCEPTS if c[2] == "INGRESO"]
            others = [c for c in CONCEPTS if c[2] != "INGRESO"]
            chosen = earnings[: max(1, count - 4)] + others[: count - max(1, count - 4)]
            for code, description, kind in chosen:
                cents = (
                    rng.randint(100_000, 300_000) if kind == "INGRESO" else rng.randint(10, 9000)
                )
                writer.writerow([*head, code, description, kind, f"{cents / 100:.2f}"])
            rows += len(chosen)
            boletas += 1
    return rows, boletas


def prepare(path: Path) -> None:
    """Migrate; remove the bench's previous rows; make sure its servants exist."""
    from django.core.management import call_command
    from django.db import connection

    from ayni.organizations.models import Servant, Unit

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
    documents = forget(path)
    unit = Unit.objects.get(code=ENTITY)
    Servant.objects.bulk_create(
        [Servant(document_type="DNI", document_number=d, apellido_paterno="QUISPE",
                 nombres="ROSA", unit=unit) for d in sorted(documents)],
        batch_size=5000, ignore_conflicts=True,
    )  # fmt: skip
    analyze()


def forget(path: Path) -> list[str]:
    """Delete the bench's boletas and the servants of the file; their documents."""
    from django.db import connection, transaction

    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        position = next(reader).index("numero_documento")
        documents = sorted({row[position] for row in reader})
    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute("DELETE FROM boletas_boleta WHERE payroll_type = %s", [PAYROLL_TYPE])
        for start in range(0, len(documents), 5000):
            chunk = documents[start : start + 5000]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                "DELETE FROM organizations_servant WHERE document_type = 'DNI' "  # noqa: S608
                f"AND document_number IN ({marks})",
                chunk,
            )
    return documents


def analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE boletas_boleta")
            cursor.execute("VACUUM ANALYZE organizations_servant")


def server_cpu_seconds() -> float:
    """CPU time used so far by this connection's PostgreSQL backend (0 on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle() -> None:
    """Write out what earlier phases left in the WAL (CHECKPOINT, where the role may), so
    that no phase pays for the one before it."""
    from django.db import DatabaseError, connection

    if connection.vendor == "postgresql":
        try:
            with connection.cursor() as cursor:
                cursor.execute("CHECKPOINT")
        except DatabaseError:
            pass


def timed(work) -> dict:
    """Wall time, and CPU time of this process and of the database backend."""
    settle()
    server = server_cpu_seconds()
    client = time.process_time()
    start = time.perf_counter()
    result = work()
    result["seconds"] = time.perf_counter() - start
    result["client_cpu"] = time.process_time() - client
    result["server_cpu"] = server_cpu_seconds() - server
    return result


def phase_ours(path: Path) -> dict:
    from django.urls import reverse

    import ayni.boletas.columnar  # noqa: F401
    from ayni.boletas.imports import PlanillaSource, import_planilla
    from ayni.boletas.models import PlanillaImport

    # What a process pays once, not per file, stays out of the timing: pyarrow, and Django's
    # URLs (the notices task runs in process when no broker is set, and builds a link).
    reverse("boletas:mine")

    def work():
        source = PlanillaSource.from_path(path)
        result = import_planilla(source, origin=PlanillaImport.Origin.COMMAND)
        if not result.ok:
            raise SystemExit(f"import rejected: {result.problems[:3]}")
        return {"lines": result.lines, "created": result.created, "unchanged": result.unchanged,
                "servants_created": result.servants_created}  # fmt: skip

    return timed(work)


def phase_raw(path: Path) -> dict:
    from django.db import connection

    from ayni.boletas.planilla import COLUMNS

    numeric = {"monto"}
    columns = ", ".join(f"{c} {'numeric(12,2)' if c in numeric else 'text'}" for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        cursor.execute(f"CREATE TABLE {SCRATCH} ({columns})")
    result = timed(lambda: {"lines": _raw_load(path, connection, COLUMNS)})
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {SCRATCH}")
    return result


def _raw_load(path: Path, connection, columns) -> int:
    from django.db import transaction

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                path.open("rb") as handle,
                cursor.cursor.copy(f"COPY {SCRATCH} FROM STDIN (FORMAT csv, HEADER true)") as copy,
            ):
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        else:
            with path.open(encoding="utf-8", newline="") as handle, transaction.atomic():
                reader = csv.reader(handle)
                next(reader)
                marks = ", ".join(["?"] * len(columns))
                # The sqlite3 module's own cursor: Django's wrapper would keep every row.
                plain = connection.connection.cursor()
                plain.executemany(f"INSERT INTO {SCRATCH} VALUES ({marks})", reader)
        cursor.execute(f"SELECT count(*) FROM {SCRATCH}")
        return cursor.fetchone()[0]


def run_phase(name: str, path: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--file", str(path)],
        check=True, capture_output=True, text=True, env=os.environ,
    )  # fmt: skip
    return json.loads(output.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--phase", choices=["ours", "raw"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django()
    if args.phase:
        measure = {"ours": phase_ours, "raw": phase_raw}
        result = measure[args.phase](args.file)
        # ru_maxrss is in KiB on Linux.
        result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return

    from django.db import connection

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"planilla-{args.lines}.csv"
    rows, boletas = write_planilla(path, args.lines)
    prepare(path)
    size = path.stat().st_size / 2**20
    print(f"database: {connection.vendor}; file: {rows} lines, {boletas} boletas, {size:.0f} MiB")
    raw = run_phase("raw", path)
    ours = run_phase("ours", path)
    again = run_phase("ours", path)
    forget(path)
    analyze()
    new = run_phase("ours", path)
    assert ours["created"] == boletas and again["unchanged"] == boletas, (ours, again)
    assert ours["servants_created"] == 0 and new["servants_created"] == boletas, (ours, new)
    results = [
        ("ours, servants known", ours),
        ("ours again (all unchanged)", again),
        ("ours, all servants new", new),
    ]
    baseline = "COPY (csv)" if connection.vendor == "postgresql" else "executemany"
    print(f"{'':34} {'seconds':>8} {'lines/s':>10} {'peak MiB':>9} {'CPU: ours':>9} {'db':>6}")
    for label, data in [(f"raw {baseline}", raw), *results]:
        rate = data["lines"] / data["seconds"]
        print(
            f"{label:34} {data['seconds']:8.2f} {rate:10,.0f} {data['peak_mib']:9.0f} "
            f"{data['client_cpu']:9.2f} {data['server_cpu']:6.2f}"
        )
    for label, data in (("servants known", ours), ("all servants new", new)):
        ratio = (data["lines"] / data["seconds"]) / (raw["lines"] / raw["seconds"])
        print(f"ratio our import / raw, {label}: {ratio:.2f}")


if __name__ == "__main__":
    main()
