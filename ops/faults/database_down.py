"""Drill: PostgreSQL stops for 10 s under a running web node, then starts again.

Expected: a friendly 503 page (and /readyz 503) while it is down, never a 500; pages come
back by themselves once it is up, with the same web worker processes (no restart).

Runs its own throwaway PostgreSQL cluster (port 5440 by default) and Redis db 8 for the
sessions: `.venv/bin/python ops/faults/database_down.py`.
"""

import argparse
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from topology import WebNode, environment, http, manage, report, session_cookie_for
from topology import throwaway_postgres as throwaway_cluster

FRIENDLY = "Estamos restableciendo el servicio"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="how long PostgreSQL stays down")
    parser.add_argument("--port", type=int, default=5440, help="port of the throwaway cluster")
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
        web = WebNode(env, workers=2, log_path=var / "web.log")
        workers_before = sorted(web.workers())

        samples = []  # (seconds since start, path, status, friendly page, latency)
        started = time.monotonic()
        done = threading.Event()

        def poll():
            while not done.is_set():
                for path in ("/", "/readyz"):
                    status, body, latency = http(web.url + path, cookie if path == "/" else "")
                    samples.append((time.monotonic() - started, path, status, FRIENDLY in body,
                                    latency))  # fmt: skip
                time.sleep(0.2)

        poller = threading.Thread(target=poll)
        poller.start()
        time.sleep(3)
        stop_began = time.monotonic() - started
        postgres.stop()
        down_from = time.monotonic() - started
        time.sleep(args.seconds)
        postgres.start()
        up_from = time.monotonic() - started
        time.sleep(8)
        done.set()
        poller.join()
        workers_after = sorted(web.workers())
        web.stop()

    def window(low, high, path):
        return [s for s in samples if low <= s[0] < high and s[1] == path]

    outage_pages = window(down_from, up_from, "/")
    after_home = window(up_from, float("inf"), "/")
    first_ok = next((s[0] - up_from for s in after_home if s[2] == 200), None)
    report(
        f"PostgreSQL stopped {args.seconds:.0f} s under {web.server} (2 workers)",
        {
            "stop_command_seconds": round(down_from - stop_began, 2),
            "statuses_before": dict(Counter(s[2] for s in window(0, stop_began, "/"))),
            "home_statuses_while_down": dict(Counter(s[2] for s in outage_pages)),
            "readyz_statuses_while_down": dict(
                Counter(s[2] for s in window(down_from, up_from, "/readyz"))
            ),
            "friendly_503_pages_while_down": sum(1 for s in outage_pages if s[2] == 503 and s[3]),
            "slowest_answer_while_down_ms": round(max(s[4] for s in outage_pages) * 1000, 1),
            "seconds_from_start_to_first_200": None if first_ok is None else round(first_ok, 2),
            "home_statuses_after_start": dict(Counter(s[2] for s in after_home)),
            "server_errors_500_or_no_answer": sum(1 for s in samples if s[2] in (0, 500)),
            "same_web_workers": workers_before == workers_after,
        },
    )


if __name__ == "__main__":
    main()
