"""Re-read every stored official PDF (or a random sample) and check it against its record."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from ayni.documents import events
from ayni.documents.models import IssuedDocument
from ayni.documents.services import StoredCheck, check_stored

LABELS = {
    StoredCheck.MATCHING: "coinciden / matching",
    StoredCheck.MISSING: "faltan / missing",
    StoredCheck.ALTERED: "alterados / altered",
    StoredCheck.SIGNATURE_INVALID: "firma no válida / signature invalid",
}


class Command(BaseCommand):
    help = (
        "Vuelve a leer cada PDF oficial guardado (boletas, hojas de vida, informes), recalcula "
        "su SHA-256 y valida su firma PAdES. Cada archivo faltante, alterado o con firma no "
        "válida queda en el registro de auditoría y el comando termina con error. "
        "Re-reads every stored official PDF, checks its SHA-256 and PAdES signature."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample",
            type=int,
            metavar="N",
            help="revisa N documentos elegidos al azar / check N documents chosen at random",
        )

    def handle(self, *args, sample=None, **options):
        if sample is not None and sample < 1:
            raise CommandError("--sample debe ser un número mayor que cero.")
        documents = IssuedDocument.objects.order_by("pk")
        if sample is not None:
            documents = IssuedDocument.objects.order_by("?")[:sample]
        counts = Counter()
        for document in documents.iterator(chunk_size=500):
            result = check_stored(document)
            counts[result] += 1
            if result != StoredCheck.MATCHING:
                name = document.file.name
                self.stderr.write(f"{LABELS[result]}: documento {document.pk} ({name})")
        checked = sum(counts.values())
        self.stdout.write(f"Documentos revisados / checked: {checked}")
        for result, label in LABELS.items():
            self.stdout.write(f"  {label}: {counts[result]}")
        failed = checked - counts[StoredCheck.MATCHING]
        if failed:
            raise CommandError(
                f"{failed} documento(s) guardado(s) no coinciden con su registro "
                f"(ver el registro de auditoría, acción {events.STORED_FILE_FAILED})."
            )
