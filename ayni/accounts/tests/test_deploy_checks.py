"""`check --deploy` refuses a database where an account opens with the README's demo password."""

from io import StringIO

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from ayni.accounts import demo as accounts_demo
from ayni.accounts.checks import (
    no_account_has_the_demo_password,
    passkeys_belong_to_the_served_host,
)
from ayni.accounts.models import User
from ayni.accounts.tests.factories import UserFactory
from ayni.core.demo import DEMO_PASSWORD, DemoContext
from ayni.organizations import demo as organizations_demo

pytestmark = pytest.mark.django_db


def _ids():
    return [message.id for message in no_account_has_the_demo_password(None)]


def test_a_demo_account_with_the_demo_password_is_an_error():
    demo = UserFactory(username="40000001")
    demo.set_password(DEMO_PASSWORD)
    demo.save()
    [error] = no_account_has_the_demo_password(None)
    assert error.id == "ayni.accounts.E001" and "40000001" in error.msg
    assert error.is_serious()  # an Error: check --deploy fails, whatever the fail level


def test_any_staff_or_superuser_account_with_the_demo_password_is_an_error():
    admin = User.objects.create_superuser("70000001", DEMO_PASSWORD, email="a@example.pe")
    staff = User.objects.create_user("70000002", DEMO_PASSWORD, email="b@example.pe", is_staff=True)
    [error] = no_account_has_the_demo_password(None)
    assert admin.username in error.msg and staff.username in error.msg


def test_clean_accounts_pass():
    UserFactory(username="40000001")  # a demo user name with another password
    User.objects.create_superuser("70000001", "Otra2026clave", email="a@example.pe")
    User.objects.create_user("70000003", DEMO_PASSWORD, email="c@example.pe")  # no staff, no demo
    inactive = UserFactory(username="40000103")
    inactive.set_password(DEMO_PASSWORD)
    inactive.is_active = False
    inactive.save()
    assert _ids() == []


def test_the_check_never_rehashes_and_saves(settings):
    admin = User.objects.create_superuser("70000001", None, email="a@example.pe")
    admin.password = make_password(DEMO_PASSWORD, hasher="md5")
    admin.save()
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert _ids() == ["ayni.accounts.E001"]
    admin.refresh_from_db()
    assert admin.password.startswith("md5$")


def test_check_deploy_fails_on_a_database_with_the_demo_accounts(settings):
    context = DemoContext(servants=0, stdout=StringIO())
    organizations_demo.seed(context)
    accounts_demo.seed(context)
    with pytest.raises(SystemCheckError, match="ayni.accounts.E001"):
        call_command("check", "--deploy", "--tag", "security")


@pytest.mark.parametrize(
    ("rp_id", "hosts", "origins", "warned"),
    [
        ("localhost", ["ayni.minedu.gob.pe"], ["http://localhost:8000"], True),
        ("minedu.gob.pe", ["ayni.minedu.gob.pe"], ["https://ayni.minedu.gob.pe"], False),
        ("ayni.minedu.gob.pe", ["ayni.minedu.gob.pe"], ["https://ayni.minedu.gob.pe"], False),
        ("ayni.minedu.gob.pe", ["ayni.minedu.gob.pe"], ["http://ayni.minedu.gob.pe"], True),
        ("otro.gob.pe", ["ayni.minedu.gob.pe"], ["https://otro.gob.pe"], True),
    ],
)
def test_passkeys_must_belong_to_the_served_host(settings, rp_id, hosts, origins, warned):
    settings.OTP_WEBAUTHN_RP_ID, settings.ALLOWED_HOSTS = rp_id, hosts
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = origins
    found = [check.id for check in passkeys_belong_to_the_served_host(None)]
    assert found == (["ayni.accounts.W004"] if warned else [])
