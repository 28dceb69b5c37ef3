import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ayni.core.models import AuditEvent
from ayni.documents import signing
from ayni.documents.services import annul_documents_of, issue_document
from ayni.organizations.tests.factories import ServantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(servant_card_kind):
    servant = ServantFactory(nombres="ROSA ELENA", apellido_paterno="QUISPE",
                             apellido_materno="MAMANI", document_number="40000001")  # fmt: skip
    return issue_document(servant_card_kind, servant, servant)


def test_the_form_leads_to_the_code_page_without_login(client, document):
    response = client.get(reverse("documents:verify_form"), {"codigo": f" {document.code} "})
    assert response.status_code == 302
    assert response["Location"] == f"/verificar/{document.code}/"


def test_a_malformed_code_is_explained(client):
    page = client.get(reverse("documents:verify_form"), {"codigo": "abc"}).content.decode()
    assert "El código tiene de 16 a 32 caracteres" in page


def test_a_valid_document_shows_its_public_data(client, document):
    response = client.get(reverse("documents:verify", args=[document.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Válido" in page
    assert "Ficha de prueba" in page
    assert "R*** E*** Q*** M***" in page and "4000****" in page
    assert "ROSA" not in page and "40000001" not in page
    assert document.sha256 in page


def test_an_annulled_document_says_so(client, document):
    annul_documents_of(document.source)
    page = client.get(reverse("documents:verify", args=[document.code])).content.decode()
    assert "Anulado" in page and "Válido" not in page and "Anulada" not in page


def test_an_unknown_code_is_not_found(client):
    response = client.get(reverse("documents:verify", args=["x" * 24]))
    assert response.status_code == 404
    assert "No encontrado" in response.content.decode()


def test_an_identical_pdf_is_recognised_and_a_changed_one_is_not(client, document):
    url = reverse("documents:verify", args=[document.code])
    original = document.file.read()
    same = client.post(url, {"archivo": SimpleUploadedFile("b.pdf", original)})
    assert "es idéntico, byte a byte" in same.content.decode()
    tampered = original + b"%% a line appended after signing\n"
    changed = client.post(url, {"archivo": SimpleUploadedFile("b.pdf", tampered)})
    assert "NO es idéntico" in changed.content.decode()


def test_every_check_is_logged(client, document):
    client.get(reverse("documents:verify", args=[document.code]), REMOTE_ADDR="192.0.2.9")
    client.get(reverse("documents:verify", args=["y" * 24]), REMOTE_ADDR="192.0.2.9")
    events = list(AuditEvent.objects.filter(action="documento.verificacion").order_by("id"))
    assert [e.details["resultado"] for e in events] == ["valida", "no_encontrada"]
    assert events[0].target_id == str(document.pk) and events[0].ip == "192.0.2.9"
    assert events[1].target_id == "y" * 24


def test_checks_are_rate_limited_per_address(client, document, settings):
    settings.AYNI_VERIFICATIONS_PER_MINUTE = 3
    url = reverse("documents:verify", args=[document.code])
    statuses = [client.get(url, REMOTE_ADDR="192.0.2.10").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Demasiadas consultas" in client.get(url, REMOTE_ADDR="192.0.2.10").content.decode()
    assert client.get(url, REMOTE_ADDR="192.0.2.11").status_code == 200
    assert AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED).count() == 2


def stored(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def altered(pdf: bytes) -> bytes:
    position = pdf.index(b"stream") + 20
    return pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1 :]


def upload(client, data: bytes, url=None):
    url = url or reverse("documents:verify_form")
    return client.post(url, {"archivo": SimpleUploadedFile("d.pdf", data)}).content.decode()


def test_an_uploaded_pdf_shows_its_signature_and_its_record(client, document):
    page = upload(client, stored(document))
    assert "Firma digital válida" in page and "la firmó la plataforma" in page
    assert "AYNI - Firma de demostración" in page and "sin valor legal" in page
    assert "Válido" in page and "R*** E*** Q*** M***" in page and document.code in page
    event = AuditEvent.objects.filter(action="documento.verificacion").latest("pk")
    assert event.details == {"resultado": "valida", "firma": "valida"}


def test_an_uploaded_pdf_changed_after_signing_is_reported_altered(client, document):
    page = upload(client, altered(stored(document)))
    assert "El documento fue modificado después de firmado" in page
    assert "No encontrado" in page
    appended = stored(document) + b"%% added later\n"
    assert "El documento fue modificado después de firmado" in upload(client, appended)


def test_the_code_page_also_reads_the_signature_of_the_upload(client, document):
    url = reverse("documents:verify", args=[document.code])
    assert "Firma digital válida" in upload(client, stored(document), url)
    page = upload(client, altered(stored(document)), url)
    assert "NO es idéntico" in page and "modificado después de firmado" in page


def test_an_annulled_document_uploaded_says_annulled(client, document):
    annul_documents_of(document.servant)
    page = upload(client, stored(document))
    assert "Anulado" in page and "Firma digital válida" in page


def test_our_signature_on_a_file_with_no_record_is_said_so(client, servant_card_kind):
    from ayni.documents.models import IssuedDocument
    from ayni.documents.registry import renderer_for
    from ayni.documents.services import signed_pdf

    servant = ServantFactory()
    orphan = IssuedDocument(kind=servant_card_kind, servant=servant, code="x" * 24,
                            issued_at=timezone.now().replace(microsecond=0))  # fmt: skip
    pdf = signed_pdf(renderer_for(servant_card_kind).render(servant, orphan), orphan)
    page = upload(client, pdf)
    assert "Sin registro" in page and "La firma es de la plataforma" in page


def test_an_unsigned_or_non_pdf_upload(client):
    assert "no tiene firma digital" in upload(client, b"%PDF-1.4\n%%EOF\n")
    assert "El archivo no es un PDF." in upload(client, b"GIF89a not a pdf")


def test_uploads_are_rate_limited(client, document, settings):
    settings.AYNI_VERIFICATIONS_PER_MINUTE = 1
    upload(client, stored(document))
    response = client.post(
        reverse("documents:verify_form"), {"archivo": SimpleUploadedFile("d.pdf", b"%PDF-")}
    )
    assert response.status_code == 429


def test_the_code_page_shows_who_signed_the_issued_pdf(client, document):
    page = client.get(reverse("documents:verify", args=[document.code])).content.decode()
    assert "Firma digital del documento emitido" in page
    assert "Firma digital válida" in page and "la firmó la plataforma" in page
    assert signing.DEMO_SIGNER_CN in page


def test_the_code_page_reports_an_issued_file_altered_in_storage(client, document):
    stored = document.file.read()
    position = stored.index(b"stream") + 20
    with document.file.storage.open(document.file.name, "wb") as changed:
        changed.write(stored[:position] + bytes([stored[position] ^ 1]) + stored[position + 1 :])
    page = client.get(reverse("documents:verify", args=[document.code])).content.decode()
    assert "El documento fue modificado después de firmado" in page
