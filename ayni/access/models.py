"""Public requests that reach a UGEL's administrators: access to the platform and help to log in.

Both kinds live in one table so that a UGEL has one tray, ordered by age, whatever the kind.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ayni.core.validators import DOCUMENT_TYPES


def attachment_path(access_request, filename):
    """A random name under the year: the stored name says nothing about its owner (only a
    known extension is kept from the name it is given)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    extension = extension if extension in {"pdf", "jpg", "jpeg", "png"} else "bin"
    return f"acceso/{timezone.now():%Y}/{secrets.token_hex(16)}.{extension}"


class AccessRequest(models.Model):
    class Kind(models.TextChoices):
        NEW_ACCOUNT = "alta", "Nueva cuenta"
        EMAIL_CHANGE = "correo", "Cambio de correo"
        HELP = "ayuda", "Ayuda para ingresar"

    class State(models.TextChoices):
        IN_REVIEW = "revision", "En revisión"
        OBSERVED = "observada", "Observada"
        APPROVED = "aprobada", "Aprobada"
        REJECTED = "rechazada", "Rechazada"
        ATTENDED = "atendida", "Atendida"

    class Condition(models.TextChoices):
        NOMBRADO = "nombrado", "Nombrado"
        CONTRATADO = "contratado", "Contratado"
        CESANTE = "cesante", "Cesante"
        OTHER = "otro", "Otro"

    class Problem(models.TextChoices):
        NO_MAIL = "no_llega_correo", "No me llega el correo"
        LINK_EXPIRED = "enlace_vencido", "El enlace venció"
        LOCKED = "cuenta_bloqueada", "Mi cuenta está bloqueada"
        OTHER = "otro", "Otro"

    PENDING_STATES = (State.IN_REVIEW, State.OBSERVED)
    ACCESS_KINDS = (Kind.NEW_ACCOUNT, Kind.EMAIL_CHANGE)

    code = models.CharField("código", max_length=16, unique=True)
    kind = models.CharField("tipo", max_length=8, choices=Kind.choices)
    state = models.CharField(
        "estado", max_length=10, choices=State.choices, default=State.IN_REVIEW
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="UGEL", on_delete=models.PROTECT,
        related_name="access_requests",
    )  # fmt: skip
    document_type = models.CharField("tipo de documento", max_length=3, choices=DOCUMENT_TYPES)
    document_number = models.CharField("número de documento", max_length=12)
    apellido_paterno = models.CharField("apellido paterno", max_length=80, blank=True)
    apellido_materno = models.CharField("apellido materno", max_length=80, blank=True)
    nombres = models.CharField("nombres", max_length=120, blank=True)
    email = models.EmailField("correo electrónico", max_length=254)
    phone = models.CharField("teléfono", max_length=20)
    condition = models.CharField("condición", max_length=12, choices=Condition.choices,
                                 blank=True)  # fmt: skip
    problem = models.CharField("qué sucede", max_length=20, choices=Problem.choices, blank=True)
    description = models.TextField("descripción", blank=True)

    attachment = models.FileField(
        "documento de identidad", upload_to=attachment_path, max_length=255, blank=True
    )
    attachment_type = models.CharField("tipo de archivo", max_length=40, blank=True)
    attachment_deleted_at = models.DateTimeField("documento eliminado", null=True, blank=True)
    consent_text = models.TextField("texto del consentimiento", blank=True)
    consented_at = models.DateTimeField("consentimiento", null=True, blank=True)

    submissions = models.PositiveSmallIntegerField("envíos", default=1)
    # A submission for a document that already had a pending request of the same family is a
    # request of its own, never merged into that one: anybody can type a DNI. It points to
    # the earliest pending one so that the UGEL sees both as possible duplicates.
    duplicate_of = models.ForeignKey(
        "self", verbose_name="posible duplicado de", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="duplicates",
    )  # fmt: skip
    created_at = models.DateTimeField("recibida", default=timezone.now)
    updated_at = models.DateTimeField("actualizada", auto_now=True)
    observation = models.TextField("observación de la UGEL", blank=True)
    correction = models.TextField("respuesta a la observación", blank=True)
    corrected_at = models.DateTimeField("respondida", null=True, blank=True)
    resolution = models.TextField("motivo o respuesta", blank=True)
    decided_at = models.DateTimeField("decidida", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="decidida por", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="cuenta", null=True, blank=True,
        on_delete=models.PROTECT, related_name="access_requests",
    )  # fmt: skip

    class Meta:
        verbose_name = "solicitud de acceso o ayuda"
        verbose_name_plural = "solicitudes de acceso y ayuda"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["unit", "state", "created_at"]),
            models.Index(fields=["document_type", "document_number"]),
            models.Index(
                fields=["decided_at"],
                condition=Q(attachment_deleted_at__isnull=True) & ~Q(attachment=""),
                name="access_attachment_to_purge",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(decided_at__isnull=True, attachment_deleted_at__isnull=True)
                & ~Q(attachment=""),
                name="access_undecided_to_purge",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def is_help(self) -> bool:
        return self.kind == self.Kind.HELP

    @property
    def is_pending(self) -> bool:
        return self.state in self.PENDING_STATES

    @property
    def may_be_observed(self) -> bool:
        """The applicant answers an observation once; after that only a decision remains."""
        return not self.is_help and self.is_pending and self.corrected_at is None

    @property
    def awaits_correction(self) -> bool:
        return self.state == self.State.OBSERVED and self.corrected_at is None

    @property
    def family(self) -> tuple[str, ...]:
        """The kinds a pending request of the same document duplicates."""
        return (self.Kind.HELP,) if self.is_help else tuple(self.ACCESS_KINDS)

    @property
    def is_possible_duplicate(self) -> bool:
        """Flagged for the UGEL: it duplicates an earlier request, or a later one duplicates it.

        The tray annotates `has_duplicates`; otherwise it is looked up.
        """
        if self.duplicate_of_id is not None:
            return True
        has_duplicates = getattr(self, "has_duplicates", None)
        if has_duplicates is None:
            has_duplicates = self.duplicates.exists()
        return has_duplicates

    @property
    def full_name(self) -> str:
        apellidos = " ".join(p for p in (self.apellido_paterno, self.apellido_materno) if p)
        return f"{apellidos} {self.nombres}".strip()


class RequestEvent(models.Model):
    """The history of a request, shown in the tray; kept when its attachment is deleted."""

    class Action(models.TextChoices):
        SUBMITTED = "enviada", "Solicitud recibida"
        MERGED = "reenviada", "Nuevo envío del mismo documento (unido a esta solicitud)"
        DUPLICATE = "duplicada", "Otra solicitud del mismo documento (posible duplicado)"
        OBSERVED = "observada", "Observada"
        CORRECTED = "corregida", "Respuesta del solicitante a la observación"
        APPROVED = "aprobada", "Aprobada"
        REJECTED = "rechazada", "Rechazada"
        PASSWORD_MAIL = "correo_clave", "Reenvío del correo «Generar tu contraseña»"
        EMAIL_CHANGED = "correo_cambiado", "Correo de la cuenta actualizado"
        UNLOCKED = "desbloqueada", "Cuenta desbloqueada"
        ANSWERED = "respondida", "Respondida por correo"
        ATTACHMENT_DELETED = "adjunto_eliminado", "Documento de identidad eliminado (plazo)"

    access_request = models.ForeignKey(
        AccessRequest, verbose_name="solicitud", on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField("fecha", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="usuario", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    action = models.CharField("acción", max_length=20, choices=Action.choices)
    note = models.TextField("detalle", blank=True)

    class Meta:
        verbose_name = "evento de solicitud"
        verbose_name_plural = "eventos de solicitudes"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.access_request} {self.action}"
