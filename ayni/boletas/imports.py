"""Importing a planilla: read and check it (ayni.boletas.planilla: the format; a reader of
ayni.boletas.columnar or ayni.boletas.rows), write its boletas (ayni.boletas.writer), then
record and announce what was done (audit, history line, notices to the servants).

One pass over the file does both: boletas are written in batches while the rest is still
being checked, inside one transaction; the first problem stops the writing, the reading
goes on to report every problem, and the transaction is rolled back. Nothing is written
unless the whole file is valid.

An identical boleta already current is left alone (same fingerprint); a different one
replaces it (the old one is kept, "Anulado", with its issued PDFs annulled); current
boletas of a re-imported planilla that the new file no longer has are annulled too.
"""

import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from ayni.boletas import events
from ayni.boletas.bulk import select_where_in
from ayni.boletas.models import Boleta, PlanillaImport
from ayni.boletas.planilla import (
    PAYING_UNIT_KINDS,
    ParsedBoleta,
    PayingEntity,
    Problem,
    Problems,
    ReadAgain,
    ReadStats,
)
from ayni.boletas.rows import RowReader
from ayni.boletas.writer import BATCH_BOLETAS, BoletaWriter
from ayni.core import audit
from ayni.core.threads import ReadAhead
from ayni.organizations.models import Servant, Unit
from ayni.organizations.scoping import covered_units

GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class PlanillaSource:
    """A planilla file that can be read (more than once) as bytes."""

    name: str
    open_binary: Callable[[], io.BufferedIOBase]
    size: int | None = None

    @classmethod
    def from_path(cls, path) -> "PlanillaSource":
        path = Path(path)
        return cls(path.name, lambda: path.open("rb"), path.stat().st_size)

    @classmethod
    def from_record(cls, record: PlanillaImport) -> "PlanillaSource":
        """The file kept with a validated web upload."""
        name = record.stored_file.name
        return cls(record.file_name, lambda: default_storage.open(name, "rb"), record.size)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> "PlanillaSource":
        return cls(name, lambda: io.BytesIO(data), len(data))

    @contextmanager
    def opened(self) -> Iterator[io.BufferedIOBase]:
        """Its bytes, uncompressed if it is gzip (within `InflationLimits`)."""
        with self.open_binary() as handle:
            stream = getattr(handle, "file", handle)  # the raw file under Django's File
            magic = stream.read(len(GZIP_MAGIC))
            stream.seek(0)
            if magic == GZIP_MAGIC:
                compressed = _Counted(stream)
                with gzip.GzipFile(fileobj=compressed) as unzipped:
                    yield _Inflating(unzipped, compressed, InflationLimits.from_settings())
            else:
                yield stream


class TooMuchInflation(Exception):
    """A compressed planilla inflates beyond the limits: refused before it is all read."""


@dataclass(frozen=True)
class InflationLimits:
    max_bytes: int
    max_ratio: int
    # The ratio is judged once this much is inflated: a file's first bytes say little.
    ratio_after: int = 1 << 20

    @classmethod
    def from_settings(cls) -> "InflationLimits":
        return cls(settings.AYNI_PLANILLA_MAX_INFLATED_BYTES, settings.AYNI_PLANILLA_MAX_RATIO)


class _Counted(io.RawIOBase):
    """Counts the compressed bytes read from a stream."""

    def __init__(self, stream):
        self.stream = stream
        self.count = 0

    def readable(self):
        return True

    def read(self, size=-1):
        data = self.stream.read(size)
        self.count += len(data)
        return data

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _Inflating(io.RawIOBase):
    """The uncompressed bytes, read as the reader asks for them (gzip inflates at most what
    is asked); stops with `TooMuchInflation` at the size cap or at a ratio no planilla has."""

    def __init__(self, unzipped, compressed: _Counted, limits: InflationLimits):
        self.unzipped = unzipped
        self.compressed = compressed
        self.limits = limits
        self.inflated = 0

    def readable(self):
        return True

    def read(self, size=-1):
        if size is None or size < 0 or size > 1 << 20:
            size = 1 << 20  # never the whole file at once
        data = self.unzipped.read(size)
        self.inflated += len(data)
        limits = self.limits
        if self.inflated > limits.max_bytes:
            raise TooMuchInflation(
                f"el archivo comprimido se descomprime en más de {_size(limits.max_bytes)}, el "
                "máximo admitido: divídalo en varios archivos."
            )
        if self.inflated > limits.ratio_after and self.inflated > limits.max_ratio * max(
            self.compressed.count, 1
        ):
            raise TooMuchInflation(
                f"el archivo comprimido se descomprime más de {limits.max_ratio} veces su tamaño: "
                "no parece una planilla (se detuvo la lectura)."
            )
        return data

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _size(count: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return f"{count} bytes"


@dataclass
class ImportResult:
    file_name: str
    sha256: str = ""
    size: int = 0
    lines: int = 0
    boletas: int = 0
    created: int = 0
    replaced: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    servants_created: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    entity_ids: set[int] = field(default_factory=set)
    periods: set[date] = field(default_factory=set)
    gross: Decimal = Decimal(0)
    deductions: Decimal = Decimal(0)
    net: Decimal = Decimal(0)
    outcome: str = ""  # digest of what the import does to the current boletas
    affected: list | None = None  # the servants concerned (previews only)
    planilla_import: PlanillaImport | None = None

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


class _Rejected(Exception):
    """Rolls the import's transaction back."""


class PayingEntities:
    """Units by code, the paying ones loaded at once; outside `allowed_units` (a queryset)
    they are refused."""

    def __init__(self, allowed_units=None):
        self.allowed_units = allowed_units
        self.allowed_ids = (
            None if allowed_units is None else set(allowed_units.values_list("id", flat=True))
        )
        paying = Unit.objects.filter(kind__in=PAYING_UNIT_KINDS).values(*self.FIELDS)
        self.paying = {unit["code"]: self._entity(unit) for unit in paying}

    FIELDS = ("id", "code", "kind", "ruc")

    def _entity(self, unit: dict) -> PayingEntity:
        allowed = self.allowed_ids is None or unit["id"] in self.allowed_ids
        return PayingEntity(**unit, allowed=allowed)

    def lookup(self, code: str) -> PayingEntity | None:
        """Any unit (the row reader says what an unpaying one is)."""
        if code in self.paying:
            return self.paying[code]
        unit = Unit.objects.filter(code=code).values(*self.FIELDS).first()
        return None if unit is None else self._entity(unit)

    def paying_only(self, code: str) -> PayingEntity:
        """For the columnar reader, which reads in a thread of its own: no database."""
        if code not in self.paying:
            raise ReadAgain
        return self.paying[code]


class _ServantScope:
    """For an uploader restricted to some units: each boleta's servant, if the platform knows
    it, must be placed in one of those units or already have a boleta paid by one of them.
    Otherwise a planilla "paid" by the uploader's unit would put anyone's servant (real name,
    unit) in the uploader's search. Checked in batches, in the writing thread (the database).
    """

    MESSAGE = (
        "el servidor {} {} no pertenece a sus unidades ni tiene boletas pagadas por ellas: su "
        "planilla solo puede tener boletas de su personal."
    )

    OWN_CASE = (
        "es su propia boleta ({} {}): nadie carga su propio pago; la carga otro administrador "
        "de boletas de la unidad o el nivel superior."
    )

    def __init__(self, entities: PayingEntities, problems: Problems, actor=None):
        self.units = entities.allowed_units
        self.unit_ids = entities.allowed_ids
        self.problems = problems
        self.pending: list[ParsedBoleta] = []
        self.own = (actor.document_type, actor.username) if actor is not None else None

    def _refuse(self, boleta: ParsedBoleta, message: str) -> None:
        if not boleta.line:  # the columnar reader does not count lines: read by rows
            raise ReadAgain
        self.problems.add(boleta.line, "numero_documento", message)

    def add(self, boleta: ParsedBoleta) -> None:
        self.pending.append(boleta)
        if len(self.pending) >= BATCH_BOLETAS:
            self.check()

    def check(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        for boleta in batch:
            if (boleta.document_type, boleta.document_number) == self.own:
                self._refuse(boleta, self.OWN_CASE.format(*self.own))
        numbers = sorted({boleta.document_number for boleta in batch})
        found = select_where_in(Servant, ["document_type", "document_number", "id", "unit"],
                                "document_number", numbers)  # fmt: skip
        outside = {(kind, number): pk for kind, number, pk, unit in found
                   if unit not in self.unit_ids}  # fmt: skip
        if not outside:
            return
        paid_here = set(
            Boleta.objects.filter(servant_id__in=outside.values(), entity__in=self.units)
            .values_list("servant_id", flat=True)
            .distinct()
        )
        for boleta in batch:
            pk = outside.get((boleta.document_type, boleta.document_number))
            if pk is None or pk in paid_here:
                continue
            self._refuse(boleta, self.MESSAGE.format(boleta.document_type, boleta.document_number))


def current_month() -> date:
    return timezone.localdate().replace(day=1)


def import_planilla(
    source: PlanillaSource,
    *,
    origin: str,
    actor=None,
    dry_run: bool = False,
    allowed_units=None,
    on_bytes: Callable[[int], None] | None = None,
    record: PlanillaImport | None = None,
    expected_sha256: str = "",
    expected_outcome: str = "",
    preview: bool = False,
) -> ImportResult:
    """Check and (unless `dry_run`) import one planilla file; see the module docstring.

    `preview` lists the servants concerned (`ImportResult.affected`); `expected_outcome`
    refuses the import unless it does exactly what a preview showed.

    A successful run leaves an "Importado" line in the history (`record`: complete the line
    of a validated web upload instead). A rejected file writes nothing at all; callers
    keep it in the history with `record_rejection` once their transaction is over.
    """
    run = _ImportRun(source, PayingEntities(allowed_units), origin, actor, dry_run, on_bytes,
                     record, expected_sha256, expected_outcome, preview)  # fmt: skip
    *first, last = _readers(run.entities)
    for reader, read_ahead in first:
        try:
            return _import_once(run, reader, read_ahead)
        except ReadAgain:
            continue
    return _import_once(run, *last)  # the regrouping row reader reads every file


def _readers(entities: PayingEntities) -> list[tuple[Callable, bool]]:
    """The readers to try in turn, and whether each reads ahead in a thread of its own: the
    columnar one (it needs no database); what it does not vouch for is read row by row; a
    file whose boletas are not in consecutive rows, regrouped first."""
    from ayni.boletas.columnar import ColumnarReader  # pyarrow: only when a file is read

    return [
        (partial(ColumnarReader, entity_for=entities.paying_only), True),
        (partial(RowReader, entity_for=entities.lookup), False),
        (partial(RowReader, entity_for=entities.lookup, regroup=True), False),
    ]


@dataclass
class _ImportRun:
    source: PlanillaSource
    entities: PayingEntities
    origin: str
    actor: object
    dry_run: bool
    on_bytes: Callable[[int], None] | None
    record: PlanillaImport | None
    expected_sha256: str
    expected_outcome: str = ""
    preview: bool = False


STALE_PREVIEW = (
    "los datos cambiaron desde la vista previa (otra importación modificó las mismas "
    "planillas): el resultado ya no sería el que se mostró y no se importó nada. Cargue el "
    "archivo de nuevo para ver el resultado actualizado."
)


def _import_once(run: _ImportRun, reader_for: Callable, read_ahead: bool) -> ImportResult:
    source, dry_run = run.source, run.dry_run
    result = ImportResult(file_name=source.name)
    problems = Problems()
    try:
        with transaction.atomic():
            planilla_import = None
            if not dry_run:
                planilla_import = run.record or PlanillaImport(
                    file_name=source.name[:255], origin=run.origin, uploaded_by=run.actor
                )
                planilla_import.state = PlanillaImport.State.QUEUED
                planilla_import.sha256 = ""
                planilla_import.save()
            writer = BoletaWriter(planilla_import, result, run.preview)
            scope = None
            if run.entities.allowed_ids is not None:
                scope = _ServantScope(run.entities, problems, run.actor)
            reader = None
            try:
                with source.opened() as stream:
                    reader = reader_for(stream, current_month=current_month(),
                                        problems=problems, on_bytes=run.on_bytes)  # fmt: skip
                    with (
                        ReadAhead(reader.boletas())
                        if read_ahead
                        else nullcontext(reader.boletas()) as boletas
                    ):
                        for boleta in boletas:
                            if scope is not None:
                                scope.add(boleta)
                            if not problems:
                                writer.add(boleta)
                if scope is not None:
                    scope.check()
            except TooMuchInflation as error:
                problems.add(1, "", str(error))
            except (gzip.BadGzipFile, EOFError, zlib.error):
                problems.add(1, "", "el archivo comprimido (gzip) está dañado o incompleto.")
            stats = reader.stats if reader is not None else ReadStats()
            if run.expected_sha256 and stats.sha256 != run.expected_sha256:
                problems.add(1, "", "el archivo no es el que se validó: cárguelo de nuevo.")
            if not problems:
                writer.finish()
                if run.expected_outcome and result.outcome != run.expected_outcome:
                    problems.add(1, "", STALE_PREVIEW)
            result.sha256, result.size = stats.sha256, stats.size
            result.lines, result.boletas = stats.lines, stats.boletas
            result.problems, result.problem_count = problems.first(), problems.total
            if problems or dry_run:
                raise _Rejected
            _record_success(planilla_import, result, run.actor)
    except _Rejected:
        pass
    return result


def _record_success(planilla_import: PlanillaImport, result: ImportResult, actor) -> None:
    fill_record(planilla_import, result, PlanillaImport.State.IMPORTED)
    # Here, not in a view: the command, the task and the web import are all audited.
    audit.record(
        actor, events.IMPORT_APPLIED, planilla_import, None, origen=planilla_import.origin,
        creadas=result.created, reemplazadas=result.replaced, retiradas=result.withdrawn,
    )  # fmt: skip
    planilla_import.entities.set(result.entity_ids)
    result.planilla_import = planilla_import
    if result.created + result.replaced and planilla_import.origin != PlanillaImport.Origin.DEMO:
        # Imported here: Celery is loaded by the first notice queued, not by every start.
        from ayni.boletas.notices import notify_new_boletas

        notify_new_boletas.delay_on_commit(planilla_import.pk)


def record_rejection(result: ImportResult, origin: str, actor=None, record=None) -> PlanillaImport:
    """The history line of a file that was refused (its problems, no counts)."""
    rejected = record or PlanillaImport(file_name=result.file_name[:255], origin=origin,
                                        uploaded_by=actor)  # fmt: skip
    for counter in ("created", "replaced", "unchanged", "withdrawn", "servants_created"):
        setattr(result, counter, 0)
    result.gross = result.deductions = result.net = Decimal(0)
    result.periods, result.outcome, result.affected = set(), "", None
    fill_record(rejected, result, PlanillaImport.State.REJECTED)
    audit.record(actor, events.IMPORT_REJECTED, rejected, None, problemas=result.problem_count)
    result.planilla_import = rejected
    return rejected


def fill_record(planilla_import: PlanillaImport, result: ImportResult, state) -> None:
    planilla_import.state = state
    planilla_import.sha256 = result.sha256
    planilla_import.size = result.size
    planilla_import.lines = result.lines
    planilla_import.boletas_created = result.created
    planilla_import.boletas_replaced = result.replaced
    planilla_import.boletas_unchanged = result.unchanged
    planilla_import.boletas_withdrawn = result.withdrawn
    planilla_import.servants_created = result.servants_created
    planilla_import.boleta_count = result.boletas
    planilla_import.periods = " ".join(f"{p:%Y-%m}" for p in sorted(result.periods))
    planilla_import.gross_total = result.gross
    planilla_import.deductions_total = result.deductions
    planilla_import.net_total = result.net
    planilla_import.outcome = result.outcome
    if result.affected is not None:
        planilla_import.affected = result.affected
    planilla_import.error_count = result.problem_count
    planilla_import.errors = [
        {"linea": p.line, "columna": p.column, "mensaje": p.message} for p in result.problems
    ]
    planilla_import.finished_at = timezone.now()
    planilla_import.save()


def import_queued_upload(record_id: int, actor) -> PlanillaImport | None:
    """Import a confirmed upload exactly as it was validated; checked again line by line, and
    refused if its outcome is no longer the one previewed (`PlanillaImport.outcome`)."""
    record = PlanillaImport.objects.filter(pk=record_id, state=PlanillaImport.State.QUEUED).first()
    if record is None:
        return None
    result = import_planilla(
        PlanillaSource.from_record(record), origin=PlanillaImport.Origin.WEB, actor=actor,
        allowed_units=covered_units(actor, "boletas"), record=record,
        expected_sha256=record.sha256, expected_outcome=record.outcome,
    )  # fmt: skip
    if not result.ok:
        record_rejection(result, PlanillaImport.Origin.WEB, actor, record)
    record.stored_file.delete(save=True)
    return record
