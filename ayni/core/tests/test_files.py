"""`files_with_rows`: a file saved in a transaction that fails is deleted again."""

import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError
from django.utils import timezone

from ayni.core.files import files_with_rows
from ayni.core.tests.storage import stored_names
from ayni.documents.models import IssuedDocument

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("storage")]


def a_file():
    return IssuedDocument(kind="prueba", issued_at=timezone.now()).file


def failing_write(files):
    document = IssuedDocument(kind="prueba", issued_at=timezone.now())
    files.save(document.file, "prueba.pdf", ContentFile(b"%PDF-1.7"))
    assert stored_names() == [document.file.name]
    raise DatabaseError("la base de datos no respondió")


def test_the_file_goes_when_the_transaction_fails():
    with pytest.raises(DatabaseError), files_with_rows() as files:
        failing_write(files)
    assert stored_names() == []


def test_a_nested_block_hands_its_files_to_the_enclosing_one():
    with pytest.raises(DatabaseError), files_with_rows():
        with files_with_rows() as inner:
            inner.save(a_file(), "prueba.pdf", ContentFile(b"%PDF-1.7"))
        raise DatabaseError("falló después del bloque interior")
    assert stored_names() == []


def test_a_committed_transaction_keeps_its_files():
    with files_with_rows() as files:
        name = files.save(a_file(), "prueba.pdf", ContentFile(b"%PDF-1.7"))
    assert stored_names() == [name]
