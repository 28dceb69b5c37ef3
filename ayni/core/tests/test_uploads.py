import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ayni.core.uploads import check_supporting_document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


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
