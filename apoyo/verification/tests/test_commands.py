import datetime

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apoyo.roll.models import RollCut, RollEntry
from apoyo.testing.factories import (
    SECTIONS_LN,
    citizen,
    elector_key,
    make_aspirant,
    make_cut,
    make_office,
    make_sections,
    nominal_list,
    office_ready_for_compulsa,
    support,
)
from apoyo.verification.models import AspirantResult, Motive, SupportResult
from apoyo.verification.results import ASPIRANT_HEADER, SUPPORT_HEADER
from apoyo.verification.services import run_check
from apoyo.verification.tests.routes import ine_answer_file, read

pytestmark = pytest.mark.django_db

LN = SECTIONS_LN


@pytest.fixture
def office():
    return office_ready_for_compulsa(
        code="GOB", dispersion_unit="municipality", dispersion_min_units=1, dispersion_min_percent=1
    )


def small_world(office):
    a, b = make_aspirant(office, code="A-01"), make_aspirant(office, code="A-02")
    keys = [elector_key() for _ in range(6)]
    citizen(keys[0], section=1)
    citizen(keys[1], section=3, situation="BAJA", cause="PERDIDA_VIGENCIA")
    citizen(keys[2], section=900, ocr="0000000000000")
    citizen(keys[3], section=5, state=14)
    support(a, keys[0], day=datetime.date(2020, 12, 16))
    support(b, keys[0], day=datetime.date(2020, 12, 17), reference="=F-9")
    support(a, keys[1])
    support(a, keys[2], reference="F-2")
    support(b, keys[3])
    support(b, keys[4], inconsistency="FOTOCOPIA")
    support(b, keys[5], reference="F-3")
    return a, b


def test_export_results_writes_exactly_the_two_contract_files(office, tmp_path, capsys):
    small_world(office)
    call_command("run_check", "--office", "gob")
    call_command("export_results", "--office", "GOB", "--out", str(tmp_path))
    with open(tmp_path / "supports.csv", encoding="utf-8") as handle:
        assert handle.readline().strip() == ",".join(SUPPORT_HEADER)
    supports = read(tmp_path / "supports.csv")
    assert len(supports) == 7
    by_key = {(r["ASPIRANTE"], r["NUMERO_REFERENCIA"], r["CLAVE_ELECTOR"]): r for r in supports}
    first = next(
        r
        for r in supports
        if r["ASPIRANTE"] == "A-01" and r["VALIDO"] == "1" and r["OCR_COINCIDE"] == "1"
    )
    assert (first["SITUACION_REGISTRAL"], first["MOTIVO"], first["CANAL"]) == ("LN", "", "manual")
    assert first["FECHA_APOYO"] == "2020-12-16"
    # A folio that reads as a formula is written neutralised (OWASP CSV injection).
    dup = next(r for r in supports if r["NUMERO_REFERENCIA"] == "'=F-9")
    assert (dup["DUPLICIDAD"], dup["MOTIVO"], dup["VALIDO"]) == (
        "DUPLICADO_OTRO",
        "DUPLICADO_OTRO",
        "0",
    )
    baja = next(r for r in supports if r["SITUACION_REGISTRAL"] == "BAJA")
    assert (baja["CAUSA_BAJA"], baja["MOTIVO"]) == ("PERDIDA_VIGENCIA", "BAJA")
    mismatch = next(r for r in supports if r["OCR_COINCIDE"] == "0")
    assert mismatch["VALIDO"] == "1"
    missing = [r for r in supports if r["SITUACION_REGISTRAL"] == "NO_ENCONTRADO"]
    assert {r["OCR_COINCIDE"] for r in missing} == {""}
    assert {r["TIPO_INCONSISTENCIA"] for r in missing} == {"FOTOCOPIA", ""}
    assert len(by_key) == 7
    with open(tmp_path / "aspirants.csv", encoding="utf-8") as handle:
        assert handle.readline().strip() == ",".join(ASPIRANT_HEADER)
    aspirants = {r["ASPIRANTE"]: r for r in read(tmp_path / "aspirants.csv")}
    a = aspirants["A-01"]
    assert (a["CARGO"], a["LISTA_NOMINAL"], a["REQUERIDOS"]) == ("GOB", "6600", "198")
    assert (a["CAPTURADOS"], a["VALIDOS"], a["PORCENTAJE"]) == ("3", "2", "0.03")
    assert (a["UNIDADES_CUMPLEN"], a["UNIDADES_REQUERIDAS"], a["CUMPLE"]) == ("0", "1", "0")
    b = aspirants["A-02"]
    assert (b["CAPTURADOS"], b["VALIDOS"], b["DUPLICADO_OTRO"], b["FUERA_AMBITO"]) == (
        "4",
        "0",
        "1",
        "1",
    )
    assert (b["INCONSISTENCIA"], b["NO_ENCONTRADO"]) == ("1", "1")


def test_offices_without_dispersion_leave_unit_columns_empty(tmp_path):
    make_sections()
    nominal_list(LN)
    make_cut()
    office = make_office(code="AYTO", scope_type="municipality", scope_number=49)
    make_aspirant(office)
    call_command("export_results", "--office", "AYTO", "--out", str(tmp_path))
    row = read(tmp_path / "aspirants.csv")[0]
    assert (row["UNIDADES_CUMPLEN"], row["UNIDADES_REQUERIDAS"], row["LISTA_NOMINAL"]) == (
        "",
        "",
        "3100",
    )


def test_commands_refuse_unknown_office_and_missing_roll(tmp_path, capsys):
    make_sections()
    with pytest.raises(SystemExit) as unknown:
        call_command("run_check", "--office", "NADA")
    assert unknown.value.code == 1
    office = make_office(code="SIN")
    support(make_aspirant(office), elector_key())
    with pytest.raises(SystemExit):
        call_command("run_check", "--office", "SIN")
    err = capsys.readouterr().err.strip().splitlines()
    assert "No existe el cargo NADA" in err[0]
    assert "No hay corte del padrón" in err[1]


def test_ine_route_gives_the_same_results_as_the_direct_compulsa(office, tmp_path):
    small_world(office)
    direct = tmp_path / "directa"
    call_command("run_check", "--office", "GOB")
    call_command("export_results", "--office", "GOB", "--out", str(direct))
    call_command("export_for_ine", "--office", "GOB", str(tmp_path / "para_ine.csv"))
    exported = read(tmp_path / "para_ine.csv")
    assert list(exported[0]) == [
        "ID",
        "NUMERO_REFERENCIA",
        "NOMBRE",
        "APELLIDO_PATERNO",
        "APELLIDO_MATERNO",
        "CLAVE_ELECTOR",
        "OCR",
    ]
    assert len(exported) == 7
    ine_answer_file(tmp_path / "para_ine.csv", tmp_path / "respuesta.csv")
    RollEntry.objects.all().delete()
    RollCut.objects.all().delete()  # an OPL without the roll: only INE's answers
    call_command("import_ine_results", str(tmp_path / "respuesta.csv"))
    via_ine = tmp_path / "ine"
    call_command("export_results", "--office", "GOB", "--out", str(via_ine))

    def verdicts(folder):
        return sorted(
            (r["ASPIRANTE"], r["NUMERO_REFERENCIA"], r["CLAVE_ELECTOR"], r["VALIDO"], r["MOTIVO"])
            for r in read(folder / "supports.csv")
        )

    assert verdicts(direct) == verdicts(via_ine)
    assert read(direct / "aspirants.csv") == read(via_ine / "aspirants.csv")


def test_import_ine_results_reports_bad_rows(office, tmp_path, capsys):
    a, _ = small_world(office)
    s = a.supports.first()
    path = tmp_path / "respuesta.csv"
    path.write_text(
        "ID,SITUACION_REGISTRAL,CAUSA_BAJA,ENTIDAD,SECCION\n"
        f"{s.pk},LN,,26,1\n"
        "abc,LN,,26,1\n"
        f"{s.pk + 1},BAJA,NO_SE,26,1\n"
        "999999,LN,,26,1\n",
        encoding="utf-8",
    )
    call_command("import_ine_results", str(path))
    out = capsys.readouterr().out
    assert "Fila 3, columna ID" in out and "Fila 4, columna CAUSA_BAJA" in out
    assert "No existe el apoyo 999999" in out
    assert "1 resultados del INE importados, 3 rechazados" in out


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2),  # aspirant
            st.integers(0, 7),  # citizen
            st.integers(15, 25),  # day of December
            st.sampled_from(["", "", "", "SIN_FIRMA"]),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_captured_equals_valid_plus_motives_and_runs_agree(rows):
    make_sections()
    if not RollCut.objects.exists():
        nominal_list(LN)
    make_cut()
    office = make_office()
    aspirants = [make_aspirant(office) for _ in range(3)]
    keys = [elector_key() for _ in range(8)]
    for n, k in enumerate(keys[:6]):
        citizen(
            k,
            section=[1, 3, 900][n % 3],
            situation=["LN", "LN", "LN", "PADRON", "BAJA", "LN"][n],
            cause="DEFUNCION" if n == 4 else "",
            state=14 if n == 5 else 26,
        )
    for n, (aspirant, person, day, code) in enumerate(rows):
        support(
            aspirants[aspirant],
            keys[person],
            day=datetime.date(2020, 12, day),
            inconsistency=code or None,
            reference=f"F-{n}",
        )
    first, second = run_check(office), run_check(office)
    for result in AspirantResult.objects.filter(run=first):
        assert result.captured == result.valid + sum(result.motive_counts.values())
        assert set(result.motive_counts) == set(Motive.values)

    def snapshot(run):
        return sorted(
            SupportResult.objects.filter(run=run).values_list(
                "support_id", "valid", "motive", "duplicity"
            )
        )

    assert snapshot(first) == snapshot(second)
    valid_citizens = SupportResult.objects.filter(run=first, valid=True).values_list(
        "support__elector_key", flat=True
    )
    assert len(valid_citizens) == len(set(valid_citizens))  # one valid support per citizen
