from django.db import migrations

from apoyo.geo.states import STATES


def load_states(apps, schema_editor):
    State = apps.get_model("geo", "State")
    for number, abbreviation, name in STATES:
        State.objects.update_or_create(
            number=number, defaults={"abbreviation": abbreviation, "name": name}
        )


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load_states, migrations.RunPython.noop)]
