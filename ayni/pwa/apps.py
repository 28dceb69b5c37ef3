from django.apps import AppConfig


class PwaConfig(AppConfig):
    name = "ayni.pwa"
    verbose_name = "Aplicación instalable"
