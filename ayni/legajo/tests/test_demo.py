import pytest
from django.core.management import call_command

from ayni.accounts.models import User
from ayni.boletas.models import Boleta
from ayni.legajo.models import (
    ChangeRequest,
    DatosPersonales,
    Formacion,
    Ingreso,
    ItemHistory,
    Legajo,
    RetiroPension,
)
from ayni.legajo.sections import SECTIONS
from ayni.legajo.selectors import tray

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", servidores=30, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_legajos_requests_in_every_state_and_one_servant_without():
    seed()
    rosa = Legajo.objects.get(servant__document_number="40000001")
    assert rosa.vigente and rosa.unit.code == "150108"
    for section in SECTIONS:
        assert section.items(rosa).exists(), section.key
    states = set(ChangeRequest.objects.filter(legajo=rosa).values_list("state", flat=True))
    assert states == {"borrador", "en_solicitud", "atendido", "rechazado", "anulado"}
    approved = ChangeRequest.objects.get(legajo=rosa, state="atendido")
    maestria = Formacion.objects.get(legajo=rosa, nivel="maestria")  # really applied
    assert ItemHistory.objects.filter(change_request=approved, item_id=maestria.pk).exists()
    assert ChangeRequest.objects.get(legajo=rosa, state="en_solicitud").attachments.exists()

    assert not Legajo.objects.filter(servant__document_number="40000002").exists()
    staff = Legajo.objects.filter(servant__document_number__in=["40000100", "40000103"])
    assert staff.count() == 2  # staff accounts are servants with a legajo too
    generated = Legajo.objects.filter(servant__document_number__startswith="41")
    assert generated.count() == 30 - 7  # three of every four
    assert generated.filter(vigente=False).exists()
    specialist = User.objects.get(username="40000100")
    assert tray(specialist, state="en_solicitud").count() > 1

    counts = (Legajo.objects.count(), ChangeRequest.objects.count(), ItemHistory.objects.count())
    seed()
    assert (Legajo.objects.count(), ChangeRequest.objects.count(),
            ItemHistory.objects.count()) == counts  # fmt: skip


def generated_formacion():
    return list(
        Formacion.objects.filter(legajo__servant__document_number__startswith="41")
        .order_by("legajo__servant__document_number")
        .values_list("legajo__servant__document_number", "especialidad", "fecha_expedicion")
    )


def test_demo_generated_legajos_are_deterministic():
    seed()
    first = generated_formacion()
    generated = Legajo.objects.filter(servant__document_number__startswith="41")
    ChangeRequest.objects.filter(legajo__in=generated).delete()
    generated.delete()
    seed()
    assert generated_formacion() == first


def test_demo_boletas_and_legajos_tell_one_set_of_facts():
    seed()
    for document in ("40000001", "40000003"):
        legajo = Legajo.objects.get(servant__document_number=document)
        boletas = Boleta.objects.filter(servant=legajo.servant)
        facts = set(boletas.values_list("codigo_modular", "hire_date", "pension_system", "cuspp"))
        assert len(facts) == 1, document  # every boleta says the same
        modular, hired, pension, cuspp = facts.pop()
        assert DatosPersonales.objects.get(legajo=legajo).codigo_modular == modular
        assert Ingreso.objects.filter(legajo=legajo).earliest("fecha_inicio").fecha_inicio == hired
        affiliation = RetiroPension.objects.get(legajo=legajo, tipo="afiliacion")
        if pension == "SNP":
            assert (affiliation.regimen_pensionario, affiliation.cuspp) == ("dl_19990", "")
        else:
            assert (affiliation.regimen_pensionario, affiliation.entidad, affiliation.cuspp) == (
                "spp",
                pension,
                cuspp,
            )


def test_demo_ceased_servant_has_boletas_up_to_the_month_of_the_cese():
    seed()
    legajo = Legajo.objects.get(servant__document_number="40000003")
    cese = RetiroPension.objects.get(legajo=legajo, tipo="cese")
    assert not legajo.vigente and legajo.fecha_cese == cese.fecha
    last = Boleta.objects.filter(servant=legajo.servant).latest("period").period
    assert last == cese.fecha.replace(day=1)
    assert User.objects.get(username="40000003").servant == legajo.servant
