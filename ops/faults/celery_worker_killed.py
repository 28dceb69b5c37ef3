"""Drill: Celery workers killed while they render the PDFs of a planilla.

`render_boletas` queues the PDFs of the latest period of UGEL 07 in small batches; while
the workers render them, one pool process gets SIGKILL, and later the whole worker
(main process included) gets SIGKILL and a new worker is started.

Expected: the lost batches are handed out again (late acknowledgement) and finish; every
boleta ends with exactly one PDF whose stored bytes match its recorded SHA-256 and are
exactly what the renderer produces for that record (complete and correct).

Runs its own throwaway PostgreSQL cluster (port 5442 by default) and a queue of its own on
the local RabbitMQ: `.venv/bin/python ops/faults/celery_worker_killed.py`.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg
from topology import BIN, ROOT, children, environment, manage, report, start_worker
from topology import throwaway_postgres as throwaway_cluster

UGEL = "150108"
RECEIVED = re.compile(r"render_boleta_pdfs\[([0-9a-f-]+)\] received")
CHECK = """
import hashlib, json
from django.contrib.contenttypes.models import ContentType
from ayni.boletas.models import Boleta
from ayni.documents.models import IssuedDocument
from ayni.documents.services import render_again
boletas = Boleta.objects.filter(period="{period}", entity__code="{ugel}")
kind = ContentType.objects.get_for_model(Boleta)
result = {{"boletas": boletas.count(), "without_pdf": 0, "with_several_pdfs": 0,
          "stored_matches_sha256": 0, "stored_equals_fresh_render": 0, "pdfs": 0}}
for boleta in boletas:
    documents = list(IssuedDocument.objects.filter(source_type=kind, source_id=boleta.pk))
    result["pdfs"] += len(documents)
    result["without_pdf"] += not documents
    result["with_several_pdfs"] += len(documents) > 1
    for document in documents:
        with document.file.open("rb") as stored:
            data = stored.read()
        result["stored_matches_sha256"] += hashlib.sha256(data).hexdigest() == document.sha256
        result["stored_equals_fresh_render"] += data == render_again(document)
print(json.dumps(result))
"""


def shell(env, code: str) -> str:
    """The last line printed by `code`, run by `manage.py shell` with Boleta imported."""
    script = f"from ayni.boletas.models import Boleta\n{code}"
    return manage(env, "shell", "--no-imports", "-c", script).split()[-1]


def pdf_count(url: str) -> int:
    with psycopg.connect(url) as connection:
        return connection.execute("SELECT count(*) FROM documents_issueddocument").fetchone()[0]


def wait_for_pdfs(url: str, at_least: int, seconds: float = 300) -> int:
    deadline = time.monotonic() + seconds
    while (count := pdf_count(url)) < at_least and time.monotonic() < deadline:
        time.sleep(0.1)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servants", type=int, default=300, help="demo servants")
    parser.add_argument("--port", type=int, default=5442, help="port of the throwaway cluster")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="ayni-drill-"))
    worker_log = var / "worker.log"
    with throwaway_cluster(args.port) as postgres:
        env = environment(
            var,
            DATABASE_URL=postgres.url,
            CELERY_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//",
            CELERY_QUEUE=f"ayni-drill-{os.getpid()}",
            LOG_FORMAT="text",
        )
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--servidores", str(args.servants))
        latest = "print(f\"{Boleta.objects.latest('period').period:%Y-%m}\")"
        period = shell(env, latest)
        expected = int(shell(env, f"print(Boleta.objects.filter(period='{period}-01', "
                                  f"entity__code='{UGEL}').count())"))  # fmt: skip

        worker = start_worker(env, worker_log)
        subprocess.run(
            [BIN / "python", "manage.py", "render_boletas", "--periodo", period, "--entidad",
             UGEL, "--lote", "5", "--no-esperar"],
            env=env, cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        at_first_kill = wait_for_pdfs(postgres.url, max(3, expected // 5))
        pool = children(worker.pid)
        os.kill(pool[0], signal.SIGKILL)  # one pool process, busy rendering

        at_second_kill = wait_for_pdfs(postgres.url, max(at_first_kill + 3, expected // 2))
        for pid in children(worker.pid):
            os.kill(pid, signal.SIGKILL)
        os.kill(worker.pid, signal.SIGKILL)  # the whole worker: its connection drops
        worker.wait()
        worker = start_worker(env, worker_log)
        finished = wait_for_pdfs(postgres.url, expected)
        time.sleep(2)  # anything still running would show up as a duplicate
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        check = json.loads(
            manage(env, "shell", "--no-imports", "-c",
                   CHECK.format(period=f"{period}-01", ugel=UGEL)).splitlines()[-1]
        )  # fmt: skip

    log = worker_log.read_text()
    report(
        f"Celery workers killed while rendering the PDFs of {period}, UGEL 07",
        {
            "boletas_to_render": expected,
            "pdfs_when_a_pool_process_was_killed": at_first_kill,
            "pdfs_when_the_whole_worker_was_killed": at_second_kill,
            "pdfs_at_the_end": finished,
            "pool_processes_lost_logged": log.count("Task handler raised error: WorkerLostError"),
            "batches_received_more_than_once": sum(
                1 for count in Counter(RECEIVED.findall(log)).values() if count > 1
            ),
            "signal_handler_errors_logged": log.count("Signal handler"),
            **check,
        },
    )


if __name__ == "__main__":
    main()
