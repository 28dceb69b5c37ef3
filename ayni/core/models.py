from django.conf import settings
from django.db import models


class AppendOnly(Exception):
    """An attempt to change or delete a line of the audit log."""


class AuditEventQuerySet(models.QuerySet):
    """Lines are added, never changed nor deleted in bulk either."""

    def update(self, **kwargs):
        raise AppendOnly("El registro de auditoría no se modifica.")

    def delete(self):
        raise AppendOnly("El registro de auditoría no se borra.")

    def purge(self):
        """The one deletion allowed: the retention purge of anonymous noise (refused public
        submissions, verifications that found nothing), which proves no view of anyone's data.
        Returns what `QuerySet.delete` returns."""
        return super().delete()


class AuditEvent(models.Model):
    """One line of the append-only audit log. Written only through `ayni.core.audit.record`."""

    class Outcome(models.TextChoices):
        OK = "ok", "Correcto"
        FAILED = "failed", "Fallido"
        DENIED = "denied", "Denegado"

    created_at = models.DateTimeField("fecha", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="usuario",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField("usuario (texto)", max_length=64, blank=True)
    action = models.CharField("acción", max_length=64, db_index=True)
    target_type = models.CharField("tipo de objeto", max_length=64, blank=True)
    target_id = models.CharField("objeto", max_length=64, blank=True)
    outcome = models.CharField(
        "resultado", max_length=8, choices=Outcome.choices, default=Outcome.OK
    )
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    user_agent = models.CharField("navegador", max_length=300, blank=True)
    details = models.JSONField("detalles", default=dict, blank=True)
    # Filled by `record` from the target (else the actor): the unit whose staff or data the
    # event concerns, and the document number of the person whose data it is.
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="unidad", null=True, blank=True,
        on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+",
    )  # fmt: skip
    subject = models.CharField("documento de la persona", max_length=16, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "evento de auditoría"
        verbose_name_plural = "auditoría"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["actor", "action", "-created_at"]),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["unit", "-created_at"]),
            models.Index(fields=["subject", "-created_at"]),
            models.Index(fields=["actor_label", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("El registro de auditoría no se modifica.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("El registro de auditoría no se borra.")


class CodeSequence(models.Model):
    """The last number handed out for a code prefix in a year (SOL-2026-000123,
    ACC-2026-000045); written only through `ayni.core.sequences`."""

    prefix = models.CharField("prefijo", max_length=3)
    year = models.PositiveSmallIntegerField("año")
    last_number = models.PositiveIntegerField("último número", default=0)

    class Meta:
        verbose_name = "correlativo"
        verbose_name_plural = "correlativos"
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="one_sequence_per_prefix_year")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"
