from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ayni.accounts import events
from ayni.accounts.lockout import lockout_state
from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import post_login
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db
HOME = reverse("core:home")
HOME_IP = "192.0.2.10"
ATTACKER_IP = "203.0.113.66"


def _fail(client, username, times, ip=ATTACKER_IP, **extra):
    for _ in range(times):
        response = post_login(client, username, "Equivocada9", REMOTE_ADDR=ip, **extra)
    return response


def _signs_in(client, user, ip, **extra) -> bool:
    response = post_login(client, user.username, PASSWORD, REMOTE_ADDR=ip, **extra)
    signed_in = response.status_code == 302
    client.logout()
    return signed_in


def test_five_failures_lock_the_account_from_that_ip_only(client):
    user = UserFactory()
    fourth = _fail(client, user.username, 4)
    assert (
        fourth.status_code == 200 and "Usuario o contraseña incorrectos" in fourth.content.decode()
    )
    fifth = _fail(client, user.username, 1)
    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert "Ingreso bloqueado por seguridad." in page
    assert "demasiados intentos fallidos con este usuario" in page
    assert "Podrá intentarlo nuevamente en 15 minutos" in page
    assert not _signs_in(client, user, ATTACKER_IP)  # even the right password is refused
    assert _signs_in(client, user, HOME_IP)  # the servant at home is not locked out


def test_a_locked_pair_does_not_lock_other_accounts_from_that_ip(client):
    victim, neighbour = UserFactory(), UserFactory()
    _fail(client, victim.username, 5)
    assert _signs_in(client, neighbour, ATTACKER_IP)


def test_twenty_failures_from_one_ip_lock_that_ip_for_every_account(client):
    targets = [UserFactory() for _ in range(5)]
    for target in targets[:4]:
        _fail(client, target.username, 4)  # below the per-account limit
    response = _fail(client, targets[4].username, 4)
    assert response.status_code == 429
    assert "demasiados intentos fallidos desde su conexión" in response.content.decode()
    newcomer = UserFactory()
    assert not _signs_in(client, newcomer, ATTACKER_IP)
    assert _signs_in(client, newcomer, HOME_IP)


def test_nineteen_failures_from_one_ip_lock_nothing(client):
    targets = [UserFactory() for _ in range(5)]
    for target in targets[:4]:
        _fail(client, target.username, 4)
    _fail(client, targets[4].username, 3)
    assert _signs_in(client, targets[4], ATTACKER_IP)


def test_the_lock_ends_after_15_minutes_and_attempts_meanwhile_do_not_extend_it(client):
    user = UserFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _fail(client, user.username, 5)
        traveller.shift(timedelta(minutes=10))
        later = _fail(client, user.username, 1)
        assert later.status_code == 429
        assert "Podrá intentarlo nuevamente en 5 minutos" in later.content.decode()
        traveller.shift(timedelta(minutes=4, seconds=50))
        assert not _signs_in(client, user, ATTACKER_IP)
        traveller.shift(timedelta(seconds=11))
        assert _signs_in(client, user, ATTACKER_IP)


def test_failures_older_than_the_window_do_not_count(client):
    user = UserFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _fail(client, user.username, 4)
        traveller.shift(timedelta(minutes=16))
        assert _fail(client, user.username, 4).status_code == 200
        assert _signs_in(client, user, ATTACKER_IP)


def test_a_forged_forwarded_for_header_does_not_escape_the_lock(client, settings):
    settings.AYNI_TRUSTED_PROXIES = 0
    user = UserFactory()
    for number in range(5):
        _fail(client, user.username, 1, HTTP_X_FORWARDED_FOR=f"10.9.9.{number}")
    assert not _signs_in(client, user, ATTACKER_IP, HTTP_X_FORWARDED_FOR="10.9.9.99")


def test_behind_a_trusted_proxy_the_forwarded_client_is_locked(client, settings):
    settings.AYNI_TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    user = UserFactory()
    _fail(client, user.username, 5, ip=proxy, HTTP_X_FORWARDED_FOR=ATTACKER_IP)
    assert not _signs_in(client, user, proxy, HTTP_X_FORWARDED_FOR=ATTACKER_IP)
    assert _signs_in(client, user, proxy, HTTP_X_FORWARDED_FOR=f"1.1.1.1, {HOME_IP}")


def test_a_document_typed_with_spaces_counts_as_the_same_account(client):
    user = UserFactory()
    _fail(client, f" {user.username} ", 3)
    _fail(client, user.username, 2)
    assert lockout_state(user.username, ATTACKER_IP).lock is not None


def test_a_success_clears_its_own_pair_and_not_the_ip(client):
    user, other = UserFactory(), UserFactory()
    _fail(client, other.username, 4)
    _fail(client, user.username, 4)
    assert _signs_in(client, user, ATTACKER_IP)
    state = lockout_state(other.username, ATTACKER_IP)
    assert (state.pair_failures, state.address_failures) == (4, 4)
    assert lockout_state(user.username, ATTACKER_IP).pair_failures == 0


def test_lockouts_are_audited(client):
    user = UserFactory()
    _fail(client, user.username, 5)
    lockout = AuditEvent.objects.get(action=events.LOGIN_LOCKED)
    assert (lockout.target_id, lockout.ip, lockout.outcome) == (str(user.pk), ATTACKER_IP, "denied")
    assert lockout.details["alcance"] == "cuenta"
