"""Reading the audit log: who may read which lines, and the filters of the "Auditoría" page.

MINEDU administrators (superusers) read every line. A UGEL administrator reads only what the
staff of the units they cover did there: lines filed under a covered unit whose actor holds a
staff role in a covered unit (never a superuser's lines, never another unit's).
"""

from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from ayni.core.forms import DateRangeForm
from ayni.core.models import AuditEvent
from ayni.core.vocabulary import event_choices
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.scoping import covered_units, has_role

READER_ROLE = StaffRole.Role.ADMIN_UGEL
DOCUMENT = r"^[0-9A-Za-z]{1,12}$"
DOCUMENT_ERROR = "Escriba solo números o letras del documento (hasta 12)."


def may_read_audit_log(user) -> bool:
    return getattr(user, "is_authenticated", False) and has_role(user, READER_ROLE)


def visible_events(user) -> QuerySet[AuditEvent]:
    """The lines of the audit log the user may read; none for anybody else."""
    if not may_read_audit_log(user):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.select_related("unit")
    if user.is_superuser:
        return events
    units = covered_units(user, READER_ROLE)
    staff = StaffRole.objects.filter(unit__in=units).values("user_id")
    return events.filter(unit__in=units, actor_id__in=staff).exclude(actor__is_superuser=True)


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(DateRangeForm):
    persona = forms.RegexField(
        label="Documento de la persona", required=False, regex=DOCUMENT,
        help_text="Sus datos, o lo que hizo.", error_messages={"invalid": DOCUMENT_ERROR},
    )  # fmt: skip
    usuario = forms.RegexField(
        label="Documento del usuario que actuó", required=False, regex=DOCUMENT,
        error_messages={"invalid": DOCUMENT_ERROR},
    )  # fmt: skip
    unidad = forms.RegexField(
        label="Código de unidad", required=False, regex=r"^[0-9A-Za-z]{1,12}$",
        help_text="Incluye las unidades que dependen de ella.",
        error_messages={"invalid": "Escriba el código de la unidad (por ejemplo 150108)."},
    )  # fmt: skip
    evento = forms.ChoiceField(label="Evento", required=False)
    desde = forms.DateField(
        label="Desde", required=False, widget=_date_input(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )  # fmt: skip
    hasta = forms.DateField(
        label="Hasta", required=False, widget=_date_input(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evento"].choices = [("", "- Todos -"), *event_choices()]

    def used(self) -> dict[str, str]:
        """The filters given, as text (for the audit line of this reading)."""
        return {name: str(value) for name, value in self.cleaned_data.items() if value}


def _start_of(day) -> datetime:
    """Midnight in Lima (the site's time zone) of a day, as an aware time."""
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_events(events: QuerySet[AuditEvent], data: dict) -> QuerySet[AuditEvent]:
    if data.get("persona"):
        document = data["persona"].upper()
        events = events.filter(Q(subject=document) | Q(actor_label=document))
    if data.get("usuario"):
        events = events.filter(actor_label=data["usuario"].upper())
    if data.get("unidad"):
        unit = Unit.objects.filter(code=data["unidad"]).first()
        if unit is None:
            return events.none()
        events = events.filter(unit__path__startswith=unit.path)
    if data.get("evento"):
        events = events.filter(action=data["evento"])
    if data.get("desde"):
        events = events.filter(created_at__gte=_start_of(data["desde"]))
    if data.get("hasta"):
        events = events.filter(created_at__lt=_start_of(data["hasta"] + timedelta(days=1)))
    return events.order_by("-created_at", "-id")
