"""An IP locked for every account: it never ends a session, and the level above the UGEL sees
and lifts it (the Django admin for MINEDU, the "Conexiones bloqueadas" page), audited."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from ayni.accounts import events
from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import post_login
from ayni.core.models import AuditEvent
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db
SCHOOL_IP = "203.0.113.66"
OTHER_IP = "192.0.2.10"
PAGE = reverse("accounts:address-lockouts")
LIFT = reverse("accounts:address-unlock")
ADMIN_LIST = reverse("admin:axes_accessattempt_changelist")


def lock_the_ip(ip=SCHOOL_IP):
    """Twenty failures from one IP over five accounts (four each: no account lock)."""
    browser = Client()
    for _ in range(5):
        target = UserFactory()
        for _ in range(4):
            post_login(browser, target.username, "Equivocada9", REMOTE_ADDR=ip)
    assert not post_login(browser, UserFactory().username, PASSWORD, REMOTE_ADDR=ip).has_header(
        "Location"
    )


def signs_in(user, ip=SCHOOL_IP) -> bool:
    return post_login(Client(), user.username, PASSWORD, REMOTE_ADDR=ip).status_code == 302


@pytest.fixture
def ugel_admin():
    unit = Unit.objects.get(code="150108")
    return StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL, unit=unit).user


@pytest.fixture
def dre_admin():
    unit = Unit.objects.get(code="150108").parent
    return StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL, unit=unit).user


def test_a_signed_in_user_on_a_locked_ip_keeps_using_the_site():
    user = UserFactory()
    browser = Client(REMOTE_ADDR=SCHOOL_IP)
    assert post_login(browser, user.username, PASSWORD, REMOTE_ADDR=SCHOOL_IP).status_code == 302
    lock_the_ip()
    assert not signs_in(UserFactory())  # the IP is locked for new sign-ins
    for url in (reverse("core:home"), reverse("accounts:sign-ins")):
        response = browser.get(url, REMOTE_ADDR=SCHOOL_IP)
        assert response.status_code == 200
        assert response.wsgi_request.user == user
    # Even a failed sign-in of somebody else meanwhile does not touch the session.
    post_login(Client(), user.username, "Equivocada9", REMOTE_ADDR=SCHOOL_IP)
    assert browser.get(reverse("core:home"), REMOTE_ADDR=SCHOOL_IP).wsgi_request.user == user


def test_every_ugel_administrator_sees_the_locked_ips_but_cannot_lift_them(client, ugel_admin):
    lock_the_ip()
    client.force_login(ugel_admin)
    page = client.get(PAGE).content.decode()
    assert SCHOOL_IP in page and "Levantar el bloqueo</button>" not in page
    assert "pídalo a su DRE/GRE" in page
    client.post(LIFT, {"ip": SCHOOL_IP})
    assert AccessAttempt.objects.filter(ip_address=SCHOOL_IP).exists()
    assert not AuditEvent.objects.filter(action=events.ADDRESS_UNLOCKED).exists()
    assert not signs_in(UserFactory())


def test_a_dre_administrator_lifts_an_ip_lock_audited(client, dre_admin):
    lock_the_ip()
    lock_the_ip(OTHER_IP)
    client.force_login(dre_admin)
    page = client.get(PAGE).content.decode()
    assert SCHOOL_IP in page and OTHER_IP in page and "Levantar el bloqueo</button>" in page
    response = client.post(LIFT, {"ip": SCHOOL_IP}, follow=True)
    assert f"Se levantó el bloqueo de la conexión {SCHOOL_IP}" in response.content.decode()
    assert signs_in(UserFactory())
    assert not signs_in(UserFactory(), OTHER_IP)  # only the one asked for
    event = AuditEvent.objects.get(action=events.ADDRESS_UNLOCKED)
    assert (event.actor, event.target_id) == (dre_admin, SCHOOL_IP)
    assert event.details["registros"] == 5  # one record per account tried from that IP


def test_the_page_is_for_administrators_only(client):
    client.force_login(UserFactory())
    assert client.get(PAGE).status_code == 403
    assert client.post(LIFT, {"ip": SCHOOL_IP}).status_code == 403


def test_minedu_sees_the_locked_ips_in_the_admin_and_lifts_them_audited(client):
    minedu = UserFactory(is_staff=True, is_superuser=True)
    lock_the_ip()
    AccessAttempt.objects.create(
        ip_address=OTHER_IP, username="40000001", user_agent="x", failures_since_start=1,
        get_data="", post_data="", http_accept="", path_info="/",
    )  # fmt: skip
    client.force_login(minedu)
    listing = client.get(ADMIN_LIST, {"ip_bloqueada": "si"})
    page = listing.content.decode()
    assert SCHOOL_IP in page and "IP bloqueada para todos hasta" in page
    assert OTHER_IP not in page
    ids = list(AccessAttempt.objects.filter(ip_address=SCHOOL_IP).values_list("pk", flat=True))
    client.post(
        ADMIN_LIST, {"action": "lift_address_locks", "_selected_action": ids[:1]}
    )  # one row is enough: the action lifts its IP
    assert not AccessAttempt.objects.filter(ip_address=SCHOOL_IP).exists()
    assert AccessAttempt.objects.filter(ip_address=OTHER_IP).exists()
    event = AuditEvent.objects.get(action=events.ADDRESS_UNLOCKED)
    assert (event.actor, event.target_id) == (minedu, SCHOOL_IP)
    assert signs_in(UserFactory())


def test_the_admin_does_not_delete_failures_without_a_trace(client):
    minedu = UserFactory(is_staff=True, is_superuser=True)
    lock_the_ip()
    client.force_login(minedu)
    row = AccessAttempt.objects.filter(ip_address=SCHOOL_IP).first()
    delete_url = reverse("admin:axes_accessattempt_delete", args=[row.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.filter(pk=row.pk).exists()
