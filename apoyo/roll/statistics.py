"""Lista Nominal statistics of a cut, aggregated per unit of an entity (DOMAIN.md "Thresholds":
every percentage is of the Lista Nominal of a territory). Counts only: no roll records."""

from dataclasses import dataclass

from apoyo.geo.models import Section
from apoyo.roll.models import NominalListStat
from apoyo.roll.services import nominal_list_by_section

LEVELS = {
    "seccion": "Sección",
    "municipio": "Municipio",
    "distrito_local": "Distrito local",
    "distrito_federal": "Distrito federal",
}
DEFAULT_LEVEL = "municipio"


@dataclass
class Unit:
    number: int
    name: str
    sections: int = 0
    sections_with_data: int = 0
    nominal_list: int = 0


def cut_dates(state_number):
    """Cut dates with statistics for the entity, newest first."""
    dates = NominalListStat.objects.filter(state_number=state_number).values_list(
        "cut_date", flat=True
    )
    return sorted(set(dates), reverse=True)


def _unit_of(section, level):
    if level == "seccion":
        return section.number, section.municipality.name
    if level == "municipio":
        return section.municipality.number, section.municipality.name
    if level == "distrito_local":
        return section.local_district.number, ""
    return section.federal_district.number, ""


def nominal_list_per_unit(cut_date, state_number, level=DEFAULT_LEVEL) -> list[Unit]:
    """Lista Nominal per section, municipality, local or federal district of the entity.

    Every unit of the loaded geography is listed, with how many of its sections have a count."""
    counts = nominal_list_by_section(cut_date, state_number)
    sections = Section.objects.filter(state_id=state_number).select_related(
        "municipality", "local_district", "federal_district"
    )
    units = {}
    for section in sections:
        number, name = _unit_of(section, level)
        unit = units.setdefault(number, Unit(number=number, name=name))
        unit.sections += 1
        if section.number in counts:
            unit.sections_with_data += 1
            unit.nominal_list += counts[section.number]
    return [units[number] for number in sorted(units)]


def totals(units: list[Unit]) -> Unit:
    total = Unit(number=0, name="Total")
    for unit in units:
        total.sections += unit.sections
        total.sections_with_data += unit.sections_with_data
        total.nominal_list += unit.nominal_list
    return total
