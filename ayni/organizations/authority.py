"""The one answer to "may this staff member act on that person", asked by every staff path.

Scope (`scoping.covered_units`) answers *which units*; this module answers *which people*:

- nobody acts on their own case through a staff function (a peer or the level above does);
- a superuser is acted on only by another superuser;
- account management (`admin_ugel`) reaches only people *below* the actor's rank: servants
  without staff duties in the units it covers; an account with staff duties is managed by an
  administrator of a unit strictly above every unit where it holds them (DRE for UGEL staff,
  MINEDU for DRE staff), and an account with access to the Django admin only by a superuser;
- the other staff duties (escalafón, boletas) reach anyone whose servant record is in a unit
  they cover, their peers included: a colleague's legajo request is attended by another
  specialist of the same unit.

`actor=None` is the platform itself (the demo seed, a command run by an operator).
"""

from django.core.exceptions import PermissionDenied

from ayni.organizations.models import Servant, StaffRole
from ayni.organizations.scoping import covered_units

OWN_CASE = (
    "No puede atender su propio caso desde una función de personal; lo atiende otro "
    "especialista de la unidad o el nivel superior."
)
OUT_OF_SCOPE = "El servidor no pertenece a las unidades a su cargo."
ABOVE_RANK = (
    "La cuenta es de personal de la institución o de un administrador; la gestiona el nivel "
    "superior."
)


def _resolve(target):
    """(servant, account) of a servant record or of a login account; either may be None."""
    from ayni.accounts.models import User

    if isinstance(target, Servant):
        return target, User.objects.filter(servant=target).first()
    if isinstance(target, User):
        servant = Servant.objects.filter(pk=target.servant_id).select_related("unit").first()
        return servant, target
    raise TypeError(f"No se puede decidir sobre {type(target).__name__}.")


def _strictly_below_actor(actor, unit_paths: list[str]) -> bool:
    """Whether each path lies strictly under a unit where the actor administers accounts."""
    actor_paths = StaffRole.objects.filter(user=actor, role=StaffRole.Role.ADMIN_UGEL).values_list(
        "unit__path", flat=True
    )
    actor_paths = list(actor_paths)
    return all(
        any(path.startswith(own) and path != own for own in actor_paths) for path in unit_paths
    )


def refusal(actor, target, role: str) -> str | None:
    """Why `actor`, as `role`, may not act on `target` (a Servant or a User); None if it may."""
    if actor is None:
        return None
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return OUT_OF_SCOPE
    servant, account = _resolve(target)
    if (account is not None and account.pk == actor.pk) or (
        servant is not None and servant.pk == actor.servant_id
    ):
        return OWN_CASE
    if account is not None and account.is_superuser:
        return None if actor.is_superuser else ABOVE_RANK
    if actor.is_superuser:
        return None
    if role == StaffRole.Role.ADMIN_UGEL and account is not None:
        if account.is_staff:
            return ABOVE_RANK
        duty_paths = list(
            StaffRole.objects.filter(user=account).values_list("unit__path", flat=True)
        )
        if duty_paths:
            if not _strictly_below_actor(actor, duty_paths):
                return ABOVE_RANK
            if servant is None:  # staff made before their servant record: their duties place them
                return None
    if servant is None or servant.unit_id is None:
        return OUT_OF_SCOPE
    if not covered_units(actor, role).filter(pk=servant.unit_id).exists():
        return OUT_OF_SCOPE
    return None


def may_act_on(actor, target, role: str) -> bool:
    return refusal(actor, target, role) is None


def require_authority(actor, target, role: str) -> None:
    """Raise PermissionDenied, with the reason in Spanish, unless `actor` may act on `target`."""
    reason = refusal(actor, target, role)
    if reason is not None:
        raise PermissionDenied(reason)
