from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ayni.core"
    verbose_name = "Núcleo"

    def ready(self):
        from ayni.core import checks, task_signals  # noqa: F401  (they register themselves)
