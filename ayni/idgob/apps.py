from django.apps import AppConfig


class IdGobConfig(AppConfig):
    name = "ayni.idgob"
    verbose_name = "Ingresar con ID GOB.PE (OpenID Connect)"

    def ready(self):
        from ayni.idgob import checks  # noqa: F401  (it registers itself)
