"""Builders of upload files for tests: the ugly inputs real OPL staff produce."""

import datetime

import xlsxwriter

from apoyo.supports.rules import COLUMNS

HEADER = [*COLUMNS, "FECHA_APOYO"]


def elector_key(n):
    """A well-formed clave de elector unique for every n (the letters are GARCIA LOPEZ JUAN)."""
    return f"GRLPJN{n // 1000:06d}26H{n % 1000:03d}"


def good_row(n, reference=None, date="2020-12-20"):
    reference = reference or f"F-{n // 10 + 1}"
    return [reference, "JUAN", "GARCIA", "LOPEZ", elector_key(n), f"{n:013d}", "", "", date]


def write_csv(path, rows, header=HEADER, delimiter=",", encoding="utf-8", bom=False):
    lines = [delimiter.join(header)] + [delimiter.join(str(c) for c in row) for row in rows]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(path, rows, header=HEADER, date_columns=()):
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Apoyos")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if c in date_columns and isinstance(value, datetime.date):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            elif value is not None:
                sheet.write_number(r, c, value)
    workbook.close()
    return path
