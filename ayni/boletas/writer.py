"""The one writer of an import: decides, per boleta, new / replacing / unchanged, and
appends boletas and their new servants in batches, through the same bulk path (COPY on
PostgreSQL), inside the caller's transaction."""

import hashlib
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ayni.boletas.bulk import BulkTable, select_where_in
from ayni.boletas.models import Boleta, PlanillaImport
from ayni.boletas.planilla import ParsedBoleta
from ayni.documents.services import annul_documents
from ayni.organizations.models import Servant

BATCH_BOLETAS = 2000

BOLETA_COLUMNS = [
    "id", "servant", "period", "entity", "entity_name", "entity_ruc", "payroll_type",
    "apellido_paterno", "apellido_materno", "nombres", "codigo_modular", "servant_type",
    "position", "workplace", "pension_system", "cuspp", "hire_date", "days_worked", "gross",
    "deductions", "net", "employer_contributions", "conceptos", "state", "fingerprint",
    "imported_in",
]  # fmt: skip
SERVANT_COLUMNS = [
    "id", "document_type", "document_number", "apellido_paterno", "apellido_materno", "nombres",
    "unit", "created_at",
]  # fmt: skip


class BoletaWriter:
    """Decides, per boleta, new / replacing / unchanged, and writes in batches.

    The first batch with boletas of a planilla (periodo, entidad, tipo) loads that
    planilla's current boletas; each boleta of the file takes its own out; what is left at
    the end is no longer in the planilla. With no `planilla_import` (a dry run) it only counts.
    """

    def __init__(self, planilla_import: PlanillaImport | None, result,
                 preview: bool = False):  # fmt: skip
        self.planilla_import = planilla_import
        self.result = result
        # What happens to the current boletas: (id, "r" replaced | "u" unchanged | "w"
        # withdrawn), plus how many are new: the outcome's digest.
        self.touched: list[tuple[int, str]] = []
        self.affected: list | None = [] if preview else None
        self.batch: list[ParsedBoleta] = []
        self.servant_ids: dict[tuple[str, str], int | None] = {}
        # planilla key -> {document: (boleta id, fingerprint)} not yet met in the file
        self.current: dict[tuple, dict[tuple[str, str], tuple[int, str]]] = {}
        self.boletas = BulkTable(Boleta, BOLETA_COLUMNS)
        self.servants = BulkTable(Servant, SERVANT_COLUMNS)

    @property
    def writing(self) -> bool:
        return self.planilla_import is not None

    def add(self, boleta: ParsedBoleta) -> None:
        self.batch.append(boleta)
        if len(self.batch) >= BATCH_BOLETAS:
            self._flush()

    def finish(self) -> None:
        self._flush()
        withdrawn = [pk for left in self.current.values() for pk, _ in left.values()]
        self.result.withdrawn = len(withdrawn)
        self.touched.extend((pk, "w") for pk in withdrawn)
        self.touched.sort()
        digest = hashlib.sha256(f"{self.result.created}".encode())
        digest.update(repr(self.touched).encode())
        self.result.outcome = digest.hexdigest()
        if self.affected is not None:
            self._affected_withdrawn(withdrawn)
            self.affected.sort(key=lambda item: (item[2], item[1]))
            self.result.affected = self.affected
        if self.writing:
            for start in range(0, len(withdrawn), BATCH_BOLETAS):
                self._annul(withdrawn[start : start + BATCH_BOLETAS])

    def _load_current(self, keys: set[tuple]) -> None:
        """The current boletas of the planillas met for the first time, in one query."""
        if not keys:
            return
        for key in keys:
            self.current[key] = {}
            self.result.entity_ids.add(key[1])
            self.result.periods.add(key[0])
        rows = Boleta.objects.filter(
            period__in={period for period, _, _ in keys},
            entity_id__in={entity for _, entity, _ in keys},
            payroll_type__in={payroll_type for _, _, payroll_type in keys},
            state=Boleta.State.CURRENT,
        ).values_list("period", "entity_id", "payroll_type", "servant__document_type",
                      "servant__document_number", "servant_id", "id", "fingerprint")  # fmt: skip
        for (
            period,
            entity,
            payroll_type,
            document_type,
            number,
            servant_id,
            pk,
            digest,
        ) in rows.iterator(chunk_size=5000):
            if (period, entity, payroll_type) in keys:
                self.servant_ids[(document_type, number)] = servant_id
                self.current[(period, entity, payroll_type)][(document_type, number)] = (pk, digest)

    def _flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        self._load_current({boleta.planilla_key for boleta in batch} - self.current.keys())
        self._resolve_servants(batch)
        replaced_ids, new = [], []
        result, touched, affected = self.result, self.touched, self.affected
        gross = deductions = Decimal(0)
        for boleta in batch:
            document = (boleta.document_type, boleta.document_number)
            gross += boleta.gross
            deductions += boleta.deductions
            existing = self.current[boleta.planilla_key].pop(document, None)
            if existing is None:
                result.created += 1
                outcome = "nueva"
            elif existing[1] == boleta.fingerprint:
                result.unchanged += 1
                touched.append((existing[0], "u"))
                continue
            else:
                result.replaced += 1
                replaced_ids.append(existing[0])
                touched.append((existing[0], "r"))
                outcome = "reemplaza"
            if affected is not None:
                f = boleta.fields
                name = " ".join(
                    p for p in (f["apellido_paterno"], f["apellido_materno"], f["nombres"]) if p
                )
                affected.append([*document, name, outcome, str(boleta.net)])
            new.append((self.servant_ids[document], boleta))
        result.gross += gross
        result.deductions += deductions
        result.net = result.gross - result.deductions
        if self.writing:
            self._annul(replaced_ids)
            self._append(new)

    def _affected_withdrawn(self, ids: list[int]) -> None:
        for start in range(0, len(ids), BATCH_BOLETAS):
            rows = Boleta.objects.filter(pk__in=ids[start : start + BATCH_BOLETAS]).values_list(
                "servant__document_type", "servant__document_number", "apellido_paterno",
                "apellido_materno", "nombres", "net",
            )  # fmt: skip
            for document_type, number, paterno, materno, nombres, net in rows:
                name = " ".join(p for p in (paterno, materno, nombres) if p)
                self.affected.append([document_type, number, name, "retirada", str(net)])

    def _resolve_servants(self, batch: list[ParsedBoleta]) -> None:
        wanted = {}
        for boleta in batch:
            document = (boleta.document_type, boleta.document_number)
            if document not in self.servant_ids:
                wanted.setdefault(document, boleta)
        if not wanted:
            return
        self._load_servant_ids(wanted)
        missing = [d for d in wanted if d not in self.servant_ids]
        self.result.servants_created += len(missing)
        if not self.writing:
            self.servant_ids.update(dict.fromkeys(missing))
            return
        self._create_servants(missing, wanted)

    def _create_servants(self, missing: list[tuple[str, str]], wanted: dict) -> None:
        """Appended like the boletas; a servant created meanwhile by another import (the
        unique document) is theirs: the batch is retried without it."""
        if not missing:
            return
        ids = self.servants.reserve_ids(len(missing))
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        rows = []
        for pk, document in zip(ids, missing, strict=True):
            boleta = wanted[document]
            f = boleta.fields
            rows.append((pk, *document, f["apellido_paterno"], f["apellido_materno"],
                         f["nombres"], boleta.entity_id, now))  # fmt: skip
        try:
            with transaction.atomic():
                self.servants.append(rows)
        except IntegrityError:
            self._load_servant_ids(wanted)
            still_missing = [d for d in missing if d not in self.servant_ids]
            self.result.servants_created -= len(missing) - len(still_missing)
            self._create_servants(still_missing, wanted)
            return
        self.servant_ids.update(zip(missing, ids, strict=True))

    def _load_servant_ids(self, documents: dict) -> None:
        numbers = sorted({number for _, number in documents})
        found = select_where_in(Servant, ["document_type", "document_number", "id"],
                                "document_number", numbers)  # fmt: skip
        for document_type, number, pk in found:
            if (document_type, number) in documents:
                self.servant_ids[(document_type, number)] = pk

    def _annul(self, ids: list[int]) -> None:
        if not ids:
            return
        Boleta.objects.filter(pk__in=ids).update(
            state=Boleta.State.ANNULLED, annulled_in=self.planilla_import
        )
        annul_documents(Boleta, ids)

    def _append(self, new: list[tuple[int, ParsedBoleta]]) -> None:
        ids = self.boletas.reserve_ids(len(new))
        adapt_date = connection.ops.adapt_datefield_value
        import_id = self.planilla_import.pk
        current = Boleta.State.CURRENT
        rows = []
        for pk, (servant_id, boleta) in zip(ids, new, strict=True):
            f = boleta.fields
            rows.append(
                (pk, servant_id, adapt_date(boleta.period), boleta.entity_id, f["entity_name"],
                 f["entity_ruc"], f["payroll_type"], f["apellido_paterno"], f["apellido_materno"],
                 f["nombres"], f["codigo_modular"], f["servant_type"], f["position"],
                 f["workplace"], f["pension_system"], f["cuspp"], adapt_date(f["hire_date"]),
                 f["days_worked"], boleta.gross, boleta.deductions, boleta.net,
                 boleta.contributions, boleta.conceptos_json, current, boleta.fingerprint,
                 import_id)
            )  # fmt: skip
        self.boletas.append(rows)
