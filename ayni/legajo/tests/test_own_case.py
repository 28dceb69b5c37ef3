"""Separation of duties: a specialist never attends their own legajo; a peer of the unit or
the level above does. Tried through the pages (ids of their own legajo) and the services."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory
from ayni.legajo import services
from ayni.legajo.models import ChangeRequest, Demerito, Merito
from ayni.legajo.sections import get_section
from ayni.legajo.tests.factories import SAMPLES, add_item, form_data, full_legajo
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def specialist_with_legajo():
    """Especialista de escalafón of UGEL 07 who is also a servant there, with a legajo."""
    user = UserFactory()
    StaffRoleFactory(user=user, role=StaffRole.Role.ESCALAFON)
    legajo = full_legajo(servant=user.servant)
    return user, legajo


@pytest.fixture
def peer():
    return StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user


def _own_merit_request(user, legajo):
    section = get_section("meritos")
    services.propose_new(legajo, section, {**SAMPLES["meritos"], "descripcion": "Palmas"})
    draft = ChangeRequest.objects.get(legajo=legajo, state="borrador")
    return services.submit(draft, "", user)


def test_own_request_is_not_in_the_tray_and_its_ids_are_not_found(client, specialist_with_legajo):
    user, legajo = specialist_with_legajo
    change_request = _own_merit_request(user, legajo)
    client.force_login(user)
    assert change_request.code not in client.get(reverse("legajo:bandeja")).content.decode()
    assert client.get(reverse("legajo:revisar", args=[change_request.pk])).status_code == 404
    response = client.post(
        reverse("legajo:decidir", args=[change_request.pk]), {"decision": "atender"}
    )
    assert response.status_code == 404
    change_request.refresh_from_db()
    assert change_request.state == ChangeRequest.State.PENDING
    assert not Merito.objects.filter(legajo=legajo, descripcion="Palmas").exists()


def test_own_legajo_cannot_be_edited_from_the_escalafon_pages(client, specialist_with_legajo):
    user, legajo = specialist_with_legajo
    demerit = add_item(legajo, "demeritos")
    merits = Merito.objects.filter(legajo=legajo).count()
    client.force_login(user)
    urls = [
        reverse("legajo:legajo", args=[legajo.pk]),
        reverse("legajo:registro_nuevo", args=[legajo.pk, "meritos"]),
        reverse("legajo:eliminar_registro", args=[legajo.pk, "demeritos", demerit.pk]),
        reverse("legajo:vigencia", args=[legajo.pk]),
    ]
    for url in urls:
        assert client.post(url, form_data(SAMPLES["meritos"])).status_code == 404, url
    assert Demerito.objects.filter(pk=demerit.pk).exists()
    assert Merito.objects.filter(legajo=legajo).count() == merits
    search = client.get(reverse("legajo:legajos"), {"q": user.username}).content.decode()
    assert reverse("legajo:legajo", args=[legajo.pk]) not in search


def test_the_services_refuse_the_own_case(specialist_with_legajo):
    user, legajo = specialist_with_legajo
    change_request = _own_merit_request(user, legajo)
    demerit = add_item(legajo, "demeritos")
    attempts = [
        lambda: services.decide(change_request, user, approve=True),
        lambda: services.save_item(legajo, get_section("meritos"), SAMPLES["meritos"], user),
        lambda: services.delete_item(legajo, get_section("demeritos"), demerit, user),
        lambda: services.set_vigente(legajo, False, user),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="propio caso"):
            attempt()
    change_request.refresh_from_db()
    legajo.refresh_from_db()
    assert change_request.state == ChangeRequest.State.PENDING and legajo.vigente
    assert Demerito.objects.filter(pk=demerit.pk).exists()


def test_a_peer_of_the_unit_attends_it(client, specialist_with_legajo, peer):
    user, legajo = specialist_with_legajo
    change_request = _own_merit_request(user, legajo)
    client.force_login(peer)
    assert change_request.code in client.get(reverse("legajo:bandeja")).content.decode()
    services.decide(change_request, peer, approve=True)
    assert Merito.objects.filter(legajo=legajo, descripcion="Palmas").exists()


def test_a_superusers_legajo_is_attended_only_by_a_superuser(peer):
    boss = UserFactory(is_staff=True, is_superuser=True)
    legajo = full_legajo(servant=boss.servant)
    with pytest.raises(PermissionDenied):
        services.save_item(legajo, get_section("meritos"), SAMPLES["meritos"], peer)
    other_boss = UserFactory(is_staff=True, is_superuser=True)
    services.save_item(legajo, get_section("meritos"), SAMPLES["meritos"], other_boss)
