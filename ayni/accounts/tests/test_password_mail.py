import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ayni.accounts import events
from ayni.accounts.lockout import lockout_state
from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import captcha_answer, post_login
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db
GENERATE = reverse("accounts:password-generate")
FORGOT = reverse("accounts:password-forgot")
LINK = re.compile(r"https?://[^\s\"<]+/cuenta/contrasena/[^\s\"<]+/")
NEW_PASSWORD = "Huancayo2026"


@pytest.fixture
def mail_link(client, mailoutbox, django_capture_on_commit_callbacks):
    """Ask for a password mail for `email` through the form; return the link it carries."""

    def ask(email, url=GENERATE):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"email": email, **captcha_answer()})
        return LINK.search(mailoutbox[-1].body).group(0)

    return ask


def _set_password(client, link, password=NEW_PASSWORD, confirmation=None):
    """Follow a mailed link and send the form; returns the final response."""
    form_page = client.get(link, follow=True)
    return client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": password, "new_password2": confirmation or password},
    )


def test_the_answer_is_the_same_for_known_and_unknown_emails(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="Rosa.Quispe@Example.pe")
    answers = []
    for email in ("rosa.quispe@example.PE", "nadie@example.pe"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(GENERATE, {"email": email, **captcha_answer()})
        answers.append((response.status_code, response["Location"], sorted(response.cookies)))
    assert answers[0] == answers[1]
    assert [message.to for message in mailoutbox] == [[user.email]]  # matched ignoring case
    page = " ".join(client.get(answers[0][1]).content.decode().split())
    assert "Si el correo electrónico que escribió está registrado" in page
    assert "solicite a su UGEL que registre o actualice su correo electrónico" in page


def test_the_mail_request_needs_the_captcha(client, mailoutbox):
    UserFactory(email="rosa@example.pe")
    response = client.post(GENERATE, {"email": "rosa@example.pe"})
    assert response.status_code == 200
    assert "Escriba los números de la imagen (CAPTCHA)." in response.content.decode()
    assert mailoutbox == []


def test_a_bad_email_is_told_in_spanish(client):
    response = client.post(GENERATE, {"email": "rosa-at-example", **captcha_answer()})
    assert "Escriba un correo electrónico válido" in response.content.decode()


def test_inactive_accounts_get_no_mail(client, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email="cesado@example.pe", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(GENERATE, {"email": "cesado@example.pe", **captcha_answer()})
    assert mailoutbox == []


def test_the_setup_mail_says_what_the_real_one_says(mail_link, mailoutbox):
    user = UserFactory(email="rosa@example.pe")
    link = mail_link("rosa@example.pe")
    message = mailoutbox[0]
    assert message.subject == (
        "Generar tu contraseña — Plataforma de Servicios para el Servidor Público"
    )
    text = message.body
    assert "Se ha creado su cuenta" in text
    assert "dentro de las próximas 24 horas" in text
    assert f"su número de documento ({user.username})" in text
    assert "mesa de ayuda: mesadeayuda@ayni.localhost" in text
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html
    assert link.startswith("http://127.0.0.1:8000/cuenta/contrasena/")


def test_the_reset_mail_is_worded_for_a_forgotten_password(mail_link, mailoutbox):
    UserFactory(email="rosa@example.pe")
    mail_link("rosa@example.pe", url=FORGOT)
    assert mailoutbox[0].subject.startswith("Restablecer tu contraseña")
    assert "restablecer la contraseña de su cuenta" in mailoutbox[0].body
    assert "su contraseña actual sigue vigente" in mailoutbox[0].body


def test_the_link_ignores_a_forged_host_header(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["*"]
    UserFactory(email="rosa@example.pe")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            GENERATE, {"email": "rosa@example.pe", **captcha_answer()}, HTTP_HOST="evil.example"
        )
    assert LINK.search(mailoutbox[0].body).group(0).startswith(settings.AYNI_PUBLIC_BASE_URL)
    assert "evil.example" not in mailoutbox[0].body


def test_the_link_sets_the_password_once_then_login_works(client, mail_link):
    user = UserFactory(email="rosa@example.pe")
    user.set_unusable_password()
    user.save()
    link = mail_link("rosa@example.pe")
    response = _set_password(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    page = client.get(response["Location"]).content.decode()
    assert "Su contraseña fue grabada" in page
    assert post_login(client, user.username, NEW_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action=events.PASSWORD_GENERATED, actor=user).exists()

    client.logout()
    again = client.get(link, follow=True).content.decode()  # the same link, used
    assert "El enlace ya no es válido" in again
    assert reverse("accounts:password-generate") in again and "Solicitar un nuevo enlace" in again


def test_a_token_does_not_work_for_another_account(client, mail_link):
    UserFactory(email="rosa@example.pe")
    other = UserFactory(email="jose@example.pe")
    link = mail_link("rosa@example.pe")
    uid, token = link.rstrip("/").split("/")[-2:]
    other_uid = mail_link("jose@example.pe").rstrip("/").split("/")[-2]
    assert other_uid != uid
    response = client.get(reverse("accounts:password-set", args=[other_uid, token]))
    assert "El enlace ya no es válido" in response.content.decode()
    other.refresh_from_db()
    assert other.check_password(PASSWORD)


def test_the_link_expires_after_24_hours(client, mail_link):
    UserFactory(email="rosa@example.pe")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        link = mail_link("rosa@example.pe")
        traveller.shift(timedelta(hours=23, minutes=59))
        assert client.get(link).status_code == 302  # still valid: on to the form
        traveller.shift(timedelta(minutes=1, seconds=1))
        assert "El enlace ya no es válido" in client.get(link).content.decode()


def test_a_link_dies_once_the_password_changed(client, mail_link):
    UserFactory(email="rosa@example.pe")
    first, second = mail_link("rosa@example.pe"), mail_link("rosa@example.pe")
    _set_password(client, second)
    assert "El enlace ya no es válido" in client.get(first, follow=True).content.decode()


def test_a_link_dies_when_the_email_changes(client, mail_link):
    user = UserFactory(email="rosa@example.pe")
    link = mail_link("rosa@example.pe")
    user.email = "rosa.nueva@example.pe"
    user.save()
    assert "El enlace ya no es válido" in client.get(link, follow=True).content.decode()


def test_a_link_does_not_work_for_a_deactivated_account(client, mail_link):
    user = UserFactory(email="rosa@example.pe")
    link = mail_link("rosa@example.pe")
    user.is_active = False
    user.save()
    assert "El enlace ya no es válido" in client.get(link, follow=True).content.decode()


def test_without_javascript_the_checklist_comes_from_the_server(client, mail_link):
    user = UserFactory(email="rosa@example.pe")
    link = mail_link("rosa@example.pe")
    response = _set_password(client, link, "huancayo", "huancayo2")
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'rule-fail".*?✘.*?Al menos debería tener una letra en mayúscula', page, re.S)
    assert re.search(r'rule-ok".*?✔.*?Al menos debería tener una letra en minúscula', page, re.S)
    assert re.search(r'rule-fail".*?✘.*?La confirmación debería ser igual', page, re.S)
    assert "La confirmación no es igual a la contraseña." in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # nothing changed


def test_the_first_page_shows_every_rule_pending(client, mail_link):
    UserFactory(email="rosa@example.pe")
    page = client.get(mail_link("rosa@example.pe"), follow=True).content.decode()
    assert page.count('class="rule rule-pending"') == 9
    assert "data-rule=" in page and "accounts/password.js" in page
    assert ">Grabar</button>" in page
    assert 'for="id_new_password1">Contraseña' in page
    assert 'for="id_new_password2">Confirmar contraseña' in page


def test_a_new_password_lifts_the_lockouts_and_is_audited_as_a_reset(client, mail_link):
    user = UserFactory(email="rosa@example.pe")
    for _ in range(5):
        post_login(client, user.username, "Equivocada1")
    assert lockout_state(user.username, "127.0.0.1").lock is not None
    _set_password(client, mail_link("rosa@example.pe", url=FORGOT))
    assert lockout_state(user.username, "127.0.0.1").lock is None
    assert AuditEvent.objects.filter(action=events.PASSWORD_RESET, actor=user).exists()
