"""The Django admin's own reads and writes of personal data are in the audit log."""

import pytest
from django.contrib import admin
from django.urls import reverse

from ayni.accounts.models import User
from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.core import events
from ayni.core.admin_audit import AuditedAdminMixin
from ayni.core.models import AuditEvent
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import ServantFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db

PERSONAL_DATA_MODELS = [
    "accounts.user", "organizations.servant", "organizations.staffrole", "legajo.legajo",
    "legajo.changerequest", "legajo.itemhistory", "boletas.boleta", "boletas.planillaimport",
    "access.accessrequest", "documents.issueddocument", "core.auditevent",
]  # fmt: skip


@pytest.fixture
def minedu(client):
    superuser = User.objects.create_superuser("40000199", PASSWORD, email="minedu@example.pe")
    client.force_login(superuser)
    return superuser


def only_event(action):
    found = AuditEvent.objects.filter(action=action)
    assert found.count() == 1, list(found.values_list("action", "details"))
    return found.get()


@pytest.mark.parametrize("label", PERSONAL_DATA_MODELS)
def test_every_admin_of_personal_data_is_audited(label):
    model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label_lower == label)
    assert isinstance(model_admin, AuditedAdminMixin)


def test_a_changelist_search_is_recorded_with_its_query_and_filters(client, minedu):
    ServantFactory(apellido_paterno="CONDORI")
    url = reverse("admin:organizations_servant_changelist")
    assert client.get(url, {"q": "CONDORI", "document_type__exact": "DNI"}).status_code == 200
    event = only_event(events.ADMIN_SEARCHED)
    assert event.actor == minedu
    assert event.details == {
        "modelo": "organizations.servant",
        "busqueda": "CONDORI",
        "filtros": {"document_type__exact": "DNI"},
    }
    client.get(url)
    assert only_event(events.ADMIN_LISTED).details["busqueda"] == ""


def test_opening_a_change_form_is_a_recorded_read(client, minedu):
    servant = ServantFactory()
    url = reverse("admin:organizations_servant_change", args=[servant.pk])
    assert client.get(url).status_code == 200
    event = only_event(events.ADMIN_VIEWED)
    assert (event.target_type, event.target_id) == ("organizations.servant", str(servant.pk))
    assert event.subject == servant.document_number
    assert event.unit == Unit.objects.get(code="150108")


def test_a_change_names_the_fields_never_their_values(client, minedu):
    servant = ServantFactory(nombres="ROSA")
    url = reverse("admin:organizations_servant_change", args=[servant.pk])
    data = {
        "document_type": servant.document_type, "document_number": servant.document_number,
        "apellido_paterno": servant.apellido_paterno, "apellido_materno": "",
        "nombres": "ROSA ELENA", "unit": servant.unit_id,
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    event = only_event(events.ADMIN_CHANGED)
    assert event.target_id == str(servant.pk) and "Nombres" in str(event.details["campos"])
    assert "ROSA ELENA" not in str(event.details)


def test_an_addition_and_a_deletion_are_recorded(client, minedu):
    staff = UserFactory(servant=None)
    add = reverse("admin:organizations_staffrole_add")
    data = {
        "user": staff.pk,
        "role": StaffRole.Role.ESCALAFON,
        "unit": Unit.objects.get(code="150108").pk,
    }
    assert client.post(add, data).status_code == 302
    role = StaffRole.objects.get(user=staff)
    added = only_event(events.ADMIN_ADDED)
    assert added.target_id == str(role.pk) and added.subject == staff.username
    delete = reverse("admin:organizations_staffrole_delete", args=[role.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    deleted = only_event(events.ADMIN_DELETED)
    assert (deleted.target_type, deleted.target_id) == ("organizations.staffrole", str(role.pk))


def test_a_bulk_deletion_records_each_object(client, minedu):
    roles = [StaffRoleFactory(), StaffRoleFactory()]
    url = reverse("admin:organizations_staffrole_changelist")
    data = {"action": "delete_selected", "_selected_action": [r.pk for r in roles], "post": "yes"}
    assert client.post(url, data).status_code == 302
    recorded = AuditEvent.objects.filter(action=events.ADMIN_DELETED)
    assert sorted(recorded.values_list("target_id", flat=True)) == sorted(str(r.pk) for r in roles)


def test_a_password_set_in_the_admin_is_recorded_without_the_password(client, minedu):
    account = UserFactory()
    url = reverse("admin:auth_user_password_change", args=[account.pk])
    secret = "OtraClave2026!x"
    data = {"password1": secret, "password2": secret, "usable_password": "true"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    event = only_event(events.ADMIN_CHANGED)
    assert event.target_id == str(account.pk) and event.details["campos"]
    assert secret not in str(event.details)


def test_the_audit_log_in_the_admin_is_read_only_and_reading_it_is_recorded(client, minedu):
    AuditEvent.objects.create(action="prueba.accion")
    model_admin = admin.site._registry[AuditEvent]
    request = type("Request", (), {"user": minedu})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    assert only_event(events.ADMIN_LISTED).details["modelo"] == "core.auditevent"
