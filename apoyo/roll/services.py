"""Roll cuts and Lista Nominal statistics: import_roll, import_ln_stats (CONTRACT.md) and the
helpers other apps call (nominal_list_by_section, has_cut).

import_roll reads and validates the file in batches (sources.py, frames.py) and replaces the cut
and its statistics in one transaction (loading.py), in one of two ways:

- PostgreSQL streams: each batch is checked and COPYed before the next one is read, so a
  national cut of 100 million rows is read and stored in one pass, never held in memory or
  written to temporary files. A repeated clave shows only when the key is built; such a file
  is then imported again the checked way;
- SQLite (and PostgreSQL after a repeated clave) checks first: the whole file is validated,
  the valid rows kept in memory or in temporary Arrow files, the later rows of a repeated clave
  rejected, and only then is the cut stored.

Every non-blank row ends up imported or rejected with its row number, column and reason.
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.db import connection, transaction

from apoyo.core.cells import cell_text
from apoyo.core.tabular import FileRejected, open_table
from apoyo.geo.models import Section
from apoyo.roll import loading
from apoyo.roll.frames import (
    COLUMNS,
    ENTRY_COLUMNS,
    ROW,
    KnownSections,
    check_batch,
    empty_issues,
    repeated_key_issues,
)
from apoyo.roll.models import NominalListStat, RegistryStatus, RollCut, StatSource
from apoyo.roll.sources import roll_rows

MAX_ISSUES = 100_000
# Valid rows kept in memory before they go to temporary files (about 200 bytes each).
MEMORY_ROWS = 4_000_000
LN_COLUMNS = ["ENTIDAD", "SECCION", "LISTA_NOMINAL"]
SECTION_KEY = ["state_number", "section_number"]
ISSUE_HEADER = ["FILA", "COLUMNA", "MOTIVO"]
_ENTRY_SCHEMA = {
    ROW: pl.Int64,
    "elector_key": pl.String,
    "ocr": pl.String,
    "cic": pl.String,
    "name": pl.String,
    "paternal_surname": pl.String,
    "maternal_surname": pl.String,
    "birth_date": pl.Date,
    "sex": pl.String,
    "state_number": pl.Int64,
    "section_number": pl.Int64,
    "situation": pl.String,
    "removal_cause": pl.String,
}


def _ignore_progress(**fields):
    return None


def known_sections() -> KnownSections:
    return KnownSections.from_pairs(Section.objects.values_list("state_id", "number"))


def _required_sections() -> KnownSections:
    """Rows are checked against the geography of their entity when it is loaded. With no
    geography at all the file is refused: nothing could be judged against a territory, and a
    roll imported before import_geo would skip the check of the entity's own sections."""
    sections = known_sections()
    if sections.codes.is_empty():
        raise FileRejected(
            "No hay marco geográfico cargado: importe primero las secciones (import_geo)."
        )
    return sections


@dataclass
class CheckedFile:
    """What validation decided for a whole file, before anything is written.

    The valid rows are kept in memory up to MEMORY_ROWS (a state's roll); past that, they all
    wait in Arrow files under `workdir`, so a national roll never has to fit in memory. Only the
    first `limit` issues are kept, but every issue and rejected row is counted."""

    workdir: Path
    limit: int = MAX_ISSUES
    frames: list = field(default_factory=list)
    parts: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    read: int = 0
    rejected: int = 0
    kept_rows: int = 0
    issues_total: int = 0
    kept_issues: int = 0
    repeated: pl.Series | None = None
    ln_parts: list = field(default_factory=list)

    def keep(self, valid: pl.DataFrame):
        """Keep a batch's valid rows until the whole file is checked (in memory, then on disk)."""
        if valid.height:
            self.frames.append(valid)
            self.kept_rows += valid.height
        if self.parts or self.kept_rows > MEMORY_ROWS:
            self.spill()

    def tally(self, batch):
        """Count the batch's rows and keep its first issues."""
        self.read += batch.read
        self.rejected += batch.rejected
        self.add_issues(batch.issues)

    def count_ln(self, valid: pl.DataFrame):
        """Add a batch of stored rows to the Lista Nominal statistics (see ln_counts)."""
        self.ln_parts.append(_ln_per_section(valid))

    def ln_counts(self) -> list[tuple[int, int, int]]:
        """The statistics of the rows given to count_ln."""
        if not self.ln_parts:
            return []
        parts = pl.concat(self.ln_parts).lazy()
        return _sorted_rows(parts.group_by(SECTION_KEY).agg(pl.col("len").sum()))

    def spill(self):
        """Move the rows kept in memory to an Arrow file."""
        if self.frames:
            part = self.workdir / f"validas-{len(self.parts):05d}.arrow"
            pl.concat(self.frames).write_ipc(part, compression="lz4")
            self.parts.append(part)
            self.frames, self.kept_rows = [], 0

    def add_issues(self, issues: pl.DataFrame):
        self.issues_total += issues.height
        room = self.limit - self.kept_issues
        if room > 0 and issues.height:
            kept = issues.head(room)
            self.issues.append(kept)
            self.kept_issues += kept.height

    def entries(self) -> pl.LazyFrame:
        """The rows to store (ROW and ENTRY_COLUMNS), repeated claves left out."""
        if self.parts:
            rows = pl.scan_ipc(self.parts)
        elif self.frames:
            rows = pl.concat(self.frames).lazy()
        else:
            rows = pl.LazyFrame(schema=_ENTRY_SCHEMA)
        if self.repeated is not None:
            rows = rows.filter(~pl.col(ROW).is_in(self.repeated.implode()))
        return rows

    def issue_frame(self) -> pl.DataFrame:
        if not self.issues:
            return empty_issues()
        return pl.concat(self.issues).sort(ROW, maintain_order=True)


def checked_batches(rows, sections, checked: CheckedFile, progress):
    """Validate batch after batch; `checked` counts each one and keeps its first issues, and the
    rows read so far are reported after each."""
    for raw in rows.batches():
        batch = check_batch(raw, sections)
        checked.tally(batch)
        progress(rows_read=checked.read, rejected=checked.rejected)
        yield batch


def check_file(rows, sections, workdir, progress, limit=MAX_ISSUES) -> CheckedFile:
    """Validate the whole file, keeping its valid rows for reject_repeated_keys and storing."""
    checked = CheckedFile(workdir=Path(workdir), limit=limit)
    for batch in checked_batches(rows, sections, checked, progress):
        checked.keep(batch.valid)
    return checked


def streamed_entries(rows, sections, checked: CheckedFile, progress):
    """Each batch's valid rows, for the loader to store before the next batch is read."""
    for batch in checked_batches(rows, sections, checked, progress):
        checked.count_ln(batch.valid)
        yield batch.valid
    # What remains after the last batch (a minute for a national cut) is building the key.
    progress(phase="Indexando las claves de elector del corte")


def reject_repeated_keys(checked: CheckedFile, rows):
    """A clave de elector appears once in a cut: later rows with the same clave are rejected
    (the compulsa looks a clave up in the cut and must find one record)."""
    entries = checked.entries()
    repeated = (
        entries.group_by("elector_key").len().filter(pl.col("len") > 1).select("elector_key")
    ).collect()
    if repeated.is_empty():
        return
    keys = (
        entries.select(ROW, "elector_key")
        .filter(pl.col("elector_key").is_in(repeated.get_column("elector_key").implode()))
        .collect()
    )
    later = (
        keys.sort(ROW)
        .with_columns(pl.col(ROW).first().over("elector_key").alias("first"))
        .filter(pl.col(ROW) != pl.col("first"))
        .select(ROW, "first")
    )
    checked.repeated = later.get_column(ROW)
    checked.rejected += later.height
    raw = pl.concat(rows.batches(rows=checked.repeated))
    checked.add_issues(repeated_key_issues(raw, later))


def ln_counts(entries: pl.LazyFrame) -> list[tuple[int, int, int]]:
    """Rows with SITUACION = LN per (entity, section): the cut's Lista Nominal statistics."""
    return _sorted_rows(_ln_per_section(entries))


def _ln_per_section(entries):
    """The "len" of rows in the Lista Nominal per SECTION_KEY (a DataFrame or a LazyFrame)."""
    in_nominal_list = pl.col("situation") == RegistryStatus.LN.value
    return entries.filter(in_nominal_list).group_by(SECTION_KEY).len()


def _sorted_rows(counts) -> list[tuple[int, int, int]]:
    return counts.sort(SECTION_KEY).collect().rows()


def import_roll(
    path, cut_date, user=None, progress: Callable | None = None, *, limit=MAX_ISSUES, name=""
) -> dict:
    """Import a roll cut (CONTRACT import_roll). Raises apoyo.core.tabular.FileRejected when the file as
    a whole is unusable; then nothing changes.

    `progress(**fields)` receives phase, rows_total, rows_read and rejected as the work goes.
    Returns the counts read, imported, rejected (rows), ln_sections (statistic rows stored),
    issues_total, and `issues`: a polars DataFrame of the first `limit` issues in row order
    (ROW, "column", "reason" and the row's original values in COLUMNS).
    """
    progress = progress or _ignore_progress
    with tempfile.TemporaryDirectory(prefix="apoyo-padron-") as workdir:
        progress(phase="Revisando el archivo")
        rows = roll_rows(path, Path(workdir))
        sections = _required_sections()
        target = _Target(cut_date, user, name or Path(path).name, Path(workdir), limit, progress)
        progress(phase="Leyendo y validando filas", rows_total=rows.estimated_rows)
        if connection.vendor == "postgresql":
            checked, (imported, stat_rows) = _streamed_import(rows, sections, target)
        else:
            checked, (imported, stat_rows) = _checked_import(rows, sections, target)
    return {
        "read": checked.read,
        "imported": imported,
        "rejected": checked.rejected,
        "ln_sections": stat_rows,
        "issues_total": checked.issues_total,
        "issues": checked.issue_frame(),
    }


@dataclass
class _Target:
    """Where and how import_roll stores the file's rows."""

    cut_date: object
    user: object
    source_name: str
    workdir: Path
    limit: int
    progress: Callable


def _streamed_import(rows, sections, target: _Target):
    """PostgreSQL: check and store in one pass. A repeated clave stops the key from being built;
    the file is then imported again the checked way, which rejects the later rows."""
    checked = CheckedFile(workdir=target.workdir, limit=target.limit)
    entries = streamed_entries(rows, sections, checked, target.progress)
    try:
        stored = loading.stream_cut(
            target.cut_date, entries, checked.ln_counts, target.user, target.source_name
        )
    except loading.RepeatedKeys:
        target.progress(phase="El archivo repite claves de elector: revisándolo de nuevo")
        return _checked_import(rows, sections, target)
    return checked, stored


def _checked_import(rows, sections, target: _Target):
    """Validate the whole file, reject the later rows of each repeated clave, then store."""
    checked = check_file(rows, sections, target.workdir, target.progress, target.limit)
    target.progress(phase="Buscando claves de elector repetidas")
    reject_repeated_keys(checked, rows)
    entries = checked.entries()
    counts = ln_counts(entries)
    valid = checked.read - checked.rejected
    target.progress(phase=f"Guardando {valid:,} registros del padrón", rejected=checked.rejected)
    stored = loading.store_cut(
        target.cut_date, entries.select(ENTRY_COLUMNS), counts, target.user, target.source_name
    )
    return checked, stored


# --- import_ln_stats --------------------------------------------------------------------------


@dataclass
class _LoadedGeography:
    """The (entity, section) pairs of the loaded geography and the entities they cover."""

    sections: set
    states: set = field(init=False)

    def __post_init__(self):
        self.states = {state for state, _ in self.sections}


def _whole_number(value):
    """A non-negative whole number written as digits (26, "26", "26.0"), else None."""
    text = cell_text(value).strip().removesuffix(".0")
    return int(text) if text.isascii() and text.isdigit() else None


def _received(message, value):
    return f"{message}; se recibió «{cell_text(value).strip()}»."


def _state_error(state, value):
    """DOMAIN: entities 01..32."""
    if state is None or not 1 <= state <= 32:
        return _received("La entidad debe ser un número del 1 al 32", value)
    return None


def _section_error(key, value, known, seen):
    """A section once per file and, when its entity's geography is loaded, one of its sections
    (as import_roll checks its rows; the counts of other entities are stored as they come)."""
    state, section = key
    if section is None or section < 1:
        return _received("La sección debe ser un número entero positivo", value)
    if _state_error(state, state) is not None:
        return None
    if state in known.states and key not in known.sections:
        return (
            f"La sección {section} no existe en la entidad {state} según el marco geográfico "
            "cargado."
        )
    if key in seen:
        return f"La sección {section} de la entidad {state} ya aparece en la fila {seen[key]}."
    return None


def _ln_row(values, known, seen):
    """(key, count, errors) of a published row (CONTRACT import_ln_stats)."""
    raw = dict(zip(LN_COLUMNS, values, strict=True))
    key = (_whole_number(raw["ENTIDAD"]), _whole_number(raw["SECCION"]))
    total = _whole_number(raw["LISTA_NOMINAL"])
    errors = []
    state_error = _state_error(key[0], raw["ENTIDAD"])
    if state_error:
        errors.append(("ENTIDAD", state_error))
    section_error = _section_error(key, raw["SECCION"], known, seen)
    if section_error:
        errors.append(("SECCION", section_error))
    if total is None:
        message = "La Lista Nominal debe ser un número entero no negativo"
        errors.append(("LISTA_NOMINAL", _received(message, raw["LISTA_NOMINAL"])))
    return key, total, errors


def import_ln_stats(path, cut_date, *, limit=MAX_ISSUES) -> dict:
    """Import INE's published Lista Nominal per section for a cut (CONTRACT import_ln_stats).

    The valid rows replace every statistic of the cut date (source "published": whichever of
    import_roll and import_ln_stats ran last for a date wins), every entity's. Rows with a bad
    number, a section already given or one unknown in an entity whose geography is loaded are
    rejected and reported like import_roll's. Raises FileRejected for an unusable file; then
    nothing changes."""
    table = open_table(path, required=LN_COLUMNS)
    known = _LoadedGeography(set(Section.objects.values_list("state_id", "number")))
    seen, counts, issues = {}, [], []
    read = rejected = 0
    for number, values in table.rows():
        read += 1
        key, total, errors = _ln_row(values, known, seen)
        if errors:
            rejected += 1
            shown = [cell_text(value) for value in values]
            issues.extend([number, column, reason, *shown] for column, reason in errors)
            continue
        seen[key] = number
        counts.append((*key, total))
    with transaction.atomic():
        sections = loading.replace_stats(cut_date, counts, StatSource.PUBLISHED.value)
    return {
        "read": read,
        "imported": len(counts),
        "rejected": rejected,
        "ln_sections": sections,
        "issues_total": len(issues),
        "issues": pl.DataFrame(
            issues[:limit], schema=empty_issues(LN_COLUMNS).schema, orient="row"
        ),
    }


# --- Reports ----------------------------------------------------------------------------------


def issue_report_rows(issues: pl.DataFrame):
    """Rows of an error report: FILA, COLUMNA, MOTIVO, then the original values."""
    return issues.iter_rows()


def issue_report_header(issues: pl.DataFrame):
    return ISSUE_HEADER + issues.columns[3:]


# --- Helpers for other apps -------------------------------------------------------------------


def nominal_list_by_section(cut_date, state_number) -> dict[int, int]:
    """Lista Nominal of each section of an entity at a cut: {section number: count}."""
    stats = NominalListStat.objects.filter(cut_date=cut_date, state_number=state_number)
    return dict(stats.values_list("section_number", "nominal_list"))


def has_cut(cut_date) -> bool:
    """Whether a roll cut of that date has been imported (its records can be checked)."""
    return RollCut.objects.filter(cut_date=cut_date).exists()


__all__ = [
    "COLUMNS",
    "MAX_ISSUES",
    "has_cut",
    "import_ln_stats",
    "import_roll",
    "nominal_list_by_section",
]
