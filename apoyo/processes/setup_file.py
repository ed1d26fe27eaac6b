"""Create or update a process, its offices and aspirants from a setup document.

CONTRACT.md, "load_setup FILE.json": idempotent by `code`. The whole document is validated before
anything is written; the first problem found becomes one SetupError whose Spanish message names
where it is, e.g. "offices[1].scope.number: el municipio 999 no existe en Sonora.".
"""

import datetime
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from apoyo.aspirants.models import Aspirant
from apoyo.geo.models import FederalDistrict, LocalDistrict, Municipality, Section, State
from apoyo.processes.models import DispersionUnit, Office, Process, ScopeType

# Largest value an integer column takes on every supported database.
MAX_INTEGER = 2_147_483_647

_DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# The geo catalogue model behind each scope type that carries a number.
_SCOPE_MODELS = {
    ScopeType.MUNICIPALITY: Municipality,
    ScopeType.LOCAL_DISTRICT: LocalDistrict,
    ScopeType.FEDERAL_DISTRICT: FederalDistrict,
}

_UNIT_NOUNS = {
    Municipality: "el municipio",
    LocalDistrict: "el distrito local",
    FederalDistrict: "el distrito federal",
    Section: "la sección",
}

_NO_DISPERSION = {
    "dispersion_unit": "",
    "dispersion_min_units": None,
    "dispersion_min_units_fraction": None,
    "dispersion_min_percent": None,
}

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


class SetupError(Exception):
    """The setup document cannot be loaded: one Spanish line naming where the problem is."""

    def __init__(self, message):
        # One line always: values quoted from the file may hold line breaks.
        super().__init__(" ".join(str(message).split()))


@dataclass
class _ProcessPlan:
    code: str
    state: State
    fields: dict
    existing: Process | None
    municipalities: list = field(default_factory=list)
    sections: list = field(default_factory=list)


@dataclass
class _OfficePlan:
    code: str
    fields: dict


@dataclass
class _AspirantPlan:
    code: str
    path: str
    office_code: str
    fields: dict


@dataclass
class _Plan:
    process: _ProcessPlan
    offices: list
    aspirants: list
    stored_aspirants: dict


# --- Entry points -------------------------------------------------------------------------------


def load_setup_file(path):
    """Read a setup JSON file (UTF-8, with or without BOM) and load it; see load_setup."""
    return load_setup(_read_json(Path(path)))


def load_setup(data):
    """Validate the whole document, then write it in one transaction (CONTRACT.md, load_setup).

    Returns {"code", "process": "creado"|"actualizado", "offices_created", "offices_updated",
    "aspirants_created", "aspirants_updated"}. Raises SetupError, writing nothing, on any problem.
    """
    with transaction.atomic():
        plan = _plan(data)
        return _write(plan)


# --- Reading the file ---------------------------------------------------------------------------


def _read_json(path):
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
    raise SetupError(f"El archivo {path} no es un JSON válido: {name} no es un número admitido.")


# --- Small readers: each checks one value and names its place in the document ----------------


def _error(path, text):
    if not path:
        return SetupError(text[:1].upper() + text[1:])
    return SetupError(f"{path}: {text}")


def _at(path, key):
    return f"{path}.{key}" if path else key


def _item(path, index):
    return f"{path}[{index}]"


def _show(value):
    return json.dumps(value, ensure_ascii=False)[:60]


def _options(values):
    values = list(values)
    return ", ".join(values[:-1]) + " o " + values[-1]


def _max_length(model, name):
    return model._meta.get_field(name).max_length


def _get(container, key, path, required=True):
    """A key's value; null counts as absent, and an absent required key is an error."""
    value = container.get(key)
    if value is None and required:
        raise _error(_at(path, key), "falta este dato obligatorio.")
    return value


def _object(value, path):
    if not isinstance(value, dict):
        raise _error(path, "debe ser un objeto JSON ({...}).")
    return value


def _list(container, key, path):
    """An optional list: absent or null is an empty list."""
    value = container.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _error(_at(path, key), "debe ser una lista ([...]).")
    return value


def _text(container, key, path, max_length, required=True):
    """A text, trimmed and with inner spaces collapsed; "" when optional and absent."""
    value = _get(container, key, path, required)
    where = _at(path, key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _error(where, "debe ser un texto entre comillas.")
    value = " ".join(value.split())
    if required and not value:
        raise _error(where, "no puede estar vacío.")
    if len(value) > max_length:
        raise _error(where, f"admite como máximo {max_length} caracteres.")
    return value


def _integer(value, where, minimum=1):
    """A whole number (49 or 49.0) between minimum and MAX_INTEGER."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _error(where, f"debe ser un número entero; se recibió {_show(value)}.")
    if value < minimum:
        raise _error(
            where, f"debe ser un número entero de {minimum} en adelante; se recibió {value}."
        )
    if value > MAX_INTEGER:
        raise _error(where, f"el número {value} es demasiado grande.")
    return value


def _decimal(value, where, places):
    """A JSON number as Decimal(str(number)), with at most `places` decimals (the column's)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _error(where, f"debe ser un número sin comillas; se recibió {_show(value)}.")
    if isinstance(value, float) and not math.isfinite(value):
        raise _error(where, "debe ser un número finito.")
    number = Decimal(str(value))
    if -number.normalize().as_tuple().exponent > places:
        raise _error(where, f"admite como máximo {places} decimales; se recibió {value}.")
    return number


def _percent(container, key, path, allow_zero):
    """threshold.percent is in (0, 100]; dispersion.min_percent in [0, 100]."""
    where = _at(path, key)
    value = _decimal(_get(container, key, path), where, places=2)
    low_ok = value >= 0 if allow_zero else value > 0
    if low_ok and value <= 100:
        return value
    bounds = "entre 0 y 100" if allow_zero else "mayor que 0 y a lo más 100"
    raise _error(where, f"debe ser un porcentaje {bounds}; se recibió {value}.")


def _date(container, key, path, required=True):
    """A date written YYYY-MM-DD."""
    value = _get(container, key, path, required)
    where = _at(path, key)
    if value is None:
        return None
    if not isinstance(value, str) or not _DATE_PATTERN.fullmatch(value.strip()):
        raise _error(where, f"debe ser una fecha AAAA-MM-DD; se recibió {_show(value)}.")
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise _error(where, f"la fecha {value.strip()} no existe.") from None


def _choice(container, key, path, choices):
    """One of a TextChoices' values, ignoring case and surrounding spaces."""
    value = _get(container, key, path)
    allowed = list(choices.values)
    if isinstance(value, str) and value.strip().lower() in allowed:
        return value.strip().lower()
    raise _error(_at(path, key), f"{_show(value)} no es válido; use {_options(allowed)}.")


def _unit_missing(path, model, number, state):
    return _error(path, f"{_UNIT_NOUNS[model]} {number} no existe en {state}.")


# --- Validation: the plan of what to write ------------------------------------------------------


def _plan(data):
    root = _object_root(data)
    process = _read_process(_get(root, "process", ""))
    _check_state_change(process)
    _read_paper_regime(root.get("paper_regime"), process)
    offices = _read_offices(root, process.state)
    aspirants = _read_aspirants(root, process, offices)
    return _Plan(process, offices, aspirants, _stored_aspirants(process.existing, aspirants))


def _object_root(data):
    if not isinstance(data, dict):
        raise _error("", "el documento debe ser un objeto JSON con process, offices y aspirants.")
    return data


def _read_process(value):
    """The `process` section: code, name, state (INE number) and optional roll_cut_date."""
    path = "process"
    item = _object(value, path)
    code = _text(item, "code", path, _max_length(Process, "code"))
    fields = {
        "name": _text(item, "name", path, _max_length(Process, "name")),
        "state": _read_state(item, path),
        "roll_cut_date": _date(item, "roll_cut_date", path, required=False),
        "has_paper_regime": False,
    }
    existing = Process.objects.filter(code=code).select_related("state").first()
    return _ProcessPlan(code=code, state=fields["state"], fields=fields, existing=existing)


def _read_state(item, path):
    where = _at(path, "state")
    number = _integer(_get(item, "state", path), where)
    state = State.objects.filter(number=number).first()
    if state is None:
        raise _error(where, f"la entidad {number} no existe; use la clave INE de 1 a 32.")
    return state


def _check_state_change(process):
    """A process whose offices have aspirants keeps its entity: moving it would move their data."""
    existing = process.existing
    if existing is None or existing.state_id == process.state.number:
        return
    if Aspirant.objects.filter(office__process=existing).exists():
        raise _error(
            "process.state",
            f"el proceso {existing.code} ya tiene aspirantes registrados en {existing.state}; "
            f"no se puede cambiar su entidad a {process.state}.",
        )


def _read_paper_regime(value, process):
    """Absent: paper cédulas count from the whole territory. Present: only from the listed areas."""
    if value is None:
        return
    path = "paper_regime"
    item = _object(value, path)
    process.municipalities = _catalogue_units(item, "municipalities", path, Municipality, process)
    process.sections = _catalogue_units(item, "sections", path, Section, process)
    if not process.municipalities and not process.sections:
        raise _error(path, "indique al menos un municipio (municipalities) o sección (sections).")
    process.fields["has_paper_regime"] = True


def _catalogue_units(item, key, path, model, process):
    """The listed numbers as catalogue rows of the process's state; each must exist."""
    where = _at(path, key)
    values = _list(item, key, path)
    numbers = [_integer(value, _item(where, index)) for index, value in enumerate(values)]
    found = {
        unit.number: unit
        for unit in model.objects.filter(state=process.state, number__in=set(numbers))
    }
    for index, number in enumerate(numbers):
        if number not in found:
            raise _unit_missing(_item(where, index), model, number, process.state)
    return list(found.values())


def _read_offices(root, state):
    """The `offices` section; codes are unique within the file."""
    plans = []
    seen = set()
    for index, value in enumerate(_list(root, "offices", "")):
        path = _item("offices", index)
        plan = _read_office(value, path, state)
        if plan.code in seen:
            raise _error(_at(path, "code"), f"la clave {plan.code} está repetida en el archivo.")
        seen.add(plan.code)
        plans.append(plan)
    return plans


def _read_office(value, path, state):
    item = _object(value, path)
    code = _text(item, "code", path, _max_length(Office, "code"))
    name = _text(item, "name", path, _max_length(Office, "name"))
    scope_type, scope_number = _read_scope(item, path, state)
    start, end = _read_period(item, path)
    threshold_path = _at(path, "threshold")
    threshold = _object(_get(item, "threshold", path), threshold_path)
    fields = {
        "name": name,
        "scope_type": scope_type,
        "scope_number": scope_number,
        "collection_start": start,
        "collection_end": end,
        "threshold_percent": _percent(threshold, "percent", threshold_path, allow_zero=False),
        **_read_dispersion(threshold.get("dispersion"), _at(threshold_path, "dispersion")),
    }
    return _OfficePlan(code=code, fields=fields)


def _read_scope(item, path, state):
    """scope.type; scope.number (except for state) must be a unit of the state's catalogue."""
    where = _at(path, "scope")
    scope = _object(_get(item, "scope", path), where)
    scope_type = _choice(scope, "type", where, ScopeType)
    if scope_type == ScopeType.STATE:
        return scope_type, None
    number_path = _at(where, "number")
    number = _integer(_get(scope, "number", where), number_path)
    model = _SCOPE_MODELS[scope_type]
    if not model.objects.filter(state=state, number=number).exists():
        raise _unit_missing(number_path, model, number, state)
    return scope_type, number


def _read_period(item, path):
    """collection_start and collection_end, the end not before the start."""
    start = _date(item, "collection_start", path)
    end = _date(item, "collection_end", path)
    if end < start:
        raise _error(
            _at(path, "collection_end"),
            f"el fin del periodo ({end.isoformat()}) es anterior "
            f"a su inicio ({start.isoformat()}).",
        )
    return start, end


def _read_dispersion(value, path):
    """Optional rule: a unit type, min_units or min_units_fraction (one), and min_percent."""
    if value is None:
        return dict(_NO_DISPERSION)
    item = _object(value, path)
    unit = _choice(item, "unit", path, DispersionUnit)
    min_units, fraction = _read_min_units(item, path)
    return {
        "dispersion_unit": unit,
        "dispersion_min_units": min_units,
        "dispersion_min_units_fraction": fraction,
        "dispersion_min_percent": _percent(item, "min_percent", path, allow_zero=True),
    }


def _read_min_units(item, path):
    """Exactly one of min_units (an integer >= 1) or min_units_fraction (0 < f <= 1)."""
    has_units = item.get("min_units") is not None
    has_fraction = item.get("min_units_fraction") is not None
    if has_units and has_fraction:
        raise _error(path, "indique min_units o min_units_fraction, no ambos.")
    if has_units:
        return _integer(item["min_units"], _at(path, "min_units")), None
    if has_fraction:
        return None, _fraction(item, path)
    raise _error(path, "falta min_units o min_units_fraction.")


def _fraction(item, path):
    where = _at(path, "min_units_fraction")
    value = _decimal(item["min_units_fraction"], where, places=4)
    if not 0 < value <= 1:
        raise _error(where, f"debe ser mayor que 0 y a lo más 1; se recibió {value}.")
    return value


def _read_aspirants(root, process, offices):
    """The `aspirants` section: codes unique in the process, offices from the file or stored."""
    office_codes = {plan.code for plan in offices}
    if process.existing is not None:
        office_codes.update(process.existing.offices.values_list("code", flat=True))
    plans = []
    seen = set()
    for index, value in enumerate(_list(root, "aspirants", "")):
        plan = _read_aspirant(value, _item("aspirants", index), office_codes, process.code)
        if plan.code in seen:
            raise _error(
                _at(plan.path, "code"), f"la clave {plan.code} está repetida en el archivo."
            )
        seen.add(plan.code)
        plans.append(plan)
    return plans


def _read_aspirant(value, path, office_codes, process_code):
    item = _object(value, path)
    code = _text(item, "code", path, _max_length(Aspirant, "code"))
    office_code = _text(item, "office", path, _max_length(Office, "code"))
    if office_code not in office_codes:
        raise _error(
            _at(path, "office"),
            f"el cargo {office_code} no está en offices "
            f"ni registrado en el proceso {process_code}.",
        )
    fields = {
        "name": _text(item, "name", path, _max_length(Aspirant, "name")),
        "paternal_surname": _optional_text(item, "paternal_surname", path, Aspirant),
        "maternal_surname": _optional_text(item, "maternal_surname", path, Aspirant),
        "email": _read_email(item, path),
    }
    return _AspirantPlan(code=code, path=path, office_code=office_code, fields=fields)


def _optional_text(item, key, path, model):
    return _text(item, key, path, _max_length(model, key), required=False)


def _read_email(item, path):
    email = _optional_text(item, "email", path, Aspirant)
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise _error(_at(path, "email"), f"el correo {email} no es válido.") from None
    return email


def _stored_aspirants(process, plans):
    """Stored aspirants of the process with the file's codes, by code (unique in the process)."""
    if process is None:
        return {}
    codes = [plan.code for plan in plans]
    stored = Aspirant.objects.filter(office__process=process, code__in=codes)
    repeated = Counter(aspirant.code for aspirant in stored)
    for plan in plans:
        if repeated[plan.code] > 1:
            raise _error(
                _at(plan.path, "code"),
                f"el proceso {process.code} ya tiene varios aspirantes con la clave {plan.code}.",
            )
    return {aspirant.code: aspirant for aspirant in stored}


# --- Writing --------------------------------------------------------------------------------------


def _write(plan):
    process, created = _save_process(plan.process)
    offices_created = _save_offices(process, plan.offices)
    aspirants_created = _save_aspirants(process, plan.aspirants, plan.stored_aspirants)
    return {
        "code": process.code,
        "process": "creado" if created else "actualizado",
        "offices_created": offices_created,
        "offices_updated": len(plan.offices) - offices_created,
        "aspirants_created": aspirants_created,
        "aspirants_updated": len(plan.aspirants) - aspirants_created,
    }


def _save_process(plan):
    """Process by code; the paper-regime lists are replaced by the file's (empty when absent)."""
    process, created = Process.objects.update_or_create(code=plan.code, defaults=plan.fields)
    process.paper_regime_municipalities.set(plan.municipalities)
    process.paper_regime_sections.set(plan.sections)
    return process, created


def _save_offices(process, plans):
    """Office by (process, code); returns how many were created."""
    created = 0
    for plan in plans:
        _, was_created = Office.objects.update_or_create(
            process=process, code=plan.code, defaults=plan.fields
        )
        created += was_created
    return created


def _save_aspirants(process, plans, stored):
    """Aspirant by code within the process, moved to the file's office; returns how many created."""
    offices = {office.code: office for office in process.offices.all()}
    created = 0
    for plan in plans:
        fields = {**plan.fields, "office": offices[plan.office_code]}
        aspirant = stored.get(plan.code)
        if aspirant is None:
            Aspirant.objects.create(code=plan.code, **fields)
            created += 1
            continue
        for name, value in fields.items():
            setattr(aspirant, name, value)
        aspirant.save()
    return created
