"""What the retention purge commands share (docs/operations.md, "Retention"): `--dry-run`
lists what the run would delete and deletes nothing."""

from django.core.management.base import BaseCommand

DRY_RUN_NOTE = "Simulación (--dry-run): no se borró nada."


class PurgeCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Solo lista lo que se eliminaría; no borra nada.",
        )
