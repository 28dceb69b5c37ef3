from django.conf import settings
from django.core.management.base import BaseCommand

from ayni.access.services import purge_anonymous_records


class Command(BaseCommand):
    help = (
        "Elimina los CAPTCHA vencidos y, pasados AYNI_ANONYMOUS_RECORDS_RETENTION_DAYS días, "
        "los registros de consultas públicas rechazadas (límites, verificaciones sin "
        "resultado). Pensado para un programador de tareas diario."
    )

    def handle(self, *args, **options):
        deleted = purge_anonymous_records()
        self.stdout.write(
            f"CAPTCHA vencidos eliminados: {deleted['captcha']}; "
            f"verificaciones sin resultado: {deleted['verificaciones']}; "
            f"límites alcanzados: {deleted['limites']} "
            f"(plazo: {settings.AYNI_ANONYMOUS_RECORDS_RETENTION_DAYS} días)."
        )
