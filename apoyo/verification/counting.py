"""Counting a compulsa: each aspirant's valid supports against the threshold and the dispersion rule
(LGIPE 371; DOMAIN.md "Thresholds"), from the per-support results the compulsa stored. A handful
of GROUP BY queries over the run's results; the same SQL runs on SQLite and PostgreSQL."""

import math
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count

from apoyo.processes.models import required_supports
from apoyo.roll.models import NominalListStat
from apoyo.verification.models import AspirantResult, Motive, RunStatus, SupportResult, UnitResult


def count_results(run, office, plan):
    """Each aspirant's captured, valid and per-motivo counts against the threshold and the
    dispersion rule (LGIPE 371; CONTRACT load_setup: required = ceil(percent/100 × LN) of the
    territory; a unit meets when its valid supports reach ceil(min_percent/100 × its LN), the
    same formula: processes.models.required_supports)."""
    process = office.process
    ln_by_section = dict(
        NominalListStat.objects.filter(
            cut_date=plan["cut_date"], state_number=process.state_id
        ).values_list("section_number", "nominal_list")
    )
    sections = list(office.territory_sections().select_related("municipality"))
    territory_ln = sum(ln_by_section.get(s.number, 0) for s in sections)
    required = required_supports(office.threshold_percent, territory_ln)
    motive_counts = counts_by_aspirant_and_motive(run)
    units = dispersion_units(office, sections, ln_by_section)
    valid_by_unit = valid_supports_by_unit(run, office) if units else {}
    aspirant_rows, unit_rows = [], []
    for aspirant in office.aspirants.order_by("code"):
        counts = motive_counts.get(aspirant.pk, {})
        valid = counts.pop("", 0)
        units_met = units_required = None
        if units:
            aspirant_units = unit_results(run, aspirant, units, valid_by_unit.get(aspirant.pk, {}))
            unit_rows.extend(aspirant_units)
            units_met = sum(1 for unit in aspirant_units if unit.met)
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


def unit_results(run, aspirant, units, per_unit):
    """The aspirant's row of each dispersion unit: its valid supports against its minimum."""
    rows = []
    for number, (name, ln, unit_required) in units.items():
        got = per_unit.get(number, 0)
        rows.append(
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
    return rows


def percent(valid, nominal_list):
    if not nominal_list:
        return Decimal("0.00")
    value = Decimal(valid) * 100 / Decimal(nominal_list)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def required_units(office, units_in_territory):
    """How many units must meet: a fixed number, or a fraction of the territory's units rounded
    up (LGIPE 371: e.g. half of the districts)."""
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
    return {
        number: (names[number], ln, required_supports(office.dispersion_min_percent, ln))
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


def run_counts(run):
    """How many aspirants a finished run counted and how many of them meet the requirements."""
    if run.status != RunStatus.DONE:
        return None
    results = AspirantResult.objects.filter(run=run)
    return {"aspirants": results.count(), "meet": results.filter(meets=True).count()}
