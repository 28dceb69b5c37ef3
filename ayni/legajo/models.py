"""The legajo (personnel file): its sections' items, their history, and change requests.

The sections follow the escalafón instructions for teachers and auxiliaries
(RM 563-2015-MINEDU). Each section is one model here and one entry in
`ayni.legajo.sections.SECTIONS`, which is what views, templates and PDFs read.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property


class Legajo(models.Model):
    """The personnel file of one servant, kept by one unit (its UGEL or DRE)."""

    servant = models.OneToOneField(
        "organizations.Servant", verbose_name="servidor",
        on_delete=models.PROTECT, related_name="legajo",
    )  # fmt: skip
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="unidad que lo custodia",
        on_delete=models.PROTECT, related_name="legajos",
    )  # fmt: skip
    vigente = models.BooleanField("vigente", default=True)
    opened_at = models.DateTimeField("abierto", default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="abierto por", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "legajo"
        verbose_name_plural = "legajos"
        indexes = [models.Index(fields=["unit", "vigente"])]

    def __str__(self):
        return f"Legajo de {self.servant}"

    @cached_property
    def cese(self):
        """The last cese recorded in «Retiro y régimen pensionario», or None."""
        return (
            RetiroPension.objects.filter(legajo=self, tipo=RetiroPension.Tipo.CESE)
            .order_by("-fecha", "-id")
            .first()
        )

    @property
    def fecha_cese(self):
        return self.cese.fecha if self.cese else None

    @property
    def ceased(self) -> bool:
        """Not vigente because the servant left service (a cese is recorded): the legajo is
        closed, and its owner keeps reading it and downloading the hoja de vida."""
        return not self.vigente and self.cese is not None


# --- Section items ----------------------------------------------------------------


class Item(models.Model):
    """What every section item carries: its legajo and when it was recorded."""

    legajo = models.ForeignKey(Legajo, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    # Pairs of (start, end) fields whose order is checked by clean().
    periods: tuple[tuple[str, str], ...] = (("fecha_inicio", "fecha_fin"),)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        for start_name, end_name in self.periods:
            start = getattr(self, start_name, None)
            end = getattr(self, end_name, None)
            if start and end and end < start:
                start_label = self._meta.get_field(start_name).verbose_name
                raise ValidationError(
                    {end_name: f"Debe ser igual o posterior a la {start_label}."},
                    code="period_order",
                )


class Resolution(models.Model):
    """The administrative act (resolución) that backs an item."""

    resolucion = models.CharField(
        "resolución", max_length=80, blank=True, help_text="Por ejemplo: RD N° 01234-2015-UGEL07."
    )
    fecha_resolucion = models.DateField("fecha de resolución", null=True, blank=True)

    class Meta:
        abstract = True


class DatosPersonales(Item):
    class Sexo(models.TextChoices):
        FEMENINO = "F", "Femenino"
        MASCULINO = "M", "Masculino"

    class EstadoCivil(models.TextChoices):
        SOLTERO = "soltero", "Soltero(a)"
        CASADO = "casado", "Casado(a)"
        CONVIVIENTE = "conviviente", "Conviviente"
        DIVORCIADO = "divorciado", "Divorciado(a)"
        VIUDO = "viudo", "Viudo(a)"

    codigo_modular = models.CharField("código modular", max_length=10, blank=True)
    fecha_nacimiento = models.DateField("fecha de nacimiento")
    sexo = models.CharField("sexo", max_length=1, choices=Sexo.choices)
    estado_civil = models.CharField("estado civil", max_length=12, choices=EstadoCivil.choices)
    lugar_nacimiento = models.CharField(
        "lugar de nacimiento", max_length=120, help_text="Distrito, provincia y departamento."
    )
    direccion = models.CharField("domicilio", max_length=200)
    telefono = models.CharField("teléfono", max_length=20, blank=True)
    correo = models.EmailField("correo electrónico personal", blank=True)

    periods = ()

    class Meta:
        verbose_name = "datos personales"
        verbose_name_plural = "datos personales"
        constraints = [
            models.UniqueConstraint(
                fields=["legajo"],
                name="one_datos_personales",
                violation_error_message="El legajo ya tiene datos personales; modifíquelos.",
            )
        ]

    def __str__(self):
        return f"Datos personales de {self.legajo.servant}"


class Familiar(Item):
    class Parentesco(models.TextChoices):
        CONYUGE = "conyuge", "Cónyuge"
        CONVIVIENTE = "conviviente", "Conviviente"
        HIJO = "hijo", "Hijo(a)"
        PADRE = "padre", "Padre"
        MADRE = "madre", "Madre"

    parentesco = models.CharField("parentesco", max_length=12, choices=Parentesco.choices)
    apellidos_nombres = models.CharField("apellidos y nombres", max_length=160)
    documento = models.CharField("DNI", max_length=12, blank=True)
    fecha_nacimiento = models.DateField("fecha de nacimiento", null=True, blank=True)

    periods = ()

    class Meta:
        verbose_name = "familiar"
        verbose_name_plural = "datos familiares"
        ordering = ["fecha_nacimiento", "id"]

    def __str__(self):
        return f"{self.get_parentesco_display()}: {self.apellidos_nombres}"


class Formacion(Item):
    class Nivel(models.TextChoices):
        SECUNDARIA = "secundaria", "Secundaria completa"
        TECNICO = "tecnico", "Técnico"
        BACHILLER = "bachiller", "Bachiller"
        TITULO_PEDAGOGICO = "titulo_pedagogico", "Título pedagógico"
        TITULO_PROFESIONAL = "titulo_profesional", "Título profesional"
        SEGUNDA_ESPECIALIDAD = "segunda_especialidad", "Segunda especialidad"
        MAESTRIA = "maestria", "Maestría"
        DOCTORADO = "doctorado", "Doctorado"

    nivel = models.CharField("grado o título", max_length=20, choices=Nivel.choices)
    especialidad = models.CharField("carrera o especialidad", max_length=160)
    institucion = models.CharField("institución", max_length=160)
    fecha_expedicion = models.DateField("fecha de expedición")
    registro = models.CharField("número de registro", max_length=40, blank=True)

    periods = ()

    class Meta:
        verbose_name = "formación académica"
        verbose_name_plural = "formación académica"
        ordering = ["-fecha_expedicion", "id"]

    def __str__(self):
        return f"{self.get_nivel_display()} en {self.especialidad}"


class Capacitacion(Item):
    nombre = models.CharField("denominación", max_length=200)
    institucion = models.CharField("institución", max_length=160)
    horas = models.PositiveIntegerField("horas lectivas", null=True, blank=True)
    fecha_inicio = models.DateField("fecha de inicio")
    fecha_fin = models.DateField("fecha de término", null=True, blank=True)

    class Meta:
        verbose_name = "capacitación"
        verbose_name_plural = "capacitaciones"
        ordering = ["-fecha_inicio", "id"]

    def __str__(self):
        return self.nombre


class Idioma(Item):
    class Nivel(models.TextChoices):
        BASICO = "basico", "Básico"
        INTERMEDIO = "intermedio", "Intermedio"
        AVANZADO = "avanzado", "Avanzado"
        NATIVO = "nativo", "Lengua materna"

    idioma = models.CharField("idioma o lengua originaria", max_length=60)
    nivel = models.CharField("nivel", max_length=12, choices=Nivel.choices)
    institucion = models.CharField("institución que certifica", max_length=160, blank=True)
    fecha_certificado = models.DateField("fecha del certificado", null=True, blank=True)

    periods = ()

    class Meta:
        verbose_name = "idioma"
        verbose_name_plural = "idiomas"
        ordering = ["idioma", "id"]

    def __str__(self):
        return f"{self.idioma} ({self.get_nivel_display()})"


class Colegiatura(Item):
    colegio = models.CharField("colegio profesional", max_length=160)
    numero = models.CharField("número de colegiatura", max_length=30)
    fecha_colegiatura = models.DateField("fecha de colegiatura")
    habilitado_hasta = models.DateField("habilitado hasta", null=True, blank=True)

    periods = (("fecha_colegiatura", "habilitado_hasta"),)

    class Meta:
        verbose_name = "colegiatura"
        verbose_name_plural = "colegiatura"
        ordering = ["-fecha_colegiatura", "id"]

    def __str__(self):
        return f"{self.colegio} N° {self.numero}"


class RegimenLaboral(models.TextChoices):
    CPM = "ley_29944", "Ley 29944 — Carrera Pública Magisterial"
    AUXILIARES = "ley_30493", "Ley 30493 — Auxiliares de educación"
    DL_276 = "dl_276", "D. Leg. 276 — Carrera administrativa"
    SERVIR = "ley_30057", "Ley 30057 — Servicio Civil"
    CAS = "dl_1057", "D. Leg. 1057 — CAS"


class Ingreso(Resolution, Item):
    class Tipo(models.TextChoices):
        INGRESO = "ingreso", "Ingreso"
        REINGRESO = "reingreso", "Reingreso"

    class Condicion(models.TextChoices):
        NOMBRADO = "nombrado", "Nombrado"
        CONTRATADO = "contratado", "Contratado"

    tipo = models.CharField("tipo", max_length=10, choices=Tipo.choices)
    regimen_laboral = models.CharField("régimen laboral", max_length=10, choices=RegimenLaboral)
    condicion = models.CharField("condición", max_length=10, choices=Condicion.choices)
    cargo = models.CharField("cargo", max_length=120)
    institucion = models.CharField("institución o dependencia", max_length=160)
    fecha_inicio = models.DateField("fecha de inicio")
    fecha_fin = models.DateField(
        "fecha de término", null=True, blank=True,
        help_text="Solo si el vínculo terminó (por ejemplo, fin de contrato).",
    )  # fmt: skip

    class Meta:
        verbose_name = "ingreso o reingreso"
        verbose_name_plural = "ingreso o reingreso"
        ordering = ["fecha_inicio", "id"]

    def __str__(self):
        return f"{self.get_tipo_display()} {self.fecha_inicio:%d/%m/%Y}: {self.cargo}"


class Desplazamiento(Resolution, Item):
    class Tipo(models.TextChoices):
        DESIGNACION = "designacion", "Designación"
        REASIGNACION = "reasignacion", "Reasignación"
        DESTAQUE = "destaque", "Destaque"
        PERMUTA = "permuta", "Permuta"
        ENCARGO = "encargo", "Encargo"
        ASCENSO = "ascenso", "Ascenso"
        ROTACION = "rotacion", "Rotación"
        UBICACION = "ubicacion", "Ubicación en escala"

    tipo = models.CharField("tipo de desplazamiento", max_length=14, choices=Tipo.choices)
    cargo = models.CharField("cargo", max_length=120)
    institucion = models.CharField("institución o dependencia", max_length=160)
    fecha_inicio = models.DateField("fecha de inicio")
    fecha_fin = models.DateField("fecha de término", null=True, blank=True)

    class Meta:
        verbose_name = "desplazamiento"
        verbose_name_plural = "trayectoria laboral"
        ordering = ["fecha_inicio", "id"]

    def __str__(self):
        return f"{self.get_tipo_display()} {self.fecha_inicio:%d/%m/%Y}: {self.cargo}"


class Asignacion(Resolution, Item):
    class Tipo(models.TextChoices):
        ASIGNACION = "asignacion", "Asignación temporal"
        INCENTIVO = "incentivo", "Incentivo"
        RETENCION = "retencion", "Retención judicial"
        PAGO_INDEBIDO = "pago_indebido", "Pago indebido"

    tipo = models.CharField("tipo", max_length=14, choices=Tipo.choices)
    descripcion = models.CharField("descripción", max_length=200)
    monto = models.DecimalField(
        "monto mensual (S/)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    fecha_inicio = models.DateField("fecha de inicio")
    fecha_fin = models.DateField("fecha de término", null=True, blank=True)

    class Meta:
        verbose_name = "asignación, incentivo o retención"
        verbose_name_plural = "asignaciones, incentivos, retenciones y pagos indebidos"
        ordering = ["fecha_inicio", "id"]

    def __str__(self):
        return f"{self.get_tipo_display()}: {self.descripcion}"


class RetiroPension(Resolution, Item):
    class Tipo(models.TextChoices):
        AFILIACION = "afiliacion", "Afiliación pensionaria"
        CESE = "cese", "Cese o retiro"

    class Regimen(models.TextChoices):
        ONP = "dl_19990", "D. Ley 19990 (ONP)"
        CEDULA_VIVA = "dl_20530", "D. Ley 20530"
        SPP = "spp", "Sistema Privado de Pensiones (AFP)"

    tipo = models.CharField("tipo", max_length=10, choices=Tipo.choices)
    regimen_pensionario = models.CharField(
        "régimen pensionario", max_length=10, choices=Regimen.choices, blank=True
    )
    entidad = models.CharField("AFP", max_length=60, blank=True)
    cuspp = models.CharField("CUSPP", max_length=12, blank=True)
    motivo = models.CharField("motivo del cese", max_length=120, blank=True)
    fecha = models.DateField("fecha", help_text="De afiliación o de cese.")

    periods = ()

    class Meta:
        verbose_name = "retiro o régimen pensionario"
        verbose_name_plural = "retiro y régimen pensionario"
        ordering = ["fecha", "id"]

    def __str__(self):
        return f"{self.get_tipo_display()} {self.fecha:%d/%m/%Y}"

    def clean(self):
        super().clean()
        if self.tipo == self.Tipo.AFILIACION and not self.regimen_pensionario:
            raise ValidationError(
                {"regimen_pensionario": "Indique el régimen pensionario de la afiliación."}
            )
        if self.tipo == self.Tipo.CESE and not self.motivo:
            raise ValidationError({"motivo": "Indique el motivo del cese."})


class Merito(Resolution, Item):
    class Tipo(models.TextChoices):
        FELICITACION = "felicitacion", "Felicitación"
        AGRADECIMIENTO = "agradecimiento", "Agradecimiento"
        DIPLOMA = "diploma", "Diploma de honor"
        CONDECORACION = "condecoracion", "Condecoración"
        PALMAS = "palmas", "Palmas Magisteriales"

    tipo = models.CharField("tipo", max_length=16, choices=Tipo.choices)
    descripcion = models.CharField("motivo", max_length=200)
    entidad = models.CharField("otorgado por", max_length=160)
    fecha = models.DateField("fecha")

    periods = ()

    class Meta:
        verbose_name = "mérito"
        verbose_name_plural = "premios y estímulos (méritos)"
        ordering = ["-fecha", "id"]

    def __str__(self):
        return f"{self.get_tipo_display()}: {self.descripcion}"


class Demerito(Resolution, Item):
    class Tipo(models.TextChoices):
        AMONESTACION = "amonestacion", "Amonestación escrita"
        SUSPENSION = "suspension", "Suspensión"
        CESE_TEMPORAL = "cese_temporal", "Cese temporal"
        DESTITUCION = "destitucion", "Destitución"

    tipo = models.CharField("sanción", max_length=14, choices=Tipo.choices)
    descripcion = models.CharField("motivo", max_length=200)
    fecha_inicio = models.DateField("fecha de inicio")
    fecha_fin = models.DateField("fecha de término", null=True, blank=True)

    class Meta:
        verbose_name = "demérito"
        verbose_name_plural = "sanciones (deméritos)"
        ordering = ["-fecha_inicio", "id"]

    def __str__(self):
        return f"{self.get_tipo_display()}: {self.descripcion}"


class Licencia(Resolution, Item):
    class Tipo(models.TextChoices):
        CON_GOCE = "con_goce", "Licencia con goce de remuneraciones"
        SIN_GOCE = "sin_goce", "Licencia sin goce de remuneraciones"
        VACACIONES = "vacaciones", "Vacaciones"

    tipo = models.CharField("tipo", max_length=10, choices=Tipo.choices)
    motivo = models.CharField("motivo", max_length=160)
    fecha_inicio = models.DateField("fecha de inicio")
    fecha_fin = models.DateField("fecha de término")

    class Meta:
        verbose_name = "licencia o vacaciones"
        verbose_name_plural = "licencias y vacaciones"
        ordering = ["-fecha_inicio", "id"]

    def __str__(self):
        return f"{self.get_tipo_display()} {self.fecha_inicio:%d/%m/%Y}–{self.fecha_fin:%d/%m/%Y}"


class Otro(Item):
    descripcion = models.CharField("descripción", max_length=240)
    documento = models.CharField("documento", max_length=80, blank=True)
    fecha = models.DateField("fecha", null=True, blank=True)

    periods = ()

    class Meta:
        verbose_name = "otro registro"
        verbose_name_plural = "otros"
        ordering = ["-fecha", "id"]

    def __str__(self):
        return self.descripcion


# --- History --------------------------------------------------------------------


class Action(models.TextChoices):
    CREATE = "alta", "Nuevo registro"
    UPDATE = "modificacion", "Modificación"
    DELETE = "baja", "Eliminación"


class ItemHistory(models.Model):
    """One change to a legajo: before and after (field values), who, when, and why.

    `section` is a key of the section registry; the legajo itself appears as the section
    "legajo" (opening it, marking it vigente or not).
    """

    LEGAJO_SECTION = "legajo"

    legajo = models.ForeignKey(Legajo, on_delete=models.CASCADE, related_name="history")
    section = models.CharField("sección", max_length=32)
    item_id = models.PositiveBigIntegerField("registro")
    action = models.CharField("acción", max_length=12, choices=Action.choices)
    before = models.JSONField("antes", null=True, blank=True)
    after = models.JSONField("después", null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="realizado por", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    at = models.DateTimeField("fecha", default=timezone.now)
    change_request = models.ForeignKey(
        "ChangeRequest", verbose_name="solicitud", null=True, blank=True,
        on_delete=models.PROTECT, related_name="applied_history",
    )  # fmt: skip

    class Meta:
        verbose_name = "cambio del legajo"
        verbose_name_plural = "historial del legajo"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["legajo", "section", "item_id"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.section} #{self.item_id}"


# --- Change requests -------------------------------------------------------------


class ChangeRequest(models.Model):
    """A servant's request to change one section of their legajo, or (section `INFORME`)
    their request for an informe escalafonario, which attending issues and links here."""

    INFORME = "informe_escalafonario"

    class State(models.TextChoices):
        DRAFT = "borrador", "Borrador"
        PENDING = "en_solicitud", "En solicitud"
        APPROVED = "atendido", "Atendido"
        REJECTED = "rechazado", "Rechazado"
        ANNULLED = "anulado", "Anulado"

    legajo = models.ForeignKey(
        Legajo, verbose_name="legajo", on_delete=models.PROTECT, related_name="requests"
    )
    section = models.CharField("sección", max_length=32)
    state = models.CharField("estado", max_length=12, choices=State.choices, default=State.DRAFT)
    code = models.CharField("código", max_length=20, unique=True, null=True, blank=True)
    year = models.PositiveSmallIntegerField("año", null=True, blank=True)
    number = models.PositiveIntegerField("número", null=True, blank=True)
    comment = models.TextField("sustento del servidor", max_length=1000, blank=True)
    created_at = models.DateTimeField("creada", default=timezone.now)
    submitted_at = models.DateTimeField("enviada", null=True, blank=True)
    decided_at = models.DateTimeField("fecha de atención", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="atendida por", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    observation = models.TextField("observación del especialista", max_length=1000, blank=True)
    document = models.ForeignKey(
        "documents.IssuedDocument", verbose_name="documento emitido", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "solicitud de actualización"
        verbose_name_plural = "solicitudes de actualización"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["legajo", "section"],
                condition=Q(state="borrador"),
                name="one_draft_per_section",
            ),
            models.UniqueConstraint(fields=["year", "number"], name="unique_request_number"),
        ]
        indexes = [
            models.Index(fields=["state", "submitted_at"]),
            models.Index(fields=["legajo", "state"]),
        ]

    def __str__(self):
        return self.code or f"Borrador {self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def is_informe(self) -> bool:
        return self.section == self.INFORME


class ProposedChange(models.Model):
    """One change a request asks for: a new item, new values for an item, or its removal.

    `before` is the item as the servant saw it when proposing; `after` the values asked for.
    """

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="changes"
    )
    action = models.CharField("acción", max_length=12, choices=Action.choices)
    item_id = models.PositiveBigIntegerField("registro", null=True, blank=True)
    before = models.JSONField("antes", null=True, blank=True)
    after = models.JSONField("después", null=True, blank=True)
    applied_item_id = models.PositiveBigIntegerField("registro aplicado", null=True, blank=True)

    class Meta:
        verbose_name = "cambio propuesto"
        verbose_name_plural = "cambios propuestos"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["change_request", "item_id"],
                condition=Q(item_id__isnull=False),
                name="one_change_per_item",
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} ({self.change_request})"


def attachment_path(attachment, filename):
    # A random name: the original one is kept in the record, never trusted as a path (only a
    # known extension is kept).
    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if suffix in {".pdf", ".jpg", ".jpeg", ".png"} else ".bin"
    return f"legajo/adjuntos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A supporting document of a request (PDF, JPG or PNG, checked by content)."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("archivo", upload_to=attachment_path, max_length=255)
    original_name = models.CharField("nombre del archivo", max_length=200)
    content_type = models.CharField("tipo", max_length=40)
    size = models.PositiveIntegerField("tamaño (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("adjuntado", default=timezone.now)

    class Meta:
        verbose_name = "documento sustentatorio"
        verbose_name_plural = "documentos sustentatorios"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class LegajoReport(models.Model):
    """A frozen copy of a legajo's data as printed in an official document.

    Hoja de vida and informe escalafonario render from this copy, never from the live
    legajo, so a stored PDF can always be rendered again to the same bytes.
    """

    class Kind(models.TextChoices):
        HOJA_DE_VIDA = "hoja_de_vida", "Hoja de vida"
        INFORME = "informe_escalafonario", "Informe escalafonario"

    legajo = models.ForeignKey(Legajo, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField("tipo", max_length=32, choices=Kind.choices)
    data = models.JSONField("contenido")
    data_sha256 = models.CharField("huella del contenido", max_length=64)
    created_at = models.DateTimeField("generado", default=timezone.now)

    class Meta:
        verbose_name = "reporte del legajo"
        verbose_name_plural = "reportes del legajo"
        indexes = [models.Index(fields=["legajo", "kind", "data_sha256"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.legajo.servant}"
