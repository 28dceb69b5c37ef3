import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ayni.accounts import events, services
from ayni.accounts.models import User
from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import post_login
from ayni.core.models import AuditEvent
from ayni.organizations.models import Servant, StaffRole, Unit
from ayni.organizations.tests.factories import ServantFactory, StaffRoleFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    """A UGEL administrator of UGEL 07 San Borja (and the schools below it)."""
    return StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL).user


@pytest.fixture
def school_servant():
    return ServantFactory(unit=UnitFactory())  # a school of UGEL 07


@pytest.fixture
def foreign_servant():
    return ServantFactory(unit=Unit.objects.get(code="150107"))  # UGEL 06 Ate


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_creates_the_account_of_a_servant_of_its_units(
    admin, school_servant, mailoutbox, on_commit
):
    with on_commit():
        user, created = services.provision_account(
            admin,
            document_type="DNI",
            document_number=school_servant.document_number,
            email="Nueva.Docente@Example.pe",
        )
    assert created
    user.refresh_from_db()
    assert (user.username, user.servant, user.email) == (
        school_servant.document_number,
        school_servant,
        "Nueva.Docente@Example.pe",
    )
    assert user.first_name == school_servant.nombres and not user.has_usable_password()
    assert [m.to for m in mailoutbox] == [["Nueva.Docente@Example.pe"]]
    assert mailoutbox[0].subject.startswith("Generar tu contraseña")
    event = AuditEvent.objects.get(action=events.ACCOUNT_CREATED)
    assert (event.actor, event.target_id) == (admin, str(user.pk))


def test_registers_a_new_servant_in_the_administrators_unit(admin, mailoutbox, on_commit):
    with on_commit():
        user, created = services.provision_account(
            admin,
            document_type="DNI",
            document_number=" 45678912 ",
            email="ana@example.pe",
            apellido_paterno="ñaupari",
            nombres="ana  maría",
        )
    servant = Servant.objects.get(document_number="45678912")
    assert created and user.servant == servant
    assert (servant.unit.code, servant.apellido_paterno, servant.nombres) == (
        "150108",
        "ÑAUPARI",
        "ANA MARÍA",
    )
    assert len(mailoutbox) == 1


def test_a_new_servant_goes_to_the_unit_asked_for_only_within_its_units(admin, mailoutbox):
    school = UnitFactory()  # below UGEL 07
    done = services.provision(
        admin, document_type="DNI", document_number="45678914", email="bea@example.pe",
        unit=school, names=("ROJAS", "", "BEATRIZ"),
    )  # fmt: skip
    assert done.created and done.user.servant.unit == school
    with pytest.raises(PermissionDenied):
        services.provision(
            admin, document_type="DNI", document_number="45678915", email="eva@example.pe",
            unit=Unit.objects.get(code="150107"),  # UGEL 06 Ate
        )  # fmt: skip
    assert not Servant.objects.filter(document_number="45678915").exists()
    assert not User.objects.filter(username="45678915").exists()


def test_cannot_touch_servants_outside_its_units(admin, foreign_servant, mailoutbox, on_commit):
    with on_commit(), pytest.raises(PermissionDenied):
        services.provision_account(
            admin,
            document_type="DNI",
            document_number=foreign_servant.document_number,
            email="x@example.pe",
        )
    assert not User.objects.filter(servant=foreign_servant).exists()
    assert mailoutbox == [] and not AuditEvent.objects.exists()
    account = UserFactory(servant=foreign_servant)
    with pytest.raises(PermissionDenied):
        services.change_email(admin, account, "nuevo@example.pe", "Perdió su correo")
    with pytest.raises(PermissionDenied):
        services.unlock_account(admin, account)
    account.refresh_from_db()
    assert account.email != "nuevo@example.pe"


def test_staff_without_the_admin_role_cannot_provision(mailoutbox):
    specialist = StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user
    with pytest.raises(PermissionDenied):
        services.provision_account(
            specialist, document_type="DNI", document_number="45678913", email="y@example.pe"
        )
    assert not Servant.objects.filter(document_number="45678913").exists()


def test_the_platform_itself_may_provision_anywhere(foreign_servant, mailoutbox, on_commit):
    with on_commit():
        user, created = services.provision_account(
            None,
            document_type="DNI",
            document_number=foreign_servant.document_number,
            email="ate@example.pe",
        )
    assert created and user.servant == foreign_servant and len(mailoutbox) == 1


def test_an_existing_account_with_another_email_is_a_conflict_and_changes_nothing(
    admin, mailoutbox, on_commit
):
    account = UserFactory(email="vieja@example.pe")
    with on_commit():
        done = services.provision(
            admin, document_type="DNI", document_number=account.username, email="nueva@example.pe"
        )
    assert (done.user, done.outcome, done.mail_sent) == (account, services.CONFLICT, False)
    assert "vieja@example.pe" in done.detail and "Cambiar correo" in done.detail
    account.refresh_from_db()
    assert account.email == "vieja@example.pe" and account.check_password(PASSWORD)
    assert mailoutbox == [] and not AuditEvent.objects.filter(action=events.EMAIL_CHANGED)


def test_an_email_change_with_a_reason_tells_the_old_address(admin, mailoutbox, on_commit):
    account = UserFactory(email="vieja@example.pe")
    with on_commit():
        done = services.provision(
            admin, document_type="DNI", document_number=account.username,
            email="nueva@example.pe", email_change_reason="Solicitud de acceso ACC-2026-1",
        )  # fmt: skip
    assert done.outcome == services.UPDATED
    account.refresh_from_db()
    assert account.email == "nueva@example.pe" and account.check_password(PASSWORD)
    notice, link = mailoutbox
    assert notice.to == ["vieja@example.pe"] and "Se cambió el correo" in notice.subject
    assert "Le escribimos a su correo anterior; desde ahora" in notice.body
    assert "nu***@example.pe" in notice.body and "nueva@example.pe" not in notice.body
    assert link.to == ["nueva@example.pe"]
    change = AuditEvent.objects.get(action=events.EMAIL_CHANGED)
    assert change.details == {
        "anterior": "vieja@example.pe",
        "nuevo": "nueva@example.pe",
        "motivo": "Solicitud de acceso ACC-2026-1",
    }


def test_an_email_change_needs_a_reason(admin, mailoutbox):
    account = UserFactory(servant=ServantFactory(unit=UnitFactory()), email="vieja@example.pe")
    with pytest.raises(ValidationError) as refused:
        services.change_email(admin, account, "nueva@example.pe", "   ")
    assert refused.value.message_dict == {"reason": ["Escriba el motivo del cambio de correo."]}
    account.refresh_from_db()
    assert account.email == "vieja@example.pe" and mailoutbox == []


def test_an_account_with_the_same_email_and_a_password_is_left_alone(admin, mailoutbox, on_commit):
    account = UserFactory()
    with on_commit():
        done = services.provision(
            admin, document_type="DNI", document_number=account.username, email=account.email
        )
    assert (done.outcome, done.mail_sent) == (services.UNCHANGED, False)
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("document_type", "number", "email", "message"),
    [
        ("DNI", "4567891", "a@example.pe", "El DNI debe tener exactamente 8 dígitos."),
        ("LE", "45678912", "a@example.pe", "El tipo de documento debe ser DNI, CE o PAS."),
        ("DNI", "45678912", "", "Escriba el correo electrónico."),
        ("DNI", "45678912", "a@", "«a@» no es un correo electrónico válido."),
        (
            "DNI",
            "45678912",
            "TOMADO@example.pe",
            "Ese correo electrónico ya es de otra cuenta activa.",
        ),
    ],
)
def test_bad_input_is_refused_in_spanish_and_changes_nothing(
    admin, document_type, number, email, message, mailoutbox
):
    UserFactory(email="tomado@example.pe")
    before = (Servant.objects.count(), User.objects.count())
    with pytest.raises(ValidationError) as error:
        services.provision_account(
            admin, document_type=document_type, document_number=number, email=email
        )
    assert message in error.value.messages
    assert (Servant.objects.count(), User.objects.count()) == before


def test_a_deactivated_account_is_not_reopened_here(admin):
    account = UserFactory(is_active=False)
    with pytest.raises(ValidationError, match="desactivada"):
        services.provision_account(
            admin, document_type="DNI", document_number=account.username, email="z@example.pe"
        )


def test_an_account_without_servant_record_is_never_linked_by_a_ugel_administrator(
    admin, school_servant, mailoutbox
):
    staff = UserFactory(servant=None, username=school_servant.document_number)
    with pytest.raises(PermissionDenied):
        services.provision(
            admin, document_type="DNI", document_number=school_servant.document_number,
            email="toma@example.pe",
        )  # fmt: skip
    staff.refresh_from_db()
    assert (staff.servant, staff.email) == (None, staff.email) and staff.email != "toma@example.pe"
    assert mailoutbox == []


def test_unlock_clears_every_ip_of_the_account_and_is_audited(admin, client):
    account = UserFactory(servant=ServantFactory(unit=UnitFactory()))
    for address in ("192.0.2.1", "192.0.2.2"):
        for _ in range(5):
            post_login(client, account.username, "Equivocada1", REMOTE_ADDR=address)
    assert services.unlock_account(admin, account) == 2
    assert (
        post_login(client, account.username, PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 302
    )
    assert AuditEvent.objects.get(action=events.ACCOUNT_UNLOCKED).actor == admin


def test_accounts_are_never_deleted_in_the_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    account = UserFactory()
    response = client.post(f"/admin/accounts/user/{account.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=account.pk).exists()


def test_minedu_administrators_mail_links_and_unlock_from_the_admin(client, mailoutbox, on_commit):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    account = UserFactory()
    for _ in range(5):
        post_login(type(client)(), account.username, "Equivocada1")
    changelist = "/admin/accounts/user/"
    with on_commit():
        client.post(
            changelist, {"action": "send_password_setup_mail", "_selected_action": [account.pk]}
        )
        client.post(changelist, {"action": "unlock", "_selected_action": [account.pk]})
    assert [m.to for m in mailoutbox] == [[account.email]]
    assert AuditEvent.objects.filter(
        action=events.ACCOUNT_UNLOCKED, target_id=str(account.pk)
    ).exists()
    assert post_login(type(client)(), account.username, PASSWORD).status_code == 302
