from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "ayni.organizations"
    verbose_name = "Unidades y servidores"
