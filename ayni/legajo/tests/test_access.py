"""Deny by default: every id in a URL is fetched within the requester's scope."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from ayni.core.models import AuditEvent
from ayni.documents.models import IssuedDocument
from ayni.legajo import services
from ayni.legajo.models import ChangeRequest, Legajo, LegajoReport
from ayni.legajo.sections import get_section
from ayni.legajo.tests.factories import SAMPLES, form_data
from ayni.organizations.tests.factories import ServantFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def issued(legajo, kind="hoja_de_vida"):
    """An issued document record of the legajo (rendering is tested elsewhere)."""
    report = LegajoReport.objects.create(legajo=legajo, kind=kind, data={}, data_sha256="0" * 64)
    document = IssuedDocument(
        kind=kind, servant=legajo.servant, source_type=ContentType.objects.get_for_model(report),
        source_id=report.pk, issued_at=timezone.now(), sha256="0" * 64,
    )  # fmt: skip
    document.file.save("documento.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


@pytest.fixture
def victim(other_user):
    """Another servant's objects of every kind: items, draft, request, attachments, PDFs."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    legajo = other_user.servant.legajo
    section = get_section("otros")
    item = section.items(legajo).get()
    services.propose_update(legajo, get_section("meritos"), get_section("meritos").items(legajo)
                            .get().pk, {"entidad": "MINEDU"})  # fmt: skip
    submitted = services.submit(
        ChangeRequest.objects.get(legajo=legajo, state="borrador"), "", other_user
    )
    services.propose_new(legajo, section, SAMPLES["otros"])
    draft_attachment = services.attach(legajo, section, SimpleUploadedFile("a.pdf", PDF))
    draft = ChangeRequest.objects.get(legajo=legajo, state="borrador")
    return {
        "legajo": legajo,
        "item": item,
        "request": submitted,
        "change": draft.changes.get(),
        "attachment": draft_attachment,
        "document": issued(legajo),
        "informe": issued(legajo, "informe_escalafonario"),
    }


def servant_urls(v):
    item = v["item"]
    return [
        ("get", reverse("legajo:proponer_modificacion", args=["otros", item.pk])),
        ("post", reverse("legajo:proponer_modificacion", args=["otros", item.pk])),
        ("get", reverse("legajo:proponer_eliminacion", args=["otros", item.pk])),
        ("post", reverse("legajo:proponer_eliminacion", args=["otros", item.pk])),
        ("post", reverse("legajo:quitar_cambio", args=["otros", v["change"].pk])),
        ("get", reverse("legajo:editar_nuevo", args=["otros", v["change"].pk])),
        ("post", reverse("legajo:quitar_adjunto", args=["otros", v["attachment"].pk])),
        ("get", reverse("legajo:adjunto", args=[v["attachment"].pk])),
        ("get", reverse("legajo:solicitud", args=[v["request"].pk])),
        ("get", reverse("legajo:anular", args=[v["request"].pk])),
        ("post", reverse("legajo:anular", args=[v["request"].pk])),
        ("get", reverse("legajo:documento", args=[v["document"].pk])),
        ("get", reverse("legajo:documento", args=[v["informe"].pk])),
    ]


def staff_urls(v):
    legajo, item = v["legajo"], v["item"]
    return [
        ("get", reverse("legajo:revisar", args=[v["request"].pk])),
        ("post", reverse("legajo:decidir", args=[v["request"].pk])),
        ("get", reverse("legajo:legajo", args=[legajo.pk])),
        ("post", reverse("legajo:vigencia", args=[legajo.pk])),
        ("get", reverse("legajo:historial", args=[legajo.pk])),
        ("post", reverse("legajo:informe", args=[legajo.pk])),
        ("get", reverse("legajo:registro_nuevo", args=[legajo.pk, "otros"])),
        ("post", reverse("legajo:registro_nuevo", args=[legajo.pk, "otros"])),
        ("get", reverse("legajo:registro", args=[legajo.pk, "otros", item.pk])),
        ("post", reverse("legajo:registro", args=[legajo.pk, "otros", item.pk])),
        ("post", reverse("legajo:eliminar_registro", args=[legajo.pk, "otros", item.pk])),
        ("get", reverse("legajo:adjunto", args=[v["attachment"].pk])),
        ("get", reverse("legajo:documento", args=[v["document"].pk])),
    ]


def nothing_changed(v):
    v["item"].refresh_from_db()
    v["request"].refresh_from_db()
    v["legajo"].refresh_from_db()
    return (
        v["request"].state == "en_solicitud"
        and v["legajo"].vigente
        and v["item"].descripcion == SAMPLES["otros"]["descripcion"]
        and v["change"].__class__.objects.filter(pk=v["change"].pk).exists()
    )


def test_a_servant_gets_404_for_every_object_of_another_servant(
    client, servant_user, legajo, victim
):
    client.force_login(servant_user)
    for method, url in servant_urls(victim):
        response = getattr(client, method)(url, form_data(SAMPLES["otros"]))
        assert response.status_code == 404, (method, url)
    assert nothing_changed(victim)
    assert victim["request"].code not in client.get(reverse("legajo:seguimiento")).content.decode()


def test_a_specialist_of_another_ugel_gets_404_for_everything_here(
    client, other_ugel_specialist, victim
):
    client.force_login(other_ugel_specialist)
    for method, url in staff_urls(victim):
        response = getattr(client, method)(url, {"decision": "atender", "vigente": "0"})
        assert response.status_code == 404, (method, url)
    assert nothing_changed(victim)
    servant = ServantFactory()
    assert client.post(reverse("legajo:abrir", args=[servant.pk])).status_code == 404
    assert not Legajo.objects.filter(servant=servant).exists()
    tray = client.get(reverse("legajo:bandeja"), {"estado": ""}).content.decode()
    assert victim["request"].code not in tray
    search = client.get(reverse("legajo:legajos"), {"q": ""}).content.decode()
    assert victim["legajo"].servant.document_number not in search


def test_the_specialist_of_the_unit_reaches_them_and_is_audited(client, specialist, victim):
    client.force_login(specialist)
    for method, url in staff_urls(victim):
        if method == "get" and "adjuntos" not in url:  # the attachment is still a draft
            assert client.get(url).status_code == 200, url
    assert AuditEvent.objects.filter(
        actor=specialist, action="legajo.ver_personal", target_id=str(victim["legajo"].pk)
    ).exists()
    assert AuditEvent.objects.filter(actor=specialist, action="legajo.solicitud_revisar").exists()
    client.get(reverse("legajo:bandeja"))
    client.get(reverse("legajo:legajos"), {"q": "QUISPE"})
    assert AuditEvent.objects.filter(actor=specialist, action="legajo.bandeja_ver").exists()
    assert AuditEvent.objects.get(actor=specialist, action="legajo.buscar").details == {
        "consulta": "QUISPE"
    }


def test_servants_are_refused_the_specialist_pages(client, servant_user, legajo):
    client.force_login(servant_user)
    for name in ("legajo:bandeja", "legajo:legajos"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("legajo:legajo", args=[legajo.pk])).status_code == 403


def test_accounts_without_a_servant_have_no_own_legajo_pages(client, specialist):
    client.force_login(specialist)
    for name in ("legajo:mi_legajo", "legajo:actualizar", "legajo:seguimiento",
                 "legajo:hoja_de_vida", "legajo:hoja_de_vida_pdf"):  # fmt: skip
        assert client.get(reverse(name)).status_code == 404, name


def test_anonymous_visitors_are_sent_to_log_in(client, legajo):
    for name in ("legajo:mi_legajo", "legajo:actualizar", "legajo:seguimiento",
                 "legajo:hoja_de_vida", "legajo:bandeja", "legajo:legajos"):  # fmt: skip
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"]
    response = client.get(reverse("legajo:legajo", args=[legajo.pk]))
    assert response.status_code == 302


def test_a_servants_own_documents_are_served(client, servant_user, legajo):
    document = issued(legajo)
    client.force_login(servant_user)
    response = client.get(reverse("legajo:documento", args=[document.pk]))
    assert response.status_code == 200 and response.content == PDF
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(actor=servant_user, action="legajo.documento_ver").exists()
