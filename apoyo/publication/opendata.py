"""The open data of an office's published figures: one row per aspirant and published compulsa,
the same columns in CSV and JSON, described here once for the page, the JSON and the README.

No personal data of any citizen: only counts, the office's and process's keys, and each
aspirant's code and registered name (the public side of their candidacy). Numbers are numbers:
integers for counts, a decimal with two places for percentages (no "%" sign, no thousands
separator), empty (CSV) or null (JSON) where the office has no dispersion rule.
"""

from decimal import Decimal

from django.utils import timezone

INTEGER = "entero"
DECIMAL = "decimal con dos decimales"
TEXT = "texto"
DAY = "fecha AAAA-MM-DD"
MOMENT = "fecha y hora ISO 8601 con zona horaria"

COLUMNS = [
    ("PROCESO", TEXT, "Clave del proceso electoral."),
    ("NOMBRE_PROCESO", TEXT, "Nombre del proceso electoral."),
    ("CARGO", TEXT, "Clave del cargo."),
    ("NOMBRE_CARGO", TEXT, "Nombre del cargo."),
    ("COMPULSA", INTEGER, "Número de la compulsa publicada."),
    ("FECHA_COMPULSA", DAY, "Día en que terminó la compulsa."),
    ("FECHA_CORTE", DAY, "Corte de la Lista Nominal usado; vacío si la compulsa no lo tuvo."),
    ("FECHA_PUBLICACION", MOMENT, "Cuándo el OPL publicó las cifras de la compulsa."),
    ("ASPIRANTE", TEXT, "Clave de la persona aspirante."),
    ("NOMBRE_ASPIRANTE", TEXT, "Nombre con que se registró la persona aspirante."),
    ("LISTA_NOMINAL", INTEGER, "Personas en la Lista Nominal del ámbito del cargo."),
    ("REQUERIDOS", INTEGER, "Apoyos válidos que exige el porcentaje de apoyo del cargo."),
    ("CAPTURADOS", INTEGER, "Apoyos capturados de la persona aspirante."),
    ("VALIDOS", INTEGER, "Apoyos válidos en esa compulsa."),
    ("PORCENTAJE", DECIMAL, "Apoyos válidos como porcentaje de la Lista Nominal."),
    ("PORCENTAJE_REQUERIDO", DECIMAL, "Porcentaje de la Lista Nominal que exige el cargo."),
    (
        "UNIDADES_CUMPLEN",
        INTEGER,
        "Unidades de dispersión que alcanzan su mínimo; vacío si el cargo no tiene regla de dispersión.",
    ),
    (
        "UNIDADES_REQUERIDAS",
        INTEGER,
        "Unidades de dispersión que deben alcanzar su mínimo; vacío si no hay regla de dispersión.",
    ),
]
HEADER = [name for name, _, _ in COLUMNS]


def iso_day(value):
    return value.isoformat() if value is not None else None


def data_rows(office, history):
    """One dict per aspirant and published run, oldest run first, keys in HEADER's order."""
    process = office.process
    for published in history:
        run = published.run
        moment = timezone.localtime(published.publication.published_at)
        for figures in published.aspirants:
            yield dict(
                zip(
                    HEADER,
                    [
                        process.code,
                        process.name,
                        office.code,
                        office.name,
                        run.pk,
                        published.day.isoformat(),
                        iso_day(run.cut_date),
                        moment.isoformat(timespec="seconds"),
                        figures.code,
                        figures.name,
                        figures.nominal_list,
                        figures.required,
                        figures.captured,
                        figures.valid,
                        figures.percent,
                        office.threshold_percent,
                        figures.units_met,
                        figures.units_required,
                    ],
                    strict=True,
                )
            )


def csv_rows(office, history):
    """The rows as lists for core.exports.csv_response (None is written empty)."""
    for row in data_rows(office, history):
        yield [row[name] for name in HEADER]


def json_number(value):
    """Decimals as JSON numbers with their two places (3.5 -> 3.5, never "3.50")."""
    return float(value) if isinstance(value, Decimal) else value


def json_document(office, history):
    """The JSON download: what the data is, its columns described, and the rows."""
    return {
        "descripcion": (
            f"Avance de apoyo ciudadano de {office.name} ({office.process.name}): "
            "cifras preliminares de las compulsas publicadas por el OPL."
        ),
        "generado": timezone.localtime().isoformat(timespec="seconds"),
        "columnas": [
            {"nombre": name, "tipo": kind, "descripcion": text} for name, kind, text in COLUMNS
        ],
        "filas": [
            {name: json_number(value) for name, value in row.items()}
            for row in data_rows(office, history)
        ],
    }
