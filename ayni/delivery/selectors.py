"""Reads of the delivery proofs. Every list starts from a scope the caller has already
checked (the servant's own boletas, or a planilla / servant the staff member covers)."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.template.loader import render_to_string

from ayni.boletas.models import Boleta
from ayni.boletas.selectors import ROLE as BOLETAS_ROLE
from ayni.core.formats import datetime_dmy, period_label
from ayni.delivery.models import BoletaAccess, DeliveryConsent
from ayni.documents.models import IssuedDocument
from ayni.organizations.models import Servant
from ayni.organizations.scoping import covered_units


def terms_text() -> str:
    """The consent text servants read now (a template operators may replace)."""
    context = {"platform_name": settings.AYNI_PLATFORM_NAME}
    return render_to_string(settings.AYNI_EDELIVERY_TERMS_TEMPLATE, context).strip()


def terms_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def has_accepted(user, text: str | None = None) -> bool:
    """Whether the user accepted electronic delivery under the text shown now."""
    sha256 = terms_sha256(text if text is not None else terms_text())
    return DeliveryConsent.objects.filter(account=user, terms__sha256=sha256).exists()


def needs_consent(user) -> bool:
    return getattr(user, "servant_id", None) is not None and not has_accepted(user)


def accepted_terms_of(user) -> DeliveryConsent | None:
    return (
        DeliveryConsent.objects.filter(account=user)
        .select_related("terms")
        .order_by("-accepted_at")
        .first()
    )


# --- Mi boleta ---------------------------------------------------------------------------
def with_delivery_dates(boletas: QuerySet[Boleta]) -> QuerySet[Boleta]:
    """`published_at` (its import's end) and `first_seen_at` (the servant's first view or
    download, None until then), for "Publicada / Vista por primera vez"."""
    first_seen = BoletaAccess.objects.filter(boleta=OuterRef("pk")).order_by("at").values("at")
    return boletas.annotate(
        published_at=F("imported_in__finished_at"), first_seen_at=Subquery(first_seen[:1])
    )


# --- staff: who has not accepted ---------------------------------------------------------
def staff_consents(user, pending_only: bool = False) -> QuerySet[Servant]:
    """Servants with an account in the units the user covers as administrador de boletas,
    with `accepted_at` (their latest acceptance under the current text, or None)."""
    sha256 = terms_sha256(terms_text())
    accepted = DeliveryConsent.objects.filter(
        account__servant=OuterRef("pk"), terms__sha256=sha256
    ).order_by("-accepted_at")
    servants = (
        Servant.objects.filter(unit__in=covered_units(user, BOLETAS_ROLE), account__isnull=False)
        .annotate(
            accepted=Exists(accepted),
            accepted_at=accepted.values("accepted_at")[:1],
        )
        .select_related("unit")
        .order_by("apellido_paterno", "apellido_materno", "nombres", "pk")
    )
    return servants.filter(accepted=False) if pending_only else servants


# --- the constancia de entrega electrónica -------------------------------------------------
# The columns of `delivery_rows`: (header, key), in the constancia's order.
RECEIPT_FIELDS = [
    ("Documento", "documento"), ("Servidor", "servidor"), ("Periodo", "periodo"),
    ("Planilla", "planilla"), ("Estado", "estado"), ("Publicada", "publicada"),
    ("PDF emitido y firmado", "emitida"), ("Código de verificación", "codigo"),
    ("Vista por primera vez", "primera_vista"), ("Vistas", "vistas"),
    ("Descargas", "descargas"), ("Última descarga", "ultima_descarga"),
    ("Aceptó la entrega electrónica", "aceptacion"),
]  # fmt: skip


# What `delivery_rows` reads of each boleta and its servant.
ROW_FIELDS = (
    "period", "payroll_type", "state", "apellido_paterno", "apellido_materno", "nombres",
    "servant", "servant__document_type", "servant__document_number",
)  # fmt: skip


def delivery_rows(boletas: QuerySet[Boleta], cutoff: datetime) -> list[dict]:
    """One row per boleta: published, PDF issued and signed, first view, views and downloads
    by the servant, and the servant's acceptance; everything as it stood at `cutoff`."""
    # The import's end only: its row also holds the whole list of servants it touched. Nor
    # the boletas' conceptos: a planilla's constancia reads tens of thousands of rows.
    boletas = (
        boletas.filter(imported_in__finished_at__lte=cutoff)
        .select_related("servant")
        .only(*ROW_FIELDS)
        .annotate(published_at=F("imported_in__finished_at"))
    )
    scope = boletas.values("pk")
    documents = {}
    for source_id, issued_at, code in (
        IssuedDocument.objects.filter(
            source_type=ContentType.objects.get_for_model(Boleta),
            source_id__in=scope,
            issued_at__lte=cutoff,
        )
        .order_by("-issued_at", "-id")
        .values_list("source_id", "issued_at", "code")
    ):
        documents[source_id] = (issued_at, code)  # the earliest wins
    view, download = BoletaAccess.Kind.VIEW, BoletaAccess.Kind.DOWNLOAD
    accesses = {
        row["boleta_id"]: row
        for row in BoletaAccess.objects.filter(boleta_id__in=scope, at__lte=cutoff)
        .values("boleta_id")
        .annotate(
            first=Min("at"),
            views=Count("pk", filter=Q(kind=view)),
            downloads=Count("pk", filter=Q(kind=download)),
            last_download=Max("at", filter=Q(kind=download)),
        )
    }
    consents = {}
    for servant_id, accepted_at, version in (
        DeliveryConsent.objects.filter(
            account__servant__in=boletas.values("servant_id"), accepted_at__lte=cutoff
        )
        .order_by("-accepted_at")
        .values_list("account__servant_id", "accepted_at", "terms__version")
    ):
        consents[servant_id] = (accepted_at, version)  # the earliest wins
    rows = []
    for boleta in boletas.order_by(
        "servant__document_number", "period", "payroll_type", "pk"
    ).iterator(chunk_size=2000):
        issued = documents.get(boleta.pk)
        access = accesses.get(boleta.pk, {})
        consent = consents.get(boleta.servant_id)
        rows.append(
            {
                "documento": f"{boleta.servant.document_type} {boleta.servant.document_number}",
                "servidor": boleta.full_name,
                "periodo": period_label(boleta.period),
                "planilla": boleta.payroll_type,
                "estado": boleta.get_state_display(),
                "publicada": datetime_dmy(boleta.published_at),
                "emitida": datetime_dmy(issued[0]) if issued else "",
                "codigo": issued[1] if issued else "",
                "primera_vista": datetime_dmy(access.get("first")),
                "vistas": access.get("views", 0),
                "descargas": access.get("downloads", 0),
                "ultima_descarga": datetime_dmy(access.get("last_download")),
                "aceptacion": f"{datetime_dmy(consent[0])} (versión {consent[1]})"
                if consent
                else "",
            }
        )
    return rows


def access_log(boletas: QuerySet[Boleta], cutoff: datetime) -> list[dict]:
    """Every view and download of these boletas by their servant, oldest first."""
    return [
        {
            "fecha": datetime_dmy(access.at),
            "periodo": period_label(access.boleta.period),
            "planilla": access.boleta.payroll_type,
            "accion": access.get_kind_display(),
            "ip": access.ip or "",
            "navegador": access.user_agent[:120],
        }
        for access in BoletaAccess.objects.filter(boleta__in=boletas.values("pk"), at__lte=cutoff)
        .select_related("boleta")
        .order_by("at", "pk")
    ]
