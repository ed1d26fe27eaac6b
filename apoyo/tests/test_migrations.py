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


# roll migration 0008: on SQLite the roll is a WITHOUT ROWID table, its rows in the key's own
# b-tree. Django's rebuild of a SQLite table (any AlterField on RollEntry) makes it a rowid table
# again, silently: this test then fails, and the new migration must rebuild it as 0008 does.
ROLL_TABLE_SQL = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'roll_rollentry'"


def roll_table_without_rowid():
    with connection.cursor() as cursor:
        cursor.execute(ROLL_TABLE_SQL)
        return cursor.fetchone()[0].rstrip().upper().endswith("WITHOUT ROWID")


@pytest.mark.django_db
def test_the_sqlite_roll_table_stays_without_rowid_after_every_migration():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL tables have no rowid")
    assert roll_table_without_rowid()


ROLL_ROW_SQL = (
    "INSERT INTO roll_rollentry (elector_key, ocr, cic, name, paternal_surname, "
    "maternal_surname, birth_date, sex, state_number, section_number, situation, removal_cause, "
    "cut_id) VALUES ('GRLPJN80010126H100', '1234567890123', '123456789', 'JUAN', 'GARCIA', "
    "'LOPEZ', '1980-01-01', 'H', 26, 1, 'LN', '', %s)"
)


def roll_keys():
    with connection.cursor() as cursor:
        cursor.execute("SELECT elector_key, cut_id FROM roll_rollentry")
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_roll_table_keeps_its_rows_both_ways_of_the_without_rowid_migration():
    migrate_to([("roll", "0007_job_heartbeat")])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO roll_rollcut (cut_date, imported_at, source_name, entries) "
            "VALUES ('2020-08-31', '2020-09-01 00:00:00', '', 1)"
        )
        cursor.execute("SELECT id FROM roll_rollcut WHERE cut_date = '2020-08-31'")
        cut_id = cursor.fetchone()[0]
        cursor.execute(ROLL_ROW_SQL, [cut_id])
    expected = [("GRLPJN80010126H100", cut_id)]

    migrate_to([("roll", "0008_entry_without_rowid")])
    assert roll_keys() == expected
    assert connection.vendor != "sqlite" or roll_table_without_rowid()

    migrate_to([("roll", "0007_job_heartbeat")])
    assert roll_keys() == expected
    assert connection.vendor != "sqlite" or not roll_table_without_rowid()
    migrate_to(latest_leaves())
