"""PostgreSQL only: claves de elector compare byte by byte (COLLATE "C").

Claves are plain ASCII, so the linguistic collation of the database gives the same order at
several times the cost: building the roll's unique key after a national load and every lookup of
the compulsa go through it. The roll's and the supports' columns change together, because the
compulsa joins them and PostgreSQL refuses to compare two different implicit collations. SQLite
already compares bytes. A later AlterField of either column must keep this collation.
"""

from django.db import migrations

COLUMNS = [("roll_rollentry", "elector_key"), ("supports_support", "elector_key")]


def bytewise(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(
            f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE varchar(18) COLLATE "C"'
        )


def linguistic(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(
            f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE varchar(18) COLLATE "default"'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("roll", "0004_entry_cut_without_constraint"),
        ("supports", "0005_app_capture"),
    ]

    operations = [migrations.RunPython(bytewise, linguistic)]
