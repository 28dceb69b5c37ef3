"""Background tasks, observed: Prometheus counters per task and the request id in their logs.

Connected once, when the Celery app is created (config.celery); the same signals fire for
tasks run in process (embedded mode) and in Celery workers.
"""

import logging
import os
import time
from pathlib import Path

from celery.signals import before_task_publish, task_postrun, task_prerun, worker_ready
from prometheus_client import Counter, Histogram

from ayni.core.logs import current_request_id

logger = logging.getLogger("ayni.tasks")

TASKS = Counter("ayni_tasks_total", "Background tasks finished, by task and final state.",
                ["task", "state"])  # fmt: skip
TASK_SECONDS = Histogram(
    "ayni_task_duration_seconds",
    "Time spent running background tasks.",
    ["task"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900),
)
REQUEST_ID_HEADER = "ayni_request_id"
# In multiprocess mode prometheus_client writes a file there from the first count on; a
# worker-only node has no gunicorn to create the folder.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
# task id -> (start time, token to restore the previous request id)
_running: dict[str, tuple[float, object]] = {}


@before_task_publish.connect
def _pass_request_id(headers=None, **kwargs):
    request_id = current_request_id.get()
    if headers is not None and request_id != "-":
        headers[REQUEST_ID_HEADER] = request_id


@task_prerun.connect
def _task_started(task_id=None, task=None, **kwargs):
    request_id = getattr(task.request, REQUEST_ID_HEADER, None)
    token = current_request_id.set(request_id) if request_id else None
    _running[task_id] = (time.perf_counter(), token)


@task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, **kwargs):
    TASKS.labels(task.name, state or "UNKNOWN").inc()
    if task_id not in _running:
        return
    started, token = _running.pop(task_id)
    TASK_SECONDS.labels(task.name).observe(time.perf_counter() - started)
    if token is not None:
        current_request_id.reset(token)


@worker_ready.connect
def _serve_worker_metrics(**kwargs):
    """A worker node without a web process publishes its counters on CELERY_METRICS_PORT."""
    port = int(os.environ.get("CELERY_METRICS_PORT", "0"))
    if not port:
        return
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = None
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    address = os.environ.get("CELERY_METRICS_ADDRESS", "127.0.0.1")
    start_http_server(port, addr=address, **({"registry": registry} if registry else {}))
    logger.info("Métricas del worker en http://%s:%s/metrics", address, port)
