from django.apps import AppConfig

from ayni.core.menu import MenuItem


class ConstanciasConfig(AppConfig):
    """Constancias the servant issues themself, from their boletas and their legajo.

    An app of its own: a constancia de haberes reads boletas, the constancias de trabajo and
    de tiempo de servicios read the legajo; neither of those apps depends on the other.
    """

    name = "ayni.constancias"
    verbose_name = "Constancias"
    menu_items = [
        MenuItem("Mis constancias", "constancias:mine", 45, icon="doc",
                 card_text="Emita al instante constancias de haberes, de trabajo y de "
                 "tiempo de servicios, firmadas y verificables."),
    ]  # fmt: skip

    def ready(self):
        from ayni.constancias.models import Constancia
        from ayni.documents import registry

        for kind in Constancia.Kind.values:
            registry.register(kind, "ayni.constancias.pdf.ConstanciaRenderer", kind)
