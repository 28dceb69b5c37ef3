import pytest
from django.core.management import call_command

from ayni.access.models import AccessRequest
from ayni.access.selectors import tray
from ayni.accounts.models import User

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", servidores=4, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_has_requests_of_every_kind_and_state_and_is_idempotent():
    seed()
    pairs = set(AccessRequest.objects.values_list("kind", "state"))
    assert {kind for kind, _ in pairs} == set(AccessRequest.Kind.values)
    assert {state for _, state in pairs} == set(AccessRequest.State.values)
    assert AccessRequest.objects.filter(corrected_at__isnull=False, state="revision").exists()
    codes = sorted(AccessRequest.objects.values_list("code", flat=True))
    assert codes[0].startswith("ACC-") and codes[-1].startswith("AYU-")
    for access_request in AccessRequest.objects.exclude(kind="ayuda"):
        assert access_request.attachment.read().startswith(b"%PDF")

    seed()
    assert sorted(AccessRequest.objects.values_list("code", flat=True)) == codes


def test_the_demo_ugel_administrator_sees_its_ugels_requests_only():
    seed()
    admin = User.objects.get(username="40000102")
    visible = tray(admin, state="todas")
    assert visible.count() == AccessRequest.objects.filter(unit__code="150108").count() > 0
    assert AccessRequest.objects.exclude(unit__code="150108").exists()
