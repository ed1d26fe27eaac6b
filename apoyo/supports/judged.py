"""Which supports a compulsa has judged, kept for the tally (models/tally.py).

An accepted support reads "verificado" once any compulsa judged it (supports.states). The lists
count those from SupportTally's `judged` buckets: counting them from the results probes every
accepted support of the entity (0.3-0.8 s at a million, after each compulsa, on every list). The
tally's triggers read JudgedSupport when a support changes; the compulsa calls record_judged
once its results are written, which moves the newly judged supports' counts to judged buckets.
"""

from django.db import connection

from apoyo.core.dbstats import refresh_statistics
from apoyo.supports.models import JudgedSupport, Support, SupportTally

# Literal table names only: nothing here comes from outside.
TALLY = SupportTally._meta.db_table
JUDGED = JudgedSupport._meta.db_table
SUPPORTS = Support._meta.db_table

# The newly judged supports per tally bucket, as they stand now.
FRESH_GROUPS = f"""
    SELECT s.aspirant_id, s.status, s.channel, s.inconsistency_id IS NOT NULL, COUNT(*)
    FROM {SUPPORTS} s
    WHERE s.id IN ({{judged}})
      AND NOT EXISTS (SELECT 1 FROM {JUDGED} j WHERE j.support_id = s.id)
    GROUP BY 1, 2, 3, 4
"""  # noqa: S608
# Not by testing each id against the table it writes: PostgreSQL planned that as a scan of the
# table per row, growing as the statement wrote it (minutes at a million).
MARK = f"""
    INSERT INTO {JUDGED} (support_id) {{judged}}
    ON CONFLICT (support_id) DO NOTHING
"""  # noqa: S608
TAKE_OUT = f"""
    UPDATE {TALLY} SET n = n - %s
    WHERE aspirant_id = %s AND status = %s AND channel = %s AND rejected = %s AND NOT judged
"""  # noqa: S608
PUT_IN = f"""
    INSERT INTO {TALLY} (aspirant_id, status, channel, rejected, judged, n)
    VALUES (%s, %s, %s, %s, TRUE, %s)
    ON CONFLICT (aspirant_id, status, channel, rejected, judged)
    DO UPDATE SET n = {TALLY}.n + EXCLUDED.n
"""  # noqa: S608


def record_judged(support_ids):
    """Record as judged the supports of `support_ids` (a queryset of support ids: a run's results)
    that were not yet, moving their counts in the tally. Runs in the compulsa's transaction.

    On PostgreSQL the supports table is locked against writes until the run commits (a second
    or so at a million results): a support changed meanwhile would be counted out of the bucket
    it left before this counted it in."""
    sql, params = support_ids.query.sql_with_params()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {SUPPORTS} IN SHARE ROW EXCLUSIVE MODE")
        # Its size as it is now: planned as an empty table, the test of each support against it
        # would read all of it once per support.
        refresh_statistics([JUDGED])
    with connection.cursor() as cursor:
        cursor.execute(FRESH_GROUPS.format(judged=sql), params)
        groups = cursor.fetchall()
        for aspirant_id, status, channel, rejected, n in groups:
            bucket = [aspirant_id, status, channel, bool(rejected)]
            cursor.execute(TAKE_OUT, [n, *bucket])
            cursor.execute(PUT_IN, [*bucket, n])
        cursor.execute(MARK.format(judged=sql), params)
