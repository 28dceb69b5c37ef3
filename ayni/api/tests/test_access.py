"""Deny by default: nothing without a sign-in (the verification aside), nothing of another
servant or of another unit (404, never a 403 that tells it exists), staff endpoints only for
their role, and staff only after the second step."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from ayni.api.tests.conftest import signed_in
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db

PUBLIC = {"api:schema", "api:docs", "api:verification"}
# Every endpoint that takes an id, by whose the id is.
SERVANT_OBJECTS = {"api:boleta", "api:boleta-pdf", "api:request", "api:request-annul",
                   "api:document-pdf"}  # fmt: skip
ESCALAFON_OBJECTS = {"api:tray-request", "api:tray-decide"}
BOLETAS_OBJECTS = {"api:staff-servant-boletas", "api:staff-boleta-pdf", "api:import"}
ESCALAFON_LISTS = {"api:tray"}
BOLETAS_LISTS = {"api:staff-servants", "api:imports"}
POST_ONLY = {"api:request-annul", "api:tray-decide"}


def api_routes() -> dict[str, URLPattern]:
    """Name → pattern of every named endpoint under /api/v1/."""
    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    return {f"api:{p.name}": p for p in api.url_patterns if p.name}


def url(name: str, pk=1) -> str:
    keys = api_routes()[name].pattern.converters
    kwargs = {key: ("CODIGO" if key == "code" else pk) for key in keys}
    return reverse(name, kwargs=kwargs)


def call(client, name: str, pk=1):
    target = url(name, pk)
    return client.post(target, {}, format="json") if name in POST_ONLY else client.get(target)


def test_every_id_route_is_in_one_scope_list():
    """A new endpoint with an id must join the lists the tests below go through."""
    with_id = {name for name, p in api_routes().items() if "pk" in p.pattern.converters}
    assert with_id == SERVANT_OBJECTS | ESCALAFON_OBJECTS | BOLETAS_OBJECTS


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_gets_nothing_but_the_public_endpoints(api, rosa, method):
    closed = sorted(set(api_routes()) - PUBLIC)
    assert len(closed) >= 15
    for name in closed:
        response = getattr(api, method)(url(name, rosa.boleta.pk))
        assert response.status_code in (401, 403), name
        error = response.json()["error"]
        assert error["codigo"] == "no_autenticado", name
        assert error["mensaje"] == "Inicie sesión en la plataforma para usar la API."


def test_public_endpoints_answer_anonymous(api):
    assert api.get(url("api:schema")).status_code == 200
    assert api.get(url("api:docs")).status_code == 200
    assert api.get(url("api:verification")).status_code == 404  # no such code, but answered


def _servant_targets(person) -> dict[str, int]:
    return {
        "api:boleta": person.boleta.pk, "api:boleta-pdf": person.boleta.pk,
        "api:request": person.request.pk, "api:request-annul": person.request.pk,
        "api:document-pdf": person.document.pk,
    }  # fmt: skip


def test_own_ids_answer(rosa):
    client = signed_in(rosa.user)
    for name, pk in _servant_targets(rosa).items():
        assert call(client, name, pk).status_code == 200, name


def test_another_servants_ids_answer_404(rosa, jose):
    client = signed_in(rosa.user)
    targets = _servant_targets(jose)
    assert set(targets) == SERVANT_OBJECTS
    for name, pk in targets.items():
        response = call(client, name, pk)
        assert response.status_code == 404, name
        assert response.json()["error"]["codigo"] == "no_encontrado", name
    jose.request.refresh_from_db()
    assert jose.request.state == "en_solicitud"  # the annulment changed nothing


def _staff_targets(person) -> dict[str, int]:
    return {
        "api:tray-request": person.request.pk, "api:tray-decide": person.request.pk,
        "api:staff-servant-boletas": person.user.servant.pk,
        "api:staff-boleta-pdf": person.boleta.pk,
        "api:import": person.boleta.imported_in_id,
    }  # fmt: skip


def test_staff_of_the_unit_reach_its_records(jose, specialist, boletas_admin):
    for name, pk in _staff_targets(jose).items():
        user = specialist if name in ESCALAFON_OBJECTS else boletas_admin
        response = call(signed_in(user), name, pk)
        # Deciding with an empty body is refused for its content, not for its scope.
        assert response.status_code == (400 if name == "api:tray-decide" else 200), name


def test_staff_of_another_unit_get_404(jose, other_ugel_specialist, other_ugel_boletas_admin):
    targets = _staff_targets(jose)
    assert set(targets) == ESCALAFON_OBJECTS | BOLETAS_OBJECTS
    for name, pk in targets.items():
        user = other_ugel_specialist if name in ESCALAFON_OBJECTS else other_ugel_boletas_admin
        response = call(signed_in(user), name, pk)
        assert response.status_code == 404, name
        assert response.json()["error"]["codigo"] == "no_encontrado"
    jose.request.refresh_from_db()
    assert jose.request.state == "en_solicitud"


def test_staff_endpoints_refuse_accounts_without_the_role(rosa, jose):
    """As on the web: the tray says 403 "Solo para especialistas", the boletas
    administration 404; a staff member of the other role is refused the same way."""
    escalafon_only = StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user
    boletas_only = StaffRoleFactory(role=StaffRole.Role.BOLETAS).user
    targets = _staff_targets(jose)
    for user in (rosa.user, escalafon_only, boletas_only):
        client = signed_in(user)
        for name in ESCALAFON_LISTS | ESCALAFON_OBJECTS:
            if user == escalafon_only:
                continue
            response = call(client, name, targets.get(name, 1))
            assert response.status_code == 403, name
            assert response.json()["error"] == {
                "codigo": "sin_permiso", "mensaje": "Solo para especialistas de escalafón.",
                "campos": {},
            }  # fmt: skip
        for name in BOLETAS_LISTS | BOLETAS_OBJECTS:
            if user == boletas_only:
                continue
            response = call(client, name, targets.get(name, 1))
            assert response.status_code == 404, name


def test_servant_endpoints_need_a_servant_record(boletas_admin):
    client = signed_in(boletas_admin)
    response = client.get(url("api:boletas"))
    assert response.status_code == 404
    assert response.json()["error"]["mensaje"] == "Su cuenta no está vinculada a un servidor."


@pytest.mark.password_step_only
def test_staff_without_the_second_step_get_403_json_not_a_redirect(jose):
    user = StaffRoleFactory(role=StaffRole.Role.BOLETAS).user
    client = signed_in(user)  # password only: the session is not verified
    for name in ("api:profile", "api:imports", "api:staff-servants"):
        response = client.get(url(name))
        assert response.status_code == 403, name
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["codigo"] == "segundo_paso_pendiente"
    # A servant without staff roles has no second step to pass.
    servant = signed_in(jose.user)
    assert servant.get(url("api:profile")).status_code == 200
