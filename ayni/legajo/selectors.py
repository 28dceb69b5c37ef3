"""Every read of legajo data starts here, from the acting user's scope.

Servants reach their own legajo through `user.servant`; specialists reach the legajos
kept by the units their escalafón role covers. Anything else is a 404.
"""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ayni.core import audit
from ayni.documents.models import IssuedDocument
from ayni.legajo import events
from ayni.legajo.models import Attachment, ChangeRequest, Legajo, LegajoReport
from ayni.organizations.models import Servant, StaffRole
from ayni.organizations.scoping import covered_units

ESCALAFON = StaffRole.Role.ESCALAFON
REPORT_KINDS = LegajoReport.Kind.values


def _servant_id(user):
    return getattr(user, "servant_id", None)


# --- The servant's own --------------------------------------------------------------


def own_legajo(user) -> Legajo | None:
    servant_id = _servant_id(user)
    if servant_id is None:
        return None
    return Legajo.objects.select_related("servant", "unit").filter(servant_id=servant_id).first()


def has_current_legajo(user) -> bool:
    servant_id = _servant_id(user)
    return (
        servant_id is not None
        and Legajo.objects.filter(servant_id=servant_id, vigente=True).exists()
    )


def has_current_or_closed_legajo(user) -> bool:
    """A legajo vigente, or one closed by the servant's cese."""
    if has_current_legajo(user):
        return True
    legajo = own_legajo(user)
    return legajo is not None and legajo.ceased


def own_requests(user) -> QuerySet[ChangeRequest]:
    """The servant's submitted requests (drafts are shown in "Actualizar mi legajo")."""
    servant_id = _servant_id(user)
    if servant_id is None:
        return ChangeRequest.objects.none()
    return ChangeRequest.objects.filter(legajo__servant_id=servant_id).exclude(
        state=ChangeRequest.State.DRAFT
    )


def own_request(user, pk) -> ChangeRequest:
    return get_object_or_404(own_requests(user), pk=pk)


def own_draft(user, section_key: str) -> ChangeRequest | None:
    legajo = own_legajo(user)
    if legajo is None:
        return None
    return ChangeRequest.objects.filter(
        legajo=legajo, section=section_key, state=ChangeRequest.State.DRAFT
    ).first()


def own_drafts_and_pending(user) -> dict[str, ChangeRequest]:
    """Per section key, the draft or pending request the servant has open."""
    legajo = own_legajo(user)
    if legajo is None:
        return {}
    open_states = [ChangeRequest.State.DRAFT, ChangeRequest.State.PENDING]
    return {
        r.section: r for r in ChangeRequest.objects.filter(legajo=legajo, state__in=open_states)
    }


def own_item(user, section, pk):
    legajo = own_legajo(user)
    if legajo is None:
        raise Http404("No encontrado.")
    return get_object_or_404(section.items(legajo), pk=pk)


def own_draft_change(user, section, pk):
    draft = own_draft(user, section.key)
    if draft is None:
        raise Http404("No encontrado.")
    return get_object_or_404(draft.changes, pk=pk)


def own_draft_attachment(user, section, pk) -> Attachment:
    draft = own_draft(user, section.key)
    if draft is None:
        raise Http404("No encontrado.")
    return get_object_or_404(draft.attachments, pk=pk)


# --- Specialists (escalafón) ---------------------------------------------------------


def staff_units(user):
    return covered_units(user, ESCALAFON)


def _not_own(queryset, user, servant_field: str):
    """Nobody attends their own case through a staff function: a specialist's own legajo and
    requests are not in their tray; a peer of the unit or the level above attends them."""
    servant_id = _servant_id(user)
    return queryset.exclude(**{servant_field: servant_id}) if servant_id else queryset


def staff_legajos(user) -> QuerySet[Legajo]:
    legajos = Legajo.objects.filter(unit__in=staff_units(user))
    return _not_own(legajos, user, "servant_id").select_related("servant", "unit")


def staff_legajo(user, pk) -> Legajo:
    return get_object_or_404(staff_legajos(user), pk=pk)


def staff_item(user, legajo_pk, section, pk):
    legajo = staff_legajo(user, legajo_pk)
    return legajo, get_object_or_404(section.items(legajo), pk=pk)


def staff_servants(user, query: str = "") -> QuerySet[Servant]:
    """Servants of the covered units, or whose legajo one of them keeps."""
    units = staff_units(user)
    servants = Servant.objects.filter(Q(unit__in=units) | Q(legajo__unit__in=units)).distinct()
    query = (query or "").strip()
    if query:
        if query.isdigit():
            servants = servants.filter(document_number__startswith=query)
        else:
            for word in query.upper().split():
                servants = servants.filter(
                    Q(apellido_paterno__icontains=word)
                    | Q(apellido_materno__icontains=word)
                    | Q(nombres__icontains=word)
                )
    return _not_own(servants, user, "pk").select_related("unit", "legajo")


def staff_servant(user, pk) -> Servant:
    return get_object_or_404(staff_servants(user), pk=pk)


def staff_requests(user) -> QuerySet[ChangeRequest]:
    requests = ChangeRequest.objects.filter(legajo__unit__in=staff_units(user)).exclude(
        state=ChangeRequest.State.DRAFT
    )
    return _not_own(requests, user, "legajo__servant_id").select_related(
        "legajo__servant", "legajo__unit"
    )


def staff_request(user, pk) -> ChangeRequest:
    return get_object_or_404(staff_requests(user), pk=pk)


def tray(user, *, state="", section="", since=None, until=None, document="") -> QuerySet:
    """The specialist's requests, filtered, oldest first."""
    requests = staff_requests(user)
    if state:
        requests = requests.filter(state=state)
    if section:
        requests = requests.filter(section=section)
    if since:
        requests = requests.filter(submitted_at__date__gte=since)
    if until:
        requests = requests.filter(submitted_at__date__lte=until)
    if document:
        requests = requests.filter(legajo__servant__document_number__startswith=document.strip())
    return requests.order_by("submitted_at", "id")


def next_pending(user, current: ChangeRequest, **filters) -> ChangeRequest | None:
    """The pending request that follows `current` in the tray's order under the same filters
    (any state filter aside), else the first one before it; None when none is left."""
    filters["state"] = ChangeRequest.State.PENDING
    pending = tray(user, **filters).exclude(pk=current.pk)
    after = Q(submitted_at__gt=current.submitted_at) | Q(
        submitted_at=current.submitted_at, id__gt=current.id
    )
    return pending.filter(after).first() or pending.first()


def tray_counts(user) -> dict[str, int]:
    counts = dict(staff_requests(user).order_by().values_list("state").annotate(n=Count("id")))
    return {
        state: counts.get(state, 0)
        for state in ChangeRequest.State.values
        if state != ChangeRequest.State.DRAFT
    }


# --- Attachments and issued documents: the owner or a specialist of the unit -----------


def attachment_for(user, pk, request=None) -> Attachment:
    """A supporting document, to its owner or a specialist of the unit; each opening recorded."""
    visible = Q(change_request__legajo__unit__in=staff_units(user)) & ~Q(
        change_request__state=ChangeRequest.State.DRAFT
    )
    servant_id = _servant_id(user)
    if servant_id is not None:
        visible |= Q(change_request__legajo__servant_id=servant_id)
    attachment = get_object_or_404(Attachment.objects.filter(visible), pk=pk)
    audit.record(user, events.ATTACHMENT_VIEWED, attachment, request)
    return attachment


def document_for(user, pk, request=None) -> IssuedDocument:
    """An issued report, to its owner or a specialist of the unit; each opening recorded."""
    visible = Q(servant__legajo__unit__in=staff_units(user))
    servant_id = _servant_id(user)
    if servant_id is not None:
        visible |= Q(servant_id=servant_id)
    documents = IssuedDocument.objects.filter(visible, kind__in=REPORT_KINDS)
    document = get_object_or_404(documents, pk=pk)
    audit.record(user, events.DOCUMENT_VIEWED, document, request, codigo=document.code)
    return document


# --- Audited reads: a specialist looks at someone else's legajo ---------------------------


def read_staff_legajo(user, pk, request=None, *, event=events.STAFF_VIEWED) -> Legajo:
    """A specialist opens a legajo of the unit (or its history, `event`); recorded."""
    legajo = staff_legajo(user, pk)
    audit.record(user, event, legajo, request, servidor=legajo.servant.document_number)
    return legajo


def review_request(user, pk, request=None) -> ChangeRequest:
    """A specialist opens a request of the unit to review it; recorded."""
    change_request = staff_request(user, pk)
    audit.record(user, events.REQUEST_REVIEWED, change_request, request)
    return change_request


def search_servants(user, query: str = "", request=None) -> QuerySet[Servant]:
    """The specialist's search of the unit's servants; the search is recorded."""
    audit.record(user, events.SEARCHED, None, request, consulta=query)
    return staff_servants(user, query)


def read_tray(user, request=None, **filters) -> QuerySet[ChangeRequest]:
    """The specialist's tray (see `tray`); each look at it is recorded with its filters."""
    shown = {name: str(value) for name, value in filters.items() if value}
    audit.record(user, events.TRAY_VIEWED, None, request, filtros=shown)
    return tray(user, **filters)


def own_documents(user) -> QuerySet[IssuedDocument]:
    """The reports issued about the servant (hoja de vida, informes), newest first; each one
    opens through `document_for`."""
    servant_id = _servant_id(user)
    if servant_id is None:
        return IssuedDocument.objects.none()
    return IssuedDocument.objects.filter(servant_id=servant_id, kind__in=REPORT_KINDS).order_by(
        "-issued_at", "-id"
    )
