import json
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from ayni.documents.immutable import OfficialRecord


def planilla_path(planilla_import, filename):
    """A random name under the month: the uploader's file name stays in `file_name` only."""
    suffix = ".csv.gz" if filename.lower().endswith(".gz") else ".csv"
    return f"planillas/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}"


class PlanillaImport(OfficialRecord):
    """One planilla file handed to the platform: who, when, its SHA-256, result and counts.

    An official record: the services move it through its states (validated, queued, then
    imported, rejected or discarded); once finished it never changes, except that the
    uploaded file it kept is deleted and that the notices of its boletas are marked as sent,
    once (`ayni.documents.immutable`).
    """

    class Origin(models.TextChoices):
        COMMAND = "comando", "Comando"
        WEB = "web", "Carga web"
        DEMO = "demo", "Demostración"

    class State(models.TextChoices):
        VALIDATED = "validado", "Validado, por confirmar"
        QUEUED = "en_cola", "En proceso"
        IMPORTED = "importado", "Importado"
        REJECTED = "rechazado", "Rechazado"
        DISCARDED = "descartado", "Descartado"

    file_name = models.CharField("archivo", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("tamaño (bytes)", default=0)
    origin = models.CharField("origen", max_length=8, choices=Origin.choices)
    state = models.CharField("resultado", max_length=10, choices=State.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="cargado por", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("fecha", auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField("terminado", null=True, blank=True)
    # Web uploads wait here (private storage) between validation and confirmation.
    stored_file = models.FileField("archivo guardado", upload_to=planilla_path, blank=True)
    entities = models.ManyToManyField(
        "organizations.Unit", verbose_name="entidades", related_name="+", blank=True
    )
    lines = models.PositiveIntegerField("líneas", default=0)
    boletas_created = models.PositiveIntegerField("boletas nuevas", default=0)
    boletas_replaced = models.PositiveIntegerField("boletas reemplazadas", default=0)
    boletas_unchanged = models.PositiveIntegerField("boletas sin cambios", default=0)
    boletas_withdrawn = models.PositiveIntegerField("boletas retiradas", default=0)
    servants_created = models.PositiveIntegerField("servidores nuevos", default=0)
    error_count = models.PositiveIntegerField("errores", default=0)
    errors = models.JSONField("primeros errores", default=list, blank=True)
    # What the file holds and what its import does, shown before confirming.
    # "2022-06 2022-07 ...": a demo or a yearly planilla spans dozens of months
    periods = models.TextField("periodos", blank=True)
    boleta_count = models.PositiveIntegerField("boletas", default=0)
    gross_total = models.DecimalField("total bruto", max_digits=16, decimal_places=2, default=0)
    deductions_total = models.DecimalField(
        "total descuentos", max_digits=16, decimal_places=2, default=0
    )
    net_total = models.DecimalField("total neto", max_digits=16, decimal_places=2, default=0)
    # Digest of the outcome (which current boletas each boleta of the file replaces, leaves
    # alone or withdraws): a confirmation imports only if it is still what was previewed.
    outcome = models.CharField("huella del resultado", max_length=64, blank=True)
    # The servants whose boletas the import creates, replaces or withdraws:
    # [tipo, número, nombre, "nueva"|"reemplaza"|"retirada", neto].
    affected = models.JSONField("servidores afectados", default=list, blank=True)
    # When the "nueva boleta" mails of its new boletas were queued: once, however often the
    # notice task runs.
    notified_at = models.DateTimeField("avisos enviados", null=True, blank=True)

    class Meta:
        verbose_name = "importación de planilla"
        verbose_name_plural = "importaciones de planillas"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"

    FINISHED = frozenset({State.IMPORTED, State.REJECTED, State.DISCARDED})

    @property
    def period_list(self) -> list[str]:
        return self.periods.split()

    @property
    def summary(self) -> str:
        """The result in words, for the history."""
        if self.state == self.State.REJECTED:
            errors = f"{self.error_count} error" + ("es" if self.error_count != 1 else "")
            first = self.errors[0] if self.errors else None
            if first:
                where = f"línea {first['linea']}"
                if first.get("columna"):
                    where += f", columna «{first['columna']}»"
                return f"Rechazado: {errors} (el primero en la {where}). No se importó nada."
            return f"Rechazado: {errors}. No se importó nada."
        if self.state == self.State.DISCARDED:
            return "Descartado: no se importó nada."
        if self.state == self.State.QUEUED:
            return "En proceso de importación."
        parts = [
            f"{count} {label}"
            for count, label in (
                (self.boletas_created, "nuevas"),
                (self.boletas_replaced, "reemplazadas"),
                (self.boletas_withdrawn, "retiradas"),
                (self.boletas_unchanged, "sin cambios"),
            )
            if count
        ]
        counts = "boletas: " + ", ".join(parts) if parts else "ninguna boleta"
        if self.state == self.State.VALIDATED:
            return f"Validado, por confirmar ({counts})."
        return f"Importado ({counts})."

    @classmethod
    def allowed_update(cls, values: dict) -> bool:
        if values == {"state": cls.State.QUEUED}:  # confirming a validated upload
            return True
        # The notices of an import, claimed once (`notices.notify_new_boletas`).
        return set(values) == {"notified_at"} and values["notified_at"] is not None

    def allowed_change(self, stored: dict, changed: set[str]) -> bool:
        if stored["state"] not in self.FINISHED:
            return True
        return changed == {"stored_file"} and not self.stored_file


class ConceptKind(models.TextChoices):
    EARNING = "INGRESO", "Ingreso"
    DEDUCTION = "DESCUENTO", "Descuento"
    CONTRIBUTION = "APORTE", "Aporte del empleador"


@dataclass(frozen=True, slots=True)
class Concepto:
    """One line of a boleta: an earning, a deduction or an employer contribution."""

    position: int
    code: str
    description: str
    kind: str
    amount: Decimal

    @property
    def kind_label(self) -> str:
        return ConceptKind(self.kind).label


class DamagedConceptos(ValueError):
    """The stored conceptos of a boleta cannot be read back."""


# The kind of its official PDF (ayni.documents.registry, ayni.boletas.pdf).
DOCUMENT_KIND = "boleta"


class Boleta(OfficialRecord):
    """One servant's payslip of one planilla (periodo, entidad, tipo de planilla).

    The servant's data are kept as printed on the boleta: the servant record may change
    later, the boleta does not. Totals are the sums of its conceptos.

    An official record (`ayni.documents.immutable`): never saved again nor deleted; a
    re-imported planilla annuls it (state and `annulled_in`, the only update allowed) and
    writes the corrected boleta as a new row.
    """

    class State(models.TextChoices):
        CURRENT = "vigente", "Vigente"
        ANNULLED = "anulado", "Anulado"

    # servant and entity lead the composite indexes below, which serve their lookups too.
    servant = models.ForeignKey(
        "organizations.Servant", verbose_name="servidor",
        on_delete=models.PROTECT, related_name="boletas", db_index=False,
    )  # fmt: skip
    period = models.DateField("periodo")  # first day of the month
    # No database constraint on the entity nor on the import (units and imports are never
    # deleted, and the import writes both from rows it has just read): checked row by row at
    # commit, each would cost a planilla's import as much as writing its conceptos.
    entity = models.ForeignKey(
        "organizations.Unit", verbose_name="entidad",
        on_delete=models.PROTECT, related_name="boletas", db_index=False, db_constraint=False,
    )  # fmt: skip
    entity_name = models.CharField("nombre de la entidad", max_length=200)
    entity_ruc = models.CharField("RUC de la entidad", max_length=11)
    payroll_type = models.CharField("tipo de planilla", max_length=80)
    apellido_paterno = models.CharField("apellido paterno", max_length=80)
    apellido_materno = models.CharField("apellido materno", max_length=80, blank=True)
    nombres = models.CharField("nombres", max_length=120)
    codigo_modular = models.CharField("código modular", max_length=12, blank=True)
    servant_type = models.CharField("tipo de servidor", max_length=80)
    position = models.CharField("cargo", max_length=80)
    workplace = models.CharField("establecimiento", max_length=200, blank=True)
    pension_system = models.CharField("régimen pensionario", max_length=40, blank=True)
    cuspp = models.CharField("CUSPP", max_length=20, blank=True)
    hire_date = models.DateField("fecha de ingreso")
    days_worked = models.PositiveSmallIntegerField("días laborados", null=True, blank=True)
    gross = models.DecimalField("monto bruto", max_digits=12, decimal_places=2)
    deductions = models.DecimalField("total descuentos", max_digits=12, decimal_places=2)
    net = models.DecimalField("monto a pagar", max_digits=12, decimal_places=2)
    employer_contributions = models.DecimalField(
        "aportes del empleador", max_digits=12, decimal_places=2
    )
    # JSON, [[código, descripción, tipo, monto], ...], in the planilla's order. A boleta's
    # conceptos are only ever read with it: one row per boleta costs the import (and the
    # database, at some 14 lines per boleta) far less than one row per concepto. Text, not
    # jsonb: nothing looks inside it in SQL, and jsonb's parsing would cost the import more.
    conceptos = models.TextField("conceptos", default="[]")
    state = models.CharField("estado", max_length=8, choices=State.choices, default=State.CURRENT)
    # Digest of everything printed: an identical re-import leaves the boleta untouched.
    fingerprint = models.CharField("huella", max_length=64)
    imported_in = models.ForeignKey(
        PlanillaImport, verbose_name="importada en",
        on_delete=models.PROTECT, related_name="boletas", db_constraint=False,
    )  # fmt: skip
    annulled_in = models.ForeignKey(
        PlanillaImport, verbose_name="anulada en", null=True, blank=True,
        on_delete=models.PROTECT, related_name="annulled_boletas", db_index=False,
    )  # fmt: skip

    class Meta:
        verbose_name = "boleta de pago"
        verbose_name_plural = "boletas de pago"
        ordering = ["-period", "payroll_type", "-id"]
        indexes = [
            # Mi boleta: one servant's boletas, newest first.
            models.Index(fields=["servant", "-period"], name="boleta_servant_period"),
            # Replacing a planilla: its current boletas.
            models.Index(fields=["entity", "period", "payroll_type"], name="boleta_planilla"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["servant", "period", "entity", "payroll_type"],
                condition=Q(state="vigente"),
                name="one_current_boleta_per_planilla",
            ),
            # Not "net = gross - deductions" too: SQLite compares decimals as floats.
            models.CheckConstraint(condition=Q(net__gte=0), name="boleta_net_never_negative"),
        ]

    def __str__(self):
        return f"{self.period:%Y-%m} {self.payroll_type} {self.full_name}"

    @property
    def apellidos(self) -> str:
        return " ".join(p for p in (self.apellido_paterno, self.apellido_materno) if p)

    @property
    def full_name(self) -> str:
        return f"{self.apellidos} {self.nombres}".strip()

    @property
    def is_annulled(self) -> bool:
        return self.state == self.State.ANNULLED

    @classmethod
    def allowed_update(cls, values: dict) -> bool:
        return values.get("state") == cls.State.ANNULLED and set(values) <= {
            "state",
            "annulled_in",
            "annulled_in_id",
        }

    @cached_property
    def concept_lines(self) -> list[Concepto]:
        """The conceptos in their order; DamagedConceptos if the stored text is not a list of
        [código, descripción, tipo, monto] as the import writes it."""
        try:
            lines = json.loads(self.conceptos)
            if not isinstance(lines, list):
                raise DamagedConceptos(self.pk)
            concepts = []
            for position, (code, description, kind, amount) in enumerate(lines, 1):
                if not all(isinstance(v, str) for v in (code, description, kind, amount)):
                    raise DamagedConceptos(self.pk)
                if kind not in ConceptKind.values or not Decimal(amount).is_finite():
                    raise DamagedConceptos(self.pk)
                concepts.append(Concepto(position, code, description, kind, Decimal(amount)))
        except (ValueError, TypeError, InvalidOperation) as error:  # JSONDecodeError too
            if isinstance(error, DamagedConceptos):
                raise
            raise DamagedConceptos(self.pk) from error
        return concepts


class ConceptClassification(models.Model):
    """Which group a deduction concepto belongs to in «Mis descuentos», kept by operators in
    the admin: an exact code (`-snp`) or a pattern with `*` (`-afp*`). A code matches its
    exact row first, else the longest pattern that fits; a code nothing fits is «Otros»."""

    class Group(models.TextChoices):
        LEY = "ley", "De ley (pensión, impuestos, EsSalud)"
        JUDICIAL = "judicial", "Judiciales"
        SINDICAL = "sindical", "Sindicales"
        TERCEROS = "terceros", "De terceros (cooperativas, Derrama, bancos)"

    pattern = models.CharField(
        "código o patrón", max_length=40, unique=True,
        help_text="El código del concepto tal como viene en la planilla (por ejemplo -snp), "
        "o un patrón con * (por ejemplo -afp* para todos los códigos que empiezan así). "
        "Mayúsculas y minúsculas son iguales.",
    )  # fmt: skip
    group = models.CharField("grupo", max_length=10, choices=Group.choices)
    note = models.CharField("descripción", max_length=120, blank=True)

    class Meta:
        verbose_name = "clasificación de concepto de descuento"
        verbose_name_plural = "clasificación de conceptos de descuento"
        ordering = ["group", "pattern"]

    def __str__(self):
        return f"{self.pattern} → {self.get_group_display()}"

    def clean(self):
        super().clean()
        self.pattern = self.pattern.strip().lower()
        if not self.pattern.strip("*"):
            raise ValidationError({"pattern": "Indique un código, o un patrón con algo más que *."})
