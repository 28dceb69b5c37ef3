import re
from datetime import date
from decimal import Decimal

from ayni.boletas.charts import pay_chart, tick_marks

MONTHS = [
    {"period": date(2022, month, 1), "gross": Decimal(2700 + month), "net": Decimal("2319.58")}
    for month in range(1, 11)
]


def test_each_month_has_two_titled_dots_and_a_row_of_data():
    chart = pay_chart(MONTHS)
    dots, rows = chart["point_marks"], chart["data_rows"]
    assert dots.count("<circle") == 2 * len(MONTHS) and rows.count("<tr>") == len(MONTHS)
    assert "<title>ENERO 2022: bruto S/ 2,701.00</title>" in dots
    assert "<title>OCTUBRE 2022: a pagar S/ 2,319.58</title>" in dots
    assert '<tr><td>MARZO 2022</td><td class="num">S/ 2,703.00</td>' in rows
    # Every other month is labelled under the x axis (at most eight labels).
    labels = re.findall(r'text-anchor="middle">([^<]+)</text>', dots)
    assert labels == ["01/22", "03/22", "05/22", "07/22", "09/22"]
    # The dots sit on the lines the polylines draw.
    first = re.search(r'<circle cx="([\d.]+)" cy="([\d.]+)"', dots).groups()
    assert chart["gross_line"].startswith(",".join(first) + " ")


def test_the_marks_are_escaped():
    marks = tick_marks([{"y": '1"><script>', "label": "<b>S/</b>"}])
    assert "<script>" not in marks and "<b>" not in marks
    assert 'y1="1&quot;&gt;&lt;script&gt;"' in marks and "&lt;b&gt;S/&lt;/b&gt;" in marks
