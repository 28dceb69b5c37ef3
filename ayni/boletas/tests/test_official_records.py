"""Boletas, planilla imports and issued documents are official records: nobody changes them in
place (admin, services, model layer); a corrected planilla annuls and reissues."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas.issuing import boleta_document
from ayni.boletas.models import Boleta, PlanillaImport
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import ROSA_LINES, boleta_rows
from ayni.documents.models import IssuedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(sample_imported):
    boleta = Boleta.objects.get(servant__document_number="40000001")
    document, _ = boleta_document(boleta, None)
    return boleta, document


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def raw_set_conceptos(boleta, text):
    """What a broken tool could leave in the table (bypassing every guard)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE boletas_boleta SET conceptos = %s WHERE id = %s", [text, boleta.pk])


def snapshot(model, pk):
    return model.objects.filter(pk=pk).values().get()


# --- the admin: view only -----------------------------------------------------------------
def admin_urls(model, pk):
    info = (model._meta.app_label, model._meta.model_name)
    return {
        "changelist": reverse("admin:{}_{}_changelist".format(*info)),
        "add": reverse("admin:{}_{}_add".format(*info)),
        "change": reverse("admin:{}_{}_change".format(*info), args=[pk]),
        "delete": reverse("admin:{}_{}_delete".format(*info), args=[pk]),
        "history": reverse("admin:{}_{}_history".format(*info), args=[pk]),
    }


def official_rows(boleta, document):
    return [
        (Boleta, boleta.pk),
        (PlanillaImport, boleta.imported_in_id),
        (IssuedDocument, document.pk),
    ]


def test_the_admin_shows_official_records_read_only(client, superuser, issued):
    boleta, document = issued
    for model, pk in official_rows(boleta, document):
        urls = admin_urls(model, pk)
        assert client.get(urls["changelist"]).status_code == 200, model
        page = client.get(urls["change"])
        assert page.status_code == 200, model
        html = page.content.decode()
        assert 'name="_save"' not in html and "<textarea" not in html, model
        assert 'name="_continue"' not in html, model
        assert client.get(urls["add"]).status_code == 403, model
        assert client.get(urls["delete"]).status_code == 403, model
        assert client.get(urls["history"]).status_code == 200, model


def test_no_admin_post_changes_an_official_record(client, superuser, issued):
    boleta, document = issued
    forged = '[["+rim","REMUNERACION","INGRESO","99999.00"]]'
    for model, pk in official_rows(boleta, document):
        before = snapshot(model, pk)
        count = model.objects.count()
        urls = admin_urls(model, pk)
        fields = {name: value for name, value in before.items() if value is not None}
        posted = {**fields, "conceptos": forged, "state": "anulado", "sha256": "0" * 64,
                  "file_name": "otro.csv", "_save": "Guardar"}  # fmt: skip
        assert client.post(urls["change"], posted).status_code == 403, model
        assert client.post(urls["add"], posted).status_code == 403, model
        assert client.post(urls["delete"], {"post": "yes"}).status_code == 403, model
        action = {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}
        client.post(urls["changelist"], action)
        assert snapshot(model, pk) == before, model
        assert model.objects.count() == count, model


def test_the_admin_shows_damaged_conceptos_without_failing(client, superuser, issued):
    boleta, document = issued
    raw_set_conceptos(boleta, '[["+rim", "sin monto"]')
    page = client.get(admin_urls(Boleta, boleta.pk)["change"])
    assert page.status_code == 200
    assert "Los conceptos guardados de esta boleta están dañados" in page.content.decode()


# --- the model layer and the services -------------------------------------------------------
def test_a_boleta_is_never_saved_again_nor_deleted(issued):
    boleta, _ = issued
    before = snapshot(Boleta, boleta.pk)
    boleta.conceptos = '[["+rim","REMUNERACION","INGRESO","99999.00"]]'
    with pytest.raises(ValidationError, match="no se modifica"):
        boleta.save()
    with pytest.raises(ValidationError, match="no se elimina"):
        boleta.delete()
    with pytest.raises(ValidationError, match="no se modifica"):
        Boleta.objects.filter(pk=boleta.pk).update(conceptos="[]")
    with pytest.raises(ValidationError, match="no se modifica"):
        Boleta.objects.filter(pk=boleta.pk).update(state=Boleta.State.CURRENT, net=0)
    with pytest.raises(ValidationError, match="no se modifica"):
        Boleta.objects.bulk_update([boleta], ["conceptos"])
    with pytest.raises(ValidationError, match="no se elimina"):
        Boleta.objects.filter(pk=boleta.pk).delete()
    assert snapshot(Boleta, boleta.pk) == before


def test_an_issued_document_only_goes_from_valid_to_annulled(issued):
    _, document = issued
    document.sha256 = "0" * 64
    with pytest.raises(ValidationError, match="no se modifica"):
        document.save()
    document.refresh_from_db()
    with pytest.raises(ValidationError, match="no se elimina"):
        document.delete()
    with pytest.raises(ValidationError, match="no se elimina"):
        IssuedDocument.objects.filter(pk=document.pk).delete()
    with pytest.raises(ValidationError, match="no se modifica"):
        IssuedDocument.objects.filter(pk=document.pk).update(sha256="0" * 64)
    with pytest.raises(ValidationError, match="no se modifica"):
        IssuedDocument.objects.filter(pk=document.pk).update(state=IssuedDocument.State.VALID)
    document.state = IssuedDocument.State.ANNULLED
    document.save()  # the documented transition
    document.refresh_from_db()
    assert document.state == IssuedDocument.State.ANNULLED
    document.state = IssuedDocument.State.VALID
    with pytest.raises(ValidationError, match="no vuelve a ser válido"):
        document.save()
    document.refresh_from_db()
    assert document.state == IssuedDocument.State.ANNULLED


def test_a_finished_import_record_is_never_changed(issued):
    boleta, _ = issued
    record = boleta.imported_in
    record.boletas_created = 99
    with pytest.raises(ValidationError, match="no se modifica"):
        record.save()
    with pytest.raises(ValidationError, match="no se elimina"):
        PlanillaImport.objects.get(pk=record.pk).delete()
    assert PlanillaImport.objects.get(pk=record.pk).boletas_created == 2


def test_a_corrected_planilla_still_annuls_and_reissues(issued):
    boleta, document = issued
    lines = [*ROSA_LINES[:-1], ("essalud", "ESSALUD 9%", "APORTE", "270.00")]
    result = run_import(boleta_rows(lines=lines))
    assert result.ok and result.replaced == 1, result.problems
    boleta.refresh_from_db()
    document.refresh_from_db()
    assert boleta.state == Boleta.State.ANNULLED and boleta.annulled_in == result.planilla_import
    assert document.state == IssuedDocument.State.ANNULLED
    new = Boleta.objects.get(servant=boleta.servant, state=Boleta.State.CURRENT)
    assert "270.00" in new.conceptos


# --- ¿Qué cambió? with damaged stored lines ---------------------------------------------------
@pytest.mark.parametrize(
    "damaged",
    ['[["+rim", "sin monto"]', '{"a": 1}', '[["+rim","X","INGRESO","mil"]]',
     '[["+rim","X","OTRO","1.00"]]', "[[1, 2, 3, 4, 5]]"],
)  # fmt: skip
def test_que_cambio_with_damaged_lines_says_so_instead_of_failing(client, demo_servants, damaged):
    assert run_import(boleta_rows(periodo="2022-05") + boleta_rows(periodo="2022-06")).ok
    june = Boleta.objects.get(period="2022-06-01")
    raw_set_conceptos(june, damaged)
    client.force_login(UserFactory(servant=demo_servants[0]))
    response = client.get(reverse("boletas:changes", args=[june.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "No se pueden comparar los conceptos de esta boleta" in page
    assert "Conceptos nuevos" not in page
