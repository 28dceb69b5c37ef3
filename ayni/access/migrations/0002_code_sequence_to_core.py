from django.db import migrations

PREFIXES = ("ACC", "AYU")  # access requests and help requests


def move_counters(apps, schema_editor):
    old = apps.get_model("access", "CodeSequence")
    new = apps.get_model("core", "CodeSequence")
    new.objects.bulk_create(
        new(prefix=row.prefix, year=row.year, last_number=row.last_number)
        for row in old.objects.all()
    )


def restore_counters(apps, schema_editor):
    old = apps.get_model("access", "CodeSequence")
    moved = apps.get_model("core", "CodeSequence").objects.filter(prefix__in=PREFIXES)
    old.objects.bulk_create(
        old(prefix=row.prefix, year=row.year, last_number=row.last_number) for row in moved
    )
    moved.delete()


class Migration(migrations.Migration):
    """The access request counters move to the one counter of core (ayni.core.sequences)."""

    dependencies = [
        ("access", "0001_initial"),
        ("core", "0002_code_sequence"),
    ]

    operations = [
        migrations.RunPython(move_counters, restore_counters),
        migrations.DeleteModel(name="CodeSequence"),
    ]
