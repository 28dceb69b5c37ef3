"""Uploads and complete form posts for the access tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

from ayni.accounts.tests.helpers import captcha_answer

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def pdf_upload(name="dni.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name="dni.png", content=PNG_BYTES):
    return SimpleUploadedFile(name, content, content_type="image/png")


def access_form(ugel, **overrides):
    """A complete, valid "Solicitar acceso" POST for `ugel`."""
    data = {
        "kind": "alta",
        "document_type": "DNI",
        "document_number": "45678912",
        "apellido_paterno": "Quispe",
        "apellido_materno": "Huamán",
        "nombres": "María Elena",
        "email": "maria.quispe@example.pe",
        "phone": "987 654 321",
        "unit": str(ugel.pk),
        "condition": "contratado",
        "attachment": pdf_upload(),
        "consent": "on",
        **captcha_answer(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def help_form(ugel, **overrides):
    data = {
        "document_type": "DNI",
        "document_number": "45678912",
        "email": "maria.quispe@example.pe",
        "phone": "987654321",
        "unit": str(ugel.pk),
        "problem": "no_llega_correo",
        "description": "Pedí generar la contraseña y el correo no llega.",
        **captcha_answer(),
    }
    data.update(overrides)
    return data
