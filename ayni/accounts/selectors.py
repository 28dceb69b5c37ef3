"""Reads of accounts, each starting from what the acting user may see."""

from datetime import timedelta

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from ayni.accounts import events
from ayni.accounts.models import User
from ayni.core.audit import record
from ayni.core.models import AuditEvent
from ayni.organizations.models import Servant, StaffRole
from ayni.organizations.scoping import covered_units, has_role

USER_TARGET = User._meta.label_lower
PAGE_SIZE = 50
SIGN_IN_LIMIT = 20
LOCKOUT_DAYS = 7


def is_admin_ugel(user) -> bool:
    """Whether the user administers accounts of some unit."""
    return has_role(user, StaffRole.Role.ADMIN_UGEL)


def servants_in_scope(actor) -> QuerySet[Servant]:
    """Servants of the units the actor covers as UGEL administrator."""
    return Servant.objects.filter(unit__in=covered_units(actor, StaffRole.Role.ADMIN_UGEL))


def accounts_in_scope(actor) -> QuerySet[User]:
    return User.objects.filter(servant__in=servants_in_scope(actor))


def search_servants(actor, query: str) -> QuerySet[Servant]:
    """Servants in scope whose document starts with, or whose first surname starts with, `query`."""
    query = " ".join((query or "").split())
    if not query:
        return Servant.objects.none()
    return (
        servants_in_scope(actor)
        .filter(
            Q(document_number__startswith=query.upper()) | Q(apellido_paterno__istartswith=query)
        )
        .select_related("unit", "account")
        .order_by("apellido_paterno", "apellido_materno", "nombres", "id")
    )


def sign_ins(user: User, limit: int = SIGN_IN_LIMIT) -> QuerySet[AuditEvent]:
    """The latest sign-in attempts on the user's own account (correct, failed, locked)."""
    return AuditEvent.objects.filter(
        target_type=USER_TARGET, target_id=str(user.pk), action__in=events.SIGN_IN_ACTIONS
    ).order_by("-created_at", "-id")[:limit]


def recent_lockouts(actor, days: int = LOCKOUT_DAYS) -> list[tuple[AuditEvent, User]]:
    """Lockouts of accounts in scope during the last `days` days, newest first."""
    in_scope = accounts_in_scope(actor).annotate(pk_text=Cast("pk", CharField()))
    lockouts = list(
        AuditEvent.objects.filter(
            action=events.LOGIN_LOCKED,
            target_type=USER_TARGET,
            target_id__in=in_scope.values("pk_text"),
            created_at__gte=timezone.now() - timedelta(days=days),
        ).order_by("-created_at", "-id")[:200]
    )
    accounts = in_scope.select_related("servant").in_bulk(
        {int(event.target_id) for event in lockouts}
    )
    return [(event, accounts[int(event.target_id)]) for event in lockouts]


def read_search(actor, query: str, request=None) -> QuerySet[Servant]:
    """The administrator's search of servants and their accounts; a search is recorded."""
    if " ".join((query or "").split()):
        record(actor, events.SERVANTS_SEARCHED, None, request, consulta=query[:64])
    return search_servants(actor, query)
