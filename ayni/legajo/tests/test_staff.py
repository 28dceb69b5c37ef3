"""Escalafón specialists: the tray, direct edits with history, opening legajos, vigencia."""

from datetime import timedelta

import pytest
from django.db.models import CharField
from django.urls import reverse
from django.utils import timezone

from ayni.core.models import AuditEvent
from ayni.legajo import services
from ayni.legajo.models import Action, ChangeRequest, ItemHistory, Legajo
from ayni.legajo.sections import SECTIONS, get_section
from ayni.legajo.tests.factories import SAMPLES, form_data, full_legajo
from ayni.organizations.models import Unit
from ayni.organizations.tests.factories import ServantFactory, UnitFactory

pytestmark = pytest.mark.django_db


def submitted(legajo, key, when, user=None):
    services.propose_new(legajo, get_section(key), SAMPLES[key])
    draft = ChangeRequest.objects.get(legajo=legajo, section=key, state="borrador")
    request = services.submit(draft, "", user)
    ChangeRequest.objects.filter(pk=request.pk).update(submitted_at=when)
    return request


@pytest.fixture
def tray_requests(specialist):
    """Requests of three servants of UGEL 07 (one at a school of it) and one of UGEL 03."""
    now = timezone.now()
    school = UnitFactory(code="0321999", parent=Unit.objects.get(code="150108"))
    a = full_legajo(servant=ServantFactory(document_number="45000001"))
    b = full_legajo(servant=ServantFactory(document_number="45000002", unit=school))
    c = full_legajo(servant=ServantFactory(document_number="45000003"))
    elsewhere = full_legajo(
        servant=ServantFactory(document_number="45000004"),
        unit=Unit.objects.get(code="150104"),
    )
    newest = submitted(a, "otros", now - timedelta(days=1))
    oldest = submitted(b, "meritos", now - timedelta(days=20))
    middle = submitted(c, "otros", now - timedelta(days=5))
    decided = submitted(a, "meritos", now - timedelta(days=30))
    services.decide(decided, specialist, False, "No procede.")
    outside = submitted(elsewhere, "otros", now - timedelta(days=40))
    return {"newest": newest, "oldest": oldest, "middle": middle, "decided": decided,
            "outside": outside}  # fmt: skip


def codes_in(page, requests):
    found = [(page.index(r.code), r.code) for r in requests if r.code in page]
    return [code for _, code in sorted(found)]


def test_tray_shows_pending_oldest_first_with_counts(client, specialist, tray_requests):
    client.force_login(specialist)
    page = client.get(reverse("legajo:bandeja")).content.decode()
    r = tray_requests
    assert codes_in(page, r.values()) == [r["oldest"].code, r["middle"].code, r["newest"].code]
    assert '<span class="count">3</span> En solicitud' in page
    assert '<span class="count">1</span> Rechazado' in page
    assert '<span class="count">0</span> Atendido' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"estado": ""}, ["decided", "oldest", "middle", "newest"]),
        ({"estado": "rechazado"}, ["decided"]),
        ({"estado": "", "seccion": "meritos"}, ["decided", "oldest"]),
        ({"estado": "", "documento": "45000003"}, ["middle"]),
        ({"estado": "en_solicitud", "desde": "DAYS-10"}, ["middle", "newest"]),
        ({"estado": "", "hasta": "DAYS-10"}, ["decided", "oldest"]),
    ],
)
def test_tray_filters(client, specialist, tray_requests, query, expected):
    today = timezone.localdate()
    query = {
        k: (today - timedelta(days=10)).isoformat() if v == "DAYS-10" else v
        for k, v in query.items()
    }
    client.force_login(specialist)
    page = client.get(reverse("legajo:bandeja"), query).content.decode()
    assert codes_in(page, tray_requests.values()) == [tray_requests[k].code for k in expected]


def test_tray_reports_bad_filters_in_spanish(client, specialist, tray_requests):
    client.force_login(specialist)
    page = client.get(
        reverse("legajo:bandeja"), {"desde": "2026-05-10", "hasta": "2026-05-01", "documento": "4%"}
    ).content.decode()
    assert "Debe ser igual o posterior a la fecha «desde»." in page
    assert "Escriba solo números o letras del documento" in page
    assert codes_in(page, tray_requests.values()) == []


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.key)
def test_specialist_creates_edits_and_deletes_items_of_every_section_with_history(
    client, specialist, section
):
    legajo = Legajo.objects.create(servant=ServantFactory(), unit=Unit.objects.get(code="150108"))
    client.force_login(specialist)
    new_url = reverse("legajo:registro_nuevo", args=[legajo.pk, section.key])
    assert client.get(new_url).status_code == 200
    response = client.post(new_url, form_data(SAMPLES[section.key]))
    assert response.status_code == 302, response.content.decode()[:3000]
    item = section.items(legajo).get()

    first_text = next(
        name for name in section.fields
        if type(section.model._meta.get_field(name)) is CharField
        and not section.model._meta.get_field(name).choices
    )  # fmt: skip
    changed = {**SAMPLES[section.key], first_text: "CORREGIDO"}
    edit_url = reverse("legajo:registro", args=[legajo.pk, section.key, item.pk])
    assert client.post(edit_url, form_data(changed)).status_code == 302
    client.post(reverse("legajo:eliminar_registro", args=[legajo.pk, section.key, item.pk]))
    assert not section.items(legajo).exists()

    history = list(
        ItemHistory.objects.filter(legajo=legajo, section=section.key, item_id=item.pk)
        .order_by("at", "id")
        .values_list("action", "actor", "change_request")
    )
    assert history == [
        (Action.CREATE, specialist.pk, None),
        (Action.UPDATE, specialist.pk, None),
        (Action.DELETE, specialist.pk, None),
    ]
    update = ItemHistory.objects.get(item_id=item.pk, section=section.key, action=Action.UPDATE)
    assert update.before[first_text] != update.after[first_text]
    assert update.after[first_text] == section.to_json(first_text, changed[first_text])


def test_direct_edit_validates_like_any_other(client, specialist, legajo):
    client.force_login(specialist)
    item = get_section("licencias").items(legajo).get()
    url = reverse("legajo:registro", args=[legajo.pk, "licencias", item.pk])
    data = form_data({**SAMPLES["licencias"], "fecha_fin": SAMPLES["licencias"]["fecha_inicio"]
                      - timedelta(days=1)})  # fmt: skip
    page = client.post(url, data).content.decode()
    assert "Debe ser igual o posterior a la fecha de inicio." in page
    item.refresh_from_db()
    assert item.fecha_fin == SAMPLES["licencias"]["fecha_fin"]
    assert not ItemHistory.objects.filter(item_id=item.pk, section="licencias").exists()


def test_history_page_shows_who_when_and_which_request(client, specialist, legajo, servant_user):
    request = submitted(legajo, "otros", timezone.now(), servant_user)
    services.decide(request, specialist, True)
    client.force_login(specialist)
    page = client.get(reverse("legajo:historial", args=[legajo.pk])).content.decode()
    assert f"por la solicitud {request.code}" in page
    assert "X. Otros · Nuevo registro" in page
    assert specialist.username in page


def test_opening_a_legajo_for_a_servant_of_a_school_of_the_ugel(client, specialist):
    school = UnitFactory(code="0321998", parent=Unit.objects.get(code="150108"))
    servant = ServantFactory(unit=school)
    client.force_login(specialist)
    listing = client.get(reverse("legajo:legajos"), {"q": servant.document_number})
    assert "Sin legajo" in listing.content.decode()
    response = client.post(reverse("legajo:abrir", args=[servant.pk]))
    legajo = Legajo.objects.get(servant=servant)
    assert response["Location"] == reverse("legajo:legajo", args=[legajo.pk])
    assert legajo.unit.code == "150108" and legajo.vigente  # kept by the UGEL, not the school
    opened = ItemHistory.objects.get(legajo=legajo, section="legajo")
    assert opened.action == Action.CREATE and opened.actor == specialist
    again = client.post(reverse("legajo:abrir", args=[servant.pk]), follow=True)
    assert "ya tiene legajo" in again.content.decode()


def test_marking_vigente_or_not_keeps_history_and_drives_the_notice(
    client, specialist, servant_user, legajo
):
    client.force_login(specialist)
    client.post(reverse("legajo:vigencia", args=[legajo.pk]), {"vigente": "0"})
    legajo.refresh_from_db()
    assert not legajo.vigente
    change = ItemHistory.objects.get(legajo=legajo, section="legajo", action=Action.UPDATE)
    assert (change.before, change.after) == ({"vigente": True}, {"vigente": False})
    assert AuditEvent.objects.filter(action="legajo.vigencia", actor=specialist).exists()
    client.force_login(servant_user)
    page = client.get(reverse("legajo:mi_legajo")).content.decode()
    assert "USTED NO TIENE LEGAJO CREADO O VIGENTE" in page


def test_search_by_name_or_document(client, specialist, legajo):
    client.force_login(specialist)
    servant = legajo.servant
    by_name = client.get(reverse("legajo:legajos"), {"q": servant.apellido_paterno.lower()})
    assert servant.document_number in by_name.content.decode()
    by_document = client.get(reverse("legajo:legajos"), {"q": servant.document_number[:5]})
    assert servant.full_name in by_document.content.decode()
    assert "Ver legajo" in by_document.content.decode()
