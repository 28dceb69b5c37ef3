"""The public password-mail forms are throttled per e-mail address and per client IP; over a
limit the page says the same neutral thing, no mail goes out, and the refusal is audited."""

import pytest
from django.urls import reverse

from ayni.accounts import events
from ayni.accounts.tests.factories import UserFactory
from ayni.accounts.tests.helpers import captcha_answer
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db
GENERATE = reverse("accounts:password-generate")
FORGOT = reverse("accounts:password-forgot")


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def post(email, ip="198.51.100.7", url=GENERATE):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"email": email, **captcha_answer()}, REMOTE_ADDR=ip)
        return response.status_code, response["Location"]

    return post


def limited():
    return AuditEvent.objects.filter(action=events.PASSWORD_MAIL_LIMITED, outcome="denied")


@pytest.mark.parametrize("url", [GENERATE, FORGOT])
def test_mails_to_one_address_are_limited_whatever_the_ip(settings, ask, mailoutbox, url):
    settings.AYNI_PASSWORD_MAILS_PER_EMAIL = 2
    user = UserFactory(email="rosa@example.pe")
    answers = [ask("Rosa@example.pe", f"198.51.100.{n}", url) for n in range(1, 5)]
    assert len(set(answers)) == 1  # the same neutral answer every time
    assert [m.to for m in mailoutbox] == [[user.email]] * 2
    assert limited().count() == 2
    event = limited().first()
    assert event.target_id == str(user.pk) and event.details["limite"] == "correo"


def test_mails_from_one_client_are_limited(settings, ask, mailoutbox, client):
    settings.AYNI_PASSWORD_MAILS_PER_IP = 2
    users = [UserFactory() for _ in range(3)]
    answers = [ask(user.email) for user in users]
    answers.append(ask("nadie@example.pe"))
    assert len(set(answers)) == 1
    assert [m.to for m in mailoutbox] == [[users[0].email], [users[1].email]]
    assert [e.details["limite"] for e in limited().order_by("id")] == ["conexión", "conexión"]
    assert ask(users[2].email, ip="192.0.2.10") == answers[0]  # another client is served
    assert mailoutbox[-1].to == [users[2].email]
    page = " ".join(client.get(answers[0][1]).content.decode().split())
    assert "Si el correo electrónico que escribió está registrado" in page


def test_the_limits_are_settings_with_defaults(settings):
    assert (settings.AYNI_PASSWORD_MAILS_PER_EMAIL, settings.AYNI_PASSWORD_MAILS_PER_IP) == (3, 20)
    assert settings.AYNI_PASSWORD_MAILS_WINDOW_SECONDS == 3600
