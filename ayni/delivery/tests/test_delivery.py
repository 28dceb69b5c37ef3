"""Proof of electronic delivery: each view and download, the consent, the constancia."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import post_login
from ayni.boletas.models import Boleta
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import SAMPLE, boleta_rows
from ayni.core.formats import datetime_dmy
from ayni.core.models import AuditEvent
from ayni.delivery import events
from ayni.delivery.models import BoletaAccess, DeliveryConsent, DeliveryReceipt
from ayni.documents import signing
from ayni.documents.models import IssuedDocument
from ayni.documents.services import render_again
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import ServantFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db
UA = "Mozilla/5.0 (Linux; Android 14) Prueba"


@pytest.fixture
def rosa(demo_servants):
    return UserFactory(servant=demo_servants[0])


@pytest.fixture
def boleta(sample_imported, demo_servants):
    return Boleta.objects.get(servant=demo_servants[0])


@pytest.fixture
def admin(ugel07):
    return StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=ugel07).user


@pytest.fixture
def other_admin(db):
    """An administrador de boletas of another UGEL (Lima's UGEL 04)."""
    return StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=Unit.objects.get(code="150104")).user


def open_pdf(client, boleta, download=False):
    url = reverse("boletas:pdf", args=[boleta.pk]) + ("?descargar=1" if download else "")
    return client.get(url, HTTP_USER_AGENT=UA, REMOTE_ADDR="190.12.34.56")


# --- proof of access ---------------------------------------------------------------------
def test_each_view_and_download_of_ones_own_boleta_is_recorded(client, rosa, boleta):
    client.force_login(rosa)
    assert open_pdf(client, boleta).status_code == 200
    assert open_pdf(client, boleta, download=True).status_code == 200
    accesses = list(BoletaAccess.objects.filter(boleta=boleta).order_by("at", "pk"))
    assert [a.kind for a in accesses] == [BoletaAccess.Kind.VIEW, BoletaAccess.Kind.DOWNLOAD]
    assert {a.ip for a in accesses} == {"190.12.34.56"}
    assert {a.user_agent for a in accesses} == {UA}


def test_the_year_zip_records_a_download_of_each_boleta(client, rosa, boleta):
    client.force_login(rosa)
    assert client.get(reverse("boletas:year_zip", args=[2022])).status_code == 200
    assert BoletaAccess.objects.get(boleta=boleta).kind == BoletaAccess.Kind.DOWNLOAD


def test_a_staff_look_is_not_a_delivery_to_the_servant(client, admin, boleta):
    client.force_login(admin)
    assert client.get(reverse("boletas:staff_pdf", args=[boleta.pk])).status_code == 200
    assert not BoletaAccess.objects.exists()


def test_another_servants_boleta_records_nothing(client, boleta, demo_servants):
    client.force_login(UserFactory(servant=demo_servants[1]))
    assert open_pdf(client, boleta).status_code == 404
    assert not BoletaAccess.objects.exists()


def test_proofs_are_never_changed_nor_deleted(client, rosa, boleta):
    client.force_login(rosa)
    open_pdf(client, boleta)
    access = BoletaAccess.objects.get()
    access.ip = "10.0.0.1"
    with pytest.raises(ValidationError):
        access.save()
    with pytest.raises(ValidationError):
        access.delete()
    with pytest.raises(ValidationError):
        BoletaAccess.objects.update(ip=None)
    with pytest.raises(ValidationError):
        BoletaAccess.objects.all().delete()
    client.post(reverse("delivery:terms"))
    with pytest.raises(ValidationError):
        DeliveryConsent.objects.all().delete()
    assert BoletaAccess.objects.get().ip == "190.12.34.56"


def test_mi_boleta_says_when_the_boleta_was_published_and_first_seen(client, rosa, boleta):
    client.force_login(rosa)
    published = datetime_dmy(boleta.imported_in.finished_at)
    page = client.get(reverse("boletas:mine")).content.decode()
    assert f"Publicada: {published}" in page
    assert "Aún no vista" in page
    open_pdf(client, boleta, download=True)
    open_pdf(client, boleta)
    first = BoletaAccess.objects.order_by("at").first().at
    page = client.get(reverse("boletas:mine")).content.decode()
    assert f"Vista por primera vez: {datetime_dmy(first)}" in page
    assert "Aún no vista" not in page


# --- consent -----------------------------------------------------------------------------
def test_after_sign_in_a_servant_is_asked_until_they_accept(client, rosa, boleta):
    post_login(client, rosa.username, PASSWORD)
    home = client.get("/").content.decode()
    assert "Leer y aceptar" in home
    # Until accepted, everything can still be read.
    assert open_pdf(client, boleta).status_code == 200
    terms = client.get(reverse("delivery:terms")).content.decode()
    assert "Decreto Legislativo N° 1310" in terms
    response = client.post(
        reverse("delivery:terms"), {"next": "/boletas/mi-boleta/"},
        HTTP_USER_AGENT=UA, REMOTE_ADDR="190.12.34.56",
    )  # fmt: skip
    assert response.status_code == 302 and response.url == "/boletas/mi-boleta/"
    consent = DeliveryConsent.objects.get(account=rosa)
    assert consent.terms.version == "2026-11"
    assert "Decreto Legislativo N° 1310" in consent.terms.text
    assert (consent.ip, consent.user_agent) == ("190.12.34.56", UA)
    assert "Leer y aceptar" not in client.get("/").content.decode()
    assert AuditEvent.objects.filter(action=events.CONSENTED, actor=rosa).count() == 1
    # Accepting again changes nothing; the next sign-in does not ask.
    client.post(reverse("delivery:terms"))
    assert DeliveryConsent.objects.filter(account=rosa).count() == 1
    client.logout()
    post_login(client, rosa.username, PASSWORD)
    assert "Leer y aceptar" not in client.get("/").content.decode()


def test_a_new_text_is_asked_again(client, rosa, settings, tmp_path):
    client.force_login(rosa)
    client.post(reverse("delivery:terms"))
    (tmp_path / "entrega.txt").write_text("Nuevo texto de entrega electrónica.")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    settings.AYNI_EDELIVERY_TERMS_TEMPLATE = "entrega.txt"
    settings.AYNI_EDELIVERY_TERMS_VERSION = "2027-01"
    client.logout()
    post_login(client, rosa.username, PASSWORD)
    assert "Leer y aceptar" in client.get("/").content.decode()
    page = client.get(reverse("delivery:terms")).content.decode()
    assert "Nuevo texto de entrega electrónica." in page
    assert "Aceptó una versión anterior" in page
    client.post(reverse("delivery:terms"))
    assert sorted(DeliveryConsent.objects.values_list("terms__version", flat=True)) == [
        "2026-11", "2027-01",
    ]  # fmt: skip


def test_terms_next_never_leaves_the_site(client, rosa):
    client.force_login(rosa)
    response = client.post(reverse("delivery:terms"), {"next": "https://evil.example/"})
    assert response.url == reverse("delivery:terms")


def test_an_account_without_a_servant_has_nothing_to_accept(client, admin):
    client.force_login(admin)
    assert client.get(reverse("delivery:terms")).status_code == 404
    assert client.post(reverse("delivery:terms")).status_code == 404
    assert not DeliveryConsent.objects.exists()


def test_the_ugel_sees_who_has_not_accepted(client, admin, other_admin, demo_servants):
    rosa = UserFactory(servant=demo_servants[0])
    UserFactory(servant=demo_servants[1])
    elsewhere = ServantFactory(unit=Unit.objects.get(code="150104"))
    UserFactory(servant=elsewhere)
    client.force_login(rosa)
    client.post(reverse("delivery:terms"))
    client.force_login(admin)
    url = reverse("delivery:staff_consents")
    page = client.get(url).content.decode()
    assert "QUISPE" in page and "D&#x27;ANGELO" in page
    assert elsewhere.document_number not in page
    pending = client.get(url, {"pendientes": "on"}).content.decode()
    assert "D&#x27;ANGELO" in pending and "QUISPE" not in pending
    exported = client.get(url, {"pendientes": "on", "exportar": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [(r[1], r[5]) for r in rows[1:]] == [("40000002", "No")]
    client.force_login(other_admin)
    assert "40000001" not in client.get(url).content.decode()


def test_only_boletas_administrators_see_the_consents(client, rosa):
    client.force_login(rosa)
    assert client.get(reverse("delivery:staff_consents")).status_code == 404
    client.force_login(StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user)
    assert client.get(reverse("delivery:staff_consents")).status_code == 404


# --- the constancia de entrega -----------------------------------------------------------
def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_planilla_constancia_lists_publication_first_view_downloads_and_consent(
    client, rosa, boleta, admin
):
    client.force_login(rosa)
    client.post(reverse("delivery:terms"))
    open_pdf(client, boleta)
    open_pdf(client, boleta, download=True)
    first_view = BoletaAccess.objects.order_by("at").first().at
    client.force_login(admin)
    url = reverse("delivery:planilla_receipt", args=[boleta.imported_in_id])
    response = client.post(url, {"formato": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    check = signing.check_signature(pdf)
    assert check.signed and check.valid and not check.altered
    document = IssuedDocument.objects.get(kind="constancia_entrega")
    assert document.servant is None and document.issued_by == admin
    text = pdf_text(pdf)
    assert "Constancia de entrega electrónica" in text
    assert "40000001" in text and "40000002" in text
    # What the PDF prints, row by row (its cells wrap, so its text interleaves them).
    (rosa_row,) = [
        r for r in DeliveryReceipt.objects.get().data["filas"] if "40000001" in r["documento"]
    ]
    assert rosa_row["publicada"] == datetime_dmy(boleta.imported_in.finished_at)
    assert rosa_row["primera_vista"] == datetime_dmy(first_view)
    assert (rosa_row["vistas"], rosa_row["descargas"]) == (1, 1)
    assert rosa_row["aceptacion"].endswith("(versión 2026-11)")
    assert rosa_row["emitida"] and rosa_row["codigo"]
    assert render_again(document) == pdf  # rendered again from the frozen rows, same bytes
    # The public page shows the constancia and its signer, nothing personal.
    page = client.get(reverse("documents:verify", args=[document.code])).content.decode()
    assert "Constancia de entrega electrónica de boletas de pago" in page
    assert "40000001" not in page and "QUISPE" not in page
    # The CSV lists the same rows.
    exported = client.post(url, {"formato": "csv"})
    rows = {
        r["Documento"]: r for r in csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")))
    }
    assert rows["DNI 40000001"]["Vista por primera vez"] == datetime_dmy(first_view)
    assert (rows["DNI 40000001"]["Vistas"], rows["DNI 40000001"]["Descargas"]) == ("1", "1")
    assert rows["DNI 40000002"]["Vista por primera vez"] == ""
    assert rows["DNI 40000002"]["Aceptó la entrega electrónica"] == ""
    assert AuditEvent.objects.filter(action=events.RECEIPT_ISSUED).count() == 2


def test_servant_constancia_lists_each_access_of_the_months_chosen(client, rosa, admin):
    assert run_import(SAMPLE.read_bytes()).ok
    assert run_import(boleta_rows(periodo="2022-05")).ok
    may, june = Boleta.objects.filter(servant=rosa.servant).order_by("period")
    client.force_login(rosa)
    open_pdf(client, may, download=True)
    open_pdf(client, june)
    client.force_login(admin)
    url = reverse("delivery:servant_receipt", args=[rosa.servant_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"desde": "2022-06", "hasta": "2022-06", "formato": "pdf"})
    text = pdf_text(response.content)
    assert "JUNIO 2022" in text and "MAYO 2022" not in text
    assert "Accesos del servidor a sus boletas" in text and "190.12.34.56" in text
    receipt = DeliveryReceipt.objects.get()
    assert receipt.scope == DeliveryReceipt.Scope.SERVANT and receipt.servant == rosa.servant
    assert [a["accion"] for a in receipt.data["accesos"]] == ["Vista"]


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"desde": "2022-13", "hasta": "2022-06"}, "desde", "AAAA-MM"),
        ({"desde": "2022-07", "hasta": "2022-06"}, "hasta", "posterior"),
        ({"desde": "2019-01", "hasta": "2022-06"}, "desde", "Debe estar entre 2020-05"),
        ({"desde": "2022-06", "hasta": "2022-06", "formato": "zip"}, "formato", "Elija el formato"),
    ],
)
def test_bad_months_or_format_are_explained_and_issue_nothing(
    client, admin, boleta, rosa, data, field, message
):
    client.force_login(admin)
    url = reverse("delivery:servant_receipt", args=[rosa.servant_id])
    response = client.post(url, {"formato": "pdf", **data})
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert (
        not DeliveryReceipt.objects.exists()
        and not IssuedDocument.objects.filter(kind="constancia_entrega").exists()
    )


def test_another_ugels_administrator_gets_no_constancia(client, other_admin, boleta, rosa):
    client.force_login(other_admin)
    planilla_url = reverse("delivery:planilla_receipt", args=[boleta.imported_in_id])
    assert client.post(planilla_url, {"formato": "csv"}).status_code == 404
    servant_url = reverse("delivery:servant_receipt", args=[rosa.servant_id])
    assert client.get(servant_url).status_code == 404
    assert client.post(servant_url, {"desde": "2022-06", "hasta": "2022-06",
                                     "formato": "pdf"}).status_code == 404  # fmt: skip
    assert not DeliveryReceipt.objects.exists()


def test_a_servant_cannot_ask_for_a_constancia(client, rosa, boleta):
    client.force_login(rosa)
    url = reverse("delivery:planilla_receipt", args=[boleta.imported_in_id])
    assert client.post(url, {"formato": "pdf"}).status_code == 404
    url = reverse("delivery:servant_receipt", args=[rosa.servant_id])
    assert client.get(url).status_code == 404


def test_the_constancia_lists_only_boletas_the_administrator_covers(client, admin, rosa):
    """A servant paid by two UGELs: one UGEL's constancia holds only its own boletas."""
    assert run_import(SAMPLE.read_bytes()).ok
    elsewhere = boleta_rows(
        periodo="2022-05", entidad_codigo="150104", entidad_nombre="UGEL 04 COMAS"
    )
    assert run_import(elsewhere).ok
    client.force_login(admin)
    url = reverse("delivery:servant_receipt", args=[rosa.servant_id])
    client.post(url, {"desde": "2022-01", "hasta": "2022-12", "formato": "pdf"})
    rows = DeliveryReceipt.objects.get().data["filas"]
    assert [r["periodo"] for r in rows] == ["JUNIO 2022"]


def test_the_constancia_rows_do_not_read_the_boletas_conceptos(boleta):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from ayni.delivery.selectors import delivery_rows

    with CaptureQueriesContext(connection) as queries:
        rows = delivery_rows(Boleta.objects.filter(pk=boleta.pk), timezone.now())
    assert [row["periodo"] for row in rows] == ["JUNIO 2022"]
    assert rows[0]["documento"] == "DNI 40000001" and "QUISPE" in rows[0]["servidor"]
    assert not any("conceptos" in query["sql"] for query in queries.captured_queries)
