import pytest

from ayni.boletas.imports import import_planilla
from ayni.boletas.models import PlanillaImport
from ayni.boletas.tests.planillas import SAMPLE, source
from ayni.organizations.models import Servant, Unit


@pytest.fixture
def ugel07(db):
    return Unit.objects.get(code="150108")


@pytest.fixture
def demo_servants(ugel07):
    """The two servants of the sample planilla, known to the platform."""
    return [
        Servant.objects.create(document_type="DNI", document_number="40000001",
                               apellido_paterno="QUISPE", apellido_materno="MAMANI",
                               nombres="ROSA ELENA", unit=ugel07),
        Servant.objects.create(document_type="DNI", document_number="40000002",
                               apellido_paterno="D'ANGELO", apellido_materno="ÑAUPARI",
                               nombres="JOSÉ LUIS", unit=ugel07),
    ]  # fmt: skip


def run_import(rows_or_bytes, **options):
    options.setdefault("origin", PlanillaImport.Origin.COMMAND)
    return import_planilla(source(rows_or_bytes), **options)


@pytest.fixture
def sample_imported(demo_servants):
    result = run_import(SAMPLE.read_bytes())
    assert result.ok, result.problems
    return result
