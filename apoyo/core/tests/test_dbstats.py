"""core.dbstats: the planner's statistics are gathered after `migrate`, on SQLite and PostgreSQL."""

import pytest
from django.apps import apps
from django.db import connection

from apoyo.core.dbstats import after_migrate, refresh_statistics

pytestmark = pytest.mark.django_db

# Filled by a data migration: ANALYZE records nothing for an empty table on SQLite.
TABLE = "geo_state"


def analysed(table):
    """Whether ANALYZE has recorded statistics of `table`."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            exists = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
            if cursor.execute(exists).fetchone() is None:
                return False
            cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = %s", [table])
            return cursor.fetchone() is not None
        # reltuples is -1 until the table is first analysed (PostgreSQL 14 and later).
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0] >= 0


def forget_statistics(table):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE sqlite_schema")  # creates sqlite_stat1 when missing
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("UPDATE pg_class SET reltuples = -1 WHERE relname = %s", [table])


def test_refresh_statistics_analyses_the_tables_it_is_given():
    forget_statistics(TABLE)
    refresh_statistics([TABLE])
    assert analysed(TABLE)


def test_migrate_gathers_the_planners_statistics():
    forget_statistics(TABLE)
    sender = apps.get_app_config("supports")
    after_migrate(sender, plan=[], using="default")
    assert analysed(TABLE)


def test_the_test_runners_flush_does_not_analyse():
    forget_statistics(TABLE)
    after_migrate(apps.get_app_config("supports"), plan=None, using="default")
    assert not analysed(TABLE)
