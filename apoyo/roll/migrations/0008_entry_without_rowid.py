"""SQLite only: the roll table becomes a WITHOUT ROWID table.

A rowid table with a composite primary key is two b-trees: the rows, keyed by a hidden rowid,
and an automatic index on (clave, cut) pointing at them. Every imported row was written to
both, and every lookup of the compulsa went through the index and then the table. WITHOUT
ROWID stores the rows in the key's own b-tree: one write per row and one descent per lookup.
Measured in plain sqlite3 with 1 million roll-like rows inserted in key order: executemany
2.82 s CPU / 4.75 s wall as a rowid table against 2.62 s / 3.97 s WITHOUT ROWID; INSERT ...
SELECT 2.46 s against 2.05 s CPU; the file 269 MB against 223 MB. (SQLite advises WITHOUT ROWID
for rows under a twentieth of a page, about 200 bytes; a roll row is about half that.)

Django cannot declare WITHOUT ROWID, so the table is rebuilt by hand with its rows, as 0006 did.
Django's own rebuild of a SQLite table (any later AlterField on RollEntry) would make it a rowid
table again: apoyo/tests/test_migrations.py fails then, and that migration must rebuild it as
here. PostgreSQL tables have no rowid: nothing changes there.
"""

from django.db import migrations

TABLE = "roll_rollentry"
DATA_COLUMNS = (
    '"elector_key", "ocr", "cic", "name", "paternal_surname", "maternal_surname", '
    '"birth_date", "sex", "state_number", "section_number", "situation", "removal_cause", '
    '"cut_id"'
)
SQLITE_COLUMNS = (
    '"elector_key" varchar(18) NOT NULL, "ocr" varchar(13) NOT NULL, "cic" varchar(9) NOT NULL, '
    '"name" varchar(120) NOT NULL, "paternal_surname" varchar(120) NOT NULL, '
    '"maternal_surname" varchar(120) NOT NULL, "birth_date" date NULL, "sex" varchar(1) NOT NULL, '
    '"state_number" smallint unsigned NOT NULL CHECK ("state_number" >= 0), '
    '"section_number" integer unsigned NOT NULL CHECK ("section_number" >= 0), '
    '"situation" varchar(6) NOT NULL, "removal_cause" varchar(20) NOT NULL, '
    '"cut_id" bigint NOT NULL, PRIMARY KEY ("elector_key", "cut_id")'
)


def rebuild(table_options):
    """The SQLite statements that copy the table into a new one created with `table_options`.
    The rows are copied in key order, so the new key's b-tree is built by appending."""
    return [
        f'CREATE TABLE "new__{TABLE}" ({SQLITE_COLUMNS}){table_options}',
        f'INSERT INTO "new__{TABLE}" ({DATA_COLUMNS}) SELECT {DATA_COLUMNS} FROM "{TABLE}" '
        f'ORDER BY "elector_key", "cut_id"',
        f'DROP TABLE "{TABLE}"',
        f'ALTER TABLE "new__{TABLE}" RENAME TO "{TABLE}"',
    ]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("roll", "0007_job_heartbeat"),
    ]

    operations = [
        migrations.RunPython(run(rebuild(" WITHOUT ROWID")), run(rebuild(""))),
    ]
