"""Drill: 50 idle connections held open while logged-in servants load the node.

A third of the connections send nothing, a third half a request line (a port scan, a
client gone quiet), a third a sign-in's headers and a few bytes of its body, the rest never
(a slow upload); whichever the server closes is opened again, so that 50 are held for the
whole load. Meanwhile --clients clients ask, without pause, for the home page, the Mi
boleta list (logged in, several servants) and /healthz.

Expected of the production node: no errors and no stall; p99 near the one without idle
connections. Run per server configuration, on the same cores, one after another:

- gunicorn-sync: gunicorn's sync workers (the web node until November 2026);
- gunicorn-gthread: gunicorn's threaded workers (GUNICORN_THREADS);
- granian: config/granian.py (WSGI, WEB_THREADS threads a worker);
- nginx+gunicorn-sync, nginx+granian: the same behind nginx (ops/nginx/ayni.conf.template),
  which reads each request whole before passing it on: the production node is nginx+granian.

Runs its own throwaway PostgreSQL cluster (port 5450 by default), Redis server and nginx
(Debian's `nginx-light` or `nginx`):
`.venv/bin/python ops/faults/idle_connections.py [--seconds 20] [--only granian]`.
"""

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from topology import (
    ROOT,
    IdleConnections,
    Nginx,
    ThrowawayRedis,
    WebNode,
    environment,
    http,
    in_threads,
    manage,
    report,
)
from topology import throwaway_postgres as throwaway_cluster

sys.path.insert(0, str(ROOT / "bench" / "payday"))
from loadgen import summary_ms  # noqa: E402
from run_payday import sessions  # noqa: E402

# name: (server, settings of its own, behind nginx)
CONFIGURATIONS = {
    "gunicorn-sync": ("gunicorn", {}, False),
    "gunicorn-gthread": ("gunicorn", {"GUNICORN_THREADS": 4}, False),
    "granian": ("granian", {"WEB_THREADS": 4}, False),
    "nginx+gunicorn-sync": ("gunicorn", {}, True),
    "nginx+granian": ("granian", {"WEB_THREADS": 4}, True),
}
PATHS = ("/", "/boletas/mi-boleta/", "/healthz")


def load(url: str, cookies: list[str], clients: int, seconds: float) -> dict:
    """Closed loop of `clients` clients over PATHS; answers slower than 10 s count as errors."""
    results = []  # (finished at, path, status, seconds)
    lock = threading.Lock()
    started = time.monotonic()

    def client(index: int) -> None:
        n = index
        while time.monotonic() - started < seconds:
            path = PATHS[n % len(PATHS)]
            status, _, elapsed = http(url + path, "" if path == "/healthz" else
                                      cookies[n % len(cookies)], timeout=10)  # fmt: skip
            n += clients
            with lock:
                results.append((time.monotonic() - started, path, status, elapsed))

    in_threads(client, clients)
    wall = time.monotonic() - started
    answered = sorted(r[0] for r in results if r[2] == 200)
    gaps = [b - a for a, b in zip([0.0, *answered], [*answered, wall], strict=False)]
    return {
        "requests": len(results),
        "errors": sum(1 for r in results if r[2] != 200),
        "statuses": dict(Counter(r[2] for r in results)),
        "requests_per_second": round(len(results) / wall, 1),
        "latency_ms": summary_ms(sorted(r[3] for r in results)),
        "slowest_request_s": round(max(r[3] for r in results), 2) if results else None,
        # The longest time in which not one request was answered: the node stalled.
        "longest_stall_s": round(max(gaps), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of each load")
    parser.add_argument("--idle", type=int, default=50, help="idle connections held open")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="worker processes, every server")
    parser.add_argument("--only", choices=CONFIGURATIONS, action="append", help="repeatable")
    parser.add_argument("--port", type=int, default=5450, help="port of the throwaway cluster")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="ayni-drill-"))
    redis = ThrowawayRedis(var / "redis.log")
    redis.start()
    results = {}
    try:
        with throwaway_cluster(args.port) as postgres:
            env = environment(var, DATABASE_URL=postgres.url, CACHE_URL=redis.url,
                              SESSIONS_IN_CACHE="true", LOG_LEVEL="WARNING")  # fmt: skip
            manage(env, "migrate", "--noinput")
            manage(env, "seed_demo", "--servidores", "20")
            cookies = sessions(env, ["40000001", "40000002", "40000003"])
            for name in args.only or CONFIGURATIONS:
                server, settings, behind_nginx = CONFIGURATIONS[name]
                web = WebNode({**env, **{k: str(v) for k, v in settings.items()}},
                              args.workers, var / f"{name}.log", server=server)  # fmt: skip
                proxy = Nginx(f"127.0.0.1:{web.port}", var / name) if behind_nginx else None
                front = proxy or web
                try:
                    # Each worker imports its views at its first requests: not measured.
                    load(front.url, cookies, args.clients, 5)
                    quiet = load(front.url, cookies, args.clients, args.seconds / 4)
                    idle = IdleConnections(front.port, args.idle)
                    time.sleep(1)
                    loaded = load(front.url, cookies, args.clients, args.seconds)
                    idle.stop()
                finally:
                    if proxy:
                        proxy.stop()
                    web.stop()
                results[name] = {
                    **loaded,
                    "p99_ms_without_idle_connections": quiet["latency_ms"]["p99"],
                    "idle_connections_closed_by_server": len(idle.closed_after),
                    "server_closed_idle_after_s": round(min(idle.closed_after), 1)
                    if idle.closed_after
                    else None,
                    "idle_connections_refused": idle.failed_to_open,
                }
    finally:
        redis.stop()
    report(
        f"{args.idle} idle connections, {args.clients} clients for {args.seconds:.0f} s, "
        f"{args.workers} workers",
        results,
    )
    print("| configuration | requests | errors | p50 ms | p95 ms | p99 ms | longest stall s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, r in results.items():
        latency = r["latency_ms"]
        print(f"| {name} | {r['requests']} | {r['errors']} | {latency['p50']} | {latency['p95']} "
              f"| {latency['p99']} | {r['longest_stall_s']} |")  # fmt: skip


if __name__ == "__main__":
    main()
