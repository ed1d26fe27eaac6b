"""Cases CONTRACT.md settles, proved end to end through the batch commands and on both routes of
the compulsa (the roll, and INE's answer file), since the contract requires that they agree."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from apoyo.roll.tests.files import elector_key as roll_key
from apoyo.roll.tests.files import roll_row, write_roll
from apoyo.supports.models import Channel, Support
from apoyo.supports.rules import COLUMNS
from apoyo.testing.factories import make_aspirant, make_office, make_sections, support
from apoyo.testing.files import write_csv
from apoyo.verification.tests.routes import assert_routes_agree, both_routes

pytestmark = pytest.mark.django_db


def import_roll(tmp_path, rows):
    path = write_roll(tmp_path / "padron.csv", rows)
    call_command("import_roll", "--cut-date", "2020-08-31", str(path))


def by_key(files):
    return {row["CLAVE_ELECTOR"]: row for row in files["supports"]}


def test_a_citizen_of_an_entity_without_geography_is_out_of_territory_on_both_routes(tmp_path):
    # CONTRACT import_roll: rows of entities whose geography is not loaded are stored like any
    # other; their citizens are out of the territory of every office elsewhere.
    make_sections()
    office = make_office(code="GOB")
    aspirant = make_aspirant(office, code="A-01")
    import_roll(
        tmp_path,
        [
            roll_row(1, section=1),
            roll_row(2, state=5, section=300),  # Coahuila, whose geography is not loaded
            roll_row(3, state=5, section=300, situation="BAJA", cause="DEFUNCION"),
        ],
    )
    for n in (1, 2, 3):
        support(aspirant, roll_key(n), reference=f"F-{n}")

    direct, via_ine = both_routes("GOB", tmp_path)

    rows = by_key(direct)
    assert (rows[roll_key(1)]["VALIDO"], rows[roll_key(1)]["MOTIVO"]) == ("1", "")
    outsider = rows[roll_key(2)]
    assert (outsider["SITUACION_REGISTRAL"], outsider["MOTIVO"]) == ("FUERA_AMBITO", "FUERA_AMBITO")
    assert rows[roll_key(3)]["MOTIVO"] == "BAJA"
    assert direct["aspirants"][0]["FUERA_AMBITO"] == "1"
    assert direct["aspirants"][0]["NO_ENCONTRADO"] == "0"
    assert_routes_agree(direct, via_ine)


# Supports uploaded with upload_supports ------------------------------------------------------------


def upload(tmp_path, aspirant_code, rows, dated=True):
    """upload_supports of `rows` (folio, roll citizen number, FECHA_APOYO when `dated`)."""
    header = [*COLUMNS, "FECHA_APOYO"] if dated else COLUMNS
    lines = []
    for folio, n, *day in rows:
        cells = [folio, "JUAN", "PEREZ", "LOPEZ", roll_key(n), f"{n:013d}", "", ""]
        lines.append(cells + day if dated else cells)
    path = write_csv(
        tmp_path / f"{aspirant_code}-{len(list(tmp_path.iterdir()))}.csv", lines, header
    )
    call_command("upload_supports", "--aspirant", aspirant_code, str(path))


def verdict(files, aspirant, folio, n):
    """(FECHA_APOYO, DUPLICIDAD, VALIDO, MOTIVO) of one support in supports.csv."""
    (row,) = [
        r
        for r in files["supports"]
        if (r["ASPIRANTE"], r["NUMERO_REFERENCIA"], r["CLAVE_ELECTOR"])
        == (aspirant, folio, roll_key(n))
    ]
    return row["FECHA_APOYO"], row["DUPLICIDAD"], row["VALIDO"], row["MOTIVO"]


def test_an_undated_support_sorts_after_every_written_date_then_by_upload_and_row(tmp_path):
    # CONTRACT upload_supports, settled: FECHA_APOYO absent or empty is the upload date, not
    # checked against the period, and for first-wins it sorts after every written date, by upload
    # order then row order. Here the period lies after the upload, so the upload date is earlier
    # than every written date.
    make_sections()
    today = timezone.localdate()
    start = today + datetime.timedelta(days=30)
    office = make_office(
        code="GOB", collection_start=start, collection_end=start + datetime.timedelta(days=30)
    )
    for code in ("A-01", "A-02", "A-03"):
        make_aspirant(office, code=code)
    import_roll(tmp_path, [roll_row(n, section=1) for n in range(1, 6)])
    written = (start + datetime.timedelta(days=5)).isoformat()
    upload(tmp_path, "A-01", [("F-2", 1), ("F-2", 2), ("F-1", 2)], dated=False)
    upload(tmp_path, "A-02", [("G-1", 1, written), ("G-1", 2, ""), ("G-1", 3, "")])
    upload(tmp_path, "A-03", [("H-1", 3, "")])

    direct, via_ine = both_routes("GOB", tmp_path)

    upload_day = today.isoformat()
    # A written date wins over an earlier upload date.
    assert verdict(direct, "A-02", "G-1", 1) == (written, "", "1", "")
    assert verdict(direct, "A-01", "F-2", 1) == (
        upload_day,
        "DUPLICADO_OTRO",
        "0",
        "DUPLICADO_OTRO",
    )
    # Among undated supports: the first upload, and in it the first row.
    assert verdict(direct, "A-01", "F-2", 2) == (upload_day, "", "1", "")
    assert verdict(direct, "A-01", "F-1", 2)[1:] == ("DUPLICADO_MISMO", "0", "DUPLICADO_MISMO")
    assert verdict(direct, "A-02", "G-1", 2)[1:] == ("DUPLICADO_OTRO", "0", "DUPLICADO_OTRO")
    assert verdict(direct, "A-02", "G-1", 3)[2] == "1"
    assert verdict(direct, "A-03", "H-1", 3)[1] == "DUPLICADO_OTRO"
    assert_routes_agree(direct, via_ine)


def test_an_app_capture_beats_an_undated_support_uploaded_before_it(tmp_path):
    # The app and the manual capture carry written dates too (the capture time, the cédula's
    # date): an undated bulk support never beats them, whatever the upload date.
    make_sections()
    office = make_office(code="GOB")
    a, b = make_aspirant(office, code="A-01"), make_aspirant(office, code="A-02")
    import_roll(tmp_path, [roll_row(1, section=1)])
    upload(tmp_path, "A-01", [("F-1", 1, "")])
    # As if uploaded on the first day of the period, before the app's capture.
    Support.objects.filter(aspirant=a).update(support_date=datetime.date(2020, 12, 15))
    app = support(b, roll_key(1), day=datetime.date(2021, 1, 23), channel=Channel.APP)

    direct, via_ine = both_routes("GOB", tmp_path)

    assert app.date_written
    assert verdict(direct, "A-01", "F-1", 1)[1:] == ("DUPLICADO_OTRO", "0", "DUPLICADO_OTRO")
    assert_routes_agree(direct, via_ine)


def test_a_date_cell_holding_a_time_counts_by_its_date_and_ties_go_by_capture_order(tmp_path):
    make_sections()
    office = make_office(code="GOB")
    make_aspirant(office, code="A-01")
    make_aspirant(office, code="A-02")
    import_roll(tmp_path, [roll_row(1, section=1), roll_row(2, section=1)])
    upload(tmp_path, "A-01", [("F-1", 1, "2021-01-10 23:30:00"), ("F-1", 2, "23/01/2021 18:45")])
    upload(tmp_path, "A-02", [("G-1", 1, "10/01/2021 08:00")])

    direct, via_ine = both_routes("GOB", tmp_path)

    assert verdict(direct, "A-01", "F-1", 1) == ("2021-01-10", "", "1", "")
    assert verdict(direct, "A-01", "F-1", 2) == ("2021-01-23", "", "1", "")  # the last day
    assert verdict(direct, "A-02", "G-1", 1)[0:2] == ("2021-01-10", "DUPLICADO_OTRO")
    assert_routes_agree(direct, via_ine)


# Counting ------------------------------------------------------------------------------------------


def import_ln_stats(tmp_path, counts):
    """INE's published Lista Nominal per Sonora section ({section: LN}), replacing the roll's."""
    lines = [["26", str(section), str(total)] for section, total in counts.items()]
    path = write_csv(tmp_path / "ln.csv", lines, ["ENTIDAD", "SECCION", "LISTA_NOMINAL"])
    call_command("import_ln_stats", "--cut-date", "2020-08-31", str(path))


def supports_from(tmp_path, aspirant, sections, first=1):
    """One roll citizen and one support per listed section; returns the next citizen number."""
    rows = [roll_row(n, section=s) for n, s in enumerate(sections, start=first)]
    for n in range(first, first + len(sections)):
        support(aspirant, roll_key(n), reference=f"F-{n}")
    return rows


def test_dispersion_units_count_only_their_sections_inside_the_territory(tmp_path):
    # CONTRACT load_setup: the units are those with a section inside the territory, and a unit's
    # LN and valid supports count only those sections; a unit whose LN is 0 meets the rule.
    make_sections(
        layout=[
            (1, 1, "Aconchi", 18, 4),
            (2, 1, "Aconchi", 7, 4),  # Aconchi straddles local districts 18 and 7
            (3, 2, "Agua Prieta", 18, 2),
            (4, 3, "Álamos", 7, 2),  # no section in district 18: not a unit
            (5, 4, "Altar", 18, 2),  # a unit with Lista Nominal 0
        ]
    )
    office = make_office(
        code="DL-18",
        scope_type="local_district",
        scope_number=18,
        threshold_percent=1,
        dispersion_unit="municipality",
        dispersion_min_units_fraction="1",
        dispersion_min_percent=1,
    )
    aspirant = make_aspirant(office, code="A-01")
    import_roll(tmp_path, supports_from(tmp_path, aspirant, [1, 1, 2, 2, 3]))
    import_ln_stats(tmp_path, {1: 200, 2: 5000, 3: 100, 4: 999, 5: 0})

    direct, via_ine = both_routes("DL-18", tmp_path)

    (row,) = direct["aspirants"]
    assert (row["LISTA_NOMINAL"], row["REQUERIDOS"], row["VALIDOS"]) == ("300", "3", "3")
    assert (row["FUERA_AMBITO"], row["PORCENTAJE"]) == ("2", "1.00")
    assert (row["UNIDADES_CUMPLEN"], row["UNIDADES_REQUERIDAS"], row["CUMPLE"]) == ("3", "3", "1")
    assert_routes_agree(direct, via_ine)


def test_a_dispersion_unit_without_lista_nominal_meets_the_rule_with_no_supports(tmp_path):
    make_sections()  # Aconchi (1, 2), Agua Prieta (3), Hermosillo (900, 901)
    office = make_office(
        code="GOB",
        threshold_percent=1,
        dispersion_unit="municipality",
        dispersion_min_units=3,
        dispersion_min_percent=1,
    )
    aspirant = make_aspirant(office, code="A-01")
    import_roll(tmp_path, supports_from(tmp_path, aspirant, [1, 3]))
    import_ln_stats(tmp_path, {1: 100, 3: 100})  # Hermosillo: no Lista Nominal at all

    direct, via_ine = both_routes("GOB", tmp_path)

    (row,) = direct["aspirants"]
    assert (row["UNIDADES_CUMPLEN"], row["UNIDADES_REQUERIDAS"], row["CUMPLE"]) == ("3", "3", "1")
    assert_routes_agree(direct, via_ine)


def test_porcentaje_is_rounded_half_up_to_two_decimals(tmp_path):
    make_sections()
    office = make_office(code="GOB")
    one, five = make_aspirant(office, code="A-01"), make_aspirant(office, code="A-02")
    rows = supports_from(tmp_path, one, [1]) + supports_from(tmp_path, five, [1] * 5, first=2)
    import_roll(tmp_path, rows)
    import_ln_stats(tmp_path, {1: 800})

    direct, via_ine = both_routes("GOB", tmp_path)

    # 1/800 = 0.125 % and 5/800 = 0.625 %: half up, never to the even neighbour.
    assert [r["PORCENTAJE"] for r in direct["aspirants"]] == ["0.13", "0.63"]
    assert_routes_agree(direct, via_ine)
