import pytest
from django.db import transaction
from django.utils import timezone

from ayni.core.models import CodeSequence
from ayni.core.sequences import next_code, reserve_numbers

pytestmark = pytest.mark.django_db


def test_codes_are_numbered_per_prefix_and_per_year():
    year = timezone.localdate().year
    with transaction.atomic():
        codes = [next_code("ACC"), next_code("AYU"), next_code("ACC")]
    assert codes == [f"ACC-{year}-000001", f"AYU-{year}-000001", f"ACC-{year}-000002"]
    assert reserve_numbers("ACC", year - 1) == 1  # a new year starts again at 1


def test_a_block_of_numbers_is_reserved_at_once():
    assert reserve_numbers("SOL", 2026, 5) == 1
    assert reserve_numbers("SOL", 2026) == 6
    assert CodeSequence.objects.get(prefix="SOL", year=2026).last_number == 6


def test_a_rolled_back_transaction_gives_its_number_back():
    with transaction.atomic():
        reserve_numbers("SOL", 2026)
        transaction.set_rollback(True)
    assert reserve_numbers("SOL", 2026) == 1
