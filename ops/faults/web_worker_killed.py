"""Drill: one web worker process is killed (SIGKILL) while the node is under load.

Expected: the other workers go on serving; only the request the killed worker was
answering fails; the server (granian, or gunicorn with WEB_SERVER=gunicorn) starts a
replacement worker by itself.

Runs its own throwaway PostgreSQL cluster (port 5441 by default) and Redis db 8 for the
sessions: `.venv/bin/python ops/faults/web_worker_killed.py`.
"""

import argparse
import os
import signal
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from topology import WebNode, environment, http, manage, report, session_cookie_for
from topology import throwaway_postgres as throwaway_cluster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=6, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=15, help="length of the load")
    parser.add_argument("--port", type=int, default=5441, help="port of the throwaway cluster")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="ayni-drill-"))
    with throwaway_cluster(args.port) as postgres:
        env = environment(
            var,
            DATABASE_URL=postgres.url,
            CACHE_URL="rediscache://127.0.0.1:6379/8",
            SESSIONS_IN_CACHE="true",
        )
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--servidores", "20")
        cookie = session_cookie_for(env, "40000001")
        web = WebNode(env, workers=args.workers, log_path=var / "web.log")
        workers_before = web.workers()

        results = []  # (finished at, status, seconds)
        started = time.monotonic()

        def client():
            while time.monotonic() - started < args.seconds:
                status, _, latency = http(web.url + "/", cookie)
                results.append((time.monotonic() - started, status, latency))

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        time.sleep(args.seconds / 3)
        victim = workers_before[0]
        killed_at = time.monotonic() - started
        os.kill(victim, signal.SIGKILL)
        replacement_after = None
        while time.monotonic() - started < args.seconds:
            current = web.workers()
            if victim not in current and len(current) == args.workers:
                replacement_after = time.monotonic() - started - killed_at
                break
            time.sleep(0.05)
        for thread in threads:
            thread.join()
        workers_after = web.workers()
        web.stop()

    failures = [r for r in results if r[1] != 200]
    before = [r for r in results if r[0] < killed_at]
    after = [r for r in results if r[0] >= killed_at + 1]
    report(
        f"{web.server} worker killed under load ({args.workers} workers, {args.clients} clients)",
        {
            "requests": len(results),
            "statuses": dict(Counter(r[1] for r in results)),
            "failed_requests": len(failures),
            "failures_seconds_after_kill": [round(r[0] - killed_at, 2) for r in failures],
            "requests_per_second_before_kill": round(len(before) / killed_at, 1),
            "requests_per_second_from_1s_after_kill": round(
                len(after) / max(args.seconds - killed_at - 1, 0.1), 1
            ),
            "replacement_worker_after_seconds": None
            if replacement_after is None
            else round(replacement_after, 2),
            "workers_before": len(workers_before),
            "workers_after": len(workers_after),
        },
    )


if __name__ == "__main__":
    main()
