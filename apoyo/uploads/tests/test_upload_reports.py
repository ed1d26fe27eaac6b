"""The carga masiva's error reports (the --errors file of upload_supports and the web downloads):
formulas neutralised even behind leading spaces, and the file readable by its owner only."""

import io
import os
import stat

import pytest
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from apoyo.accounts.models import Role
from apoyo.testing.factories import make_aspirant, make_user
from apoyo.testing.files import good_row, write_csv
from apoyo.uploads.services import register_upload, run_upload
from apoyo.uploads.template_file import template_xlsx

pytestmark = pytest.mark.django_db

HIDDEN = "  =HYPERLINK(1)"
ROWS = [good_row(1), ["F-1", HIDDEN, "", "", "MAL", "1", "", " @SUM(A1)", ""]]


@pytest.fixture
def server_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def aspirant():
    return make_aspirant(code="A-01")


def test_the_command_error_report_is_private_and_neutralises_hidden_formulas(
    aspirant, tmp_path, server_umask
):
    errors = tmp_path / "errores.csv"
    path = write_csv(tmp_path / "a.csv", ROWS)
    call_command("upload_supports", "--aspirant", "A-01", str(path), "--errors", str(errors))
    assert stat.S_IMODE(errors.stat().st_mode) == 0o600
    report = errors.read_text(encoding="utf-8")
    assert "'" + HIDDEN in report and "' @SUM(A1)" in report


def test_the_web_reports_neutralise_hidden_formulas(client, aspirant, tmp_path):
    client.force_login(make_user(Role.OPL_CAPTURIST))
    with open(write_csv(tmp_path / "a.csv", ROWS), "rb") as source:
        upload = run_upload(register_upload(None, aspirant, source, "a.csv"))
    csv_report = client.get(reverse("uploads:report", args=[upload.pk, "csv"]))
    text = b"".join(csv_report.streaming_content).decode("utf-8-sig")
    assert "'" + HIDDEN in text
    xlsx_report = client.get(reverse("uploads:report", args=[upload.pk, "xlsx"]))
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(xlsx_report.content))
    cells = {cell for row in workbook.get_sheet_by_index(0).to_python() for cell in row}
    assert "'" + HIDDEN in cells and HIDDEN not in cells


def test_the_template_neutralises_a_catalogue_code_written_as_a_formula():
    data = template_xlsx([("FOTOCOPIA", "Fotocopia"), (" =CMD()", " =Otra")])
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = workbook.get_sheet_by_name("Catalogo").to_python()
    assert rows[1:] == [["FOTOCOPIA", "Fotocopia"], ["' =CMD()", "' =Otra"]]
