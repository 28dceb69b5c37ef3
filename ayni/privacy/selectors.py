"""What the platform holds about the signed-in servant, and who on the staff looked at it.

Everything starts from `user.servant`: a servant only ever reaches their own data here.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.template.loader import render_to_string

from ayni.accounts.selectors import sign_ins
from ayni.boletas import events as boletas_events
from ayni.boletas.models import DOCUMENT_KIND as BOLETA_KIND
from ayni.boletas.selectors import own_boletas
from ayni.core import events as core_events
from ayni.core.models import AuditEvent
from ayni.delivery import events as delivery_events
from ayni.delivery.models import DeliveryConsent
from ayni.delivery.services import RECEIPT_KIND
from ayni.documents.models import IssuedDocument
from ayni.legajo import events as legajo_events
from ayni.legajo.models import ChangeRequest, LegajoReport
from ayni.legajo.sections import SECTIONS, section_title
from ayni.legajo.selectors import own_legajo
from ayni.organizations.models import StaffRole

# Sign-ins exported: the latest ones (a year of daily use), not the whole log.
SIGN_IN_EXPORT_LIMIT = 500

ESCALAFON = StaffRole.Role.ESCALAFON.label
BOLETAS = StaffRole.Role.BOLETAS.label
PLATFORM_ADMIN = "Administrador de la plataforma (MINEDU)"


@dataclass(frozen=True)
class StaffUse:
    """What an audit action means to the person whose data it read, and which role does it."""

    text: str
    role: str
    staff_role: str = ""  # the StaffRole whose unit is shown (none for MINEDU administrators)


# The audit actions that are a staff member's look at (or use of) someone's legajo, boletas
# and documents. Their own views by servants (legajo.ver, boleta.vista...) are not here; the
# owner's own openings of shared actions (documents, attachments) are left out by actor.
STAFF_USES = {
    legajo_events.STAFF_VIEWED: StaffUse("Abrió su legajo", ESCALAFON, "escalafon"),
    legajo_events.HISTORY_VIEWED: StaffUse(
        "Consultó el historial de su legajo", ESCALAFON, "escalafon"
    ),
    legajo_events.REQUEST_REVIEWED: StaffUse("Revisó una solicitud suya", ESCALAFON, "escalafon"),
    legajo_events.ATTACHMENT_VIEWED: StaffUse(
        "Abrió un documento sustentatorio de una solicitud suya", ESCALAFON, "escalafon"
    ),
    legajo_events.DOCUMENT_VIEWED: StaffUse(
        "Abrió un documento emitido de su legajo", ESCALAFON, "escalafon"
    ),
    legajo_events.HOJA_DE_VIDA_ISSUED: StaffUse("Emitió su hoja de vida", ESCALAFON, "escalafon"),
    legajo_events.INFORME_ISSUED: StaffUse(
        "Emitió su informe escalafonario", ESCALAFON, "escalafon"
    ),
    boletas_events.STAFF_LISTED: StaffUse("Consultó la lista de sus boletas", BOLETAS, "boletas"),
    boletas_events.STAFF_VIEWED: StaffUse("Vio una boleta suya", BOLETAS, "boletas"),
    boletas_events.STAFF_DOWNLOADED: StaffUse("Descargó una boleta suya", BOLETAS, "boletas"),
    delivery_events.RECEIPT_ISSUED: StaffUse(
        "Emitió una constancia de entrega de sus boletas", BOLETAS, "boletas"
    ),
    core_events.ADMIN_VIEWED: StaffUse(
        "Abrió un registro suyo en el administrador del sistema", PLATFORM_ADMIN
    ),
}


def privacy_notice() -> str:
    """The notice text, from the template operators may replace (AYNI_PRIVACY_NOTICE_TEMPLATE)."""
    context = {
        "platform_name": settings.AYNI_PLATFORM_NAME,
        "support_email": settings.AYNI_SUPPORT_EMAIL,
    }
    return render_to_string(settings.AYNI_PRIVACY_NOTICE_TEMPLATE, context).strip()


def staff_views(user) -> QuerySet[AuditEvent]:
    """Staff looks at the servant's data (`STAFF_USES`), newest first; never the servant's
    own, nor anonymous lines."""
    servant = getattr(user, "servant", None)
    if servant is None:
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(
            subject=servant.document_number, action__in=STAFF_USES, actor__isnull=False
        )
        .exclude(actor=user)
        .order_by("-created_at", "-id")
    )


def describe_views(events) -> list[dict]:
    """Date, what was done, role and unit of each view: never who (the staff member's name)."""
    events = list(events)
    units = defaultdict(dict)
    roles = StaffRole.objects.filter(user_id__in={e.actor_id for e in events}).select_related(
        "unit"
    )
    for role in roles.order_by("id"):
        units[role.user_id].setdefault(role.role, role.unit.name)
    rows = []
    for event in events:
        use = STAFF_USES[event.action]
        rows.append(
            {
                "at": event.created_at,
                "text": use.text,
                "role": use.role,
                "unit": units[event.actor_id].get(use.staff_role, ""),
            }
        )
    return rows


def _legajo_data(legajo) -> dict | None:
    if legajo is None:
        return None
    return {
        "unidad": {"codigo": legajo.unit.code, "nombre": legajo.unit.name},
        "vigente": legajo.vigente,
        "abierto": legajo.opened_at,
        "secciones": {
            section.key: {
                "titulo": section.title,
                "registros": [section.snapshot(item) for item in section.items(legajo)],
            }
            for section in SECTIONS
        },
        "historial": [
            {
                "fecha": entry.at,
                "seccion": section_title(entry.section),
                "registro": entry.item_id,
                "accion": entry.get_action_display(),
                "antes": entry.before,
                "despues": entry.after,
                "solicitud": entry.change_request.code if entry.change_request else None,
            }
            for entry in legajo.history.select_related("change_request")
        ],
    }


def _requests_data(legajo) -> list[dict]:
    if legajo is None:
        return []
    requests = (
        ChangeRequest.objects.filter(legajo=legajo)
        .select_related("document")
        .prefetch_related("changes", "attachments")
        .order_by("created_at", "id")
    )
    return [
        {
            "codigo": r.code,
            "solicitud_de": section_title(r.section),
            "estado": r.get_state_display(),
            "creada": r.created_at,
            "enviada": r.submitted_at,
            "atendida": r.decided_at,
            "sustento": r.comment,
            "observacion": r.observation,
            "cambios": [
                {"accion": c.get_action_display(), "antes": c.before, "despues": c.after}
                for c in r.changes.all()
            ],
            "adjuntos": [
                {
                    "nombre": a.original_name,
                    "tipo": a.content_type,
                    "bytes": a.size,
                    "sha256": a.sha256,
                }  # fmt: skip
                for a in r.attachments.all()
            ],
            "documento_emitido": r.document.code if r.document else None,
        }
        for r in requests
    ]


def _boletas_data(user) -> dict:
    boletas = own_boletas(user).order_by("period", "id")
    rows = [
        {
            "periodo": f"{b.period:%Y-%m}",
            "tipo_planilla": b.payroll_type,
            "entidad": b.entity_name,
            "estado": b.get_state_display(),
            "bruto": b.gross,
            "descuentos": b.deductions,
            "neto": b.net,
        }
        for b in boletas
    ]
    current = boletas.filter(state=boletas.model.State.CURRENT)
    sums = current.aggregate(bruto=Sum("gross"), descuentos=Sum("deductions"), neto=Sum("net"))
    totals = {name: value or Decimal("0.00") for name, value in sums.items()}
    return {"boletas": rows, "totales_vigentes": {"cantidad": current.count(), **totals}}


KIND_LABELS = {
    **dict(LegajoReport.Kind.choices),
    BOLETA_KIND: "Boleta de pago",
    RECEIPT_KIND: "Constancia de entrega de boletas",
}
# Issued documents the owner downloads from «Mis documentos emitidos» (legajo:documento).
OWNER_DOWNLOADS = frozenset(LegajoReport.Kind.values)


def own_documents(user) -> QuerySet[IssuedDocument]:
    """The official documents issued about the servant, newest first."""
    servant_id = getattr(user, "servant_id", None)
    if servant_id is None:
        return IssuedDocument.objects.none()
    return IssuedDocument.objects.filter(servant_id=servant_id).order_by("-issued_at", "-id")


def issued_documents(user) -> list[dict]:
    """«Mis documentos emitidos»: the servant's documents but the boletas (in «Mi boleta»)."""
    return [
        {
            "document": document,
            "label": KIND_LABELS.get(document.kind, document.kind),
            "downloadable": document.kind in OWNER_DOWNLOADS,
        }
        for document in own_documents(user).exclude(kind=BOLETA_KIND)
    ]


def personal_data(user) -> dict:
    """Everything the platform holds about the servant (the «Descargar mis datos» JSON)."""
    servant = user.servant
    legajo = own_legajo(user)
    return {
        "cuenta": {
            "usuario": user.get_username(),
            "tipo_documento": user.document_type,
            "correo": user.email,
            "nombres": user.first_name,
            "apellidos": user.last_name,
            "activa": user.is_active,
            "alta": user.date_joined,
            "ultimo_ingreso": user.last_login,
        },
        "servidor": {
            "tipo_documento": servant.document_type,
            "numero_documento": servant.document_number,
            "apellido_paterno": servant.apellido_paterno,
            "apellido_materno": servant.apellido_materno,
            "nombres": servant.nombres,
            "unidad": {"codigo": servant.unit.code, "nombre": servant.unit.name}
            if servant.unit_id
            else None,
            "registrado": servant.created_at,
        },
        "legajo": _legajo_data(legajo),
        "solicitudes": _requests_data(legajo),
        **_boletas_data(user),
        "documentos_emitidos": [
            {
                "codigo": d.code,
                "tipo": d.kind,
                "emitido": d.issued_at,
                "estado": d.get_state_display(),
            }  # fmt: skip
            for d in own_documents(user)
        ],
        "aceptaciones_entrega_electronica": [
            {
                "aceptado": c.accepted_at,
                "version_texto": c.terms.version,
                "ip": c.ip,
                "navegador": c.user_agent,
            }  # fmt: skip
            for c in DeliveryConsent.objects.filter(account=user)
            .select_related("terms")
            .order_by("accepted_at", "id")
        ],
        "ingresos": [
            {
                "fecha": e.created_at,
                "resultado": e.get_outcome_display(),
                "accion": e.action,
                "ip": e.ip,
                "navegador": e.user_agent,
            }  # fmt: skip
            for e in sign_ins(user, limit=SIGN_IN_EXPORT_LIMIT)
        ],
        "consultas_del_personal": [
            {"fecha": row["at"], "que": row["text"], "rol": row["role"], "unidad": row["unit"]}
            for row in describe_views(staff_views(user))
        ],
    }
