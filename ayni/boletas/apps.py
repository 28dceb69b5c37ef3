from django.apps import AppConfig

from ayni.core.menu import MenuItem


def is_boletas_admin(user) -> bool:
    from ayni.organizations.scoping import has_role

    return has_role(user, "boletas")


class BoletasConfig(AppConfig):
    name = "ayni.boletas"
    verbose_name = "Boletas de pago"
    menu_items = [
        MenuItem("Mi boleta", "boletas:mine", 40, icon="money",
                 card_text="Consulte y descargue sus boletas de pago desde mayo de 2020."),
        MenuItem("Mis descuentos", "boletas:my_deductions", 42, icon="money",
                 card_text="Sus descuentos por tipo y el mínimo de su remuneración que "
                 "la ley protege."),
        MenuItem("Boletas del personal", "boletas:staff_search", 100, icon="search",
                 visible=is_boletas_admin),
        MenuItem("Cargar planilla", "boletas:import_upload", 110, icon="upload",
                 visible=is_boletas_admin),
        MenuItem("Historial de planillas", "boletas:import_history", 120, icon="list",
                 visible=is_boletas_admin),
    ]  # fmt: skip

    def ready(self):
        from ayni.boletas.models import DOCUMENT_KIND
        from ayni.core import metrics
        from ayni.documents import registry

        registry.register(DOCUMENT_KIND, "ayni.boletas.pdf.BoletaRenderer")
        metrics.register("ayni.boletas.metrics.PlanillaImportsCollector")
