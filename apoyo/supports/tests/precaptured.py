"""Builders for mesa de control tests: real little scan files and an aspirant's pre-captured rows."""

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from apoyo.supports.models import Channel
from apoyo.supports.services import capture_support, open_cedula
from apoyo.testing import PERIOD_START

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


def uploaded(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def key(n):
    """A well-formed clave de elector for GARCIA LOPEZ JUAN, unique for each n."""
    return f"GRLPJN{n // 1000:06d}26H{n % 1000:03d}"


def row(n, **values):
    base = {
        "NOMBRE": "JUAN",
        "APELLIDO_PATERNO": "GARCIA",
        "APELLIDO_MATERNO": "LOPEZ",
        "CLAVE_ELECTOR": key(n),
        "OCR": f"{n:013d}",
        "COMENTARIO": "",
    }
    return base | values


def precaptured(aspirant, numbers, reference="P-1", date=PERIOD_START):
    """The aspirant's own capture of one cédula with one row per number: pending review."""
    cedula, errors = open_cedula(aspirant.user, aspirant, reference, date)
    assert errors == []
    supports = []
    for n in numbers:
        result = capture_support(aspirant.user, cedula, row(n), channel=Channel.ASPIRANT)
        assert result.errors == [], result.errors
        supports.append(result.support)
    return supports
