"""Hoja de vida and informe escalafonario: what they print, deterministic bytes, access."""

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from ayni.documents.models import IssuedDocument
from ayni.documents.services import render_again, sha256_hex
from ayni.legajo import services
from ayni.legajo.models import LegajoReport
from ayni.legajo.tests.factories import add_item

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def body(response) -> bytes:
    return response.content


def test_servant_views_and_downloads_the_hoja_de_vida(client, servant_user, legajo):
    client.force_login(servant_user)
    page = client.get(reverse("legajo:hoja_de_vida")).content.decode()
    assert "Ver hoja de vida" in page and "Descargar PDF" in page
    assert "target=" not in page  # same tab, no pop-up
    response = client.get(reverse("legajo:hoja_de_vida_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    download = client.get(reverse("legajo:hoja_de_vida_pdf") + "?descargar=1")
    assert download["Content-Disposition"].startswith("attachment")
    assert "hoja-de-vida-" in download["Content-Disposition"]

    document = IssuedDocument.objects.get(kind="hoja_de_vida", servant=servant_user.servant)
    text = pdf_text(body(response))
    servant = servant_user.servant
    for expected in (
        "HOJA DE VIDA", f"{servant.apellidos} {servant.nombres}", f"DNI {servant.document_number}",
        "UGEL 07 SAN BORJA", "I. Datos personales", "II. Formación académica",
        "IESPP José María Arguedas", "II. Capacitaciones", "IV. Desplazamientos",
        "VII. Méritos", "VIII. Deméritos", "IX. Licencias y vacaciones", "Tiempo de servicios",
        document.code, "Verifique la autenticidad",
    ):  # fmt: skip
        assert expected in text, expected
    for not_in_a_cv in ("Datos familiares", "X. Otros", "Asignaciones", "Pensión de alimentos"):
        assert not_in_a_cv not in text


def test_the_same_legajo_the_same_day_is_one_document_a_change_makes_another(
    client, servant_user, legajo
):
    client.force_login(servant_user)
    first = body(client.get(reverse("legajo:hoja_de_vida_pdf")))
    assert body(client.get(reverse("legajo:hoja_de_vida_pdf"))) == first
    assert IssuedDocument.objects.filter(kind="hoja_de_vida").count() == 1
    add_item(legajo, "meritos", descripcion="Premio a la innovación educativa")
    second = body(client.get(reverse("legajo:hoja_de_vida_pdf")))
    assert "Premio a la innovación educativa" in pdf_text(second)
    assert IssuedDocument.objects.filter(kind="hoja_de_vida", state="valida").count() == 2


def test_rendering_is_deterministic_and_survives_later_changes(servant_user, legajo):
    document = services.issue_report(legajo, LegajoReport.Kind.HOJA_DE_VIDA, servant_user)
    stored = document.file.read()
    assert sha256_hex(stored) == document.sha256
    add_item(legajo, "meritos", descripcion="Registrado después")
    legajo.servant.nombres = "OTRO NOMBRE"
    legajo.servant.save()
    document.refresh_from_db()
    assert render_again(document) == stored  # from the frozen report, not the live legajo


def test_public_summary_is_masked(servant_user, legajo):
    servant = legajo.servant
    servant.nombres, servant.apellido_paterno, servant.apellido_materno = (
        "ROSA ELENA",
        "QUISPE",
        "MAMANI",
    )
    servant.document_number = "40000001"
    servant.save()
    document = services.issue_report(legajo, LegajoReport.Kind.HOJA_DE_VIDA, servant_user)
    fields = dict(document.summary["campos"])
    assert document.summary["titulo"] == "Hoja de vida"
    assert fields["Servidor"] == "R*** E*** Q*** M***"
    assert fields["Documento de identidad"] == "DNI 4000****"
    assert fields["Unidad"] == "UGEL 07 SAN BORJA"
    assert servant.apellido_paterno not in str(document.summary)


def test_a_long_legajo_runs_over_pages_with_the_qr_on_the_last(servant_user, legajo):
    for year in range(1990, 2030):
        add_item(legajo, "capacitaciones", nombre=f"Curso de actualización docente {year}",
                 fecha_inicio=date(year, 3, 1), fecha_fin=date(year, 6, 30))  # fmt: skip
    document = services.issue_report(legajo, LegajoReport.Kind.HOJA_DE_VIDA, servant_user)
    reader = PdfReader(document.file)
    assert len(reader.pages) >= 2
    assert "Curso de actualización docente 2029" in pdf_text(document.file.open().read())
    assert "Verifique la autenticidad" in reader.pages[-1].extract_text()
    assert "Verifique la autenticidad" not in reader.pages[0].extract_text()


def test_specialist_issues_the_informe_escalafonario_with_every_section(client, specialist, legajo):
    client.force_login(specialist)
    response = client.post(reverse("legajo:informe", args=[legajo.pk]))
    document = IssuedDocument.objects.get(kind="informe_escalafonario")
    assert response["Location"] == reverse("legajo:documento", args=[document.pk])
    assert document.issued_by == specialist
    text = pdf_text(body(client.get(response["Location"])))
    for expected in ("INFORME ESCALAFONARIO", "I. Datos familiares", "V. Asignaciones",
                     "S/ 450.50", "VI. Retiro y régimen pensionario", "X. Otros",
                     document.code):  # fmt: skip
        assert expected in text, expected


def test_the_public_verification_page_answers_for_a_hoja_de_vida(client, servant_user, legajo):
    document = services.issue_report(legajo, LegajoReport.Kind.HOJA_DE_VIDA, servant_user)
    client.logout()
    page = client.get(reverse("documents:verify", args=[document.code])).content.decode()
    assert "Válido" in page and "Hoja de vida" in page
    assert f"{servant_user.servant.document_number[:4]}****" in page
    assert servant_user.servant.document_number not in page


def test_a_lost_file_is_rebuilt_byte_for_byte(client, servant_user, legajo):
    document = services.issue_report(legajo, LegajoReport.Kind.HOJA_DE_VIDA, servant_user)
    stored = document.file.read()
    document.file.storage.delete(document.file.name)
    add_item(legajo, "meritos", descripcion="Registrado después")  # the legajo moved on
    client.force_login(servant_user)
    response = client.get(reverse("legajo:documento", args=[document.pk]))
    assert response.content == stored
    assert document.file.storage.exists(document.file.name)


@time_machine.travel("2026-11-27 20:00:00-05:00", tick=False)  # already the 28th in UTC
def test_the_file_is_named_with_the_lima_date_in_the_evening(client, servant_user, legajo):
    client.force_login(servant_user)
    download = client.get(reverse("legajo:hoja_de_vida_pdf") + "?descargar=1")
    number = servant_user.servant.document_number
    assert f'filename="hoja-de-vida-{number}-20261127.pdf"' in download["Content-Disposition"]
