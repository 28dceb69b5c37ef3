"""Exports of the staff lists to CSV and Excel: exactly the rows the page's filters show.

A list view passes the same queryset its page is built from (its selector, with the same
filters) and the columns; the file holds every page, up to `MAX_ROWS` rows. A cell of text
that a spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a carriage
return) gets a leading apostrophe in CSV and is written as text in Excel. Dates are
dd/mm/aaaa (Lima time); amounts are numbers in Excel. Every export is a read of other
people's data, so it is recorded with the app's event.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ayni.core.audit import record
from ayni.core.formats import date_dmy

MAX_ROWS = 50_000
PARAM = "exportar"
FORMATS = ("csv", "xlsx")
PAGE_PARAMS = ("pagina", "page")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TEXT, DATE, DATETIME, AMOUNT, NUMBER = "text", "date", "datetime", "amount", "number"
SOLES = "soles"  # an amount in soles: a number shown as `S/ 1,234.50` in Excel
SOLES_FORMAT = '"S/ "#,##0.00'


@dataclass(frozen=True)
class Column:
    """One column of an export: its Spanish header, how to read it from a row, its kind."""

    header: str
    value: Callable[[Any], Any]
    kind: str = TEXT


def requested(request) -> str | None:
    """The format asked for (`?exportar=csv` or `?exportar=xlsx`), else None."""
    value = request.GET.get(PARAM, "")
    return value if value in FORMATS else None


def list_query(request, **defaults) -> str:
    """The page's query string without its page number or export: the filters, for the page
    links and the export links, so that neither loses them. `defaults` fill in filters the
    page applies when they are absent (so that page 2 shows the same list as page 1)."""
    params = request.GET.copy()
    for name in (*PAGE_PARAMS, PARAM):
        params.pop(name, None)
    for name, value in defaults.items():
        params.setdefault(name, value)
    return params.urlencode()


def safe_text(value: str) -> str:
    """Text a spreadsheet will not run: a leading apostrophe before a formula start."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _local(value: datetime) -> datetime:
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _csv_cell(value, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind == DATE:
        return date_dmy(value)
    if kind == DATETIME:
        return f"{_local(value):%d/%m/%Y %H:%M:%S}"
    if kind in (AMOUNT, SOLES, NUMBER):
        return str(value)
    return safe_text(str(value))


def _xlsx_cell(sheet, value, kind: str) -> WriteOnlyCell:
    if value is None or value == "":
        return WriteOnlyCell(sheet, value=None)
    if kind == DATE:
        day = _local(value).date() if isinstance(value, datetime) else value
        cell = WriteOnlyCell(sheet, value=day)
        cell.number_format = "DD/MM/YYYY"
    elif kind == DATETIME:
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = "DD/MM/YYYY HH:MM:SS"
    elif kind in (AMOUNT, SOLES):
        cell = WriteOnlyCell(sheet, value=Decimal(value))
        cell.number_format = SOLES_FORMAT if kind == SOLES else "#,##0.00"
    elif kind == NUMBER:
        cell = WriteOnlyCell(sheet, value=value)
    else:
        cell = WriteOnlyCell(sheet, value=str(value))
        cell.data_type = "s"  # never a formula, whatever it starts with
    return cell


def csv_bytes(columns: list[Column], rows: Iterable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([_csv_cell(c.value(row), c.kind) for c in columns])
    return out.getvalue().encode("utf-8-sig")  # the BOM: Excel then reads the accents


def xlsx_bytes(columns: list[Column], rows: Iterable, title: str) -> bytes:
    return xlsx_book([(title, columns, rows)])


def xlsx_book(sheets: list[tuple[str, list[Column], Iterable]]) -> bytes:
    """A workbook of one sheet per (title, columns, rows), in that order."""
    book = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title[:31])
        headers = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column.header)
            cell.font = Font(bold=True)
            headers.append(cell)
        sheet.append(headers)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, c.value(row), c.kind) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def response(
    request,
    rows,
    columns: list[Column],
    *,
    name: str,
    title: str,
    action: str,
    target=None,
    more_sheets: Callable[[list], list] | None = None,
    **details,
) -> HttpResponse:
    """The file of `rows` (the page's queryset, all pages, at most `MAX_ROWS`) in the format
    asked for; the export is recorded as `action` (on `target`) with its format, rows and
    filters. `more_sheets(rows)` adds (title, columns, rows) sheets after the first in Excel."""
    kind = requested(request) or "csv"
    rows = list(rows[: MAX_ROWS + 1])
    truncated = len(rows) > MAX_ROWS
    rows = rows[:MAX_ROWS]
    if kind == "xlsx":
        content = xlsx_book([(title, columns, rows), *(more_sheets(rows) if more_sheets else [])])
    else:
        content = csv_bytes(columns, rows)
    record(request.user, action, target, request, formato=kind, filas=len(rows),
           truncado=truncated, filtros=list_query(request)[:300], **details)  # fmt: skip
    stamp = timezone.localdate().strftime("%Y%m%d")
    result = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    result["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{kind}"'
    result["Cache-Control"] = "private, no-store"
    if truncated:
        result["X-Export-Truncated"] = str(MAX_ROWS)
    return result


def limit_note() -> str:
    """What the export links promise, with the cap (`50 000`)."""
    limit = f"{MAX_ROWS:,}".replace(",", "\u00a0")
    return f"Todas las páginas con los filtros actuales, hasta {limit} filas."
