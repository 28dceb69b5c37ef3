"""The replica router, against a real second database standing in for the replica."""

from contextlib import contextmanager

import pytest
from django.db import connection, connections, router
from django.template import engines
from django.template.response import SimpleTemplateResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas.models import Boleta
from ayni.boletas.services import boleta_document
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import servant_rows
from ayni.organizations.models import Unit
from config.routers import REPLICA, reads_from_replica, replica_reads

pytestmark = pytest.mark.django_db


@contextmanager
def replica_alias(database: dict):
    """The "replica" alias, configured as DATABASE_REPLICA_URL would, for one test."""
    configured = connections.configure_settings(
        {"default": connections.settings["default"], REPLICA: database}
    )
    connections.settings[REPLICA] = configured[REPLICA]  # the same dict as settings.DATABASES
    try:
        # Opened here: the test case's guard only lets through the aliases it was set up with.
        connections[REPLICA].connect()
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def replica(tmp_path):
    """A SQLite file as replica, holding a unit the primary does not have (replication lag)."""
    with replica_alias({"ENGINE": "django.db.backends.sqlite3",
                        "NAME": str(tmp_path / "replica.sqlite3")}) as alias:  # fmt: skip
        with alias.schema_editor() as editor:
            editor.create_model(Unit)
        Unit.objects.using(REPLICA).create(code="R00001", name="SOLO EN RÉPLICA", kind="IE")
        yield alias


@pytest.fixture
def mirror_replica():
    """A replica alias on the test database itself, as an up-to-date streaming replica."""
    with replica_alias(dict(connection.settings_dict)) as alias:
        yield alias


def test_without_a_replica_everything_uses_the_primary():
    with replica_reads():
        assert Unit.objects.all().db == "default"
        assert Unit.objects.filter(code="150108").exists()


def test_marked_reads_go_to_the_replica_and_the_rest_to_the_primary(replica):
    assert not Unit.objects.filter(code="R00001").exists()
    with replica_reads():
        assert Unit.objects.filter(code="R00001").exists()
        assert not Unit.objects.filter(code="150108").exists()  # not in the stand-in replica
        Unit.objects.create(code="P00001", name="ESCRITA EN PRIMARIA", kind="IE")
    assert Unit.objects.filter(code="P00001").exists()
    assert not Unit.objects.using(REPLICA).filter(code="P00001").exists()


def test_a_decorated_view_reads_from_the_replica_its_template_included(replica):
    @reads_from_replica
    def unit_codes(request):
        # A lazy queryset: evaluated only when the template is rendered.
        template = engines["django"].from_string(
            "{% for unit in units %}{{ unit.code }}{% endfor %}"
        )
        return SimpleTemplateResponse(
            template, {"units": Unit.objects.filter(code__startswith="R")}
        )

    response = unit_codes(RequestFactory().get("/"))
    assert response.content == b"R00001"


def reads_of(captured, table: str) -> int:
    return sum(1 for q in captured if q["sql"].startswith("SELECT") and f'"{table}"' in q["sql"])


def writes_of(captured, table: str) -> int:
    return sum(1 for q in captured if q["sql"].startswith("INSERT") and f'"{table}"' in q["sql"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mi_boleta_and_the_verification_page_read_from_the_replica(client, mirror_replica):
    assert run_import(servant_rows(0)).ok
    boleta = Boleta.objects.get()
    client.force_login(UserFactory(servant=boleta.servant))
    document, _ = boleta_document(boleta, None)

    for url in (reverse("boletas:mine"), reverse("documents:verify", args=[document.code])):
        with (
            CaptureQueriesContext(mirror_replica) as replica,
            CaptureQueriesContext(connection) as primary,
        ):
            assert client.get(url).status_code == 200
        assert reads_of(replica, "documents_issueddocument") >= 1, url
        assert reads_of(primary, "documents_issueddocument") == 0, url
        assert reads_of(primary, "boletas_boleta") == 0, url
        assert writes_of(primary, "core_auditevent") == 1, url  # writes stay on the primary
        assert writes_of(replica, "core_auditevent") == 0, url
    assert reads_of(replica, "boletas_boleta") == 0  # the verification page reads no boleta


def test_the_replica_is_never_migrated():
    assert router.allow_migrate(REPLICA, "organizations") is False
    assert router.allow_migrate("default", "organizations") is True
