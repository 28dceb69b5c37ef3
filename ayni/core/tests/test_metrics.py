"""/metrics: Prometheus counters of requests and tasks, for allowed scrapers only."""

import time

import pytest
from celery import Celery, shared_task
from celery.contrib.testing.worker import start_worker
from prometheus_client import REGISTRY

from ayni.core.logs import current_request_id
from ayni.core.tests.test_availability import database_unreachable
from config.celery import app as project_app


@shared_task(name="ayni.core.tests.sample_task")
def sample_task(fail=False):
    if fail:
        raise ValueError("falla de prueba")
    return "hecho"


def _sample(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0


@pytest.mark.django_db
def test_loopback_reads_request_counters(client):
    before = _sample("django_http_requests_total_by_method_total", method="GET")
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert _sample("django_http_requests_total_by_method_total", method="GET") == before + 2


@pytest.mark.parametrize(
    "remote, forwarded",
    [("203.0.113.5", ""), ("203.0.113.5", "127.0.0.1"), ("10.1.2.3", "")],
)
def test_other_addresses_are_refused(client, remote, forwarded):
    response = client.get("/metrics", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 403
    assert b"django_http" not in response.content


@pytest.mark.django_db
def test_an_allowed_network_may_scrape(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


@pytest.mark.django_db
def test_a_bearer_token_opens_it_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "token-de-prometheus-123"
    outside = {"REMOTE_ADDR": "203.0.113.5"}
    good = client.get("/metrics", HTTP_AUTHORIZATION="Bearer token-de-prometheus-123", **outside)
    assert good.status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer otro", **outside).status_code == 403
    assert client.get("/metrics", **outside).status_code == 403


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_request_counters_are_served_while_the_database_is_down(client):
    with database_unreachable():
        response = client.get("/metrics")
    assert response.status_code == 200
    assert b"django_http_requests_total_by_method_total" in response.content


def test_tasks_are_counted_by_name_and_state():
    name = "ayni.core.tests.sample_task"
    ok_before = _sample("ayni_tasks_total", task=name, state="SUCCESS")
    failed_before = _sample("ayni_tasks_total", task=name, state="FAILURE")
    timed_before = _sample("ayni_task_duration_seconds_count", task=name)
    sample_task.delay()
    sample_task.delay(fail=True)
    assert _sample("ayni_tasks_total", task=name, state="SUCCESS") == ok_before + 1
    assert _sample("ayni_tasks_total", task=name, state="FAILURE") == failed_before + 1
    assert _sample("ayni_task_duration_seconds_count", task=name) == timed_before + 2


# A Celery app of its own with an in-memory broker: the project's app stays as configured.
queue_app = Celery("ayni-test", broker="memory://", set_as_current=False)
queue_app.conf.broker_transport_options = {"polling_interval": 0.05}
seen_request_ids = []


@queue_app.task(name="ayni.core.tests.remember_request_id")
def remember_request_id():
    seen_request_ids.append(current_request_id.get())


def test_a_queued_task_logs_with_the_request_id_that_queued_it():
    """Through a broker and a worker thread, as Celery workers run it."""
    try:
        with start_worker(queue_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            token = current_request_id.set("solicitud-0042")
            try:
                remember_request_id.delay()
            finally:
                current_request_id.reset(token)
            for _ in range(100):
                if seen_request_ids:
                    break
                time.sleep(0.05)
    finally:
        # start_worker makes its app the current one; shared tasks must go back to ours.
        project_app.set_current()
        project_app.set_default()
    assert seen_request_ids == ["solicitud-0042"]
