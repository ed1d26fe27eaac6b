"""An office after its compulsa, for the garantía de audiencia and dictamen tests.

Sections of make_sections(): 1, 2 (Aconchi, mun 1), 3 (Agua Prieta, mun 2), 900, 901 (Hermosillo,
mun 49). LN 120: 3 % requires 4 valid supports; dispersion by municipality, 2 units at 1 %.
"""

import io
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from apoyo.accounts.models import Role
from apoyo.aspirants.models import Aspirant
from apoyo.processes.models import Office
from apoyo.supports.models import Support
from apoyo.testing.factories import (
    citizen,
    elector_key,
    make_aspirant,
    make_cut,
    make_office,
    make_sections,
    make_user,
    nominal_list,
    support,
)
from apoyo.verification.models import AspirantResult, CheckRun
from apoyo.verification.services import run_check

LN = {1: 20, 2: 20, 3: 40, 900: 30, 901: 10}

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00 renamed program"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
    return buffer.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@dataclass
class Hearing:
    """What the tests work with: the office, its first run and the aspirants' supports."""

    office: Office
    run: CheckRun
    maria: Aspirant  # 3 valid; a photocopy, a mistyped clave and one not found: 3 invalid
    pedro: Aspirant  # 1 valid, 1 with an inconsistency
    valid: Support  # one of María's valid supports
    photocopy: Support  # María's: in the Lista Nominal but marked FOTOCOPIA
    mistyped: Support  # María's: clave mistyped, the right one is `right_key`
    missing: Support  # María's: not in the roll at all
    pedros: Support  # Pedro's invalid support
    right_key: str


def build_hearing(state_number=26):
    make_sections()
    nominal_list(LN)
    make_cut()
    office = make_office(
        name="Gubernatura",
        dispersion_unit="municipality",
        dispersion_min_units=2,
        dispersion_min_percent=1,
    )
    maria = make_aspirant(office, with_user=True, name="MARIA", paternal_surname="SOTO")
    pedro = make_aspirant(office, with_user=True, name="PEDRO", paternal_surname="RUIZ")
    for aspirant in (maria, pedro):  # portal accounts carry the aspirant's address
        aspirant.user.email = aspirant.email
        aspirant.user.save(update_fields=["email"])
    keys = [elector_key() for _ in range(7)]
    for k, section in zip(keys, [1, 3, 900, 2, 901, 1, 3], strict=True):
        citizen(k, section=section)
    valid = support(maria, keys[0], reference="F-1")
    support(maria, keys[1], reference="F-1")
    support(maria, keys[2], reference="F-1")
    photocopy = support(maria, keys[3], reference="F-2", inconsistency="FOTOCOPIA")
    right_key = keys[4]
    mistyped = support(maria, elector_key(), reference="F-2")
    missing = support(maria, elector_key(), reference="F-3")
    support(pedro, keys[5], reference="G-1")
    pedros = support(pedro, keys[6], reference="G-1", inconsistency="SIN_FIRMA")
    run = run_check(office)
    return Hearing(
        office, run, maria, pedro, valid, photocopy, mistyped, missing, pedros, right_key
    )


def valid_count(run, aspirant):
    return AspirantResult.objects.get(run=run, aspirant=aspirant).valid


def opl(client=None, role=Role.OPL_ADMIN, state_number=26, **fields):
    user = make_user(role, state_number=state_number, **fields)
    if client is not None:
        client.force_login(user)
    return user
