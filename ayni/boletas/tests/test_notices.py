import pytest
from django.core import mail

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas.models import PlanillaImport
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import SAMPLE, boleta_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(demo_servants):
    rosa = UserFactory(servant=demo_servants[0], email="rosa.quispe@example.pe")
    UserFactory(servant=demo_servants[1], email="")  # José has no e-mail on file
    return rosa


def test_servants_with_an_email_hear_of_their_new_boletas(
    accounts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert run_import(SAMPLE.read_bytes()).ok
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa.quispe@example.pe"]
    assert message.subject == "Su boleta de Junio 2022 está disponible"
    assert "- JUNIO 2022 — Ley N° 29944 (UGEL 07 SAN BORJA)" in message.body
    assert "/boletas/mi-boleta/" in message.body
    assert "Si no reconoce esta boleta," in message.body  # one boleta, in the singular
    assert "2,521.90" not in message.body and "2521.90" not in message.body


def test_an_unchanged_reimport_sends_nothing_and_a_correction_does(
    accounts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_import(SAMPLE.read_bytes())
        run_import(SAMPLE.read_bytes())
    assert len(mail.outbox) == 1
    corrected = boleta_rows(lines=[("+rim", "REMUNERACION", "INGRESO", "3000.00")])
    with django_capture_on_commit_callbacks(execute=True):
        assert run_import(corrected).replaced == 1
    assert len(mail.outbox) == 2


def test_demo_data_and_rejected_files_send_nothing(accounts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_import(SAMPLE.read_bytes(), origin=PlanillaImport.Origin.DEMO)
        assert not run_import(
            boleta_rows(periodo="2022-07", lines=[("+r", "R", "INGRESO", "x")])
        ).ok
    assert mail.outbox == []


def test_the_same_file_uploaded_and_confirmed_twice_mails_each_servant_once(
    client, demo_servants, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from ayni.organizations.models import StaffRole
    from ayni.organizations.tests.factories import StaffRoleFactory

    UserFactory(servant=demo_servants[0], email="rosa.quispe@example.pe")
    UserFactory(servant=demo_servants[1], email="jose.dangelo@example.pe")
    admin = StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=demo_servants[0].unit).user
    client.force_login(admin)
    for _ in range(2):
        file = SimpleUploadedFile("junio.csv", SAMPLE.read_bytes(), "text/csv")
        client.post(reverse("boletas:import_upload"), {"archivo": file})
        record = PlanillaImport.objects.latest("pk")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("boletas:import_confirm", args=[record.pk]))
        record.refresh_from_db()
        assert record.state == PlanillaImport.State.IMPORTED
    assert sorted(m.to[0] for m in mail.outbox) == [
        "jose.dangelo@example.pe",
        "rosa.quispe@example.pe",
    ]


def test_a_notice_task_run_twice_mails_once(accounts, django_capture_on_commit_callbacks):
    from ayni.boletas.tasks import notify_new_boletas

    with django_capture_on_commit_callbacks(execute=True):
        record = run_import(SAMPLE.read_bytes()).planilla_import
    assert len(mail.outbox) == 1
    notify_new_boletas(record.pk)  # handed out again by the broker (acks_late)
    assert len(mail.outbox) == 1
