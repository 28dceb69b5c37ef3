"""The payday benchmark, end to end, on the dataset built by bench/payday/dataset.py.

1. starts a production web node (nginx, ops/nginx/ayni.conf.template, in front of granian,
   config/granian.py; WEB_SERVER=gunicorn for the previous one, --no-nginx without the
   proxy) on the PostgreSQL database (ayni_payday), Redis db 5 for cache and sessions, the
   CAPTCHA in test mode;
2. measures the bare baselines on the same cores: Argon2 verifications/s and boleta PDF
   renders/s (bench/payday/baselines.py);
3. measures requests/s of the Mi boleta list against a minimal Django view (/healthz) and
   against the signed-in home page (the same layout, no data of its own) on the same
   server, closed loop (no think time);
4. plays payday journeys at increasing concurrency (bench/payday/loadgen.py), then the last
   stage again with 50 idle connections held open (the drill of
   ops/faults/idle_connections.py: slow or silent clients must not stall the node);
5. prints the ratios and writes everything to bench/out/payday-<time>.json.
"""

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "ops" / "faults"))

import baselines  # noqa: E402
import loadgen  # noqa: E402
from cpu import CpuMeter  # noqa: E402
from topology import (  # noqa: E402
    WEB_SERVERS,
    IdleConnections,
    Nginx,
    WebNode,
    environment,
    http,
    in_threads,
    manage,
)

DEMO_PASSWORD = "Ayni2026demo"  # noqa: S105 (the published demo password)
SESSIONS_SCRIPT = """
from django.test import Client
from ayni.accounts.models import User
for user in User.objects.filter(username__in={names}):
    client = Client()
    client.force_login(user)
    print(client.cookies["sessionid"].value)
"""


def payday_environment(args) -> dict:
    return environment(
        Path(args.var_dir),
        DATABASE_URL=args.database,
        CACHE_URL="rediscache://127.0.0.1:6379/5",
        SESSIONS_IN_CACHE="true",
        AYNI_CAPTCHA_TEST_MODE="true",
        LOG_LEVEL="WARNING",
        **({"GUNICORN_THREADS": args.threads, "WEB_THREADS": args.threads} if args.threads else {}),
        GUNICORN_TIMEOUT=120,
    )


def write_users(env, path: Path, count: int) -> list[str]:
    """User names of servants with boletas and an account (the generated demo servants)."""
    script = (
        "from ayni.accounts.models import User\n"
        "names = User.objects.filter(servant__boletas__isnull=False, username__startswith='41')"
        f".values_list('username', flat=True).distinct().order_by('username')[:{count}]\n"
        "print('\\n'.join(names))"
    )
    names = manage(env, "shell", "--no-imports", "-c", script).split()
    path.write_text("\n".join(names) + "\n")
    return names


MADE_AHEAD_SCRIPT = """
from ayni.boletas.models import Boleta
from ayni.boletas.selectors import with_document_flag
names = {names}
latest = Boleta.objects.filter(servant__account__username__in=names, state="vigente")
made = with_document_flag(latest.filter(period=latest.order_by("-period").values("period")[:1]))
servants = made.values("servant").distinct().count()
print(made.filter(has_document=True).values("servant").distinct().count(), servants)
"""


def made_ahead_share(env, names: list[str]) -> float:
    """The share of these servants whose latest month already has its PDF (made the night
    before), against which the bare cost of a journey is counted."""
    made, servants = manage(env, "shell", "--no-imports", "-c",
                            MADE_AHEAD_SCRIPT.format(names=repr(names))).split()  # fmt: skip
    return int(made) / max(int(servants), 1)


def sessions(env, names: list[str]) -> list[str]:
    script = SESSIONS_SCRIPT.format(names=repr(names))
    cookies = manage(env, "shell", "--no-imports", "-c", script).split()
    # Without sessions the logged-in pages would be measured as the login page they redirect to.
    if not cookies:
        raise RuntimeError(f"Ninguna sesión abierta para {names[:3]}…")
    return cookies


def closed_loop(url: str, cookies: list[str], clients: int, seconds: float) -> dict:
    """Requests/s with `clients` clients asking again as soon as answered."""
    latencies, failures = [], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(index):
        n = index
        while time.monotonic() < deadline:
            status, _, elapsed = http(url, cookies[n % len(cookies)] if cookies else "")
            n += clients
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    failures[0] += 1

    started = time.monotonic()
    in_threads(client, clients)
    elapsed = time.monotonic() - started
    return {
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "failures": failures[0],
        "latency_ms": loadgen.summary_ms(sorted(latencies)),
    }


def with_idle_connections(port: int, count: int, play) -> dict:
    """`play()`'s result while `count` idle connections are held open to `port` (the drill of
    ops/faults/idle_connections.py, under the payday journeys), and what the server did with
    them."""
    idle = IdleConnections(port, count)
    try:
        result = play()
    finally:
        idle.stop()
    held = sorted(idle.closed_after)
    result["idle_connections"] = {
        "held_open": count,
        "closed_by_the_server": len(held),
        "seconds_held_before_closing_median": round(held[len(held) // 2], 1) if held else None,
        "could_not_open": idle.failed_to_open,
    }
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/ayni_payday")
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "payday"))
    parser.add_argument(
        "--server", choices=WEB_SERVERS, default=os.environ.get("WEB_SERVER", "granian")
    )
    parser.add_argument(
        "--no-nginx", dest="nginx", action="store_false",
        help="clients talk to the server directly, without nginx in front as in production",
    )  # fmt: skip
    parser.add_argument("--workers", type=int, help="default: each server's own")
    parser.add_argument("--threads", type=int, help="default: each server's own")
    parser.add_argument(
        "--servants", type=int, default=60000,
        help="the journeys sign in as servants drawn from the first N generated ones "
        "(dataset.py --pdfs-for N makes their PDFs ahead)",
    )  # fmt: skip
    parser.add_argument("--stages", default="4,8,16,32")
    parser.add_argument(
        "--idle-connections", type=int, default=50,
        help="then the last stage again with this many idle connections held open (0: no)",
    )  # fmt: skip
    parser.add_argument("--stage-seconds", type=float, default=60)
    parser.add_argument("--stage-journeys", type=int, default=2000)
    parser.add_argument("--baseline-seconds", type=float, default=15)
    parser.add_argument("--closed-loop-seconds", type=float, default=20)
    parser.add_argument("--closed-loop-clients", type=int, default=8)
    args = parser.parse_args(argv)
    if args.workers is None:
        cores = os.cpu_count() or 1
        args.workers = cores if args.server == "granian" else 2 * cores + 1

    env = payday_environment(args)
    var = Path(args.var_dir)
    users = var / "users.txt"
    names = write_users(env, users, args.servants)
    result = {
        "machine": {"cores": os.cpu_count(), "load_average_before": os.getloadavg()},
        "web": {
            "server": args.server,
            "workers": args.workers,
            "threads": args.threads,
            "nginx": args.nginx,
        },  # fmt: skip
    }
    result["pdfs_made_ahead_share"] = made_ahead_share(env, names)
    os.environ["DATABASE_URL"] = args.database  # the PDF baseline reads boletas from it
    result["baselines"] = baselines.main(["--seconds", str(args.baseline_seconds)])

    web = WebNode(env, workers=args.workers, log_path=var / "web.log", server=args.server)
    proxy = Nginx(f"127.0.0.1:{web.port}", var / "nginx") if args.nginx else None
    front = proxy or web
    try:
        # Sessions for the closed loop come from the last names: the journeys use the first.
        cookies = sessions(env, names[-200:])
        meter = CpuMeter(web_pid=web.process.pid, database_url=args.database)
        comparison = {}
        for label, path, with_cookies in (
            ("minimal_view_healthz", "/healthz", False),
            # The same layout as Mi boleta with nothing of its own: what every signed-in
            # page costs (session, account, menu, header, session save).
            ("home_signed_in", "/", True),
            ("mi_boleta_list", "/boletas/mi-boleta/", True),
        ):
            meter.start()
            comparison[label] = closed_loop(
                front.url + path, cookies if with_cookies else [], args.closed_loop_clients,
                args.closed_loop_seconds,
            )  # fmt: skip
            comparison[label]["cpu_cores"] = meter.stop(args.closed_loop_seconds)
        rates = {label: comparison[label]["requests_per_second"] for label in comparison}
        comparison["list_to_minimal_ratio"] = round(
            rates["mi_boleta_list"] / rates["minimal_view_healthz"], 3
        )
        comparison["list_to_home_ratio"] = round(
            rates["mi_boleta_list"] / rates["home_signed_in"], 3
        )
        result["list_vs_minimal_view"] = comparison
        journeys = [
            "--url", front.url, "--users", str(users), "--password", DEMO_PASSWORD,
            "--stage-seconds", str(args.stage_seconds), "--stage-journeys",
            str(args.stage_journeys), "--web-pid", str(web.process.pid),
            "--database", args.database,
        ]  # fmt: skip
        result["load"] = loadgen.main([*journeys, "--stages", args.stages])
        if args.idle_connections:
            result["load_with_idle_connections"] = with_idle_connections(
                front.port, args.idle_connections,
                lambda: loadgen.main([*journeys, "--stages", args.stages.split(",")[-1]]),
            )  # fmt: skip
    finally:
        if proxy:
            proxy.stop()
        web.stop()

    argon2 = result["baselines"]["argon2_verifications_per_second"]
    pdf = result["baselines"]["pdf_renders_per_second"]
    # A journey verifies one password and renders the PDFs not made ahead.
    bare = 1 / (1 / argon2 + (1 - result["pdfs_made_ahead_share"]) / pdf)
    best = max(result["load"]["stages"], key=lambda s: s["journeys_per_second"])
    result["ratios"] = {
        "bare_journeys_per_second": round(bare, 2),
        "best_journeys_per_second": best["journeys_per_second"],
        "journeys_to_bare_ratio": round(best["journeys_per_second"] / bare, 3),
        "list_to_minimal_view_ratio": comparison["list_to_minimal_ratio"],
        "list_to_signed_in_home_ratio": comparison["list_to_home_ratio"],
    }
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"payday-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result["ratios"], indent=2))
    print(f"Resultados: {path}")


if __name__ == "__main__":
    main()
