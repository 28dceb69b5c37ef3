"""Every official PDF carries exactly one PAdES signature, checked by pyHanko and by poppler."""

import asyncio
import io
import subprocess
import sys
from pathlib import Path

import pytest
from asn1crypto import pem
from django.contrib.auth import get_user_model
from django.core.management import call_command
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from ayni.boletas.issuing import boleta_document
from ayni.boletas.models import Boleta
from ayni.boletas.selectors import staff_boletas
from ayni.delivery.services import RECEIPT_KIND, issue_receipt
from ayni.documents import signing
from ayni.documents.registry import renderer_for
from ayni.documents.services import issue_document, sha256_hex
from ayni.legajo.models import Legajo, LegajoReport
from ayni.legajo.services import issue_report
from ayni.organizations.tests.factories import ServantFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
PDFSIG = "/usr/bin/pdfsig"
PYHANKO = str(Path(sys.executable).with_name("pyhanko"))


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
    admin = User.objects.get(username="40000101")  # the demo's administrador de boletas
    planilla = boleta.imported_in
    documents.append(
        issue_receipt(admin, staff_boletas(admin).filter(imported_in=planilla), planilla=planilla)
    )
    return documents


def test_every_kind_from_the_demo_seed_has_one_valid_signature(tmp_path):
    documents = seeded_documents()
    assert {d.kind for d in documents} == {"boleta", *LegajoReport.Kind.values, RECEIPT_KIND}
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


def pyhanko_cli(pdf: bytes, tmp_path) -> str:
    """`pyhanko sign validate` with the demo CA as the only trust root, as a bank would run it."""
    path, roots = tmp_path / "doc.pdf", tmp_path / "roots.pem"
    path.write_bytes(pdf)
    roots.write_bytes(
        b"".join(pem.armor("CERTIFICATE", c.dump()) for c in signing.identity().trust_roots)
    )
    result = subprocess.run(  # noqa: S603 - the project's own tool on a file of ours
        [PYHANKO, "sign", "validate", "--no-revocation-check", "--trust-replace",
         "--trust", str(roots), "--pretty-print", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return result.stdout + result.stderr


def test_pyhanko_cli_reports_one_valid_signature_on_every_kind(tmp_path):
    for document in seeded_documents():
        report = pyhanko_cli(document.file.read(), tmp_path)
        assert report.count("Field 1:") == 1 and "Field 2:" not in report, report
        assert "The signature is judged VALID" in report, (document.kind, report)


def test_one_changed_byte_breaks_the_signature_for_both_tools(tmp_path):
    for document in seeded_documents():
        pdf = altered(document.file.read())
        (status,) = pyhanko_statuses(pdf)
        assert not status.intact, document.kind
        assert "Signature is Valid." not in pdfsig(pdf, tmp_path), document.kind
        assert "The signature is judged VALID" not in pyhanko_cli(pdf, tmp_path), document.kind
        check = signing.check_signature(pdf)
        assert check.signed and check.altered and not check.valid, document.kind


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


@pytest.fixture
def loopback_tsa(settings):
    """An RFC 3161 time-stamping authority on loopback (pyHanko's own TSA logic behind a
    plain HTTP server), its certificate issued by the demo CA."""
    import threading
    from datetime import UTC, datetime, timedelta
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from asn1crypto import keys, tsp, x509
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    folder = signing.ensure_demo_ca()
    ca_cert = cx509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
    ca_key = serialization.load_pem_private_key((folder / "ca.key").read_bytes(), None)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC) - timedelta(hours=1)
    cert = (
        cx509.CertificateBuilder()
        .subject_name(cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "TSA de prueba")]))
        .issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + timedelta(days=2))
        .add_extension(cx509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    tsa = DummyTimeStamper(
        tsa_cert=x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(
            key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
        ),
    )  # fmt: skip
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            requests.append(request)
            body = signing.run_async(tsa.async_request_tsa_response(request)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.AYNI_TSA_URL = f"http://127.0.0.1:{server.server_address[1]}/tsa"
    yield requests
    server.shutdown()


def test_with_a_tsa_configured_the_signature_is_pades_b_t(loopback_tsa):
    servant = ServantFactory()
    document = issue_document("ficha_prueba", servant, servant)
    pdf = document.file.read()
    assert loopback_tsa  # the TSA was asked (pyHanko asks once more to size the signature)
    (status,) = pyhanko_statuses(pdf)
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.trusted
    check = signing.check_signature(pdf)
    assert check.valid and check.ours
