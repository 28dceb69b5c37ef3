from django.apps import AppConfig

from ayni.core.menu import MenuItem


class PrivacyConfig(AppConfig):
    name = "ayni.privacy"
    verbose_name = "Mis datos personales"
    menu_items = [
        MenuItem(
            "Mis datos personales", "privacy:mis_datos", 60, icon="lock",
            card_text="Descargue lo que la plataforma guarda de usted y vea quién lo consultó.",
        ),
    ]  # fmt: skip
