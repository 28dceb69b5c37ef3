import pytest
from django.test import RequestFactory
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory
from ayni.core.audit import record
from ayni.core.http import client_ip
from ayni.core.models import AuditEvent
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db


def test_home_requires_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_header_shows_name_role_unit_and_last_access(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("core:home")).content.decode()
    assert "Plataforma de Servicios para el Servidor Público" in page
    assert user.servant.nombres in page
    assert "Servidor · UGEL 07 SAN BORJA" in page
    assert "Último acceso:" in page
    assert '<html lang="es">' in page


def test_staff_see_their_role_in_the_header(client):
    role = StaffRoleFactory(role=StaffRole.Role.BOLETAS)
    client.force_login(role.user)
    page = client.get(reverse("core:home")).content.decode()
    assert "Administrador de boletas · UGEL 07 SAN BORJA" in page


def test_pages_load_no_external_assets(client):
    client.force_login(UserFactory())
    page = client.get(reverse("core:home")).content.decode()
    assert "http://" not in page.replace("http://testserver", "")
    assert "https://" not in page
    assert "window.open" not in page


def test_stylesheet_is_served_by_the_platform(client):
    response = client.get("/static/core/ayni.css")
    assert response.status_code == 200
    assert b".topbar" in b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "10.1.1.1", "1.2.3.4", "10.1.1.1"),  # no trusted proxy: the header is ignored
        (1, "10.1.1.1", "1.2.3.4", "1.2.3.4"),
        (1, "10.1.1.1", "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # a forged first entry is skipped
        (2, "10.1.1.1", "6.6.6.6, 1.2.3.4, 10.0.0.2", "1.2.3.4"),
        (2, "10.1.1.1", "1.2.3.4", "10.1.1.1"),  # fewer entries than proxies: socket address
        (1, "10.1.1.1", "not-an-ip", None),
    ],
)
def test_client_ip_trusts_only_configured_proxies(settings, proxies, remote, forwarded, expected):
    settings.AYNI_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_audit_record_keeps_who_what_where():
    user = UserFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Prueba/1.0")
    event = record(user, "boleta.descarga", target=user.servant, request=request, periodo="2022-06")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == user and stored.actor_label == user.username
    assert (stored.ip, stored.user_agent) == ("192.0.2.7", "Prueba/1.0")
    assert stored.target_type == "organizations.servant"
    assert stored.target_id == str(user.servant.pk)
    assert stored.details == {"periodo": "2022-06"}


def test_admin_cannot_edit_or_delete_audit_events(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    event = record(admin, "prueba")
    client.force_login(admin)
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    assert client.post(reverse("admin:core_auditevent_delete", args=[event.pk])).status_code == 403
