"""The preview of a web upload: what the file holds and what its import would do, and a
confirmation that imports exactly that or nothing."""

import pytest
from django.urls import reverse

from ayni.boletas.imports import STALE_PREVIEW
from ayni.boletas.models import Boleta, PlanillaImport
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import planilla_bytes, servant_rows
from ayni.boletas.tests.test_staff import upload
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin07(ugel07):
    return StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=ugel07).user


def rows_of(indexes, amount="2500.00", period="2022-06"):
    return [row for index in indexes for row in servant_rows(index, amount, period)]


def test_the_preview_shows_periods_entity_totals_and_counts(client, admin07, ugel07):
    assert run_import(rows_of(range(4))).ok  # 0-3 current
    client.force_login(admin07)
    # 0 unchanged, 1 and 2 changed, 3 withdrawn, 4 new; one boleta of July too
    rows = rows_of([0]) + rows_of([1, 2], amount="2600.50") + rows_of([4])
    rows += rows_of([0], period="2022-07")
    response = upload(client, planilla_bytes(rows))
    record = PlanillaImport.objects.get(origin=PlanillaImport.Origin.WEB)
    assert record.state == PlanillaImport.State.VALIDATED
    assert record.period_list == ["2022-06", "2022-07"]
    assert record.boleta_count == 5
    page = client.get(response["Location"]).content.decode()
    for text in (
        "<dt>Periodo</dt><dd>2022-06, 2022-07</dd>",
        "UGEL 07 SAN BORJA (150108)",
        "<dt>Boletas en el archivo</dt><dd>5</dd>",
        "<dt>Total bruto</dt><dd>S/ 12,701.00</dd>",
        "<dt>Total descuentos</dt><dd>S/ 500.00</dd>",
        "<dt>Total neto</dt><dd>S/ 12,201.00</dd>",
        "<dt>Boletas nuevas</dt><dd>2</dd>",
        "<dt>Boletas que reemplazan a otras</dt><dd>2</dd>",
        "<dt>Boletas sin cambios</dt><dd>1</dd>",
        "<dt>Boletas retiradas de la planilla</dt><dd>1</dd>",
    ):
        assert text in page, text
    table = page[page.index('id="afectados"') :]
    assert "DNI 45000001" in table and "Reemplaza a otra" in table
    assert "DNI 45000003" in table and "Retirada" in table
    assert "DNI 45000004" in table and "S/ 2,400.00" in table
    assert table.count('<td data-label="Documento">') == 5  # not the unchanged one


def test_the_affected_servants_are_paged_and_searched(client, admin07, ugel07):
    client.force_login(admin07)
    location = upload(client, planilla_bytes(rows_of(range(30))))["Location"]
    first = client.get(location).content.decode()
    assert first.count('<td data-label="Documento">') == 25
    assert "Página 1 de 2 (30 registros)" in first
    second = client.get(location, {"pagina": 2}).content.decode()
    assert second.count('<td data-label="Documento">') == 5
    by_document = client.get(location, {"q": "45000017"}).content.decode()
    assert by_document.count('<td data-label="Documento">') == 1
    assert "DNI 45000017" in by_document
    by_name = client.get(location, {"q": "prueba n2"}).content.decode()
    assert by_name.count('<td data-label="Documento">') == 11  # N2, N20-N29
    nothing = client.get(location, {"q": "quispe"}).content.decode()
    assert "No hay registros para mostrar" in nothing


def test_a_stale_preview_is_refused_and_nothing_applied(
    client, admin07, ugel07, django_capture_on_commit_callbacks
):
    assert run_import(rows_of(range(3))).ok
    client.force_login(admin07)
    upload(client, planilla_bytes(rows_of(range(3), amount="2600.00")))
    record = PlanillaImport.objects.get(origin=PlanillaImport.Origin.WEB)
    assert record.boletas_replaced == 3 and len(record.outcome) == 64
    # Meanwhile another import corrects one boleta of the same planilla.
    assert run_import(rows_of([0], amount="2700.00") + rows_of([1, 2])).replaced == 1
    before = set(Boleta.objects.values_list("pk", "state"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("boletas:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.state == PlanillaImport.State.REJECTED
    assert [e["mensaje"] for e in record.errors] == [STALE_PREVIEW]
    assert set(Boleta.objects.values_list("pk", "state")) == before
    assert not Boleta.objects.filter(imported_in=record).exists()
    page = client.get(reverse("boletas:import_detail", args=[record.pk])).content.decode()
    assert "Los datos cambiaron desde la vista previa" in page


def test_a_preview_still_true_is_imported(
    client, admin07, ugel07, django_capture_on_commit_callbacks
):
    assert run_import(rows_of(range(3))).ok
    client.force_login(admin07)
    upload(client, planilla_bytes(rows_of(range(3), amount="2600.00")))
    record = PlanillaImport.objects.get(origin=PlanillaImport.Origin.WEB)
    # Another planilla (July) changing meanwhile does not change this outcome.
    assert run_import(rows_of([0], period="2022-07")).ok
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("boletas:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.state == PlanillaImport.State.IMPORTED, record.errors
    assert record.boletas_replaced == 3
    assert Boleta.objects.filter(imported_in=record).count() == 3
