"""Supporting documents uploaded by people (identity copies, legajo evidence).

One rule for the whole platform: PDF, JPG or PNG judged by the file's content (never its
name or declared type), not empty, within a size limit; the error names the file. An image
is refused above `AYNI_UPLOAD_MAX_IMAGE_PIXELS`, read from its header (PNG IHDR, JPEG frame
header) without decoding it; a PDF is refused when it carries active content (a byte scan of
its PDF names, hex escapes such as /J#61vaScript decoded, and of its compressed object
streams: pypdf is only a test dependency).
"""

import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

SUPPORTING_DOCUMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class DocumentKind:
    mime: str
    extension: str  # without the dot


def check_supporting_document(upload, max_bytes: int) -> DocumentKind:
    """The upload's kind, or a ValidationError in Spanish saying what is wrong with it."""
    name = PurePath(upload.name or "archivo").name
    if upload.size == 0:
        raise ValidationError(f"«{name}» está vacío.", code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            f"«{name}» pesa {upload.size / 1_048_576:.1f} MB; el máximo es "
            f"{max_bytes / 1_048_576:.0f} MB por archivo.",
            code="too_large",
        )
    upload.seek(0)
    detected = filetype.guess(upload.read(_SNIFF_BYTES))
    upload.seek(0)
    if detected is None or detected.mime not in SUPPORTING_DOCUMENT_TYPES:
        raise ValidationError(
            f"«{name}» no es un PDF, JPG ni PNG (se revisa el contenido del archivo, no su "
            "nombre).",
            code="bad_type",
        )
    kind = DocumentKind(detected.mime, SUPPORTING_DOCUMENT_TYPES[detected.mime])
    if kind.extension == "pdf":
        _check_pdf(upload, name)
    else:
        _check_image(upload, name, kind.extension)
    return kind


# --- images -----------------------------------------------------------------------------
# JPEG start-of-frame markers (the ones that carry the size): C0-CF but C4, C8 and CC.
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Markers without a length: TEM, RST0-7, SOI, EOI.
_STANDALONE_MARKERS = frozenset({0x01, *range(0xD0, 0xDA)})


def image_size(head: bytes, extension: str) -> tuple[int, int] | None:
    """(width, height) from the first bytes of a PNG or JPEG, or None if unreadable."""
    if extension == "png":
        if len(head) < 24 or head[12:16] != b"IHDR":
            return None
        return struct.unpack(">II", head[16:24])
    position = 2  # after SOI
    while position + 4 <= len(head):
        if head[position] != 0xFF:
            return None
        marker = head[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _STANDALONE_MARKERS:
            position += 2
            continue
        (length,) = struct.unpack(">H", head[position + 2 : position + 4])
        if marker in _SOF_MARKERS:
            if position + 9 > len(head):
                return None
            height, width = struct.unpack(">HH", head[position + 5 : position + 9])
            return width, height
        if length < 2:
            return None
        position += 2 + length
    return None


def _check_image(upload, name: str, extension: str) -> None:
    upload.seek(0)
    head = upload.read()  # within the size limit; JPEG metadata may precede the frame header
    upload.seek(0)
    size = image_size(head, extension)
    if size is None or 0 in size:
        raise ValidationError(
            f"«{name}» no se puede revisar: no se pueden leer sus dimensiones (¿imagen dañada?).",
            code="bad_image",
        )
    width, height = size
    limit = settings.AYNI_UPLOAD_MAX_IMAGE_PIXELS
    if width * height > limit:
        raise ValidationError(
            f"«{name}» mide {width} × {height} píxeles; el máximo es {limit / 1e6:g} millones de "
            "píxeles: reduzca la imagen o escanee el documento como PDF.",
            code="image_too_large",
        )


# --- PDF --------------------------------------------------------------------------------------
# PDF names that make a document act (scripts, launching programs, attached files, media).
ACTIVE_PDF_NAMES = frozenset(
    {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"AA",
     b"XFA", b"ImportData", b"SubmitForm"}
)  # fmt: skip
_PDF_NAME = re.compile(rb"/((?:[^\x00\t\n\f\r ()<>\[\]{}/%#]|#[0-9A-Fa-f]{2})+)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")
_ENDSTREAM = b"endstream"
_MAX_INFLATED = 16 << 20  # of the object streams of one PDF, in all


def pdf_names(data: bytes) -> set[bytes]:
    """The PDF names in `data`, hex escapes decoded (/J#61vaScript is /JavaScript)."""
    names = set()
    for match in _PDF_NAME.finditer(data):
        name = match[1]
        if b"#" in name:
            name = _HEX_ESCAPE.sub(lambda escape: bytes([int(escape[1], 16)]), name)
        names.add(name)
    return names


def pdf_active_names(data: bytes) -> set[bytes]:
    """The active names of a PDF: in its objects (stream contents left out: image bytes are not
    names) and in its object streams, which may hold objects compressed."""
    found, budget, position = set(), _MAX_INFLATED, 0
    while True:
        start = _STREAM.search(data, position)
        outside = data[position : start.start() if start else len(data)]
        names = pdf_names(outside)
        found |= names & ACTIVE_PDF_NAMES
        if start is None:
            return found
        end = data.find(_ENDSTREAM, start.end())
        end = len(data) if end < 0 else end
        dictionary = pdf_names(data[max(position, start.start() - 512) : start.start()])
        if b"ObjStm" in dictionary and b"FlateDecode" in dictionary and budget > 0:
            inflater = zlib.decompressobj()
            try:
                inflated = inflater.decompress(data[start.end() : end], budget)
            except zlib.error:
                inflated = b""
            budget -= len(inflated)
            found |= pdf_names(inflated) & ACTIVE_PDF_NAMES
        position = end + len(_ENDSTREAM)


def _check_pdf(upload, name: str) -> None:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    active = pdf_active_names(data)
    if active:
        listed = ", ".join(sorted("/" + n.decode("latin-1") for n in active))
        raise ValidationError(
            f"«{name}» es un PDF con contenido activo ({listed}): se admiten PDF sin scripts, "
            "acciones ni archivos incrustados. Imprímalo a PDF o escanéelo de nuevo.",
            code="active_pdf",
        )
