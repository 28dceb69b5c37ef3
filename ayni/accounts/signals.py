"""Receivers of the sign-in signals: the header's "Último acceso" and the audit log."""

from django.utils import timezone

from ayni.accounts import events
from ayni.accounts.lockout import lockout_state, typed_username
from ayni.accounts.models import User
from ayni.core.audit import record
from ayni.core.models import AuditEvent


def shift_last_login(sender, user, **kwargs):
    user.previous_login = user.last_login
    user.last_login = timezone.now()
    user.save(update_fields=["previous_login", "last_login"])


def _account_or_text(username):
    """The account a typed user name belongs to, else the text itself (for the audit target)."""
    return User.objects.filter(username=username).first() or username or None


# A sign-in view other than the password's (ID GOB.PE) leaves here how the person signed in.
SIGN_IN_DETAILS = "ayni_sign_in_details"


def audit_login(sender, request, user, **kwargs):
    record(user, events.LOGIN_OK, user, request, **getattr(request, SIGN_IN_DETAILS, {}))


def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record(user, events.LOGOUT, user, request)


def audit_login_failure(sender, credentials, request=None, **kwargs):
    username = typed_username(request, credentials)
    record(
        None, events.LOGIN_FAILED, _account_or_text(username), request,
        outcome=AuditEvent.Outcome.FAILED, actor_label=(username or "")[:64],
    )  # fmt: skip


def audit_lockout(sender, request, username, ip_address, **kwargs):
    lock = lockout_state(username, ip_address).lock
    record(
        None, events.LOGIN_LOCKED, _account_or_text(username), request,
        outcome=AuditEvent.Outcome.DENIED, actor_label=(username or "")[:64],
        alcance=lock.scope if lock else "", hasta=lock.ends_at.isoformat() if lock else "",
    )  # fmt: skip
