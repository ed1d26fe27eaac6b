from django.db import migrations

from apoyo.supports.catalogue import NATIONAL_INCONSISTENCIES


def load_catalogue(apps, schema_editor):
    Inconsistency = apps.get_model("supports", "Inconsistency")
    for code, name in NATIONAL_INCONSISTENCIES:
        Inconsistency.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("supports", "0001_initial")]
    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
