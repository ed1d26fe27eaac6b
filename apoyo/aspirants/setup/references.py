"""What a well-formed setup document says about the catalogue, itself and the stored data.

CONTRACT.md, "load_setup FILE.json": the numbers of `paper_regime` and of every office's scope are
units of the process's state; codes are unique; an aspirant's office is in the file or already
stored for the process. Checked in document order; errors are shaped like DRF's own nested
errors, so `errors.first_error` names their place the same way.
"""

from collections import Counter

from rest_framework import serializers

from apoyo.aspirants.models import Aspirant
from apoyo.geo.models import FederalDistrict, LocalDistrict, Municipality, Section
from apoyo.processes.models import Process, ScopeType

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


def resolve(setup):
    """The validated document with its references resolved, or a ValidationError.

    `paper_regime` becomes {"municipalities": [...], "sections": [...]} of catalogue rows (None
    when absent) and `stored_aspirants` maps the file's codes to the process's stored aspirants.
    """
    process = setup["process"]
    state = process["state"]
    existing = Process.objects.filter(code=process["code"]).first()
    paper_regime = setup["paper_regime"]
    if paper_regime is not None:
        paper_regime = {
            key: _catalogue_units(paper_regime[key], model, state, "paper_regime", key)
            for key, model in (("municipalities", Municipality), ("sections", Section))
        }
    _check_offices(setup["offices"], state)
    office_codes = {office["code"] for office in setup["offices"]}
    if existing is not None:
        office_codes.update(existing.offices.values_list("code", flat=True))
    _check_aspirants(setup["aspirants"], office_codes, process["code"])
    return {
        **setup,
        "paper_regime": paper_regime,
        "stored_aspirants": _stored_aspirants(existing, setup["aspirants"]),
    }


def _invalid(text, *place):
    """A ValidationError at `place` (keys and list indexes from the document's root)."""
    detail = [text]
    for key in reversed(place):
        detail = {key: detail}
    return serializers.ValidationError(detail)


def _unit_missing(model, number, state, *place):
    return _invalid(f"{_UNIT_NOUNS[model]} {number} no existe en {state}.", *place)


def _catalogue_units(numbers, model, state, *place):
    """The listed numbers as catalogue rows of the state; each must exist."""
    found = {unit.number: unit for unit in model.objects.filter(state=state, number__in=numbers)}
    for index, number in enumerate(numbers):
        if number not in found:
            raise _unit_missing(model, number, state, *place, index)
    return list(found.values())


def _check_offices(offices, state):
    """Each scope number is a unit of the state's catalogue; codes are unique within the file."""
    seen = set()
    for index, office in enumerate(offices):
        model = _SCOPE_MODELS.get(office["scope_type"])
        number = office["scope_number"]
        if model and not model.objects.filter(state=state, number=number).exists():
            raise _unit_missing(model, number, state, "offices", index, "scope", "number")
        if office["code"] in seen:
            raise _repeated(office["code"], "offices", index)
        seen.add(office["code"])


def _check_aspirants(aspirants, office_codes, process_code):
    """Each office is in the file or stored for the process; codes are unique within the file."""
    seen = set()
    for index, aspirant in enumerate(aspirants):
        if aspirant["office"] not in office_codes:
            raise _invalid(
                f"el cargo {aspirant['office']} no está en offices "
                f"ni registrado en el proceso {process_code}.",
                "aspirants",
                index,
                "office",
            )
        if aspirant["code"] in seen:
            raise _repeated(aspirant["code"], "aspirants", index)
        seen.add(aspirant["code"])


def _repeated(code, *place):
    return _invalid(f"la clave {code} está repetida en el archivo.", *place, "code")


def _stored_aspirants(process, aspirants):
    """Stored aspirants of the process with the file's codes, by code (unique in the process)."""
    if process is None:
        return {}
    codes = [aspirant["code"] for aspirant in aspirants]
    stored = Aspirant.objects.filter(office__process=process, code__in=codes)
    repeated = Counter(aspirant.code for aspirant in stored)
    for index, code in enumerate(codes):
        if repeated[code] > 1:
            raise _invalid(
                f"el proceso {process.code} ya tiene varios aspirantes con la clave {code}.",
                "aspirants",
                index,
                "code",
            )
    return {aspirant.code: aspirant for aspirant in stored}
