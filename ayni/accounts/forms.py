from dataclasses import astuple

import filetype
from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core import signing

from ayni.accounts.captcha import CaptchaField
from ayni.accounts.services import WRITING_OUTCOMES, BulkRow, read_accounts_csv
from ayni.core.validators import DOCUMENT_TYPES

BULK_MAX_BYTES = 2 * 1024 * 1024


class LoginForm(AuthenticationForm):
    """Usuario (document number), Contraseña and CAPTCHA; one generic error for every failure."""

    username = forms.CharField(
        label="Usuario",
        max_length=12,
        help_text="Su número de documento (DNI: 8 dígitos).",
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "text",
                                      "autofocus": True}),
    )  # fmt: skip
    password = forms.CharField(
        label="Contraseña",
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    captcha = CaptchaField()
    error_messages = {
        "invalid_login": "Usuario o contraseña incorrectos.",
        "inactive": "Usuario o contraseña incorrectos.",
    }

    def clean(self):
        # Without a right CAPTCHA no password is even tried: the answer must not tell a
        # robot whether the password was right.
        if "captcha" not in self.cleaned_data:
            return self.cleaned_data
        return super().clean()


class PasswordMailForm(forms.Form):
    email = forms.EmailField(
        label="Correo electrónico",
        max_length=254,
        error_messages={
            "required": "Escriba su correo electrónico.",
            "invalid": "Escriba un correo electrónico válido (por ejemplo, nombre@dominio.pe).",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    captcha = CaptchaField()


class PasswordSetForm(SetPasswordForm):
    """Contraseña and Confirmar contraseña; the policy is shown as a checklist, not help text."""

    error_messages = {"password_mismatch": "La confirmación no es igual a la contraseña."}

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label, second.label = "Contraseña", "Confirmar contraseña"
        first.help_text = second.help_text = ""
        first.max_length = second.max_length = 256
        first.widget.attrs["aria-describedby"] = "password-rules"
        first.error_messages["required"] = "Escriba la contraseña."
        second.error_messages["required"] = "Escriba otra vez la contraseña para confirmarla."

    def clean(self):
        # The policy's messages go under "Contraseña", where the checklist is.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class PasswordChangeForm(PasswordSetForm):
    """ "Cambiar contraseña": the current password, then the new one twice (the same policy)."""

    old_password = forms.CharField(
        label="Contraseña actual",
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": "Escriba su contraseña actual."},
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = "Nueva contraseña"
        self.fields["new_password2"].label = "Confirmar nueva contraseña"

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not self.user.check_password(old_password):
            raise forms.ValidationError(
                "La contraseña actual no es correcta.", code="password_incorrect"
            )
        return old_password


class AccountCreateForm(forms.Form):
    document_type = forms.ChoiceField(label="Tipo de documento", choices=DOCUMENT_TYPES)
    document_number = forms.CharField(label="Número de documento", max_length=12)
    email = forms.CharField(label="Correo electrónico", max_length=254, widget=forms.EmailInput())
    apellido_paterno = forms.CharField(
        label="Apellido paterno", max_length=80, required=False,
        help_text="Obligatorio si el servidor aún no está registrado (también los nombres).",
    )  # fmt: skip
    apellido_materno = forms.CharField(label="Apellido materno", max_length=80, required=False)
    nombres = forms.CharField(label="Nombres", max_length=120, required=False)


class EmailChangeForm(forms.Form):
    email = forms.CharField(
        label="Nuevo correo electrónico", max_length=254, widget=forms.EmailInput()
    )
    reason = forms.CharField(
        label="Motivo del cambio",
        max_length=300,
        help_text="Por ejemplo: «El servidor perdió acceso a su correo; presentó su DNI en la "
        "UGEL el 12/11». Queda en el registro de auditoría y se avisa al correo anterior.",
        error_messages={"required": "Escriba el motivo del cambio de correo."},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label="Archivo CSV",
        help_text="Columnas: tipo_documento, numero_documento, correo (y, para servidores "
        "nuevos, apellido_paterno, apellido_materno, nombres). Separador coma o punto y coma.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Elija el archivo CSV.", "empty": "El archivo está vacío."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > BULK_MAX_BYTES:
            raise forms.ValidationError("El archivo pesa más de 2 MB; divídalo en varios archivos.")
        raw = upload.read()
        if filetype.guess(raw) is not None:
            raise forms.ValidationError(
                "El archivo no es un CSV de texto (¿una hoja de Excel?). Guárdelo como «CSV UTF-8»."
            )
        self.rows = read_accounts_csv(raw)
        return upload


class BulkConfirmForm(forms.Form):
    """The rows of a previewed file, signed so that only what was shown can be confirmed,
    and the lines the administrator chose to write."""

    SALT = "accounts.bulk-preview"
    MAX_AGE_SECONDS = 3600

    rows = forms.CharField(widget=forms.HiddenInput)
    lines = forms.TypedMultipleChoiceField(
        coerce=int, required=True, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Marque al menos una fila para grabar."},
    )  # fmt: skip

    @classmethod
    def for_preview(cls, rows: list[BulkRow], preview) -> "BulkConfirmForm":
        writable = [result.line for result in preview if result.outcome in WRITING_OUTCOMES]
        payload = signing.dumps([astuple(row) for row in rows], salt=cls.SALT, compress=True)
        form = cls(initial={"rows": payload, "lines": writable})
        form.fields["lines"].choices = [(line, line) for line in writable]
        return form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.fields["lines"].choices = [(row.line, row.line) for row in self._signed_rows()]

    def _signed_rows(self) -> list[BulkRow]:
        try:
            stored = signing.loads(
                self.data.get("rows", ""), salt=self.SALT, max_age=self.MAX_AGE_SECONDS
            )
        except signing.BadSignature:
            return []
        return [BulkRow(line, kind, number, email, tuple(names))
                for line, kind, number, email, names in stored]  # fmt: skip

    def clean_rows(self):
        rows = self._signed_rows()
        if not rows:
            raise forms.ValidationError(
                "La vista previa venció o fue alterada; vuelva a subir el archivo."
            )
        return rows

    @property
    def chosen_rows(self) -> list[BulkRow]:
        chosen = set(self.cleaned_data["lines"])
        return [row for row in self.cleaned_data["rows"] if row.line in chosen]
