from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ayni.api"
    verbose_name = "API v1"
