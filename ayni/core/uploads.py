"""Supporting documents uploaded by people (identity copies, legajo evidence).

One rule for the whole platform: PDF, JPG or PNG judged by the file's content (never its
name or declared type), not empty, within a size limit; the error names the file.
"""

from dataclasses import dataclass
from pathlib import PurePath

import filetype
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
    return DocumentKind(detected.mime, SUPPORTING_DOCUMENT_TYPES[detected.mime])
