"""Files the tests upload: carga masiva CSV and XLSX files with the ugly inputs real OPL staff
produce, and small real scans and photos (PDF, JPEG, PNG, WebP) beside files that only pretend to be."""

import datetime
import struct
import zlib

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from apoyo.supports.rules import COLUMNS
from apoyo.testing.factories import elector_key

HEADER = [*COLUMNS, "FECHA_APOYO"]


HEADER = [*COLUMNS, "FECHA_APOYO"]


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


# Scans and photos -------------------------------------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode"
HTML = b"<html><script>alert(1)</script></html>"


def png(width=40, height=20, colour=(180, 40, 60)):
    """A real PNG of one colour, which a browser can draw."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(colour) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def webp():
    """The header of a WebP file (RIFF container, VP8 chunk), as a phone's camera writes it."""
    chunk = b"VP8 " + struct.pack("<I", 10) + b"\x00" * 10
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def uploaded(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
