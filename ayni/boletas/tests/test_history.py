"""The planilla history: period and entity of each import, filters and a readable result."""

import pytest
from django.urls import reverse

from ayni.boletas.models import PlanillaImport
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import servant_rows
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db

BRENA = "150104"


@pytest.fixture
def dre_admin(ugel07):
    """A boletas administrator of the DRE: sees the imports of UGEL 07 and UGEL 03."""
    return StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=ugel07.parent).user


@pytest.fixture
def history(ugel07):
    june = run_import(servant_rows(1)).planilla_import
    july = run_import(servant_rows(1, period="2022-07")).planilla_import
    brena = run_import(
        servant_rows(2, entidad_codigo=BRENA, entidad_nombre="UGEL 03")
    ).planilla_import
    rejected = run_import(servant_rows(3, amount="x"))
    from ayni.boletas.imports import record_rejection

    record_rejection(rejected, PlanillaImport.Origin.COMMAND)
    return {"june": june, "july": july, "brena": brena}


def rows_of(page: str) -> list[str]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return body.split("<tr>")[1:]


def test_each_import_shows_its_period_entity_and_result_in_words(client, dre_admin, history):
    client.force_login(dre_admin)
    page = client.get(reverse("boletas:import_history")).content.decode()
    assert '<th scope="col">Periodo</th>' in page
    assert '<td data-label="Periodo">2022-07</td>' in page
    assert "Importado (boletas: 1 nuevas)." in page
    june_again = run_import(servant_rows(1, amount="2600.00")).planilla_import
    assert june_again.summary == "Importado (boletas: 1 reemplazadas)."


def test_a_rejected_file_says_how_many_errors_and_where_the_first_is(history):
    rejected = PlanillaImport.objects.get(state=PlanillaImport.State.REJECTED)
    assert rejected.summary == (
        "Rechazado: 1 error (el primero en la línea 2, columna «monto»). No se importó nada."
    )


def test_the_history_is_filtered_by_period_entity_and_state(client, dre_admin, history):
    client.force_login(dre_admin)
    url = reverse("boletas:import_history")
    by_period = client.get(url, {"periodo": "2022-07"}).content.decode()
    assert len(rows_of(by_period)) == 1 and "2022-07" in rows_of(by_period)[0]
    brena = Unit.objects.get(code=BRENA)
    by_entity = client.get(url, {"entidad": brena.pk}).content.decode()
    assert len(rows_of(by_entity)) == 1 and BRENA in rows_of(by_entity)[0]
    assert f'<option value="{brena.pk}">{BRENA} ' in by_period
    june = client.get(url, {"periodo": "2022-06", "estado": "importado"}).content.decode()
    assert len(rows_of(june)) == 2  # UGEL 07 and UGEL 03
    rejected = client.get(url, {"estado": "rechazado"}).content.decode()
    assert "No hay registros para mostrar" in rejected  # no entity: not the DRE's to see
    wrong = client.get(url, {"periodo": "junio"}).content.decode()
    assert "Escriba el periodo como AAAA-MM" in wrong


def test_the_export_holds_what_the_filters_show(client, dre_admin, history):
    client.force_login(dre_admin)
    url = reverse("boletas:import_history")
    page = client.get(url, {"periodo": "2022-07"}).content.decode()
    assert "exportar=csv" in page and "periodo=2022-07" in page  # the link keeps the filter
    export = client.get(url, {"periodo": "2022-07", "exportar": "csv"})
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "2022-07" in lines[1]  # the header and July's import only
