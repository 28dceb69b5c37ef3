"""A constancia as issued: its data frozen when the servant asked for it, so that the signed
PDF can always be rendered again with the same bytes (`ayni.documents.services`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ayni.documents.immutable import OfficialRecord


class Constancia(OfficialRecord):
    """One constancia a servant issued themself; an official record, never changed."""

    class Kind(models.TextChoices):
        # The values are also the kinds of their IssuedDocument (`ayni.documents.registry`).
        HABERES = "constancia_haberes", "Constancia de haberes y descuentos"
        TRABAJO = "constancia_trabajo", "Constancia de trabajo"
        TIEMPO = "constancia_tiempo_servicios", "Constancia de tiempo de servicios"

    kind = models.CharField("tipo", max_length=32, choices=Kind.choices)
    servant = models.ForeignKey(
        "organizations.Servant", verbose_name="servidor",
        on_delete=models.PROTECT, related_name="constancias",
    )  # fmt: skip
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="solicitada por",
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    cutoff = models.DateTimeField("información al", default=timezone.now)
    data = models.JSONField("contenido")

    class Meta:
        verbose_name = "constancia"
        verbose_name_plural = "constancias"
        indexes = [models.Index(fields=["servant", "-cutoff"], name="constancia_servant_cutoff")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.cutoff:%Y-%m-%d %H:%M}"
