"""Requests/s of /healthz and of the Mi boleta list under gunicorn and granian, same run.

Each server runs in turn on the same cores and the same small dataset (a throwaway
PostgreSQL cluster with `seed_demo --servidores N`, sessions in a Redis of its own), with
its production settings unless told otherwise; clients ask again as soon as answered
(closed loop, bench/payday/run_payday.py), logged in as the three demo servants for Mi
boleta.
Prints each rate and the ratios to the first configuration:

    .venv/bin/python bench/web_servers.py [--seconds 15] [--clients 8] [--servidores 200]

A configuration is [nginx+]server:workers[:threads]; the default compares gunicorn's sync
workers (2 × cores + 1, its default) with granian (cores × 4 threads, alone and behind nginx
as in production; cores × 2 threads) and with granian as many single-threaded processes as
gunicorn's.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "payday"))
sys.path.insert(0, str(HERE.parent / "ops" / "faults"))

from run_payday import closed_loop, sessions  # noqa: E402
from topology import (  # noqa: E402
    Nginx,
    ThrowawayRedis,
    WebNode,
    environment,
    manage,
    throwaway_postgres,
)

CORES = os.cpu_count() or 1
DEFAULT_CONFIGURATIONS = (
    f"gunicorn:{2 * CORES + 1}:1,granian:{CORES}:4,nginx+granian:{CORES}:4,granian:{CORES}:2,"
    f"granian:{2 * CORES + 1}:1"
)
# The demo servants with an account (seed_demo gives the generated ones none).
DEMO_SERVANTS = ["40000001", "40000002", "40000003"]
PAGES = (("healthz", "/healthz", False), ("mi_boleta_list", "/boletas/mi-boleta/", True))


def rss_mib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def measure(env, configuration: str, cookies: list[str], args) -> dict:
    server, workers, threads = (configuration.split(":") + ["1"])[:3]
    proxied = server.startswith("nginx+")
    server = server.removeprefix("nginx+")
    settings = {"GUNICORN_THREADS": threads} if server == "gunicorn" else {"WEB_THREADS": threads}
    name = configuration.replace(":", "-")
    var = Path(env["AYNI_VAR_DIR"])
    web = WebNode({**env, **settings}, int(workers), var / f"{name}.log", server=server)
    proxy = Nginx(f"127.0.0.1:{web.port}", var / name) if proxied else None
    front = proxy or web
    try:
        # Each worker imports its views at its first requests: not measured.
        closed_loop(front.url + "/boletas/mi-boleta/", cookies, args.clients, 5)
        rates = {}
        for label, path, logged_in in PAGES:
            rates[label] = closed_loop(
                front.url + path, cookies if logged_in else [], args.clients, args.seconds
            )
        rates["worker_rss_mib"] = [rss_mib(pid) for pid in web.workers()]
    finally:
        if proxy:
            proxy.stop()
        web.stop()
    rates["list_to_healthz_ratio"] = round(
        rates["mi_boleta_list"]["requests_per_second"] / rates["healthz"]["requests_per_second"], 3
    )
    return rates


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configurations", default=DEFAULT_CONFIGURATIONS)
    parser.add_argument("--seconds", type=float, default=15, help="per page and configuration")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--servidores", type=int, default=200)
    parser.add_argument("--port", type=int, default=5451, help="port of the throwaway cluster")
    args = parser.parse_args(argv)

    var = Path(tempfile.mkdtemp(prefix="ayni-bench-"))
    redis = ThrowawayRedis(var / "redis.log")
    redis.start()
    result = {"machine": {"cores": CORES, "load_average_before": os.getloadavg()}}
    try:
        with throwaway_postgres(args.port) as postgres:
            env = environment(var, DATABASE_URL=postgres.url, CACHE_URL=redis.url,
                              SESSIONS_IN_CACHE="true", LOG_LEVEL="WARNING")  # fmt: skip
            manage(env, "migrate", "--noinput")
            manage(env, "seed_demo", "--servidores", str(args.servidores))
            cookies = sessions(env, DEMO_SERVANTS)
            configurations = args.configurations.split(",")
            for configuration in configurations:
                result[configuration] = measure(env, configuration, cookies, args)
    finally:
        redis.stop()
    result["machine"]["load_average_after"] = os.getloadavg()
    first = result[configurations[0]]
    result["ratios_to_" + configurations[0]] = {
        configuration: {
            label: round(
                result[configuration][label]["requests_per_second"]
                / first[label]["requests_per_second"],
                2,
            )  # fmt: skip
            for label, _, _ in PAGES
        }
        for configuration in configurations[1:]
    }
    out = HERE / "out"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"web-servers-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"Resultados: {path}")


if __name__ == "__main__":
    main()
