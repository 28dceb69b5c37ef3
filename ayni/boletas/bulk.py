"""Appending many rows fast: COPY on PostgreSQL (psycopg 3), executemany elsewhere.

The callers build plain tuples once; no model instance is made per row.
"""

import re
from collections.abc import Iterable

from django.db import connection

_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPE_OF = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _copy_escape(match: re.Match) -> str:
    return _COPY_ESCAPE_OF[match[0]]


class BulkTable:
    def __init__(self, model, field_names: list[str]):
        quote = connection.ops.quote_name
        self.model = model
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(model._meta.get_field(n).column) for n in field_names)
        self.width = len(field_names)
        self._next_id = None

    def append(self, rows: Iterable[tuple]) -> None:
        # Django's error classes (IntegrityError...) for psycopg's COPY too.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            if connection.vendor == "postgresql":
                statement = f"COPY {self.table} ({self.columns}) FROM STDIN"
                with cursor.cursor.copy(statement) as copy:
                    copy.write("".join(map(self._copy_line, rows)))
            else:
                marks = ", ".join(["%s"] * self.width)
                cursor.executemany(
                    f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})",  # noqa: S608
                    rows,
                )

    def _copy_line(self, row: tuple) -> str:
        """One row in COPY's text format: faster than psycopg's adaptation value by value,
        for these rows of plain values (str, int, Decimal, date, None), nearly all of which
        have nothing to escape (each None is the one backslash of its \\N)."""
        line = "\t".join(["\\N" if value is None else str(value) for value in row])
        if (
            line.count("\t") != self.width - 1
            or line.count("\\") != row.count(None)
            or "\n" in line
            or "\r" in line
        ):
            line = "\t".join(
                "\\N" if value is None else _COPY_SPECIAL.sub(_copy_escape, str(value))
                for value in row
            )
        return line + "\n"

    def reserve_ids(self, count: int) -> list[int]:
        """Primary keys for rows about to be appended (so that their children can point
        to them in the same batch)."""
        if count == 0:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.model._meta.db_table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            if self._next_id is None:
                # SQLite lets one writer in at a time (BEGIN IMMEDIATE): nobody else takes ids.
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}")  # noqa: S608
                largest = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT seq FROM sqlite_sequence WHERE name = %s", [self.model._meta.db_table]
                )
                sequence = cursor.fetchone()
                self._next_id = max(largest, sequence[0] if sequence else 0) + 1
            first, self._next_id = self._next_id, self._next_id + count
            return list(range(first, first + count))


def select_where_in(model, field_names: list[str], field_name: str, values: list) -> list[tuple]:
    """Rows of `model` whose `field_name` is one of `values`. On PostgreSQL the values go
    as one array parameter: thousands of placeholders cost more to send than the rows."""
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in field_names)
    column = quote(meta.get_field(field_name).column)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {columns} FROM {table} WHERE {column} = ANY(%s)", [values])  # noqa: S608
        else:
            marks = ", ".join(["%s"] * len(values))
            cursor.execute(f"SELECT {columns} FROM {table} WHERE {column} IN ({marks})", values)  # noqa: S608
        return cursor.fetchall()
