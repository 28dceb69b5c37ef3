"""The monthly pay chart as plain SVG, no JavaScript: the coordinates, and the marks drawn
from them (a line and a label per tick, two dots per month, the data table's rows) with every
value escaped. `boletas/_pay_chart.html` lays them out."""

import math
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ayni.core.formats import money, period_label

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 78, 16, 30, 48
MAX_LABELS = 8
TICK_LABEL_X = LEFT - 6  # the y axis' amounts end just left of the plot


def nice_ceiling(value: Decimal) -> Decimal:
    """1, 2 or 5 times a power of ten, at least `value` (the top of the y axis)."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** int(math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def pay_chart(months: list[dict]) -> dict | None:
    """`months`: [{period, gross, net}] oldest first."""
    if not months:
        return None
    top_value = nice_ceiling(max(m["gross"] for m in months))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(months) - 1, 1)

    def y(value) -> float:
        return round(TOP + plot_height * (1 - float(value / top_value)), 1)

    points = []
    label_every = math.ceil(len(months) / MAX_LABELS)
    for index, month in enumerate(months):
        x = round(LEFT + index * step, 1)
        points.append(
            {
                "x": x,
                "gross_y": y(month["gross"]),
                "net_y": y(month["net"]),
                # As the dots' titles and the data table show them (formatted once for both).
                "period": period_label(month["period"]),
                "gross": money(month["gross"]),
                "net": money(month["net"]),
                "label": f"{month['period']:%m/%y}" if index % label_every == 0 else "",
            }
        )
    ticks = [{"y": y(top_value * k / 2), "label": f"{top_value * k / 2:,.0f}"} for k in range(3)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "tick_label_x": TICK_LABEL_X,
        "gross_line": " ".join(f"{p['x']},{p['gross_y']}" for p in points),
        "net_line": " ".join(f"{p['x']},{p['net_y']}" for p in points),
        "unit_y": TOP - 12,
        "tick_marks": tick_marks(ticks),
        "point_marks": point_marks(points),
        "data_rows": data_rows(points),
    }


def tick_marks(ticks: list[dict]) -> SafeString:
    """A grid line across the plot and its amount on the y axis, per tick."""
    return format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart-grid"/>'
        '<text x="{}" y="{}" class="chart-axis" text-anchor="end" dominant-baseline="middle">'
        "{}</text>",
        ((LEFT, WIDTH - RIGHT, t["y"], t["y"], TICK_LABEL_X, t["y"], t["label"]) for t in ticks),
    )


def point_marks(points: list[dict]) -> SafeString:
    """Per month a dot on each line, titled with the month and the amount, and the month
    under the x axis where it is labelled."""
    return format_html_join(
        "",
        '<circle cx="{x}" cy="{gross_y}" r="3" class="chart-gross-dot">'
        "<title>{period}: bruto {gross}</title></circle>"
        '<circle cx="{x}" cy="{net_y}" r="3" class="chart-net-dot">'
        "<title>{period}: a pagar {net}</title></circle>{label}",
        ({**p, "label": _axis_label(p)} for p in points),
    )


def _axis_label(point: dict) -> SafeString:
    if not point["label"]:
        return SafeString()
    return format_html(
        '<text x="{}" y="{}" class="chart-axis" text-anchor="middle">{}</text>',
        point["x"], HEIGHT - BOTTOM + 28, point["label"],
    )  # fmt: skip


def data_rows(points: list[dict]) -> SafeString:
    """The rows of the table that repeats the chart's data."""
    return format_html_join(
        "",
        '<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td></tr>',
        ((p["period"], p["gross"], p["net"]) for p in points),
    )
