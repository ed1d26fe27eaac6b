# A word index over Support.search_name for the lists' name search (supports/search.py): every
# word typed must begin a word of the name, which is a word index's prefix query. The index is
# written per database, so it lives here rather than in the model:
# - SQLite: an FTS5 table whose content is supports_support itself (no second copy of the names),
#   kept by triggers on every insert, delete and change of the name. A migration that rebuilds
#   supports_support on SQLite drops its triggers: it must create them again (SQLITE_TRIGGERS).
# - PostgreSQL: a GIN index over to_tsvector('simple', search_name) ('simple': no stemming, no stop
#   words, as names need); a word is a few GIN entries, cheaper to keep than trigrams.
# The prefix index of migration 0012 served only the search this replaces: it is dropped, so the
# carga masiva keeps one index to write instead of two.

import importlib

from django.db import migrations

FTS = "support_search"
# Literal table names only (S608): nothing here comes from outside.
SQLITE_INSERT = f"INSERT INTO {FTS} (rowid, search_name) VALUES (NEW.id, NEW.search_name);"  # noqa: S608
SQLITE_DELETE = (
    f"INSERT INTO {FTS} ({FTS}, rowid, search_name) "  # noqa: S608
    "VALUES ('delete', OLD.id, OLD.search_name);"
)
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER support_search_insert AFTER INSERT ON supports_support BEGIN {SQLITE_INSERT} END",
    f"CREATE TRIGGER support_search_delete AFTER DELETE ON supports_support BEGIN {SQLITE_DELETE} END",
    "CREATE TRIGGER support_search_update AFTER UPDATE OF search_name ON supports_support "
    "WHEN OLD.search_name IS NOT NEW.search_name "
    f"BEGIN {SQLITE_DELETE} {SQLITE_INSERT} END",
]
SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5("
    "search_name, content='supports_support', content_rowid='id', tokenize='unicode61')",
    # The names stored before this migration.
    f"INSERT INTO {FTS} ({FTS}) VALUES ('rebuild')",  # noqa: S608
    *SQLITE_TRIGGERS,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS support_search_insert",
    "DROP TRIGGER IF EXISTS support_search_delete",
    "DROP TRIGGER IF EXISTS support_search_update",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES_INDEX = "support_search_words"
POSTGRES_CREATE = [
    f"CREATE INDEX {POSTGRES_INDEX} ON supports_support "
    "USING gin (to_tsvector('simple', search_name))",
]
POSTGRES_DROP = [f"DROP INDEX IF EXISTS {POSTGRES_INDEX}"]

CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}
DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}
OLD_INDEX = importlib.import_module("apoyo.supports.migrations.0012_support_search_name")


def create_index(apps, schema_editor):
    OLD_INDEX.drop_index(apps, schema_editor)
    for statement in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)
    OLD_INDEX.create_index(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("supports", "0016_support_tally"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
