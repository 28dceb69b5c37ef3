"""The planilla format (docs/formato-planilla.md) and its rules, once, for both readers.

A reader (`Reader`) reads one file as a stream and hands over one validated boleta at a
time (`ParsedBoleta`); every problem found goes to `Problems` with its line and column, and
the caller decides (any problem: write nothing). Nothing here writes to the database.

Two readers use these rules: the columnar one (ayni.boletas.columnar, pyarrow) reads valid
files fast; the row one (ayni.boletas.rows) names every problem with its line. A reader
that does not vouch for a file raises `ReadAgain`: the caller reads it with the next one.
"""

import hashlib
import heapq
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import gt, itemgetter

from ayni.boletas.models import Boleta, ConceptKind
from ayni.core.formats import money
from ayni.core.validators import document_number_error, ruc_error

FIRST_PERIOD = date(2020, 5, 1)
# column -> Boleta field, for the columns printed once per boleta (same on all its lines).
BOLETA_FIELDS = {
    "periodo": "period",
    "entidad_codigo": "entity",
    "entidad_nombre": "entity_name",
    "entidad_ruc": "entity_ruc",
    "tipo_planilla": "payroll_type",
    "tipo_documento": None,  # the servant's document: kept on the servant record
    "numero_documento": None,
    "apellido_paterno": "apellido_paterno",
    "apellido_materno": "apellido_materno",
    "nombres": "nombres",
    "codigo_modular": "codigo_modular",
    "tipo_servidor": "servant_type",
    "cargo": "position",
    "establecimiento": "workplace",
    "regimen_pensionario": "pension_system",
    "cuspp": "cuspp",
    "fecha_ingreso": "hire_date",
    "dias_laborados": "days_worked",
}
LINE_FIELDS = ("concepto_codigo", "concepto_descripcion", "tipo_concepto", "monto")
COLUMNS = (*BOLETA_FIELDS, *LINE_FIELDS)
KEY_COLUMNS = ("periodo", "entidad_codigo", "tipo_planilla", "tipo_documento", "numero_documento")
# Columns whose value may be empty; they may also be left out of the header.
OPTIONAL_COLUMNS = frozenset(
    {"apellido_materno", "codigo_modular", "establecimiento", "regimen_pensionario", "cuspp",
     "dias_laborados"}
)  # fmt: skip
PAYING_UNIT_KINDS = frozenset({"MINEDU", "DRE", "GRE", "UGEL"})
CONCEPT_KINDS = frozenset(ConceptKind.values)
MAX_REPORTED = 100

# Digits are 0-9 only (re.ASCII): Python's \d also takes Arabic-Indic or full-width digits.
_PERIOD_RE = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
AMOUNT_RE = re.compile(r"\d{1,10}(?:\.\d{1,2})?", re.ASCII)
_DIGITS_RE = re.compile(r"\d+", re.ASCII)
_ALNUM_RE = re.compile(r"[A-Za-z0-9]+")
# Columns that hold numbers, codes or dates: their digits must be 0-9.
NUMERIC_COLUMNS = frozenset(
    {"periodo", "entidad_codigo", "entidad_ruc", "numero_documento", "codigo_modular", "cuspp",
     "fecha_ingreso", "dias_laborados", "monto"}
)  # fmt: skip
NO_LINES = "el archivo no tiene líneas: solo el encabezado, sin ninguna boleta."
SEPARATORS = {";": "punto y coma («;»)", "\t": "tabulador"}
SEPARATOR_MESSAGE = (
    "el archivo está separado por {} y la planilla se separa con comas («,»): guárdelo de "
    "nuevo como «CSV delimitado por comas»."
)
NUL_MESSAGE = "el valor contiene el carácter NUL (byte 0), que no se admite en una planilla."
_LARGEST_TOTAL = Decimal("9999999999.99")


def _max_length(model, column_to_field: dict[str, str | None]) -> dict[str, int]:
    lengths = {}
    for column, name in column_to_field.items():
        if name and getattr(model._meta.get_field(name), "max_length", None):
            lengths[column] = model._meta.get_field(name).max_length
    return lengths


MAX_LENGTHS = {
    **_max_length(Boleta, BOLETA_FIELDS),
    "concepto_codigo": 20,
    "concepto_descripcion": 120,
}
_HEAD_LIMITS = tuple(MAX_LENGTHS.get(column, 1 << 30) for column in BOLETA_FIELDS)
_required_of = itemgetter(
    *(n for n, column in enumerate(BOLETA_FIELDS) if column not in OPTIONAL_COLUMNS)
)
_numeric_of = itemgetter(
    *(n for n, column in enumerate(BOLETA_FIELDS) if column in NUMERIC_COLUMNS)
)


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self):
        where = f"Línea {self.line}"
        if self.column:
            where += f", columna «{self.column}»"
        return f"{where}: {self.message}"


class Problems:
    """Every problem is counted; the `keep` with the lowest line numbers are kept."""

    def __init__(self, keep: int = MAX_REPORTED):
        self.keep = keep
        self.total = 0
        self._heap: list[tuple[int, int, str, str]] = []  # (-line, -order, column, message)

    def add(self, line: int, column: str, message: str) -> None:
        self.total += 1
        heapq.heappush(self._heap, (-line, -self.total, column, message))
        if len(self._heap) > self.keep:
            heapq.heappop(self._heap)

    def __bool__(self):
        return self.total > 0

    def first(self) -> list[Problem]:
        ordered = sorted(self._heap, key=lambda item: (-item[0], -item[1]))
        return [Problem(-line, column, message) for line, _, column, message in ordered]


@dataclass(frozen=True)
class PayingEntity:
    id: int
    code: str
    kind: str
    ruc: str
    allowed: bool = True


@dataclass(slots=True)
class ParsedBoleta:
    line: int  # where its first row is
    period: date
    entity_id: int
    document_type: str
    document_number: str
    fields: dict  # Boleta field -> value, as printed
    conceptos: list  # (position, code, description, kind, amount)
    head_text: str = ""  # the boleta columns as read, for the fingerprint
    conceptos_json: str = ""  # Boleta.conceptos
    key: tuple = ()  # as _normalized_key: which boleta of the file this is
    gross: Decimal = Decimal(0)
    deductions: Decimal = Decimal(0)
    contributions: Decimal = Decimal(0)
    fingerprint: str = ""

    @property
    def planilla_key(self) -> tuple:
        return (self.period, self.entity_id, self.fields["payroll_type"])

    @property
    def net(self) -> Decimal:
        return self.gross - self.deductions


class ReadAgain(Exception):
    """A reader does not vouch for this file (the columnar reader for anything it does not
    check exactly as the row reader would; the row reader for boletas whose rows are not
    consecutive): the caller reads it again with the next reader."""


def foreign_digits_message(value: str) -> str:
    return (
        f"«{value}» tiene cifras que no son 0-9 (por ejemplo dígitos arábigos o de ancho "
        "completo): escríbalas con las cifras 0-9."
    )


def has_foreign_digits(value: str) -> bool:
    return not value.isascii() and any(character.isdigit() for character in value)


class _CountingReader(io.RawIOBase):
    """Passes a binary stream through, hashing and counting what is read."""

    def __init__(self, stream, on_bytes):
        self.stream = stream
        self.on_bytes = on_bytes
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.stream.read(len(buffer))
        count = len(data)
        buffer[:count] = data
        self.digest.update(data)
        self.size += count
        if self.on_bytes and count:
            self.on_bytes(count)
        return count


@dataclass
class ReadStats:
    lines: int = 0
    boletas: int = 0
    size: int = 0
    sha256: str = ""


@dataclass
class Reader:
    """Reads one planilla; `boletas()` yields them as their last row is read. Subclasses
    read the rows (`_read`); the rules of the header, of a boleta's columns and of its
    totals are here."""

    stream: io.RawIOBase | io.BufferedIOBase
    entity_for: Callable[[str], PayingEntity | None]
    current_month: date
    problems: Problems = field(default_factory=Problems)
    on_bytes: Callable[[int], None] | None = None  # progress: bytes read
    stats: ReadStats = field(default_factory=ReadStats)
    _periods: dict = field(default_factory=dict, init=False, repr=False)
    _entities: dict = field(default_factory=dict, init=False, repr=False)
    _hire_dates: dict = field(default_factory=dict, init=False, repr=False)
    _closed: set = field(default_factory=set, init=False, repr=False)  # boletas read
    _separator_told: bool = field(default=False, init=False, repr=False)
    _header_read: bool = field(default=False, init=False, repr=False)

    def boletas(self) -> Iterator[ParsedBoleta]:
        counted = _CountingReader(self.stream, self.on_bytes)
        binary = io.BufferedReader(counted, 1 << 20)
        yield from self._read(binary)
        if self._header_read and not self.stats.lines and not self.problems:
            self.problems.add(1, "", NO_LINES)
        while binary.read(1 << 20):  # the size and SHA-256 are of the whole file
            pass
        self.stats.size, self.stats.sha256 = counted.size, counted.digest.hexdigest()

    def _read(self, binary: io.BufferedReader) -> Iterator[ParsedBoleta]:
        raise NotImplementedError

    # -- the header --------------------------------------------------------------------
    def check_header(self, line: int, header: list[str]) -> dict[str, int] | None:
        """Column name -> position in the row; None (and the problems) if it is wrong."""
        if self.other_separator(line, header):
            return None
        index: dict[str, int] = {}
        for position, raw_name in enumerate(header):
            name = raw_name.strip().lower()
            if name not in COLUMNS:
                self.problems.add(line, raw_name, "columna desconocida en el encabezado.")
            elif name in index:
                self.problems.add(line, name, "la columna está repetida en el encabezado.")
            else:
                index[name] = position
        for name in COLUMNS:
            if name not in index and name not in OPTIONAL_COLUMNS:
                self.problems.add(line, name, "falta esta columna obligatoria en el encabezado.")
        return None if self.problems else index

    def other_separator(self, line: int, row: list[str], width: int = 0) -> bool:
        """A file separated by something else than commas (Excel saves ";" in some
        languages): one problem naming the separator, not one per column or line. `width`:
        the header's, for a data row (else `row` is the header)."""
        text = ",".join(row)
        for separator, name in SEPARATORS.items():
            if separator not in text:
                continue
            pieces = text.split(separator)
            if width:
                found = len(pieces) > width // 2
            else:
                found = any(piece.strip().lower() in COLUMNS for piece in pieces)
            if found:
                if not self._separator_told:
                    self.problems.add(line, "", SEPARATOR_MESSAGE.format(name))
                    self._separator_told = True
                return True
        return False

    # -- boletas ---------------------------------------------------------------------
    # -- a boleta's columns, its totals -----------------------------------------------
    def open(self, line: int, head: tuple[str, ...]) -> ParsedBoleta | None:
        """Check the boleta-level columns of a boleta's first row; None if they are wrong."""
        values = tuple(map(str.strip, head))
        problems_before = self.problems.total
        add = self.problems.add
        head_text = "\x1f".join(values)
        # Foreign digits are not ASCII: names with accents need no look at every column.
        numeric_text = "".join(_numeric_of(values))
        if ("\x00" in head_text or not numeric_text.isascii()) and self._odd_characters(
            line, values
        ):
            return None
        if any(map(gt, map(len, values), _HEAD_LIMITS)):
            for column, value, limit in zip(BOLETA_FIELDS, values, _HEAD_LIMITS, strict=True):
                if len(value) > limit:
                    add(line, column, too_long(limit))
        if not all(_required_of(values)):
            for column, value in zip(BOLETA_FIELDS, values, strict=True):
                if column not in OPTIONAL_COLUMNS and not value:
                    add(line, column, "el valor es obligatorio.")
        (period_text, entity_code, entity_name, entity_ruc, payroll_type, document_type,
         document_number, paterno, materno, nombres, modular, servant_type, position, workplace,
         pension, cuspp, hire_text, days_text) = values  # fmt: skip
        period = self._period(line, period_text)
        entity = self._entity(line, entity_code, entity_ruc)
        document_type, document_number = document_type.upper(), document_number.upper()
        if document_type and document_number:
            error = document_number_error(document_type, document_number)
            if error:
                column = "tipo_documento" if "DNI, CE o PAS" in error else "numero_documento"
                add(line, column, error[0].lower() + error[1:])
        if modular and not _DIGITS_RE.fullmatch(modular):
            add(line, "codigo_modular", "el código modular solo lleva dígitos.")
        if cuspp and not _ALNUM_RE.fullmatch(cuspp):
            add(line, "cuspp", "el CUSPP solo lleva letras y dígitos.")
        hire_date = self._hire_date(line, hire_text, period)
        days = None
        if days_text:
            if not _DIGITS_RE.fullmatch(days_text) or int(days_text) > 31:
                add(line, "dias_laborados", "debe ser un número entero de 0 a 31.")
            else:
                days = int(days_text)
        if self.problems.total > problems_before:
            return None
        fields = {
            "period": period, "entity": entity.id, "entity_name": entity_name,
            "entity_ruc": entity_ruc, "payroll_type": payroll_type, "apellido_paterno": paterno,
            "apellido_materno": materno, "nombres": nombres, "codigo_modular": modular,
            "servant_type": servant_type, "position": position, "workplace": workplace,
            "pension_system": pension, "cuspp": cuspp, "hire_date": hire_date,
            "days_worked": days,
        }  # fmt: skip
        return ParsedBoleta(
            line=line,
            period=period,
            entity_id=entity.id,
            document_type=document_type,
            document_number=document_number,
            fields=fields,
            conceptos=[],
            head_text=head_text,
            key=(period_text, entity_code, payroll_type, document_type, document_number),
        )

    def _odd_characters(self, line: int, values: tuple[str, ...]) -> bool:
        """NUL bytes anywhere, digits other than 0-9 in numbers: True if there were any (the
        line's other checks are then left for the corrected file)."""
        found = False
        for column, value in zip(BOLETA_FIELDS, values, strict=True):
            if "\x00" in value:
                self.problems.add(line, column, NUL_MESSAGE)
                found = True
            elif column in NUMERIC_COLUMNS and has_foreign_digits(value):
                self.problems.add(line, column, foreign_digits_message(value))
                found = True
        return found

    def close(self, boleta: ParsedBoleta) -> bool:
        """Of a boleta whose rows were all right: totals, the never-negative rule and the
        fingerprint; True if the boleta is valid."""
        if boleta.deductions > boleta.gross:
            self.problems.add(
                boleta.line, "monto",
                f"en la boleta de {boleta.document_type} {boleta.document_number} los descuentos "
                f"({money(boleta.deductions)}) superan al monto bruto ({money(boleta.gross)}): "
                "el monto a pagar sería negativo.",
            )  # fmt: skip
            return False
        if not totals_allowed(boleta):
            self.problems.add(boleta.line, "monto", "los totales de la boleta son demasiado altos.")
            return False
        boleta.conceptos_json = conceptos_json(boleta.conceptos)
        boleta.fingerprint = fingerprint(boleta, concept_text(boleta.conceptos))
        return True

    def _period(self, line: int, text: str) -> date | None:
        if text not in self._periods:
            self._periods[text] = _parse_period(text, self.current_month)
        period, error = self._periods[text]
        if error and text:
            self.problems.add(line, "periodo", error)
        return period

    def _entity(self, line: int, code: str, ruc: str) -> PayingEntity | None:
        if (code, ruc) not in self._entities:
            self._entities[(code, ruc)] = _check_entity(self.entity_for, code, ruc)
        entity, problems = self._entities[(code, ruc)]
        for column, message in problems:
            self.problems.add(line, column, message)
        return entity

    def _hire_date(self, line: int, text: str, period: date | None) -> date | None:
        if not text:
            return None
        if (text, period) not in self._hire_dates:
            self._hire_dates[(text, period)] = _parse_hire_date(text, period)
        parsed, error = self._hire_dates[(text, period)]
        if error:
            self.problems.add(line, "fecha_ingreso", error)
        return parsed


def totals_allowed(boleta: ParsedBoleta) -> bool:
    """Never a negative monto a pagar, nor a total too large for the boleta's columns."""
    largest = max(boleta.gross, boleta.deductions, boleta.contributions)
    return boleta.deductions <= boleta.gross and largest <= _LARGEST_TOTAL


def too_long(length: int) -> str:
    return f"el valor supera los {length} caracteres."


def _parse_period(text: str, current_month: date) -> tuple[date | None, str | None]:
    match = _PERIOD_RE.fullmatch(text)
    if not match or not 1 <= int(match[2]) <= 12:
        return None, f"«{text}» no es un periodo AAAA-MM."
    period = date(int(match[1]), int(match[2]), 1)
    if period < FIRST_PERIOD:
        return None, "el periodo es anterior a 2020-05: no hay boletas antes de mayo de 2020."
    if period > current_month:
        return None, "el periodo es posterior al mes actual."
    return period, None


def _check_entity(entity_for, code: str, ruc: str):
    problems = []
    entity = entity_for(code) if code else None
    if code and entity is None:
        problems.append(("entidad_codigo", f"la entidad {code} no está registrada."))
    elif entity is not None and entity.kind not in PAYING_UNIT_KINDS:
        problems.append(("entidad_codigo", f"la unidad {code} no es una entidad pagadora."))
        entity = None
    elif entity is not None and not entity.allowed:
        problems.append(("entidad_codigo", f"la entidad {code} no está entre sus unidades."))
        entity = None
    if ruc:
        error = ruc_error(ruc)
        if error:
            problems.append(("entidad_ruc", error[0].lower() + error[1:]))
        elif entity is not None and entity.ruc and entity.ruc != ruc:
            problems.append(
                ("entidad_ruc", f"no coincide con el RUC registrado de la entidad ({entity.ruc}).")
            )
    return entity, problems


def _parse_hire_date(text: str, period: date | None) -> tuple[date | None, str | None]:
    parsed = None
    if _DATE_RE.fullmatch(text):
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            parsed = None
    if parsed is None:
        return None, f"«{text}» no es una fecha AAAA-MM-DD."
    if period is not None and parsed > _month_end(period):
        return parsed, "es posterior al periodo de la boleta."
    return parsed, None


def _month_end(period: date) -> date:
    following = date(period.year + period.month // 12, period.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def concept_text(conceptos: list) -> str:
    """The conceptos as the fingerprint reads them, in their order."""
    _, codes, descriptions, kinds, amounts = zip(*conceptos, strict=True)
    texts = zip(codes, descriptions, kinds, map(str, amounts), strict=True)
    return "\x1e".join(map("\x1f".join, texts))


def fingerprint(boleta: ParsedBoleta, printed_conceptos: str) -> str:
    """Digest of everything the boleta prints (`printed_conceptos`: `concept_text`)."""
    head = f"{boleta.document_type}\x1f{boleta.document_number}\x1d{boleta.head_text}"
    payload = f"{head}\x1d{printed_conceptos}"
    return hashlib.sha256(payload.encode()).hexdigest()


def conceptos_json(conceptos: list) -> str:
    """The stored form of a boleta's conceptos (Boleta.conceptos)."""
    lines = [
        [code, description, kind, str(amount)] for _, code, description, kind, amount in conceptos
    ]
    return json.dumps(lines, ensure_ascii=False, separators=(",", ":"))
