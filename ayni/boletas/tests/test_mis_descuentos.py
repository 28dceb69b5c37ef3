"""Mis descuentos: deductions by group from the operators' classification, and the floor of
DS 010-2014-EF per month."""

import pytest
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas import events
from ayni.boletas.deductions import OTHERS, Classifier
from ayni.boletas.models import ConceptClassification
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import SAMPLE, boleta_rows
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db

# June: well above the floor. July: a big cooperative loan pushes the net below it.
JUNE = [
    ("+rim", "REMUNERACION INTEGRA MENSUAL", "INGRESO", "3000.00"),
    ("-snp", "SISTEMA NACIONAL DE PENSIONES", "DESCUENTO", "390.00"),
    ("-judic", "DESCUENTO JUDICIAL", "DESCUENTO", "300.00"),
    ("-sindic", "CUOTA SINDICAL", "DESCUENTO", "30.00"),
    ("-derrama", "DERRAMA MAGISTERIAL", "DESCUENTO", "30.00"),
    ("essalud", "ESSALUD 9%", "APORTE", "270.00"),
]
JULY = [
    ("+rim", "REMUNERACION INTEGRA MENSUAL", "INGRESO", "3000.00"),
    ("-afpfon", "AFP FONDO", "DESCUENTO", "300.00"),
    ("-judic", "DESCUENTO JUDICIAL", "DESCUENTO", "600.00"),
    ("-coopsm", "COOPERATIVA SAN MARTIN PRESTAMO", "DESCUENTO", "1000.00"),
    ("-bcoprest", "BANCO PRESTAMO", "DESCUENTO", "100.00"),
]


@pytest.fixture
def rosa(demo_servants):
    rows = boleta_rows(periodo="2022-06", lines=JUNE) + boleta_rows(periodo="2022-07", lines=JULY)
    assert run_import(rows).ok
    return UserFactory(servant=demo_servants[0])


def section_of(page, label):
    start = page.index(f">{label}</h2>")
    end = page.find("</section>", start)
    return page[start:end]


def test_the_seeded_codes_of_the_demo_and_the_sample_planilla_are_classified():
    classifier = Classifier()
    sample_codes = {line.split(",")[18] for line in SAMPLE.read_text().splitlines()[1:]}
    deductions = {code for code in sample_codes if code.startswith("-")}
    assert deductions and all(classifier.group_of(c) != OTHERS for c in deductions)
    expected = {"-snp": "ley", "-afpfon": "ley", "-afpseg": "ley", "-afpcom": "ley",
                "-5ta": "ley", "-judic": "judicial", "-sindic": "sindical",
                "-derrama": "terceros"}  # fmt: skip
    assert {code: classifier.group_of(code) for code in expected} == expected
    assert classifier.group_of("-AFPNUEVO") == "ley"  # the pattern -afp*, any case
    assert classifier.group_of("-coopsm") == OTHERS


def test_an_exact_code_wins_over_a_pattern_and_the_longest_pattern_wins():
    rules = [ConceptClassification(pattern="-b*", group="terceros"),
             ConceptClassification(pattern="-bco*", group="judicial"),
             ConceptClassification(pattern="-bcoprest", group="sindical")]  # fmt: skip
    classifier = Classifier(rules)
    assert classifier.group_of("-bcoprest") == "sindical"
    assert classifier.group_of("-bcootro") == "judicial"
    assert classifier.group_of("-bx") == "terceros"


def test_a_month_below_the_floor_is_flagged(client, rosa):
    """July: base 3000 − 300 (ley) − 600 (judicial) = 2100; floor 1050; net
    3000 − 2000 = 1000 < 1050. June: base 3000 − 390 − 300 = 2310; floor 1155; net 2250."""
    client.force_login(rosa)
    page = client.get(reverse("boletas:my_deductions")).content.decode()
    july, june = section_of(page, "JULIO 2022"), section_of(page, "JUNIO 2022")
    assert "Por debajo del mínimo legal" in july and "S/ 1,050.00" in july
    assert "S/ 1,000.00" in july
    assert "Por debajo del mínimo legal" not in june and "(sobre el mínimo)" in june
    assert "S/ 1,155.00" in june and "S/ 2,250.00" in june
    # Groups with their concepts and subtotals.
    assert "Judiciales" in june and "-judic DESCUENTO JUDICIAL: S/ 300.00" in june
    assert "Sindicales" in june and "De terceros" in june
    assert "Otros (sin clasificar)" in july and "S/ 1,100.00" in july  # coop + bank
    event = AuditEvent.objects.get(action=events.OWN_DEDUCTIONS)
    assert event.actor == rosa and event.details["meses"] == 2


def test_classifying_in_data_moves_the_month_above_the_floor(client, rosa):
    """The bank loan is classified as judicial (say, an embargo): July's base becomes
    2000, floor 1000, net 1000: not below."""
    ConceptClassification.objects.create(pattern="-bco*", group="judicial")
    client.force_login(rosa)
    july = section_of(client.get(reverse("boletas:my_deductions")).content.decode(), "JULIO 2022")
    assert "Por debajo del mínimo legal" not in july and "S/ 1,000.00" in july


def test_filters_and_another_servants_boletas(client, rosa, demo_servants):
    client.force_login(rosa)
    page = client.get(reverse("boletas:my_deductions"), {"anio": "2022", "mes": "6"})
    page = page.content.decode()
    assert "JUNIO 2022" in page and "JULIO 2022" not in page
    client.force_login(UserFactory(servant=demo_servants[1]))
    page = client.get(reverse("boletas:my_deductions")).content.decode()
    assert "No hay boletas vigentes para mostrar" in page and "JULIO 2022" not in page


def test_the_menu_names_mis_descuentos(client, rosa):
    client.force_login(rosa)
    assert "Mis descuentos" in client.get(reverse("boletas:mine")).content.decode()


def test_operators_classify_codes_in_the_admin(admin_client):
    url = reverse("admin:boletas_conceptclassification_add")
    response = admin_client.post(url, {"pattern": " -COOP* ", "group": "terceros", "note": ""})
    assert response.status_code == 302
    assert ConceptClassification.objects.get(pattern="-coop*").group == "terceros"
    assert Classifier().group_of("-coopsm") == "terceros"
    again = admin_client.post(url, {"pattern": "-coop*", "group": "ley", "note": ""})
    assert (
        again.status_code == 200
        and ConceptClassification.objects.filter(pattern="-coop*").count() == 1
    )
