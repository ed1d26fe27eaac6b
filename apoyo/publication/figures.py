"""The public figures of an office: each aspirant's counts in each published run.

They are read through the verification's own result file (results.aspirant_rows, CONTRACT.md's
aspirants.csv), column by column name, so the public page, the open data and the OPL's results
say the same numbers computed in one place. Only runs services.published_runs returns are read.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from apoyo.aspirants.models import Aspirant
from apoyo.publication.models import Publication
from apoyo.publication.services import in_force, published_runs
from apoyo.verification.models import CheckRun
from apoyo.verification.results import ASPIRANT_HEADER, aspirant_rows


@dataclass(frozen=True)
class AspirantFigures:
    """One aspirant's counts in one run: what the public page and the open data show."""

    code: str
    name: str
    nominal_list: int
    required: int
    captured: int
    valid: int
    percent: Decimal  # valid supports as a percentage of the Lista Nominal, two decimals
    units_met: int | None  # None: the office has no dispersion rule
    units_required: int | None


@dataclass(frozen=True)
class PublishedRun:
    run: CheckRun
    publication: Publication
    aspirants: list[AspirantFigures]

    @property
    def day(self) -> date:
        """The day the compulsa finished, in the institute's time zone."""
        return timezone.localdate(self.run.finished_at)

    @property
    def required(self):
        """The supports the office requires in this run (one figure for all its aspirants)."""
        return max((figures.required for figures in self.aspirants), default=None)


def blank_as_none(value):
    return None if value == "" else value


def run_figures(run, names):
    """The aspirants' figures in `run`, in aspirant code order; `names` maps code to full name."""
    figures = []
    for row in aspirant_rows(run):
        cells = dict(zip(ASPIRANT_HEADER, row, strict=True))
        code = cells["ASPIRANTE"]
        figures.append(
            AspirantFigures(
                code=code,
                name=names.get(code, code),
                nominal_list=cells["LISTA_NOMINAL"],
                required=cells["REQUERIDOS"],
                captured=cells["CAPTURADOS"],
                valid=cells["VALIDOS"],
                percent=cells["PORCENTAJE"],
                units_met=blank_as_none(cells["UNIDADES_CUMPLEN"]),
                units_required=blank_as_none(cells["UNIDADES_REQUERIDAS"]),
            )
        )
    return figures


def aspirant_names(office):
    aspirants = Aspirant.objects.filter(office=office)
    return {aspirant.code: aspirant.full_name for aspirant in aspirants}


def office_history(office):
    """The office's published runs, oldest first, each with its publication and figures: the
    path over time. Empty when nothing of the office is published."""
    runs = list(published_runs(office))
    if not runs:
        return []
    publications = {p.run_id: p for p in in_force().filter(run__in=runs)}
    names = aspirant_names(office)
    return [PublishedRun(run, publications[run.pk], run_figures(run, names)) for run in runs]
