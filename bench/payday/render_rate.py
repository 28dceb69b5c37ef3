"""PDFs per second of `render_boletas` with 1 and 2 Celery worker processes, against the
bare boleta renderer on the same number of processes, in the same run.

On the payday dataset (bench/payday/dataset.py): the boletas of UGEL 07 for the month
before the latest are queued (`render_boletas --no-esperar`) on RabbitMQ; a worker with N
processes renders them while the stored PDFs are counted over a fixed window after a
warm-up. The worker is then stopped and the queue emptied (rerunning continues where the
PDFs stop: nothing is rendered twice). The bare rate is `renderer.render()` alone, in N
processes, on boletas read once (bench/payday/baselines.py).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import psycopg
from kombu import Connection

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import baselines  # noqa: E402

BROKER = "amqp://guest:guest@127.0.0.1:5672//"
QUEUE = "ayni-bench-render"
UGEL = "150108"


def documents(url: str) -> int:
    with psycopg.connect(url) as connection:
        return connection.execute("SELECT count(*) FROM documents_issueddocument").fetchone()[0]


def period_before_latest(url: str) -> date:
    with psycopg.connect(url) as connection:
        latest = connection.execute("SELECT max(period) FROM boletas_boleta").fetchone()[0]
    return date(latest.year - (latest.month == 1), (latest.month - 2) % 12 + 1, 1)


def purge() -> None:
    with Connection(BROKER) as connection:
        channel = connection.channel()
        channel.queue_declare(QUEUE, durable=True, auto_delete=False)  # as Celery declares it
        channel.queue_purge(QUEUE)


def measure(env, processes: int, period: date, warmup: float, window: float, log: Path) -> dict:
    purge()
    subprocess.run(
        [sys.executable, "manage.py", "render_boletas", "--periodo", f"{period:%Y-%m}",
         "--entidad", UGEL, "--lote", "20", "--no-esperar"],
        env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    worker = subprocess.Popen(
        [ROOT / ".venv" / "bin" / "celery", "-A", "config", "worker", "--concurrency",
         str(processes), "-Q", QUEUE, "--hostname", f"{QUEUE}-{processes}@%h",
         "--without-mingle", "--without-gossip", "--loglevel", "WARNING"],
        env=env, cwd=ROOT, stdout=log.open("a"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        time.sleep(warmup)
        start_count, started = documents(env["DATABASE_URL"]), time.monotonic()
        time.sleep(window)
        end_count, elapsed = documents(env["DATABASE_URL"]), time.monotonic() - started
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=120)
        purge()
    return {"pdfs": end_count - start_count, "seconds": round(elapsed, 1),
            "pdfs_per_second": round((end_count - start_count) / elapsed, 1)}  # fmt: skip


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/ayni_payday")
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "payday"))
    parser.add_argument("--warmup", type=float, default=15)
    parser.add_argument("--window", type=float, default=45)
    parser.add_argument("--bare-seconds", type=float, default=20)
    parser.add_argument("--out")
    args = parser.parse_args(argv)

    env = {**os.environ, "DATABASE_URL": args.database, "AYNI_VAR_DIR": args.var_dir,
           "CELERY_BROKER_URL": BROKER, "CELERY_QUEUE": QUEUE, "LOG_LEVEL": "WARNING"}  # fmt: skip
    os.environ["DATABASE_URL"] = args.database
    period = period_before_latest(args.database)
    ids = baselines.sample_boleta_ids(200)
    result = {"period": f"{period:%Y-%m}", "entity": UGEL, "load_average": os.getloadavg()}
    for processes in (1, 2):
        bare = baselines.rate(baselines.render_worker, processes, args.bare_seconds, ids)
        workers = measure(env, processes, period, args.warmup, args.window,
                          Path(args.var_dir) / "render-worker.log")  # fmt: skip
        result[f"{processes}_process"] = {
            "bare_renders_per_second": round(bare, 1),
            "render_boletas": workers,
            "ratio_to_bare": round(workers["pdfs_per_second"] / bare, 3),
        }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return result


if __name__ == "__main__":
    main()
