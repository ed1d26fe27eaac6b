"""Support.status no longer has "checked": what a compulsa said of a support is its result in
that run (verification.SupportResult), and rewriting every support after each run cost more than
the compulsa itself at a million supports. Supports marked checked return to preliminary, the
status they had when the compulsa read them."""

from django.db import migrations, models


def checked_to_preliminary(apps, schema_editor):
    Support = apps.get_model("supports", "Support")
    Support.objects.filter(status="checked").update(status="preliminary")


class Migration(migrations.Migration):
    dependencies = [
        ("supports", "0005_app_capture"),
    ]

    operations = [
        migrations.RunPython(checked_to_preliminary, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="support",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending_review", "Pendiente de revisión"),
                    ("preliminary", "Preliminar"),
                    ("withdrawn", "Retirado"),
                ],
                max_length=20,
                verbose_name="estado",
            ),
        ),
    ]
