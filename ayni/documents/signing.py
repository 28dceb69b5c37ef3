"""PAdES signature of every official PDF, applied in one place, and its validation.

`ayni.documents.services.issue_document` renders the unsigned PDF with the kind's renderer,
calls `sign_pdf` and stores and hashes the signed bytes; a new kind adds a renderer, never a
new signing path. One signature per document, in an invisible field: the renderer draws the
visible block (signer, date, "Firmado digitalmente") beside the QR (`ayni.documents.pdfkit`).

The certificate comes from the environment: AYNI_SIGNING_PKCS12 (path) and
AYNI_SIGNING_PASSPHRASE. Without it ("embedded mode") a local demo CA and a signing
certificate are created once under VAR_DIR/firma and reused; what they sign says, in the
signature reason and on the page, that it has no legal value.

Levels: PAdES B-B by default; B-T when AYNI_TSA_URL names an RFC 3161 time-stamping
authority. B-LT (revocation data embedded) needs the CA's OCSP/CRL reachable at signing time;
it is not enabled here (see docs/verificacion.md).

In B-B the signed bytes are reproducible: the signing time is the document's issue time and
the file identifier is derived from the content, so a lost file rendered and signed again has
the recorded SHA-256. A time stamp from a TSA differs each time: with B-T the stored file is
the only copy (backups).
"""

import asyncio
import concurrent.futures
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

DEMO_NOTICE = "Firma de demostración, sin valor legal"
FIELD_NAME = "FirmaAYNI"
LOCATION = "Lima, Perú"
DEMO_DIR_NAME = "firma"
DEMO_SIGNER_CN = "AYNI - Firma de demostración"
DEMO_CA_CN = "AYNI - CA local de demostración (sin valor legal)"


class SigningUnavailable(Exception):
    """The configured certificate cannot be loaded."""


@dataclass(frozen=True)
class Identity:
    signer: signers.SimpleSigner
    name: str  # the certificate's common name, printed on the page
    demo: bool
    trust_roots: tuple
    timestamper: timestamps.TimeStamper | None

    @property
    def reason(self) -> str:
        reason = "Documento oficial emitido por AYNI"
        return f"{reason}. {DEMO_NOTICE}" if self.demo else reason


_identities: dict[tuple, Identity] = {}


def demo_dir() -> Path:
    return Path(settings.VAR_DIR) / DEMO_DIR_NAME


def is_demo() -> bool:
    return not settings.AYNI_SIGNING_PKCS12


def identity() -> Identity:
    """The signer of this process, loaded once per configuration."""
    key = (
        settings.AYNI_SIGNING_PKCS12,
        settings.AYNI_SIGNING_PASSPHRASE,
        settings.AYNI_SIGNING_TRUST_ROOTS,
        settings.AYNI_TSA_URL,
        str(settings.VAR_DIR),
    )
    if key not in _identities:
        _identities[key] = _load_identity()
    return _identities[key]


def _load_identity() -> Identity:
    demo = is_demo()
    if demo:
        folder = ensure_demo_ca()
        p12, passphrase = folder / "firmante.p12", None
    else:
        p12 = Path(settings.AYNI_SIGNING_PKCS12)
        passphrase = settings.AYNI_SIGNING_PASSPHRASE.encode() or None
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=passphrase)
    if signer is None:
        raise SigningUnavailable(f"No se pudo leer el certificado de firma {p12}.")
    if settings.AYNI_SIGNING_TRUST_ROOTS:
        roots = tuple(load_certs_from_pemder([settings.AYNI_SIGNING_TRUST_ROOTS]))
    elif demo:
        roots = tuple(load_certs_from_pemder([str(folder / "ca.pem")]))
    else:
        roots = ()
    timestamper = (
        timestamps.HTTPTimeStamper(settings.AYNI_TSA_URL) if settings.AYNI_TSA_URL else None
    )
    name = signer.signing_cert.subject.native.get("common_name", "")
    return Identity(signer, name, demo, roots, timestamper)


def ensure_demo_ca() -> Path:
    """VAR_DIR/firma with a demo CA (ca.pem) and a signing certificate it issued
    (firmante.p12, no passphrase); created on first use, then reused. Concurrent first uses
    build in a temporary folder and the first rename wins."""
    folder = demo_dir()
    if (folder / "firmante.p12").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".firma-", dir=folder.parent))
    _write_demo_ca(scratch)
    try:
        os.rename(scratch, folder)
    except OSError:  # another process made it first
        for child in scratch.iterdir():
            child.unlink()
        scratch.rmdir()
    return folder


def _write_demo_ca(folder: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def name(common_name):
        return x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "PE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "AYNI (demostración)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ])  # fmt: skip

    now = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(name(DEMO_CA_CN)).issuer_name(name(DEMO_CA_CN))
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(DEMO_SIGNER_CN)).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca_cert.public_bytes(pem))
    (folder / "ca.key").write_bytes(
        ca_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (folder / "ca.key").chmod(0o600)
    p12 = pkcs12.serialize_key_and_certificates(
        b"firmante", key, cert, [ca_cert], serialization.NoEncryption()
    )
    (folder / "firmante.p12").write_bytes(p12)
    (folder / "firmante.p12").chmod(0o600)


def run_async(coroutine):
    """Run one of pyHanko's coroutines to its end from synchronous code.

    pyHanko's synchronous wrappers call `asyncio.run`, which refuses to run inside a thread
    that already has an event loop (an async worker pool, a test driving a browser); then the
    coroutine runs on a thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class _FixedTimeSigner(signers.PdfSigner):
    """A PdfSigner whose signing time is given (the document's issue time)."""

    def __init__(self, *args, signing_time: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self.signing_time
        return session


class _StableWriter(IncrementalPdfFileWriter):
    """An incremental writer that keeps the document information as the renderer wrote it
    (no "now" modification date), so that signing the same bytes at the same time gives the
    same output."""

    def _update_meta(self):
        pass


def sign_pdf(pdf: bytes, signing_time: datetime) -> bytes:
    """`pdf` with one PAdES signature (B-B, or B-T with a TSA) by the configured certificate."""
    who = identity()
    writer = _StableWriter(io.BytesIO(pdf), strict=False)
    digest = hashlib.sha256(pdf).digest()
    writer._document_id = generic.ArrayObject(
        [writer.document_id[0], generic.ByteStringObject(digest[:16])]
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=who.reason,
        location=LOCATION,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    pdf_signer = _FixedTimeSigner(
        meta,
        signer=who.signer,
        timestamper=who.timestamper,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME),
        signing_time=signing_time,
    )
    return run_async(pdf_signer.async_sign_pdf(writer)).getvalue()


@dataclass
class SignatureCheck:
    """What the verification page says about the signature of an uploaded PDF."""

    signed: bool
    count: int = 0
    intact: bool = False  # the signed bytes are unchanged
    whole_file: bool = False  # nothing was added after the signature
    trusted: bool = False  # the certificate chains to our trust roots
    ours: bool = False  # signed by the configured certificate
    signer: str = ""
    signing_time: datetime | None = None
    reason: str = ""
    readable: bool = True

    @property
    def altered(self) -> bool:
        return self.signed and not (self.intact and self.whole_file)

    @property
    def valid(self) -> bool:
        return self.signed and self.count == 1 and self.intact and self.whole_file and self.trusted


def check_signature(pdf: bytes) -> SignatureCheck:
    """Validate the (single) signature of `pdf` against the configured trust roots."""
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any unreadable upload is "not a signed PDF"
        return SignatureCheck(signed=False, readable=False)
    if not embedded:
        return SignatureCheck(signed=False)
    who = identity()
    context = ValidationContext(
        trust_roots=list(who.trust_roots), allow_fetching=False, revocation_mode="soft-fail"
    )
    signature = embedded[0]
    check = SignatureCheck(signed=True, count=len(embedded))
    try:
        status = run_async(async_validate_pdf_signature(signature, context))
    except Exception:  # noqa: BLE001 - a broken CMS blob is an altered signature
        return check
    check.intact = bool(status.intact and status.valid)
    check.whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    check.trusted = bool(status.trusted)
    cert = status.signing_cert
    check.signer = cert.subject.native.get("common_name", "") if cert else ""
    check.ours = cert is not None and cert.dump() == who.signer.signing_cert.dump()
    check.signing_time = status.signer_reported_dt
    check.reason = str(signature.sig_object.get("/Reason", ""))
    return check
