"""Open sessions: the absolute lifetime, "Mis accesos" listing them, "Cerrar" ending one."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ayni.accounts import events
from ayni.accounts.models import UserSession
from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import post_login
from ayni.core.models import AuditEvent
from config import settings as project_settings

pytestmark = pytest.mark.django_db
HOME = reverse("core:home")
SIGN_INS = reverse("accounts:sign-ins")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = "Mozilla/5.0 (Linux; Android 14; SM-A145M) Chrome/126.0 Mobile Safari/537.36"


@pytest.fixture(params=["database", "cache"])
def session_backend(request, settings):
    """Every behaviour holds with sessions in the database and in a cache (Redis in
    production; the local-memory cache here, which shows nothing scans a session table)."""
    if request.param == "cache":
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    return request.param


def _close(client, row):
    return client.post(reverse("accounts:session-close", args=[row.pk]))


def _signed_in(client) -> bool:
    return client.get(HOME).status_code == 200


def test_the_absolute_lifetime_is_twelve_hours_by_default():
    assert project_settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


def test_an_active_session_ends_at_the_absolute_lifetime(client, settings, session_backend):
    settings.SESSION_ABSOLUTE_SECONDS = 3600  # the idle timeout stays at 30 minutes
    user = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert post_login(client, user.username, PASSWORD).status_code == 302
        for minutes in (20, 40, 59):  # active all along: the idle timeout never ends it
            traveller.move_to(start + timedelta(minutes=minutes))
            assert _signed_in(client), minutes
        traveller.move_to(start + timedelta(minutes=60, seconds=1))
        response = client.get(reverse("accounts:sign-ins"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=/cuenta/accesos/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Su sesión terminó porque pasaron 1 hora desde que ingresó" in page
    assert not _signed_in(client)
    assert not UserSession.objects.filter(user=user).exists()
    expired = AuditEvent.objects.get(action=events.SESSION_EXPIRED)
    assert expired.actor == user and expired.details == {"segundos": 3600}


def test_the_idle_timeout_still_ends_a_quiet_session(client):
    client.force_login(UserFactory())
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert not _signed_in(client)


def test_signing_in_records_the_session_and_signing_out_forgets_it(client, session_backend):
    user = UserFactory()
    post_login(client, user.username, PASSWORD, REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT=FIREFOX)
    row = UserSession.objects.get(user=user)
    assert (row.ip, row.user_agent) == ("192.0.2.7", FIREFOX)
    assert row.session_key == client.session.session_key
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.exists()


def test_signing_in_again_in_the_same_session_gets_a_new_key(client, session_backend):
    """login() keeps the key when the same user signs in again (the login page itself
    redirects a signed-in user; other callers of login() do not)."""
    user = UserFactory()
    client.force_login(user)
    first = client.session.session_key
    client.force_login(user)
    row = UserSession.objects.get(user=user)
    assert row.session_key == client.session.session_key != first
    assert _signed_in(client)


def test_mis_accesos_lists_the_open_sessions_of_the_own_account(client, session_backend):
    rosa, jose = UserFactory(), UserFactory()
    phone, other_person = Client(), Client()
    post_login(phone, rosa.username, PASSWORD, REMOTE_ADDR="198.51.100.20", HTTP_USER_AGENT=PHONE)
    post_login(other_person, jose.username, PASSWORD, REMOTE_ADDR="203.0.113.9")
    post_login(client, rosa.username, PASSWORD, REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT=FIREFOX)
    ended = Client()  # signed out: no longer listed
    post_login(ended, rosa.username, PASSWORD, REMOTE_ADDR="192.0.2.99")
    ended.post(reverse("accounts:logout"))

    response = client.get(SIGN_INS)
    listed = response.context["open_sessions"]
    assert [row.ip for row in listed] == ["192.0.2.7", "198.51.100.20"]  # latest activity first
    page = response.content.decode()
    assert "Sesiones abiertas" in page and PHONE[:60] in page
    assert page.count("Esta sesión") == 1 and page.count(">Cerrar</button>") == 1
    assert "203.0.113.9" not in page  # José Luis's session
    assert reverse("accounts:session-close", args=[listed[1].pk]) in page
    assert reverse("accounts:session-close", args=[listed[0].pk]) not in page  # this one


def test_cerrar_ends_another_session_of_the_same_account(client, session_backend):
    rosa = UserFactory()
    phone = Client()
    post_login(phone, rosa.username, PASSWORD, REMOTE_ADDR="198.51.100.20")
    post_login(client, rosa.username, PASSWORD)
    row = UserSession.objects.get(user=rosa, ip="198.51.100.20")

    response = _close(client, row)
    assert response.status_code == 302 and response["Location"] == SIGN_INS
    assert "Se cerró la sesión." in client.get(SIGN_INS).content.decode()
    assert not _signed_in(phone)  # its cookie is worthless now
    assert _signed_in(client)
    assert list(UserSession.objects.filter(user=rosa)) == [
        UserSession.objects.get(session_key=client.session.session_key)
    ]
    closed = AuditEvent.objects.get(action=events.SESSION_CLOSED)
    assert closed.actor == rosa and closed.target_id == str(rosa.pk)
    assert closed.details["ip_sesion"] == "198.51.100.20"


def test_nobody_closes_a_session_of_another_account(client, session_backend):
    rosa, jose = UserFactory(), UserFactory()
    jose_client = Client()
    post_login(jose_client, jose.username, PASSWORD)
    post_login(client, rosa.username, PASSWORD)
    joses = UserSession.objects.get(user=jose)
    assert _close(client, joses).status_code == 404
    assert _signed_in(jose_client)
    assert UserSession.objects.filter(pk=joses.pk).exists()
    assert not AuditEvent.objects.filter(action=events.SESSION_CLOSED).exists()


def test_closing_needs_a_post_a_signed_in_user_and_not_the_own_session(client):
    rosa = UserFactory()
    post_login(client, rosa.username, PASSWORD)
    own = UserSession.objects.get(user=rosa)
    url = reverse("accounts:session-close", args=[own.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 404  # "Cerrar sesión" in the header does that
    assert Client().post(url).status_code == 302  # to the login page
    assert _signed_in(client)


def test_sessions_that_ended_without_signing_out_are_not_listed(client):
    rosa = UserFactory()
    forgotten = Client()
    post_login(forgotten, rosa.username, PASSWORD, REMOTE_ADDR="198.51.100.20")
    with time_machine.travel(timezone.now() + timedelta(minutes=45)):
        post_login(client, rosa.username, PASSWORD)
        listed = client.get(SIGN_INS).context["open_sessions"]
    assert [row.ip for row in listed] == ["127.0.0.1"]
    assert UserSession.objects.filter(user=rosa).count() == 1  # the stale row is gone


def test_last_activity_is_kept_to_the_minute(client):
    rosa = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        post_login(client, rosa.username, PASSWORD)
        traveller.move_to(start + timedelta(seconds=30))
        client.get(HOME)
        assert UserSession.objects.get().last_activity == start  # not written every request
        traveller.move_to(start + timedelta(minutes=5))
        client.get(HOME)
    assert UserSession.objects.get().last_activity == start + timedelta(minutes=5)


def test_a_session_whose_row_was_ended_meanwhile_is_signed_out(client):
    """A request in flight while the session was closed may save it again (cache backends
    write the whole session back); the missing row still ends it at the next minute."""
    rosa = UserFactory()
    post_login(client, rosa.username, PASSWORD)
    UserSession.objects.filter(user=rosa).delete()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        response = client.get(HOME)
    assert response.status_code == 302
    assert not _signed_in(client)


def test_a_session_from_before_the_register_gets_a_row(client):
    rosa = UserFactory()
    client.force_login(rosa)
    session = client.session
    for key in ("_ayni_session", "_ayni_session_started", "_ayni_session_touched"):
        session.pop(key)
    session.save()
    UserSession.objects.all().delete()
    assert _signed_in(client)
    assert UserSession.objects.get().session_key == client.session.session_key


def test_an_administrator_ends_every_session_of_an_account_but_not_their_own(client):
    """ASVS 7.4.5: from the Django admin, within the rule of who may manage whom."""
    servant = UserFactory()
    phone, laptop = Client(), Client()
    phone.force_login(servant)
    laptop.force_login(servant)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    changelist = reverse("admin:accounts_user_changelist")
    data = {"action": "end_sessions", "_selected_action": [servant.pk, superuser.pk]}
    page = client.post(changelist, data, follow=True).content.decode()
    assert "Cuentas cuyas sesiones se cerraron: 1" in page
    assert "No puede atender su propio caso" in page
    assert not _signed_in(phone) and not _signed_in(laptop)
    assert _signed_in(client)
    event = AuditEvent.objects.get(action=events.SESSIONS_ENDED)
    assert (event.actor, event.target_id, event.details["sesiones"]) == (
        superuser,
        str(servant.pk),
        2,
    )


def purge_sessions(*args) -> str:
    out = StringIO()
    call_command("purge_ended_sessions", *args, stdout=out)
    return out.getvalue()


def test_the_daily_purge_drops_the_rows_of_sessions_that_ended_without_signing_out(
    session_backend,
):
    rosa, jose = UserFactory(), UserFactory()
    idle, open_ = Client(), Client()
    now = timezone.now()
    with time_machine.travel(now - timedelta(minutes=45)):
        post_login(idle, rosa.username, PASSWORD, REMOTE_ADDR="198.51.100.20")
    post_login(open_, rosa.username, PASSWORD, REMOTE_ADDR="198.51.100.40")
    UserSession.objects.create(  # active 2 minutes ago, but signed in 13 hours ago
        user=jose, session_key="k" * 32, ip="198.51.100.30",
        started_at=now - timedelta(hours=13), last_activity=now - timedelta(minutes=2),
    )  # fmt: skip
    rows = {row.ip: row for row in UserSession.objects.all()}
    assert set(rows) == {"198.51.100.20", "198.51.100.30", "198.51.100.40"}

    out = purge_sessions("--dry-run")
    assert f"Sesión {rows['198.51.100.20'].pk} de {rosa.username}: " in out
    assert f"Sesión {rows['198.51.100.30'].pk} de {jose.username}: " in out
    assert "IP 198.51.100.40" not in out
    assert "Se eliminarían 2 sesiones vencidas (inactivas más de 30 minutos o iniciadas hace" in out
    assert "no se borró nada" in out
    assert UserSession.objects.count() == 3

    assert "Sesiones vencidas eliminadas: 2 " in purge_sessions()
    assert list(UserSession.objects.values_list("ip", flat=True)) == ["198.51.100.40"]
    assert _signed_in(open_)
