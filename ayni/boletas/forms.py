import filetype
from django import forms
from django.utils import timezone

from ayni.boletas.imports import GZIP_MAGIC
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
