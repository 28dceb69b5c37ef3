""" "Cambiar contraseña" of a signed-in user, and the notice mail every password change sends."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from ayni.accounts import events, services
from ayni.accounts.models import UserSession
from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import captcha_answer, post_login
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db
CHANGE = reverse("accounts:password-change")
HOME = reverse("core:home")
NEW_PASSWORD = "Huancayo2026"
NOTICE_SUBJECT = "Se cambió tu contraseña"


def _change(client, current=PASSWORD, new=NEW_PASSWORD, confirmation=None):
    return client.post(
        CHANGE,
        {"old_password": current, "new_password1": new, "new_password2": confirmation or new},
    )


def test_the_page_is_in_the_menu_and_needs_a_signed_in_user(client):
    assert client.get(CHANGE).status_code == 302
    client.force_login(UserFactory())
    home = client.get(HOME).content.decode()
    assert f'href="{CHANGE}"' in home and "Cambiar contraseña" in home
    page = client.get(CHANGE).content.decode()
    assert "Contraseña actual" in page and "Nueva contraseña" in page
    assert "Al menos debería tener una letra en mayúscula" in page  # the policy's checklist


def test_a_new_password_keeps_this_session_and_ends_the_others(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    rosa = UserFactory(email="rosa.quispe@example.pe")
    phone = Client()
    post_login(phone, rosa.username, PASSWORD, REMOTE_ADDR="198.51.100.20")
    post_login(client, rosa.username, PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(client)
    assert response.status_code == 302 and response["Location"] == HOME
    page = client.get(HOME).content.decode()
    assert "Su contraseña fue cambiada" in page  # still signed in
    assert "Se cerraron sus otras sesiones abiertas (1)" in page
    assert phone.get(HOME).status_code == 302
    rosa.refresh_from_db()
    assert rosa.check_password(NEW_PASSWORD)
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [
        client.session.session_key
    ]  # the row follows the key the change gave this session
    changed = AuditEvent.objects.get(action=events.PASSWORD_CHANGED)
    assert changed.actor == rosa and changed.details == {"sesiones_cerradas": 1}

    [notice] = mailoutbox
    assert notice.to == ["rosa.quispe@example.pe"]
    assert notice.subject.startswith(NOTICE_SUBJECT)
    html = notice.alternatives[0][0]
    for body in (notice.body, html):
        assert "Se cambió la contraseña de su cuenta" in body
        assert settings.AYNI_SUPPORT_EMAIL in body and settings.AYNI_SUPPORT_PHONE in body
        assert "/cuenta/contrasena/" not in body  # no link that sets a password
    assert not re.search(r"/cuenta/(generar|olvide)-contrasena/", notice.body + html)


def test_the_current_password_must_be_right(client, mailoutbox):
    rosa = UserFactory()
    client.force_login(rosa)
    response = _change(client, current="Equivocada1")
    assert response.status_code == 200
    assert "La contraseña actual no es correcta." in response.content.decode()
    rosa.refresh_from_db()
    assert rosa.check_password(PASSWORD) and mailoutbox == []
    assert not AuditEvent.objects.filter(action=events.PASSWORD_CHANGED).exists()


@pytest.mark.parametrize(
    ("new", "confirmation", "message"),
    [
        ("huancayo2026", None, "Al menos debería tener una letra en mayúscula"),
        ("Iloveyou1", None, "No debería ser una contraseña común"),
        ("Rojo{dni}Az!", None, "No debería parecerse a su número de documento"),
        (NEW_PASSWORD, "Huancayo2027", "La confirmación no es igual a la contraseña."),
    ],
)
def test_the_new_password_follows_the_policy(client, new, confirmation, message):
    rosa = UserFactory()
    client.force_login(rosa)
    response = _change(client, new=new.format(dni=rosa.username), confirmation=confirmation)
    assert response.status_code == 200
    assert message in response.content.decode()
    rosa.refresh_from_db()
    assert rosa.check_password(PASSWORD)


def test_guessing_the_current_password_signs_the_session_out(client):
    rosa = UserFactory()
    client.force_login(rosa)
    for _ in range(4):
        assert _change(client, current="Equivocada1").status_code == 200
    response = _change(client, current="Equivocada1")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert client.get(HOME).status_code == 302


def test_a_password_set_through_the_mailed_link_sends_the_notice_too(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    rosa = UserFactory(email="rosa.quispe@example.pe")
    signed_in = Client()
    post_login(signed_in, rosa.username, PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-forgot"), {"email": rosa.email, **captcha_answer()})
    link = re.search(r"https?://\S+/cuenta/contrasena/\S+/", mailoutbox[0].body).group(0)
    form = client.get(link, follow=True).redirect_chain[-1][0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    notice = mailoutbox[-1]
    assert len(mailoutbox) == 2 and notice.subject.startswith(NOTICE_SUBJECT)
    assert notice.to == [rosa.email] and "/cuenta/contrasena/" not in notice.body
    assert not UserSession.objects.filter(user=rosa).exists()  # every session ended
    assert signed_in.get(HOME).status_code == 302


def test_a_first_password_is_told_as_generated(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    rosa = UserFactory(email="rosa.quispe@example.pe")
    rosa.set_unusable_password()
    rosa.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.set_password(rosa, NEW_PASSWORD)
    assert "Se generó la contraseña de su cuenta" in mailoutbox[0].body
