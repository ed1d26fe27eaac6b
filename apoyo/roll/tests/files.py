"""Small roll files written by the tests (CONTRACT.md import_roll columns)."""

import csv
import gzip
import io

from apoyo.roll.frames import COLUMNS

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def elector_key(n, sex="H"):
    """A well-formed clave de elector, different for every n."""
    letters = "".join(LETTERS[(n // 26**i) % 26] for i in range(6))
    return f"{letters}{n:08d}{sex}{n % 1000:03d}"


def roll_row(n, section=1, state=26, situation="LN", cause="", **fields):
    """A valid roll row; keyword arguments (column names in lower case) replace its values."""
    row = {
        "CLAVE_ELECTOR": elector_key(n),
        "OCR": f"{n:013d}",
        "CIC": f"{n:09d}",
        "NOMBRE": "JUAN",
        "APELLIDO_PATERNO": "PEREZ",
        "APELLIDO_MATERNO": "LOPEZ",
        "FECHA_NACIMIENTO": "1980-05-17",
        "SEXO": "H",
        "ENTIDAD": str(state),
        "SECCION": str(section),
        "SITUACION": situation,
        "CAUSA_BAJA": cause,
    }
    row.update({name.upper(): value for name, value in fields.items()})
    return [row[column] for column in COLUMNS]


def csv_text(rows, header=COLUMNS, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_roll(path, rows, header=COLUMNS, delimiter=",", encoding="utf-8"):
    """A roll CSV; a path ending in .gz is gzip-compressed."""
    data = csv_text(rows, header, delimiter).encode(encoding)
    if str(path).endswith(".gz"):
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def write_stats(path, rows, header=("ENTIDAD", "SECCION", "LISTA_NOMINAL")):
    return write_roll(path, rows, header=list(header))
