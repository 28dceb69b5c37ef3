from django.db import migrations

PREFIX = "SOL"


def move_counters(apps, schema_editor):
    old = apps.get_model("legajo", "RequestSequence")
    new = apps.get_model("core", "CodeSequence")
    new.objects.bulk_create(
        new(prefix=PREFIX, year=row.year, last_number=row.last) for row in old.objects.all()
    )


def restore_counters(apps, schema_editor):
    old = apps.get_model("legajo", "RequestSequence")
    moved = apps.get_model("core", "CodeSequence").objects.filter(prefix=PREFIX)
    old.objects.bulk_create(old(year=row.year, last=row.last_number) for row in moved)
    moved.delete()


class Migration(migrations.Migration):
    """The legajo request counter moves to the one counter of core (ayni.core.sequences)."""

    dependencies = [
        ("legajo", "0001_initial"),
        ("core", "0002_code_sequence"),
    ]

    operations = [
        migrations.RunPython(move_counters, restore_counters),
        migrations.DeleteModel(name="RequestSequence"),
    ]
