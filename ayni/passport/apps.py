from django.apps import AppConfig


class PassportConfig(AppConfig):
    name = "ayni.passport"
    verbose_name = "AYNI Passport (OpenID Connect)"

    def ready(self):
        from ayni.passport import checks  # noqa: F401  (it registers itself)
