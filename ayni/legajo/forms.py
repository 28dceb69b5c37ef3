from django import forms

from ayni.core.forms import DateRangeForm
from ayni.legajo.models import ChangeRequest
from ayni.legajo.sections import request_choices

TRAY_DEFAULT_STATE = ChangeRequest.State.PENDING
OPEN_STATES = [(s, label) for s, label in ChangeRequest.State.choices if s != "borrador"]


class AttachmentForm(forms.Form):
    archivo = forms.FileField(
        label="Documento sustentatorio",
        help_text="PDF, JPG o PNG; como máximo 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class SubmitForm(forms.Form):
    comentario = forms.CharField(
        label="Sustento de la solicitud (opcional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    observacion = forms.CharField(
        label="Observación",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoria para rechazar; se envía al servidor.",
    )


class TrayFilterForm(DateRangeForm):
    estado = forms.ChoiceField(
        label="Estado", required=False, choices=[("", "- Todos -"), *OPEN_STATES]
    )
    seccion = forms.ChoiceField(label="Sección", required=False)
    desde = forms.DateField(
        label="Enviada desde", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    hasta = forms.DateField(
        label="Enviada hasta", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    documento = forms.RegexField(
        label="Documento del servidor", required=False, regex=r"^[0-9A-Za-z]{1,12}$",
        error_messages={"invalid": "Escriba solo números o letras del documento (hasta 12)."},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seccion"].choices = [("", "- Todas -"), *request_choices()]

    @classmethod
    def for_tray(cls, params) -> "TrayFilterForm":
        """The tray's filters; with no state given, the pending requests (on every page)."""
        data = params.copy()
        data.setdefault("estado", TRAY_DEFAULT_STATE)
        return cls(data)

    def filters(self) -> dict:
        """The valid filters as `selectors.tray` takes them."""
        data = self.cleaned_data
        return {
            "state": data["estado"], "section": data["seccion"], "since": data["desde"],
            "until": data["hasta"], "document": data["documento"],
        }  # fmt: skip


class ServantSearchForm(forms.Form):
    q = forms.CharField(
        label="Documento o apellidos", required=False, max_length=80,
        widget=forms.TextInput(attrs={"type": "search"}),
    )  # fmt: skip
