"""The task queue: Celery workers in production, the same tasks in process when no broker is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ayni")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The tasks' metrics and request ids, wherever tasks run or are queued from: every task
# module imports this one first.
from ayni.core import task_signals  # noqa: E402, F401  (connects the signals)
