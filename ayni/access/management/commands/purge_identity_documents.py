from django.conf import settings
from django.core.management.base import BaseCommand

from ayni.access.services import purge_identity_documents


class Command(BaseCommand):
    help = (
        "Elimina las copias de documentos de identidad de las solicitudes de acceso decididas "
        "hace más de AYNI_ACCESS_RETENTION_DAYS días, o enviadas hace más de ese plazo y nunca "
        "decididas. Pensado para un programador de tareas diario."
    )

    def handle(self, *args, **options):
        deleted = purge_identity_documents()
        self.stdout.write(
            f"Documentos de identidad eliminados: {deleted} "
            f"(plazo: {settings.AYNI_ACCESS_RETENTION_DAYS} días desde la decisión, "
            "o desde el envío si no hubo decisión)."
        )
