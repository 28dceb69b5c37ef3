"""Constancia de haberes y descuentos: the servant's current boletas of up to 12 months."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import boleta_rows
from ayni.constancias import events
from ayni.constancias.models import Constancia
from ayni.core.models import AuditEvent
from ayni.documents.models import IssuedDocument

pytestmark = pytest.mark.django_db

HABERES = Constancia.Kind.HABERES.value


def lines(rim, snp, extra=()):
    return [
        ("+rim", "REMUNERACION INTEGRA MENSUAL", "INGRESO", rim),
        ("-snp", "SISTEMA NACIONAL DE PENSIONES", "DESCUENTO", snp),
        ("essalud", "ESSALUD 9%", "APORTE", "263.71"),
        *extra,
    ]


# The boletas as the planillas say: (period, payroll type, lines).
CAS = "CAS"
BOLETAS = [
    ("2023-10", "Ley N° 29944", lines("2780.00", "380.42")),
    ("2023-11", "Ley N° 29944", lines("2800.00", "384.00",
                                      [("-derrama", "DERRAMA MAGISTERIAL", "DESCUENTO", "27.80")])),
    ("2023-11", CAS, lines("500.00", "65.00")),  # a second planilla the same month
    ("2023-12", "Ley N° 29944", lines("3100.50", "403.07")),
    ("2024-01", "Ley N° 29944", lines("2900.00", "377.00")),
]  # fmt: skip


def rows_of(period, payroll, boleta_lines):
    return boleta_rows(periodo=period, tipo_planilla=payroll, lines=boleta_lines)


@pytest.fixture
def rosa(demo_servants):
    rows = [row for boleta in BOLETAS for row in rows_of(*boleta)]
    assert run_import(rows).ok
    # December re-imported with other amounts: the first December boleta is annulled.
    assert run_import(rows_of("2023-12", "Ley N° 29944", lines("3000.00", "390.00"))).ok
    return UserFactory(servant=demo_servants[0])


@pytest.fixture
def jose(demo_servants):
    return UserFactory(servant=demo_servants[1])


def current_lines(first, last):
    """The lines of the current boletas from `first` to `last` (AAAA-MM), from the planillas."""
    boletas = [b for b in BOLETAS if b[0] != "2023-12"]
    boletas.append(("2023-12", "Ley N° 29944", lines("3000.00", "390.00")))
    return [(period, line) for period, _, ls in boletas if first <= period <= last for line in ls]


def expected(first, last):
    months = {}
    concepts = {}
    for period, (code, _description, kind, amount) in current_lines(first, last):
        month = months.setdefault(period, {"gross": Decimal(0), "deductions": Decimal(0)})
        if kind == "INGRESO":
            month["gross"] += Decimal(amount)
        elif kind == "DESCUENTO":
            month["deductions"] += Decimal(amount)
        concepts[code] = concepts.get(code, Decimal(0)) + Decimal(amount)
    for month in months.values():
        month["net"] = month["gross"] - month["deductions"]
    return months, concepts


def issue(client, **data):
    return client.post(reverse("constancias:issue", args=[HABERES]), data)


def test_the_menu_and_the_page(client, rosa):
    client.force_login(rosa)
    page = client.get(reverse("constancias:mine")).content.decode()
    assert "Mis constancias" in page and "Constancia de haberes y descuentos" in page
    assert AuditEvent.objects.filter(action=events.LISTED, actor=rosa).count() == 1
    # The months offered: the last 12, from the first with a current boleta.
    assert 'name="desde" value="2023-10"' in page and 'name="hasta" value="2024-01"' in page


def test_haberes_equal_the_boletas_and_verify(client, rosa):
    client.force_login(rosa)
    response = issue(client, desde="2023-11", hasta="2024-01")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    constancia = Constancia.objects.get()
    data = constancia.data
    months, concepts = expected("2023-11", "2024-01")
    assert [m["period"] for m in data["months"]] == ["2023-11", "2023-12", "2024-01"]
    for month in data["months"]:
        want = months[month["period"]]
        got = {key: Decimal(month[key]) for key in ("gross", "deductions", "net")}
        assert got == want, month["period"]
    assert data["months"][0]["boletas"] == 2  # November: both planillas
    assert {c["code"]: Decimal(c["total"]) for c in data["concepts"]} == concepts
    for key in ("gross", "deductions", "net"):
        assert Decimal(data["totals"][key]) == sum(m[key] for m in months.values())
    assert Decimal(data["totals"]["net"]) == Decimal("7956.20")  # 2388.20 + 435 + 2610 + 2523

    document = IssuedDocument.objects.get()
    assert document.kind == HABERES and document.servant == rosa.servant
    assert document.source == constancia
    text = PdfReader(document.file.open("rb")).pages[0].extract_text()
    assert "S/ 7,956.20" in text and document.code in text and "QUISPE MAMANI" in text
    event = AuditEvent.objects.get(action=events.ISSUED)
    assert event.actor == rosa and event.details["documento"] == document.code

    client.logout()
    public = client.get(reverse("documents:verify", args=[document.code])).content.decode()
    assert "Válido" in public and "Constancia de haberes y descuentos" in public
    assert "R*** E*** Q*** M***" in public and "4000****" in public
    assert "40000001" not in public and "ROSA" not in public and "7,956.20" not in public


def test_the_same_months_can_be_issued_again(client, rosa):
    client.force_login(rosa)
    assert issue(client, desde="2023-10", hasta="2023-10").status_code == 200
    assert issue(client, desde="2023-10", hasta="2023-10").status_code == 200
    codes = set(IssuedDocument.objects.values_list("code", flat=True))
    assert len(codes) == 2
    page = client.get(reverse("constancias:mine")).content.decode()
    assert all(code in page for code in codes)


@pytest.mark.parametrize(
    ("desde", "hasta", "message"),
    [
        ("2023-01", "2024-01", "Elija como máximo 12 meses: de 01/2023 a 01/2024 hay 13."),
        ("2023-13", "2024-01", "Indique un mes con el formato AAAA-MM"),
        ("noviembre", "2024-01", "Indique un mes con el formato AAAA-MM"),
        ("2019-01", "2019-06", "Debe estar entre 2020-05 y el mes actual."),
        ("2024-01", "2099-01", "Debe estar entre 2020-05 y el mes actual."),
        ("2024-01", "2023-11", "Debe ser igual o posterior"),
        ("2022-01", "2022-06", "No tiene boletas vigentes de 01/2022 a 06/2022"),
        ("", "2024-01", "Este campo es obligatorio"),
    ],
)
def test_bad_months_are_explained_and_issue_nothing(client, rosa, desde, hasta, message):
    client.force_login(rosa)
    response = issue(client, desde=desde, hasta=hasta)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Constancia.objects.exists() and not IssuedDocument.objects.exists()
    assert not AuditEvent.objects.filter(action=events.ISSUED).exists()


def test_another_servants_constancia_is_not_found(client, rosa, jose):
    client.force_login(rosa)
    issue(client, desde="2023-10", hasta="2023-12")
    document = IssuedDocument.objects.get()
    client.force_login(jose)
    assert client.get(reverse("constancias:download", args=[document.pk])).status_code == 404
    assert document.code not in client.get(reverse("constancias:mine")).content.decode()
    client.force_login(rosa)
    assert client.get(reverse("constancias:download", args=[document.pk])).status_code == 200
    assert AuditEvent.objects.filter(action=events.DOWNLOADED, actor=rosa).count() == 1


def test_a_servant_without_boletas_is_told_so(client, jose):
    client.force_login(jose)
    page = client.get(reverse("constancias:mine")).content.decode()
    assert "No tiene boletas vigentes en la plataforma" in page
    response = issue(client, desde="2023-10", hasta="2023-12")
    assert response.status_code == 400 and not IssuedDocument.objects.exists()


def test_only_servants_and_known_kinds(client, rosa, db):
    assert client.get(reverse("constancias:mine")).status_code == 302  # to the login
    client.force_login(UserFactory(servant=None))
    assert client.get(reverse("constancias:mine")).status_code == 404
    client.force_login(rosa)
    assert client.post(reverse("constancias:issue", args=["boleta"])).status_code == 404
    assert client.get(reverse("constancias:issue", args=[HABERES])).status_code == 405
