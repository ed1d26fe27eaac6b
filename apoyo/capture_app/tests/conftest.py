"""Fixtures of the capture app's browser tests."""

import random
import struct
import zlib

import pytest

from apoyo.testing.files import png


def noisy_png(width, height):
    """A PNG that does not compress (random pixels): big enough that the phone scales it down."""
    rng = random.Random(7)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 1))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def photos(tmp_path):
    files = {
        "front": png(320, 200, (180, 40, 60)),
        "back": noisy_png(1400, 900),
        "selfie": png(240, 320, (60, 120, 200)),
    }
    paths = {}
    for kind, data in files.items():
        paths[kind] = tmp_path / f"{kind}.png"
        paths[kind].write_bytes(data)
    return paths
