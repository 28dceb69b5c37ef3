"""Prometheus view of the planilla imports, read from their history (PlanillaImport)."""

from django.db.models import Count, Max, Sum
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

RESULT_COLUMNS = ["boletas_created", "boletas_replaced", "boletas_unchanged", "boletas_withdrawn"]


class PlanillaImportsCollector:
    def describe(self):
        return self._families()

    def _families(self):
        return [
            GaugeMetricFamily("ayni_planilla_imports", "Planilla imports by origin and result.",
                              labels=["origin", "state"]),
            CounterMetricFamily("ayni_planilla_import_lines", "Lines of imported planillas."),
            CounterMetricFamily("ayni_planilla_import_boletas",
                                "Boletas of imported planillas, by what the import did.",
                                labels=["result"]),
            GaugeMetricFamily("ayni_planilla_import_last_finished_timestamp_seconds",
                              "When the last planilla import finished."),
        ]  # fmt: skip

    def collect(self):
        from ayni.boletas.models import PlanillaImport

        imports, lines, boletas, last = self._families()
        rows = PlanillaImport.objects.values("origin", "state").annotate(n=Count("id"))
        for row in rows.order_by("origin", "state"):
            imports.add_metric([row["origin"], row["state"]], row["n"])
        done = PlanillaImport.objects.filter(state=PlanillaImport.State.IMPORTED).aggregate(
            lines=Sum("lines"), last=Max("finished_at"),
            **{column: Sum(column) for column in RESULT_COLUMNS},
        )  # fmt: skip
        lines.add_metric([], done["lines"] or 0)
        for column in RESULT_COLUMNS:
            boletas.add_metric([column.removeprefix("boletas_")], done[column] or 0)
        if done["last"] is not None:
            last.add_metric([], done["last"].timestamp())
        return [imports, lines, boletas, last]
