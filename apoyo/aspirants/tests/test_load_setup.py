"""`load_setup FILE.json` as CONTRACT.md describes it."""

import copy
import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apoyo.aspirants.models import Aspirant
from apoyo.aspirants.setup import SetupError, load_setup
from apoyo.processes.models import Office, Process
from apoyo.testing.factories import make_aspirant, make_office, make_process, make_sections

pytestmark = pytest.mark.django_db

# Sonora's default test layout plus municipalities 4 and 12, which the CONTRACT example lists.
LAYOUT = [
    (1, 1, "Aconchi", 18, 4),
    (2, 1, "Aconchi", 18, 4),
    (3, 2, "Agua Prieta", 7, 2),
    (10, 4, "Municipio 4", 18, 4),
    (20, 12, "Municipio 12", 7, 2),
    (900, 49, "Hermosillo", 8, 3),
    (901, 49, "Hermosillo", 9, 5),
]

CONTRACT_EXAMPLE = {
    "process": {
        "code": "PEL-2021",
        "name": "Proceso Electoral Local 2020-2021",
        "state": 26,
        "roll_cut_date": "2020-08-31",
    },
    "paper_regime": {"municipalities": [4, 12]},
    "offices": [
        {
            "code": "GOB",
            "name": "Gubernatura",
            "scope": {"type": "state"},
            "collection_start": "2020-12-15",
            "collection_end": "2021-01-23",
            "threshold": {
                "percent": 3,
                "dispersion": {"unit": "municipality", "min_units_fraction": 0.5, "min_percent": 1},
            },
        },
        {
            "code": "AYTO-49",
            "name": "Ayuntamiento de Hermosillo",
            "scope": {"type": "municipality", "number": 49},
            "collection_start": "2020-12-15",
            "collection_end": "2021-01-23",
            "threshold": {"percent": 3},
        },
    ],
    "aspirants": [
        {
            "code": "A-01",
            "office": "GOB",
            "name": "NOMBRE",
            "paternal_surname": "PATERNO",
            "maternal_surname": "MATERNO",
            "email": "aspirante@example.org",
        }
    ],
}


@pytest.fixture(autouse=True)
def geography():
    return make_sections(layout=LAYOUT)


def example():
    return copy.deepcopy(CONTRACT_EXAMPLE)


def write(tmp_path, data, name="setup.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def load(path, capsys):
    call_command("load_setup", str(path))
    return capsys.readouterr().out.strip()


def load_data(tmp_path, data, capsys):
    return load(write(tmp_path, data), capsys)


def fail(path, capsys):
    """Run the command expecting exit 1; returns the stderr text."""
    with pytest.raises(SystemExit) as exit_info:
        call_command("load_setup", str(path))
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def snapshot():
    """Everything load_setup writes, comparable between loads."""
    processes = list(Process.objects.values().order_by("code"))
    for row in processes:
        process = Process.objects.get(pk=row["id"])
        row["municipalities"] = sorted(m.number for m in process.paper_regime_municipalities.all())
        row["sections"] = sorted(s.number for s in process.paper_regime_sections.all())
    offices = list(Office.objects.values().order_by("id"))
    aspirants = list(Aspirant.objects.values().order_by("id"))
    return processes, offices, aspirants


def office(code):
    return Office.objects.get(process__code="PEL-2021", code=code)


# --- Loading ---------------------------------------------------------------------------------


def test_contract_example_creates_process_offices_and_aspirant(tmp_path, capsys):
    out = load_data(tmp_path, example(), capsys)

    assert out == "Proceso PEL-2021 creado: 2 cargos nuevos, 0 actualizados; " + (
        "1 aspirante nuevo, 0 actualizados."
    )
    process = Process.objects.get(code="PEL-2021")
    assert process.name == "Proceso Electoral Local 2020-2021"
    assert process.state_id == 26
    assert process.roll_cut_date == datetime.date(2020, 8, 31)
    assert process.has_paper_regime
    assert sorted(m.number for m in process.paper_regime_municipalities.all()) == [4, 12]
    governor = office("GOB")
    assert (governor.scope_type, governor.scope_number) == ("state", None)
    assert governor.collection_start == datetime.date(2020, 12, 15)
    assert governor.collection_end == datetime.date(2021, 1, 23)
    assert governor.threshold_percent == Decimal("3")
    assert governor.dispersion_unit == "municipality"
    assert governor.dispersion_min_units is None
    assert governor.dispersion_min_units_fraction == Decimal("0.5")
    assert governor.dispersion_min_percent == Decimal("1")
    town = office("AYTO-49")
    assert (town.scope_type, town.scope_number) == ("municipality", 49)
    assert town.dispersion_unit == ""
    assert town.dispersion_min_percent is None
    aspirant = Aspirant.objects.get(code="A-01")
    assert aspirant.office == governor
    assert (aspirant.name, aspirant.paternal_surname, aspirant.maternal_surname) == (
        "NOMBRE",
        "PATERNO",
        "MATERNO",
    )
    assert aspirant.email == "aspirante@example.org"


def test_service_returns_the_counts():
    counts = load_setup(example())

    assert counts == {
        "code": "PEL-2021",
        "process": "creado",
        "offices_created": 2,
        "offices_updated": 0,
        "aspirants_created": 1,
        "aspirants_updated": 0,
    }


def test_loading_the_same_file_twice_changes_nothing_and_reports_updates(tmp_path, capsys):
    path = write(tmp_path, example())
    load(path, capsys)
    before = snapshot()

    out = load(path, capsys)

    assert out == "Proceso PEL-2021 actualizado: 0 cargos nuevos, 2 actualizados; " + (
        "0 aspirantes nuevos, 1 actualizado."
    )
    assert snapshot() == before


def test_file_with_utf8_bom_loads(tmp_path, capsys):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(example()).encode("utf-8"))

    load(path, capsys)

    assert Process.objects.filter(code="PEL-2021").exists()


def test_changed_name_period_and_threshold_update_the_same_rows(tmp_path, capsys):
    load_data(tmp_path, example(), capsys)
    ids = (Process.objects.get().id, office("GOB").id, Aspirant.objects.get().id)
    data = example()
    data["process"]["name"] = "PEL 2020-2021 (modificado)"
    data["process"]["roll_cut_date"] = "2020-09-30"
    governor = data["offices"][0]
    governor["name"] = "Gubernatura del Estado"
    governor["collection_end"] = "2021-02-10"
    governor["threshold"] = {"percent": 2.5}
    data["aspirants"][0]["name"] = "OTRO NOMBRE"
    data["aspirants"][0].pop("email")

    load_data(tmp_path, data, capsys)

    process = Process.objects.get()
    assert (process.id, office("GOB").id, Aspirant.objects.get().id) == ids
    assert process.name == "PEL 2020-2021 (modificado)"
    assert process.roll_cut_date == datetime.date(2020, 9, 30)
    governor = office("GOB")
    assert governor.name == "Gubernatura del Estado"
    assert governor.collection_end == datetime.date(2021, 2, 10)
    assert governor.threshold_percent == Decimal("2.5")
    assert governor.dispersion_unit == ""
    assert governor.dispersion_min_units_fraction is None
    assert governor.dispersion_min_percent is None
    aspirant = Aspirant.objects.get()
    assert aspirant.name == "OTRO NOMBRE"
    assert aspirant.email == ""


def test_offices_and_aspirants_missing_from_the_file_are_kept(tmp_path, capsys):
    load_data(tmp_path, example(), capsys)
    data = example()
    data["offices"] = data["offices"][:1]
    data["aspirants"] = []

    out = load_data(tmp_path, data, capsys)

    assert "0 cargos nuevos, 1 actualizado; 0 aspirantes nuevos, 0 actualizados." in out
    assert Office.objects.count() == 2
    assert Aspirant.objects.count() == 1


def test_aspirant_moves_to_the_office_the_file_gives(tmp_path, capsys):
    load_data(tmp_path, example(), capsys)
    aspirant_id = Aspirant.objects.get().id
    data = example()
    data["aspirants"][0]["office"] = "AYTO-49"

    load_data(tmp_path, data, capsys)

    aspirant = Aspirant.objects.get()
    assert aspirant.id == aspirant_id
    assert aspirant.office == office("AYTO-49")


def test_aspirant_may_name_an_office_stored_for_the_process(tmp_path, capsys):
    process = make_process(code="PEL-2021", name="Proceso")
    stored = make_office(process, code="DIP-08", scope_type="local_district", scope_number=8)
    data = example()
    data["aspirants"][0]["office"] = "DIP-08"

    load_data(tmp_path, data, capsys)

    assert Aspirant.objects.get(code="A-01").office == stored


def test_aspirant_stored_in_another_office_of_the_process_is_updated_not_duplicated(
    tmp_path, capsys
):
    process = make_process(code="PEL-2021", name="Proceso")
    stored = make_aspirant(make_office(process, code="OTRO"), code="A-01")

    out = load_data(tmp_path, example(), capsys)

    assert "0 aspirantes nuevos, 1 actualizado." in out
    stored.refresh_from_db()
    assert stored.office == office("GOB")
    assert Aspirant.objects.count() == 1


def test_paper_regime_absent_turns_it_off_and_clears_the_lists(tmp_path, capsys):
    data = example()
    data["paper_regime"]["sections"] = [900, 901]
    load_data(tmp_path, data, capsys)
    process = Process.objects.get()
    assert process.has_paper_regime
    assert sorted(s.number for s in process.paper_regime_sections.all()) == [900, 901]
    data.pop("paper_regime")

    load_data(tmp_path, data, capsys)

    process.refresh_from_db()
    assert not process.has_paper_regime
    assert not process.paper_regime_municipalities.exists()
    assert not process.paper_regime_sections.exists()


def test_paper_regime_present_turns_it_on_with_its_municipalities(tmp_path, capsys):
    data = example()
    data.pop("paper_regime")
    load_data(tmp_path, data, capsys)
    assert not Process.objects.get().has_paper_regime
    data["paper_regime"] = {"municipalities": [1]}

    load_data(tmp_path, data, capsys)

    process = Process.objects.get()
    assert process.has_paper_regime
    assert [m.number for m in process.paper_regime_municipalities.all()] == [1]
    assert not process.paper_regime_sections.exists()


@pytest.mark.parametrize(
    ("dispersion", "min_units", "fraction"),
    [
        ({"unit": "section", "min_units": 2, "min_percent": 0.5}, 2, None),
        (
            {"unit": "federal_district", "min_units_fraction": 0.3333, "min_percent": 1},
            None,
            "0.3333",
        ),
    ],
    ids=["min_units", "fraction"],
)
def test_dispersion_takes_min_units_or_a_fraction(
    tmp_path, capsys, dispersion, min_units, fraction
):
    data = example()
    data["offices"][0]["threshold"]["dispersion"] = dispersion

    load_data(tmp_path, data, capsys)

    governor = office("GOB")
    assert governor.dispersion_unit == dispersion["unit"]
    assert governor.dispersion_min_units == min_units
    expected_fraction = Decimal(fraction) if fraction else None
    assert governor.dispersion_min_units_fraction == expected_fraction
    assert governor.dispersion_min_percent == Decimal(str(dispersion["min_percent"]))


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({"type": "state"}, ("state", None)),
        ({"type": "municipality", "number": 2}, ("municipality", 2)),
        ({"type": "local_district", "number": 18}, ("local_district", 18)),
        ({"type": "federal_district", "number": 5}, ("federal_district", 5)),
    ],
    ids=lambda value: value["type"] if isinstance(value, dict) else "",
)
def test_each_scope_type_is_stored(tmp_path, capsys, scope, expected):
    data = example()
    data["offices"][1]["scope"] = scope

    load_data(tmp_path, data, capsys)

    town = office("AYTO-49")
    assert (town.scope_type, town.scope_number) == expected


def test_state_change_is_allowed_while_no_office_has_aspirants(tmp_path, capsys):
    make_sections(state_number=2, layout=[(1, 1, "Ensenada", 1, 1)])
    data = example()
    data.pop("paper_regime")
    data["aspirants"] = []
    load_data(tmp_path, data, capsys)
    data["process"]["state"] = 2
    data["offices"] = []

    load_data(tmp_path, data, capsys)

    assert Process.objects.get().state_id == 2


# --- Bad input: exit 1, one Spanish line on stderr, nothing written --------------------------


def _set(path, value):
    """A change to the example: set the value at a dotted path (list indexes as numbers)."""

    def change(data):
        *parents, last = path.split(".")
        target = data
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(last) if last.isdigit() else last] = value

    return change


def _drop(path):
    def change(data):
        *parents, last = path.split(".")
        target = data
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        del target[last]

    return change


def _add_aspirant(**fields):
    def change(data):
        data["aspirants"].append({"code": "A-02", "office": "GOB", "name": "OTRO", **fields})

    return change


BAD_INPUTS = {
    "missing_process": (_drop("process"), "process: falta este dato obligatorio."),
    "missing_process_code": (_drop("process.code"), "process.code: falta este dato obligatorio."),
    "process_not_an_object": (_set("process", []), "process: debe ser un objeto JSON"),
    "unknown_state": (_set("process.state", 40), "process.state: la entidad 40 no existe"),
    "state_as_text": (_set("process.state", "26"), "process.state: debe ser un número entero"),
    "bad_roll_cut_date": (
        _set("process.roll_cut_date", "31/08/2020"),
        "process.roll_cut_date: debe ser una fecha AAAA-MM-DD",
    ),
    "unknown_paper_regime_municipality": (
        _set("paper_regime.municipalities", [4, 999]),
        "paper_regime.municipalities[1]: el municipio 999 no existe en Sonora.",
    ),
    "unknown_paper_regime_section": (
        _set("paper_regime.sections", [5000]),
        "paper_regime.sections[0]: la sección 5000 no existe en Sonora.",
    ),
    "empty_paper_regime": (
        _set("paper_regime", {"municipalities": []}),
        "paper_regime: indique al menos un municipio",
    ),
    "offices_not_a_list": (_set("offices", {}), "offices: debe ser una lista"),
    "unknown_office_municipality": (
        _set("offices.1.scope.number", 999),
        "offices[1].scope.number: el municipio 999 no existe en Sonora.",
    ),
    "unknown_office_local_district": (
        _set("offices.1.scope", {"type": "local_district", "number": 99}),
        "offices[1].scope.number: el distrito local 99 no existe en Sonora.",
    ),
    "unknown_office_federal_district": (
        _set("offices.1.scope", {"type": "federal_district", "number": 9}),
        "offices[1].scope.number: el distrito federal 9 no existe en Sonora.",
    ),
    "scope_number_missing": (
        _drop("offices.1.scope.number"),
        "offices[1].scope.number: falta este dato obligatorio.",
    ),
    "unknown_scope_type": (
        _set("offices.1.scope.type", "region"),
        'offices[1].scope.type: "region" no es válido; use state, municipality, local_district '
        "o federal_district.",
    ),
    "end_before_start": (
        _set("offices.0.collection_end", "2020-12-01"),
        "offices[0].collection_end: el fin del periodo (2020-12-01) es anterior a su inicio "
        "(2020-12-15).",
    ),
    "date_that_does_not_exist": (
        _set("offices.0.collection_start", "2021-02-30"),
        "offices[0].collection_start: la fecha 2021-02-30 no existe.",
    ),
    "percent_zero": (
        _set("offices.0.threshold.percent", 0),
        "offices[0].threshold.percent: debe ser un porcentaje mayor que 0 y a lo más 100",
    ),
    "percent_over_100": (
        _set("offices.0.threshold.percent", 100.5),
        "offices[0].threshold.percent: debe ser un porcentaje mayor que 0 y a lo más 100",
    ),
    "percent_as_text": (
        _set("offices.0.threshold.percent", "3"),
        'offices[0].threshold.percent: debe ser un número sin comillas; se recibió "3".',
    ),
    "percent_too_many_decimals": (
        _set("offices.0.threshold.percent", 2.555),
        "offices[0].threshold.percent: admite como máximo 2 decimales",
    ),
    "missing_threshold": (
        _drop("offices.1.threshold"),
        "offices[1].threshold: falta este dato obligatorio.",
    ),
    "duplicate_office_code": (
        _set("offices.1.code", "GOB"),
        "offices[1].code: la clave GOB está repetida en el archivo.",
    ),
    "both_min_units_and_fraction": (
        _set("offices.0.threshold.dispersion.min_units", 3),
        "offices[0].threshold.dispersion: indique min_units o min_units_fraction, no ambos.",
    ),
    "neither_min_units_nor_fraction": (
        _drop("offices.0.threshold.dispersion.min_units_fraction"),
        "offices[0].threshold.dispersion: falta min_units o min_units_fraction.",
    ),
    "fraction_over_1": (
        _set("offices.0.threshold.dispersion.min_units_fraction", 1.5),
        "offices[0].threshold.dispersion.min_units_fraction: debe ser mayor que 0 y a lo más 1",
    ),
    "min_units_zero": (
        _set(
            "offices.0.threshold.dispersion", {"unit": "section", "min_units": 0, "min_percent": 1}
        ),
        "offices[0].threshold.dispersion.min_units: debe ser un número entero de 1 en adelante",
    ),
    "min_percent_negative": (
        _set("offices.0.threshold.dispersion.min_percent", -1),
        "offices[0].threshold.dispersion.min_percent: debe ser un porcentaje entre 0 y 100",
    ),
    "unknown_dispersion_unit": (
        _set("offices.0.threshold.dispersion.unit", "colonia"),
        'offices[0].threshold.dispersion.unit: "colonia" no es válido',
    ),
    "aspirant_with_unknown_office": (
        _set("aspirants.0.office", "DIP-99"),
        "aspirants[0].office: el cargo DIP-99 no está en offices ni registrado en el proceso "
        "PEL-2021.",
    ),
    "duplicate_aspirant_code": (
        _add_aspirant(code="A-01"),
        "aspirants[1].code: la clave A-01 está repetida en el archivo.",
    ),
    "aspirant_without_name": (
        _set("aspirants.0.name", "  "),
        "aspirants[0].name: no puede estar vacío.",
    ),
    "invalid_email": (
        _set("aspirants.0.email", "no-es-correo"),
        "aspirants[0].email: el correo no-es-correo no es válido.",
    ),
    "aspirant_code_as_number": (
        _set("aspirants.0.code", 1),
        "aspirants[0].code: debe ser un texto entre comillas.",
    ),
    "code_too_long": (
        _set("aspirants.0.code", "A" * 31),
        "aspirants[0].code: admite como máximo 30 caracteres.",
    ),
    "text_with_a_nul_character": (
        _set("aspirants.0.name", "NOM\u0000BRE"),
        "aspirants[0].name: tiene un carácter no admitido (U+0000).",
    ),
    "null_in_a_list_is_not_absent": (
        _set("offices.1", None),
        "offices[1]: debe ser un objeto JSON ({...}).",
    ),
}


@pytest.mark.parametrize(("change", "message"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_exits_1_with_one_spanish_line_and_writes_nothing(
    tmp_path, capsys, change, message
):
    data = example()
    change(data)

    err = fail(write(tmp_path, data), capsys)

    assert err.startswith("Error: ")
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert not Process.objects.exists()
    assert not Office.objects.exists()
    assert not Aspirant.objects.exists()


def test_bad_json_reports_line_and_column(tmp_path, capsys):
    path = tmp_path / "roto.json"
    path.write_text('{\n  "process": {"code": "PEL-2021",}\n}\n', encoding="utf-8")

    err = fail(path, capsys)

    assert err == (
        f"Error: El archivo {path} no es un JSON válido: se esperaba un nombre de campo entre "
        "comillas dobles (línea 2, columna 34).\n"
    )
    assert not Process.objects.exists()


def test_empty_file_is_reported(tmp_path, capsys):
    path = tmp_path / "vacio.json"
    path.write_text("", encoding="utf-8")

    assert fail(path, capsys) == f"Error: El archivo {path} está vacío.\n"


def test_missing_file_is_reported(tmp_path, capsys):
    path = tmp_path / "no-existe.json"

    assert fail(path, capsys) == f"Error: No se encontró el archivo {path}.\n"


def test_document_that_is_not_an_object_is_reported(tmp_path, capsys):
    err = fail(write(tmp_path, [example()]), capsys)

    assert err.startswith("Error: El documento debe ser un objeto JSON")


def test_nan_is_not_a_number_the_file_may_use(tmp_path, capsys):
    path = tmp_path / "nan.json"
    path.write_text(json.dumps(example()).replace('"percent": 3', '"percent": NaN'), "utf-8")

    assert "NaN no es un número admitido" in fail(path, capsys)


def test_failed_load_leaves_the_stored_process_untouched(tmp_path, capsys):
    load_data(tmp_path, example(), capsys)
    before = snapshot()
    data = example()
    data["process"]["name"] = "Otro nombre"
    data["offices"][0]["threshold"]["percent"] = 5
    data["aspirants"][0]["office"] = "NO-EXISTE"

    fail(write(tmp_path, data), capsys)

    assert snapshot() == before


def test_state_change_is_refused_when_offices_have_aspirants(tmp_path, capsys):
    load_data(tmp_path, example(), capsys)
    before = snapshot()
    data = example()
    data["process"]["state"] = 2
    data.pop("paper_regime")
    data["offices"] = []
    data["aspirants"] = []

    err = fail(write(tmp_path, data), capsys)

    assert err == (
        "Error: process.state: el proceso PEL-2021 ya tiene aspirantes registrados en Sonora; "
        "no se puede cambiar su entidad a Baja California.\n"
    )
    assert snapshot() == before


def test_service_raises_setup_error_for_a_bad_document():
    data = example()
    data["offices"][1]["scope"]["number"] = 999

    with pytest.raises(SetupError) as error:
        load_setup(data)

    assert str(error.value) == "offices[1].scope.number: el municipio 999 no existe en Sonora."


def test_lone_surrogate_is_reported_not_written():
    # json.loads turns the escape "\ud800" into a character no database encoding takes.
    data = example()
    data["process"]["name"] = "PEL \ud800"

    with pytest.raises(SetupError) as error:
        load_setup(data)

    assert str(error.value) == "process.name: tiene un carácter no admitido (U+D800)."


def test_null_stands_for_an_absent_optional_value(tmp_path, capsys):
    data = example()
    data["paper_regime"] = None
    data["process"]["roll_cut_date"] = None
    data["aspirants"][0]["email"] = None
    data["offices"][0]["threshold"]["dispersion"] = None

    load_data(tmp_path, data, capsys)

    assert not Process.objects.get().has_paper_regime
    assert Process.objects.get().roll_cut_date is None
    assert Aspirant.objects.get().email == ""
    assert office("GOB").dispersion_unit == ""


# --- Any value anywhere: loaded, or one Spanish line and nothing written -----------------------


def _leaves(data, path=()):
    """Every place in the document, as the keys and indexes that reach it."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        yield (*path, key)
        if isinstance(value, dict | list):
            yield from _leaves(value, (*path, key))


def _container(data, path):
    """What holds the place `path` names, or None when an earlier change took that place away."""
    target = data
    for key in path[:-1]:
        try:
            target = target[key]
        except (KeyError, IndexError, TypeError):
            return None
    return target if isinstance(target, dict | list) else None


def _holds(container, key):
    if isinstance(container, dict):
        return isinstance(key, str)
    return isinstance(container, list) and isinstance(key, int) and key < len(container)


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["2021-02-30", "state", " MUNICIPALITY ", "GOB", "section", "a@b.mx"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(list(_leaves(CONTRACT_EXAMPLE))), st.none() | _JSON_VALUES),
        min_size=1,
        max_size=3,
    )
)
def test_any_value_anywhere_loads_or_fails_with_one_line(changes):
    data = example()
    for path, value in changes:
        container, key = _container(data, path), path[-1]
        if _holds(container, key):
            container[key] = value
    before = snapshot()

    try:
        load_setup(data)
    except SetupError as error:
        assert "\n" not in str(error)
        assert snapshot() == before
