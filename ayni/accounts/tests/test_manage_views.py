import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ayni.accounts import events
from ayni.accounts.models import User
from ayni.accounts.tests.factories import UserFactory
from ayni.accounts.tests.helpers import post_login
from ayni.core.menu import menu_for
from ayni.core.models import AuditEvent
from ayni.organizations.models import Servant, StaffRole, Unit
from ayni.organizations.tests.factories import ServantFactory, StaffRoleFactory, UnitFactory

pytestmark = pytest.mark.django_db
MANAGE_PAGES = ["accounts:manage", "accounts:create", "accounts:bulk", "accounts:lockouts"]


@pytest.fixture
def admin(client):
    user = StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL).user
    client.force_login(user)
    return user


@pytest.fixture
def own_account():
    return UserFactory(servant=ServantFactory(unit=UnitFactory(), apellido_paterno="CCAHUANA"))


@pytest.fixture
def foreign_account():
    return UserFactory(
        servant=ServantFactory(unit=Unit.objects.get(code="150107"), apellido_paterno="CCAHUANA")
    )


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_pages_are_for_ugel_administrators_only(client, name):
    assert client.get(reverse(name)).status_code == 302  # anonymous: to the login page
    client.force_login(UserFactory())
    assert client.get(reverse(name)).status_code == 403
    client.force_login(StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_pages_open_for_an_administrator(admin, client, name):
    assert client.get(reverse(name)).status_code == 200


def test_the_menu_shows_the_pages_to_administrators_only(admin):
    labels = {entry["label"] for entry in menu_for(admin)}
    assert {
        "Cuentas de servidores",
        "Carga masiva de cuentas",
        "Bloqueos de ingreso",
        "Mis accesos",
    } <= labels
    servant_labels = {entry["label"] for entry in menu_for(UserFactory())}
    assert "Mis accesos" in servant_labels and "Cuentas de servidores" not in servant_labels


def test_search_finds_only_servants_of_its_units(admin, client, own_account, foreign_account):
    page = client.get(reverse("accounts:manage"), {"q": "ccahuana"}).content.decode()
    assert own_account.username in page
    assert foreign_account.username not in page
    page = client.get(reverse("accounts:manage"), {"q": foreign_account.username}).content.decode()
    assert "No hay servidores de sus unidades" in page


def test_create_page_creates_the_account_and_says_so(admin, client, mailoutbox, on_commit):
    servant = ServantFactory(unit=UnitFactory())
    with on_commit():
        response = client.post(
            reverse("accounts:create"),
            {
                "document_type": "DNI",
                "document_number": servant.document_number,
                "email": "docente@example.pe",
            },
            follow=True,
        )
    page = response.content.decode()
    assert f"Usuario {servant.document_number}: Cuenta creada" in page
    assert User.objects.get(servant=servant).email == "docente@example.pe"
    assert [m.to for m in mailoutbox] == [["docente@example.pe"]]


def test_create_page_shows_field_errors_in_spanish(admin, client):
    response = client.post(
        reverse("accounts:create"),
        {
            "document_type": "DNI",
            "document_number": "123",
            "email": "docente@example.pe",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "document_number": ["El DNI debe tener exactamente 8 dígitos."]
    }
    assert not User.objects.filter(email="docente@example.pe").exists()


def test_create_page_refuses_a_servant_of_another_ugel(admin, client, mailoutbox):
    servant = ServantFactory(unit=Unit.objects.get(code="150107"))
    response = client.post(
        reverse("accounts:create"),
        {
            "document_type": "DNI",
            "document_number": servant.document_number,
            "email": "ajeno@example.pe",
        },
    )
    assert "El servidor no pertenece a las unidades a su cargo." in response.content.decode()
    assert not User.objects.filter(servant=servant).exists() and mailoutbox == []


def test_change_email_page(admin, client, own_account, mailoutbox, on_commit):
    url = reverse("accounts:email", args=[own_account.pk])
    assert own_account.email in client.get(url).content.decode()
    with on_commit():
        response = client.post(url, {"email": "otro@example.pe"})
    assert "Escriba el motivo del cambio de correo." in response.content.decode()
    own_account.refresh_from_db()
    assert own_account.email != "otro@example.pe" and mailoutbox == []
    previous = own_account.email
    with on_commit():
        response = client.post(
            url, {"email": "otro@example.pe", "reason": "Perdió su correo"}, follow=True
        )
    assert "Correo actualizado a otro@example.pe" in response.content.decode()
    own_account.refresh_from_db()
    assert own_account.email == "otro@example.pe"
    assert [m.to for m in mailoutbox] == [[previous], ["otro@example.pe"]]
    response = client.post(url, {"email": "no-es-correo", "reason": "x"})
    assert "«no-es-correo» no es un correo electrónico válido." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("accounts:email", "get"),
        ("accounts:email", "post"),
        ("accounts:resend", "post"),
        ("accounts:unlock", "post"),
    ],
)
def test_another_ugels_account_ids_are_not_found(
    admin, client, foreign_account, mailoutbox, name, method, on_commit
):
    url = reverse(name, args=[foreign_account.pk])
    with on_commit():
        response = getattr(client, method)(url, {"email": "robado@example.pe"})
    assert response.status_code == 404
    foreign_account.refresh_from_db()
    assert foreign_account.email != "robado@example.pe" and mailoutbox == []


def test_resend_sends_the_link_again(admin, client, own_account, mailoutbox, on_commit):
    with on_commit():
        response = client.post(
            reverse("accounts:resend", args=[own_account.pk]), {"next": "https://evil.example/"}
        )
    assert response["Location"] == reverse("accounts:manage")
    assert [m.to for m in mailoutbox] == [[own_account.email]]


def _csv(text: str, name="cuentas.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_bulk_upload_reports_each_row_and_bad_rows_change_nothing(
    admin, client, own_account, foreign_account, mailoutbox, on_commit
):
    new_servant = ServantFactory(unit=UnitFactory())
    pending = UserFactory(servant=ServantFactory(unit=UnitFactory()))
    pending.set_unusable_password()
    pending.save()
    rows = [
        "tipo_documento;numero_documento;correo;apellido_paterno;nombres",
        f"DNI;{new_servant.document_number};nuevo@example.pe;;",  # line 2: created
        f"DNI;{own_account.username};cambiado@example.pe;;",  # line 3: another e-mail: conflict
        f"DNI;{pending.username};{pending.email};;",  # line 4: mail sent again
        f"DNI;{own_account.username};otra@example.pe;;",  # line 5: repeated document
        "DNI;1234567;corto@example.pe;;",  # line 6: bad DNI
        f"DNI;{foreign_account.username};ajeno@example.pe;;",  # line 7: another UGEL
        "DNI;47000001;NUEVO@example.pe;PÉREZ;LUZ",  # line 8: e-mail taken at line 2
        "",
        "DNI;47000002;luz@example.pe;pérez;luz",  # line 10: a new servant, created
    ]
    upload = _csv("\ufeff" + "\r\n".join(rows))
    with on_commit():
        preview = client.post(reverse("accounts:bulk"), {"file": upload})
    assert preview.status_code == 200 and preview.context["results"] is None
    outcomes = [(r.line, r.outcome) for r in preview.context["preview"]]
    assert outcomes == [
        (2, "creada"), (3, "conflicto"), (4, "actualizada"), (5, "error"), (6, "error"),
        (7, "rechazada"), (8, "error"), (10, "creada"),
    ]  # fmt: skip
    page = preview.content.decode()
    assert "Vista previa: nada se grabó todavía" in page and "Nueva: 2" in page
    assert mailoutbox == [] and not Servant.objects.filter(document_number="47000002").exists()
    assert not User.objects.filter(servant=new_servant).exists()
    assert not AuditEvent.objects.filter(action=events.ACCOUNT_CREATED).exists()
    payload = preview.context["confirm"]["rows"].value()
    with on_commit():
        response = client.post(reverse("accounts:bulk"), {"rows": payload, "lines": [2, 4, 10]})
    report = [(r.line, r.outcome, r.detail) for r in response.context["results"]]
    assert report == [
        (2, "creada", "Cuenta creada; se envió el correo para generar la contraseña."),
        (4, "actualizada", "La cuenta aún no tenía contraseña; se reenvió el correo."),
        (10, "creada", "Cuenta creada; se envió el correo para generar la contraseña."),
    ]
    assert not Servant.objects.filter(document_number="47000001").exists()
    assert Servant.objects.get(document_number="47000002").apellido_paterno == "PÉREZ"
    foreign_account.refresh_from_db()
    own_account.refresh_from_db()
    assert foreign_account.email != "ajeno@example.pe"
    assert own_account.email != "cambiado@example.pe"
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["nuevo@example.pe", pending.email, "luz@example.pe"]
    )
    page = response.content.decode()
    assert "Creada: 2" in page and "Actualizada: 1" in page


def test_bulk_confirm_writes_only_the_chosen_rows_of_a_signed_preview(admin, client, on_commit):
    first, second = ServantFactory(unit=UnitFactory()), ServantFactory(unit=UnitFactory())
    text = "tipo_documento,numero_documento,correo\n"
    text += (
        f"DNI,{first.document_number},uno@example.pe\nDNI,{second.document_number},dos@example.pe\n"
    )
    preview = client.post(reverse("accounts:bulk"), {"file": _csv(text)})
    payload = preview.context["confirm"]["rows"].value()
    with on_commit():
        client.post(reverse("accounts:bulk"), {"rows": payload, "lines": [3]})
    assert list(
        User.objects.filter(servant__in=[first, second]).values_list("email", flat=True)
    ) == ["dos@example.pe"]
    forged = payload[:-3] + ("aaa" if not payload.endswith("aaa") else "bbb")
    response = client.post(reverse("accounts:bulk"), {"rows": forged, "lines": [2]})
    assert "La vista previa venció o fue alterada" in response.content.decode()
    assert not User.objects.filter(servant=first).exists()


def _confirmed(client, text, on_commit):
    preview = client.post(reverse("accounts:bulk"), {"file": _csv(text, encoding="cp1252")})
    lines = [r.line for r in preview.context["preview"] if r.outcome in ("creada", "actualizada")]
    with on_commit():
        return client.post(
            reverse("accounts:bulk"),
            {"rows": preview.context["confirm"]["rows"].value(), "lines": lines},
        )


def test_bulk_upload_reads_excel_csv_in_windows_encoding(admin, client, on_commit):
    text = "tipo_documento;numero_documento;correo;apellido_paterno;nombres\n"
    text += "DNI;47000003;luz.pena@example.pe;PEÑA;LUZ ÁNGELA\n"
    response = _confirmed(client, text, on_commit)
    [result] = response.context["results"]
    assert result.outcome == "creada"
    servant = Servant.objects.get(document_number="47000003")
    assert (servant.apellido_paterno, servant.nombres) == ("PEÑA", "LUZ ÁNGELA")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            _csv("documento,correo\n40000001,a@example.pe\n"),
            "faltan: tipo_documento, numero_documento",
        ),
        (_csv("tipo_documento,numero_documento,correo\n"), "no tiene filas de datos"),
        (SimpleUploadedFile("cuentas.xlsx", b"", content_type="application/zip"), "vacío"),
    ],
)
def test_bulk_upload_refuses_a_malformed_file(admin, client, upload, message):
    response = client.post(reverse("accounts:bulk"), {"file": upload})
    assert message in response.content.decode()
    assert response.context["results"] is None


def test_bulk_upload_refuses_a_spreadsheet(admin, client):
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    upload = SimpleUploadedFile("cuentas.csv", workbook.getvalue(), content_type="text/csv")
    response = client.post(reverse("accounts:bulk"), {"file": upload})
    assert "no es un CSV de texto" in response.content.decode()


def test_bulk_upload_refuses_too_many_rows(admin, client, settings):
    lines = ["tipo_documento,numero_documento,correo"]
    lines += [f"DNI,{48000000 + n},p{n}@example.pe" for n in range(5001)]
    response = client.post(reverse("accounts:bulk"), {"file": _csv("\n".join(lines))})
    assert "más de 5000 filas" in response.content.decode()
    assert not Servant.objects.filter(document_number="48000000").exists()


def test_lockouts_page_lists_its_accounts_and_unlocks(admin, client, own_account, foreign_account):
    attacker = type(client)()
    for account in (own_account, foreign_account):
        for _ in range(5):
            post_login(attacker, account.username, "Equivocada1", REMOTE_ADDR="203.0.113.5")
    page = client.get(reverse("accounts:lockouts")).content.decode()
    assert own_account.username in page and "Vigente hasta" in page
    assert foreign_account.username not in page
    response = client.post(
        reverse("accounts:unlock", args=[own_account.pk]), {"next": reverse("accounts:lockouts")}
    )
    assert response["Location"] == reverse("accounts:lockouts")
    page = client.get(reverse("accounts:lockouts")).content.decode()
    assert "Terminado" in page and "Vigente hasta" not in page
    assert AuditEvent.objects.filter(action=events.ACCOUNT_UNLOCKED).count() == 1


def test_resend_to_an_account_without_email_says_why(admin, client, mailoutbox, on_commit):
    account = UserFactory(email="", servant=ServantFactory(unit=UnitFactory()))
    with on_commit():
        response = client.post(reverse("accounts:resend", args=[account.pk]), follow=True)
    assert "La cuenta no tiene correo electrónico registrado." in response.content.decode()
    assert mailoutbox == []


def test_minedu_administrators_search_sign_in_events_in_the_admin(client):
    user = UserFactory()
    post_login(client, user.username, "Equivocada1", REMOTE_ADDR="198.51.100.23")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:core_auditevent_changelist")
    page = client.get(changelist, {"q": user.username}).content.decode()
    assert events.LOGIN_FAILED in page and "198.51.100.23" in page
    page = client.get(changelist, {"action": events.LOGIN_FAILED}).content.decode()
    assert "198.51.100.23" in page
