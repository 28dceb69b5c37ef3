from django.apps import AppConfig

from ayni.core.menu import MenuItem


def is_escalafon_specialist(user) -> bool:
    from ayni.organizations.models import StaffRole
    from ayni.organizations.scoping import has_role

    return has_role(user, StaffRole.Role.ESCALAFON)


class LegajoConfig(AppConfig):
    name = "ayni.legajo"
    verbose_name = "Legajo personal"
    menu_items = [
        MenuItem(
            "Mi legajo", "legajo:mi_legajo", 10, icon="folder",
            card_text="Consulte las secciones de su legajo personal.",
        ),
        MenuItem(
            "Actualizar mi legajo", "legajo:actualizar", 20, icon="edit",
            card_text="Solicite la corrección o el registro de datos de su legajo.",
        ),
        MenuItem(
            "Seguimiento de atención de solicitud", "legajo:seguimiento", 30, icon="track",
            card_text="Revise el estado de sus solicitudes de actualización.",
        ),
        MenuItem("Reporte de hoja de vida", "legajo:hoja_de_vida", 50, icon="pdf"),
        MenuItem(
            "Bandeja de solicitudes", "legajo:bandeja", 100, icon="tray",
            visible=is_escalafon_specialist,
        ),
        MenuItem(
            "Legajos de la unidad", "legajo:legajos", 110, icon="folder",
            visible=is_escalafon_specialist,
        ),
    ]  # fmt: skip

    def ready(self):
        from django.contrib.auth import user_logged_in

        from ayni.documents import registry
        from ayni.legajo.models import LegajoReport
        from ayni.legajo.notice import flag_missing_legajo

        for kind in LegajoReport.Kind.values:
            registry.register(kind, "ayni.legajo.pdf.LegajoReportRenderer", kind)
        user_logged_in.connect(flag_missing_legajo, dispatch_uid="ayni_legajo_notice")
