import pytest
from django.test import Client
from django.urls import reverse

from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import captcha_answer
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    "url",
    [
        reverse("accounts:login"),
        reverse("accounts:password-generate"),
        reverse("accounts:password-forgot"),
        reverse("accounts:password-set", args=["MQ", "set-password"]),
    ],
)
def test_public_forms_refuse_a_post_without_csrf_token(strict_client, url):
    user = UserFactory()
    data = {
        "username": user.username,
        "password": PASSWORD,
        "email": user.email,
        "new_password1": "Huancayo2026",
        "new_password2": "Huancayo2026",
        **captcha_answer(),
    }
    assert strict_client.post(url, data).status_code == 403
    assert not strict_client.get(reverse("core:home")).wsgi_request.user.is_authenticated


@pytest.mark.parametrize(
    "name",
    [
        "accounts:create",
        "accounts:bulk",
        "accounts:email",
        "accounts:resend",
        "accounts:unlock",
        "accounts:logout",
    ],
)
def test_signed_in_forms_refuse_a_post_without_csrf_token(strict_client, name):
    admin = StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL).user
    strict_client.force_login(admin)
    account = UserFactory()
    url = (
        reverse(name, args=[account.pk])
        if name in {"accounts:email", "accounts:resend", "accounts:unlock"}
        else reverse(name)
    )
    response = strict_client.post(
        url, {"email": "nuevo@example.pe", "document_type": "DNI", "document_number": "45555555"}
    )
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.email != "nuevo@example.pe"
    assert strict_client.get(reverse("core:home")).status_code == 200  # still signed in
