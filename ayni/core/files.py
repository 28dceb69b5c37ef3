"""Stored files and the database rows that point at them, kept together.

A file is saved before the row that names it (the row needs the stored name). If the
transaction then fails, `files_with_rows` deletes the files saved in it, so no file is left
without a row; if saving a file fails, the transaction is rolled back, so no row points at a
missing file.
"""

import logging
import threading
from contextlib import contextmanager

from django.db import transaction

logger = logging.getLogger("ayni.files")
_blocks = threading.local()


class SavedFiles:
    """The files saved during one `files_with_rows` block."""

    def __init__(self):
        self.saved = []

    def save(self, field_file, name: str, content) -> str:
        """`field_file.save(name, content)` without saving its row; the stored name."""
        field_file.save(name, content, save=False)
        self.saved.append((field_file.storage, field_file.name))
        return field_file.name

    def delete_all(self) -> None:
        for storage, name in self.saved:
            try:
                storage.delete(name)
            except Exception:  # noqa: BLE001 - the failure that got us here is the one raised
                logger.exception("No se pudo borrar el archivo sin registro %s", name)


@contextmanager
def files_with_rows():
    """A transaction (or savepoint) whose saved files (`files.save(...)`) are deleted if it
    fails. Nested in another `files_with_rows` block, its files are handed to that block when
    it succeeds, so that they go if the enclosing one fails. A plain `transaction.atomic`
    around it is not seen: the outermost transaction of a write that stores files is this one.
    Also a decorator (`@files_with_rows()`).
    """
    stack = _blocks.__dict__.setdefault("stack", [])
    files = SavedFiles()
    stack.append(files)
    try:
        with transaction.atomic():
            yield files
    except BaseException:
        files.delete_all()
        raise
    finally:
        stack.pop()
    if stack:
        stack[-1].saved.extend(files.saved)
