"""`manage.py verify_documents`: every stored PDF read again against its record."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ayni.core.models import AuditEvent
from ayni.documents import events
from ayni.documents.models import IssuedDocument
from ayni.documents.services import issue_document, sha256_hex
from ayni.organizations.tests.factories import ServantFactory

pytestmark = pytest.mark.django_db


def issued(kind, count):
    documents = []
    for _ in range(count):
        servant = ServantFactory()
        documents.append(issue_document(kind, servant, servant))
    return documents


def verify(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_documents", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failures():
    return AuditEvent.objects.filter(action=events.STORED_FILE_FAILED)


def test_an_intact_store_passes(servant_card_kind):
    issued(servant_card_kind, 3)
    out, err = verify()
    assert "checked: 3\n" in out and "matching: 3\n" in out
    assert "missing: 0\n" in out and "altered: 0\n" in out and "signature invalid: 0\n" in out
    assert err == "" and not failures().exists()


@pytest.mark.usefixtures("storage")
def test_a_tampered_and_a_deleted_file_are_reported_and_audited(servant_card_kind):
    tampered, deleted, intact = issued(servant_card_kind, 3)
    with default_storage.open(tampered.file.name, "rb") as stored:
        original = stored.read()
    middle = len(original) // 2
    altered = original[:middle] + bytes([original[middle] ^ 1]) + original[middle + 1 :]
    default_storage.delete(tampered.file.name)
    assert default_storage.save(tampered.file.name, ContentFile(altered)) == tampered.file.name
    default_storage.delete(deleted.file.name)

    out = io.StringIO()
    with pytest.raises(CommandError, match="2 documento"):
        call_command("verify_documents", stdout=out, stderr=io.StringIO())
    out = out.getvalue()
    assert "checked: 3\n" in out and "matching: 1\n" in out
    assert "missing: 1\n" in out and "altered: 1\n" in out
    audited = {(e.target_id, e.details["resultado"]) for e in failures()}
    assert audited == {(str(tampered.pk), "alterado"), (str(deleted.pk), "falta")}
    assert not default_storage.exists(deleted.file.name)  # reported, not rendered again


def test_a_file_whose_signature_does_not_validate_is_reported(servant_card_kind):
    servant = ServantFactory()
    unsigned = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    document = IssuedDocument(
        kind=servant_card_kind, servant=servant,
        source_type=ContentType.objects.get_for_model(servant), source_id=servant.pk,
        issued_at=timezone.now(), sha256=sha256_hex(unsigned),
    )  # fmt: skip
    document.file.save("sin-firma.pdf", ContentFile(unsigned), save=False)
    document.save()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_documents", stdout=out, stderr=io.StringIO())
    assert "signature invalid: 1\n" in out.getvalue() and "altered: 0\n" in out.getvalue()
    assert failures().get().details["resultado"] == "firma_no_valida"


def test_a_sample_checks_that_many_documents(servant_card_kind):
    issued(servant_card_kind, 4)
    out, _ = verify("--sample", "2")
    assert "checked: 2\n" in out and "matching: 2\n" in out
    out, _ = verify("--sample", "10")
    assert "checked: 4\n" in out


def test_a_sample_of_nothing_is_refused():
    with pytest.raises(CommandError, match="mayor que cero"):
        verify("--sample", "0")
