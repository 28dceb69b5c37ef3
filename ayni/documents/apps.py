from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ayni.documents"
    verbose_name = "Documentos emitidos"
