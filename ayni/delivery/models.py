"""Proof of electronic delivery of boletas (DL 1310 art. 3): that the servant accepted the
channel, that each boleta was published to them, and every time they opened or saved it.

Every row here is an official record (`ayni.documents.immutable`): written once, never
changed nor deleted; kept at least as long as the boletas it proves (5 years, in practice
for good).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ayni.documents.immutable import OfficialRecord


class DeliveryTerms(OfficialRecord):
    """One text of the e-delivery consent, as servants read it; stored once per content."""

    version = models.CharField("versión", max_length=40)
    sha256 = models.CharField("SHA-256 del texto", max_length=64, unique=True)
    text = models.TextField("texto")
    first_shown_at = models.DateTimeField("mostrado por primera vez", default=timezone.now)

    class Meta:
        verbose_name = "texto de entrega electrónica"
        verbose_name_plural = "textos de entrega electrónica"

    def __str__(self):
        return f"{self.version} ({self.sha256[:12]})"


class DeliveryConsent(OfficialRecord):
    """A servant's acceptance of electronic delivery of their boletas, under one text."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="cuenta",
        on_delete=models.PROTECT, related_name="delivery_consents",
    )  # fmt: skip
    terms = models.ForeignKey(DeliveryTerms, verbose_name="texto", on_delete=models.PROTECT)
    accepted_at = models.DateTimeField("aceptado", default=timezone.now)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    user_agent = models.CharField("navegador", max_length=300, blank=True)

    class Meta:
        verbose_name = "aceptación de entrega electrónica"
        verbose_name_plural = "aceptaciones de entrega electrónica"
        constraints = [
            models.UniqueConstraint(fields=["account", "terms"], name="one_consent_per_terms")
        ]

    def __str__(self):
        return f"{self.account} {self.terms.version} {self.accepted_at:%Y-%m-%d %H:%M}"


class BoletaAccess(OfficialRecord):
    """The servant opened (vista) or saved (descarga) the PDF of one of their boletas."""

    class Kind(models.TextChoices):
        VIEW = "vista", "Vista"
        DOWNLOAD = "descarga", "Descarga"

    boleta = models.ForeignKey(
        "boletas.Boleta", verbose_name="boleta", on_delete=models.PROTECT,
        related_name="accesses", db_index=False,
    )  # fmt: skip
    kind = models.CharField("acción", max_length=8, choices=Kind.choices)
    at = models.DateTimeField("fecha", default=timezone.now)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    user_agent = models.CharField("navegador", max_length=300, blank=True)

    class Meta:
        verbose_name = "acceso a boleta"
        verbose_name_plural = "accesos a boletas"
        indexes = [models.Index(fields=["boleta", "at"], name="boleta_access_at")]

    def __str__(self):
        return f"{self.boleta_id} {self.kind} {self.at:%Y-%m-%d %H:%M:%S}"


class DeliveryReceipt(OfficialRecord):
    """A constancia de entrega electrónica as issued: its scope and the rows it lists, frozen
    at `cutoff` so that the signed PDF can always be rendered again with the same bytes."""

    class Scope(models.TextChoices):
        PLANILLA = "planilla", "Planilla"
        SERVANT = "servidor", "Servidor y periodos"

    scope = models.CharField("alcance", max_length=8, choices=Scope.choices)
    planilla = models.ForeignKey(
        "boletas.PlanillaImport", verbose_name="planilla", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    servant = models.ForeignKey(
        "organizations.Servant", verbose_name="servidor", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="solicitado por",
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    cutoff = models.DateTimeField("información al")
    data = models.JSONField("contenido")

    class Meta:
        verbose_name = "constancia de entrega electrónica"
        verbose_name_plural = "constancias de entrega electrónica"

    def __str__(self):
        return f"{self.get_scope_display()} {self.cutoff:%Y-%m-%d %H:%M}"
