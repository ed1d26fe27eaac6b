# The supports that compulsas already judged (they have results), for the tally's judged buckets
# (supports migration 0018, supports/judged.py); then the tally counted again with them.

import importlib

from django.db import migrations

TALLY_0018 = importlib.import_module("apoyo.supports.migrations.0018_support_tally_judged")
BACKFILL = """
    INSERT INTO supports_judgedsupport (support_id)
    SELECT DISTINCT support_id FROM verification_supportresult
"""


def record_judged(apps, schema_editor):
    for statement in [BACKFILL, *TALLY_0018.REBUILD]:
        schema_editor.execute(statement, params=None)


def forget_judged(apps, schema_editor):
    schema_editor.execute("DELETE FROM supports_judgedsupport", params=None)
    for statement in TALLY_0018.REBUILD:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("supports", "0018_support_tally_judged"),
        ("verification", "0007_result_indexes_in_capture_order"),
    ]

    operations = [migrations.RunPython(record_judged, forget_judged)]
