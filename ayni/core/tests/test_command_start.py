"""A management command starts without the modules only some of its work needs (issue #15:
`manage.py` starts in under 1 s). Which modules load is checked, not the time, which depends on
the machine; docs/benchmarks.md has the timings."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# Celery (and kombu) load with the first task queued; segno draws the second step's QR code;
# tqdm is the import's progress bar; prometheus_client serves /metrics.
LOADED_WHERE_USED = {"celery", "kombu", "segno", "tqdm", "prometheus_client"}


def loaded_modules(*arguments: str) -> set[str]:
    finished = subprocess.run(  # noqa: S603  (this interpreter, our manage.py)
        [sys.executable, "-X", "importtime", "manage.py", *arguments],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    lines = (line.rsplit("|", 1)[-1].strip() for line in finished.stderr.splitlines())
    return {name.split(".")[0] for name in lines if name}


def test_the_import_command_starts_without_celery_or_what_it_uses_later():
    assert loaded_modules("import_planilla", "--help").isdisjoint(LOADED_WHERE_USED)


def test_a_task_module_still_loads_the_celery_app_and_its_signals():
    from celery.signals import task_prerun

    from ayni.core import task_signals
    from ayni.core.tasks import send_email
    from config.celery import app

    assert send_email.app is app
    assert any(receiver() is task_signals._task_started for _, receiver in task_prerun.receivers)
