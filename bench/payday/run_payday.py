"""The payday benchmark, end to end, on the dataset built by bench/payday/dataset.py.

1. starts a production web node (granian, config/granian.py; WEB_SERVER=gunicorn for the
   previous one) on the PostgreSQL database (ayni_payday), Redis db 5 for cache and
   sessions, the CAPTCHA in test mode;
2. measures the bare baselines on the same cores: Argon2 verifications/s and boleta PDF
   renders/s (bench/payday/baselines.py);
3. measures requests/s of the Mi boleta list against a minimal Django view (/healthz) on
   the same server, closed loop (no think time);
4. plays payday journeys at increasing concurrency (bench/payday/loadgen.py);
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
from topology import WEB_SERVERS, WebNode, environment, http, in_threads, manage  # noqa: E402

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


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/ayni_payday")
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "payday"))
    parser.add_argument(
        "--server", choices=WEB_SERVERS, default=os.environ.get("WEB_SERVER", "granian")
    )
    parser.add_argument("--workers", type=int, help="default: each server's own")
    parser.add_argument("--threads", type=int, help="default: each server's own")
    parser.add_argument("--stages", default="4,8,16,32")
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
    names = write_users(env, users, 60000)
    result = {
        "machine": {"cores": os.cpu_count(), "load_average_before": os.getloadavg()},
        "web": {"server": args.server, "workers": args.workers, "threads": args.threads},
    }
    os.environ["DATABASE_URL"] = args.database  # the PDF baseline reads boletas from it
    result["baselines"] = baselines.main(["--seconds", str(args.baseline_seconds)])

    web = WebNode(env, workers=args.workers, log_path=var / "web.log", server=args.server)
    try:
        # Sessions for the closed loop come from the last names: the journeys use the first.
        cookies = sessions(env, names[-200:])
        meter = CpuMeter(web_pid=web.process.pid, database_url=args.database)
        comparison = {}
        for label, path, with_cookies in (
            ("minimal_view_healthz", "/healthz", False),
            ("mi_boleta_list", "/boletas/mi-boleta/", True),
        ):
            meter.start()
            comparison[label] = closed_loop(
                web.url + path, cookies if with_cookies else [], args.closed_loop_clients,
                args.closed_loop_seconds,
            )  # fmt: skip
            comparison[label]["cpu_cores"] = meter.stop(args.closed_loop_seconds)
        comparison["list_to_minimal_ratio"] = round(
            comparison["mi_boleta_list"]["requests_per_second"]
            / comparison["minimal_view_healthz"]["requests_per_second"],
            3,
        )
        result["list_vs_minimal_view"] = comparison
        result["load"] = loadgen.main([
            "--url", web.url, "--users", str(users), "--password", DEMO_PASSWORD,
            "--stages", args.stages, "--stage-seconds", str(args.stage_seconds),
            "--stage-journeys", str(args.stage_journeys), "--web-pid", str(web.process.pid),
            "--database", args.database,
        ])  # fmt: skip
    finally:
        web.stop()

    argon2 = result["baselines"]["argon2_verifications_per_second"]
    pdf = result["baselines"]["pdf_renders_per_second"]
    # A journey verifies one password and, half of the time, renders one PDF.
    bare = 1 / (1 / argon2 + 0.5 / pdf)
    best = max(result["load"]["stages"], key=lambda s: s["journeys_per_second"])
    result["ratios"] = {
        "bare_journeys_per_second": round(bare, 2),
        "best_journeys_per_second": best["journeys_per_second"],
        "journeys_to_bare_ratio": round(best["journeys_per_second"] / bare, 3),
        "list_to_minimal_view_ratio": comparison["list_to_minimal_ratio"],
    }
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"payday-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result["ratios"], indent=2))
    print(f"Resultados: {path}")


if __name__ == "__main__":
    main()
