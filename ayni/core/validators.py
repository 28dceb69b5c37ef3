"""Validators of Peruvian identifiers, shared by forms, imports and models."""

import re

from django.core.exceptions import ValidationError

DOCUMENT_TYPES = [
    ("DNI", "DNI"),
    ("CE", "Carné de extranjería"),
    ("PAS", "Pasaporte"),
]
DOCUMENT_TYPE_CODES = {code for code, _ in DOCUMENT_TYPES}

_DNI_RE = re.compile(r"[0-9]{8}")
_FOREIGN_DOCUMENT_RE = re.compile(r"[A-Za-z0-9]{6,12}")
_RUC_RE = re.compile(r"[0-9]{11}")
_RUC_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_RUC_PREFIXES = ("10", "15", "17", "20")


def normalize_document_number(number: str) -> str:
    return (number or "").strip().upper()


def document_number_error(document_type: str, number: str) -> str | None:
    """The Spanish message for an invalid (type, number) pair, or None when it is valid."""
    if document_type not in DOCUMENT_TYPE_CODES:
        return "El tipo de documento debe ser DNI, CE o PAS."
    if document_type == "DNI":
        if not _DNI_RE.fullmatch(number or ""):
            return "El DNI debe tener exactamente 8 dígitos."
    elif not _FOREIGN_DOCUMENT_RE.fullmatch(number or ""):
        return f"El número de {document_type} debe tener de 6 a 12 letras o dígitos."
    return None


def validate_document(document_type: str, number: str) -> None:
    error = document_number_error(document_type, number)
    if error:
        raise ValidationError(error, code="invalid_document")


def ruc_check_digit(first_ten_digits: str) -> int:
    total = sum(int(d) * w for d, w in zip(first_ten_digits, _RUC_WEIGHTS, strict=True))
    digit = 11 - total % 11
    return {10: 0, 11: 1}.get(digit, digit)


def ruc_error(ruc: str) -> str | None:
    if not _RUC_RE.fullmatch(ruc or ""):
        return "El RUC debe tener exactamente 11 dígitos."
    if not ruc.startswith(_RUC_PREFIXES):
        return "El RUC debe empezar con 10, 15, 17 o 20."
    if ruc_check_digit(ruc[:10]) != int(ruc[10]):
        return "El RUC no es válido: el dígito verificador no corresponde."
    return None


def validate_ruc(ruc: str) -> None:
    error = ruc_error(ruc)
    if error:
        raise ValidationError(error, code="invalid_ruc")
