import gzip

import pytest
from django.core.management import CommandError, call_command

from ayni.boletas.models import Boleta, PlanillaImport
from ayni.boletas.tests.planillas import SAMPLE, planilla_bytes, servant_rows

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_planilla", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def test_success_prints_the_counts(demo_servants):
    out, err, failure = run(str(SAMPLE))
    assert failure is None and err == ""
    assert "8 líneas, 2 boletas" in out
    assert "creadas: 2, reemplazadas: 0, sin cambios: 0, retiradas: 0" in out
    assert "servidores nuevos: 0" in out
    out, _, _ = run(str(SAMPLE))
    assert "creadas: 0, reemplazadas: 0, sin cambios: 2" in out


def test_dry_run_reports_and_writes_nothing(demo_servants):
    out, _, failure = run(str(SAMPLE), "--dry-run")
    assert failure is None
    assert "se crearían: 2" in out and "--dry-run" in out
    assert not Boleta.objects.exists() and not PlanillaImport.objects.exists()


def test_errors_go_to_stderr_and_the_exit_is_not_zero(ugel07, tmp_path):
    rows = servant_rows(1) + servant_rows(2, amount="abc")
    bad = tmp_path / "mala.csv"
    bad.write_bytes(planilla_bytes(rows))
    out, err, failure = run(str(bad))
    assert failure == "No se importó nada: corrija los errores y vuelva a intentarlo."
    assert "mala.csv: 1 error(es) en 4 líneas." in err
    assert "Línea 4, columna «monto»: «abc» no es un monto válido" in err
    assert out == ""
    assert not Boleta.objects.exists()
    rejected = PlanillaImport.objects.get()
    assert rejected.state == PlanillaImport.State.REJECTED
    first = rejected.errors[0]
    assert (first["linea"], first["columna"]) == (4, "monto")
    assert "«abc» no es un monto válido" in first["mensaje"]
    assert rejected.error_count == 1 and len(rejected.sha256) == 64


def test_one_bad_file_among_several_imports_none(ugel07, tmp_path):
    good = tmp_path / "buena.csv.gz"
    good.write_bytes(gzip.compress(planilla_bytes(servant_rows(1))))
    bad = tmp_path / "mala.csv"
    bad.write_bytes(planilla_bytes(servant_rows(2, period="2019-12")))
    out, err, failure = run(str(good), str(bad))
    assert failure
    assert "buena.csv.gz: sin errores, pero no se importó." in err
    assert "Línea 2, columna «periodo»" in err
    assert not Boleta.objects.exists()
    assert list(PlanillaImport.objects.values_list("file_name", "state")) == [
        ("mala.csv", "rechazado")
    ]


def test_more_than_a_hundred_problems_are_summarised(ugel07, tmp_path):
    rows = [row for index in range(120) for row in servant_rows(index, amount="x")]
    bad = tmp_path / "mala.csv"
    bad.write_bytes(planilla_bytes(rows))
    _, err, failure = run(str(bad))
    assert failure
    assert err.count("Línea ") == 100
    assert "… y 20 error(es) más." in err


def test_a_missing_file_is_a_clear_error(db):
    _, _, failure = run("/no/existe.csv")
    assert failure.startswith("No se puede leer /no/existe.csv")
