"""Compulsa and cross-checks (CONTRACT.md run_check; DOMAIN.md lifecycle steps 3 and 4; LGIPE 385
for what does not count); the counting against the thresholds is in counting.py.

Everything is set-based: one INSERT ... SELECT joins the office's supports with the roll cut (or
INE's answers), classifies them and resolves duplicates with window functions; a handful of
GROUP BY queries count them. The same SQL runs on SQLite and PostgreSQL. A run is stored whole
(who, when, which cut), so a published result can be reproduced; the newest finished run is the
current one.
"""

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apoyo.core.dbstats import refresh_statistics
from apoyo.core.jobs import fail_dead, own_connection, set_progress
from apoyo.geo.models import Section
from apoyo.roll.models import NominalListStat, RollCut
from apoyo.supports.judged import record_judged
from apoyo.supports.models import PAPER_CHANNELS, Status, Support
from apoyo.verification.counting import count_results
from apoyo.verification.models import CheckRun, RunStatus, Source, SupportResult

# Supports a compulsa looks at: captured and not withdrawn; those pending the OPL's review never
# count until a revisor accepts them (DOMAIN.md, pre-captura).
COUNTED_STATUS = Status.PRELIMINARY
FINISHED = (RunStatus.DONE, RunStatus.FAILED)
# A run still queued after this long is taken as abandoned (no worker took it); a running one is
# judged by its heartbeat (apoyo.core.jobs).
STALE_AFTER = timedelta(hours=2)


class CheckError(Exception):
    """The compulsa cannot run; the message says why, in Spanish."""


def current_run(office):
    """The newest finished run of the office: the published preliminary result."""
    runs = CheckRun.objects.filter(office=office, status=RunStatus.DONE)
    return runs.order_by("-finished_at", "-id").first()


def start_run(office, user=None):
    return CheckRun.objects.create(office=office, run_by=user, source=Source.ROLL)


def active_run(office):
    """A run of the office still queued or running, unless it looks abandoned: running with a
    stale heartbeat (then marked failed, apoyo.core.jobs), or queued this long."""
    fail_dead(CheckRun.objects.filter(office=office))
    since = timezone.now() - STALE_AFTER
    runs = CheckRun.objects.filter(office=office, created_at__gte=since)
    return runs.exclude(status__in=FINISHED).order_by("-created_at").first()


def run_check(office, user=None, run=None):
    """Run the compulsa and the cross-checks of every aspirant of the office, and count them
    (LGIPE 385: a support counts only from a citizen in the Lista Nominal of the office's
    territory, once, and for the first aspirant they supported).

    Deterministic: the same data gives the same results. Raises CheckError when it cannot run;
    the run is then marked failed and nothing else changes.
    """
    run = run or start_run(office, user)
    set_progress(run, status=RunStatus.RUNNING, phase="Preparando", started_at=timezone.now())
    try:
        with transaction.atomic(), own_connection() as through:
            plan = plan_run(office)
            # Apart from the run's transaction on PostgreSQL: the page sees the phase at once, and
            # the run's row stays unlocked for its heartbeat (apoyo.core.jobs).
            set_progress(run, through, phase="Compulsa y cruces")
            classify_supports(run, office, plan)
            count_results(run, office, plan)
            analyze_results()  # first: record_judged reads the results just written
            record_judged(SupportResult.objects.filter(run=run).values("support_id"))
            close_run(run, plan)
    except CheckError as error:
        set_progress(
            run, status=RunStatus.FAILED, phase="", message=str(error), finished_at=timezone.now()
        )
        raise
    return run


def analyze_results():
    """PostgreSQL: fresh statistics of the results, in the run's transaction. What follows reads
    them in bulk: record_judged groups the newly judged supports from them, and the results pages
    read them right after the run. Planned with the statistics of an empty table, PostgreSQL looked
    each of a million supports up one by one (4.7 s on a page right after a compulsa, against
    0.4 s by a hash join). SQLite's plans for them do not depend on them, and analysing a million
    results there costs the compulsa a second."""
    if connection.vendor == "postgresql":
        refresh_statistics([SupportResult._meta.db_table])


def close_run(run, plan):
    """Mark the run done in the transaction that stored its results: a worker killed before the
    commit leaves neither, one killed after leaves both (never results of an unfinished run)."""
    set_progress(
        run,
        status=RunStatus.DONE,
        phase="",
        cut_date=plan["cut_date"],
        source=plan["source"],
        supports=SupportResult.objects.filter(run=run).count(),
        finished_at=timezone.now(),
    )


def plan_run(office):
    """Decide the registry source and gather the figures the SQL needs."""
    process = office.process
    if process.personal_data_purged_at:
        # The claves are hashes now (apoyo.retention): a new compulsa would find no one.
        raise CheckError(
            f"Los datos personales del proceso {process.code} ya se suprimieron; no se puede "
            "ejecutar otra compulsa. Los resultados y dictámenes guardados se conservan."
        )
    cut_date = process.roll_cut_date
    if cut_date is None:
        raise CheckError(f"El proceso {process.code} no tiene fecha de corte de la Lista Nominal.")
    cut = RollCut.objects.filter(cut_date=cut_date).first()
    if cut is None:
        missing = supports_of(office).filter(ine_answer__isnull=True).count()
        if missing:
            raise CheckError(
                f"No hay corte del padrón del {cut_date:%d/%m/%Y} y {missing} apoyos no tienen "
                "resultado del INE: importe el padrón o los resultados del INE."
            )
    if not NominalListStat.objects.filter(
        cut_date=cut_date, state_number=process.state_id
    ).exists():
        raise CheckError(
            f"No hay estadísticas de Lista Nominal del corte {cut_date:%d/%m/%Y} para la entidad."
        )
    return {
        "cut_date": cut_date,
        "cut_id": cut.pk if cut else None,
        "source": Source.ROLL if cut else Source.INE,
        "state": process.state_id,
    }


def supports_of(office):
    return Support.objects.filter(aspirant__office=office, status=COUNTED_STATUS)


def subquery(queryset):
    sql, params = queryset.order_by().query.sql_with_params()
    return sql, list(params)


def territory_sections(office):
    return office.territory_sections().values("number")


def paper_regime_sections(process):
    regime = Q(municipality__in=process.paper_regime_municipalities.all()) | Q(
        pk__in=process.paper_regime_sections.all()
    )
    return Section.objects.filter(regime, state=process.state_id).values("number")


# A clave has at most one entry per cut (the roll's key is the clave and the cut), so the LEFT
# JOIN keeps one row per support; it also keeps the supports as the outer side of the join,
# looking each clave up in the roll's index rather than scanning the roll, in clave order, so
# the probes walk the index from one end to the other instead of jumping about it (measured
# on PostgreSQL at Sonora scale: 3 µs a probe instead of 8). Rows are inserted in
# support order so the result indexes grow at their end, not at random.
# Earliest (CONTRACT export_results and upload_supports, settled cases): by written date, ties by
# capture order; a support without a written date (a bulk row without FECHA_APOYO) after every
# written one, by upload (captured_at: one instant per upload) then row order (id). written_date
# is NULL for all of those, so the databases' different NULL ordering never matters.
# PostgreSQL materializes registry and classified (their plan is kept apart from what follows);
# SQLite would write each to a temporary b-tree of 100,000 wide rows, and runs them as part of the
# next step instead: 23 % less CPU at 100,000 supports (1.38 -> 1.07 s).
CLASSIFY_SQL = """
INSERT INTO verification_supportresult
    (run_id, support_id, aspirant_id, registry_status, removal_cause, ocr_match,
     state_number, section_number, duplicity, valid, motive)
WITH base AS MATERIALIZED (
    SELECT s.id AS support_id, s.aspirant_id, s.channel, s.elector_key, s.ocr,
           s.inconsistency_id, s.captured_at,
           CASE WHEN s.date_written THEN 0 ELSE 1 END AS undated,
           CASE WHEN s.date_written THEN s.support_date END AS written_date
    FROM supports_support s
    JOIN aspirants_aspirant a ON a.id = s.aspirant_id
    WHERE a.office_id = %s AND s.status = %s
    ORDER BY s.elector_key
),
registry AS {materialized} (
    SELECT b.support_id, b.aspirant_id, b.channel, b.elector_key, b.inconsistency_id,
           b.undated, b.written_date, b.captured_at,
           CASE WHEN i.support_id IS NOT NULL THEN i.registry_status ELSE r.situation END
               AS situation,
           CASE WHEN i.support_id IS NOT NULL THEN i.removal_cause ELSE r.removal_cause END
               AS removal_cause,
           CASE WHEN i.support_id IS NOT NULL THEN i.state_number ELSE r.state_number END
               AS state_number,
           CASE WHEN i.support_id IS NOT NULL THEN i.section_number ELSE r.section_number END
               AS section_number,
           CASE WHEN i.support_id IS NOT NULL OR r.elector_key IS NULL THEN NULL
                WHEN r.ocr = b.ocr THEN TRUE ELSE FALSE END AS ocr_match
    FROM base b
    LEFT JOIN roll_rollentry r ON r.cut_id = %s AND r.elector_key = b.elector_key
    LEFT JOIN verification_ineanswer i ON i.support_id = b.support_id
),
classified AS {materialized} (
    SELECT g.*,
           CASE
               WHEN g.situation IS NULL OR g.situation = 'NO_ENCONTRADO' THEN 'NO_ENCONTRADO'
               WHEN g.situation IN ('BAJA', 'PADRON', 'FUERA_AMBITO') THEN g.situation
               WHEN g.state_number = %s AND g.section_number IN ({territory}) THEN 'LN'
               ELSE 'FUERA_AMBITO'
           END AS registry_status
    FROM registry g
),
premotive AS (
    SELECT c.*,
           CASE
               WHEN c.inconsistency_id IS NOT NULL THEN 'INCONSISTENCIA'
               WHEN c.registry_status <> 'LN' THEN c.registry_status
               WHEN %s AND c.channel IN ({paper}) AND c.section_number NOT IN ({regime})
                   THEN 'FUERA_REGIMEN_EXCEPCION'
               ELSE ''
           END AS motive0
    FROM classified c
),
ranked AS (
    SELECT p.*,
           ROW_NUMBER() OVER citizen AS rank_in_citizen,
           -- A ROWS frame: the first row without the peer grouping of the default RANGE frame.
           FIRST_VALUE(p.aspirant_id) OVER (
               citizen ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
           ) AS first_aspirant
    FROM premotive p
    WINDOW citizen AS (
        PARTITION BY p.elector_key, p.motive0
        ORDER BY p.undated, p.written_date, p.captured_at, p.support_id
    )
)
SELECT %s, support_id, aspirant_id, registry_status,
       CASE WHEN registry_status = 'BAJA' THEN COALESCE(removal_cause, '') ELSE '' END,
       ocr_match, state_number, section_number,
       CASE WHEN motive0 <> '' OR rank_in_citizen = 1 THEN ''
            WHEN first_aspirant = aspirant_id THEN 'DUPLICADO_MISMO'
            ELSE 'DUPLICADO_OTRO' END,
       CASE WHEN motive0 = '' AND rank_in_citizen = 1 THEN TRUE ELSE FALSE END,
       CASE WHEN motive0 <> '' THEN motive0
            WHEN rank_in_citizen = 1 THEN ''
            WHEN first_aspirant = aspirant_id THEN 'DUPLICADO_MISMO'
            ELSE 'DUPLICADO_OTRO' END
FROM ranked
ORDER BY support_id
"""


def classify_supports(run, office, plan):
    """Every support of the office gets its situación registral, OCR match, duplicity, validity
    and motivo in one statement (LGIPE 385.2 g: among a citizen's otherwise valid supports for
    aspirants to the same office, only the earliest counts)."""
    process = office.process
    territory_sql, territory_params = subquery(territory_sections(office))
    regime_sql, regime_params = subquery(paper_regime_sections(process))
    paper = sorted(PAPER_CHANNELS)
    sql = CLASSIFY_SQL.format(
        materialized="MATERIALIZED" if connection.vendor == "postgresql" else "",
        territory=territory_sql,
        regime=regime_sql,
        paper=", ".join(["%s"] * len(paper)),
    )
    params = [
        office.pk,
        COUNTED_STATUS,
        plan["cut_id"] or 0,
        plan["state"],
        *territory_params,
        process.has_paper_regime,
        *paper,
        *regime_params,
        run.pk,
    ]
    with connection.cursor() as cursor:
        tune_postgresql(cursor)
        cursor.execute(sql, params)
        untune_postgresql(cursor)


def tune_postgresql(cursor):
    """Settings for this transaction only.

    - Foreign keys checked as rows are written rather than queued to the commit (cheaper for
      many rows, as in the carga masiva).
    - Fresh statistics: a compulsa often follows a large upload that autovacuum has not analysed
      yet, and stale row estimates turn the join into a nested loop over the whole roll.
    - Supports are looked up in the roll through its key (clave, cut): no hash or merge join.
      Costed for spinning disks, a hash join reads the whole roll instead, which at 100 million
      rows (a national roll) is a scan of gigabytes against a million index probes.
    - No JIT: compiling this query costs more than running it. More work memory: the window
      sorts stay in memory.
    """
    if connection.vendor != "postgresql":
        return
    cursor.execute("ANALYZE supports_support")
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET LOCAL enable_hashjoin = off")
    cursor.execute("SET LOCAL enable_mergejoin = off")
    cursor.execute("SET LOCAL jit = off")
    cursor.execute("SET LOCAL work_mem = '256MB'")


def untune_postgresql(cursor):
    """Hash and merge joins back for the rest of the run's transaction (SET LOCAL lasts until the
    commit): the counting queries that follow join a million results with the geography, where
    they are the right plans. JIT stays off and the work memory stays larger."""
    if connection.vendor != "postgresql":
        return
    cursor.execute("RESET enable_hashjoin")
    cursor.execute("RESET enable_mergejoin")
