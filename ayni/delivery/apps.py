from django.apps import AppConfig

from ayni.boletas.apps import is_boletas_admin
from ayni.core.menu import MenuItem


class DeliveryConfig(AppConfig):
    name = "ayni.delivery"
    verbose_name = "Entrega electrónica de boletas"
    menu_items = [
        MenuItem("Entrega electrónica", "delivery:staff_consents", 115, icon="list",
                 visible=is_boletas_admin),
    ]  # fmt: skip

    def ready(self):
        from django.contrib.auth import user_logged_in

        from ayni.delivery.services import RECEIPT_KIND, flag_pending_consent
        from ayni.documents import registry

        registry.register(RECEIPT_KIND, "ayni.delivery.pdf.ReceiptRenderer")
        user_logged_in.connect(flag_pending_consent, dispatch_uid="ayni_delivery_consent")
