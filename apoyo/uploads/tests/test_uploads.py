import datetime
import json
import zipfile

import pytest
from django.core.management import call_command

from apoyo.accounts.models import Role
from apoyo.supports.models import (
    Channel,
    IssueKind,
    Status,
    Support,
    SupportChange,
    Upload,
    UploadStatus,
)
from apoyo.testing.factories import elector_key, make_aspirant, make_user
from apoyo.testing.files import HEADER, good_row, write_csv, write_xlsx
from apoyo.uploads import services as uploads
from apoyo.uploads.revert import revert_upload
from apoyo.uploads.services import register_upload, run_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def aspirant():
    return make_aspirant(code="A-01")


def upload_file(aspirant, path, dry_run=False, user=None):
    with open(path, "rb") as source:
        upload = register_upload(user, aspirant, source, path.name, dry_run)
    return run_upload(upload)


def issues(upload, kind=IssueKind.REJECTED):
    return list(upload.issues.filter(kind=kind).values_list("row_number", "column", "reason"))


def test_valid_csv_rows_are_stored_as_bulk_preliminary_supports(aspirant, tmp_path):
    upload = upload_file(aspirant, write_csv(tmp_path / "a.csv", [good_row(1), good_row(2)]))
    assert (upload.status, upload.stored, upload.skipped, upload.rejected) == ("done", 2, 0, 0)
    supports = Support.objects.order_by("id")
    assert [s.elector_key for s in supports] == [elector_key(1), elector_key(2)]
    assert {s.channel for s in supports} == {Channel.BULK}
    assert {s.status for s in supports} == {Status.PRELIMINARY}
    assert supports[0].cedula.reference == "F-1"
    assert supports[0].support_date == datetime.date(2020, 12, 20)
    assert upload.sha256 and upload.size > 0


def test_utf8_with_bom_and_windows_1252_with_accents_and_enie(aspirant, tmp_path):
    row = ["F-1", "José", "Peña", "Núñez", "PXNXJS85010126H001", "1234567890123", "", "Café", ""]
    upload_file(aspirant, write_csv(tmp_path / "bom.csv", [row], bom=True))
    row2 = [*row[:4], "PXNXJS85010126H002", *row[5:]]
    upload = upload_file(aspirant, write_csv(tmp_path / "win.csv", [row2], encoding="cp1252"))
    assert upload.stored == 1
    names = set(Support.objects.values_list("name", "paternal_surname", "maternal_surname"))
    assert names == {("JOSE", "PEÑA", "NUÑEZ")}
    assert set(Support.objects.values_list("comment", flat=True)) == {"Café"}


def test_semicolons_blank_lines_and_stray_spaces(aspirant, tmp_path):
    path = tmp_path / "excel.csv"
    lines = [
        ";".join(HEADER),
        ";".join(f"  {c} " for c in good_row(1)),
        "",
        ";;;;;;;;",
        ";".join(good_row(2)),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    upload = upload_file(aspirant, path)
    assert (upload.rows_read, upload.stored, upload.rejected) == (2, 2, 0)


def test_headers_in_other_order_case_accents_and_extra_columns(aspirant, tmp_path):
    header = [
        "Clave Elector",
        "ocr",
        "Número Referencia",
        "nombre",
        "Apellido Paterno",
        "APELLIDO MATERNO",
        "Tipo Inconsistencia",
        "Comentario",
        "Notas internas",
    ]
    row = [elector_key(5), "0000000000005", "F-9", "JUAN", "GARCIA", "LOPEZ", "", "", "x"]
    upload = upload_file(aspirant, write_csv(tmp_path / "h.csv", [row], header=header))
    assert upload.stored == 1
    assert Support.objects.get().cedula.reference == "F-9"


def test_missing_required_column_refuses_whole_file_naming_it(aspirant, tmp_path):
    header = [h for h in HEADER if h != "OCR"]
    row = good_row(1)
    del row[5]
    upload = upload_file(aspirant, write_csv(tmp_path / "m.csv", [row], header=header))
    assert upload.status == UploadStatus.FAILED
    assert "OCR" in upload.message
    assert not Support.objects.exists()


def test_rejected_rows_report_row_column_and_spanish_reason(aspirant, tmp_path):
    rows = [
        good_row(1),
        ["", "", "", "", "MAL", "12", "NO_EXISTE", "", "31/02/2021"],
        ["F-1", "ANA", "", "RUIZ", elector_key(3), "1.234E+12", "", "", "2019-01-01"],
    ]
    upload = upload_file(aspirant, write_csv(tmp_path / "bad.csv", rows))
    assert (upload.stored, upload.rejected) == (1, 2)
    found = issues(upload)
    columns_row3 = {column for row, column, _ in found if row == 3}
    assert columns_row3 == {
        "NUMERO_REFERENCIA",
        "NOMBRE",
        "APELLIDO_PATERNO",
        "CLAVE_ELECTOR",
        "OCR",
        "TIPO_INCONSISTENCIA",
        "FECHA_APOYO",
    }
    row4 = {column: reason for row, column, reason in found if row == 4}
    assert set(row4) == {"OCR", "FECHA_APOYO"}
    assert "notación científica" in row4["OCR"]
    assert "periodo" in row4["FECHA_APOYO"]
    row3 = {column: reason for row, column, reason in found if row == 3}
    assert row3["FECHA_APOYO"] == "Fecha inexistente «31/02/2021»: revise el día y el mes."
    values = upload.issues.filter(row_number=4).first().values
    assert values["OCR"] == "1.234E+12"


def test_excel_dates_serials_text_dates_and_float_ocr(aspirant, tmp_path):
    rows = [
        [*good_row(1)[:8], datetime.date(2020, 12, 16)],
        [*good_row(2)[:8], 44197.0],  # Excel serial of 2021-01-01
        [*good_row(3)[:8], "05/01/2021"],
        [*good_row(4)[:5], 1234567890123.0, "", "", ""],  # OCR turned into a number, intact
        [*good_row(5)[:5], 123456789012.0, "", "", ""],  # leading zero lost: reported
    ]
    upload = upload_file(aspirant, write_xlsx(tmp_path / "d.xlsx", rows, date_columns={8}))
    assert (upload.stored, upload.rejected) == (4, 1)
    dates = dict(Support.objects.values_list("elector_key", "support_date"))
    assert dates[elector_key(1)] == datetime.date(2020, 12, 16)
    assert dates[elector_key(2)] == datetime.date(2021, 1, 1)
    assert dates[elector_key(3)] == datetime.date(2021, 1, 5)
    assert Support.objects.get(elector_key=elector_key(4)).ocr == "1234567890123"
    assert issues(upload)[0][:2] == (6, "OCR")


def test_file_that_is_not_what_its_extension_says(aspirant, tmp_path):
    fake = tmp_path / "datos.xlsx"
    write_csv(fake, [good_row(1)])
    assert upload_file(aspirant, fake).status == UploadStatus.FAILED
    zipped = tmp_path / "datos.csv"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    upload = upload_file(aspirant, zipped)
    assert upload.status == UploadStatus.FAILED and upload.message


def test_empty_file_and_header_only_file(aspirant, tmp_path):
    empty = tmp_path / "vacio.csv"
    empty.write_bytes(b"")
    upload = upload_file(aspirant, empty)
    assert upload.status == UploadStatus.FAILED and "vacío" in upload.message
    header_only = upload_file(aspirant, write_csv(tmp_path / "h.csv", []))
    assert (header_only.status, header_only.rows_read, header_only.stored) == ("done", 0, 0)


def test_oversized_file_is_refused_before_reading(aspirant, tmp_path, settings, monkeypatch):
    settings.APOYO_UPLOAD_MAX_BYTES = 100
    path = write_csv(tmp_path / "big.csv", [good_row(n) for n in range(50)])

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(uploads, "validate_file", no_reading)
    upload = upload_file(aspirant, path)
    assert upload.status == UploadStatus.FAILED
    assert "límite" in upload.message


def test_xlsx_zip_bomb_is_refused(aspirant, tmp_path):
    bomb = tmp_path / "bomba.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (30 * 1024 * 1024))
    upload = upload_file(aspirant, bomb)
    assert upload.status == UploadStatus.FAILED
    assert "bomba" in upload.message.lower()


def test_formula_cells_are_stored_as_text(aspirant, tmp_path):
    row = [
        "F-1",
        '=HYPERLINK("http://x")',
        "+GARCIA",
        "-LOPEZ",
        elector_key(1),
        "0000000000001",
        "",
        "@SUM(A1)",
        "",
    ]
    upload = upload_file(aspirant, write_csv(tmp_path / "f.csv", [row]))
    assert upload.stored == 1
    support = Support.objects.get()
    assert support.comment == "@SUM(A1)"
    assert support.paternal_surname == "+GARCIA"


def test_same_file_twice_stores_nothing_new(aspirant, tmp_path):
    path = write_csv(tmp_path / "a.csv", [good_row(n) for n in range(1, 21)])
    first = upload_file(aspirant, path)
    second = upload_file(aspirant, path)
    assert (first.stored, second.stored, second.skipped) == (20, 0, 20)
    assert Support.objects.count() == 20
    assert "Ya registrado" in issues(second, IssueKind.SKIPPED)[0][2]


def test_repeated_row_inside_the_file_is_skipped_once(aspirant, tmp_path):
    upload = upload_file(aspirant, write_csv(tmp_path / "r.csv", [good_row(1), good_row(1)]))
    assert (upload.stored, upload.skipped) == (1, 1)
    assert "fila 2" in issues(upload, IssueKind.SKIPPED)[0][2]


def test_dry_run_writes_nothing_but_reports_the_same(aspirant, tmp_path):
    rows = [good_row(1), good_row(2), ["F-1", "", "", "", "X", "1", "", "", ""]]
    path = write_csv(tmp_path / "a.csv", rows)
    dry = upload_file(aspirant, path, dry_run=True)
    assert (dry.stored, dry.rejected) == (2, 1)
    assert not Support.objects.exists()
    real = upload_file(aspirant, path)
    assert issues(real) == issues(dry)
    assert real.stored == 2


def test_failure_while_storing_leaves_nothing_and_can_be_rerun(aspirant, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "a.csv", [good_row(n) for n in range(1, 101)])
    real_insert = uploads.insert_rows

    def insert_then_crash(table, columns, rows, **kwargs):
        real_insert(table, columns, rows)
        raise RuntimeError("disco lleno")

    monkeypatch.setattr(uploads, "insert_rows", insert_then_crash)
    with open(path, "rb") as source:
        upload = register_upload(None, aspirant, source, path.name)
    run_upload(upload)
    assert upload.status == UploadStatus.FAILED
    assert "no se guardó ninguna fila" in upload.message
    assert upload.can_retry
    assert not Support.objects.exists()
    assert not upload.issues.exists()
    monkeypatch.setattr(uploads, "insert_rows", real_insert)
    run_upload(upload)
    assert (upload.status, upload.stored) == ("done", 100)


def test_a_crash_while_validating_fails_the_upload_as_retryable(aspirant, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "a.csv", [good_row(1)])

    def crash(*args, **kwargs):
        raise MemoryError("sin memoria")

    monkeypatch.setattr(uploads, "validate_file", crash)
    with open(path, "rb") as source:
        upload = register_upload(None, aspirant, source, path.name)
    run_upload(upload)
    upload.refresh_from_db()
    assert (upload.status, upload.retryable) == (UploadStatus.FAILED, True)
    assert "error del sistema" in upload.message and upload.finished_at is not None
    monkeypatch.undo()
    run_upload(upload)
    upload.refresh_from_db()
    assert (upload.status, upload.stored, upload.retryable) == (UploadStatus.DONE, 1, False)


def test_a_file_refused_for_its_content_is_not_retryable(aspirant, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("NOMBRE\nJUAN\n", encoding="utf-8")
    upload = upload_file(aspirant, path)
    assert upload.status == UploadStatus.FAILED and "NUMERO_REFERENCIA" in upload.message
    assert not upload.retryable and not upload.can_retry


def test_revert_withdraws_supports_with_reason_and_history(aspirant, tmp_path):
    admin = make_user(Role.OPL_ADMIN)
    upload = upload_file(aspirant, write_csv(tmp_path / "a.csv", [good_row(1), good_row(2)]))
    assert revert_upload(admin, upload, "  archivo  del aspirante equivocado ") == (2, None)
    assert upload.status == UploadStatus.REVERTED
    assert upload.revert_reason == "archivo del aspirante equivocado"
    assert set(Support.objects.values_list("status", "withdrawal_reason")) == {
        (Status.WITHDRAWN, "carga revertida: archivo del aspirante equivocado")
    }
    history = SupportChange.objects.filter(
        new_value=f"Retirado: carga revertida: archivo del aspirante equivocado (carga {upload.pk})"
    )
    assert history.count() == 2
    count, error = revert_upload(admin, upload, "otra vez")
    assert count == 0 and "no se puede revertir" in error
    again = upload_file(aspirant, write_csv(tmp_path / "b.csv", [good_row(1)]))
    assert again.stored == 1


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_revert_without_a_reason_is_refused_and_changes_nothing(aspirant, tmp_path, reason):
    admin = make_user(Role.OPL_ADMIN)
    upload = upload_file(aspirant, write_csv(tmp_path / "a.csv", [good_row(1)]))
    count, error = revert_upload(admin, upload, reason)
    assert count == 0 and error.startswith("Indique el motivo de la reversión")
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE
    assert Support.objects.get().status == Status.PRELIMINARY


def test_command_prints_json_summary_last_and_writes_error_report(aspirant, tmp_path, capsys):
    rows = [good_row(1), good_row(2), ["F-1", "=CMD()", "", "", "MAL", "1", "", "", ""]]
    path = write_csv(tmp_path / "a.csv", rows)
    errors = tmp_path / "errores.csv"
    call_command("upload_supports", "--aspirant", "a-01", str(path), "--errors", str(errors))
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last) == {"stored": 2, "skipped": 0, "rejected": 1}
    report = errors.read_text(encoding="utf-8")
    assert "Fila" in report.splitlines()[0] or "FILA" in report.splitlines()[0]
    assert "'=CMD()" in report
    call_command("upload_supports", "--aspirant", "A-01", str(path))
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last) == {"stored": 0, "skipped": 2, "rejected": 1}


def test_command_refuses_unusable_input_with_one_spanish_line(aspirant, tmp_path, capsys):
    with pytest.raises(SystemExit) as missing:
        call_command("upload_supports", "--aspirant", "A-01", str(tmp_path / "no.csv"))
    assert missing.value.code == 1
    with pytest.raises(SystemExit):
        call_command(
            "upload_supports", "--aspirant", "Z-99", str(write_csv(tmp_path / "a.csv", []))
        )
    header = [h for h in HEADER if h != "NOMBRE"]
    with pytest.raises(SystemExit):
        call_command(
            "upload_supports",
            "--aspirant",
            "A-01",
            str(write_csv(tmp_path / "b.csv", [], header=header)),
        )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3
    assert "No se encontró" in err[0] and "Z-99" in err[1] and "NOMBRE" in err[2]
    assert not Support.objects.exists()
    assert Upload.objects.filter(status=UploadStatus.FAILED).count() == 1


def test_progress_is_written_while_the_file_is_validated(aspirant, tmp_path, monkeypatch):
    seen = []
    real_set_progress = uploads.set_progress

    def spy(upload, **fields):
        if "rows_read" in fields:
            seen.append(fields["rows_read"])
        real_set_progress(upload, **fields)

    monkeypatch.setattr(uploads, "CHUNK_ROWS", 10)
    monkeypatch.setattr(uploads, "set_progress", spy)
    path = write_csv(tmp_path / "a.csv", [good_row(n) for n in range(35)])
    upload = upload_file(aspirant, path)
    assert [n for n in seen if n] == [10, 20, 30, 35]
    assert upload.rows_total >= 35


def test_backslashes_and_quotes_survive_the_fast_insert(aspirant, tmp_path):
    comment = 'Ver C:\\cedulas\\n "folio" \\N'
    row = [*good_row(1)[:7], comment, ""]
    path = tmp_path / "b.xlsx"
    write_xlsx(path, [row])
    upload = upload_file(aspirant, path)
    assert upload.stored == 1
    assert Support.objects.get().comment == comment
