import io
import re

import pytest
from botocore.exceptions import EndpointConnectionError
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import DatabaseError
from pypdf import PdfReader

from ayni.core.tests.storage import stored_names
from ayni.documents.models import IssuedDocument
from ayni.documents.services import (
    annul_documents,
    annul_documents_of,
    document_bytes,
    issue_document,
    render_again,
    sha256_hex,
)
from ayni.documents.summary import mask_document, mask_name
from ayni.organizations.models import Servant
from ayni.organizations.tests.factories import ServantFactory

pytestmark = pytest.mark.django_db


def test_masks_keep_initials_and_half_the_document():
    assert mask_name("ROSA ELENA", "QUISPE MAMANI") == "R*** E*** Q*** M***"
    assert mask_name("JOSÉ LUIS", "D'ANGELO", "") == "J*** L*** D***"
    assert mask_document("40000001") == "4000****"
    assert mask_document("001234567") == "0012*****"


@pytest.mark.usefixtures("storage")
def test_issue_records_hash_file_and_public_summary(servant_card_kind):
    servant = ServantFactory(nombres="ROSA ELENA", apellido_paterno="QUISPE",
                             apellido_materno="MAMANI", document_number="40000001")  # fmt: skip
    document = issue_document(servant_card_kind, servant, servant)
    stored = document.file.read()
    assert sha256_hex(stored) == document.sha256
    assert document.state == IssuedDocument.State.VALID
    assert document.summary == {
        "titulo": "Ficha de prueba",
        "campos": [["Nombre", "R*** E*** Q*** M***"], ["Documento", "4000****"]],
    }
    text = PdfReader(io.BytesIO(stored)).pages[0].extract_text()
    assert "FICHA DE QUISPE MAMANI ROSA ELENA" in text
    assert document.code in text


def test_rendering_again_gives_the_same_bytes(servant_card_kind):
    servant = ServantFactory()
    document = issue_document(servant_card_kind, servant, servant)
    assert sha256_hex(render_again(document)) == document.sha256


@pytest.mark.usefixtures("storage")
def test_a_lost_file_is_rebuilt_and_still_matches(servant_card_kind):
    servant = ServantFactory()
    document = issue_document(servant_card_kind, servant, servant)
    default_storage.delete(document.file.name)
    assert sha256_hex(document_bytes(document)) == document.sha256
    assert default_storage.exists(document.file.name)


def test_codes_are_random_urlsafe_and_not_ids(servant_card_kind):
    servant = ServantFactory()
    codes = {issue_document(servant_card_kind, servant, servant).code for _ in range(5)}
    assert len(codes) == 5
    for code in codes:
        # 18 random bytes: 144 bits in 24 URL-safe characters.
        assert re.fullmatch(r"[A-Za-z0-9_-]{24}", code)
        assert not code.isdigit()


def test_annulling_marks_every_document_of_the_source(servant_card_kind):
    servant, other = ServantFactory(), ServantFactory()
    first = issue_document(servant_card_kind, servant, servant)
    second = issue_document(servant_card_kind, servant, servant)
    untouched = issue_document(servant_card_kind, other, other)
    assert annul_documents_of(servant) == 2
    states = dict(IssuedDocument.objects.values_list("pk", "state"))
    assert states[first.pk] == states[second.pk] == "anulada"
    assert states[untouched.pk] == "valida"
    assert annul_documents(Servant, [other.pk]) == 1


def test_a_copy_of_an_annulled_source_is_born_annulled(servant_card_kind):
    servant = ServantFactory()
    document = issue_document(servant_card_kind, servant, servant, annulled=True)
    assert document.state == IssuedDocument.State.ANNULLED
    assert "ANULADO" in PdfReader(document.file.path).pages[0].extract_text()
    assert document.source_type == ContentType.objects.get_for_model(Servant)


@pytest.mark.usefixtures("s3_down")
def test_a_store_that_fails_leaves_no_record(servant_card_kind):
    servant = ServantFactory()
    with pytest.raises(EndpointConnectionError):
        issue_document(servant_card_kind, servant, servant)
    assert not IssuedDocument.objects.exists()


@pytest.mark.usefixtures("storage")
def test_a_record_that_fails_leaves_no_file(servant_card_kind, monkeypatch):
    servant = ServantFactory()

    def refused(self, *args, **kwargs):
        assert stored_names() == [self.file.name]  # stored first
        raise DatabaseError("la base de datos no respondió")

    monkeypatch.setattr(IssuedDocument, "save", refused)
    with pytest.raises(DatabaseError):
        issue_document(servant_card_kind, servant, servant)
    assert stored_names() == []
