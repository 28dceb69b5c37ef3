from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ayni.notifications"
    verbose_name = "Avisos en los dispositivos"
