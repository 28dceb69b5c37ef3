import pytest
from django.urls import reverse

from ayni.accounts import events
from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import post_login
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_servant_sees_the_last_20_sign_ins_of_their_own_account_only(client):
    rosa, jose = UserFactory(), UserFactory()
    for _ in range(3):
        post_login(client, jose.username, PASSWORD, REMOTE_ADDR="198.51.100.99")
        client.logout()
    post_login(client, rosa.username, "Equivocada1", REMOTE_ADDR="192.0.2.50")
    for number in range(22):
        post_login(client, rosa.username, PASSWORD, REMOTE_ADDR=f"192.0.2.{number}")
        client.logout()
    post_login(client, rosa.username, PASSWORD, REMOTE_ADDR="192.0.2.200")
    response = client.get(reverse("accounts:sign-ins"))
    attempts = list(response.context["attempts"])
    assert len(attempts) == 20
    assert attempts[0].ip == "192.0.2.200"  # newest first
    assert {attempt.target_id for attempt in attempts} == {str(rosa.pk)}
    page = response.content.decode()
    assert "198.51.100.99" not in page and "192.0.2.50" not in page  # older than the 20
    assert page.count("Ingreso correcto") == 20
    viewed = AuditEvent.objects.get(action=events.SIGN_INS_VIEWED)
    assert viewed.actor == rosa


def test_failed_and_locked_attempts_show_too(client):
    user = UserFactory()
    for _ in range(5):
        post_login(client, user.username, "Equivocada1")
    client.force_login(user)
    page = client.get(reverse("accounts:sign-ins")).content.decode()
    assert page.count("Contraseña incorrecta") == 5 and page.count(">Bloqueado<") == 1


def test_the_page_needs_a_signed_in_user(client):
    assert client.get(reverse("accounts:sign-ins")).status_code == 302
