"""The API's payday reads go to the read replica like the web's, the audit lines to the primary."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory
from ayni.api.tests.conftest import signed_in
from ayni.boletas.models import Boleta
from ayni.boletas.services import boleta_document
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import servant_rows
from config.tests.test_replica_router import mirror_replica, reads_of, writes_of  # noqa: F401


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_boletas_and_verification_read_from_the_replica(mirror_replica):  # noqa: F811
    assert run_import(servant_rows(0)).ok
    boleta = Boleta.objects.get()
    client = signed_in(UserFactory(servant=boleta.servant))
    document, _ = boleta_document(boleta, None)

    reads = {
        reverse("api:boletas"): "boletas_boleta",
        reverse("api:verification", args=[document.code]): "documents_issueddocument",
    }
    for url, table in reads.items():
        with (
            CaptureQueriesContext(mirror_replica) as replica,
            CaptureQueriesContext(connection) as primary,
        ):
            assert client.get(url).status_code == 200
        assert reads_of(replica, table) >= 1, url
        assert reads_of(primary, table) == 0, url
        assert writes_of(primary, "core_auditevent") == 1, url
        assert writes_of(replica, "core_auditevent") == 0, url
