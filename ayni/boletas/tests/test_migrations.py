"""The move of the conceptos into their boleta (0002), forward and back, with data."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("boletas", "0001_initial")]
AFTER = [("boletas", "0002_conceptos_with_their_boleta")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def latest_schema_after():
    """Every later test of the worker needs the whole schema back."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_conceptos_move_into_their_boleta_and_back():
    apps = migrate(BEFORE)
    Unit = apps.get_model("organizations", "Unit")
    Servant = apps.get_model("organizations", "Servant")
    PlanillaImport = apps.get_model("boletas", "PlanillaImport")
    Boleta = apps.get_model("boletas", "Boleta")
    Concepto = apps.get_model("boletas", "Concepto")
    unit = Unit.objects.get(code="150108")
    record = PlanillaImport.objects.create(file_name="p.csv", origin="comando", state="importado")
    boletas = []
    for number in ("40000001", "40000002", "40000003"):
        servant = Servant.objects.create(
            document_type="DNI", document_number=number, apellido_paterno="QUISPE",
            nombres="ROSA", unit=unit,
        )  # fmt: skip
        boletas.append(Boleta.objects.create(
            servant=servant, period=date(2022, 6, 1), entity=unit, entity_name="UGEL 07",
            entity_ruc="20990000078", payroll_type="Ley N° 29944", apellido_paterno="QUISPE",
            nombres="ROSA", servant_type="Docente", position="PROFESOR",
            hire_date=date(2009, 3, 1), gross=Decimal("2930.12"), deductions=Decimal("380.42"),
            net=Decimal("2549.70"), employer_contributions=0, fingerprint="f", imported_in=record,
        ))  # fmt: skip
    # Written out of order on purpose: the boleta keeps them by their position.
    for boleta, position, code, description, kind, amount in [
        (boletas[0], 3, "-snp", "SNP «ONP»", "DESCUENTO", "380.42"),
        (boletas[0], 1, "+rim", "REMUNERACION", "INGRESO", "2780"),
        (boletas[0], 2, "+asig", "ASIGNACION", "INGRESO", "150.12"),
        (boletas[1], 1, "+rim", "REMUNERACION", "INGRESO", "1.5"),
    ]:
        Concepto.objects.create(
            boleta_id=boleta.pk, position=position, code=code, description=description,
            kind=kind, amount=Decimal(amount),
        )  # fmt: skip

    apps = migrate(AFTER)
    moved = {
        pk: json.loads(text)
        for pk, text in apps.get_model("boletas", "Boleta").objects.values_list("pk", "conceptos")
    }
    assert moved == {
        boletas[0].pk: [
            ["+rim", "REMUNERACION", "INGRESO", "2780.00"],
            ["+asig", "ASIGNACION", "INGRESO", "150.12"],
            ["-snp", "SNP «ONP»", "DESCUENTO", "380.42"],
        ],
        boletas[1].pk: [["+rim", "REMUNERACION", "INGRESO", "1.50"]],
        boletas[2].pk: [],
    }

    apps = migrate(BEFORE)
    rows = apps.get_model("boletas", "Concepto").objects.order_by("boleta_id", "position")
    assert list(rows.values_list("boleta_id", "position", "code", "amount")) == [
        (boletas[0].pk, 1, "+rim", Decimal("2780.00")),
        (boletas[0].pk, 2, "+asig", Decimal("150.12")),
        (boletas[0].pk, 3, "-snp", Decimal("380.42")),
        (boletas[1].pk, 1, "+rim", Decimal("1.50")),
    ]
    migrate(AFTER)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_earlier_imports_get_the_periods_of_their_boletas():
    apps = migrate([("boletas", "0004_planilla_preview_totals_and_outcome")])
    Unit = apps.get_model("organizations", "Unit")
    Servant = apps.get_model("organizations", "Servant")
    PlanillaImport = apps.get_model("boletas", "PlanillaImport")
    Boleta = apps.get_model("boletas", "Boleta")
    unit = Unit.objects.get(code="150108")
    record = PlanillaImport.objects.create(file_name="p.csv", origin="comando", state="importado")
    empty = PlanillaImport.objects.create(file_name="e.csv", origin="comando", state="rechazado")
    for number, period in (("40000001", date(2022, 7, 1)), ("40000002", date(2022, 6, 1))):
        servant = Servant.objects.create(
            document_type="DNI", document_number=number, apellido_paterno="QUISPE",
            nombres="ROSA", unit=unit,
        )  # fmt: skip
        Boleta.objects.create(
            servant=servant, period=period, entity=unit, entity_name="UGEL 07",
            entity_ruc="20990000078", payroll_type="Ley N° 29944", apellido_paterno="QUISPE",
            nombres="ROSA", servant_type="Docente", position="PROFESOR",
            hire_date=date(2009, 3, 1), gross=Decimal("1"), deductions=Decimal("0"),
            net=Decimal("1"), employer_contributions=0, fingerprint="f", imported_in=record,
        )  # fmt: skip
    apps = migrate([("boletas", "0005_planilla_import_periods_of_earlier_imports")])
    periods = dict(apps.get_model("boletas", "PlanillaImport").objects.values_list("pk", "periods"))
    assert periods == {record.pk: "2022-06 2022-07", empty.pk: ""}
