from django.apps import AppConfig

from ayni.core.menu import MenuItem


def _reads_audit_log(user):
    from ayni.core.audit_log import may_read_audit_log

    return may_read_audit_log(user)


class CoreConfig(AppConfig):
    name = "ayni.core"
    verbose_name = "Núcleo"
    menu_items = [
        MenuItem("Auditoría", "core:audit_log", order=800, icon="clock", visible=_reads_audit_log),
    ]

    def ready(self):
        from ayni.core import checks  # noqa: F401  (it registers itself)
