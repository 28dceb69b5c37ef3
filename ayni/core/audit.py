"""The one audit function every app uses."""

from django.db import models

from ayni.core.http import client_ip
from ayni.core.models import AuditEvent


def record(
    actor, action: str, target=None, request=None, *, outcome=AuditEvent.Outcome.OK, **details
) -> AuditEvent:
    """Append an audit line: who (a user or None) did what, to which object, from where."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    target_type = target_id = ""
    if isinstance(target, models.Model):
        target_type = target._meta.label_lower
        target_id = str(target.pk)
    elif target is not None:
        target_type, target_id = "texto", str(target)[:64]
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
    )
