"""What a planilla may hold: only boletas of the uploader's units, no NUL bytes, only digits
0-9 in numbers, and a compressed file that inflates within limits."""

import gzip
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas import selectors
from ayni.boletas.models import Boleta, PlanillaImport
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import boleta_rows, planilla_bytes, servant_rows
from ayni.organizations.models import Servant, StaffRole, Unit
from ayni.organizations.scoping import covered_units
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db

BRENA = "150104"  # UGEL 03 Breña


def row_reader_only(data: bytes) -> bytes:
    """The same file with a quoted header: the columnar reader passes it to the row reader."""
    header, rest = data.split(b"\n", 1)
    quoted = b",".join(b'"' + name + b'"' for name in header.split(b","))
    return quoted + b"\n" + rest


BOTH_READERS = pytest.mark.parametrize(
    "shape", [lambda data: data, row_reader_only], ids=["columnar", "rows"]
)


@pytest.fixture
def admin07(ugel07):
    return StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=ugel07).user


@pytest.fixture
def brena_servant(db):
    """A servant of UGEL 03, with a boleta paid there."""
    brena = {"entidad_codigo": BRENA, "entidad_nombre": "UGEL 03"}
    assert run_import(servant_rows(9, **brena)).ok
    return Servant.objects.get(document_number="45000009")


def problems_of(result):
    return [(p.line, p.column, p.message) for p in result.problems]


def upload(client, data: bytes, name="planilla.csv"):
    return client.post(
        reverse("boletas:import_upload"), {"archivo": SimpleUploadedFile(name, data, "text/csv")}
    )


# --- scope ---------------------------------------------------------------------------------
@BOTH_READERS
def test_a_line_of_another_paying_entity_is_refused(admin07, demo_servants, shape):
    rows = servant_rows(1) + servant_rows(2, entidad_codigo=BRENA, entidad_nombre="UGEL 03")
    result = run_import(
        shape(planilla_bytes(rows)), allowed_units=covered_units(admin07, "boletas")
    )
    assert problems_of(result) == [
        (4, "entidad_codigo", "la entidad 150104 no está entre sus unidades.")
    ]
    assert not Boleta.objects.exists()


@BOTH_READERS
def test_a_servant_of_another_unit_is_refused(admin07, brena_servant, shape):
    """Paid "by UGEL 07" in the file, the servant would show up in UGEL 07's search."""
    rows = servant_rows(1) + servant_rows(9)
    result = run_import(
        shape(planilla_bytes(rows)), allowed_units=covered_units(admin07, "boletas")
    )
    assert problems_of(result) == [
        (4, "numero_documento",
         "el servidor DNI 45000009 no pertenece a sus unidades ni tiene boletas pagadas por "
         "ellas: su planilla solo puede tener boletas de su personal."),
    ]  # fmt: skip
    assert Boleta.objects.filter(entity__code="150108").count() == 0


@BOTH_READERS
def test_an_administrators_own_boleta_is_refused(shape):
    """Nobody loads their own pay: a peer of the unit or the level above does."""
    admin = UserFactory(servant=None, username="45000003")
    StaffRoleFactory(user=admin, role=StaffRole.Role.BOLETAS)
    rows = servant_rows(1) + servant_rows(3, amount="99999.00")
    result = run_import(
        shape(planilla_bytes(rows)), actor=admin, allowed_units=covered_units(admin, "boletas")
    )
    assert problems_of(result) == [
        (4, "numero_documento",
         "es su propia boleta (DNI 45000003): nadie carga su propio pago; la carga otro "
         "administrador de boletas de la unidad o el nivel superior."),
    ]  # fmt: skip
    assert not Boleta.objects.exists()
    peer = StaffRoleFactory(role=StaffRole.Role.BOLETAS).user
    assert run_import(
        planilla_bytes(rows), actor=peer, allowed_units=covered_units(peer, "boletas")
    ).ok


def test_an_upload_cannot_reveal_a_servant_of_another_unit(
    client, admin07, brena_servant, django_capture_on_commit_callbacks
):
    client.force_login(admin07)
    upload(client, planilla_bytes(servant_rows(9, nombres="X")))
    record = PlanillaImport.objects.get(origin=PlanillaImport.Origin.WEB)
    assert record.state == PlanillaImport.State.REJECTED and not record.stored_file
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("boletas:import_confirm", args=[record.pk]))
    assert not Boleta.objects.filter(entity__code="150108").exists()
    page = client.get(reverse("boletas:staff_search"), {"q": "45000009"}).content.decode()
    assert "No hay registros para mostrar" in page and "UGEL 03" not in page
    response = client.get(reverse("boletas:staff_servant", args=[brena_servant.pk]))
    assert response.status_code == 404


def test_a_servant_already_paid_by_the_unit_or_new_is_accepted(admin07, demo_servants):
    """Rosa moved to UGEL 03 after UGEL 07 paid her: UGEL 07 may still correct its planilla."""
    assert run_import(boleta_rows()).ok
    rosa = demo_servants[0]
    Servant.objects.filter(pk=rosa.pk).update(unit=Unit.objects.get(code=BRENA))
    rows = boleta_rows(nombres="ROSA E.") + servant_rows(5)
    result = run_import(rows, allowed_units=covered_units(admin07, "boletas"))
    assert result.ok and (result.replaced, result.created) == (1, 1), result.problems
    assert Servant.objects.get(document_number="45000005").unit.code == "150108"


def test_the_command_runs_as_the_platform_or_as_a_user(admin07, brena_servant, tmp_path):
    path = tmp_path / "planilla.csv"
    path.write_bytes(planilla_bytes(servant_rows(9, nombres="N9")))
    with pytest.raises(CommandError):
        call_command("import_planilla", str(path), "--as-user", admin07.username,
                     stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert not Boleta.objects.filter(entity__code="150108").exists()
    with pytest.raises(CommandError, match="No hay un usuario activo"):
        call_command("import_planilla", str(path), "--as-user", "99999999", stdout=io.StringIO())
    call_command("import_planilla", str(path), stdout=io.StringIO())
    assert Boleta.objects.filter(entity__code="150108").count() == 1
    record = PlanillaImport.objects.latest("id")
    assert record.uploaded_by is None and record.state == PlanillaImport.State.IMPORTED


def test_staff_lists_only_boletas_of_covered_units(client, admin07, demo_servants, brena_servant):
    assert run_import(boleta_rows()).ok
    assert run_import(boleta_rows(entidad_codigo=BRENA, entidad_nombre="UGEL 03")).ok
    theirs = Boleta.objects.filter(entity__code=BRENA)
    assert not selectors.staff_boletas(admin07).filter(pk__in=theirs).exists()
    assert set(selectors.staff_boletas(admin07).values_list("entity__code", flat=True)) == {
        "150108"
    }
    client.force_login(admin07)
    rosa = demo_servants[0]
    page = client.get(reverse("boletas:staff_servant", args=[rosa.pk])).content.decode()
    assert "UGEL 03" not in page[page.index("<table") :]
    for boleta in theirs:
        assert client.get(reverse("boletas:staff_pdf", args=[boleta.pk])).status_code == 404


# --- NUL bytes and digits other than 0-9 -----------------------------------------------------
@BOTH_READERS
@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("apellido_paterno", "QUIS\x00PE", "el valor contiene el carácter NUL"),
        ("concepto_descripcion", "REM\x00", "el valor contiene el carácter NUL"),
        ("monto", "٢٧٨٠.٠٠", "«٢٧٨٠.٠٠» tiene cifras que no son 0-9"),
        ("numero_documento", "４０００００01", "tiene cifras que no son 0-9"),
        ("dias_laborados", "٣٠", "tiene cifras que no son 0-9"),
        ("codigo_modular", "١٠٤", "tiene cifras que no son 0-9"),
    ],
)
def test_nul_bytes_and_other_digits_are_refused_with_line_and_column(
    demo_servants, shape, column, value, message
):
    rows = boleta_rows()
    rows[2][column] = value
    if column not in ("monto", "concepto_descripcion"):
        for row in rows:
            row[column] = value
    result = run_import(shape(planilla_bytes(rows)))
    assert not result.ok
    line, found_column, text = problems_of(result)[0]
    line_expected = 4 if column in ("monto", "concepto_descripcion") else 2
    assert (line, found_column) == (line_expected, column)
    assert message in text
    assert not Boleta.objects.exists()


# --- compressed files ------------------------------------------------------------------------
def gzip_bomb(inflated: int) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as out:
        out.write(b"periodo,entidad_codigo\n")
        chunk = b"\x00" * (1 << 20)
        for _ in range(inflated >> 20):
            out.write(chunk)
    return buffer.getvalue()


def test_a_gzip_bomb_is_refused_fast_without_inflating_it(admin07, client):
    bomb = gzip_bomb(500 << 20)  # 500 MiB of zeros in some 510 KB
    assert len(bomb) < 600_000
    client.force_login(admin07)
    # Not timed: what the process's first request loads once (the URLs, their views and the
    # PDF signing library, imported where used since Django no longer loads them at start).
    client.get(reverse("boletas:import_upload"))
    started = time.monotonic()
    upload(client, bomb, "junio.csv.gz")
    assert time.monotonic() - started < 3
    record = PlanillaImport.objects.get()
    assert record.state == PlanillaImport.State.REJECTED
    assert any("se descomprime" in error["mensaje"] for error in record.errors), record.errors


@override_settings(AYNI_PLANILLA_MAX_INFLATED_BYTES=4096)
def test_a_compressed_planilla_above_the_size_cap_is_refused(demo_servants):
    data = gzip.compress(planilla_bytes([row for n in range(40) for row in servant_rows(n)]))
    result = run_import(data)
    assert not result.ok and "más de 4 KB" in result.problems[0].message
    assert not Boleta.objects.exists()


def test_an_ordinary_compressed_planilla_still_imports(demo_servants):
    data = gzip.compress(planilla_bytes([row for n in range(300) for row in servant_rows(n)]))
    assert run_import(data).ok


def test_a_user_without_role_is_not_a_platform_import(db):
    """covered_units of a nobody is empty: nothing passes."""
    nobody = UserFactory()
    result = run_import(servant_rows(1), allowed_units=covered_units(nobody, "boletas"))
    assert problems_of(result)[0][1] == "entidad_codigo"


def test_the_command_is_audited_in_the_import_itself(admin07, brena_servant, tmp_path):
    """Commands and tasks write boletas through the same function, which records it."""
    from ayni.boletas import events
    from ayni.core.models import AuditEvent

    path = tmp_path / "planilla.csv"
    path.write_bytes(planilla_bytes(servant_rows(9, nombres="N9")))
    with pytest.raises(CommandError):
        call_command("import_planilla", str(path), "--as-user", admin07.username,
                     stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    refused = AuditEvent.objects.get(action=events.IMPORT_REJECTED)
    assert refused.actor == admin07 and refused.details == {"problemas": 1}
    call_command("import_planilla", str(path), stdout=io.StringIO())
    applied = AuditEvent.objects.filter(action=events.IMPORT_APPLIED).latest("id")
    record = PlanillaImport.objects.latest("id")
    assert (applied.actor, applied.target_id) == (None, str(record.pk))
    assert applied.details["creadas"] == 1 and applied.details["origen"] == record.origin
