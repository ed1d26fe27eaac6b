"""How much a data file may expand to while it is read (DESIGN.md "Security and personal data":
uploads are bounded in size, type and decompressed size).

A gzip-compressed CSV or an XLSX (a zip of XML parts) is decompressed as it is read, so a file of a
few kilobytes may hold gigabytes: a decompression bomb. The limits here are enforced on the bytes
that actually come out of the decompressor, counted as they are read, never on the sizes a file
declares: a zip's directory and a gzip trailer can both lie.
"""

import gzip
import io
import math
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass

# Default expansion allowed when the caller gives no limit (the former XLSX-only limit).
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
# Real CSV and XLSX files compress 3 to 20 times; a stream expanding more than MAX_RATIO times is a
# bomb. Streams smaller than RATIO_MIN_SIZE are never judged by ratio: tiny, very repetitive parts
# (an XLSX's styles, a file of a few identical rows) are normal.
MAX_RATIO = 200
RATIO_MIN_SIZE = 1024 * 1024
CHUNK_BYTES = 1024 * 1024

_MEGABYTE = 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_LOCAL_MAGIC = b"PK\x03\x04"
_RAW_DEFLATE = -15
# How each kind of file is named in the messages, and what its anomalous expansion is called.
_KINDS = {
    "xlsx": ("XLSX", "posible bomba ZIP"),
    "gzip": ("comprimido (.gz)", "posible bomba de descompresión"),
}


class FileRejected(Exception):
    """The file as a whole is unusable. str(exc) is a one-line Spanish message for the user."""


def format_megabytes(size, *, round_up):
    value = size / _MEGABYTE
    value = math.ceil(value * 10) / 10 if round_up else round(value, 1)
    return f"{value:.1f}".removesuffix(".0")


@dataclass
class Expansion:
    """The bytes one pass over a file may decompress: `spend` refuses the file at the first chunk
    past `limit` bytes in all, or past MAX_RATIO times the compressed size of one stream."""

    kind: str  # "xlsx" or "gzip"
    limit: int
    spent: int = 0

    def spend(self, count, produced, compressed_size):
        """Count `count` more bytes out of a stream that has now produced `produced` bytes from
        `compressed_size` compressed ones."""
        self.spent += count
        if self.spent > self.limit:
            raise FileRejected(
                f"El archivo {_KINDS[self.kind][0]} se descomprime a más de "
                f"{format_megabytes(self.limit, round_up=False)} MB; no se procesa."
            )
        if produced > RATIO_MIN_SIZE and produced > MAX_RATIO * max(compressed_size, 1):
            raise FileRejected(_anomalous(self.kind))


def _anomalous(kind):
    label, anomaly = _KINDS[kind]
    return f"El archivo {label} tiene un contenido comprimido anómalo ({anomaly}); no se procesa."


class _CountedStream(io.RawIOBase):
    """A decompressing stream whose every byte is counted against an Expansion as it is read."""

    def __init__(self, inner, expansion, compressed_size):
        super().__init__()
        self._inner = inner
        self._expansion = expansion
        self._compressed_size = compressed_size
        self.produced = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        count = self._inner.readinto(buffer)
        self.produced += count
        self._expansion.spend(count, self.produced, self._compressed_size)
        return count

    def close(self):
        if not self.closed:
            self._inner.close()
        super().close()


def open_gzip(path, limit) -> io.BufferedReader:
    """A gzip file opened for reading in binary, refused (FileRejected) as soon as what it
    decompresses passes `limit` bytes or MAX_RATIO times its size on disk. Damage in the stream
    raises what gzip raises (EOFError, zlib.error, gzip.BadGzipFile)."""
    compressed_size = os.stat(path).st_size
    decompressed = gzip.open(path, "rb")  # noqa: SIM115 (closed by the returned reader)
    counted = _CountedStream(decompressed, Expansion("gzip", limit), compressed_size)
    return io.BufferedReader(counted, CHUNK_BYTES)


# --- Zip (XLSX) ---------------------------------------------------------------------------------


def check_zip_expansion(path, entries, limit):
    """Refuse a zip (an XLSX) that would expand past `limit` bytes in all, or past MAX_RATIO for
    one entry: first, cheaply, by the sizes its directory declares; then by inflating every entry
    with zlib and counting the bytes that really come out, a chunk at a time (memory stays at one
    chunk). An entry that does not hold the size its directory declares is refused too: a reader
    trusting that size would expand more than was checked. Damage raises BadZipFile."""
    _check_declared_sizes(entries, limit)
    expansion = Expansion("xlsx", limit)
    with open(path, "rb") as raw:
        for entry in entries:
            if _inflate_entry(raw, entry, expansion) != entry.file_size:
                raise FileRejected(_anomalous("xlsx"))


def _check_declared_sizes(entries, limit):
    expansion = Expansion("xlsx", limit)
    for entry in entries:
        expansion.spend(entry.file_size, entry.file_size, entry.compress_size)


def _entry_data_start(raw, entry):
    """Where an entry's compressed data begins: after its local header, name and extra field."""
    if entry.flag_bits & 0x1:
        raise zipfile.BadZipFile("encrypted entry")
    raw.seek(entry.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size:
        raise zipfile.BadZipFile("truncated local header")
    magic, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    if magic != _LOCAL_MAGIC:
        raise zipfile.BadZipFile("bad local header")
    return entry.header_offset + _LOCAL_HEADER.size + name_length + extra_length


def _decompressor(entry):
    if entry.compress_type == zipfile.ZIP_STORED:
        return None
    if entry.compress_type == zipfile.ZIP_DEFLATED:
        return zlib.decompressobj(_RAW_DEFLATE)
    # Excel and LibreOffice write only these two; anything else is not a workbook we read.
    raise zipfile.BadZipFile("unsupported compression")


def _inflate_entry(raw, entry, expansion):
    """The true decompressed size of one entry, counted chunk by chunk against `expansion`."""
    raw.seek(_entry_data_start(raw, entry))
    decompressor = _decompressor(entry)
    remaining, produced = entry.compress_size, 0
    while remaining > 0:
        chunk = raw.read(min(CHUNK_BYTES, remaining))
        if not chunk:
            raise zipfile.BadZipFile("truncated entry")
        remaining -= len(chunk)
        while chunk:
            if decompressor is None:
                out, chunk = len(chunk), b""
            else:
                out = len(decompressor.decompress(chunk, CHUNK_BYTES))
                chunk = decompressor.unconsumed_tail
            produced += out
            expansion.spend(out, produced, entry.compress_size)
    if decompressor is not None and entry.compress_size and not decompressor.eof:
        raise zipfile.BadZipFile("incomplete deflate stream")
    return produced
