import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from ayni.documents.immutable import OfficialRecord, OfficialRecordChange


def new_verification_code() -> str:
    """144 random bits, URL-safe; never derived from database ids."""
    return secrets.token_urlsafe(18)


def document_path(document, filename):
    return f"documentos/{document.kind}/{document.issued_at:%Y/%m}/{filename}"


class IssuedDocument(OfficialRecord):
    """Every official PDF the platform issues (boleta, hoja de vida, informe), recorded once.

    The public verification page reads only this record. A new kind of document adds a
    renderer to `ayni.documents.registry`, never a new verification path.

    An official record: once issued, only its state changes, from "Válido" to "Anulado"
    (`ayni.documents.immutable`).
    """

    class State(models.TextChoices):
        # Named as the boleta and the request states are: "Anulado" everywhere (the PDF's
        # watermark says ANULADO); the values stay as stored.
        VALID = "valida", "Válido"
        ANNULLED = "anulada", "Anulado"

    kind = models.CharField("tipo", max_length=32)
    # Whose document it is; none for a document about many servants (a planilla's
    # constancia de entrega).
    servant = models.ForeignKey(
        "organizations.Servant", verbose_name="servidor", null=True, blank=True,
        on_delete=models.PROTECT, related_name="issued_documents",
    )  # fmt: skip
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    code = models.CharField(
        "código de verificación", max_length=32, unique=True, default=new_verification_code
    )
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    file = models.FileField("archivo", upload_to=document_path, max_length=255)
    issued_at = models.DateTimeField("emitido")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="emitido por", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    state = models.CharField("estado", max_length=8, choices=State.choices, default=State.VALID)
    # A copy issued for a source that was already annulled carries the ANULADO watermark;
    # fixed at issue so that rendering the record again gives the same bytes.
    issued_annulled = models.BooleanField("emitido como anulado", default=False)
    summary = models.JSONField("datos públicos", default=dict)

    class Meta:
        verbose_name = "documento emitido"
        verbose_name_plural = "documentos emitidos"
        indexes = [models.Index(fields=["source_type", "source_id", "-issued_at"])]

    def __str__(self):
        return f"{self.kind} {self.code}"

    @classmethod
    def allowed_update(cls, values: dict) -> bool:
        # Annulling, and pointing to the stored name of a lost file rendered again (its
        # SHA-256 is checked first: ayni.documents.services.document_bytes).
        return values == {"state": cls.State.ANNULLED} or set(values) == {"file"}

    def allowed_change(self, stored: dict, changed: set[str]) -> bool:
        if changed != {"state"}:
            return False
        if stored["state"] == self.State.ANNULLED:
            raise OfficialRecordChange(
                "Un documento anulado no vuelve a ser válido: se emite uno nuevo.",
                code="official_record",
            )
        return self.state == self.State.ANNULLED
