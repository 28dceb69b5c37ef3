"""gunicorn settings of a web node: `gunicorn -c config/gunicorn.py config.wsgi`.

Every value comes from the environment (see docs/operations.md). The node is stateless:
sessions and cache live in Redis, files in object storage, so nodes can be added freely.
"""

import os
import shutil
import tempfile
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", os.environ.get("WEB_BIND", "127.0.0.1:8000")).split(",")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# With threads > 1 gunicorn uses its threaded worker (gthread): one process, several requests.
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so that a slow leak never reaches payday.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# The workers' heartbeat files (gunicorn makes them private); a busy disk would delay them.
_SHARED_MEMORY = Path("/dev/shm")  # noqa: S108
if _SHARED_MEMORY.is_dir():
    worker_tmp_dir = str(_SHARED_MEMORY)
proc_name = "ayni-web"
control_socket_disable = True  # not used; nodes are driven by signals (HUP, TTIN, TERM)

# The request line is logged by ayni.core.middleware.RequestIdMiddleware, with its id.
accesslog = None
errorlog = "-"
# The same variable as Django's LOGGING (config/settings.py), in any case: gunicorn wants it
# in lower case, logging in upper case.
loglevel = os.environ.get("LOG_LEVEL", "info").strip().lower()
if os.environ.get("LOG_FORMAT", "text") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "ayni.core.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {"gunicorn.error": {"handlers": ["console"], "propagate": False}},
    }

# Each worker is a process: Prometheus counters go to files in one folder that /metrics
# sums over (prometheus_client's multiprocess mode). Set before any worker imports it.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="ayni-metrics-"))


def on_starting(server):
    """Counters of a previous run would be summed into this one: start from an empty folder."""
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
