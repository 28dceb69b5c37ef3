import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from ayni.boletas.issuing import boleta_document
from ayni.boletas.models import Boleta
from ayni.boletas.pdf import BoletaRenderer, split_pages
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import boleta_rows
from ayni.documents.models import IssuedDocument
from ayni.documents.services import document_bytes, render_again, sha256_hex

pytestmark = pytest.mark.django_db


def pdf_text(document) -> str:
    reader = PdfReader(document.file.path)
    return "\n".join(page.extract_text() for page in reader.pages)


def rosa(sample_imported):
    return Boleta.objects.get(servant__document_number="40000001")


def test_the_boleta_reads_as_a_payslip(sample_imported):
    document, issued_now = boleta_document(rosa(sample_imported), None)
    assert issued_now
    text = pdf_text(document)
    for expected in [
        "BOLETA DE PAGO", "Periodo: JUNIO 2022", "UGEL 07 SAN BORJA", "RUC: 20990000078",
        "QUISPE MAMANI ROSA ELENA", "DNI 40000001", "1040000001", "Docente Nombrado",
        "PROFESOR", "IE 7041 SAN BORJA", "Ley N° 29944", "SNP", "01/03/2009",
        "Código", "Concepto", "Ingresos", "Descuentos", "Aportes del empleador",
        "REMUNERACION INTEGRA MENSUAL", "2,780.00", "380.42", "263.71",
        "MONTO BRUTO", "S/ 2,930.12", "TOTAL DESCUENTOS", "S/ 408.22",
        "MONTO A PAGAR", "S/ 2,521.90", f"Código de verificación: {document.code}",
        f"/verificar/{document.code}/", "Fecha de emisión:", "Página 1 de 1",
    ]:  # fmt: skip
        assert expected in text, expected
    assert "ANULADO" not in text
    assert len(PdfReader(document.file.path).pages) == 1
    assert PdfReader(document.file.path).metadata.title.startswith("Boleta de pago JUNIO 2022")


def test_pension_fund_and_cuspp_are_printed(sample_imported):
    jose = Boleta.objects.get(servant__document_number="40000002")
    text = pdf_text(boleta_document(jose, None)[0])
    assert "PRIMA AFP · CUSPP 123456ABCDE7" in text
    assert "D'ANGELO ÑAUPARI JOSÉ LUIS" in text


def test_rendering_is_deterministic_and_a_lost_file_matches(sample_imported):
    document, _ = boleta_document(rosa(sample_imported), None)
    assert sha256_hex(render_again(document)) == document.sha256
    assert render_again(document) == render_again(document)
    default_storage.delete(document.file.name)
    assert sha256_hex(document_bytes(document)) == document.sha256


@pytest.mark.usefixtures("storage")
def test_the_pdf_is_issued_once_then_served(sample_imported):
    first, issued = boleta_document(rosa(sample_imported), None)
    again, issued_again = boleta_document(rosa(sample_imported), None)
    assert issued and not issued_again
    assert first.pk == again.pk
    assert IssuedDocument.objects.count() == 1


def test_the_public_summary_is_masked(sample_imported):
    document, _ = boleta_document(rosa(sample_imported), None)
    assert document.summary == {
        "titulo": "Boleta de pago",
        "campos": [
            ["Periodo", "JUNIO 2022"],
            ["Entidad", "UGEL 07 SAN BORJA (RUC 20990000078)"],
            ["Tipo de planilla", "Ley N° 29944"],
            ["Servidor", "R*** E*** Q*** M***"],
            ["Documento", "DNI 4000****"],
            ["Monto a pagar", "S/ 2,521.90"],
        ],
    }
    assert BoletaRenderer().filename(rosa(sample_imported)) == "boleta-2022-06-40000001.pdf"


def test_a_replaced_boleta_is_annulled_and_its_copy_carries_the_watermark(client, sample_imported):
    old = rosa(sample_imported)
    issued, _ = boleta_document(old, None)
    run_import(boleta_rows(lines=[("+rim", "REMUNERACION", "INGRESO", "3000.00")]))
    issued.refresh_from_db()
    assert issued.state == IssuedDocument.State.ANNULLED
    page = client.get(reverse("documents:verify", args=[issued.code])).content.decode()
    assert "Anulado" in page and "Anulada" not in page  # as Mi boleta names it
    old.refresh_from_db()
    copy, issued_now = boleta_document(old, None)
    assert issued_now and copy.pk != issued.pk
    assert copy.issued_annulled and copy.state == IssuedDocument.State.ANNULLED
    assert "ANULADO" in pdf_text(copy)
    new = Boleta.objects.get(servant__document_number="40000001", state="vigente")
    assert "ANULADO" not in pdf_text(boleta_document(new, None)[0])


def test_the_verification_page_shows_the_boleta(client, sample_imported):
    document, _ = boleta_document(rosa(sample_imported), None)
    page = client.get(reverse("documents:verify", args=[document.code])).content.decode()
    for expected in ["Válido", "Boleta de pago", "JUNIO 2022", "UGEL 07 SAN BORJA",
                     "Ley N° 29944", "R*** E*** Q*** M***", "DNI 4000****", "S/ 2,521.90",
                     document.sha256]:  # fmt: skip
        assert expected in page
    assert "QUISPE" not in page and "40000001" not in page


def test_a_long_boleta_continues_on_more_pages(ugel07):
    lines = [(f"+c{n:02d}", f"CONCEPTO NUMERO {n}", "INGRESO", "10.00") for n in range(70)]
    run_import(boleta_rows(lines=lines))
    document, _ = boleta_document(Boleta.objects.get(), None)
    reader = PdfReader(document.file.path)
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    assert "Página 1 de" in pages[0] and "BOLETA DE PAGO (continuación)" in pages[1]
    assert all("MONTO A PAGAR" not in text for text in pages[:-1])
    assert "S/ 700.00" in pages[-1] and document.code in pages[-1]
    assert sum(text.count("CONCEPTO NUMERO") for text in pages) == 70


def test_pages_leave_room_for_the_closing_block():
    assert len(split_pages(list(range(5)))) == 1
    many = split_pages(list(range(200)))
    assert [row for page in many for row in page] == list(range(200))
    # Rows that fill the first page leave the totals and the QR for a second one.
    assert [len(page) for page in split_pages(list(range(len(many[0]))))] == [len(many[0]), 0]


@pytest.mark.usefixtures("s3_down")
def test_a_store_that_fails_leaves_the_boleta_without_a_pdf_record(sample_imported):
    with pytest.raises(EndpointConnectionError):
        boleta_document(rosa(sample_imported), None)
    assert not IssuedDocument.objects.exists()
