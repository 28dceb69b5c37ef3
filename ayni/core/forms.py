"""Form pieces shared by the apps' filter forms."""

from django import forms


class DateRangeForm(forms.Form):
    """A filter with `desde` and `hasta` date fields (declared by the subclass): the end may
    not come before the start."""

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("desde"), cleaned.get("hasta")
        if since and until and until < since:
            self.add_error("hasta", "Debe ser igual o posterior a la fecha «desde».")
        return cleaned
