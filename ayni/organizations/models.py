from django.conf import settings
from django.db import models
from django.db.models.functions import Upper

from ayni.core.validators import DOCUMENT_TYPES, validate_ruc


class Unit(models.Model):
    """A node of MINEDU → DRE/GRE → UGEL → IE.

    `path` is the chain of codes from the root ("/000000/150101/150108/"), so the units
    below one are a single indexed prefix query.
    """

    class Kind(models.TextChoices):
        MINEDU = "MINEDU", "Ministerio de Educación"
        DRE = "DRE", "Dirección Regional de Educación"
        GRE = "GRE", "Gerencia Regional de Educación"
        UGEL = "UGEL", "Unidad de Gestión Educativa Local"
        IE = "IE", "Institución educativa"

    code = models.CharField("código", max_length=12, unique=True)
    name = models.CharField("nombre", max_length=200)
    kind = models.CharField("tipo", max_length=6, choices=Kind.choices)
    ruc = models.CharField("RUC", max_length=11, blank=True, validators=[validate_ruc])
    parent = models.ForeignKey(
        "self", verbose_name="depende de", null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )  # fmt: skip
    path = models.CharField(max_length=255, unique=True, editable=False)

    class Meta:
        verbose_name = "unidad"
        verbose_name_plural = "unidades"
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        parent_path = self.parent.path if self.parent_id else "/"
        self.path = f"{parent_path}{self.code}/"
        super().save(*args, **kwargs)


class StaffRole(models.Model):
    """A staff duty held in one unit; it covers that unit and every unit below it."""

    class Role(models.TextChoices):
        ESCALAFON = "escalafon", "Especialista de escalafón"
        BOLETAS = "boletas", "Administrador de boletas"
        ADMIN_UGEL = "admin_ugel", "Administrador UGEL"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="usuario",
        on_delete=models.CASCADE, related_name="staff_roles",
    )  # fmt: skip
    role = models.CharField("rol", max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="unidad", on_delete=models.PROTECT, related_name="staff_roles"
    )

    class Meta:
        verbose_name = "rol de personal"
        verbose_name_plural = "roles de personal"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_staff_role")
        ]

    def __str__(self):
        return f"{self.get_role_display()} — {self.unit}"


class Servant(models.Model):
    """A public servant, known by document; exists with or without a login account."""

    document_type = models.CharField("tipo de documento", max_length=3, choices=DOCUMENT_TYPES)
    document_number = models.CharField("número de documento", max_length=12)
    apellido_paterno = models.CharField("apellido paterno", max_length=80)
    apellido_materno = models.CharField("apellido materno", max_length=80, blank=True)
    nombres = models.CharField("nombres", max_length=120)
    unit = models.ForeignKey(
        Unit, verbose_name="unidad", null=True, blank=True,
        on_delete=models.PROTECT, related_name="servants",
    )  # fmt: skip
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "servidor"
        verbose_name_plural = "servidores"
        ordering = ["apellido_paterno", "apellido_materno", "nombres"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"], name="unique_servant_document"
            )
        ]
        indexes = [
            models.Index(fields=["document_number"]),
            models.Index(Upper("apellido_paterno"), name="servant_surname_upper"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.document_type} {self.document_number})"

    @property
    def apellidos(self) -> str:
        return " ".join(p for p in (self.apellido_paterno, self.apellido_materno) if p)

    @property
    def full_name(self) -> str:
        return f"{self.apellidos} {self.nombres}".strip()
