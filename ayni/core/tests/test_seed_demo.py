import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction

from ayni.accounts.models import User
from ayni.core.demo import DEMO_PASSWORD
from ayni.organizations.models import Servant, StaffRole

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_readme_accounts_and_is_idempotent():
    call_command("seed_demo", servidores=30, stdout=open("/dev/null", "w"))  # noqa: SIM115
    servants = Servant.objects.count()
    assert servants == 30 + 7  # the README's seven demo people
    assert authenticate(username="40000001", password=DEMO_PASSWORD).servant.nombres == "ROSA ELENA"
    roles = dict(StaffRole.objects.values_list("user__username", "role"))
    assert roles == {"40000100": "escalafon", "40000101": "boletas", "40000102": "admin_ugel"}
    assert all(r.unit.code == "150108" for r in StaffRole.objects.all())
    assert User.objects.get(username="40000103").is_superuser

    call_command("seed_demo", servidores=30, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Servant.objects.count() == servants
    assert User.objects.count() == 7


def test_seed_demo_is_deterministic():
    def generated():
        return list(
            Servant.objects.order_by("document_number").values_list("nombres", "unit__code")
        )

    # The first run is rolled back (other apps' demo data points at these servants).
    with transaction.atomic():
        call_command("seed_demo", servidores=10, stdout=open("/dev/null", "w"))  # noqa: SIM115
        first = generated()
        transaction.set_rollback(True)
    assert not Servant.objects.exists()
    call_command("seed_demo", servidores=10, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert generated() == first


def test_seed_demo_rejects_a_negative_size():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--servidores"):
        call_command("seed_demo", servidores=-1)
