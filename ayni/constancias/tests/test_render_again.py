"""A lost constancia renders again to the same bytes from its stored data (on PostgreSQL the
jsonb of `Constancia.data` comes back with its keys in another order)."""

import pytest
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import SAMPLE
from ayni.constancias.models import Constancia
from ayni.documents.models import IssuedDocument
from ayni.documents.services import render_again, sha256_hex
from ayni.legajo.tests.factories import full_legajo

pytestmark = pytest.mark.django_db


def test_each_constancia_renders_again_with_its_recorded_sha256(client, demo_servants):
    assert run_import(SAMPLE.read_bytes()).ok
    rosa = UserFactory(servant=demo_servants[0])
    full_legajo(servant=demo_servants[0])
    client.force_login(rosa)
    for kind, data in [
        (Constancia.Kind.HABERES, {"desde": "2022-06", "hasta": "2022-06"}),
        (Constancia.Kind.TRABAJO, {}),
        (Constancia.Kind.TIEMPO, {}),
    ]:
        assert client.post(reverse("constancias:issue", args=[kind]), data).status_code == 200
    for document in IssuedDocument.objects.all():
        document = IssuedDocument.objects.get(pk=document.pk)  # its source read back
        assert sha256_hex(render_again(document)) == document.sha256, document.kind
