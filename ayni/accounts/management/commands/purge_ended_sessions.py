from django.conf import settings
from django.utils import timezone

from ayni.accounts.sessions import ended_sessions, purge_ended_sessions
from ayni.core.purge import DRY_RUN_NOTE, PurgeCommand


class Command(PurgeCommand):
    help = (
        'Elimina los registros de "Mis accesos" (IP, navegador) de las sesiones ya vencidas '
        "sin cierre: inactivas más de SESSION_IDLE_SECONDS o iniciadas hace más de "
        "SESSION_ABSOLUTE_SECONDS. Pensado para un programador de tareas diario, junto a "
        "`clearsessions` si las sesiones están en la base de datos."
    )

    def handle(self, *args, **options):
        term = (
            f"(inactivas más de {settings.SESSION_COOKIE_AGE // 60} minutos o iniciadas hace "
            f"más de {settings.SESSION_ABSOLUTE_SECONDS // 3600} horas)."
        )
        if not options["dry_run"]:
            self.stdout.write(f"Sesiones vencidas eliminadas: {purge_ended_sessions()} {term}")
            return
        due = ended_sessions(timezone.now()).select_related("user").order_by("started_at")
        for row in due:
            self.stdout.write(
                f"Sesión {row.pk} de {row.user.username}: inicio {row.started_at:%Y-%m-%d %H:%M}, "
                f"última actividad {row.last_activity:%Y-%m-%d %H:%M}, IP {row.ip or '-'}"
            )
        self.stdout.write(f"Se eliminarían {due.count()} sesiones vencidas {term} {DRY_RUN_NOTE}")
