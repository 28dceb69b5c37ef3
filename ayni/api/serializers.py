"""What the API shows of each record: output shapes and request bodies; the rules (who may
see what, what a request may do) stay in the apps' selectors and services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ayni.legajo.forms import SubmitForm
from ayni.legajo.sections import SECTIONS, get_section, section_title


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "example": "2024-06",
     "description": "Periodo de pago: año y mes (AAAA-MM)."}
)  # fmt: skip
class PeriodField(serializers.DateField):
    """A boleta's month, written `AAAA-MM` (not a whole date)."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class ErrorDetailSerializer(serializers.Serializer):
    codigo = serializers.CharField(help_text="Código estable del error, para programas.")
    mensaje = serializers.CharField(help_text="Qué pasó y qué hacer, en castellano.")
    campos = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Por campo enviado, sus errores (vacío si el error no es de un campo).",
    )


class ErrorSerializer(serializers.Serializer):
    """Cuerpo de toda respuesta de error (el mismo en todos los recursos)."""

    error = ErrorDetailSerializer()


class UnitSerializer(serializers.Serializer):
    codigo = serializers.CharField(source="code")
    nombre = serializers.CharField(source="name")


class ServantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tipo_documento = serializers.CharField(source="document_type")
    numero_documento = serializers.CharField(source="document_number")
    apellido_paterno = serializers.CharField()
    apellido_materno = serializers.CharField()
    nombres = serializers.CharField()
    unidad = UnitSerializer(source="unit", allow_null=True)


class ProfileSerializer(serializers.Serializer):
    usuario = serializers.CharField(source="username")
    tipo_documento = serializers.CharField(source="document_type")
    correo = serializers.EmailField(source="email")
    nombres = serializers.CharField(source="first_name")
    apellidos = serializers.CharField(source="last_name")
    servidor = ServantSerializer(source="servant", allow_null=True)


class BoletaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    periodo = PeriodField(source="period")
    tipo_planilla = serializers.CharField(source="payroll_type")
    entidad = serializers.CharField(source="entity_name")
    monto_bruto = serializers.DecimalField(source="gross", max_digits=12, decimal_places=2)
    total_descuentos = serializers.DecimalField(
        source="deductions", max_digits=12, decimal_places=2
    )
    monto_a_pagar = serializers.DecimalField(source="net", max_digits=12, decimal_places=2)
    estado = serializers.CharField(source="state")
    publicada = serializers.DateTimeField(source="published_at", allow_null=True)
    vista_por_primera_vez = serializers.DateTimeField(source="first_seen_at", allow_null=True)
    pdf_emitido = serializers.BooleanField(source="has_document")


class ConceptoSerializer(serializers.Serializer):
    codigo = serializers.CharField(source="code")
    descripcion = serializers.CharField(source="description")
    tipo = serializers.CharField(source="kind")
    monto = serializers.DecimalField(source="amount", max_digits=12, decimal_places=2)


class BoletaDetailSerializer(BoletaSerializer):
    cargo = serializers.CharField(source="position")
    tipo_servidor = serializers.CharField(source="servant_type")
    establecimiento = serializers.CharField(source="workplace")
    regimen_pensionario = serializers.CharField(source="pension_system")
    dias_laborados = serializers.IntegerField(source="days_worked", allow_null=True)
    aportes_empleador = serializers.DecimalField(
        source="employer_contributions", max_digits=12, decimal_places=2
    )
    conceptos = ConceptoSerializer(source="concept_lines", many=True)


class LegajoRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    valores = serializers.ListField(child=serializers.CharField())


class LegajoSectionSerializer(serializers.Serializer):
    clave = serializers.CharField()
    titulo = serializers.CharField()
    encabezados = serializers.ListField(child=serializers.CharField())
    filas = LegajoRowSerializer(many=True)


class LegajoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    vigente = serializers.BooleanField()
    cesado = serializers.BooleanField(source="ceased")
    unidad = UnitSerializer(source="unit")
    secciones = serializers.SerializerMethodField()

    def get_secciones(self, legajo) -> LegajoSectionSerializer(many=True):
        """The sections as «Mi legajo» shows them: same columns, same values."""
        return [
            {
                "clave": section.key,
                "titulo": section.title,
                "encabezados": section.headers(),
                "filas": [
                    {"id": item.pk, "valores": section.row(item)} for item in section.items(legajo)
                ],
            }
            for section in SECTIONS
        ]


class ProposedChangeSerializer(serializers.Serializer):
    accion = serializers.CharField(source="action")
    registro = serializers.SerializerMethodField()

    def get_registro(self, change) -> str:
        section = get_section(change.change_request.section)
        return section.describe(change.after or change.before)


class ChangeRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    codigo = serializers.CharField(source="code")
    seccion = serializers.CharField(source="section")
    seccion_titulo = serializers.SerializerMethodField()
    estado = serializers.CharField(source="state")
    estado_texto = serializers.CharField(source="get_state_display")
    comentario = serializers.CharField(source="comment")
    enviada = serializers.DateTimeField(source="submitted_at")
    decidida = serializers.DateTimeField(source="decided_at", allow_null=True)
    observacion = serializers.CharField(source="observation")

    def get_seccion_titulo(self, change_request) -> str:
        return section_title(change_request.section)


class ChangeRequestDetailSerializer(ChangeRequestSerializer):
    cambios = ProposedChangeSerializer(source="changes.all", many=True)


class StaffChangeRequestSerializer(ChangeRequestDetailSerializer):
    servidor = ServantSerializer(source="legajo.servant")


class SubmitSerializer(serializers.Serializer):
    """Envía como solicitud el borrador de una sección (preparado en «Actualizar mi
    legajo»)."""

    seccion = serializers.ChoiceField(choices=[s.key for s in SECTIONS])
    comentario = serializers.CharField(
        required=False, allow_blank=True, default="",
        max_length=SubmitForm.base_fields["comentario"].max_length,
    )  # fmt: skip


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["atender", "rechazar"])
    observacion = serializers.CharField(required=False, allow_blank=True, default="")


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tipo = serializers.CharField(source="kind")
    codigo = serializers.CharField(source="code")
    estado = serializers.CharField(source="state")
    emitido = serializers.DateTimeField(source="issued_at")
    sha256 = serializers.CharField()


class ImportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    archivo = serializers.CharField(source="file_name")
    sha256 = serializers.CharField()
    origen = serializers.CharField(source="origin")
    estado = serializers.CharField(source="state")
    resultado = serializers.CharField(source="summary")
    fecha = serializers.DateTimeField(source="created_at")
    terminado = serializers.DateTimeField(source="finished_at", allow_null=True)
    periodos = serializers.ListField(source="period_list", child=serializers.CharField())
    lineas = serializers.IntegerField(source="lines")
    boletas_nuevas = serializers.IntegerField(source="boletas_created")
    boletas_reemplazadas = serializers.IntegerField(source="boletas_replaced")
    boletas_sin_cambios = serializers.IntegerField(source="boletas_unchanged")
    errores = serializers.IntegerField(source="error_count")


class PdfProgressSerializer(serializers.Serializer):
    generados = serializers.IntegerField()
    total = serializers.IntegerField()
    terminado = serializers.BooleanField()


class ImportDetailSerializer(ImportSerializer):
    entidades = UnitSerializer(source="entities.all", many=True)
    pdf = serializers.SerializerMethodField()

    def get_pdf(self, planilla_import) -> PdfProgressSerializer(allow_null=True):
        return self.context["pdf_progress"]


class VerificationSerializer(serializers.Serializer):
    codigo = serializers.CharField(source="code")
    tipo = serializers.CharField(source="kind")
    estado = serializers.CharField(source="state")
    emitido = serializers.DateTimeField(source="issued_at")
    emitido_anulado = serializers.BooleanField(source="issued_annulled")
    sha256 = serializers.CharField()
    titulo = serializers.SerializerMethodField()
    campos = serializers.SerializerMethodField()

    def get_titulo(self, document) -> str:
        return self.context["title"]

    def get_campos(self, document) -> serializers.ListField(
        child=serializers.ListField(child=serializers.CharField())
    ):
        return self.context["fields"]
