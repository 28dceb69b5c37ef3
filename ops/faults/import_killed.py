"""Drill: `import_planilla` killed (SIGKILL) halfway through a large planilla.

Expected: the database holds exactly what it held before (no half-imported planilla: the
import is one transaction), and importing the same file again afterwards succeeds.

Runs its own throwaway PostgreSQL cluster (port 5443 by default):
`.venv/bin/python ops/faults/import_killed.py`.
"""

import argparse
import csv
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql
from topology import BIN, ROOT, environment, manage, report
from topology import throwaway_postgres as throwaway_cluster

SAMPLE = ROOT / "docs" / "planilla-ejemplo.csv"
TABLES = ["boletas_boleta", "organizations_servant", "boletas_planillaimport"]


def write_planilla(path: Path, servants: int) -> int:
    """The sample planilla's first boleta, repeated for `servants` new servants."""
    with SAMPLE.open(encoding="utf-8") as sample:
        rows = list(csv.reader(sample))
    header, lines = rows[0], [r for r in rows[1:] if r[6] == rows[1][6]]
    number, surname, names = (header.index(c) for c in
                              ("numero_documento", "apellido_paterno", "nombres"))  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for index in range(servants):
            for line in lines:
                line = list(line)
                line[number], line[surname] = f"{50000000 + index}", "SIMULACRO"
                line[names] = f"SERVIDOR {index}"
                writer.writerow(line)
    return servants


def counts(url: str) -> dict:
    with psycopg.connect(url) as connection:
        return {
            table: connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in TABLES
        }


def boleta_table_bytes(url: str, compact: bool = False) -> int:
    """Grows as rows are written, committed or not; `compact` first rewrites the table
    without the dead rows an aborted import leaves."""
    with psycopg.connect(url, autocommit=True) as connection:
        if compact:
            connection.execute("VACUUM FULL boletas_boleta")
        return connection.execute("SELECT pg_relation_size('boletas_boleta')").fetchone()[0]


def running_statement(url: str) -> str:
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND state = 'active'"
        ).fetchone()
    return row[0] if row else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servants", type=int, default=60000, help="boletas in the planilla")
    parser.add_argument("--port", type=int, default=5443, help="port of the throwaway cluster")
    parser.add_argument("--kill-after", type=float, default=10,
                        help="seconds after the first rows are written")  # fmt: skip
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="ayni-drill-"))
    planilla = var / "planilla-grande.csv"
    write_planilla(planilla, args.servants)
    with throwaway_cluster(args.port) as postgres:
        env = environment(var, DATABASE_URL=postgres.url)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--servidores", "0")
        database = postgres.url
        before, size_before = counts(database), boleta_table_bytes(database)

        started = time.monotonic()
        command = subprocess.Popen(
            [BIN / "python", "manage.py", "import_planilla", str(planilla)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        statement = ""
        while command.poll() is None and not statement.startswith("COPY boletas_boleta"):
            statement = running_statement(database).strip().replace('"', "")
            time.sleep(0.05)
        time.sleep(args.kill_after)
        killed_at = time.monotonic() - started
        size_at_kill = boleta_table_bytes(database)
        still_running = command.poll() is None
        os.kill(command.pid, signal.SIGKILL)
        command.wait()
        time.sleep(1)  # PostgreSQL notices the dropped connection and rolls back
        after_kill = counts(database)

        rerun_started = time.monotonic()
        manage(env, "import_planilla", str(planilla))
        rerun_seconds = time.monotonic() - rerun_started
        after_rerun = counts(database)
        written_by_rerun = boleta_table_bytes(database, compact=True) - size_before

    report(
        f"import_planilla killed halfway ({args.servants} boletas)",
        {
            "killed_after_seconds": round(killed_at, 2),
            "killed_while_running": still_running,
            "statement_running_when_killed": statement[:60],
            "share_of_the_boletas_written_when_killed": round(
                (size_at_kill - size_before) / written_by_rerun, 2
            ),
            "rows_before": before,
            "rows_after_kill": after_kill,
            "database_unchanged": before == after_kill,
            "rerun_seconds": round(rerun_seconds, 1),
            "boletas_added_by_rerun": after_rerun["boletas_boleta"] - before["boletas_boleta"],
        },
    )


if __name__ == "__main__":
    main()
