import csv
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from apoyo.core.cli import CommandFailed
from apoyo.roll.models import RollEntry
from apoyo.roll.services import nominal_list_by_section
from apoyo.roll.tests.files import roll_row, write_roll, write_stats
from apoyo.testing.factories import make_sections

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def sections():
    return make_sections()


def run(*args):
    call_command(*args)


def test_import_roll_prints_a_summary_and_writes_the_rejected_rows(tmp_path, capsys):
    path = write_roll(tmp_path / "padron.csv", [roll_row(1), roll_row(2, situacion="X")])
    report = tmp_path / "errores.csv"
    run("import_roll", "--cut-date", "2020-08-31", str(path), "--errors", str(report))

    out = capsys.readouterr().out
    assert "Corte del padrón del 31/08/2020 importado." in out
    assert "Filas leídas: 2. Importadas: 1. Rechazadas: 1." in out
    assert "Lista Nominal por sección guardada: 1 secciones." in out
    with open(report, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:4] == ["FILA", "COLUMNA", "MOTIVO", "CLAVE_ELECTOR"]
    assert rows[1][:2] == ["3", "SITUACION"] and "LN, PADRON o BAJA" in rows[1][2]
    assert RollEntry.objects.count() == 1


def test_import_roll_without_errors_option_tells_how_to_get_them(tmp_path, capsys):
    path = write_roll(tmp_path / "padron.csv", [roll_row(1, ocr="1")])
    run("import_roll", "--cut-date", "2020-08-31", str(path))
    assert "--errors" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cut-date", "31/08/2020"], "La fecha de corte «31/08/2020» no es válida"),
        (["--cut-date", "2020-02-30"], "no es válida"),
        (["--cut-date", "2020-08-31", "--errors", "/no/existe/e.csv"], "No existe la carpeta"),
    ],
)
def test_unusable_arguments_fail_with_one_spanish_line(tmp_path, capsys, args, message):
    path = write_roll(tmp_path / "padron.csv", [roll_row(1)])
    with pytest.raises(CommandFailed):
        run("import_roll", *args, str(path))
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_unusable_files_fail_with_one_spanish_line(tmp_path, capsys):
    missing_column = write_roll(tmp_path / "a.csv", [roll_row(1)[1:]], header=["X"] * 11)
    cases = [
        (tmp_path / "nada.csv", "No se encontró el archivo"),
        (missing_column, "Faltan las columnas obligatorias"),
    ]
    empty = tmp_path / "vacio.csv"
    empty.write_bytes(b"")
    cases.append((empty, "El archivo está vacío."))
    broken = tmp_path / "roto.csv.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00roto")
    cases.append((broken, "dañado"))
    for path, message in cases:
        with pytest.raises(CommandFailed):
            run("import_roll", "--cut-date", "2020-08-31", str(path))
        err = capsys.readouterr().err
        assert err.startswith("Error: ") and message in err and err.count("\n") == 1, err


def test_import_ln_stats_command(tmp_path, capsys):
    path = write_stats(tmp_path / "ln.csv", [["26", "1", "100"], ["26", "9999", "5"]])
    report = tmp_path / "e.csv"
    run("import_ln_stats", "--cut-date", "2020-08-31", str(path), "--errors", str(report))
    out = capsys.readouterr().out
    assert "Filas leídas: 2. Importadas: 1. Rechazadas: 1." in out
    assert "9999" in report.read_text(encoding="utf-8-sig")
    assert nominal_list_by_section("2020-08-31", 26) == {1: 100}


def test_import_ln_stats_missing_column_fails(tmp_path, capsys):
    path = write_stats(tmp_path / "ln.csv", [["26", "1"]], header=("ENTIDAD", "SECCION"))
    with pytest.raises(CommandFailed):
        run("import_ln_stats", "--cut-date", "2020-08-31", str(path))
    assert "Falta la columna obligatoria LISTA_NOMINAL" in capsys.readouterr().err


def test_exit_status_from_the_command_line(tmp_path):
    """Through manage.py: 0 with rejected rows, 1 and one line on stderr for an unusable file."""
    database = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {"DATABASE_URL": database, "APOYO_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def manage(*args):
        return subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )

    assert manage("migrate", "-v0").returncode == 0
    geo = ROOT / "apoyo" / "geo" / "data" / "sonora_secciones.csv"
    assert manage("import_geo", str(geo)).returncode == 0
    good = write_roll(tmp_path / "p.csv", [roll_row(1), roll_row(2, entidad="99")])
    done = manage("import_roll", "--cut-date", "2020-08-31", str(good))
    assert done.returncode == 0 and "Rechazadas: 1." in done.stdout
    bad = manage("import_roll", "--cut-date", "2020-08-31", str(tmp_path / "x.csv"))
    assert bad.returncode == 1
    assert bad.stderr.startswith("Error: No se encontró el archivo") and bad.stderr.count("\n") == 1
