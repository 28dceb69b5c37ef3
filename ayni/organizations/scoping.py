"""The one answer to "which units may this user see": every staff selector starts here."""

from django.db.models import Q, QuerySet

from ayni.organizations.models import StaffRole, Unit


def covered_units(user, role: str | None = None) -> QuerySet[Unit]:
    """Units covered by the user's staff roles (optionally one role), each with all below it.

    MINEDU administrators (superusers) cover everything; anybody else covers nothing
    unless a role says so.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    roles = StaffRole.objects.filter(user=user)
    if role is not None:
        roles = roles.filter(role=role)
    paths = list(roles.values_list("unit__path", flat=True))
    if not paths:
        return Unit.objects.none()
    prefix = Q()
    for path in paths:
        prefix |= Q(path__startswith=path)
    return Unit.objects.filter(prefix)


def covers(user, unit: Unit | None, role: str | None = None) -> bool:
    return unit is not None and covered_units(user, role).filter(pk=unit.pk).exists()


def staff_roles(user) -> list[StaffRole]:
    """The user's staff roles with their units, oldest first.

    The menu, the header and the views ask several times per request; they are read once
    and kept on the user object, which lives for one request.
    """
    if not hasattr(user, "_staff_roles"):
        user._staff_roles = list(
            StaffRole.objects.filter(user=user).select_related("unit").order_by("id")
        )
    return user._staff_roles


def has_role(user, role: str) -> bool:
    """Whether the user holds the role in some unit."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(staff.role == role for staff in staff_roles(user))


def role_summary(user) -> tuple[str, str]:
    """(role, unit) for the header: the first staff role, or the servant's own unit."""
    if user.is_superuser:
        return "Administrador MINEDU", "Ministerio de Educación"
    if staff := next(iter(staff_roles(user)), None):
        return staff.get_role_display(), staff.unit.name
    servant = getattr(user, "servant", None)
    return "Servidor", servant.unit.name if servant and servant.unit_id else ""
