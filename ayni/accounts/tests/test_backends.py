"""The account a signed-in request loads comes with its servant and unit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ayni.accounts.backends import AccountBackend
from ayni.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_servant_page_reads_the_account_servant_and_unit_in_one_query(client):
    user = UserFactory()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert user.servant.unit.name in response.content.decode()  # the header's unit
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    servant_reads = [sql for sql in reads if '"organizations_servant"' in sql]
    assert len(servant_reads) == 1
    assert '"accounts_user"' in servant_reads[0]
    assert '"organizations_unit"' in servant_reads[0]


def test_a_deactivated_account_is_not_loaded():
    user = UserFactory(is_active=False)
    assert AccountBackend().get_user(user.pk) is None
    assert AccountBackend().get_user(user.pk + 1000) is None
