"""The production web node: granian serving config.wsgi, `python -m config.granian`.

Chosen over gunicorn by ops/faults/idle_connections.py and bench/web_servers.py
(docs/operations.md, "A web node"): granian reads request lines and headers in its Rust event
loop, so clients that connect and send nothing, or half a request, hold no Django thread,
and it serves more requests per core. A body is read by the Django thread, so nginx in front
(ops/nginx/) hands the node only whole requests.

Every value comes from the environment (see docs/operations.md). The node is stateless:
sessions and cache live in Redis, files in object storage, so nodes can be added freely.
"""

import os
import shutil
import tempfile
from pathlib import Path

from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from granian.log import LogLevels
from granian.server import Server

# The names a WSGI server sets for each request; every other name the process environment
# holds is not the request's (see without_process_environment).
REQUEST_NAMES = {"REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME",
                 "SERVER_PORT", "SERVER_PROTOCOL", "REMOTE_ADDR", "REMOTE_PORT", "CONTENT_TYPE",
                 "CONTENT_LENGTH", "RAW_URI"}  # fmt: skip


def setting(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def without_process_environment(application):
    """granian copies the whole process environment (SECRET_KEY, DATABASE_URL with its
    password) into every request's environ, where error reports and request.META would
    show it: the application sees the request's own names only."""
    leaked = {
        name for name in os.environ if name not in REQUEST_NAMES and not name.startswith("HTTP_")
    }

    def application_without_process_environment(environ, start_response):
        for name in leaked:
            environ.pop(name, None)
        return application(environ, start_response)

    return application_without_process_environment


def load_application(target: str):
    """Runs in each worker process, after the fork."""
    from config.wsgi import application

    return without_process_environment(application)


def server() -> Server:
    host, _, port = os.environ.get("WEB_BIND", "127.0.0.1:8000").rpartition(":")
    level = os.environ.get("LOG_LEVEL", "info").strip().lower()
    log_config = None
    if os.environ.get("LOG_FORMAT", "text") == "json":
        log_config = {
            "formatters": {"json": {"()": "ayni.core.logs.JsonFormatter"}},
            "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
            "loggers": {"_granian": {"handlers": ["console"], "propagate": False}},
        }
    max_rss = setting("WEB_WORKERS_MAX_RSS", 1024)
    lifetime = setting("WEB_WORKERS_LIFETIME", 6 * 3600)
    return Server(
        "config.wsgi:application",
        address=host,
        port=int(port),
        interface=Interfaces.WSGI,
        # Behind the TLS proxy the node speaks plain HTTP/1.1; no HTTP/2 to defend.
        http=HTTPModes.http1,
        websockets=False,
        workers=setting("WEB_CONCURRENCY", os.cpu_count() or 1),
        # Threads running Django in each worker: they overlap database waits; each keeps
        # its own database connection (workers × threads connections per node).
        blocking_threads=setting("WEB_THREADS", 2),
        backlog=setting("WEB_BACKLOG", 1024),
        http1_settings=HTTP1Settings(
            # A client that has not sent its request headers by then is disconnected.
            header_read_timeout=setting("WEB_HEADER_TIMEOUT", 10) * 1000,
            keep_alive=os.environ.get("WEB_KEEPALIVE", "true").lower() == "true",
        ),
        log_level=LogLevels(level),
        log_dictconfig=log_config,
        # The request line is logged by ayni.core.middleware.RequestIdMiddleware, with its id.
        log_access=False,
        # A worker that dies is replaced (as gunicorn does); a slow leak never reaches payday:
        # workers are replaced, one at a time, past a memory size or an age.
        respawn_failed_workers=True,
        workers_max_rss=max_rss or None,
        workers_lifetime=lifetime or None,
        workers_kill_timeout=setting("WEB_GRACEFUL_TIMEOUT", 30),
    )


def main() -> None:
    # Each worker is a process: Prometheus counters go to files in one folder that /metrics
    # sums over (prometheus_client's multiprocess mode). Counters of a previous run would be
    # summed into this one: start from an empty folder, before any worker is forked.
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="ayni-metrics-"))
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    server().serve(target_loader=load_application)


if __name__ == "__main__":
    main()
