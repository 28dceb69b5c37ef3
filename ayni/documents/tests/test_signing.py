"""Every official PDF carries exactly one PAdES signature, checked by pyHanko and by poppler."""

import asyncio
import io
import subprocess

import pytest
from django.core.management import call_command
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from ayni.boletas.issuing import boleta_document
from ayni.boletas.models import Boleta
from ayni.documents import signing
from ayni.documents.registry import renderer_for
from ayni.documents.services import issue_document, sha256_hex
from ayni.legajo.models import Legajo, LegajoReport
from ayni.legajo.services import issue_report
from ayni.organizations.tests.factories import ServantFactory

pytestmark = pytest.mark.django_db
PDFSIG = "/usr/bin/pdfsig"


def altered(pdf: bytes) -> bytes:
    """One byte changed inside the signed range (in the page content, before the signature)."""
    position = pdf.index(b"stream") + 20
    return pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1 :]


def pyhanko_statuses(pdf: bytes):
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    roots = list(signing.identity().trust_roots)
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    return [validate_pdf_signature(sig, context) for sig in reader.embedded_signatures]


def pdfsig(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603 - a fixed binary on a file of ours
        [PDFSIG, str(path)], capture_output=True, text=True, check=False
    )
    return result.stdout + result.stderr


def seeded_documents():
    call_command("seed_demo", servidores=4, stdout=open("/dev/null", "w"))  # noqa: SIM115
    boleta = Boleta.objects.filter(servant__document_number="40000001").first()
    documents = [boleta_document(boleta, None)[0]]
    legajo = Legajo.objects.get(servant__document_number="40000001")
    for kind in LegajoReport.Kind.values:
        documents.append(issue_report(legajo, kind, None))
    return documents


def test_every_kind_from_the_demo_seed_has_one_valid_signature(tmp_path):
    documents = seeded_documents()
    assert {d.kind for d in documents} == {"boleta", *LegajoReport.Kind.values}
    for document in documents:
        pdf = document.file.read()
        assert sha256_hex(pdf) == document.sha256  # the hash is of the signed bytes
        statuses = pyhanko_statuses(pdf)
        assert len(statuses) == 1, document.kind
        (status,) = statuses
        assert status.intact and status.valid and status.trusted, document.kind
        assert status.coverage.name == "ENTIRE_FILE"
        assert status.signer_reported_dt == document.issued_at
        report = pdfsig(pdf, tmp_path)
        assert report.count("Signature #") == 1, report
        # Integrity; without the NSS database holding the demo CA, poppler reports the
        # certificate as not trusted ("Certificate issuer isn't Trusted").
        assert "Signature Validation: Signature is Valid." in report, report
        assert "ETSI.CAdES.detached" in report


def test_one_changed_byte_breaks_the_signature_for_both_tools(tmp_path):
    document = seeded_documents()[0]
    pdf = altered(document.file.read())
    (status,) = pyhanko_statuses(pdf)
    assert not status.intact
    assert "Signature is Valid." not in pdfsig(pdf, tmp_path)
    check = signing.check_signature(pdf)
    assert check.signed and check.altered and not check.valid


def test_demo_signature_says_it_has_no_legal_value():
    servant = ServantFactory()
    document = issue_document("ficha_prueba", servant, servant)
    pdf = document.file.read()
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    (embedded,) = reader.embedded_signatures
    assert signing.DEMO_NOTICE in str(embedded.sig_object["/Reason"])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Firmado digitalmente" in text
    assert signing.DEMO_NOTICE in text
    assert f"Firmante: {signing.DEMO_SIGNER_CN}" in text
    check = signing.check_signature(pdf)
    assert check.valid and check.ours and check.signer == signing.DEMO_SIGNER_CN


def test_the_demo_ca_is_made_once_and_reused(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first = signing.identity()
    assert (tmp_path / "firma" / "ca.pem").exists()
    stamp = (tmp_path / "firma" / "firmante.p12").read_bytes()
    signing._identities.clear()
    assert signing.identity().signer.signing_cert.dump() == first.signer.signing_cert.dump()
    assert (tmp_path / "firma" / "firmante.p12").read_bytes() == stamp


def test_a_configured_pkcs12_signs_without_the_demo_notice(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "other"
    folder = signing.ensure_demo_ca()  # any PKCS#12 will do as "the ministry's"
    settings.AYNI_SIGNING_PKCS12 = str(folder / "firmante.p12")
    settings.AYNI_SIGNING_TRUST_ROOTS = str(folder / "ca.pem")
    servant = ServantFactory()
    document = issue_document("ficha_prueba", servant, servant)
    pdf = document.file.read()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert signing.DEMO_NOTICE not in text
    check = signing.check_signature(pdf)
    assert check.valid and signing.DEMO_NOTICE not in check.reason


def test_a_pdf_signed_by_another_ca_is_not_trusted(settings, tmp_path):
    servant = ServantFactory()
    pdf = issue_document("ficha_prueba", servant, servant).file.read()
    settings.VAR_DIR = tmp_path  # a fresh demo CA: the first one is now a stranger
    check = signing.check_signature(pdf)
    assert check.signed and not check.altered and not check.trusted and not check.ours


def test_signing_and_checking_work_inside_a_running_event_loop():
    servant = ServantFactory()
    document = issue_document("ficha_prueba", servant, servant)
    unsigned = renderer_for("ficha_prueba").render(servant, document)

    async def inside_a_loop():  # as under an async worker pool or a browser-driving test
        pdf = signing.sign_pdf(unsigned, document.issued_at)
        return pdf, signing.check_signature(pdf)

    pdf, check = asyncio.run(inside_a_loop())
    assert check.valid
    assert sha256_hex(pdf) == document.sha256
