"""What each endpoint answers, and that it goes through the apps' own services."""

import pytest
from django.urls import reverse

from ayni.api.tests.conftest import signed_in
from ayni.boletas import events as boleta_events
from ayni.core.models import AuditEvent
from ayni.delivery.models import BoletaAccess
from ayni.legajo import services as legajo_services
from ayni.legajo.models import ChangeRequest
from ayni.legajo.sections import SECTIONS, get_section

pytestmark = pytest.mark.django_db


def test_profile(rosa):
    data = signed_in(rosa.user).get(reverse("api:profile")).json()
    assert data["usuario"] == "40000001"
    assert data["servidor"]["numero_documento"] == "40000001"
    assert data["servidor"]["unidad"] == {"codigo": "150108", "nombre": "UGEL 07 SAN BORJA"}


def test_boletas_list_filters_and_one_boleta(rosa):
    client = signed_in(rosa.user)
    data = client.get(reverse("api:boletas")).json()
    assert data["count"] == 1
    boleta = data["results"][0]
    assert boleta["periodo"] == "2022-06" and boleta["monto_a_pagar"] == "2521.90"
    assert boleta["pdf_emitido"] is False and boleta["vista_por_primera_vez"] is None
    assert client.get(reverse("api:boletas"), {"anio": 2022, "mes": 6}).json()["count"] == 1
    assert client.get(reverse("api:boletas"), {"anio": 2022, "mes": 5}).json()["count"] == 0
    assert AuditEvent.objects.filter(action=boleta_events.OWN_LISTED).count() == 3

    one = client.get(reverse("api:boleta", args=[rosa.boleta.pk])).json()
    assert [c["codigo"] for c in one["conceptos"]][:2] == ["+rim", "+asigjer"]
    assert one["total_descuentos"] == "408.22"


def test_a_bad_filter_is_refused_in_spanish_and_lists_nothing(rosa):
    response = signed_in(rosa.user).get(reverse("api:boletas"), {"mes": "13"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["codigo"] == "datos_invalidos"
    assert error["mensaje"] == "Revise los datos enviados."
    assert list(error["campos"]) == ["mes"]
    assert "13" in error["campos"]["mes"][0] and "válida" in error["campos"]["mes"][0]


@pytest.mark.parametrize(("query", "kind", "event"), [
    ({}, BoletaAccess.Kind.VIEW, boleta_events.OWN_VIEWED),
    ({"descargar": ""}, BoletaAccess.Kind.DOWNLOAD, boleta_events.OWN_DOWNLOADED),
])  # fmt: skip
def test_boleta_pdf_is_audited_and_kept_as_a_delivery_proof(rosa, query, kind, event):
    response = signed_in(rosa.user).get(reverse("api:boleta-pdf", args=[rosa.boleta.pk]), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    access = BoletaAccess.objects.get(boleta=rosa.boleta)
    assert access.kind == kind
    line = AuditEvent.objects.get(action=event)
    assert line.actor == rosa.user and line.details["canal"] == "api"
    # The list now shows it as seen, as «Mi boleta» does.
    listed = signed_in(rosa.user).get(reverse("api:boletas")).json()["results"][0]
    assert listed["pdf_emitido"] is True and listed["vista_por_primera_vez"] is not None


def test_boleta_pdf_answers_the_pdf_whatever_accept_says(rosa):
    client = signed_in(rosa.user)
    target = reverse("api:boleta-pdf", args=[rosa.boleta.pk])
    assert client.get(target, HTTP_ACCEPT="application/pdf").status_code == 200
    missing = client.get(reverse("api:boleta-pdf", args=[0]), HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"


def test_staff_boleta_pdf_is_recorded_as_staff_not_as_delivery(jose, boletas_admin):
    client = signed_in(boletas_admin)
    assert client.get(reverse("api:staff-boleta-pdf", args=[jose.boleta.pk])).status_code == 200
    assert not BoletaAccess.objects.exists()
    assert AuditEvent.objects.filter(action=boleta_events.STAFF_VIEWED).count() == 1


def test_legajo_shows_every_section_as_the_web(rosa):
    data = signed_in(rosa.user).get(reverse("api:legajo")).json()
    assert [s["clave"] for s in data["secciones"]] == [s.key for s in SECTIONS]
    formacion = next(s for s in data["secciones"] if s["clave"] == "formacion")
    assert len(formacion["filas"]) == 1
    assert len(formacion["filas"][0]["valores"]) == len(formacion["encabezados"])


def test_legajo_of_a_servant_without_one_is_404_in_spanish(sample_imported, demo_servants):
    from ayni.accounts.tests.factories import UserFactory

    user = UserFactory(servant=demo_servants[0])
    response = signed_in(user).get(reverse("api:legajo"))
    assert response.status_code == 404
    assert response.json()["error"]["mensaje"] == "Todavía no tiene un legajo en la plataforma."


def test_requests_submit_a_draft_then_annul_it(rosa):
    client = signed_in(rosa.user)
    assert client.post(reverse("api:request-annul", args=[rosa.request.pk])).status_code == 200
    rosa.draft(registro="0555-2001")

    response = client.post(reverse("api:requests"), {"seccion": "formacion",
                                                    "comentario": "Título corregido"})  # fmt: skip
    assert response.status_code == 201
    created = response.json()
    assert created["codigo"].startswith("SOL-") and created["estado"] == "en_solicitud"
    assert created["comentario"] == "Título corregido"
    assert created["cambios"][0]["accion"] == "modificacion"
    assert ChangeRequest.objects.get(pk=created["id"]).state == ChangeRequest.State.PENDING
    listed = client.get(reverse("api:requests")).json()
    assert [r["codigo"] for r in listed["results"]][0] == created["codigo"]

    annulled = client.post(reverse("api:request-annul", args=[created["id"]]))
    assert annulled.json()["estado"] == "anulado"
    again = client.post(reverse("api:request-annul", args=[created["id"]]))
    assert again.status_code == 409
    assert again.json()["error"]["codigo"] == "conflicto"
    assert "ya fue anulada" in again.json()["error"]["mensaje"]


def test_submitting_without_a_draft_is_404_and_an_unknown_section_400(rosa):
    client = signed_in(rosa.user)
    response = client.post(reverse("api:requests"), {"seccion": "idiomas"})
    assert response.status_code == 404
    assert "No tiene un borrador en esa sección" in response.json()["error"]["mensaje"]
    response = client.post(reverse("api:requests"), {"seccion": "nada"})
    assert response.status_code == 400
    assert list(response.json()["error"]["campos"]) == ["seccion"]


def test_the_services_refusal_comes_in_the_json_shape_and_changes_nothing(rosa):
    """The legajo service's own rule (a request needs a change), in Spanish."""
    section = get_section("idiomas")
    item = section.items(rosa.legajo).get()
    legajo_services.withdraw_change(
        legajo_services.propose_update(rosa.legajo, section, item.pk, {"nivel": "basico"})
    )
    response = signed_in(rosa.user).post(reverse("api:requests"), {"seccion": "idiomas"})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "codigo": "datos_invalidos",
        "mensaje": "Agregue al menos un cambio antes de enviar la solicitud.",
        "campos": {},
    }
    assert ChangeRequest.objects.get(legajo=rosa.legajo, section="idiomas").state == "borrador"


def test_documents_list_and_pdf(rosa):
    client = signed_in(rosa.user)
    listed = client.get(reverse("api:documents")).json()
    assert [d["codigo"] for d in listed["results"]] == [rosa.document.code]
    response = client.get(reverse("api:document-pdf", args=[rosa.document.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_tray_read_and_decide(jose, specialist, django_capture_on_commit_callbacks):
    client = signed_in(specialist)
    tray = client.get(reverse("api:tray")).json()
    assert [r["codigo"] for r in tray["results"]] == [jose.request.code]
    assert tray["results"][0]["servidor"]["numero_documento"] == "40000002"
    assert client.get(reverse("api:tray"), {"estado": "atendido"}).json()["count"] == 0

    decide = reverse("api:tray-decide", args=[jose.request.pk])
    refused = client.post(decide, {"decision": "rechazar"})
    assert refused.status_code == 400
    assert refused.json()["error"]["campos"] == {
        "observation": ["Escriba el motivo del rechazo (observación)."]
    }
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(decide, {"decision": "atender"})
    assert decided.status_code == 200 and decided.json()["estado"] == "atendido"
    jose.request.refresh_from_db()
    assert jose.request.state == "atendido" and jose.request.decided_by == specialist
    assert get_section("formacion").items(jose.legajo).get().registro == "0999-2001"
    twice = client.post(decide, {"decision": "rechazar", "observacion": "No"})
    assert twice.status_code == 409


def test_boletas_search_and_import_status(jose, boletas_admin):
    client = signed_in(boletas_admin)
    found = client.get(reverse("api:staff-servants"), {"q": "40000002"}).json()
    assert [s["id"] for s in found["results"]] == [jose.user.servant.pk]
    short = client.get(reverse("api:staff-servants"), {"q": "4"})
    assert short.status_code == 400 and list(short.json()["error"]["campos"]) == ["q"]
    boletas = client.get(reverse("api:staff-servant-boletas", args=[jose.user.servant.pk]))
    assert [b["id"] for b in boletas.json()["results"]] == [jose.boleta.pk]
    imports = client.get(reverse("api:imports")).json()
    assert [i["id"] for i in imports["results"]] == [jose.boleta.imported_in_id]
    one = client.get(reverse("api:import", args=[jose.boleta.imported_in_id])).json()
    assert one["estado"] == "importado" and one["pdf"]["total"] == 2
    assert one["entidades"] == [{"codigo": "150108", "nombre": "UGEL 07 SAN BORJA"}]
