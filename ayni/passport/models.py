from django.db import models
from oauth2_provider.settings import oauth2_settings

from ayni.passport.scopes import IDENTITY_ONLY


class ClientSystem(models.Model):
    """What AYNI adds to a registered client application: the scopes it may ask for."""

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL, verbose_name="aplicación", on_delete=models.CASCADE,
        related_name="ayni_client",
    )  # fmt: skip
    scopes = models.CharField(
        "alcances permitidos", max_length=200, default=" ".join(IDENTITY_ONLY),
        help_text="Separados por espacios. Pedir cualquier otro se rechaza.",
    )  # fmt: skip

    class Meta:
        verbose_name = "alcances del sistema cliente"
        verbose_name_plural = "alcances del sistema cliente"

    def __str__(self):
        return self.scopes


class SignInAssurance(models.Model):
    """How the servant had signed in when they authorized a code (RFC 8176 `amr`, and the
    level as ID GOB.PE names it, `acr`): the ID token issued for the code states it."""

    grant = models.OneToOneField(
        oauth2_settings.GRANT_MODEL, on_delete=models.CASCADE, related_name="ayni_assurance"
    )
    amr = models.JSONField(default=list)
    acr = models.CharField(max_length=20)

    def __str__(self):
        return self.acr
