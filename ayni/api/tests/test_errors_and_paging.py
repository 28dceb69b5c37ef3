"""One JSON error shape with Spanish messages for every refusal, and the pages."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ayni.api.tests.conftest import signed_in
from ayni.core.models import AuditEvent
from ayni.documents import events as document_events
from ayni.organizations.models import Servant, Unit

pytestmark = pytest.mark.django_db
TOKEN = "a" * 32  # the form of a CSRF secret (Django accepts it as cookie and header)


def assert_error(response, status, codigo):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"codigo", "mensaje", "campos"}
    assert body["error"]["codigo"] == codigo
    return body["error"]


def test_unsafe_methods_need_the_csrf_token(rosa):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(rosa.user)
    target = reverse("api:request-annul", args=[rosa.request.pk])
    error = assert_error(client.post(target), 403, "csrf")
    assert "X-CSRFToken" in error["mensaje"]
    rosa.request.refresh_from_db()
    assert rosa.request.state == "en_solicitud"
    # With the cookie's token in the X-CSRFToken header it goes through.
    client.cookies["csrftoken"] = TOKEN
    response = client.post(target, HTTP_X_CSRFTOKEN=TOKEN)
    assert response.status_code == 200 and response.json()["estado"] == "anulado"


def test_unknown_address_and_wrong_method(rosa):
    client = signed_in(rosa.user)
    error = assert_error(client.get("/api/v1/no-existe/"), 404, "no_encontrado")
    assert error["mensaje"] == "No encontrado: no existe o no está a su alcance."
    error = assert_error(client.delete(reverse("api:boletas")), 405, "metodo_no_permitido")
    assert error["mensaje"] == "Esta dirección no admite el método HTTP usado."
    error = assert_error(
        client.post(reverse("api:requests"), "{no es json", content_type="application/json"),
        400, "json_invalido",
    )  # fmt: skip
    assert error["mensaje"] == "El cuerpo del pedido no es un JSON válido."


@pytest.fixture
def many_servants(db):
    unit = Unit.objects.get(code="150108")
    Servant.objects.bulk_create(
        Servant(document_type="DNI", document_number=f"{50000000 + n}", apellido_paterno="PAZ",
                nombres=f"SERVIDOR {n}", unit=unit)
        for n in range(105)
    )  # fmt: skip


def test_pages_of_20_up_to_100(many_servants, boletas_admin):
    client = signed_in(boletas_admin)
    search = reverse("api:staff-servants")
    first = client.get(search, {"q": "5000"}).json()
    assert first["count"] == 105 and len(first["results"]) == 20
    assert first["previous"] is None and "pagina=2" in first["next"]
    last = client.get(search, {"q": "5000", "pagina": 6}).json()
    assert len(last["results"]) == 5 and last["next"] is None
    assert len(client.get(search, {"q": "5000", "por_pagina": 50}).json()["results"]) == 50
    assert len(client.get(search, {"q": "5000", "por_pagina": 500}).json()["results"]) == 100
    error = assert_error(client.get(search, {"q": "5000", "pagina": 7}), 404, "no_encontrado")
    assert error["mensaje"] == "La página pedida no existe."


def test_verification_is_public_and_shows_the_public_summary(api, rosa):
    response = api.get(reverse("api:verification", args=[rosa.document.code]))
    assert response.status_code == 200
    data = response.json()
    assert data["codigo"] == rosa.document.code and data["estado"] == "valida"
    assert data["sha256"] == rosa.document.sha256
    assert data["titulo"] and data["campos"]
    shown = str(data["campos"])
    assert rosa.user.servant.document_number not in shown  # masked, as on the page
    line = AuditEvent.objects.get(action=document_events.VERIFIED)
    assert line.details == {"resultado": "valida", "canal": "api"}


def test_verification_of_an_unknown_code_is_404_in_spanish(api):
    error = assert_error(api.get(reverse("api:verification", args=["NOEXISTE"])), 404,
                         "no_encontrado")  # fmt: skip
    assert error["mensaje"] == "No hay ningún documento emitido con ese código."


def test_verification_shares_the_pages_limit(api, rosa, settings):
    settings.AYNI_VERIFICATIONS_PER_MINUTE = 2
    endpoint = reverse("api:verification", args=[rosa.document.code])
    assert api.get(endpoint).status_code == 200
    assert api.get(reverse("documents:verify", args=[rosa.document.code])).status_code == 200
    error = assert_error(api.get(endpoint), 429, "demasiados_pedidos")
    assert "Espere un minuto" in error["mensaje"]


def test_an_unexpected_fault_answers_500_in_the_same_shape(rosa, monkeypatch, caplog):
    def broken(user):
        raise RuntimeError("fallo de prueba")

    monkeypatch.setattr("ayni.api.views.legajo.own_legajo", broken)
    error = assert_error(signed_in(rosa.user).get(reverse("api:legajo")), 500, "error_interno")
    assert error["mensaje"].startswith("Ocurrió un error inesperado")
    assert "fallo de prueba" not in error["mensaje"]
    assert any("fallo de prueba" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
