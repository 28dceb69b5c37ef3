import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas.models import Boleta, PlanillaImport
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import SAMPLE, planilla_bytes, servant_rows
from ayni.core.models import AuditEvent
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db

BRENA = "150104"  # UGEL 03 Breña, another UGEL of the same DRE


@pytest.fixture
def admin07(ugel07):
    return StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=ugel07).user


@pytest.fixture
def admin03(db):
    return StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=Unit.objects.get(code=BRENA)).user


@pytest.fixture
def boletas(sample_imported):
    """Rosa and José paid by UGEL 07; servant 45000009 paid by UGEL 03."""
    assert run_import(servant_rows(9, entidad_codigo=BRENA, entidad_nombre="UGEL 03")).ok
    return {b.servant.document_number: b for b in Boleta.objects.select_related("servant")}


def upload(client, data: bytes, name="planilla.csv"):
    return client.post(
        reverse("boletas:import_upload"), {"archivo": SimpleUploadedFile(name, data, "text/csv")}
    )


def test_staff_pages_are_for_boletas_administrators_only(client, boletas):
    client.force_login(UserFactory(servant=boletas["40000001"].servant))
    for name in ("boletas:staff_search", "boletas:import_upload", "boletas:import_history"):
        assert client.get(reverse(name)).status_code == 404
    escalafon = StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user
    client.force_login(escalafon)
    assert client.get(reverse("boletas:staff_search")).status_code == 404


def test_search_by_document_or_name_within_the_covered_units(client, admin07, boletas):
    client.force_login(admin07)
    by_document = client.get(reverse("boletas:staff_search"), {"q": "4000000"}).content.decode()
    assert "QUISPE MAMANI ROSA ELENA" in by_document and "D&#x27;ANGELO" in by_document
    by_name = client.get(reverse("boletas:staff_search"), {"q": "rosa quispe"}).content.decode()
    assert "QUISPE MAMANI ROSA ELENA" in by_name and "D&#x27;ANGELO" not in by_name
    outside = client.get(reverse("boletas:staff_search"), {"q": "45000009"}).content.decode()
    assert "No hay registros para mostrar" in outside
    assert AuditEvent.objects.filter(action="boleta.personal.busqueda").count() == 3


def test_staff_see_and_download_boletas_of_their_units(client, admin07, boletas):
    client.force_login(admin07)
    rosa = boletas["40000001"]
    page = client.get(reverse("boletas:staff_servant", args=[rosa.servant.pk])).content.decode()
    assert "JUNIO 2022" in page and "S/ 2,521.90" in page and "Cargar boleta" in page
    pdf = reverse("boletas:staff_pdf", args=[rosa.pk])
    assert f'href="{pdf}"' in page and f'href="{pdf}?descargar=1"' in page
    assert "¿Qué cambió?" not in page
    response = client.get(reverse("boletas:staff_pdf", args=[rosa.pk]), {"descargar": "1"})
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "QUISPE MAMANI ROSA ELENA"
        in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    )
    event = AuditEvent.objects.get(action="boleta.personal.descarga")
    assert (event.actor, event.target_id) == (admin07, str(rosa.pk))


def test_outside_their_units_staff_get_nothing(client, admin03, boletas):
    client.force_login(admin03)
    rosa = boletas["40000001"]
    assert client.get(reverse("boletas:staff_servant", args=[rosa.servant.pk])).status_code == 404
    assert client.get(reverse("boletas:staff_pdf", args=[rosa.pk])).status_code == 404
    theirs = boletas["45000009"]
    assert client.get(reverse("boletas:staff_pdf", args=[theirs.pk])).status_code == 200
    listing = client.get(reverse("boletas:staff_servant", args=[theirs.servant.pk]))
    assert "UGEL 03" in listing.content.decode()


def test_a_servant_paid_elsewhere_shows_only_the_boletas_of_the_covered_units(
    client, admin03, boletas
):
    rosa = boletas["40000001"]
    assert run_import(
        servant_rows(1, entidad_codigo=BRENA, entidad_nombre="UGEL 03", numero_documento="40000001")
    ).ok
    client.force_login(admin03)
    page = client.get(reverse("boletas:staff_servant", args=[rosa.servant.pk])).content.decode()
    table = page[page.index("<table") : page.index("</table>")]
    assert "UGEL 03" in table and "UGEL 07 SAN BORJA" not in table
    assert table.count('<td data-label="Periodo">') == 1


def test_upload_validate_then_confirm(
    client, admin07, demo_servants, django_capture_on_commit_callbacks
):
    client.force_login(admin07)
    response = upload(client, SAMPLE.read_bytes(), "junio.csv")
    record = PlanillaImport.objects.get()
    assert response["Location"] == reverse("boletas:import_detail", args=[record.pk])
    assert record.state == PlanillaImport.State.VALIDATED and record.boletas_created == 2
    assert not Boleta.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "El archivo no tiene errores" in page and "Confirmar importación" in page
    assert record.sha256 in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("boletas:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.state == PlanillaImport.State.IMPORTED
    assert (record.uploaded_by, record.origin) == (admin07, PlanillaImport.Origin.WEB)
    assert Boleta.objects.count() == 2 and Boleta.objects.first().imported_in == record
    assert not record.stored_file
    history = client.get(reverse("boletas:import_history")).content.decode()
    assert "junio.csv" in history and "Importado" in history and "150108" in history


def test_confirming_twice_imports_once(
    client, admin07, demo_servants, django_capture_on_commit_callbacks
):
    client.force_login(admin07)
    upload(client, SAMPLE.read_bytes())
    record = PlanillaImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("boletas:import_confirm", args=[record.pk]))
        client.post(reverse("boletas:import_confirm", args=[record.pk]))
    assert Boleta.objects.count() == 2 and PlanillaImport.objects.count() == 1


def test_a_file_changed_after_validation_is_refused(
    client, admin07, demo_servants, django_capture_on_commit_callbacks
):
    client.force_login(admin07)
    upload(client, SAMPLE.read_bytes())
    record = PlanillaImport.objects.get()
    with default_storage.open(record.stored_file.name, "wb") as stored:
        stored.write(SAMPLE.read_bytes().replace(b"2780.00", b"9780.00"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("boletas:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.state == PlanillaImport.State.REJECTED
    assert record.errors[0]["mensaje"] == "el archivo no es el que se validó: cárguelo de nuevo."
    assert not Boleta.objects.exists()


def test_an_invalid_upload_shows_every_error_and_keeps_no_file(client, admin07, ugel07):
    client.force_login(admin07)
    rows = servant_rows(1, amount="1.000,00") + servant_rows(2, periodo="2020-01")
    response = upload(client, planilla_bytes(rows))
    record = PlanillaImport.objects.get()
    assert record.state == PlanillaImport.State.REJECTED and not record.stored_file
    page = client.get(response["Location"]).content.decode()
    assert "El archivo tiene errores y no se importó nada" in page
    assert "«1.000,00» no es un monto válido" in page
    assert "El periodo es anterior a 2020-05" in page
    assert "Confirmar importación" not in page


def test_staff_cannot_load_planillas_of_other_units(client, admin03, demo_servants):
    client.force_login(admin03)
    upload(client, SAMPLE.read_bytes())
    record = PlanillaImport.objects.get()
    assert record.state == PlanillaImport.State.REJECTED
    assert record.errors[0] == {
        "linea": 2,
        "columna": "entidad_codigo",
        "mensaje": "la entidad 150108 no está entre sus unidades.",
    }


def test_an_upload_can_be_discarded(client, admin07, demo_servants):
    client.force_login(admin07)
    upload(client, SAMPLE.read_bytes())
    record = PlanillaImport.objects.get()
    stored = record.stored_file.name
    client.post(reverse("boletas:import_discard", args=[record.pk]))
    record.refresh_from_db()
    assert record.state == PlanillaImport.State.DISCARDED
    assert not default_storage.exists(stored)
    assert client.post(reverse("boletas:import_confirm", args=[record.pk])).status_code == 302
    assert not Boleta.objects.exists()


def test_a_binary_file_is_not_taken_for_a_planilla(client, admin07):
    client.force_login(admin07)
    response = upload(client, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "planilla.csv")
    assert "no una planilla CSV" in response.content.decode()
    assert not PlanillaImport.objects.exists()


def test_gzip_uploads_are_accepted(client, admin07, demo_servants):
    import gzip

    client.force_login(admin07)
    upload(client, gzip.compress(SAMPLE.read_bytes()), "junio.csv.gz")
    assert PlanillaImport.objects.get().state == PlanillaImport.State.VALIDATED


def test_history_and_details_are_scoped(client, admin07, admin03, demo_servants):
    client.force_login(admin07)
    upload(client, SAMPLE.read_bytes(), "ugel07.csv")
    record = PlanillaImport.objects.get()
    client.force_login(admin03)
    assert "ugel07.csv" not in client.get(reverse("boletas:import_history")).content.decode()
    assert client.get(reverse("boletas:import_detail", args=[record.pk])).status_code == 404
    assert client.post(reverse("boletas:import_confirm", args=[record.pk])).status_code == 404
    assert client.post(reverse("boletas:import_discard", args=[record.pk])).status_code == 404
    record.refresh_from_db()
    assert record.state == PlanillaImport.State.VALIDATED


def test_menu_entries_follow_the_role(client, admin07, demo_servants):
    client.force_login(UserFactory(servant=demo_servants[0]))
    home = client.get(reverse("core:home")).content.decode()
    assert "Mi boleta" in home and "Consulte y descargue sus boletas" in home
    assert "Cargar planilla" not in home
    client.force_login(admin07)
    home = client.get(reverse("core:home")).content.decode()
    for label in ("Boletas del personal", "Cargar planilla", "Historial de planillas"):
        assert label in home


def purge_unconfirmed(*args) -> str:
    out = io.StringIO()
    call_command("purge_unconfirmed_planillas", *args, stdout=out)
    return out.getvalue()


def test_an_upload_left_unconfirmed_is_discarded_after_the_term(client, admin07, demo_servants):
    client.force_login(admin07)
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        upload(client, SAMPLE.read_bytes(), "vieja.csv")
    record = PlanillaImport.objects.get()
    stored = record.stored_file.name
    with time_machine.travel(timezone.now() - timedelta(days=2)):  # 29 days after: kept
        assert "Se descartarían 0 planillas" in purge_unconfirmed("--dry-run")
        assert "descartadas: 0 " in purge_unconfirmed()

    out = purge_unconfirmed("--dry-run")
    assert f"Carga {record.pk}: vieja.csv, validada el " in out
    assert "Se descartarían 1 planillas sin confirmar (plazo: 30 días sin confirmar)." in out
    assert "no se borró nada" in out
    record.refresh_from_db()
    assert record.state == PlanillaImport.State.VALIDATED and default_storage.exists(stored)

    assert "Planillas sin confirmar descartadas: 1 " in purge_unconfirmed()
    record.refresh_from_db()
    assert record.state == PlanillaImport.State.DISCARDED and not default_storage.exists(stored)
    assert AuditEvent.objects.filter(action="planilla.descarte", actor__isnull=True).count() == 1
