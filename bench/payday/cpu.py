"""CPU used during a measured interval, in cores (CPU seconds / wall seconds), from /proc.

web: the web server's main process and all its workers; database: the PostgreSQL backends serving
the given database (other databases on the same server are not counted); loadgen: this
process; machine: every process on the machine (shows whether something else was running).
"""

import os
from pathlib import Path

import psycopg

TICKS = os.sysconf("SC_CLK_TCK")


def process_ticks(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            pending.extend(int(c) for c in Path(f"/proc/{current}/task/{current}/children")
                           .read_text().split())  # fmt: skip
        except FileNotFoundError:
            continue
    return found


def machine_busy_ticks() -> tuple[int, int]:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class CpuMeter:
    def __init__(self, web_pid: int | None = None, database_url: str = ""):
        self.web_pid = web_pid
        self.database_url = database_url
        self._start = {}

    def _database_pids(self) -> list[int]:
        if not self.database_url:
            return []
        name = self.database_url.rsplit("/", 1)[1]
        with psycopg.connect(self.database_url) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchall()
        return [row[0] for row in rows]

    def _snapshot(self) -> dict:
        web = descendants(self.web_pid) if self.web_pid else []
        times = os.times()
        return {
            "web": {pid: process_ticks(pid) for pid in web},
            "database": {pid: process_ticks(pid) for pid in self._database_pids()},
            "loadgen": round((times.user + times.system) * TICKS),
            "machine": machine_busy_ticks(),
        }

    def start(self) -> None:
        self._start = self._snapshot()

    def stop(self, wall_seconds: float) -> dict:
        end = self._snapshot()

        def used(group):
            before = self._start[group]
            return sum(ticks - before.get(pid, 0) for pid, ticks in end[group].items())

        busy = end["machine"][0] - self._start["machine"][0]
        total = end["machine"][1] - self._start["machine"][1]
        cores = os.cpu_count() or 1
        return {
            "web": round(used("web") / TICKS / wall_seconds, 2),
            "database": round(used("database") / TICKS / wall_seconds, 2),
            "loadgen": round((end["loadgen"] - self._start["loadgen"]) / TICKS / wall_seconds, 2),
            "machine": round(busy / total * cores, 2) if total else None,
        }
