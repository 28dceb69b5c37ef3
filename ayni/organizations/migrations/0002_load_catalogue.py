from django.db import migrations

from ayni.organizations.catalogue import load_catalogue


def forwards(apps, schema_editor):
    load_catalogue(apps.get_model("organizations", "Unit"))


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
