from django.conf import settings
from django.utils import timezone

from ayni.access.selectors import identity_documents_due
from ayni.access.services import purge_identity_documents
from ayni.core.purge import DRY_RUN_NOTE, PurgeCommand


class Command(PurgeCommand):
    help = (
        "Elimina las copias de documentos de identidad de las solicitudes de acceso decididas "
        "hace más de AYNI_ACCESS_RETENTION_DAYS días, o enviadas hace más de ese plazo y nunca "
        "decididas. Pensado para un programador de tareas diario."
    )

    def handle(self, *args, **options):
        term = (
            f"(plazo: {settings.AYNI_ACCESS_RETENTION_DAYS} días desde la decisión, "
            "o desde el envío si no hubo decisión)."
        )
        if not options["dry_run"]:
            deleted = purge_identity_documents()
            self.stdout.write(f"Documentos de identidad eliminados: {deleted} {term}")
            return
        due = identity_documents_due(timezone.now()).order_by("created_at")
        for access_request in due.only("code", "created_at", "decided_at", "attachment"):
            since = (
                f"decidida el {access_request.decided_at:%Y-%m-%d}"
                if access_request.decided_at
                else f"enviada el {access_request.created_at:%Y-%m-%d}, sin decisión"
            )
            self.stdout.write(f"{access_request.code}: {access_request.attachment.name} ({since})")
        self.stdout.write(
            f"Se eliminarían {due.count()} documentos de identidad {term} {DRY_RUN_NOTE}"
        )
