from django.conf import settings
from django.utils import timezone

from ayni.boletas.selectors import unconfirmed_uploads
from ayni.boletas.services import purge_unconfirmed_uploads
from ayni.core.purge import DRY_RUN_NOTE, PurgeCommand


class Command(PurgeCommand):
    help = (
        "Descarta las planillas subidas y validadas hace más de AYNI_PLANILLA_UNCONFIRMED_DAYS "
        "días que nadie confirmó ni descartó, y elimina su archivo (el historial queda). "
        "Pensado para un programador de tareas diario."
    )

    def handle(self, *args, **options):
        term = f"(plazo: {settings.AYNI_PLANILLA_UNCONFIRMED_DAYS} días sin confirmar)."
        if not options["dry_run"]:
            discarded = purge_unconfirmed_uploads()
            self.stdout.write(f"Planillas sin confirmar descartadas: {discarded} {term}")
            return
        due = unconfirmed_uploads(timezone.now()).order_by("created_at")
        for record in due.only("pk", "file_name", "created_at", "stored_file"):
            self.stdout.write(
                f"Carga {record.pk}: {record.file_name}, validada el {record.created_at:%Y-%m-%d} "
                f"({record.stored_file.name})"
            )
        self.stdout.write(
            f"Se descartarían {due.count()} planillas sin confirmar {term} {DRY_RUN_NOTE}"
        )
