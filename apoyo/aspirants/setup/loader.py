"""Loading a setup document: validate it whole, then write it in one transaction."""

from pathlib import Path

from django.db import transaction

from apoyo.aspirants.models import Aspirant
from apoyo.aspirants.setup.errors import first_error
from apoyo.aspirants.setup.reading import read_json
from apoyo.aspirants.setup.serializers import SetupSerializer
from apoyo.processes.models import Office, Process


def load_setup_file(path):
    """Read a setup JSON file (UTF-8, with or without BOM) and load it; see load_setup."""
    return load_setup(read_json(Path(path)))


def load_setup(data):
    """Validate the whole document, then write it in one transaction (CONTRACT.md, load_setup).

    Returns {"code", "process": "creado"|"actualizado", "offices_created", "offices_updated",
    "aspirants_created", "aspirants_updated"}. Raises SetupError, writing nothing, on any problem.
    """
    with transaction.atomic():
        serializer = SetupSerializer(data=data)
        if not serializer.is_valid():
            raise first_error(serializer.errors)
        return _write(serializer.validated_data)


def _write(setup):
    process, created = _save_process(setup["process"], setup["paper_regime"])
    offices_created = _save_offices(process, setup["offices"])
    aspirants_created = _save_aspirants(process, setup["aspirants"], setup["stored_aspirants"])
    return {
        "code": process.code,
        "process": "creado" if created else "actualizado",
        "offices_created": offices_created,
        "offices_updated": len(setup["offices"]) - offices_created,
        "aspirants_created": aspirants_created,
        "aspirants_updated": len(setup["aspirants"]) - aspirants_created,
    }


def _save_process(fields, paper_regime):
    """Process by code; the paper-regime lists are replaced by the file's (empty when absent)."""
    code, fields = _split_code(fields)
    fields["has_paper_regime"] = paper_regime is not None
    process, created = Process.objects.update_or_create(code=code, defaults=fields)
    paper_regime = paper_regime or {}
    process.paper_regime_municipalities.set(paper_regime.get("municipalities", []))
    process.paper_regime_sections.set(paper_regime.get("sections", []))
    return process, created


def _save_offices(process, offices):
    """Office by (process, code); returns how many were created."""
    created = 0
    for fields in offices:
        code, fields = _split_code(fields)
        _, was_created = Office.objects.update_or_create(
            process=process, code=code, defaults=fields
        )
        created += was_created
    return created


def _save_aspirants(process, aspirants, stored):
    """Aspirant by code within the process, moved to the file's office; returns how many created."""
    offices = {office.code: office for office in process.offices.all()}
    created = 0
    for fields in aspirants:
        code, fields = _split_code(fields)
        fields["office"] = offices[fields["office"]]
        aspirant = stored.get(code)
        if aspirant is None:
            Aspirant.objects.create(code=code, **fields)
            created += 1
            continue
        for name, value in fields.items():
            setattr(aspirant, name, value)
        aspirant.save()
    return created


def _split_code(fields):
    """The code that identifies a row, and a copy of its other columns."""
    fields = dict(fields)
    return fields.pop("code"), fields
