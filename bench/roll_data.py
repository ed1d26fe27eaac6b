"""Deterministic, realistic data for the compulsa benchmark: a Sonora roll cut and its supports.

The roll has one row per citizen of entity 26 (CONTRACT.md import_roll columns), its sections
following Sonora's 2018 Lista Nominal scaled to the rows asked for; about 96.5% are LN, 2.5%
PADRON and 1% BAJA. Claves de elector agree with the names and birth dates (DOMAIN "Identity
formats") and are unique. The supports, for four aspirants, carry the shares of outcomes of the
2018 presidential independents (DOMAIN "Real outcomes"): duplicates, mesa de control
inconsistencies, bajas, padrón-only and not found, the rest valid LN citizens.

Everything is built with polars column expressions (randomness from hashing the row number with
the seed), so 2.2 million rows take seconds. The same (rows, seed) gives the same files with the
same polars version (its hash may change between versions).
"""

import csv
import datetime
import unicodedata
from functools import cache
from pathlib import Path

import polars as pl

from bench.data import FEMALE_NAMES, MALE_NAMES, SURNAMES, name_letters, surname_letters

ROOT = Path(__file__).resolve().parent.parent
LN_FILE = ROOT / "apoyo/geo/data/sonora_lista_nominal_2018.csv"
SECTIONS_FILE = ROOT / "apoyo/geo/data/sonora_secciones.csv"
STATE = 26
CUT_DATE = datetime.date(2020, 8, 31)
BIRTH_FIRST = datetime.date(1940, 1, 1)
BIRTH_DAYS = (datetime.date(2002, 8, 31) - BIRTH_FIRST).days  # of age at the cut
PERIOD_START = datetime.date(2020, 12, 15)
PERIOD_DAYS = (datetime.date(2021, 1, 23) - PERIOD_START).days + 1
ROWS_PER_CEDULA = 10

ROLL_COLUMNS = [
    "CLAVE_ELECTOR",
    "OCR",
    "CIC",
    "NOMBRE",
    "APELLIDO_PATERNO",
    "APELLIDO_MATERNO",
    "FECHA_NACIMIENTO",
    "SEXO",
    "ENTIDAD",
    "SECCION",
    "SITUACION",
    "CAUSA_BAJA",
]
SUPPORT_COLUMNS = [
    "CAPTURA",
    "ASPIRANTE",
    "CEDULA",
    "NOMBRE",
    "APELLIDO_PATERNO",
    "APELLIDO_MATERNO",
    "CLAVE_ELECTOR",
    "OCR",
    "TIPO_INCONSISTENCIA",
    "FECHA_APOYO",
]

# Per thousand roll rows: LN up to 965, PADRON up to 990, BAJA the rest.
LN_PER_MILLE = 965
PADRON_PER_MILLE = 25
# Causes of the bajas, per hundred (deaths and lost validity are most of them).
REMOVAL_CAUSES = [
    ("DEFUNCION", 40),
    ("PERDIDA_VIGENCIA", 25),
    ("SUSPENSION_DERECHOS", 10),
    ("DUPLICADO_PADRON", 10),
    ("DATOS_IRREGULARES", 5),
    ("DOMICILIO_IRREGULAR", 5),
    ("CANCELACION_TRAMITE", 3),
    ("USURPACION", 2),
]
# Born in Sonora, per hundred; the rest in any entity.
BORN_HERE_PERCENT = 70

# Shares of the supports (DOMAIN "Real outcomes").
DUPLICATE_SHARE = 0.13
INCONSISTENCY_SHARE = 0.25
BAJA_SHARE = 0.008
PADRON_SHARE = 0.006
NOT_FOUND_SHARE = 0.003
# Mesa de control codes of the inconsistent supports, per hundred.
INCONSISTENCIES = [("FOTOCOPIA", 50), ("SIN_FIRMA", 30), ("SIMULACION", 20)]
# Of the duplicates, per hundred: the same aspirant twice (the rest: another aspirant).
SAME_ASPIRANT_PERCENT = 35
# Four aspirants collecting unevenly, per hundred.
ASPIRANT_WEIGHTS = [40, 30, 20, 10]
ASPIRANTS = len(ASPIRANT_WEIGHTS)


# Randomness ---------------------------------------------------------------------------------------

ROW = "_row"


def numbered(count):
    """A frame of `count` rows holding only their number, the source of every random draw."""
    return pl.DataFrame({ROW: pl.int_range(count, dtype=pl.UInt64, eager=True)})


def noise(seed, salt):
    """A pseudo-random UInt64 per row: the hash of the row number."""
    return pl.col(ROW).hash(seed * 1_000 + salt)


def below(seed, salt, bound):
    """A pseudo-random integer in [0, bound) per row."""
    return (noise(seed, salt) % bound).cast(pl.Int64)


def weighted(seed, salt, choices):
    """One of `choices` ((value, weight) with weights summing to 100) per row."""
    draw = below(seed, salt, 100)
    (value, upper), *rest = choices
    expr = pl.when(draw < upper).then(pl.lit(value))
    for value, weight in rest:
        upper += weight
        expr = expr.when(draw < upper).then(pl.lit(value))
    return expr.otherwise(pl.lit(choices[-1][0]))


def pick(values, index):
    """The element of `values` at each row's `index`."""
    return pl.lit(pl.Series(values)).gather(index)


def digits(seed, salt, width):
    return below(seed, salt, 10**width).cast(pl.String).str.zfill(width)


def period_day(seed, salt):
    return pl.lit(PERIOD_START) + pl.duration(days=below(seed, salt, PERIOD_DAYS))


# Names and claves ---------------------------------------------------------------------------------


def roll_text(text):
    """A name as INE's files write it: upper case, no accents, Ñ kept."""
    kept = text.upper().replace("Ñ", "\0")
    decomposed = unicodedata.normalize("NFD", kept)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\0", "Ñ")


@cache
def name_pools():
    """{pool: (names as written, their clave letters)}; the last surname "" is a missing one."""
    surnames = [*SURNAMES, ""]
    return {
        "H": ([roll_text(n) for n in MALE_NAMES], [name_letters(n) for n in MALE_NAMES]),
        "M": ([roll_text(n) for n in FEMALE_NAMES], [name_letters(n) for n in FEMALE_NAMES]),
        "surnames": ([roll_text(s) for s in surnames], [surname_letters(s) for s in surnames]),
    }


def people(count, seed, birth_state=None):
    """`count` citizens with distinct claves: CLAVE_ELECTOR, the names, FECHA_NACIMIENTO, SEXO.

    Born in Sonora or anywhere (BORN_HERE_PERCENT), or all in `birth_state` when given: the
    national roll gives each entity's citizens their own entity, so claves never repeat across
    entities."""
    pools = name_pools()
    men, men_keys = pools["H"]
    women, women_keys = pools["M"]
    surnames, surname_keys = pools["surnames"]
    candidates = count + count // 20 + 100  # a few claves repeat by chance; those are dropped
    male = below(seed, 1, 2) == 0
    man, woman = below(seed, 2, len(men)), below(seed, 3, len(women))
    paternal = below(seed, 4, len(surnames) - 1)
    # About 1% have no maternal surname.
    maternal = (
        pl.when(below(seed, 5, 100) == 0)
        .then(pl.lit(len(surnames) - 1, dtype=pl.Int64))
        .otherwise(below(seed, 6, len(surnames) - 1))
    )
    born = pl.lit(BIRTH_FIRST) + pl.duration(days=below(seed, 7, BIRTH_DAYS))
    birth_state = (
        pl.when(below(seed, 8, 100) < BORN_HERE_PERCENT)
        .then(pl.lit(STATE, dtype=pl.Int64))
        .otherwise(below(seed, 9, 32) + 1)
        if birth_state is None
        else pl.lit(birth_state, dtype=pl.Int64)
    )
    sex = pl.when(male).then(pl.lit("H")).otherwise(pl.lit("M"))
    key = pl.concat_str(
        pick(surname_keys, paternal),
        pick(surname_keys, maternal),
        pl.when(male).then(pick(men_keys, man)).otherwise(pick(women_keys, woman)),
        born.dt.strftime("%y%m%d"),
        birth_state.cast(pl.String).str.zfill(2),
        sex,
        digits(seed, 10, 3),
    )
    frame = numbered(candidates).select(
        key.alias("CLAVE_ELECTOR"),
        pl.when(male).then(pick(men, man)).otherwise(pick(women, woman)).alias("NOMBRE"),
        pick(surnames, paternal).alias("APELLIDO_PATERNO"),
        pick(surnames, maternal).alias("APELLIDO_MATERNO"),
        born.dt.strftime("%Y-%m-%d").alias("FECHA_NACIMIENTO"),
        sex.alias("SEXO"),
    )
    frame = frame.unique("CLAVE_ELECTOR", keep="first", maintain_order=True).head(count)
    if frame.height < count:
        raise RuntimeError(f"Solo se generaron {frame.height:,} claves distintas de {count:,}.")
    return frame


# Roll ---------------------------------------------------------------------------------------------


@cache
def sonora_lista_nominal():
    """[(section, Lista Nominal)] of Sonora in 2018, in section order."""
    with open(LN_FILE, encoding="utf-8", newline="") as source:
        rows = csv.DictReader(source)
        return sorted((int(r["SECCION"]), int(r["LISTA_NOMINAL"])) for r in rows)


def scaled_sections(rows):
    """[(section, rows)] in section order: Sonora's 2018 Lista Nominal scaled to `rows` in all,
    the largest remainders rounded up so that the total is exact."""
    counts = sonora_lista_nominal()
    total = sum(n for _, n in counts)
    exact = [(section, n * rows / total) for section, n in counts]
    whole = {section: int(value) for section, value in exact}
    missing = rows - sum(whole.values())
    by_remainder = sorted(exact, key=lambda item: (int(item[1]) - item[1], item[0]))
    for section, _ in by_remainder[:missing]:
        whole[section] += 1
    return sorted(whole.items())


def roll_frame(rows, seed, state=STATE, sections=None, birth_state=None):
    """The roll cut of an entity: ROLL_COLUMNS, one row per citizen, in section order.

    `sections` is [(section, rows)] (by default Sonora's, scaled to `rows`)."""
    sections = sections or scaled_sections(rows)
    section = pl.Series("SECCION", [s for s, _ in sections], dtype=pl.Int64)
    repeats = pl.Series([n for _, n in sections], dtype=pl.Int64)
    section = section.to_frame().select(pl.col("SECCION").repeat_by(repeats)).explode("SECCION")
    draw = below(seed, 20, 1000)
    situation = (
        pl.when(draw < LN_PER_MILLE)
        .then(pl.lit("LN"))
        .when(draw < LN_PER_MILLE + PADRON_PER_MILLE)
        .then(pl.lit("PADRON"))
        .otherwise(pl.lit("BAJA"))
    )
    frame = pl.concat([numbered(rows), people(rows, seed, birth_state), section], how="horizontal")
    return frame.select(
        "CLAVE_ELECTOR",
        pl.concat_str(pl.col("SECCION").cast(pl.String).str.zfill(4), digits(seed, 21, 9)).alias(
            "OCR"
        ),
        digits(seed, 22, 9).alias("CIC"),
        "NOMBRE",
        "APELLIDO_PATERNO",
        "APELLIDO_MATERNO",
        "FECHA_NACIMIENTO",
        "SEXO",
        pl.lit(state, dtype=pl.Int64).alias("ENTIDAD"),
        "SECCION",
        situation.alias("SITUACION"),
        pl.when(situation == "BAJA")
        .then(weighted(seed, 23, REMOVAL_CAUSES))
        .otherwise(pl.lit(""))
        .alias("CAUSA_BAJA"),
    )


# Supports -----------------------------------------------------------------------------------------


def share(n, fraction):
    return round(n * fraction)


def support_rows(citizens, seed, salt, inconsistency=False):
    """Supports of `citizens` (roll-like rows) for aspirants chosen by ASPIRANT_WEIGHTS, dated in
    the collection period; with a mesa de control code when `inconsistency`."""
    aspirant = weighted(seed, salt, list(enumerate(ASPIRANT_WEIGHTS, start=1)))
    code = weighted(seed, salt + 1, INCONSISTENCIES) if inconsistency else pl.lit("")
    return pl.concat([numbered(citizens.height), citizens], how="horizontal").select(
        aspirant.cast(pl.Int64).alias("ASPIRANTE"),
        "NOMBRE",
        "APELLIDO_PATERNO",
        "APELLIDO_MATERNO",
        "CLAVE_ELECTOR",
        "OCR",
        code.alias("TIPO_INCONSISTENCIA"),
        period_day(seed, salt + 2).alias("FECHA_APOYO"),
    )


def duplicate_rows(originals, seed, salt):
    """A second support of each original citizen: for the same aspirant on another day (so it
    lands in another cédula), or for another aspirant on any day of the period."""
    same = below(seed, salt, 100) < SAME_ASPIRANT_PERCENT
    other = (pl.col("ASPIRANTE") + below(seed, salt + 1, ASPIRANTS - 1)) % ASPIRANTS + 1
    day = (pl.col("FECHA_APOYO") - pl.lit(PERIOD_START)).dt.total_days()
    other_day = (day + 1 + below(seed, salt + 2, PERIOD_DAYS - 1)) % PERIOD_DAYS
    return pl.concat([numbered(originals.height), originals], how="horizontal").select(
        pl.when(same).then(pl.col("ASPIRANTE")).otherwise(other).alias("ASPIRANTE"),
        "NOMBRE",
        "APELLIDO_PATERNO",
        "APELLIDO_MATERNO",
        "CLAVE_ELECTOR",
        "OCR",
        "TIPO_INCONSISTENCIA",
        pl.when(same)
        .then(pl.lit(PERIOD_START) + pl.duration(days=other_day))
        .otherwise(period_day(seed, salt + 3))
        .alias("FECHA_APOYO"),
    )


def absent_citizens(roll, count, seed):
    """Citizens with well-formed claves that the roll does not hold."""
    extra = people(count * 2 + 100, seed + 7919)
    extra = extra.join(roll.select("CLAVE_ELECTOR"), on="CLAVE_ELECTOR", how="anti")
    extra = extra.head(count)
    sections = [str(section) for section, _ in sonora_lista_nominal()]
    ocr = pick(sections, below(seed, 30, len(sections)))
    return (
        pl.concat([numbered(extra.height), extra], how="horizontal")
        .with_columns(pl.concat_str(ocr.str.zfill(4), digits(seed, 31, 9)).alias("OCR"))
        .drop(ROW)
    )


def supports_frame(roll, n, seed):
    """`n` supports (SUPPORT_COLUMNS) in capture order, with the shares of DOMAIN "Real outcomes".

    CAPTURA is the order of capture (the tie-break after FECHA_APOYO); CEDULA groups up to ten
    supports of one aspirant and one day, as a paper cédula does."""
    duplicates = share(n, DUPLICATE_SHARE)
    inconsistent = share(n, INCONSISTENCY_SHARE)
    bajas, padron, absent = share(n, BAJA_SHARE), share(n, PADRON_SHARE), share(n, NOT_FOUND_SHARE)
    valid = n - duplicates - inconsistent - bajas - padron - absent
    if valid < duplicates:
        raise ValueError(f"{n} apoyos son muy pocos para las proporciones de la compulsa.")

    def sample(situation, count, salt):
        rows = roll.filter(pl.col("SITUACION") == situation)
        return rows.sample(n=count, seed=seed * 1_000 + salt)

    citizens = sample("LN", valid + inconsistent, 40)
    originals = support_rows(citizens.head(valid), seed, 41)
    parts = [
        originals,
        duplicate_rows(originals.sample(n=duplicates, seed=seed * 1_000 + 44), seed, 45),
        support_rows(citizens.tail(inconsistent), seed, 49, inconsistency=True),
        support_rows(sample("BAJA", bajas, 52), seed, 53),
        support_rows(sample("PADRON", padron, 56), seed, 57),
        support_rows(absent_citizens(roll, absent, seed), seed, 60),
    ]
    frame = pl.concat(parts).sample(fraction=1.0, shuffle=True, seed=seed * 1_000 + 63)
    sheet = pl.int_range(pl.len()).over("ASPIRANTE", "FECHA_APOYO") // ROWS_PER_CEDULA
    cedula = pl.concat_str(
        pl.lit("C"),
        pl.col("ASPIRANTE").cast(pl.String),
        pl.lit("-"),
        pl.col("FECHA_APOYO").dt.strftime("%Y%m%d"),
        pl.lit("-"),
        (sheet + 1).cast(pl.String).str.zfill(4),
    )
    return frame.select(
        pl.int_range(1, pl.len() + 1).alias("CAPTURA"),
        "ASPIRANTE",
        cedula.alias("CEDULA"),
        *SUPPORT_COLUMNS[3:9],
        pl.col("FECHA_APOYO").dt.strftime("%Y-%m-%d"),
    )


# Files --------------------------------------------------------------------------------------------


def write_csv(frame, path):
    """A CSV as INE's files come: header, commas, empty fields left empty (not "")."""
    frame.with_columns(pl.col(pl.String).replace("", None)).write_csv(path)


def write_files(directory, roll_rows, supports, seed):
    """Write the roll and the supports as CSV under `directory`; returns their paths."""
    roll = roll_frame(roll_rows, seed)
    roll_path = Path(directory) / f"padron_{roll_rows}.csv"
    write_csv(roll, roll_path)
    supports_path = Path(directory) / f"apoyos_compulsa_{supports}.csv"
    write_csv(supports_frame(roll, supports, seed), supports_path)
    return {"roll": roll_path, "supports": supports_path}
