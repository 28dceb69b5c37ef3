from django import forms
from django.utils import timezone

from ayni.boletas.planilla import FIRST_PERIOD
from ayni.core.forms import DateRangeForm

FORMATS = [("pdf", "PDF firmado"), ("csv", "CSV")]
MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MONTH_ERRORS = {"invalid": "Indique un mes con el formato AAAA-MM (por ejemplo, 2024-03)."}


class MonthField(forms.DateField):
    """A month as AAAA-MM, cleaned to its first day."""

    def __init__(self, **kwargs):
        super().__init__(
            input_formats=["%Y-%m"], widget=MONTH_INPUT, error_messages=MONTH_ERRORS, **kwargs
        )

    def validate(self, value):
        super().validate(value)
        if value and not FIRST_PERIOD <= value <= timezone.localdate():
            raise forms.ValidationError(
                f"Debe estar entre {FIRST_PERIOD:%Y-%m} y el mes actual.", code="out_of_range"
            )


class ReceiptFormatForm(forms.Form):
    formato = forms.ChoiceField(choices=FORMATS, error_messages={
        "invalid_choice": "Elija el formato: PDF firmado o CSV.",
        "required": "Elija el formato: PDF firmado o CSV.",
    })  # fmt: skip


class ServantReceiptForm(DateRangeForm, ReceiptFormatForm):
    desde = MonthField(label="Desde (mes)")
    hasta = MonthField(label="Hasta (mes)")


class ConsentFilterForm(forms.Form):
    pendientes = forms.BooleanField(label="Solo quienes no aceptaron", required=False)
