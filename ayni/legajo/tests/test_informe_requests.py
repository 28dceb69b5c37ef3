"""The informe escalafonario on request: the servant asks, the especialista of the unit
attends it from the tray, which issues the informe and links it to the request."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory
from ayni.core.models import AuditEvent
from ayni.documents.models import IssuedDocument
from ayni.legajo import events, services
from ayni.legajo.models import ChangeRequest, LegajoReport
from ayni.legajo.tests.factories import full_legajo
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db

INFORME = LegajoReport.Kind.INFORME


def ask(client, comment="Para mi expediente de ascenso."):
    return client.post(reverse("legajo:pedir_informe"), {"comentario": comment}, follow=True)


def test_whole_flow_servant_asks_specialist_attends_servant_downloads(
    client, servant_user, legajo, specialist
):
    client.force_login(servant_user)
    form = client.get(reverse("legajo:pedir_informe")).content.decode()
    assert "Solicitar informe escalafonario" in form
    page = ask(client).content.decode()
    change_request = ChangeRequest.objects.get(legajo=legajo)
    assert change_request.is_informe and change_request.state == ChangeRequest.State.PENDING
    assert change_request.code.startswith("SOL-")
    assert f"enviada con el código {change_request.code}" in page
    assert "Se emitirá cuando la solicitud sea atendida." in page
    listing = client.get(reverse("legajo:seguimiento")).content.decode()
    assert change_request.code in listing and "Informe escalafonario" in listing

    client.force_login(specialist)
    tray = client.get(reverse("legajo:bandeja"), {"seccion": ChangeRequest.INFORME})
    assert change_request.code in tray.content.decode()
    review = client.get(reverse("legajo:revisar", args=[change_request.pk])).content.decode()
    assert "emite el informe escalafonario" in review
    assert "Documentos sustentatorios" not in review
    response = client.post(
        reverse("legajo:decidir", args=[change_request.pk]), {"decision": "atender"}, follow=True
    )
    change_request.refresh_from_db()
    document = change_request.document
    assert change_request.state == ChangeRequest.State.APPROVED
    assert change_request.decided_by == specialist
    assert (document.kind, document.servant, document.issued_by) == (
        INFORME,
        legajo.servant,
        specialist,
    )
    assert f"se emitió el informe escalafonario {document.code}" in response.content.decode()
    assert AuditEvent.objects.filter(action=events.INFORME_ISSUED, actor=specialist).count() == 1

    client.force_login(servant_user)
    detail = client.get(reverse("legajo:solicitud", args=[change_request.pk])).content.decode()
    link = reverse("legajo:documento", args=[document.pk])
    assert link in detail and document.code in detail
    pdf = client.get(link + "?descargar=1")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # The issued informe is also among the servant's documents in «Mis constancias».
    constancias = client.get(reverse("constancias:mine")).content.decode()
    assert link in constancias and reverse("documents:verify", args=[document.code]) in constancias


def test_another_servants_ids_are_not_found(client, servant_user, legajo, other_user, specialist):
    change_request = services.request_informe(legajo, "", servant_user)
    services.decide(change_request, specialist, True)
    change_request.refresh_from_db()
    client.force_login(other_user)
    assert client.get(reverse("legajo:solicitud", args=[change_request.pk])).status_code == 404
    assert client.get(reverse("legajo:anular", args=[change_request.pk])).status_code == 404
    document_url = reverse("legajo:documento", args=[change_request.document.pk])
    assert client.get(document_url).status_code == 404
    assert document_url not in client.get(reverse("constancias:mine")).content.decode()


def test_a_specialist_of_another_unit_neither_sees_nor_attends_it(
    client, servant_user, legajo, other_ugel_specialist
):
    change_request = services.request_informe(legajo, "", servant_user)
    client.force_login(other_ugel_specialist)
    tray = client.get(reverse("legajo:bandeja")).content.decode()
    assert change_request.code not in tray
    assert client.get(reverse("legajo:revisar", args=[change_request.pk])).status_code == 404
    decided = client.post(
        reverse("legajo:decidir", args=[change_request.pk]), {"decision": "atender"}
    )
    assert decided.status_code == 404
    with pytest.raises(PermissionDenied):
        services.decide(change_request, other_ugel_specialist, True)
    change_request.refresh_from_db()
    assert change_request.state == ChangeRequest.State.PENDING
    assert change_request.document is None
    assert not IssuedDocument.objects.filter(kind=INFORME).exists()


def test_a_specialist_never_attends_their_own_informe_request(client):
    user = UserFactory()
    StaffRoleFactory(user=user, role=StaffRole.Role.ESCALAFON)
    legajo = full_legajo(servant=user.servant)
    change_request = services.request_informe(legajo, "", user)
    client.force_login(user)
    assert client.get(reverse("legajo:revisar", args=[change_request.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.decide(change_request, user, True)
    assert not IssuedDocument.objects.filter(kind=INFORME).exists()


def test_the_same_request_is_not_attended_twice(client, servant_user, legajo, specialist):
    change_request = services.request_informe(legajo, "", servant_user)
    services.decide(change_request, specialist, True)
    with pytest.raises(services.AlreadyDecided, match="ya fue atendida"):
        services.decide(change_request, specialist, True)
    client.force_login(specialist)
    response = client.post(
        reverse("legajo:decidir", args=[change_request.pk]), {"decision": "atender"}, follow=True
    )
    assert f"La solicitud {change_request.code} ya fue atendida" in response.content.decode()
    assert IssuedDocument.objects.filter(kind=INFORME).count() == 1
    assert AuditEvent.objects.filter(action=events.INFORME_ISSUED).count() == 1


def test_one_pending_informe_request_at_a_time(client, servant_user, legajo):
    client.force_login(servant_user)
    ask(client)
    first = ChangeRequest.objects.get(legajo=legajo)
    page = ask(client).content.decode()
    assert f"Ya tiene la solicitud {first.code} de informe escalafonario en trámite" in page
    assert ChangeRequest.objects.filter(legajo=legajo).count() == 1


def test_a_rejected_request_issues_nothing_and_says_why(servant_user, legajo, specialist):
    change_request = services.request_informe(legajo, "", servant_user)
    with pytest.raises(ValidationError):
        services.decide(change_request, specialist, False)  # no observation
    services.decide(change_request, specialist, False, "Falta regularizar su legajo.")
    change_request.refresh_from_db()
    assert change_request.state == ChangeRequest.State.REJECTED
    assert change_request.document is None
    assert not IssuedDocument.objects.filter(kind=INFORME).exists()


def test_without_a_current_legajo_the_servant_is_told_and_nothing_is_sent(client, legajo):
    legajo.vigente = False
    legajo.save(update_fields=["vigente"])
    client.force_login(legajo.servant.account)
    page = ask(client).content.decode()
    assert "Su legajo no está vigente en la plataforma" in page
    assert not ChangeRequest.objects.exists()
