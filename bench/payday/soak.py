"""Payday soak with faults: payday journeys for 30 minutes against the production topology
while a web worker, PostgreSQL, Redis and the Celery worker are broken in turn.

    .venv/bin/python bench/payday/soak.py [--minutes 30] [--servidores 3000]

The topology is the one `make prod-local` runs: nginx in front of granian
(config/granian.py), one Celery worker with 2 processes on RabbitMQ, Redis for the cache
and the sessions, PostgreSQL. Each
piece is started on its own so that it can be broken: a PostgreSQL cluster of its own
(port 5443), a Redis server of its own, a queue of its own on the machine's RabbitMQ and an
SMTP server in this process that receives the mails. The machine's own PostgreSQL and Redis
are never touched.

Meanwhile the payroll office imports, every --import-every seconds, a planilla of the latest
month for --per-import servants of UGEL 07 not imported before (`import_planilla`, which
queues their "Su boleta ... está disponible" mails) and queues the PDFs of that month
(`render_boletas --no-esperar`).

Faults, one every --fault-every seconds (minutes 5, 10, 15, 20 and 25 of 30), in turn:
- web: SIGKILL to one web worker (the server starts another);
- PostgreSQL: a fast shutdown, then a start;
- Redis: stopped and started again (the sessions, kept only in Redis, are lost);
- Celery: SIGKILL to the worker and its pool; started again 5 s later, as a service
  manager (systemd's Restart=always) would.

After the load the queue is drained, and it checks:
- journeys completed and failed; a failed journey must have been in flight during a fault;
- every import: its mails all reached the SMTP server, once per servant;
- every boleta of the month: exactly one PDF (rendered by the workers or on the click);
- every PDF: `verify_documents` (stored bytes against the recorded SHA-256) and its
  verification code, for a sample of --codes of them, answers "Válido" over HTTP.
Prints and writes everything to bench/out/soak-<time>.json; exits 1 if a check failed.
"""

import argparse
import json
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email import message_from_bytes
from email.header import decode_header, make_header
from http.client import HTTPException
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "ops" / "faults"))

import loadgen  # noqa: E402
import psycopg  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from import_planilla import ENTITY, setup_django, write_planilla  # noqa: E402
from topology import (  # noqa: E402
    BIN,
    Nginx,
    ThrowawayPostgres,
    ThrowawayRedis,
    WebNode,
    children,
    environment,
    free_port,
    http,
    manage,
    start_worker,
)

DEMO_PASSWORD = "Ayni2026demo"  # noqa: S105 (the published demo password)
FAULTS = ("web", "postgresql", "redis", "celery")
# The generated servants (DNIs from 41000000), never the demo staff, who need a second factor.
SERVANTS_PAID_IN = (
    "SELECT DISTINCT u.username FROM accounts_user u JOIN boletas_boleta b"
    " ON b.servant_id = u.servant_id WHERE b.period = %s AND u.username LIKE '41%%'"
)
SERVANTS_OF_ENTITY = (
    "SELECT DISTINCT s.document_number FROM organizations_servant s"
    " JOIN accounts_user u ON u.servant_id = s.id JOIN boletas_boleta b ON b.servant_id = s.id"
    " JOIN organizations_unit e ON e.id = b.entity_id"
    " WHERE s.document_type = 'DNI' AND b.period = %s AND e.code = %s ORDER BY 1"
)
CHECK = """
import json, sys
from collections import Counter
from ayni.boletas.models import Boleta, PlanillaImport
from ayni.boletas.notices import notice_subject
from ayni.documents.models import IssuedDocument
import_ids, period, entity = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
imports = {}
for record in PlanillaImport.objects.filter(pk__in=import_ids):
    boletas = Boleta.objects.filter(imported_in=record).select_related("servant__account")
    imports[record.pk] = {
        "notified": record.notified_at is not None,
        "mails": [[notice_subject([b]), b.servant.account.email] for b in boletas
                  if b.servant.account and b.servant.account.email],
    }
month = Boleta.objects.filter(period=period, entity__code=entity)
pdfs = Counter(IssuedDocument.objects.filter(
    source_id__in=month.values("pk"), source_type__model="boleta"
).values_list("source_id", flat=True))
ids = list(month.values_list("pk", flat=True))
print(json.dumps({
    "imports": imports,
    "boletas_of_the_month": len(ids),
    "without_pdf": sum(1 for pk in ids if pdfs[pk] == 0),
    "with_several_pdfs": sum(1 for pk in ids if pdfs[pk] > 1),
    "codes": list(IssuedDocument.objects.values_list("code", flat=True)),
}))
"""


class Mailbox:
    """The SMTP server the platform sends to: (subject, recipient) of every mail received."""

    def __init__(self):
        self.received: list[tuple[str, str]] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook)
        message = message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(message["Subject"])))
        self.received.extend((subject, recipient) for recipient in envelope.rcpt_tos)
        return "250 OK"


@dataclass
class Fault:
    name: str
    started: float
    recovered: float = 0.0


class Soak:
    def __init__(self, args, env, web, url, postgres, redis, var):
        self.args, self.env, self.web, self.postgres, self.redis = args, env, web, postgres, redis
        self.url = url  # nginx, in front of the web node
        self.var = var
        self.worker = start_worker(env, var / "worker.log")
        self.started = time.monotonic()
        self.deadline = self.started + args.minutes * 60
        self.lock = threading.Lock()
        self.journeys: list[tuple[float, float, str]] = []  # (start, end, error or "")
        self.faults: list[Fault] = []
        self.imports: list[dict] = []

    def clock(self) -> float:
        return round(time.monotonic() - self.started, 1)

    # -- load ------------------------------------------------------------------------------
    def servant(self, run, usernames, index):
        rng = random.Random(index)
        while time.monotonic() < self.deadline:
            username = rng.choice(usernames)
            start = self.clock()
            error = ""
            try:
                run.journey(0, username, rng)
            except (loadgen.JourneyError, OSError, HTTPException) as problem:
                error = str(problem)[:160] or type(problem).__name__
            with self.lock:
                self.journeys.append((start, self.clock(), error))

    # -- the payroll office ----------------------------------------------------------------
    def payroll_office(self, documents, period):
        rounds = 0
        while time.monotonic() < self.deadline - 60 and documents:
            batch, documents = documents[: self.args.per_import], documents[self.args.per_import :]
            rounds += 1
            path = self.var / f"planilla-{rounds}.csv"
            write_planilla(path, 10**9, period=period, documents=batch,
                           payroll_type=f"Ley N° 29944 (soak {rounds})")  # fmt: skip
            record = {"round": rounds, "at": self.clock(), "servants": len(batch), "attempts": 0}
            while True:  # an operator runs the command again until it goes through
                record["attempts"] += 1
                imported = subprocess.run(
                    [BIN / "python", "manage.py", "import_planilla", path], env=self.env,
                    cwd=ROOT, capture_output=True, text=True, timeout=600,
                )  # fmt: skip
                if imported.returncode == 0:
                    break
                record.setdefault("failed_attempts", []).append(
                    [self.clock(), (imported.stderr or imported.stdout).strip()[-200:]]
                )
                time.sleep(10)
            record["import_id"] = latest_import_id(self.postgres.url)
            render = subprocess.run(
                [BIN / "python", "manage.py", "render_boletas", "--periodo", period[:7],
                 "--entidad", ENTITY, "--lote", "5", "--no-esperar"],
                env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=600,
            )  # fmt: skip
            record["render_queued"] = render.returncode == 0
            with self.lock:
                self.imports.append(record)
            sleep_until(time.monotonic() + self.args.import_every, self.deadline)

    # -- faults ----------------------------------------------------------------------------
    def break_in_turn(self):
        for index in range(int(self.args.minutes * 60 // self.args.fault_every)):
            at = self.started + (index + 1) * self.args.fault_every
            if at >= self.deadline - 30 or not sleep_until(at, self.deadline):
                return
            name = FAULTS[index % len(FAULTS)]
            fault = Fault(name, self.clock())
            getattr(self, f"break_{name}")()
            fault.recovered = self.clock()
            with self.lock:
                self.faults.append(fault)
            print(f"[{fault.started:7.1f} s] {name}: recovered at {fault.recovered:.1f} s",
                  flush=True)  # fmt: skip

    def break_web(self):
        os.kill(random.choice(self.web.workers()), signal.SIGKILL)
        deadline = time.monotonic() + 30
        while len(self.web.workers()) < self.args.web_workers and time.monotonic() < deadline:
            time.sleep(0.1)

    def break_postgresql(self):
        self.postgres.stop()
        self.postgres.start()

    def break_redis(self):
        self.redis.stop()
        self.redis.start()

    def break_celery(self):
        for pid in [*children(self.worker.pid), self.worker.pid]:
            os.kill(pid, signal.SIGKILL)
        self.worker.wait()
        time.sleep(5)
        self.worker = start_worker(self.env, self.var / "worker.log")

    # -- the run ---------------------------------------------------------------------------
    def run(self, usernames, documents, period):
        run = loadgen.Run(SimpleNamespace(
            url=self.url, users=str(self.var / "users.txt"), seed=2026,
            password=DEMO_PASSWORD, think_min=self.args.think_min, think_max=self.args.think_max,
        ))  # fmt: skip
        threads = [threading.Thread(target=self.servant, args=(run, usernames, n), daemon=True)
                   for n in range(self.args.clients)]  # fmt: skip
        threads.append(
            threading.Thread(target=self.payroll_office, args=(documents, period), daemon=True)
        )
        threads.append(threading.Thread(target=self.break_in_turn, daemon=True))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def sleep_until(moment: float, deadline: float) -> bool:
    while time.monotonic() < moment:
        if time.monotonic() >= deadline:
            return False
        time.sleep(min(1.0, moment - time.monotonic()))
    return True


def latest_import_id(url: str) -> int:
    with psycopg.connect(url) as connection:
        return connection.execute("SELECT max(id) FROM boletas_planillaimport").fetchone()[0]


def queue_depth(env) -> int:
    from kombu import Connection

    with Connection(env["CELERY_BROKER_URL"]) as connection:
        channel = connection.channel()
        return channel.queue_declare(env["CELERY_QUEUE"], passive=True).message_count


def drain(env, worker_log: Path, seconds: float = 900) -> float:
    """Wait until the queue is empty and the worker has been idle for 10 s; seconds waited."""
    started = time.monotonic()
    quiet_since, size = time.monotonic(), worker_log.stat().st_size
    while time.monotonic() - started < seconds:
        if worker_log.stat().st_size != size or queue_depth(env):
            quiet_since, size = time.monotonic(), worker_log.stat().st_size
        elif time.monotonic() - quiet_since > 10:
            break
        time.sleep(1)
    return round(time.monotonic() - started, 1)


def in_flight(journey, faults) -> bool:
    start, end, _ = journey
    return any(start <= fault.recovered and end >= fault.started for fault in faults)


def dataset(args, env, postgres, var):
    """The payday dataset (bench/payday/dataset.py) in the soak's cluster; every account
    gets an e-mail address, so that every import sends mails."""
    subprocess.run(
        [BIN / "python", HERE / "dataset.py", "--database", postgres.url, "--servidores",
         str(args.servidores), "--var-dir", str(var), "--skip-pdfs"],
        env={**env, "CELERY_BROKER_URL": "", "EMAIL_URL": "dummymail://"}, cwd=ROOT,
        check=True, capture_output=True,
    )  # fmt: skip
    with psycopg.connect(postgres.url) as connection:
        connection.execute(
            "UPDATE accounts_user SET email = username || '@correo.soak.pe' WHERE email = ''"
        )
        period = connection.execute("SELECT max(period) FROM boletas_boleta").fetchone()[0]
        usernames = [row[0] for row in connection.execute(SERVANTS_PAID_IN, [period])]
        documents = [row[0] for row in connection.execute(SERVANTS_OF_ENTITY, [period, ENTITY])]
    (var / "users.txt").write_text("\n".join(usernames) + "\n")
    return usernames, documents, f"{period:%Y-%m}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--fault-every", type=float, default=300, help="seconds")
    parser.add_argument("--servidores", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=6, help="servants at once")
    parser.add_argument("--think-min", type=float, default=0.3)
    parser.add_argument("--think-max", type=float, default=1.0)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--import-every", type=float, default=120, help="seconds")
    parser.add_argument("--per-import", type=int, default=100, help="servants per planilla")
    parser.add_argument("--port", type=int, default=5443, help="the soak's PostgreSQL")
    parser.add_argument("--codes", type=int, default=200, help="verification codes asked")
    args = parser.parse_args(argv)

    # Stopped by a signal, it still stops what it started (the finally clause below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    setup_django()  # the planillas are written with the format's columns
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's every command
    var = Path(tempfile.mkdtemp(prefix="ayni-soak-"))
    mailbox = Mailbox()
    mailbox.controller.start()
    postgres = ThrowawayPostgres(args.port)
    postgres.create()
    redis = ThrowawayRedis(var / "redis.log")
    redis.start()
    env = environment(
        var,
        DATABASE_URL=postgres.url,
        CACHE_URL=redis.url,
        SESSIONS_IN_CACHE="true",
        CELERY_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//",
        CELERY_QUEUE=f"ayni-soak-{os.getpid()}",
        EMAIL_URL=f"smtp://127.0.0.1:{mailbox.controller.port}",
        AYNI_CAPTCHA_TEST_MODE="true",
        # The check asks for every code issued, far more than a visitor may in a minute.
        AYNI_VERIFICATIONS_PER_MINUTE=10**6,
        LOG_LEVEL="WARNING",
        WEB_CONCURRENCY=args.web_workers,
    )
    subprocess.run([ROOT / "ops" / "ensure-system-packages", "nginx"], check=True)
    web = proxy = soak = None
    try:
        setup_started = time.monotonic()
        usernames, documents, period = dataset(args, env, postgres, var)
        print(f"Dataset: {len(usernames)} servants with a boleta of {period}, "
              f"{time.monotonic() - setup_started:.0f} s; files in {var}", flush=True)  # fmt: skip
        web = WebNode(env, args.web_workers, var / "web.log")
        proxy = Nginx(f"127.0.0.1:{web.port}", var / "nginx")
        soak = Soak(args, env, web, proxy.url, postgres, redis, var)
        soak.run(usernames, documents, period)
        drained = drain(env, var / "worker.log")
        result = check(soak, env, mailbox, period, drained)
    finally:
        if soak:
            soak.worker.send_signal(signal.SIGTERM)
            soak.worker.wait(timeout=60)
        if proxy:
            proxy.stop()
        if web:
            web.stop()
        redis.stop()
        postgres.destroy()
        mailbox.controller.stop()

    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"soak-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(text + "\n")
    return 0 if result["passed"] else 1


def check(soak, env, mailbox, period, drained) -> dict:
    failed = [j for j in soak.journeys if j[2]]
    unexcused = [j for j in failed if not in_flight(j, soak.faults)]
    import_ids = [record["import_id"] for record in soak.imports]
    arguments = [json.dumps(import_ids), f"{period}-01", ENTITY]
    state = json.loads(manage(env, "shell", "--no-imports", "-c",
                              f"import sys; sys.argv = ['', *{arguments!r}]\n" + CHECK
                              ).splitlines()[-1])  # fmt: skip
    received = Counter(mailbox.received)
    expected = {tuple(mail) for record in state["imports"].values() for mail in record["mails"]}
    verify = subprocess.run([BIN / "python", "manage.py", "verify_documents"], env=env, cwd=ROOT,
                            capture_output=True, text=True)  # fmt: skip
    asked = random.Random(2026).sample(state["codes"], min(soak.args.codes, len(state["codes"])))
    not_valid = [code for code in asked
                 if "Válido" not in http(f"{soak.url}/verificar/{code}/")[1]]  # fmt: skip
    result = {
        "minutes": soak.args.minutes,
        "clients": soak.args.clients,
        "faults": [vars(fault) for fault in soak.faults],
        "journeys": len(soak.journeys),
        "journeys_completed": len(soak.journeys) - len(failed),
        "journeys_failed": len(failed),
        "journeys_failed_with_no_fault_in_flight": len(unexcused),
        "those_journeys": unexcused[:20],
        "failures_by_fault": dict(
            Counter(
                next((f.name for f in soak.faults if in_flight(j, [f])), "none") for j in failed
            )
        ),  # fmt: skip
        "errors": dict(Counter(j[2] for j in failed).most_common(12)),
        "imports": soak.imports,
        "imports_notified": sum(1 for r in state["imports"].values() if r["notified"]),
        "mails_expected": len(expected),
        "mails_received": len(set(received) & expected),
        "mails_lost": len(expected - set(received)),
        "mails_received_twice": sum(1 for mail, count in received.items() if count > 1),
        "queue_drained_in_seconds": drained,
        "boletas_of_the_month": state["boletas_of_the_month"],
        "boletas_without_pdf": state["without_pdf"],
        "boletas_with_several_pdfs": state["with_several_pdfs"],
        "pdfs": len(state["codes"]),
        "verify_documents_exit": verify.returncode,
        "verify_documents": verify.stdout.strip().splitlines(),
        "codes_asked": len(asked),
        "codes_not_answering_valido": len(not_valid),
    }
    result["passed"] = (
        not unexcused and result["mails_lost"] == 0
        and result["imports_notified"] == len(import_ids)
        and not result["boletas_without_pdf"] and not result["boletas_with_several_pdfs"]
        and verify.returncode == 0 and not not_valid
    )  # fmt: skip
    return result


if __name__ == "__main__":
    sys.exit(main())
