from django.conf import settings
from django.db import models


class PushSubscription(models.Model):
    """A browser that asked for notices (Web Push) for this account: where its push service
    takes them and the keys they are encrypted with for that browser alone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # One browser, one subscription: the same browser signed in by somebody else moves it.
    endpoint = models.URLField("dirección del servicio de avisos", max_length=1000, unique=True)
    p256dh = models.CharField("clave pública del navegador", max_length=100)
    auth = models.CharField("secreto de autenticación", max_length=40)
    created_at = models.DateTimeField("suscrito el", auto_now_add=True)

    class Meta:
        verbose_name = "suscripción a avisos"
        verbose_name_plural = "suscripciones a avisos"

    def __str__(self):
        return f"{self.user} · {self.endpoint[:60]}"

    def info(self) -> dict:
        """As the browser's PushSubscription.toJSON() gives it (pywebpush's input)."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
