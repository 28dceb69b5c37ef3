from django import forms

from ayni.constancias.selectors import MAX_MONTHS, current_boletas, months_between
from ayni.core.forms import DateRangeForm
from ayni.delivery.forms import MonthField


class HaberesForm(DateRangeForm):
    """The months of a constancia de haberes: at most 12, with at least one current boleta."""

    desde = MonthField(label="Desde (mes)")
    hasta = MonthField(label="Hasta (mes)")

    def __init__(self, *args, servant, **kwargs):
        super().__init__(*args, **kwargs)
        self.servant = servant

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("desde"), cleaned.get("hasta")
        if self.errors or not (first and last):
            return cleaned
        count = months_between(first, last)
        if count > MAX_MONTHS:
            raise forms.ValidationError(
                f"Elija como máximo {MAX_MONTHS} meses: de {first:%m/%Y} a {last:%m/%Y} hay "
                f"{count}.",
                code="too_many_months",
            )
        boletas = current_boletas(self.servant).filter(period__gte=first, period__lte=last)
        if not boletas.exists():
            raise forms.ValidationError(
                f"No tiene boletas vigentes de {first:%m/%Y} a {last:%m/%Y}: elija otros meses.",
                code="no_boletas",
            )
        return cleaned
