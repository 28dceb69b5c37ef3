import pytest
from django.core.management import call_command

from ayni.accounts.models import User
from ayni.legajo.models import ChangeRequest, Formacion, ItemHistory, Legajo
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
