import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ayni.boletas.imports import PlanillaSource, import_planilla, record_rejection
from ayni.boletas.models import PlanillaImport
from ayni.boletas.selectors import ROLE
from ayni.organizations.scoping import covered_units


class AnyFileRejected(Exception):
    """Rolls back the files already imported in this run."""


class Command(BaseCommand):
    help = (
        "Importa planillas (CSV UTF-8, o gzip) con el formato de docs/formato-planilla.md. "
        "Valida cada línea; ante cualquier error no escribe nada. Corre como la plataforma "
        "(cualquier entidad) o, con --as-user DNI, con las unidades de ese administrador de "
        "boletas."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="ARCHIVO")
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Solo valida y cuenta lo que se haría; no escribe nada.",
        )  # fmt: skip
        parser.add_argument(
            "--as-user", metavar="DNI", dest="as_user",
            help="Importa como ese usuario: solo boletas de las unidades que administra.",
        )  # fmt: skip

    def handle(self, *args, paths, dry_run, as_user=None, **options):
        self.actor = self.allowed_units = None
        if as_user:
            self.actor = get_user_model().objects.filter(username=as_user, is_active=True).first()
            if self.actor is None:
                raise CommandError(f"No hay un usuario activo {as_user}.")
            self.allowed_units = covered_units(self.actor, ROLE)
        sources = []
        for path in paths:
            try:
                sources.append(PlanillaSource.from_path(path))
            except OSError as error:
                raise CommandError(f"No se puede leer {path}: {error.strerror}.") from error
        results = []
        try:
            # Several files go in together or not at all.
            with transaction.atomic():
                for source in sources:
                    results.append(self._import(source, dry_run))
                if any(not result.ok for result in results):
                    raise AnyFileRejected
        except AnyFileRejected:
            if not dry_run:
                for result in results:
                    if not result.ok:
                        record_rejection(result, PlanillaImport.Origin.COMMAND, self.actor)
        for result in results:
            self._report(result, dry_run, all_ok=all(r.ok for r in results))
        if not all(result.ok for result in results):
            raise CommandError("No se importó nada: corrija los errores y vuelva a intentarlo.")

    def _import(self, source, dry_run):
        from tqdm import tqdm  # here: `--help` and a refused user do not pay for it

        progress = tqdm(
            total=source.size, unit="B", unit_scale=True, desc=source.name, leave=False,
            disable=not sys.stderr.isatty(), file=sys.stderr,
        )  # fmt: skip
        with progress:
            return import_planilla(
                source, origin=PlanillaImport.Origin.COMMAND, dry_run=dry_run,
                on_bytes=progress.update, actor=self.actor, allowed_units=self.allowed_units,
            )  # fmt: skip

    def _report(self, result, dry_run, all_ok):
        if not result.ok:
            self.stderr.write(
                f"{result.file_name}: {result.problem_count} error(es) en {result.lines} líneas."
            )
            for problem in result.problems:
                self.stderr.write(f"  {problem}")
            if result.problem_count > len(result.problems):
                hidden = result.problem_count - len(result.problems)
                self.stderr.write(f"  … y {hidden} error(es) más.")
            return
        if not all_ok:
            self.stderr.write(f"{result.file_name}: sin errores, pero no se importó.")
            return
        verb = "se crearían" if dry_run else "creadas"
        self.stdout.write(
            f"{result.file_name}: {result.lines} líneas, {result.boletas} boletas — "
            f"boletas {verb}: {result.created}, reemplazadas: {result.replaced}, "
            f"sin cambios: {result.unchanged}, retiradas: {result.withdrawn}; "
            f"servidores nuevos: {result.servants_created}."
        )
        if dry_run:
            self.stdout.write("Validación sin escritura (--dry-run): no se guardó nada.")
