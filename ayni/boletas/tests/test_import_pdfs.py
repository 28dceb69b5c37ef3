"""The boletas administrator makes a planilla's PDFs ahead from its import's page."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ayni.boletas.models import Boleta
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import servant_rows
from ayni.core.models import AuditEvent
from ayni.documents.models import IssuedDocument
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db

BRENA = "150104"


@pytest.fixture
def admin07(ugel07):
    return StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=ugel07).user


@pytest.fixture
def imported(ugel07):
    """June 2022 of UGEL 07, four servants, one of them corrected later (one annulled)."""
    assert run_import([row for n in range(4) for row in servant_rows(n)]).ok
    result = run_import(
        [row for n in range(3) for row in servant_rows(n)] + servant_rows(3, amount="2600.00")
    )
    assert result.replaced == 1
    run_import(servant_rows(5, period="2022-07"))  # another period: not this planilla's
    return result.planilla_import


def documents_of(boletas) -> int:
    return IssuedDocument.objects.filter(
        source_type=ContentType.objects.get_for_model(Boleta),
        source_id__in=[b.pk for b in boletas],
    ).count()


def test_the_pdfs_are_made_from_the_import_page_with_their_progress(
    client, admin07, imported, django_capture_on_commit_callbacks
):
    client.force_login(admin07)
    detail = reverse("boletas:import_detail", args=[imported.pk])
    progress = reverse("boletas:import_pdf_progress", args=[imported.pk])
    page = client.get(detail).content.decode()
    assert 'PDF generados: <strong data-field="generados">0</strong> de ' in page
    assert '<strong data-field="total">4</strong>' in page
    assert "Generar los PDF" in page and ">Actualizar</a>" in page
    assert "boletas/pdf-progress.js" in page
    assert client.get(progress).json() == {"generados": 0, "total": 4, "terminado": False}

    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(reverse("boletas:import_render_pdfs", args=[imported.pk]))
    assert response["Location"] == detail + "#pdf"
    assert len(queued) == 1  # one batch for the workers
    assert client.get(progress).json() == {"generados": 4, "total": 4, "terminado": True}
    june = Boleta.objects.filter(period="2022-06-01")
    assert documents_of(june.filter(state=Boleta.State.CURRENT)) == 4
    assert documents_of(june.filter(state=Boleta.State.ANNULLED)) == 0
    assert documents_of(Boleta.objects.filter(period="2022-07-01")) == 0
    page = client.get(detail).content.decode()
    assert "Generar los PDF" not in page and "pdf-progress.js" not in page
    assert AuditEvent.objects.filter(action="planilla.pdf", actor=admin07).count() == 1

    with django_capture_on_commit_callbacks(execute=True) as queued:  # again: nothing to do
        client.post(reverse("boletas:import_render_pdfs", args=[imported.pk]))
    assert queued == [] and documents_of(june) == 4


def test_only_for_the_administrators_of_its_entities(client, imported, ugel07):
    other = StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=Unit.objects.get(code=BRENA)).user
    client.force_login(other)
    assert client.post(reverse("boletas:import_render_pdfs", args=[imported.pk])).status_code == 404
    assert client.get(reverse("boletas:import_pdf_progress", args=[imported.pk])).status_code == 404
    assert documents_of(Boleta.objects.all()) == 0
