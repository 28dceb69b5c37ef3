import struct
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ayni.core.uploads import check_supporting_document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(width: int, height: int) -> bytes:
    """A PNG's signature and header chunk (what is read before any decoding)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + b"\x00" * 32
    )


def jpg(width: int, height: int, exif: int = 0) -> bytes:
    """A JPEG's markers up to its frame header (SOF0), after an APP0 and maybe a big APP1."""
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    app1 = b"\xff\xe1" + struct.pack(">H", exif + 2) + b"E" * exif if exif else b""
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + app1 + sof0 + b"\x00" * 32


PNG = png(640, 480)
JPG = jpg(1200, 1600)


@pytest.mark.parametrize(
    ("name", "content", "mime", "extension"),
    [("a.pdf", PDF, "application/pdf", "pdf"), ("foto.png", PNG, "image/png", "png"),
     ("scan.exe", JPG, "image/jpeg", "jpg")],  # the name does not matter, the content does
)  # fmt: skip
def test_pdf_jpg_and_png_are_recognised_by_content(name, content, mime, extension):
    kind = check_supporting_document(SimpleUploadedFile(name, content), max_bytes=1024)
    assert (kind.mime, kind.extension) == (mime, extension)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "«dni.pdf» está vacío."),
        (b"texto con nombre de PDF", "«dni.pdf» no es un PDF, JPG ni PNG"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "«dni.pdf» no es un PDF, JPG ni PNG"),
        (PDF + b"0" * 2048, "«dni.pdf» pesa 0.0 MB; el máximo es 0 MB por archivo."),
    ],
)
def test_refusals_name_the_file_and_the_reason(content, message):
    with pytest.raises(ValidationError) as error:
        check_supporting_document(SimpleUploadedFile("dni.pdf", content), max_bytes=1024)
    assert message in error.value.messages[0]


def test_the_upload_is_rewound_for_storing():
    upload = SimpleUploadedFile("a.pdf", PDF)
    check_supporting_document(upload, max_bytes=1024)
    assert upload.read() == PDF


# --- images: pixel dimensions read from the header, before any decoding ---------------------
@pytest.mark.parametrize(
    "content", [png(1000, 1000), jpg(4000, 3000), jpg(4000, 3000, exif=30_000)]
)
def test_images_within_the_pixel_cap_are_accepted(content):
    with override_settings(AYNI_UPLOAD_MAX_IMAGE_PIXELS=12_000_000):
        check_supporting_document(SimpleUploadedFile("foto", content), max_bytes=1 << 20)


@pytest.mark.parametrize("content", [png(100_000, 100_000), jpg(65_000, 65_000), jpg(5000, 3000)])
def test_images_above_the_pixel_cap_are_refused_without_decoding(content):
    started = time.monotonic()
    with (
        override_settings(AYNI_UPLOAD_MAX_IMAGE_PIXELS=12_000_000),
        pytest.raises(ValidationError) as error,
    ):
        check_supporting_document(SimpleUploadedFile("foto.png", content), max_bytes=1 << 20)
    assert "píxeles" in error.value.messages[0] and "«foto.png»" in error.value.messages[0]
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32],
)
def test_images_whose_size_cannot_be_read_are_refused(content):
    with pytest.raises(ValidationError, match="no se pueden leer sus dimensiones"):
        check_supporting_document(SimpleUploadedFile("foto", content), max_bytes=1024)


# --- PDF: no active content -------------------------------------------------------------------
def pdf_with(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def object_stream(objects: bytes) -> bytes:
    data = zlib.compress(objects)
    return (
        b"5 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(data)
        + data
        + b"\nendstream endobj"
    )


ACTIVE = {
    "JavaScript": b"1 0 obj<</Type/Catalog/Names<</JavaScript 2 0 R>>>>endobj",
    "JS action": b"1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj",
    "hex-escaped name": b"1 0 obj<</Type/Catalog/OpenAction<</S/J#61vaScript/J#53(x)>>>>endobj",
    "Launch": b"1 0 obj<</Type/Catalog/OpenAction<</S/Launch/F(calc.exe)>>>>endobj",
    "additional actions": b"3 0 obj<</Type/Page/AA<</O 4 0 R>>>>endobj",
    "embedded file": b"4 0 obj<</Type/EmbeddedFile/Length 3>>stream\nabc\nendstream endobj",
    "rich media": b"4 0 obj<</Type/Annot/Subtype/RichMedia>>endobj",
    "inside an object stream": object_stream(b"6 0 <</S/JavaScript/JS(app.alert(1))>>"),
}


@pytest.mark.parametrize("name", ACTIVE)
def test_pdfs_with_active_content_are_refused(name):
    with pytest.raises(ValidationError) as error:
        check_supporting_document(SimpleUploadedFile("dni.pdf", pdf_with(ACTIVE[name])), 1 << 20)
    assert "contenido activo" in error.value.messages[0]


def test_ordinary_pdfs_pass_even_with_binary_streams():
    image = bytes(range(256)) * 40 + b"/JS /AA /Launch"  # stream bytes are not PDF names
    body = (
        b"1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction[3 0 R/FitH null]>>endobj\n"
        b"4 0 obj<</Type/XObject/Subtype/Image/Filter/DCTDecode/Length %d>>stream\n"
        % len(image)
        + image
        + b"\nendstream endobj\n"
        + object_stream(b"6 0 <</Type/Font/Subtype/Type1/BaseFont/Helvetica>>")
    )
    kind = check_supporting_document(SimpleUploadedFile("dni.pdf", pdf_with(body)), 1 << 20)
    assert kind.extension == "pdf"


# --- stored names -------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("uploaded", ["DNI de Juan Perez 40000001.pdf", "juanperez", "x.php"])
def test_stored_files_get_generated_names(uploaded):
    from ayni.access.models import attachment_path as access_path
    from ayni.boletas.models import planilla_path
    from ayni.legajo.models import attachment_path as legajo_path

    for path in (access_path(None, uploaded), legajo_path(None, uploaded),
                 planilla_path(None, uploaded)):  # fmt: skip
        name = path.rsplit("/", 1)[-1]
        assert "juan" not in path.lower() and "40000001" not in path and ".php" not in path
        assert name.split(".")[0].isalnum() and len(name.split(".")[0]) >= 32
