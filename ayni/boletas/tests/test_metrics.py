"""The planilla imports as Prometheus metrics, on /metrics, read from their history."""

import re

import pytest

from ayni.boletas.models import PlanillaImport
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import servant_rows

pytestmark = pytest.mark.django_db


def metric(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    return float(match[1]) if match else 0.0


def test_imports_are_counted_by_origin_result_and_boletas(client, ugel07):
    assert run_import([row for i in range(3) for row in servant_rows(i)]).ok
    assert run_import(servant_rows(0, amount="2600.00") + servant_rows(1)).ok
    assert not run_import(servant_rows(9, periodo="2022-13")).ok
    finished = PlanillaImport.objects.latest("finished_at").finished_at

    text = client.get("/metrics").content.decode()
    assert metric(text, 'ayni_planilla_imports{origin="comando",state="importado"}') == 2
    assert metric(text, 'ayni_planilla_import_boletas_total{result="created"}') == 3
    assert metric(text, 'ayni_planilla_import_boletas_total{result="replaced"}') == 1
    assert metric(text, 'ayni_planilla_import_boletas_total{result="unchanged"}') == 1
    assert metric(text, 'ayni_planilla_import_boletas_total{result="withdrawn"}') == 1
    assert metric(text, "ayni_planilla_import_lines_total") == 10
    assert metric(text, "ayni_planilla_import_last_finished_timestamp_seconds") == pytest.approx(
        finished.timestamp()
    )


def test_outsiders_do_not_see_them(client, ugel07):
    assert run_import(servant_rows(0)).ok
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 403
    assert b"ayni_planilla" not in response.content
