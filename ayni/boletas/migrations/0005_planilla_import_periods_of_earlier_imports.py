"""The periods of the imports made before they were recorded (the history's filter)."""

from django.db import migrations


def fill_periods(apps, schema_editor):
    PlanillaImport = apps.get_model("boletas", "PlanillaImport")
    Boleta = apps.get_model("boletas", "Boleta")
    periods = {}
    rows = Boleta.objects.values_list("imported_in_id", "period").distinct()
    for import_id, period in rows.iterator():
        periods.setdefault(import_id, set()).add(period)
    for import_id, found in periods.items():
        text = " ".join(f"{p:%Y-%m}" for p in sorted(found))
        PlanillaImport.objects.filter(pk=import_id, periods="").update(periods=text)


class Migration(migrations.Migration):
    dependencies = [("boletas", "0004_planilla_preview_totals_and_outcome")]

    operations = [migrations.RunPython(fill_periods, migrations.RunPython.noop)]
