from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ayni.documents"
    verbose_name = "Documentos emitidos"

    def ready(self):
        import ayni.documents.checks  # noqa: F401  (registers the deploy checks)
