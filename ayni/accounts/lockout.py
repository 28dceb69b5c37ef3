"""Login lockout on top of django-axes: an (account, IP) pair, or an IP, never an account alone.

DNIs are not secret, so locking an account for everybody would let anyone lock a teacher
out from anywhere. Axes records failures per (document, IP, browser) with the time of the
latest one; a row counts while that time is within AXES_COOLOFF_TIME. Two limits apply:
AXES_FAILURE_LIMIT failures on one account from one IP lock that pair, and
AYNI_LOCKOUT_ADDRESS_FAILURES failures from one IP, whatever the accounts, lock that IP.

A lock only refuses new sign-ins: a session opened before it goes on (axes acts on
authentication, never on the requests of a signed-in user). An IP lock is tied to no
unit, so it is lifted one level above the UGEL: by MINEDU in the Django admin, or by an
administrator of a DRE/GRE or of MINEDU on the "Conexiones bloqueadas" page; both audited.
"""

from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ayni.accounts import events
from ayni.core.audit import record
from ayni.core.validators import normalize_document_number
from ayni.organizations.models import StaffRole, Unit


def typed_username(request, credentials):
    """The document number axes counts: " 40000001" and "40000001" are the same account."""
    username = credentials.get("username") if credentials else request.POST.get("username")
    return normalize_document_number(username) if username else username


@dataclass(frozen=True)
class Lock:
    scope: str  # "cuenta": this account from this IP; "ip": every account from this IP
    ip_address: str
    ends_at: datetime


@dataclass(frozen=True)
class LockoutState:
    pair_failures: int
    address_failures: int
    lock: Lock | None


def _lock_end(attempts, limit: int):
    """When the newest failures stop adding up to `limit`, or None if they do not reach it.

    `attempts` is (time of the latest failure, failures) newest first: the lock lasts until
    the oldest row still needed to reach the limit leaves the window.
    """
    total = 0
    for attempt_time, failures in attempts:
        total += failures
        if total >= limit:
            return attempt_time + settings.AXES_COOLOFF_TIME
    return None


def lockout_state(username: str | None, ip_address: str | None, at=None) -> LockoutState:
    at = at or timezone.now()
    rows = list(
        AccessAttempt.objects.filter(
            ip_address=ip_address, attempt_time__gte=at - settings.AXES_COOLOFF_TIME
        )
        .order_by("-attempt_time")
        .values_list("username", "attempt_time", "failures_since_start")
    )
    pair = [(time, failures) for name, time, failures in rows if name == username]
    address = [(time, failures) for _, time, failures in rows]
    locks = [
        Lock(scope, ip_address, end)
        for scope, end in (
            ("cuenta", _lock_end(pair, settings.AXES_FAILURE_LIMIT)),
            ("ip", _lock_end(address, settings.AYNI_LOCKOUT_ADDRESS_FAILURES)),
        )
        if end is not None
    ]
    return LockoutState(
        pair_failures=sum(failures for _, failures in pair),
        address_failures=sum(failures for _, failures in address),
        lock=max(locks, key=lambda lock: lock.ends_at, default=None),
    )


def account_locks(username: str, at=None) -> list[Lock]:
    """The IPs from which this account is locked now."""
    at = at or timezone.now()
    addresses = (
        AccessAttempt.objects.filter(
            username=username, attempt_time__gte=at - settings.AXES_COOLOFF_TIME
        )
        .values_list("ip_address", flat=True)
        .distinct()
    )
    states = (lockout_state(username, address, at) for address in addresses)
    return [state.lock for state in states if state.lock is not None]


def address_locks(at=None) -> list[Lock]:
    """Every IP locked now for every account (the IP-wide limit), the longest first."""
    at = at or timezone.now()
    since = at - settings.AXES_COOLOFF_TIME
    candidates = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("ip_address")
        .annotate(total=Sum("failures_since_start"))
        .filter(total__gte=settings.AYNI_LOCKOUT_ADDRESS_FAILURES)
        .values_list("ip_address", flat=True)
    )
    locks = []
    for address in candidates:
        rows = (
            AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
            .order_by("-attempt_time")
            .values_list("attempt_time", "failures_since_start")
        )
        end = _lock_end(list(rows), settings.AYNI_LOCKOUT_ADDRESS_FAILURES)
        if end is not None:
            locks.append(Lock("ip", address, end))
    return sorted(locks, key=lambda lock: lock.ends_at, reverse=True)


LEVELS_ABOVE_UGEL = (Unit.Kind.MINEDU, Unit.Kind.DRE, Unit.Kind.GRE)


def may_lift_address_locks(user) -> bool:
    """MINEDU (superusers) and the administrators of a DRE/GRE or of MINEDU itself."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        user.is_superuser
        or StaffRole.objects.filter(
            user=user, role=StaffRole.Role.ADMIN_UGEL, unit__kind__in=LEVELS_ABOVE_UGEL
        ).exists()
    )


class NotAllowed(Exception):
    """The actor may not lift IP locks."""


def lift_address_lock(actor, ip_address: str, request=None) -> int:
    """Forget the failures recorded from this IP (every account), audited; returns how many
    records were cleared. Sessions are not touched: none was ended by the lock."""
    if not may_lift_address_locks(actor):
        raise NotAllowed("Solo el MINEDU o una DRE/GRE puede levantar el bloqueo de una conexión.")
    with transaction.atomic():
        cleared, _ = AccessAttempt.objects.filter(ip_address=ip_address).delete()
        record(actor, events.ADDRESS_UNLOCKED, ip_address, request, registros=cleared)
    return cleared


class PairAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with the two limits above."""

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares one count with AXES_FAILURE_LIMIT; a lock by either limit counts as full.
        state = lockout_state(
            get_client_username(request, credentials),
            request.axes_ip_address,
            request.axes_attempt_time,
        )
        return settings.AXES_FAILURE_LIMIT if state.lock else state.pair_failures

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A success clears its own pair only: logging in to one's own account must not wipe
        # the failures the same IP piled up against other accounts.
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count
