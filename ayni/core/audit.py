"""The one audit function every app uses."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from ayni.core.http import client_ip
from ayni.core.models import AuditEvent

# The relations followed from a target to the person and the unit it belongs to
# (a boleta's servant, an attachment's request, its legajo, a staff role's user...).
RELATIONS = ("servant", "legajo", "change_request", "access_request", "user")
# The unit of a target, by field: its own unit, or the paying entity of a boleta.
UNIT_FIELDS = ("unit_id", "entity_id")


def record(
    actor, action: str, target=None, request=None, *, outcome=AuditEvent.Outcome.OK, **details
) -> AuditEvent:
    """Append an audit line: who (a user or None) did what, to which object, from where.

    The line also carries the unit the event concerns and the document number of the person
    whose data it is, read from the target (else the unit from the actor's role or post), so
    that the log can be read by person and by unit.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    target_type = target_id = ""
    unit_id, subject = None, ""
    if isinstance(target, models.Model):
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        unit_id, subject = target_context(target)
    elif target is not None:
        target_type, target_id = "texto", str(target)[:64]
    if unit_id is None and actor is not None:
        unit_id = user_unit_id(actor)
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor else details.pop("actor_label", ""),
        action=action,
        target_type=target_type,
        target_id=target_id,
        outcome=outcome,
        ip=client_ip(request) if request is not None else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else "",
        details=details,
        unit_id=unit_id,
        subject=subject[:16],
    )


def target_context(target, depth: int = 0) -> tuple[int | None, str]:
    """(unit id, person's document number) of an object, following its relations."""
    unit_id = next((getattr(target, f) for f in UNIT_FIELDS if getattr(target, f, None)), None)
    if target._meta.label_lower == "organizations.unit":
        unit_id = target.pk
    subject = getattr(target, "document_number", "")
    subject = subject if isinstance(subject, str) else ""
    if not subject and isinstance(target, AbstractBaseUser):
        subject = target.get_username()
    if depth < 4 and (unit_id is None or not subject):
        for relation in RELATIONS:
            if getattr(target, f"{relation}_id", None) is None:
                continue
            try:
                related = getattr(target, relation)
            except ObjectDoesNotExist:
                continue
            related_unit, related_subject = target_context(related, depth + 1)
            unit_id = unit_id if unit_id is not None else related_unit
            subject = subject or related_subject
            if unit_id is not None and subject:
                break
    if unit_id is None and isinstance(target, AbstractBaseUser):
        unit_id = user_unit_id(target)  # a staff account without a post of its own
    return unit_id, subject


def user_unit_id(user) -> int | None:
    """The unit of the user's first staff role, else of their post as a servant."""
    from ayni.organizations.models import StaffRole

    role_unit = (
        StaffRole.objects.filter(user=user).order_by("id").values_list("unit_id", flat=True)
    ).first()
    if role_unit is not None:
        return role_unit
    servant = getattr(user, "servant", None) if getattr(user, "servant_id", None) else None
    return servant.unit_id if servant is not None else None
