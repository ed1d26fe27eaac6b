# Municipality names loaded without the accent of their capital letter (INE writes "Alamos" for
# Álamos) take the official spelling; a name edited to anything else is left alone.

from django.db import migrations

from apoyo.geo.names import ACCENTED_NAMES


def accent_names(apps, schema_editor):
    Municipality = apps.get_model("geo", "Municipality")
    for (state, number), (plain, accented) in ACCENTED_NAMES.items():
        Municipality.objects.filter(state_id=state, number=number, name=plain).update(
            name=accented
        )


def plain_names(apps, schema_editor):
    Municipality = apps.get_model("geo", "Municipality")
    for (state, number), (plain, accented) in ACCENTED_NAMES.items():
        Municipality.objects.filter(state_id=state, number=number, name=accented).update(
            name=plain
        )


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_states")]
    operations = [migrations.RunPython(accent_names, plain_names)]
