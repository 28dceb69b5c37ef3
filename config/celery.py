"""The task queue: Celery workers in production, the same tasks in process when no broker is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ayni")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
