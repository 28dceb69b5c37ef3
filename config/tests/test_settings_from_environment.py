"""Production mode is chosen by environment variables alone (settings read in a subprocess)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
READ_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
summary = {name: getattr(settings, name) for name in [
    "DATABASES", "CACHES", "SESSION_ENGINE", "STORAGES", "WHITENOISE_USE_FINDERS",
    "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "CELERY_TASK_DEFAULT_QUEUE",
    "CELERY_TASK_ACKS_LATE", "CELERY_TASK_REJECT_ON_WORKER_LOST", "DATABASE_ROUTERS",
    "METRICS_ALLOWED_IPS", "METRICS_TOKEN", "LOGGING"]}
if "S3" in settings.STORAGES["default"]["BACKEND"]:
    summary["signed_url"] = storages["default"].url("documentos/boleta/x.pdf")
print(json.dumps(summary, default=str))
"""
PRODUCTION = {
    "DATABASE_URL": "postgres://ayni:clave@db-primario:5432/ayni",
    "DATABASE_REPLICA_URL": "postgres://ayni:clave@db-replica:5432/ayni",
    "DB_CONN_MAX_AGE": "60",
    "DB_BEHIND_PGBOUNCER": "true",
    "CACHE_URL": "rediscache://redis-1:6379/1",
    "SESSIONS_IN_CACHE": "true",
    "CELERY_BROKER_URL": "amqp://ayni:clave@rabbit:5672/ayni",
    "STATIC_MANIFEST": "true",
    "AWS_STORAGE_BUCKET_NAME": "ayni-documentos",
    "AWS_S3_ENDPOINT_URL": "http://objetos.minedu.example:9000",
    "AWS_S3_REGION_NAME": "us-east-1",
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEKEY",
    "AWS_SECRET_ACCESS_KEY": "clave-secreta-de-ejemplo",
    "METRICS_ALLOWED_IPS": "10.20.0.0/16",
    "METRICS_TOKEN": "token-prometheus",
}


def settings_under(environment: dict, tmp_path) -> dict:
    ours = ("DATABASE", "CACHE", "SESSIONS", "CELERY", "STATIC", "AWS", "METRICS", "DB_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(ours)}
    env.update(environment, AYNI_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, "-c", READ_SETTINGS], env=env, cwd=BASE_DIR,
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    return settings_under(PRODUCTION, tmp_path_factory.mktemp("prod"))


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    return settings_under({}, tmp_path_factory.mktemp("embedded"))


def test_embedded_default_needs_no_service(embedded):
    assert embedded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert "replica" not in embedded["DATABASES"]
    assert embedded["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert embedded["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert embedded["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert embedded["WHITENOISE_USE_FINDERS"] is True
    assert embedded["CELERY_TASK_ALWAYS_EAGER"] is True


def test_postgresql_primary_and_replica_with_kept_checked_connections(production):
    primary, replica = production["DATABASES"]["default"], production["DATABASES"]["replica"]
    assert (primary["HOST"], replica["HOST"]) == ("db-primario", "db-replica")
    for database in (primary, replica):
        assert database["ENGINE"] == "django.db.backends.postgresql"
        assert database["CONN_MAX_AGE"] == 60
        assert database["CONN_HEALTH_CHECKS"] is True
        assert database["OPTIONS"]["connect_timeout"] == 5
        assert database["DISABLE_SERVER_SIDE_CURSORS"] is True  # PgBouncer, transaction pooling
    assert replica["TEST"]["MIRROR"] == "default"
    assert production["DATABASE_ROUTERS"] == ["config.routers.ReplicaRouter"]


def test_redis_cache_and_sessions_fail_fast(production):
    cache = production["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://redis-1:6379/1"
    assert cache["OPTIONS"] == {"socket_connect_timeout": 2, "socket_timeout": 2}
    assert production["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"


def test_celery_workers_with_late_acknowledgement(production):
    assert production["CELERY_BROKER_URL"] == PRODUCTION["CELERY_BROKER_URL"]
    assert production["CELERY_TASK_ALWAYS_EAGER"] is False
    assert production["CELERY_TASK_ACKS_LATE"] is True
    assert production["CELERY_TASK_REJECT_ON_WORKER_LOST"] is True
    assert production["CELERY_TASK_DEFAULT_QUEUE"] == "ayni"


def test_hashed_compressed_static_files(production):
    backend = production["STORAGES"]["staticfiles"]["BACKEND"]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert production["WHITENOISE_USE_FINDERS"] is False


def test_private_object_storage_with_short_signed_links(production):
    options = production["STORAGES"]["default"]["OPTIONS"]
    assert production["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["default_acl"] == "private"
    assert options["file_overwrite"] is False
    url = production["signed_url"]
    assert url.startswith("http://objetos.minedu.example:9000/ayni-documentos/documentos/boleta/")
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=300" in url


def test_metrics_access_from_the_environment(production):
    assert production["METRICS_ALLOWED_IPS"] == ["10.20.0.0/16"]
    assert production["METRICS_TOKEN"] == "token-prometheus"


@pytest.mark.parametrize("level", ["warning", "Warning", "WARNING"])
def test_the_log_level_is_accepted_in_any_case(level, tmp_path):
    summary = settings_under({"LOG_LEVEL": level}, tmp_path)
    assert summary["LOGGING"]["root"]["level"] == "WARNING"
