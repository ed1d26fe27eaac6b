"""Reading a setup file into JSON values, with Spanish messages for every way it can fail."""

import json
from functools import partial

from apoyo.aspirants.setup.errors import SetupError

# Python's JSON syntax messages, in Spanish.
_JSON_REASONS = {
    "Expecting value": "se esperaba un valor",
    "Expecting ',' delimiter": "falta una coma o un cierre (} o ])",
    "Expecting ':' delimiter": "faltan los dos puntos (:)",
    "Expecting property name enclosed in double quotes": (
        "se esperaba un nombre de campo entre comillas dobles"
    ),
    "Unterminated string starting at": "un texto no tiene comillas de cierre",
    "Invalid control character at": "hay un carácter de control dentro de un texto",
    "Invalid \\escape": "hay una secuencia de escape no válida",
    "Extra data": "hay contenido después del final del documento",
}


def read_json(path):
    """The JSON document in the file at `path` (a Path); SetupError when it is not one.

    CONTRACT.md, "Exit status": an unreadable file is one Spanish line, never a traceback.
    """
    raw = _read_bytes(path)
    if not raw.strip():
        raise SetupError(f"El archivo {path} está vacío.")
    return _parse_json(_decode(raw), path)


def _read_bytes(path):
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SetupError(f"No se encontró el archivo {path}.") from None
    except IsADirectoryError:
        raise SetupError(f"{path} es una carpeta, no un archivo JSON.") from None
    except OSError:
        raise SetupError(f"No se pudo leer el archivo {path}; revise sus permisos.") from None


def _decode(raw):
    """UTF-8 (BOM or not; UTF-16/32 by their BOM) as JSON says; Windows-1252 as a last resort."""
    try:
        return raw.decode(json.detect_encoding(raw))
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _parse_json(text, path):
    try:
        return json.loads(text, parse_constant=partial(_reject_constant, path))
    except json.JSONDecodeError as error:
        reason = _JSON_REASONS.get(error.msg, "error de sintaxis")
        raise SetupError(
            f"El archivo {path} no es un JSON válido: {reason} "
            f"(línea {error.lineno}, columna {error.colno})."
        ) from None
    except RecursionError:
        raise SetupError(f"El archivo {path} tiene demasiados niveles anidados.") from None


def _reject_constant(path, name):
    # NaN and Infinity are Python's extensions to JSON; no column can store them.
    raise SetupError(f"El archivo {path} no es un JSON válido: {name} no es un número admitido.")
