"""Request codes such as `SOL-2026-000123`: numbered per prefix and per year, without gaps
or repeats, whatever the number of web nodes."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ayni.core.models import CodeSequence


def reserve_numbers(prefix: str, year: int, count: int = 1) -> int:
    """Reserve `count` consecutive numbers of the prefix's year; returns the first one.

    The UPDATE locks the row until the caller's transaction ends, so concurrent requests
    queue on it and each reads back its own numbers.
    """
    year_of = CodeSequence.objects.filter(prefix=prefix, year=year)
    if not year_of.update(last_number=F("last_number") + count):
        try:
            with transaction.atomic():
                CodeSequence.objects.create(prefix=prefix, year=year, last_number=count)
            return 1
        except IntegrityError:  # another request created the year's row meanwhile
            year_of.update(last_number=F("last_number") + count)
    return year_of.get().last_number - count + 1


def format_code(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def next_code(prefix: str) -> str:
    """The next code of the prefix in the current year (Lima). Must run inside the
    caller's transaction, which holds the number until it commits."""
    year = timezone.localdate().year
    return format_code(prefix, year, reserve_numbers(prefix, year))
