"""The monthly pay chart as plain SVG coordinates (drawn by the template, no JavaScript)."""

import math
from decimal import Decimal

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 78, 16, 30, 48
MAX_LABELS = 8


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
                "period": month["period"],
                "gross": month["gross"],
                "net": month["net"],
                "label": f"{month['period']:%m/%y}" if index % label_every == 0 else "",
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "tick_label_x": LEFT - 6,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 28,
        "gross_line": " ".join(f"{p['x']},{p['gross_y']}" for p in points),
        "net_line": " ".join(f"{p['x']},{p['net_y']}" for p in points),
        "unit_y": TOP - 12,
        "ticks": [
            {"y": y(top_value * k / 2), "label": f"{top_value * k / 2:,.0f}"} for k in range(3)
        ],
        "points": points,
    }
