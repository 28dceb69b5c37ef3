import pytest
from django.core.exceptions import ValidationError

from ayni.core.validators import (
    document_number_error,
    ruc_check_digit,
    ruc_error,
    validate_document,
    validate_ruc,
)


@pytest.mark.parametrize(
    ("document_type", "number"),
    [("DNI", "40000001"), ("DNI", "00000000"), ("CE", "001234567"), ("CE", "AB1234"),
     ("PAS", "ABC123456789")],
)  # fmt: skip
def test_valid_documents(document_type, number):
    assert document_number_error(document_type, number) is None
    validate_document(document_type, number)


@pytest.mark.parametrize(
    ("document_type", "number", "message"),
    [
        ("DNI", "4000001", "exactamente 8 dígitos"),
        ("DNI", "400000011", "exactamente 8 dígitos"),
        ("DNI", "4000000A", "exactamente 8 dígitos"),
        ("DNI", " 40000001", "exactamente 8 dígitos"),
        ("DNI", "", "exactamente 8 dígitos"),
        ("CE", "12345", "de 6 a 12"),
        ("CE", "1234567890123", "de 6 a 12"),
        ("PAS", "AB-12345", "de 6 a 12"),
        ("LE", "40000001", "DNI, CE o PAS"),
    ],
)
def test_invalid_documents_say_why(document_type, number, message):
    assert message in document_number_error(document_type, number)
    with pytest.raises(ValidationError):
        validate_document(document_type, number)


@pytest.mark.parametrize("ruc", ["20131370998", "20990000078", "10467793549", "20100070970"])
def test_valid_rucs(ruc):
    assert ruc_error(ruc) is None
    validate_ruc(ruc)


@pytest.mark.parametrize(
    ("ruc", "message"),
    [
        ("20131370997", "dígito verificador"),
        ("20131370999", "dígito verificador"),
        ("2013137099", "11 dígitos"),
        ("2013137099X", "11 dígitos"),
        ("30131370998", "empezar con"),
    ],
)
def test_invalid_rucs(ruc, message):
    assert message in ruc_error(ruc)
    with pytest.raises(ValidationError):
        validate_ruc(ruc)


def test_check_digit_wraps_ten_and_eleven_to_zero_and_one():
    # Sums leaving remainders 1 and 0 give 11 - r = 10 and 11, printed as 0 and 1.
    assert ruc_check_digit("2000000008") in range(10)
    for prefix in ("20100000", "20200000", "20300000"):
        for tail in range(100):
            digit = ruc_check_digit(f"{prefix}{tail:02d}")
            assert 0 <= digit <= 9


@pytest.mark.parametrize("number", ["４００００００１", "٤٠٠٠٠٠٠١", "40000001\x00"])
def test_a_dni_with_other_digits_or_a_nul_is_refused(number):
    assert document_number_error("DNI", number) == "El DNI debe tener exactamente 8 dígitos."


def test_a_ruc_with_other_digits_is_refused():
    assert ruc_error("２０１３１３７０９９８") == "El RUC debe tener exactamente 11 dígitos."
