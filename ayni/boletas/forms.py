import filetype
from django import forms
from django.utils import timezone

from ayni.boletas.imports import GZIP_MAGIC
from ayni.boletas.models import PlanillaImport
from ayni.boletas.planilla import FIRST_PERIOD
from ayni.core.formats import MONTH_NAMES

ALL = [("", "- Todos -")]
MAX_UPLOAD_BYTES = 300 * 1024 * 1024


class BoletaFilterForm(forms.Form):
    anio = forms.TypedChoiceField(label="Año", required=False, coerce=int, empty_value=None)
    mes = forms.TypedChoiceField(
        label="Mes", required=False, coerce=int, empty_value=None,
        choices=ALL + [(str(n), name.capitalize()) for n, name in enumerate(MONTH_NAMES, 1)],
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = range(timezone.localdate().year, FIRST_PERIOD.year - 1, -1)
        self.fields["anio"].choices = ALL + [(str(year), str(year)) for year in years]

    def apply(self, boletas):
        if not self.is_valid():
            return boletas.none()
        if self.cleaned_data["anio"]:
            boletas = boletas.filter(period__year=self.cleaned_data["anio"])
        if self.cleaned_data["mes"]:
            boletas = boletas.filter(period__month=self.cleaned_data["mes"])
        return boletas


class ServantSearchForm(forms.Form):
    q = forms.CharField(
        label="Documento o nombre", min_length=2, max_length=80,
        help_text="Número de documento (o su comienzo), o apellidos y nombres.",
    )  # fmt: skip


class PlanillaUploadForm(forms.Form):
    archivo = forms.FileField(
        label="Archivo de planilla",
        help_text="CSV en UTF-8 con el formato de planilla (también comprimido .gz). "
        "Se valida completo antes de importar; nada se guarda hasta que usted confirme.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.gz,text/csv,application/gzip"}),
    )

    def clean_archivo(self):
        upload = self.cleaned_data["archivo"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("El archivo supera los 300 MB: comprímalo con gzip.")
        head = upload.read(261)
        upload.seek(0)
        kind = filetype.guess(head)
        if kind is not None and head[:2] != GZIP_MAGIC:
            raise forms.ValidationError(
                f"El archivo es {kind.mime}, no una planilla CSV (texto) ni CSV comprimido (.gz)."
            )
        return upload


class ImportHistoryFilterForm(forms.Form):
    """The planilla history by period, paying entity and state."""

    periodo = forms.RegexField(
        label="Periodo", required=False, regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7,
        error_messages={"invalid": "Escriba el periodo como AAAA-MM (por ejemplo 2022-06)."},
        widget=forms.TextInput(attrs={"placeholder": "AAAA-MM", "inputmode": "numeric"}),
    )  # fmt: skip
    entidad = forms.TypedChoiceField(label="Entidad", required=False, coerce=int,
                                     empty_value=None)  # fmt: skip
    estado = forms.ChoiceField(
        label="Resultado", required=False, choices=ALL + list(PlanillaImport.State.choices)
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entidad"].choices = ALL + [
            (str(unit.pk), f"{unit.code} {unit.name}") for unit in units
        ]

    def apply(self, imports):
        if not self.is_valid():
            return imports.none()
        data = self.cleaned_data
        if data["periodo"]:
            imports = imports.filter(periods__contains=data["periodo"])
        if data["entidad"]:
            imports = imports.filter(entities=data["entidad"])
        if data["estado"]:
            imports = imports.filter(state=data["estado"])
        return imports
