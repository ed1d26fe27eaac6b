"""`make bench SCALE=national`: the compulsa at the national scale, on PostgreSQL only.

DESIGN.md "Performance targets": a 100 million-row roll imported in under 150 s, and 1 million
supports checked and counted in under 10 s, on 2 cores. The data:

- a national geography: Sonora's real sections, and for each other entity SECTIONS_PER_STATE
  synthetic sections grouped into municipalities and districts;
- a roll of every entity, written entity by entity so it never sits whole in memory: Sonora's
  share (2.2%) follows its real Lista Nominal, the rest is spread evenly over the other
  entities' sections. Each entity's citizens are born in it, so claves never repeat across
  entities;
- 1 million supports of four aspirants to a state-wide office of Sonora, with the outcome
  shares of the Sonora benchmark (bench.roll_data).

The measuring child is bench.compulsa, as for the Sonora scale, given the national geography.
"""

import csv
from pathlib import Path
from time import perf_counter

import polars as pl

from bench import roll_data

ROLL_ROWS = 100_000_000
SUPPORTS = 1_000_000
IMPORT_TARGET_SECONDS = 150.0
CHECK_TARGET_SECONDS = 10.0
SONORA_SHARE = 0.022
SECTIONS_PER_STATE = 2_000
SECTIONS_PER_MUNICIPALITY = 40
SECTIONS_PER_LOCAL_DISTRICT = 200
SECTIONS_PER_FEDERAL_DISTRICT = 400
GEO_COLUMNS = [
    "ENTIDAD",
    "SECCION",
    "MUNICIPIO",
    "NOMBRE_MUNICIPIO",
    "DISTRITO_LOCAL",
    "DISTRITO_FEDERAL",
    "TIPO_SECCION",
]


def other_states():
    return [state for state in range(1, 33) if state != roll_data.STATE]


def synthetic_sections(state):
    """Rows of GEO_COLUMNS for an entity other than Sonora."""
    for section in range(1, SECTIONS_PER_STATE + 1):
        municipality = (section - 1) // SECTIONS_PER_MUNICIPALITY + 1
        yield [
            state,
            section,
            municipality,
            f"Municipio {municipality} de la entidad {state}",
            (section - 1) // SECTIONS_PER_LOCAL_DISTRICT + 1,
            (section - 1) // SECTIONS_PER_FEDERAL_DISTRICT + 1,
            "Urbana",
        ]


def write_geography(path):
    """Sonora's real catalogue followed by the synthetic sections of the other 31 entities."""
    with open(roll_data.SECTIONS_FILE, encoding="utf-8", newline="") as source:
        sonora = list(csv.reader(source))
    with open(path, "w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        writer.writerows(sonora)
        for state in other_states():
            writer.writerows(synthetic_sections(state))
    return path


def even_sections(rows):
    """[(section, rows)] spreading `rows` evenly over SECTIONS_PER_STATE sections."""
    base, extra = divmod(rows, SECTIONS_PER_STATE)
    return [
        (section, base + (1 if section <= extra else 0))
        for section in range(1, SECTIONS_PER_STATE + 1)
    ]


def write_roll_and_supports(directory, roll_rows, supports, seed, say):
    """Write the national roll (Sonora first) and Sonora's supports; returns their paths."""
    sonora_rows = round(roll_rows * SONORA_SHARE)
    others = other_states()
    per_state, remainder = divmod(roll_rows - sonora_rows, len(others))
    roll_path = Path(directory) / f"padron_nacional_{roll_rows}.csv"
    supports_path = Path(directory) / f"apoyos_nacional_{supports}.csv"
    start = perf_counter()
    with open(roll_path, "wb") as target:
        sonora = roll_data.roll_frame(sonora_rows, seed, birth_state=roll_data.STATE)
        write_part(sonora, target, header=True)
        roll_data.write_csv(roll_data.supports_frame(sonora, supports, seed), supports_path)
        del sonora
        for number, state in enumerate(others):
            rows = per_state + (1 if number < remainder else 0)
            part = roll_data.roll_frame(
                rows, seed + state, state=state, sections=even_sections(rows), birth_state=state
            )
            write_part(part, target, header=False)
            say(f"  entidad {state:02d}: {rows:,} filas ({perf_counter() - start:.0f} s)")
    return {"roll": roll_path, "supports": supports_path}


def write_part(frame, target, header):
    frame.with_columns(pl.col(pl.String).replace("", None)).write_csv(target, include_header=header)


def generate(directory, roll_rows, supports, seed, say):
    say(
        f"Generando la geografía nacional, el padrón nacional de {roll_rows:,} filas y "
        f"{supports:,} apoyos (una sola vez; tarda minutos)…"
    )
    start = perf_counter()
    files = write_roll_and_supports(directory, roll_rows, supports, seed, say)
    files["geo"] = write_geography(Path(directory) / "secciones_nacional.csv")
    size = files["roll"].stat().st_size / 1024**3
    say(f"  {perf_counter() - start:.0f} s; padrón de {size:.1f} GB")
    return files
