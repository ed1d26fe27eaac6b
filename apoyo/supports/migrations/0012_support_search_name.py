# Support.search_name: the name as searches read it (apoyo.core.search), filled for the rows that
# exist, then indexed for prefix search. The index differs per database, so it is written here
# rather than in the model: PostgreSQL needs the pattern operator class for LIKE 'X%' under a
# non-C collation; SQLite uses an index for LIKE only when it is case-insensitive (NOCASE), as
# its LIKE is.

from django.db import migrations, models

from apoyo.core.search import search_text

BATCH = 5000
INDEX = "support_search_name"
CREATE_INDEX = {
    "postgresql": f"CREATE INDEX {INDEX} ON supports_support (search_name varchar_pattern_ops)",
    "sqlite": f"CREATE INDEX {INDEX} ON supports_support (search_name COLLATE NOCASE)",
}


def fill_search_name(apps, schema_editor):
    """Set search_name of every existing support, in batches (a million rows stay bounded)."""
    Support = apps.get_model("supports", "Support")
    rows = Support.objects.order_by("id").values_list(
        "id", "name", "paternal_surname", "maternal_surname"
    )
    sql = "UPDATE supports_support SET search_name = %s WHERE id = %s"
    batch = []
    with schema_editor.connection.cursor() as cursor:
        for pk, name, paternal, maternal in rows.iterator(chunk_size=BATCH):
            batch.append((search_text(f"{paternal} {maternal} {name}"), pk))
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def create_index(apps, schema_editor):
    sql = CREATE_INDEX.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor in CREATE_INDEX:
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("supports", "0011_upload_retry_and_revert_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="support",
            name="search_name",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                max_length=370,
                verbose_name="nombre para búsqueda",
            ),
        ),
        migrations.RunPython(fill_search_name, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_index, drop_index),
    ]
