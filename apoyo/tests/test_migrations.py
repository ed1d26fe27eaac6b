"""An existing database keeps working: from the schema a deployed instance has (the last migration
of each app before the apps were split by use case), the migrations of today run forward with its
rows in place, on SQLite and on PostgreSQL alike (CI runs the suite on both)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The leaf migration of each app on the deployed schema (main before the split of supports into
# supports, uploads, review and capture_app; no table moved in that split).
DEPLOYED_SCHEMA = [
    ("accounts", "0004_user_indexes_in_composites"),
    ("geo", "0002_states"),
    ("processes", "0002_holidays"),
    ("aspirants", "0002_auxiliaries"),
    ("supports", "0006_no_checked_status"),
    ("roll", "0006_key_without_id"),
    ("verification", "0004_result_run_without_constraint"),
    ("liaison", "0003_event_area_label"),
]


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest_leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_deployed_schema_migrates_forward_keeping_its_rows():
    migrate_to(DEPLOYED_SCHEMA)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO processes_process (code, name, state_id, roll_cut_date, "
            "has_paper_regime) VALUES ('PEL-MIGR', 'Proceso de prueba', 26, '2020-08-31', %s)",
            [False],
        )
    migrate_to(latest_leaves())
    from apoyo.processes.models import Process

    assert Process.objects.filter(code="PEL-MIGR").exists()
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# Kept by the database itself (supports migrations 0016 and 0017). SQLite drops a table's triggers when
# a migration rebuilds it (any AlterField on supports_support): this test then fails, and the new
# migration must create them again.
SUPPORT_TRIGGERS = {
    "sqlite": {
        "support_tally_insert",
        "support_tally_update",
        "support_tally_delete",
        "support_search_insert",
        "support_search_update",
        "support_search_delete",
    },
    "postgresql": {"support_tally_insert", "support_tally_update", "support_tally_delete"},
}
TRIGGER_NAMES_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'supports_support'",
    "postgresql": "SELECT tgname FROM pg_trigger WHERE tgrelid = 'supports_support'::regclass",
}


@pytest.mark.django_db
def test_the_triggers_that_keep_the_counts_and_the_search_index_survive_every_migration():
    with connection.cursor() as cursor:
        cursor.execute(TRIGGER_NAMES_SQL[connection.vendor])
        names = {row[0] for row in cursor.fetchall()}
    assert SUPPORT_TRIGGERS[connection.vendor] <= names
