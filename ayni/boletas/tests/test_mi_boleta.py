import io
import re
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas.models import Boleta
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import boleta_rows
from ayni.core.models import AuditEvent
from ayni.documents.models import IssuedDocument

pytestmark = pytest.mark.django_db

MONTHS = ["2021-11", "2021-12", "2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06"]


def rosa_rows(period, rim="2780.00", extra=()):
    lines = [
        ("+rim", "REMUNERACION INTEGRA MENSUAL", "INGRESO", rim),
        ("-snp", "SISTEMA NACIONAL DE PENSIONES", "DESCUENTO", "380.42"),
        *extra,
    ]
    return boleta_rows(periodo=period, lines=lines)


@pytest.fixture
def rosa(demo_servants):
    rows = [row for period in MONTHS for row in rosa_rows(period)]
    assert run_import(rows).ok
    return UserFactory(servant=demo_servants[0])


@pytest.fixture
def jose(demo_servants):
    rows = boleta_rows(
        numero_documento="40000002",
        apellido_paterno="D'ANGELO",
        apellido_materno="ÑAUPARI",
        nombres="JOSÉ LUIS",
        cargo="PROC.SIS. PAD",
    )
    assert run_import(rows).ok
    return UserFactory(servant=demo_servants[1])


def page_of(client, **params):
    response = client.get(reverse("boletas:mine"), params)
    assert response.status_code == 200
    return response.content.decode()


def results_of(client, **params):
    """Only the table of boletas found."""
    page = page_of(client, **params)
    return page[page.index("Resultados de búsqueda de boletas") : page.index("</table>")]


def test_mi_boleta_needs_login(client):
    response = client.get(reverse("boletas:mine"))
    assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"]


def test_the_page_shows_personal_data_filters_and_newest_first(client, rosa):
    client.force_login(rosa)
    page = page_of(client)
    for text in [
        "Datos personales",
        "Nombre y apellidos",
        "ROSA ELENA QUISPE MAMANI",
        "Tipo de documento",
        "DNI",
        "Nro. de documento",
        "40000001",
        "Tipo de servidor",
        "Docente Nombrado",
        "Cargo",
        "PROFESOR",
        "Fecha de ingreso",
        "01/03/2009",
        "Filtros de búsqueda",
        "Año",
        "Mes",
        "- Todos -",
        "Buscar",
        "Limpiar",
        "Resultados de búsqueda de boletas",
        "Acciones",
        "Periodo",
        "Tipo de planilla",
        "Estado boleta",
        "Entidad",
        "Monto bruto",
        "Total descuentos",
        "Monto a pagar",
    ]:
        assert text in page, text
    periods = [p for p in ["JUNIO 2022", "MAYO 2022", "ABRIL 2022", "MARZO 2022"] if p in page]
    assert periods == ["JUNIO 2022", "MAYO 2022", "ABRIL 2022", "MARZO 2022"]
    assert page.index("JUNIO 2022") < page.index("MAYO 2022") < page.index("ENERO 2022")
    assert "S/ 2,780.00" in page and "S/ 380.42" in page and "S/ 2,399.58" in page


def test_filters_by_year_and_month(client, rosa):
    client.force_login(rosa)
    june = results_of(client, anio="2022", mes="6")
    assert "JUNIO 2022" in june and "MAYO 2022" not in june
    year_2021 = results_of(client, anio="2021")
    assert "DICIEMBRE 2021" in year_2021 and "NOVIEMBRE 2021" in year_2021
    assert "ENERO 2022" not in year_2021
    empty = results_of(client, anio="2020")
    assert "No hay registros para mostrar" in empty


def test_a_bad_filter_shows_nothing_instead_of_failing(client, rosa):
    client.force_login(rosa)
    page = page_of(client, anio="1999")
    assert "No hay registros para mostrar" in page
    assert "Escoja una opción válida" in page


def test_a_hostile_filter_is_refused_and_shown_escaped(client, rosa):
    client.force_login(rosa)
    page = page_of(client, anio='2022"><script>alert(1)</script>', mes="6")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page  # in the error that names the refused value
    assert 'name="anio" id="id_anio" aria-invalid="true" aria-describedby="id_anio_error"' in page
    assert 'id="id_anio_error"' in page
    assert '<option value="6" selected>Junio</option>' in page  # the valid field keeps its value
    assert "No hay registros para mostrar" in page


def test_results_are_paginated(client, rosa):
    extra = [row for m in range(1, 11) for row in rosa_rows(f"2021-{m:02d}")]
    assert run_import(extra).ok
    client.force_login(rosa)
    first = page_of(client)
    assert "Página 1 de 2 (18 registros)" in first
    second = results_of(client, pagina="2")
    assert "ENERO 2021" in second and "JUNIO 2022" not in second


def test_a_servant_with_no_boletas_sees_an_empty_list(client, demo_servants):
    client.force_login(UserFactory(servant=demo_servants[1]))
    page = page_of(client)
    assert "No hay registros para mostrar" in page
    assert "JOSÉ LUIS D&#x27;ANGELO ÑAUPARI" in page


@pytest.mark.usefixtures("storage")
def test_cargar_then_ver_and_the_pdf_opens_in_the_same_tab(client, rosa):
    client.force_login(rosa)
    assert results_of(client, anio="2022", mes="6").count("Cargar boleta") == 1
    june = Boleta.objects.get(period="2022-06-01")
    response = client.get(reverse("boletas:pdf", args=[june.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="boleta-2022-06-40000001.pdf"'
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "QUISPE MAMANI ROSA ELENA" in text and "S/ 2,399.58" in text
    page = results_of(client, anio="2022", mes="6")
    assert "Ver mi boleta" in page and "Cargar boleta" not in page
    download = client.get(reverse("boletas:pdf", args=[june.pk]), {"descargar": "1"})
    assert download["Content-Disposition"] == ('attachment; filename="boleta-2022-06-40000001.pdf"')
    assert download.content == response.content
    assert IssuedDocument.objects.count() == 1
    assert "target=" not in page_of(client) and "window.open" not in page_of(client)


def test_every_view_and_download_is_logged(client, rosa):
    client.force_login(rosa)
    june = Boleta.objects.get(period="2022-06-01")
    page_of(client)
    client.get(reverse("boletas:pdf", args=[june.pk]), REMOTE_ADDR="192.0.2.40")
    client.get(reverse("boletas:pdf", args=[june.pk]), {"descargar": "1"})
    events = AuditEvent.objects.filter(actor=rosa, action__startswith="boleta.").order_by("id")
    assert [e.action for e in events] == ["boleta.lista", "boleta.vista", "boleta.descarga"]
    view = events[1]
    assert (view.target_type, view.target_id, view.ip) == (
        "boletas.boleta",
        str(june.pk),
        "192.0.2.40",
    )
    assert view.details["emitido_ahora"] is True and events[2].details["emitido_ahora"] is False


def test_another_servants_boleta_ids_are_refused(client, rosa, jose):
    client.force_login(rosa)
    theirs = Boleta.objects.get(servant=jose.servant)
    for name in ("boletas:pdf", "boletas:changes"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.get(reverse("boletas:pdf", args=[theirs.pk]), {"descargar": 1}).status_code == 404
    assert "D&#x27;ANGELO" not in page_of(client)
    assert not IssuedDocument.objects.exists()
    client.force_login(jose)
    assert client.get(reverse("boletas:year_zip", args=[2021])).status_code == 404


def test_a_servant_who_left_keeps_seeing_own_boletas(client, rosa):
    servant = rosa.servant
    servant.unit = None
    servant.save()
    client.force_login(rosa)
    assert "JUNIO 2022" in page_of(client)


def test_an_account_without_servant_has_no_mi_boleta(client, db):
    client.force_login(UserFactory(servant=None))
    assert client.get(reverse("boletas:mine")).status_code == 404


def test_que_cambio_compares_with_the_previous_month(client, rosa):
    july = rosa_rows("2022-07", rim="2900.00", extra=[("+bono", "BONO ESCOLAR", "INGRESO", "100")])
    july = [r for r in july if r["concepto_codigo"] != "-snp"]
    assert run_import(july).ok
    client.force_login(rosa)
    boleta = Boleta.objects.get(period="2022-07-01")
    page = client.get(reverse("boletas:changes", args=[boleta.pk])).content.decode()
    assert "¿Qué cambió en JULIO 2022?" in page
    assert "Comparada con la boleta de <strong>JUNIO 2022</strong>" in page
    new = page[page.index("Conceptos nuevos") : page.index("Conceptos que ya no figuran")]
    assert "BONO ESCOLAR" in new and "S/ 100.00" in new
    gone = page[page.index("Conceptos que ya no figuran") : page.index("Conceptos con otro monto")]
    assert "SISTEMA NACIONAL DE PENSIONES" in gone and "S/ 380.42" in gone
    changed = page[page.index("Conceptos con otro monto") :]
    assert "S/ 2,780.00" in changed and "S/ 2,900.00" in changed and "+S/ 120.00" in changed
    assert "0 concepto(s) sin cambios" in changed


def test_que_cambio_without_an_earlier_boleta(client, rosa):
    client.force_login(rosa)
    first = Boleta.objects.get(period="2021-11-01")
    page = client.get(reverse("boletas:changes", args=[first.pk])).content.decode()
    assert "No hay una boleta anterior de esta planilla para comparar." in page


def test_each_row_links_to_its_own_boleta(client, rosa):
    client.force_login(rosa)
    rows = results_of(client).split("<tr>")[2:]  # past the table's head
    boletas = Boleta.objects.filter(servant=rosa.servant).order_by("-period")
    assert len(rows) == len(MONTHS) == boletas.count()
    for row, boleta in zip(rows, boletas, strict=True):
        pdf = reverse("boletas:pdf", args=[boleta.pk])
        changes = reverse("boletas:changes", args=[boleta.pk])
        links = re.findall(r'href="([^"]+)"', row)
        assert links == [pdf, f"{pdf}?descargar=1", changes]


def test_the_pay_chart_is_plain_svg(client, rosa):
    run_import(rosa_rows("2022-07", rim="3000.00"))
    client.force_login(rosa)
    page = page_of(client)
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in chart
    assert chart.count("<polyline") == 2
    assert chart.count("<circle") == 2 * 9
    assert "JULIO 2022: bruto S/ 3,000.00" in chart and "JULIO 2022: a pagar S/ 2,619.58" in chart
    # The chart needs none: the only scripts are the side menu, the installable app and
    # the control of notices on this device.
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/static/core/menu.js">',
        '<script src="/static/pwa/app.js" defer>',
        '<script src="/static/notifications/avisos.js" defer>',
    ]
    year = page_of(client, anio="2021")
    chart_2021 = year[year.index("<svg") : year.index("</svg>")]
    assert chart_2021.count("<circle") == 2 * 2 and "en 2021" in year


@pytest.mark.usefixtures("storage")
def test_a_year_downloads_as_one_zip(client, rosa):
    aguinaldo = boleta_rows(
        periodo="2021-12",
        tipo_planilla="Aguinaldo",
        lines=[("+aguin", "AGUINALDO", "INGRESO", "300.00")],
    )
    assert run_import(aguinaldo).ok
    client.force_login(rosa)
    assert "Boletas 2021 (ZIP)" in page_of(client)
    response = client.get(reverse("boletas:year_zip", args=[2021]))
    assert response["Content-Type"] == "application/zip"
    assert 'filename="boletas-2021-40000001.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "boleta-2021-11-40000001.pdf",
        "boleta-2021-12-40000001-aguinaldo.pdf",
        "boleta-2021-12-40000001-ley-n-29944.pdf",
    ]
    text = PdfReader(io.BytesIO(archive.read("boleta-2021-12-40000001-aguinaldo.pdf")))
    assert "AGUINALDO" in text.pages[0].extract_text()
    assert AuditEvent.objects.filter(action="boleta.descarga", details__zip=2021).count() == 3


def test_annulled_boletas_are_listed_with_their_state(client, rosa):
    assert run_import(rosa_rows("2022-06", rim="2800.00")).ok
    client.force_login(rosa)
    page = results_of(client, anio="2022", mes="6")
    assert page.count("Anulado") == 1 and page.count("Vigente") == 1


def personal_data(page: str) -> str:
    return page[page.index("Datos personales") : page.index("</dl>")]


def test_the_header_names_the_region_and_the_ugel(client, rosa):
    client.force_login(rosa)
    header = personal_data(page_of(client))
    assert "<dt>Región</dt><dd>DRE LIMA METROPOLITANA</dd>" in header
    assert "<dt>UGEL</dt><dd>UGEL 07 SAN BORJA</dd>" in header


def test_without_boletas_the_header_names_the_servants_own_ugel(client, demo_servants):
    client.force_login(UserFactory(servant=demo_servants[1]))
    header = personal_data(page_of(client))
    assert "<dt>Región</dt><dd>DRE LIMA METROPOLITANA</dd>" in header
    assert "<dt>UGEL</dt><dd>UGEL 07 SAN BORJA</dd>" in header


def test_the_list_leaves_the_conceptos_in_the_database(client, rosa):
    client.force_login(rosa)
    with CaptureQueriesContext(connection) as queries:
        page_of(client)
    boleta_reads = [q["sql"] for q in queries.captured_queries if '"boletas_boleta"' in q["sql"]]
    assert boleta_reads
    assert not [sql for sql in boleta_reads if '"boletas_boleta"."conceptos"' in sql]


def test_the_number_of_queries_does_not_grow_with_the_boletas(client, rosa):
    client.force_login(rosa)
    page_of(client)  # the first request of a session stores it once more
    with CaptureQueriesContext(connection) as few:
        page_of(client)
    periods = [f"{year}-{month:02d}" for year in (2023, 2024) for month in range(1, 13)]
    more = [row for period in periods for row in rosa_rows(period)]
    assert run_import(more).ok
    with CaptureQueriesContext(connection) as many:
        page_of(client)
    assert Boleta.objects.filter(servant=rosa.servant).count() == len(MONTHS) + 24
    assert len(many.captured_queries) == len(few.captured_queries)
