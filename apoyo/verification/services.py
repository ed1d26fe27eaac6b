"""Compulsa, cross-checks and counting (CONTRACT.md run_check and export_results; DOMAIN.md).

Everything is set-based: one INSERT ... SELECT joins the office's supports with the roll cut (or
INE's answers), classifies them and resolves duplicates with window functions; a handful of
GROUP BY queries count them. The same SQL runs on SQLite and PostgreSQL. A run is stored whole
(who, when, which cut), so a published result can be reproduced; the newest finished run is the
current one.
"""

import math
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from apoyo.core.jobs import set_progress
from apoyo.geo.models import Section
from apoyo.roll.models import NominalListStat, RollCut
from apoyo.supports.models import PAPER_CHANNELS, Status, Support
from apoyo.verification.models import (
    AspirantResult,
    CheckRun,
    Motive,
    RunStatus,
    Source,
    SupportResult,
    UnitResult,
)

# Supports a compulsa looks at: captured and not withdrawn; those pending the OPL's review never
# count until a revisor accepts them (DOMAIN.md, pre-captura).
COUNTED_STATUS = Status.PRELIMINARY
FINISHED = (RunStatus.DONE, RunStatus.FAILED)
# A run still queued or running after this long is taken as abandoned (its worker died).
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
    """A run of the office still queued or running, unless it looks abandoned."""
    since = timezone.now() - STALE_AFTER
    runs = CheckRun.objects.filter(office=office, created_at__gte=since)
    return runs.exclude(status__in=FINISHED).order_by("-created_at").first()


def run_check(office, user=None, run=None):
    """Run the compulsa and the cross-checks of every aspirant of the office, and count them.

    Deterministic: the same data gives the same results. Raises CheckError when it cannot run;
    the run is then marked failed and nothing else changes.
    """
    run = run or start_run(office, user)
    set_progress(run, status=RunStatus.RUNNING, phase="Preparando", started_at=timezone.now())
    try:
        with transaction.atomic():
            plan = plan_run(office)
            set_progress(
                run, phase="Compulsa y cruces", cut_date=plan["cut_date"], source=plan["source"]
            )
            classify_supports(run, office, plan)
            count_results(run, office, plan)
    except CheckError as error:
        set_progress(
            run, status=RunStatus.FAILED, phase="", message=str(error), finished_at=timezone.now()
        )
        raise
    supports = SupportResult.objects.filter(run=run).count()
    set_progress(
        run, status=RunStatus.DONE, phase="", supports=supports, finished_at=timezone.now()
    )
    return run


def plan_run(office):
    """Decide the registry source and gather the figures the SQL needs."""
    process = office.process
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


# A clave has at most one entry per cut (the roll's key is the clave and the cut), so the LEFT JOIN keeps one
# row per support; it also keeps the supports as the outer side of the join, looking each clave
# up in the roll's index rather than scanning the roll. Rows are inserted in support order so
# the result indexes grow at their end, not at random.
CLASSIFY_SQL = """
INSERT INTO verification_supportresult
    (run_id, support_id, aspirant_id, registry_status, removal_cause, ocr_match,
     state_number, section_number, duplicity, valid, motive)
WITH base AS MATERIALIZED (
    SELECT s.id AS support_id, s.aspirant_id, s.channel, s.elector_key, s.ocr,
           s.inconsistency_id, s.support_date, s.captured_at
    FROM supports_support s
    JOIN aspirants_aspirant a ON a.id = s.aspirant_id
    WHERE a.office_id = %s AND s.status = %s
),
registry AS MATERIALIZED (
    SELECT b.support_id, b.aspirant_id, b.channel, b.elector_key, b.inconsistency_id,
           b.support_date, b.captured_at,
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
classified AS MATERIALIZED (
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
        PARTITION BY p.elector_key, p.motive0 ORDER BY p.support_date, p.captured_at, p.support_id
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


def count_results(run, office, plan):
    """Each aspirant's captured, valid and per-motivo counts against the threshold and the
    dispersion rule (CONTRACT load_setup: required = ceil(percent/100 × LN); a unit meets when
    its valid supports reach ceil(min_percent/100 × its LN))."""
    process = office.process
    ln_by_section = dict(
        NominalListStat.objects.filter(
            cut_date=plan["cut_date"], state_number=process.state_id
        ).values_list("section_number", "nominal_list")
    )
    sections = list(office.territory_sections().select_related("municipality"))
    territory_ln = sum(ln_by_section.get(s.number, 0) for s in sections)
    required = math.ceil(Decimal(office.threshold_percent) * territory_ln / 100)
    motive_counts = counts_by_aspirant_and_motive(run)
    units = dispersion_units(office, sections, ln_by_section)
    valid_by_unit = valid_supports_by_unit(run, office) if units else {}
    aspirant_rows, unit_rows = [], []
    for aspirant in office.aspirants.order_by("code"):
        counts = motive_counts.get(aspirant.pk, {})
        valid = counts.pop("", 0)
        units_met = units_required = None
        if units:
            per_unit = valid_by_unit.get(aspirant.pk, {})
            for number, (name, ln, unit_required) in units.items():
                got = per_unit.get(number, 0)
                unit_rows.append(
                    UnitResult(
                        run=run,
                        aspirant=aspirant,
                        unit_number=number,
                        unit_name=name,
                        nominal_list=ln,
                        required=unit_required,
                        valid=got,
                        met=got >= unit_required,
                    )
                )
            units_met = sum(1 for n, (_, _, r) in units.items() if per_unit.get(n, 0) >= r)
            units_required = required_units(office, len(units))
        meets = valid >= required and (units_met is None or units_met >= units_required)
        aspirant_rows.append(
            AspirantResult(
                run=run,
                aspirant=aspirant,
                nominal_list=territory_ln,
                required=required,
                captured=valid + sum(counts.values()),
                valid=valid,
                percent=percent(valid, territory_ln),
                units_met=units_met,
                units_required=units_required,
                meets=meets,
                motive_counts={m: counts.get(m, 0) for m in Motive.values},
            )
        )
    AspirantResult.objects.bulk_create(aspirant_rows)
    UnitResult.objects.bulk_create(unit_rows, batch_size=5000)


def percent(valid, nominal_list):
    if not nominal_list:
        return Decimal("0.00")
    value = Decimal(valid) * 100 / Decimal(nominal_list)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def required_units(office, units_in_territory):
    if office.dispersion_min_units is not None:
        return office.dispersion_min_units
    return math.ceil(Decimal(office.dispersion_min_units_fraction) * units_in_territory)


def counts_by_aspirant_and_motive(run):
    rows = (
        SupportResult.objects.filter(run=run)
        .values_list("aspirant_id", "motive")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {}
    for aspirant_id, motive, n in rows:
        counts.setdefault(aspirant_id, {})[motive] = n
    return counts


# How a geo.Section names the unit of each dispersion type.
UNIT_OF_SECTION = {
    "state": lambda s: (s.state_id, ""),
    "municipality": lambda s: (s.municipality.number, s.municipality.name),
    "local_district": lambda s: (
        s.local_district.number,
        f"Distrito local {s.local_district.number}",
    ),
    "federal_district": lambda s: (
        s.federal_district.number,
        f"Distrito federal {s.federal_district.number}",
    ),
    "section": lambda s: (s.number, f"Sección {s.number}"),
}


def dispersion_units(office, sections, ln_by_section):
    """{unit number: (name, LN, required valid supports)} for the units inside the territory."""
    if not office.has_dispersion_rule:
        return {}
    unit_of = UNIT_OF_SECTION[office.dispersion_unit]
    ln_by_unit, names = {}, {}
    for section in sections:
        number, name = unit_of(section)
        ln_by_unit[number] = ln_by_unit.get(number, 0) + ln_by_section.get(section.number, 0)
        names[number] = name
    min_percent = Decimal(office.dispersion_min_percent)
    return {
        number: (names[number], ln, math.ceil(min_percent * ln / 100))
        for number, ln in sorted(ln_by_unit.items())
    }


def valid_supports_by_unit(run, office):
    """{aspirant id: {unit number: valid supports}} through the citizen's section in the roll."""
    unit_column = {
        "state": "g.state_id",
        "municipality": "m.number",
        "local_district": "ld.number",
        "federal_district": "fd.number",
        "section": "g.number",
    }[office.dispersion_unit]
    sql = f"""
        SELECT r.aspirant_id, {unit_column}, COUNT(*)
        FROM verification_supportresult r
        JOIN geo_section g ON g.state_id = r.state_number AND g.number = r.section_number
        JOIN geo_municipality m ON m.id = g.municipality_id
        JOIN geo_localdistrict ld ON ld.id = g.local_district_id
        JOIN geo_federaldistrict fd ON fd.id = g.federal_district_id
        WHERE r.run_id = %s AND r.valid = %s
        GROUP BY r.aspirant_id, {unit_column}
    """  # noqa: S608 - the column comes from the fixed mapping above
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [run.pk, True])
        for aspirant_id, unit, n in cursor.fetchall():
            counts.setdefault(aspirant_id, {})[unit] = n
    return counts
