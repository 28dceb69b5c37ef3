from django.apps import AppConfig

from ayni.core.menu import MenuItem


def _is_admin_ugel(user) -> bool:
    from ayni.accounts.selectors import is_admin_ugel

    return is_admin_ugel(user)


class AccessConfig(AppConfig):
    name = "ayni.access"
    verbose_name = "Solicitudes de acceso y ayuda"
    menu_items = [
        MenuItem("Solicitudes de acceso", "access:tray", order=490, icon="inbox",
                 visible=_is_admin_ugel),
    ]  # fmt: skip
