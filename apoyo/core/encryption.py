"""Files of personal data encrypted at rest (DESIGN.md "Security and personal data"; LGPDPPSO art.
31, security measures), with `cryptography`'s Fernet under the keys of APOYO_FILE_KEYS.

Fernet encrypts one message whole, and a carga masiva may be 200 MB (a roll file 2 GB): holding it
in memory twice to encrypt it is out of the question. So a file is cut into pieces of CHUNK_BYTES
and each piece is its own Fernet token, one per line after a header line:

    APOYOENC1:<file nonce, 32 hex>:<piece size, 8 hex>\\n
    <Fernet token of piece 0>\\n
    <Fernet token of piece 1>\\n ...

Each token's plaintext starts with the file's random nonce, the piece's number and whether it is
the last piece, so a piece moved to another place or file, a piece dropped or the file cut short
is refused, not read as data (Fernet's HMAC covers each token). Every piece but the last holds
exactly CHUNK_BYTES, so its token has a fixed length: reading any position, or the size, costs one
piece, not a pass over the file. Memory stays at a piece or two whatever the file's size.

The tokens are kept as Fernet writes them (base64 text): decoding them to raw bytes would save a
quarter of the disk but cost a third more time, and any Fernet implementation can still open each
line with the key in an emergency. cryptography is imported on first use, not at start-up.
"""

import base64
import binascii
import io
import math
import os
import secrets
import struct

MAGIC = b"APOYOENC1:"
HEADER_BYTES = len(MAGIC) + 32 + 1 + 8 + 1
CHUNK_BYTES = 1024 * 1024
# Nonce (16 bytes), piece number (8) and last-piece flag (1) before each piece's data.
PREFIX = struct.Struct(">16sQ?")


class EncryptedFileError(OSError):
    """A stored file that cannot be decrypted: damaged, cut short or under an unknown key."""


def fernet_key_is_valid(key):
    """Whether `key` is a Fernet key (32 bytes in URL-safe base64), checked without cryptography."""
    try:
        return len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        return False


def new_key():
    """A new Fernet key (the same as Fernet.generate_key(), without importing cryptography)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def multi_fernet(keys):
    """The keys as a MultiFernet: the first encrypts, every one decrypts (key rotation)."""
    from cryptography.fernet import Fernet, MultiFernet

    if not keys:
        raise EncryptedFileError("No hay ninguna clave de cifrado de archivos (APOYO_FILE_KEYS).")
    return MultiFernet([Fernet(key) for key in keys])


def primary_fernet(keys):
    from cryptography.fernet import Fernet

    return Fernet(keys[0])


def token_length(plaintext_bytes):
    """Length of the Fernet token of a plaintext: version, time and IV (25 bytes), the AES-CBC
    ciphertext padded to whole blocks, the HMAC (32), all in base64 with padding."""
    raw = 25 + 16 * (plaintext_bytes // 16 + 1) + 32
    return 4 * math.ceil(raw / 3)


def record_length(chunk_bytes):
    """Bytes of the line of a full piece: its token and the newline."""
    return token_length(PREFIX.size + chunk_bytes) + 1


def header(nonce, chunk_bytes):
    return MAGIC + nonce.hex().encode() + b":" + f"{chunk_bytes:08x}".encode() + b"\n"


def parse_header(head):
    """(nonce, piece size) of a header line; EncryptedFileError when it is not one."""
    if len(head) != HEADER_BYTES or not head.startswith(MAGIC) or not head.endswith(b"\n"):
        raise EncryptedFileError("El archivo no tiene el encabezado de un archivo cifrado.")
    try:
        nonce = bytes.fromhex(head[len(MAGIC) : len(MAGIC) + 32].decode())
        chunk_bytes = int(head[len(MAGIC) + 33 : -1], 16)
    except ValueError as error:
        raise EncryptedFileError("El encabezado del archivo cifrado está dañado.") from error
    if chunk_bytes <= 0:
        raise EncryptedFileError("El encabezado del archivo cifrado está dañado.")
    return nonce, chunk_bytes


def is_encrypted(raw):
    """Whether a binary file object (at its start) holds an encrypted file; it is left at 0."""
    raw.seek(0)
    head = raw.read(len(MAGIC))
    raw.seek(0)
    return head == MAGIC


def encrypt_pieces(fernet, pieces, chunk_bytes=CHUNK_BYTES):
    """Yield the encrypted file, header first, from an iterable of bytes (or text, as UTF-8) of
    any sizes. A piece is written once the next byte is seen, so the last one is known."""
    nonce = secrets.token_bytes(16)
    yield header(nonce, chunk_bytes)
    buffer = bytearray()
    index = 0
    for piece in pieces:
        buffer += piece.encode() if isinstance(piece, str) else piece
        while len(buffer) > chunk_bytes:
            yield _record(fernet, nonce, index, False, bytes(buffer[:chunk_bytes]))
            del buffer[:chunk_bytes]
            index += 1
    yield _record(fernet, nonce, index, True, bytes(buffer))


def _record(fernet, nonce, index, last, data):
    return fernet.encrypt(PREFIX.pack(nonce, index, last) + data) + b"\n"


class DecryptingReader(io.RawIOBase):
    """The plaintext of an encrypted file, read and seeked like a binary file; it owns `raw`.

    The size is known at opening (from the file's length and its last piece), so FileResponse
    sends the right Content-Length and File.chunks() can seek back to the start."""

    def __init__(self, raw, fernet, name=""):
        super().__init__()
        self._raw, self._fernet, self.name = raw, fernet, name
        raw.seek(0)
        self._nonce, self._chunk = parse_header(raw.read(HEADER_BYTES))
        self._record = record_length(self._chunk)
        stored = os.fstat(raw.fileno()).st_size - HEADER_BYTES
        self._pieces = max(1, math.ceil(stored / self._record))
        self._cached = (None, b"")
        last = self._piece(self._pieces - 1)
        self.size = (self._pieces - 1) * self._chunk + len(last)
        self._position = 0

    def _piece(self, index):
        """The data of piece `index`, checked against the file's nonce, number and end."""
        if self._cached[0] == index:
            return self._cached[1]
        self._raw.seek(HEADER_BYTES + index * self._record)
        token = self._raw.read(self._record).rstrip(b"\n")
        data = self._decrypt(token, index)
        self._cached = (index, data)
        return data

    def _decrypt(self, token, index):
        from cryptography.fernet import InvalidToken

        try:
            plaintext = self._fernet.decrypt(token)
        except InvalidToken as error:
            raise EncryptedFileError(
                "No se pudo descifrar el archivo: está dañado o fue cifrado con una clave que no "
                "está en APOYO_FILE_KEYS."
            ) from error
        nonce, number, last = PREFIX.unpack_from(plaintext)
        expected_last = index == self._pieces - 1
        if nonce != self._nonce or number != index or last != expected_last:
            raise EncryptedFileError("El archivo cifrado está incompleto o sus partes no cuadran.")
        return plaintext[PREFIX.size :]

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self._position

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def readinto(self, buffer):
        if self._position >= self.size or not len(buffer):
            return 0
        index, offset = divmod(self._position, self._chunk)
        data = self._piece(index)[offset : offset + len(buffer)]
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)

    def close(self):
        if not self.closed:
            self._raw.close()
        super().close()


def open_plaintext(path, fernet, name=""):
    """A buffered binary reader of the stored file at `path`: decrypted when it is encrypted,
    as it is when it predates encryption (README: rotate_file_key encrypts those)."""
    raw = open(path, "rb")  # noqa: SIM115 - owned and closed by the returned reader
    try:
        if not is_encrypted(raw):
            return raw
        reader = DecryptingReader(raw, fernet, name)
    except BaseException:
        raw.close()
        raise
    buffered = io.BufferedReader(reader, buffer_size=64 * 1024)
    buffered.size = reader.size
    return buffered


def encrypted_under(path, fernet):
    """Whether the file at `path` is encrypted and its first piece opens with `fernet` alone
    (a Fernet, not the MultiFernet): what rotation skips."""
    from cryptography.fernet import InvalidToken

    with open(path, "rb") as raw:
        if not is_encrypted(raw):
            return False
        try:
            parse_header(raw.read(HEADER_BYTES))
        except EncryptedFileError:
            return False
        token = raw.readline().rstrip(b"\n")
    try:
        fernet.decrypt(token)
    except InvalidToken:
        return False
    return True
