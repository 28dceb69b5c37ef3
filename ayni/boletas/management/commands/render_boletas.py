"""`render_boletas`: before payday, the PDFs of a planilla are rendered by the workers.

The current boletas of the period (and paying entity) that have no PDF yet are queued in
batches (an annulled boleta gets its PDF only if someone opens it); the workers render, sign
and store them in parallel (`ayni.boletas.tasks.render_boleta_pdfs`, through
`ayni.documents.services.issue_document`, the one signing path; each worker process loads the
certificate once and signs its whole batch with it).
Rerunning skips what is done, and so does a batch handed out again after a worker died.
"""

import re
import sys
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ayni.boletas.models import Boleta
from ayni.boletas.selectors import with_document_flag
from ayni.boletas.tasks import render_boleta_pdfs
from ayni.organizations.models import Unit

PERIOD = re.compile(r"(\d{4})-(\d{2})")
POLL_SECONDS = 2


def parse_period(text: str) -> date:
    match = PERIOD.fullmatch(text or "")
    if not match or not 1 <= int(match[2]) <= 12:
        raise CommandError(
            f"--periodo debe tener la forma AAAA-MM (por ejemplo 2026-05); se recibió «{text}»."
        )
    return date(int(match[1]), int(match[2]), 1)


class Command(BaseCommand):
    help = (
        "Genera y firma por adelantado los PDF de las boletas de un periodo (y entidad), "
        "repartidos entre los workers; lo ya generado se omite."
    )

    def add_arguments(self, parser):
        parser.add_argument("--periodo", required=True, metavar="AAAA-MM")
        parser.add_argument("--entidad", metavar="CÓDIGO", help="código de la entidad pagadora")
        parser.add_argument("--lote", type=int, default=20, help="boletas por tarea (20)")
        parser.add_argument(
            "--no-esperar", action="store_true",
            help="solo encola; no espera a que los workers terminen",
        )  # fmt: skip
        parser.add_argument(
            "--paciencia", type=int, default=300, metavar="SEGUNDOS",
            help="deja de esperar si los workers no avanzan en este tiempo (300)",
        )  # fmt: skip

    def handle(self, *args, periodo, entidad, lote, no_esperar, paciencia, **options):
        period = parse_period(periodo)
        if lote < 1:
            raise CommandError("--lote debe ser 1 o más.")
        boletas = Boleta.objects.filter(period=period, state=Boleta.State.CURRENT)
        label = periodo
        if entidad:
            unit = Unit.objects.filter(code=entidad).first()
            if unit is None:
                raise CommandError(f"--entidad: no existe una unidad con el código {entidad}.")
            boletas = boletas.filter(entity=unit)
            label = f"{periodo}, {unit.name}"
        total = boletas.count()
        pending = list(
            with_document_flag(boletas).filter(has_document=False)
            .order_by("pk").values_list("pk", flat=True)
        )  # fmt: skip
        batches = [pending[i : i + lote] for i in range(0, len(pending), lote)]
        self.stdout.write(
            f"Boletas de {label}: {total}; ya tenían PDF: {total - len(pending)}; "
            f"por generar: {len(pending)} en {len(batches)} tareas."
        )
        if not pending:
            return
        started = time.monotonic()
        for batch in batches:
            render_boleta_pdfs.delay_on_commit(batch)
        if no_esperar:
            self.stdout.write("Encoladas; los workers las generarán.")
            return
        self._wait(boletas, total - len(pending), len(pending), paciencia)
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(
            f"{len(pending)} PDF generados en {seconds:.1f} s ({len(pending) / seconds:.1f} PDF/s)."
        ))  # fmt: skip

    def _wait(self, boletas, already_done: int, expected: int, patience: int) -> None:
        """Until every queued PDF is stored, following the workers' progress in the database.

        Without a broker the tasks have run already, in this process, and this returns at once.
        """
        done, last_progress = 0, time.monotonic()
        progress = tqdm(total=expected, unit="PDF", disable=not sys.stderr.isatty(),
                        file=sys.stderr)  # fmt: skip
        with progress:
            while True:
                now_done = (
                    with_document_flag(boletas).filter(has_document=True).count() - already_done
                )
                if now_done > done:
                    progress.update(now_done - done)
                    done, last_progress = now_done, time.monotonic()
                if done >= expected:
                    return
                if time.monotonic() - last_progress > patience:
                    raise CommandError(
                        f"Los workers no avanzan desde hace {patience} s: faltan "
                        f"{expected - done} PDF. Revise que estén en marcha y vuelva a ejecutar "
                        "el comando; lo ya generado no se repite."
                    )
                time.sleep(POLL_SECONDS)
