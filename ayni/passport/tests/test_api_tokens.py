"""The API with AYNI Passport's bearer tokens: each endpoint asks for its area's scope, an
invalid or expired token is refused, and another servant's ids still answer 404."""

from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from ayni.api.tests.test_access import PUBLIC, SERVANT_OBJECTS, api_routes, call, url
from ayni.passport.tests.conftest import bearer, token_for

pytestmark = pytest.mark.django_db
SERVANT_SCOPES = {"openid", "profile", "boletas", "legajo"}


def with_token(token: dict) -> APIClient:
    client = APIClient()
    client.credentials(**bearer(token))
    return client


def required_scope(name: str) -> set[str]:
    return set(api_routes()[name].callback.view_class.required_scopes)


def test_every_closed_endpoint_names_the_scope_of_its_area():
    scopes = {name: required_scope(name) for name in set(api_routes()) - PUBLIC}
    assert scopes["api:boletas"] == scopes["api:boleta-pdf"] == {"boletas"}
    assert scopes["api:legajo"] == scopes["api:requests"] == scopes["api:documents"] == {"legajo"}
    assert (
        scopes["api:tray"] == scopes["api:staff-boleta-pdf"] == scopes["api:imports"] == {"staff"}
    )
    assert scopes["api:profile"] == {"profile"}
    assert all(len(needed) == 1 for needed in scopes.values())


def test_a_token_without_the_areas_scope_is_refused_on_every_endpoint(rosa, mobile_app):
    tokens = {}
    for name in sorted(set(api_routes()) - PUBLIC):
        granted = frozenset(SERVANT_SCOPES - required_scope(name))
        if granted not in tokens:
            tokens[granted] = token_for(rosa.user, mobile_app, " ".join(sorted(granted)))
        response = call(with_token(tokens[granted]), name, rosa.boleta.pk)
        assert response.status_code == 403, name
        error = response.json()["error"]
        assert error["codigo"] == "sin_permiso", name
        assert f"no incluye el alcance «{next(iter(required_scope(name)))}»" in error["mensaje"]


def test_the_areas_scope_opens_the_servants_own_records(rosa, mobile_app):
    api = with_token(token_for(rosa.user, mobile_app, "openid profile boletas legajo"))
    listed = api.get(url("api:boletas")).json()["results"]
    own = set(rosa.user.servant.boletas.values_list("pk", flat=True))
    assert {row["id"] for row in listed} == own
    assert api.get(url("api:boleta", rosa.boleta.pk)).status_code == 200
    pdf = api.get(url("api:boleta-pdf", rosa.boleta.pk))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert api.get(url("api:legajo")).status_code == 200
    assert api.get(url("api:profile")).json()["usuario"] == rosa.user.username


def test_servant_a_token_on_servant_b_ids_answers_404(rosa, jose, mobile_app):
    api = with_token(token_for(rosa.user, mobile_app, "openid profile boletas legajo"))
    theirs = {
        "api:boleta": jose.boleta.pk, "api:boleta-pdf": jose.boleta.pk,
        "api:request": jose.request.pk, "api:request-annul": jose.request.pk,
        "api:document-pdf": jose.document.pk,
    }  # fmt: skip
    assert set(theirs) == SERVANT_OBJECTS
    for name, pk in theirs.items():
        response = call(api, name, pk)
        assert response.status_code == 404, name
        assert response.json()["error"]["codigo"] == "no_encontrado"
    jose.request.refresh_from_db()
    assert jose.request.state == jose.request.State.PENDING  # the annulment did nothing


def test_a_servants_token_never_reaches_the_staff_endpoints(rosa, mobile_app):
    api = with_token(token_for(rosa.user, mobile_app, "openid boletas legajo"))
    for name in ("api:tray", "api:staff-servants", "api:imports"):
        assert api.get(url(name)).status_code == 403, name


def test_an_expired_token_is_refused_with_401_and_a_bearer_challenge(rosa, mobile_app):
    token = token_for(rosa.user, mobile_app, "openid boletas")
    api = with_token(token)
    assert api.get(url("api:boletas")).status_code == 200
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    response = api.get(url("api:boletas"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Bearer realm="api"')
    assert response.json()["error"]["codigo"] == "token_invalido"


def test_a_made_up_token_is_refused(rosa):
    response = with_token({"access_token": "inventado"}).get(url("api:boletas"))
    assert response.status_code == 401
    assert response.json()["error"]["mensaje"].startswith("Su token de acceso no es válido")


def test_the_token_of_a_deactivated_account_stops_working(rosa, mobile_app):
    api = with_token(token_for(rosa.user, mobile_app, "openid boletas"))
    rosa.user.is_active = False
    rosa.user.save(update_fields=["is_active"])
    assert api.get(url("api:boletas")).status_code == 401


def test_a_bearer_call_needs_no_csrf_token(rosa, mobile_app):
    api = APIClient(enforce_csrf_checks=True)
    api.credentials(**bearer(token_for(rosa.user, mobile_app, "openid legajo")))
    response = api.post(url("api:request-annul", rosa.request.pk), {}, format="json")
    assert response.status_code == 200
    assert response.json()["estado"] == "anulado"


def test_the_openapi_document_declares_the_oauth2_scheme_and_each_operations_scope():
    import yaml
    from django.conf import settings

    document = yaml.safe_load((settings.BASE_DIR / "docs" / "api" / "openapi.yaml").read_text())
    flow = document["components"]["securitySchemes"]["oauth2"]["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == "/oauth/authorize/"
    assert set(flow["scopes"]) == SERVANT_SCOPES | {"staff"}
    operations = document["paths"]
    assert {"oauth2": ["boletas"]} in operations["/api/v1/boletas/"]["get"]["security"]
    assert {"oauth2": ["legajo"]} in operations["/api/v1/legajo/"]["get"]["security"]
    tray = operations["/api/v1/escalafon/solicitudes/"]["get"]["security"]
    assert {"oauth2": ["staff"]} in tray
    assert "401" in operations["/api/v1/boletas/"]["get"]["responses"]
