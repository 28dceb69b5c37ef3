"""The deduction codes of the demo and of docs/planilla-ejemplo.csv, classified; operators
add and change the rest in the admin (`ConceptClassification`)."""

from django.db import migrations

SEED = [
    ("-snp", "ley", "Sistema Nacional de Pensiones (ONP)"),
    ("-afp*", "ley", "AFP: fondo, seguro y comisión"),
    ("-afpfon", "ley", "AFP fondo"),
    ("-afpseg", "ley", "AFP seguro"),
    ("-afpcom", "ley", "AFP comisión"),
    ("-5ta", "ley", "Impuesto a la renta de quinta categoría"),
    ("-essalud*", "ley", "EsSalud a cargo del servidor"),
    ("-judic", "judicial", "Descuento judicial (alimentos, embargos)"),
    ("-sindic", "sindical", "Cuota sindical"),
    ("-derrama", "terceros", "Derrama Magisterial"),
]


def seed(apps, schema_editor):
    ConceptClassification = apps.get_model("boletas", "ConceptClassification")
    for pattern, group, note in SEED:
        ConceptClassification.objects.get_or_create(
            pattern=pattern, defaults={"group": group, "note": note}
        )


def unseed(apps, schema_editor):
    ConceptClassification = apps.get_model("boletas", "ConceptClassification")
    ConceptClassification.objects.filter(pattern__in=[p for p, _, _ in SEED]).delete()


class Migration(migrations.Migration):
    dependencies = [("boletas", "0006_concept_classification")]

    operations = [migrations.RunPython(seed, unseed)]
