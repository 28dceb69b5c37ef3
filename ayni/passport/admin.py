"""Operators register client systems in DOT's Application admin (OAUTH2_PROVIDER's
APPLICATION_ADMIN_CLASS), with AYNI's labels and rules added."""

from urllib.parse import urlsplit

from django import forms
from django.contrib import admin
from oauth2_provider.admin import ApplicationAdmin as DotApplicationAdmin
from oauth2_provider.forms import ApplicationForm as DotApplicationForm

from ayni.passport.models import ClientSystem
from ayni.passport.scopes import SCOPES

LOOPBACK_HOSTS = ("127.0.0.1", "::1")
PLAIN_HTTP_REFUSED = (
    "«{uri}»: use https. Solo una aplicación instalada en el equipo del usuario puede volver "
    "por http, y únicamente a 127.0.0.1 o [::1] (RFC 8252)."
)
LABELS = {
    "name": "Nombre del sistema",
    "client_id": "Identificador del cliente (client_id)",
    "client_secret": "Secreto del cliente",
    "hash_client_secret": "Guardar solo el hash del secreto",
    "client_type": "Tipo de cliente",
    "authorization_grant_type": "Tipo de autorización",
    "redirect_uris": "Direcciones de retorno",
    "post_logout_redirect_uris": "Direcciones de retorno al cerrar sesión",
    "allowed_origins": "Orígenes permitidos (CORS)",
    "skip_authorization": "No preguntar al servidor (solo sistemas del propio ministerio)",
    "algorithm": "Algoritmo de firma del ID token",
    "user": "Responsable",
}


def plain_http_errors(uris: str) -> list[str]:
    """A redirect over plain http hands the code to whoever is on the network, except to the
    user's own machine (a mobile or desktop app listening on loopback)."""
    return [
        PLAIN_HTTP_REFUSED.format(uri=uri)
        for uri in uris.split()
        if urlsplit(uri).scheme == "http" and urlsplit(uri).hostname not in LOOPBACK_HOSTS
    ]


class ApplicationForm(DotApplicationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in LABELS.items():
            if name in self.fields:
                self.fields[name].label = label

    def clean(self):
        cleaned = super().clean()
        for name in ("redirect_uris", "post_logout_redirect_uris"):
            errors = plain_http_errors(cleaned.get(name) or "")
            if errors:
                self.add_error(name, errors)
        return cleaned


class ClientSystemForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label="Alcances permitidos", choices=[(s, f"{s}: {d}") for s, d in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="Lo único que este sistema puede pedir; pedir otro alcance se rechaza.",
    )  # fmt: skip

    class Meta:
        model = ClientSystem
        fields = ["scopes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["scopes"] = self.instance.scopes.split()

    def clean_scopes(self):
        return " ".join(self.cleaned_data["scopes"])


class ClientSystemInline(admin.StackedInline):
    model = ClientSystem
    form = ClientSystemForm
    can_delete = False
    min_num = 1
    max_num = 1


class ApplicationAdmin(DotApplicationAdmin):
    form = ApplicationForm
    inlines = [ClientSystemInline]
