"""Supporting documents: PDF, JPG or PNG by content, at most 5 MB, served only to whom may see."""

import hashlib

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from ayni.core.models import AuditEvent
from ayni.core.tests.storage import stored_names
from ayni.documents.models import IssuedDocument
from ayni.legajo import services
from ayni.legajo.models import Attachment, ChangeRequest, LegajoReport
from ayni.legajo.sections import get_section
from ayni.legajo.tests.factories import SAMPLES

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00\xff\xd9"  # a 1 × 1 frame
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
MB = 1024 * 1024
OTROS = get_section("otros")


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "mime", "suffix"),
    [
        ("constancia.pdf", PDF, "application/pdf", ".pdf"),
        ("foto.JPG", JPG, "image/jpeg", ".jpg"),
        ("captura.png", PNG, "image/png", ".png"),
        ("mal-nombrado.pdf", PNG, "image/png", ".png"),  # the content decides, not the name
    ],
)
def test_pdf_jpg_and_png_are_accepted_by_content(legajo, name, content, mime, suffix):
    attachment = services.attach(legajo, OTROS, upload(name, content))
    assert (attachment.original_name, attachment.content_type) == (name, mime)
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    # Stored through the default storage under a random name, never the one uploaded.
    assert attachment.file.name.startswith("legajo/adjuntos/")
    assert attachment.file.name.endswith(suffix) and name not in attachment.file.name
    assert default_storage.open(attachment.file.name).read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("constancia.pdf", b"esto no es un PDF, solo texto con nombre de PDF"),
        ("foto.jpg", EXE),
        ("pagina.png", b"<html><script>alert(1)</script></html>"),
        ("vacio.pdf", b""),
    ],
)
def test_anything_else_is_refused_whatever_its_name(legajo, name, content):
    with pytest.raises(ValidationError) as error:
        services.attach(legajo, OTROS, upload(name, content))
    assert f"«{name}»" in error.value.messages[0]
    assert not Attachment.objects.exists()


def test_five_megabytes_at_most(legajo):
    services.attach(legajo, OTROS, upload("justo.pdf", PDF + b"0" * (5 * MB - len(PDF))))
    with pytest.raises(
        ValidationError, match="«grande.pdf» pesa 6.0 MB; el máximo es 5 MB por archivo"
    ):
        services.attach(legajo, OTROS, upload("grande.pdf", PDF + b"0" * (6 * MB - len(PDF))))
    assert Attachment.objects.count() == 1


def test_at_most_five_per_request(legajo):
    for index in range(5):
        services.attach(legajo, OTROS, upload(f"doc{index}.pdf", PDF))
    with pytest.raises(ValidationError, match="como máximo 5 documentos"):
        services.attach(legajo, OTROS, upload("sexto.pdf", PDF))


def test_upload_page_reports_the_error_in_spanish(client, servant_user, legajo):
    client.force_login(servant_user)
    url = reverse("legajo:adjuntar", args=["otros"])
    page = client.post(url, {"archivo": upload("notas.pdf", b"texto plano")}, follow=True)
    assert "Adjunto: «notas.pdf» no es un PDF, JPG ni PNG" in page.content.decode()
    page = client.post(url, {"archivo": upload("recibo.pdf", PDF)}, follow=True)
    assert "Documento adjuntado al borrador." in page.content.decode()
    assert "recibo.pdf" in page.content.decode()


@pytest.mark.usefixtures("storage")
def test_removing_an_attachment_deletes_its_file(
    client, servant_user, legajo, django_capture_on_commit_callbacks
):
    attachment = services.attach(legajo, OTROS, upload("recibo.pdf", PDF))
    name = attachment.file.name
    client.force_login(servant_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("legajo:quitar_adjunto", args=["otros", attachment.pk]))
    assert not Attachment.objects.exists()
    assert not default_storage.exists(name)


@pytest.mark.usefixtures("storage")
def test_served_to_the_owner_inline_or_as_download_and_audited(client, servant_user, legajo):
    attachment = services.attach(legajo, OTROS, upload("recibo luz.pdf", PDF))
    client.force_login(servant_user)
    url = reverse("legajo:adjunto", args=[attachment.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PDF
    assert client.get(url + "?descargar=1")["Content-Disposition"].startswith("attachment")
    assert (
        AuditEvent.objects.filter(
            actor=servant_user, action="legajo.adjunto_ver", target_id=str(attachment.pk)
        ).count()
        == 2
    )


def test_specialists_see_attachments_of_submitted_requests_of_their_units_only(
    client, servant_user, legajo, specialist, other_ugel_specialist, other_user
):
    services.propose_new(legajo, OTROS, SAMPLES["otros"])
    attachment = services.attach(legajo, OTROS, upload("recibo.pdf", PDF))
    url = reverse("legajo:adjunto", args=[attachment.pk])
    client.force_login(specialist)
    assert client.get(url).status_code == 404  # still a draft: not theirs to see yet
    draft = ChangeRequest.objects.get(legajo=legajo, state="borrador")
    services.submit(draft, "", servant_user)
    assert client.get(url).status_code == 200
    client.force_login(other_ugel_specialist)
    assert client.get(url).status_code == 404
    client.force_login(other_user)
    assert client.get(url).status_code == 404


@pytest.mark.usefixtures("s3_down")
def test_a_store_that_fails_leaves_no_attachment(legajo):
    with pytest.raises(EndpointConnectionError):
        services.attach(legajo, OTROS, upload("recibo.pdf", PDF))
    assert not Attachment.objects.exists()


@pytest.mark.usefixtures("storage")
def test_a_report_whose_audit_line_fails_leaves_no_file(legajo, servant_user, monkeypatch):
    """The report's PDF is stored by the issue path, the audit line written after it: if
    that fails, the whole report goes, its file too."""

    def refused(*args, **kwargs):
        raise DatabaseError("la base de datos no respondió")

    monkeypatch.setattr(services.audit, "record", refused)
    with pytest.raises(DatabaseError):
        services.issue_report(legajo, LegajoReport.Kind.HOJA_DE_VIDA, servant_user)
    assert not IssuedDocument.objects.exists()
    assert stored_names() == []
