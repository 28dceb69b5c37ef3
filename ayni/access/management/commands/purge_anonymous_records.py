from django.conf import settings
from django.utils import timezone

from ayni.access.selectors import anonymous_records_due
from ayni.access.services import purge_anonymous_records
from ayni.core.purge import DRY_RUN_NOTE, PurgeCommand


class Command(PurgeCommand):
    help = (
        "Elimina los CAPTCHA vencidos y, pasados AYNI_ANONYMOUS_RECORDS_RETENTION_DAYS días, "
        "los registros de consultas públicas rechazadas (límites, verificaciones sin "
        "resultado). Pensado para un programador de tareas diario."
    )

    def handle(self, *args, **options):
        if options["dry_run"]:
            counts = self.list_due()
            verb, note = "se eliminarían", f" {DRY_RUN_NOTE}"
        else:
            counts = purge_anonymous_records()
            verb, note = "eliminados", ""
        self.stdout.write(
            f"CAPTCHA vencidos {verb}: {counts['captcha']}; "
            f"verificaciones sin resultado: {counts['verificaciones']}; "
            f"límites alcanzados: {counts['limites']} "
            f"(plazo: {settings.AYNI_ANONYMOUS_RECORDS_RETENTION_DAYS} días).{note}"
        )

    def list_due(self) -> dict[str, int]:
        """One line per audit line due; the CAPTCHA challenges (one per page view) counted."""
        due = anonymous_records_due(timezone.now())
        for kind in ("verificaciones", "limites"):
            for event in due[kind].order_by("created_at").only("created_at", "action", "outcome"):
                self.stdout.write(
                    f"Registro de auditoría {event.pk}: {event.created_at:%Y-%m-%d %H:%M} "
                    f"{event.action} ({event.outcome})"
                )
        return {kind: queryset.count() for kind, queryset in due.items()}
