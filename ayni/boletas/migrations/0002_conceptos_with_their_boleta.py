import json
from itertools import groupby

from django.db import migrations, models

CHUNK = 2000


def as_json(lines: list) -> str:
    return json.dumps(lines, ensure_ascii=False, separators=(",", ":"))


def conceptos_into_boletas(apps, schema_editor):
    Boleta = apps.get_model("boletas", "Boleta")
    Concepto = apps.get_model("boletas", "Concepto")
    ids = list(Boleta.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = (
            Concepto.objects.filter(boleta_id__in=chunk)
            .order_by("boleta_id", "position")
            .values_list("boleta_id", "code", "description", "kind", "amount")
        )
        lines = {
            boleta_id: as_json([[code, text, kind, str(amount)] for _, code, text, kind, amount in group])
            for boleta_id, group in groupby(rows, key=lambda row: row[0])
        }  # fmt: skip
        boletas = [Boleta(pk=pk, conceptos=lines.get(pk, "[]")) for pk in chunk]
        Boleta.objects.bulk_update(boletas, ["conceptos"])


def conceptos_out_of_boletas(apps, schema_editor):
    Boleta = apps.get_model("boletas", "Boleta")
    Concepto = apps.get_model("boletas", "Concepto")
    boletas = Boleta.objects.order_by("pk").values_list("pk", "conceptos")
    batch = []
    for pk, text in boletas.iterator(chunk_size=CHUNK):
        batch.extend(
            Concepto(boleta_id=pk, position=position, code=code, description=description,
                     kind=kind, amount=amount)
            for position, (code, description, kind, amount) in enumerate(json.loads(text), 1)
        )  # fmt: skip
        if len(batch) >= CHUNK * 10:
            Concepto.objects.bulk_create(batch)
            batch = []
    Concepto.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("boletas", "0001_initial"),
    ]

    operations = [
        # The reverse accessor of the old table would hide the new field during the move.
        migrations.AlterField(
            model_name="concepto",
            name="boleta",
            field=models.ForeignKey(
                db_constraint=False, db_index=False, on_delete=models.deletion.CASCADE,
                related_name="+", to="boletas.boleta", verbose_name="boleta",
            ),
        ),  # fmt: skip
        migrations.AddField(
            model_name="boleta",
            name="conceptos",
            field=models.TextField(default="[]", verbose_name="conceptos"),
        ),
        migrations.RunPython(conceptos_into_boletas, conceptos_out_of_boletas),
        migrations.DeleteModel(
            name="Concepto",
        ),
        migrations.AlterField(
            model_name="boleta",
            name="entity",
            field=models.ForeignKey(
                db_constraint=False, db_index=False, on_delete=models.deletion.PROTECT,
                related_name="boletas", to="organizations.unit", verbose_name="entidad",
            ),
        ),  # fmt: skip
        migrations.AlterField(
            model_name="boleta",
            name="imported_in",
            field=models.ForeignKey(
                db_constraint=False, on_delete=models.deletion.PROTECT, related_name="boletas",
                to="boletas.planillaimport", verbose_name="importada en",
            ),
        ),  # fmt: skip
    ]
