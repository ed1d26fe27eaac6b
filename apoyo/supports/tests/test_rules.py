"""Unit tests of the shared validation rules of a paper cédula row (apoyo.supports.rules).

Pure Python: no database. The rules are those of CONTRACT.md (upload_supports) and DOMAIN.md
(Fields of a paper cédula row, Identity formats).
"""

import string
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apoyo.supports import rules
from apoyo.supports.rules import (
    COLUMN_LABELS,
    COLUMNS,
    OPTIONAL_COLUMNS,
    RowError,
    SupportRow,
    elector_key_birth_date,
    elector_key_warnings,
    is_valid_elector_key,
    is_valid_ocr,
    normalize_key,
    normalize_text,
    validate_support_row,
)

# The project's autouse fixture (conftest.py) is function scoped and irrelevant to these tests.
rules_settings = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)

CODES = frozenset({"FOTOCOPIA", "SOLO_ANVERSO_O_REVERSO", "SIN_FIRMA", "OTRA"})
PERIOD = (date(2020, 12, 15), date(2021, 1, 23))
UPLOAD_DAY = date(2021, 1, 10)
ACCENTED_VOWELS = set("ÁÉÍÓÚÜáéíóúüÀÈÌÒÙàèìòùÂÊÎÔÛâêîôû")


def valid_raw(**changes):
    """A valid raw row as it comes from a CSV file, with some columns replaced."""
    raw = {
        "NUMERO_REFERENCIA": "F-0001",
        "NOMBRE": "Margarita",
        "APELLIDO_PATERNO": "Gómez",
        "APELLIDO_MATERNO": "Velázquez",
        "CLAVE_ELECTOR": "GMVLMR80070501M100",
        "OCR": "1234567890123",
        "TIPO_INCONSISTENCIA": "",
        "COMENTARIO": "",
        "FECHA_APOYO": "2021-01-05",
    }
    raw.update(changes)
    return raw


def validate(raw):
    return validate_support_row(
        raw, inconsistency_codes=CODES, period=PERIOD, default_date=UPLOAD_DAY
    )


def single_error(raw):
    """The only error of a row that must be rejected for exactly one column."""
    row, errors = validate(raw)
    assert row is None
    assert len(errors) == 1, errors
    return errors[0]


def accepted(raw):
    row, errors = validate(raw)
    assert errors == []
    assert isinstance(row, SupportRow)
    return row


# Column catalogue ---------------------------------------------------------------------------------


def test_every_column_has_a_spanish_label():
    assert set(COLUMN_LABELS) == set(COLUMNS) | set(OPTIONAL_COLUMNS)
    assert COLUMN_LABELS["NUMERO_REFERENCIA"] == "Número de referencia"
    assert COLUMN_LABELS["FECHA_APOYO"] == "Fecha del apoyo"


# normalize_text / normalize_key -------------------------------------------------------------------


def test_normalize_text_trims_collapses_uppercases_and_drops_accents_but_keeps_enie():
    assert normalize_text("  maría   josé\tnúñez  ") == "MARIA JOSE NUÑEZ"
    assert normalize_text("Güemes Ñuñoa") == "GUEMES ÑUÑOA"
    assert normalize_text(None) == ""


def test_normalize_text_keeps_enie_written_with_a_combining_tilde():
    assert normalize_text("Pen\u0303a") == "PEÑA"
    assert normalize_text("A\u0301ngel") == "ANGEL"


def test_normalize_key_drops_spaces_and_hyphens():
    assert normalize_key(" gmvl-mr 8007 0501 m100 ") == "GMVLMR80070501M100"
    assert normalize_key("1234-5678 90123") == "1234567890123"


SPANISH_ALPHABET = string.ascii_letters + "áéíóúüñÁÉÍÓÚÜÑ  \t-.'0123456789"


@rules_settings
@given(st.text())
def test_normalize_text_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@rules_settings
@given(st.text(alphabet=SPANISH_ALPHABET))
def test_normalize_text_has_no_lower_case_nor_accented_vowels_but_keeps_every_enie(text):
    result = normalize_text(text)
    assert not any(char.islower() for char in result)
    assert not ACCENTED_VOWELS & set(result)
    assert result.count("Ñ") == text.count("ñ") + text.count("Ñ")
    assert result == result.strip()
    assert "  " not in result


@rules_settings
@given(st.text())
def test_normalize_text_of_any_text_is_upper_case_and_trimmed(text):
    result = normalize_text(text)
    assert result == result.upper()
    assert result == " ".join(result.split())


@rules_settings
@given(st.text(alphabet=SPANISH_ALPHABET))
def test_normalize_key_has_no_spaces_nor_hyphens(text):
    result = normalize_key(text)
    assert " " not in result
    assert "-" not in result


# Clave de elector and OCR shapes ------------------------------------------------------------------

LETTERS = st.text(alphabet=string.ascii_uppercase, min_size=6, max_size=6)
DIGITS8 = st.text(alphabet=string.digits, min_size=8, max_size=8)
DIGITS3 = st.text(alphabet=string.digits, min_size=3, max_size=3)
VALID_KEYS = st.tuples(LETTERS, DIGITS8, st.sampled_from("HM"), DIGITS3).map("".join)


@st.composite
def sprinkled(draw, base):
    """The text drawn from base with random lower case, spaces and hyphens, as people type it."""
    chars = [draw(st.sampled_from(["", " ", "  "]))]
    for char in draw(base):
        chars.append(char.lower() if draw(st.booleans()) else char)
        chars.append(draw(st.sampled_from(["", "", "", " ", "-", " - "])))
    return "".join(chars)


@st.composite
def malformed_keys(draw):
    """A valid clave broken in one way: a character too many or too few, or a wrong character
    class at some position."""
    key = list(draw(VALID_KEYS))
    position = draw(st.integers(min_value=0, max_value=17))
    mutation = draw(st.sampled_from(["drop", "add", "wrong_class", "symbol"]))
    if mutation == "drop":
        del key[position]
    elif mutation == "add":
        key.insert(position, draw(st.sampled_from("A7")))
    elif mutation == "symbol":
        key[position] = draw(st.sampled_from("Ñ*./_#"))
    elif position < 6:
        key[position] = draw(st.sampled_from(string.digits))
    elif position == 14:
        key[position] = draw(st.sampled_from("ABXZ0"))
    else:
        key[position] = draw(st.sampled_from(string.ascii_uppercase))
    return "".join(key)


@rules_settings
@given(sprinkled(VALID_KEYS))
def test_any_key_of_the_right_shape_validates_whatever_spaces_hyphens_or_case(typed):
    assert is_valid_elector_key(normalize_key(typed))


@rules_settings
@given(malformed_keys())
def test_any_key_not_of_the_right_shape_fails(key):
    assert not is_valid_elector_key(normalize_key(key))


DIGITS13 = st.text(alphabet=string.digits, min_size=13, max_size=13)


@rules_settings
@given(sprinkled(DIGITS13))
def test_ocr_of_13_digits_validates_whatever_spaces_or_hyphens(typed):
    assert is_valid_ocr(normalize_key(typed))


@rules_settings
@given(
    st.one_of(
        st.text(string.digits, min_size=12, max_size=12),
        st.text(string.digits, min_size=14, max_size=14),
    )
)
def test_ocr_of_12_or_14_digits_fails(digits):
    assert not is_valid_ocr(digits)


def test_ocr_refuses_non_ascii_digits():
    assert not is_valid_ocr("١٢٣٤٥٦٧٨٩٠١٢٣")


# A valid row --------------------------------------------------------------------------------------


def test_valid_row_is_normalised():
    row = accepted(
        valid_raw(
            NUMERO_REFERENCIA="  f-0001/a ",
            NOMBRE=" maría  josé ",
            APELLIDO_PATERNO="núñez",
            APELLIDO_MATERNO="",
            CLAVE_ELECTOR="nxxxmr 80070501 m100",
            OCR="1234-567890-123",
            COMENTARIO="  Firma   poco legible ",
        )
    )
    assert row == SupportRow(
        reference="F-0001/A",
        name="MARIA JOSE",
        paternal_surname="NUÑEZ",
        maternal_surname="",
        elector_key="NXXXMR80070501M100",
        ocr="1234567890123",
        inconsistency_code="",
        comment="Firma poco legible",
        support_date=date(2021, 1, 5),
    )


def test_missing_keys_are_empty_cells_and_optional_columns_may_be_absent():
    raw = valid_raw()
    for column in ("TIPO_INCONSISTENCIA", "COMENTARIO", "FECHA_APOYO", "APELLIDO_MATERNO"):
        del raw[column]
    row = accepted(raw)
    assert row.inconsistency_code == ""
    assert row.comment == ""
    assert row.maternal_surname == ""


def test_native_excel_values_are_read():
    row = accepted(
        valid_raw(NUMERO_REFERENCIA=123.0, OCR=1234567890123, FECHA_APOYO=datetime(2021, 1, 2, 9))
    )
    assert row.reference == "123"
    assert row.ocr == "1234567890123"
    assert row.support_date == date(2021, 1, 2)


def test_integer_reference_becomes_its_digits():
    assert accepted(valid_raw(NUMERO_REFERENCIA=456)).reference == "456"


def test_accents_and_enie_in_names_are_normalised():
    row = accepted(
        valid_raw(NOMBRE="Iñaki Ángel", APELLIDO_PATERNO="Peña", APELLIDO_MATERNO="Güémez")
    )
    assert (row.name, row.paternal_surname, row.maternal_surname) == (
        "IÑAKI ANGEL",
        "PEÑA",
        "GUEMEZ",
    )


def test_formula_like_name_is_stored_as_text():
    row = accepted(valid_raw(NOMBRE="=hyperlink(1)", APELLIDO_PATERNO="@gómez"))
    assert row.name == "=HYPERLINK(1)"
    assert row.paternal_surname == "@GOMEZ"


def test_formula_like_key_fails_the_key_format():
    error = single_error(valid_raw(CLAVE_ELECTOR="=GMVLMR80070501M100"))
    assert error.column == "CLAVE_ELECTOR"


def test_only_the_maternal_surname_is_enough():
    row = accepted(valid_raw(APELLIDO_PATERNO="  ", APELLIDO_MATERNO="Velázquez"))
    assert row.paternal_surname == ""
    assert row.maternal_surname == "VELAZQUEZ"


def test_comment_keeps_its_case():
    assert accepted(valid_raw(COMENTARIO="Credencial  Vencida")).comment == "Credencial Vencida"


# Rejections, one column at a time -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"NUMERO_REFERENCIA": "  "}, "NUMERO_REFERENCIA", "obligatorio"),
        ({"NUMERO_REFERENCIA": None}, "NUMERO_REFERENCIA", "obligatorio"),
        ({"NUMERO_REFERENCIA": "X" * 41}, "NUMERO_REFERENCIA", "40 caracteres"),
        ({"NUMERO_REFERENCIA": 12.5}, "NUMERO_REFERENCIA", "decimales"),
        ({"NUMERO_REFERENCIA": date(2021, 1, 1)}, "NUMERO_REFERENCIA", "una fecha"),
        ({"NOMBRE": ""}, "NOMBRE", "obligatorio"),
        ({"NOMBRE": "A" * 121}, "NOMBRE", "120 caracteres"),
        ({"NOMBRE": 42}, "NOMBRE", "debe ser texto"),
        ({"APELLIDO_PATERNO": 3.5}, "APELLIDO_PATERNO", "debe ser texto"),
        ({"APELLIDO_MATERNO": date(2020, 1, 1)}, "APELLIDO_MATERNO", "una fecha"),
        ({"APELLIDO_MATERNO": True}, "APELLIDO_MATERNO", "valor lógico"),
        ({"APELLIDO_PATERNO": "", "APELLIDO_MATERNO": None}, "APELLIDO_PATERNO", "al menos un"),
        ({"CLAVE_ELECTOR": ""}, "CLAVE_ELECTOR", "obligatoria"),
        ({"CLAVE_ELECTOR": "ABC123"}, "CLAVE_ELECTOR", "«ABC123»"),
        ({"CLAVE_ELECTOR": "GMVLMR80070501X100"}, "CLAVE_ELECTOR", "H o M"),
        ({"OCR": ""}, "OCR", "obligatorio"),
        ({"OCR": "123456789012"}, "OCR", "13 dígitos"),
        ({"OCR": 123456789012}, "OCR", "13 dígitos"),
        ({"OCR": "12345678901234"}, "OCR", "13 dígitos"),
        ({"OCR": "1.234E+12"}, "OCR", "notación científica"),
        ({"OCR": "1,23457E+12"}, "OCR", "notación científica"),
        ({"OCR": 1234567890123.5}, "OCR", "decimales"),
        ({"TIPO_INCONSISTENCIA": "foto"}, "TIPO_INCONSISTENCIA", "no está en el catálogo"),
        ({"COMENTARIO": "x" * 501}, "COMENTARIO", "500 caracteres"),
        ({"FECHA_APOYO": "mañana"}, "FECHA_APOYO", "Fecha ilegible «mañana»"),
        ({"FECHA_APOYO": "31/02/2021"}, "FECHA_APOYO", "Fecha ilegible"),
        ({"FECHA_APOYO": 12345}, "FECHA_APOYO", "Fecha ilegible"),
        ({"FECHA_APOYO": True}, "FECHA_APOYO", "Fecha ilegible"),
        ({"FECHA_APOYO": "2021-02-01"}, "FECHA_APOYO", "fuera del periodo"),
    ],
)
def test_each_rejection_rule_names_its_column_with_a_spanish_reason(changes, column, words):
    error = single_error(valid_raw(**changes))
    assert error.column == column
    assert words in error.message
    assert error.message.endswith(".")


def test_all_failing_columns_of_a_row_are_reported_at_once():
    raw = {
        "NOMBRE": "",
        "APELLIDO_PATERNO": "",
        "CLAVE_ELECTOR": "XYZ",
        "OCR": "12",
        "TIPO_INCONSISTENCIA": "desconocida",
        "COMENTARIO": "y" * 600,
        "FECHA_APOYO": "ayer",
    }
    row, errors = validate(raw)
    assert row is None
    assert [error.column for error in errors] == [
        "NUMERO_REFERENCIA",
        "NOMBRE",
        "APELLIDO_PATERNO",
        "CLAVE_ELECTOR",
        "OCR",
        "TIPO_INCONSISTENCIA",
        "COMENTARIO",
        "FECHA_APOYO",
    ]
    assert all(isinstance(error, RowError) for error in errors)


def test_key_error_shows_what_was_received():
    error = single_error(valid_raw(CLAVE_ELECTOR="ABC123"))
    assert error.message == (
        "La clave de elector debe tener 18 caracteres: 6 letras, 8 dígitos, H o M y 3 dígitos "
        "(se recibió «ABC123»)."
    )


# OCR mangled by Excel -----------------------------------------------------------------------------


def test_excel_float_ocr_that_is_integral_with_13_digits_is_accepted():
    assert accepted(valid_raw(OCR=1234567890123.0)).ocr == "1234567890123"


def test_excel_scientific_notation_ocr_is_rejected_with_an_explanation():
    error = single_error(valid_raw(OCR="1.234E+12"))
    assert "Excel convirtió el OCR a notación científica" in error.message
    assert "texto" in error.message


def test_excel_float_ocr_with_a_fraction_is_rejected():
    error = single_error(valid_raw(OCR=1234567890123.25))
    assert error.column == "OCR"
    assert "decimales" in error.message


def test_ocr_that_lost_its_leading_zero_gets_the_13_digit_error():
    error = single_error(valid_raw(OCR=234567890123))
    assert "exactamente 13 dígitos" in error.message
    assert "«234567890123»" in error.message


# Inconsistency codes ------------------------------------------------------------------------------


def test_inconsistency_code_with_spaces_and_lower_case_is_accepted():
    row = accepted(valid_raw(TIPO_INCONSISTENCIA="  solo anverso  o reverso "))
    assert row.inconsistency_code == "SOLO_ANVERSO_O_REVERSO"


def test_unknown_inconsistency_code_is_rejected_naming_the_catalogue():
    error = single_error(valid_raw(TIPO_INCONSISTENCIA="Mancha"))
    assert error.column == "TIPO_INCONSISTENCIA"
    assert "«Mancha» no está en el catálogo" in error.message
    assert "FOTOCOPIA" in error.message


# FECHA_APOYO --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-01-05", date(2021, 1, 5)),
        ("05/01/2021", date(2021, 1, 5)),
        ("5/1/2021", date(2021, 1, 5)),
        ("05-01-2021", date(2021, 1, 5)),
        (" 2021-01-05 00:00:00 ", date(2021, 1, 5)),
        (44197, date(2021, 1, 1)),
        (44197.75, date(2021, 1, 1)),
        ("44201", date(2021, 1, 5)),
        (date(2020, 12, 15), date(2020, 12, 15)),
        (datetime(2021, 1, 23, 23, 59), date(2021, 1, 23)),
    ],
)
def test_support_date_formats_are_read(value, expected):
    assert accepted(valid_raw(FECHA_APOYO=value)).support_date == expected


def test_excel_serial_date_44197_is_new_year_2021():
    assert accepted(valid_raw(FECHA_APOYO=44197)).support_date == date(2021, 1, 1)


def test_day_first_date_is_read_as_day_month_year():
    assert accepted(valid_raw(FECHA_APOYO="02/01/2021")).support_date == date(2021, 1, 2)


@pytest.mark.parametrize("value", ["2020-12-14", "24/01/2021", 44220, date(2022, 1, 1)])
def test_date_outside_the_collection_period_is_rejected_naming_the_period(value):
    error = single_error(valid_raw(FECHA_APOYO=value))
    assert error.column == "FECHA_APOYO"
    assert "(15/12/2020 al 23/01/2021)" in error.message


def test_date_outside_the_period_message_shows_the_date_day_first():
    error = single_error(valid_raw(FECHA_APOYO="2021-02-01"))
    assert "01/02/2021" in error.message


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_support_date_uses_the_default_date_without_period_check(value):
    outside = date(2021, 3, 1)
    row, errors = validate_support_row(
        valid_raw(FECHA_APOYO=value),
        inconsistency_codes=CODES,
        period=PERIOD,
        default_date=outside,
    )
    assert errors == []
    assert row.support_date == outside


@pytest.mark.parametrize("value", [19999, 80001, "2021/13/01", "1/1/21", "2021-1-32", float("nan")])
def test_unreadable_dates_and_absurd_serials_are_rejected(value):
    error = single_error(valid_raw(FECHA_APOYO=value))
    assert error.message.startswith("Fecha ilegible «")
    assert error.message.endswith("»: use AAAA-MM-DD o DD/MM/AAAA.")


# Birth date of the clave --------------------------------------------------------------------------


def test_birth_date_of_the_key_uses_the_century_that_makes_it_past():
    assert elector_key_birth_date("GMVLMR80070501M100") == date(1980, 7, 5)
    assert elector_key_birth_date("gmvlmr 000229 01 m100") == date(2000, 2, 29)
    next_year = (date.today().year + 1) % 100
    assert elector_key_birth_date(f"GMVLMR{next_year:02d}010101M100").year < 2000


def test_birth_date_of_the_key_is_none_when_not_a_real_date_or_key():
    assert elector_key_birth_date("GMVLMR80023001M100") is None
    assert elector_key_birth_date("GMVLMR80130101M100") is None
    assert elector_key_birth_date("ABC") is None
    assert elector_key_birth_date(None) is None


# Capture warnings ---------------------------------------------------------------------------------


def test_matching_key_gives_no_warning():
    assert elector_key_warnings("GMVLMR80070501M100", "Margarita", "Gómez", "Velázquez") == []


def test_letters_that_disagree_with_the_name_are_warned_naming_the_part():
    warnings = elector_key_warnings("GMVLJN80070501M100", "Margarita", "Gómez", "Velázquez")
    assert warnings == [
        "Las letras de la clave de elector (GMVLJN) no coinciden con el nombre capturado "
        "(se esperaba GMVLMR): revise el nombre."
    ]


def test_several_disagreeing_parts_are_named_in_one_warning():
    [warning] = elector_key_warnings("PRRZMR80070501M100", "Margarita", "Gómez", "Velázquez")
    assert "se esperaba GMVLMR" in warning
    assert "revise el apellido paterno y el apellido materno" in warning


def test_x_in_the_key_matches_any_letter():
    assert elector_key_warnings("XXVLXX80070501M100", "Margarita", "Gómez", "Velázquez") == []


def test_missing_maternal_surname_is_xx():
    assert elector_key_warnings("GMXXMR80070501M100", "Margarita", "Gómez", "") == []
    assert elector_key_warnings("GMVLMR80070501M100", "Margarita", "Gómez", "") != []


def test_enie_counts_as_x_and_particles_are_skipped():
    assert elector_key_warnings("NXCRJN80070501H100", "Juan", "Núñez", "de la Cruz") == []


def test_compound_first_name_accepts_either_name():
    for letters in ("MR", "JS"):
        key = f"GMVL{letters}80070501M100"
        assert elector_key_warnings(key, "María José", "Gómez", "Velázquez") == []
    assert elector_key_warnings("GMVLGD80070501M100", "Ma. Guadalupe", "Gómez", "Velázquez") == []


def test_impossible_birth_date_in_the_key_is_warned():
    [warning] = elector_key_warnings("GMVLMR80023001M100", "Margarita", "Gómez", "Velázquez")
    assert "800230" in warning
    assert "fecha" in warning


@pytest.mark.parametrize("entity", ["00", "33", "86", "99"])
def test_unknown_entity_of_birth_in_the_key_is_warned(entity):
    key = f"GMVLMR800705{entity}M100"
    [warning] = elector_key_warnings(key, "Margarita", "Gómez", "Velázquez")
    assert f"({entity})" in warning
    assert "entidad" in warning


@pytest.mark.parametrize("entity", ["01", "26", "32", "87", "88"])
def test_known_entities_of_birth_give_no_warning(entity):
    key = f"GMVLMR800705{entity}M100"
    assert elector_key_warnings(key, "Margarita", "Gómez", "Velázquez") == []


def test_malformed_key_gives_no_warnings():
    assert elector_key_warnings("ABC", "Margarita", "Gómez", "Velázquez") == []


# Letters derived from realistic names -------------------------------------------------------------

# (as typed, the letter pairs INE may have used)
SURNAMES = [
    ("García", ["GR"]),
    ("GÓMEZ", ["GM"]),
    ("Hernández", ["HR"]),
    ("López", ["LP"]),
    ("Muñoz", ["MX"]),
    ("Peña", ["PX"]),
    ("Núñez", ["NX"]),
    ("Yáñez", ["YX"]),
    ("Ávila", ["AV"]),
    ("Ochoa", ["OC"]),
    ("Ibarra", ["IB"]),
    ("Ruiz", ["RZ"]),
    ("de la Cruz", ["CR", "DX"]),
    ("De León", ["LN", "DX"]),
    ("del Río", ["RX", "DL"]),
    ("de los Santos", ["SN", "DX"]),
    ("Mc Gregor", ["GR", "MC"]),
    ("Von Borstel", ["BR", "VN"]),
    ("Valenzuela", ["VL"]),
    ("Domínguez", ["DM"]),
    ("Acuña", ["AC"]),
    ("O", ["OX"]),
]
FIRST_NAMES = [
    ("Juan", ["JN"]),
    ("Margarita", ["MR"]),
    ("María José", ["JS", "MR"]),
    ("José Luis", ["LS", "JS"]),
    ("María de los Ángeles", ["AN", "MR"]),
    ("Ma. Guadalupe", ["GD", "MX"]),
    ("J. Jesús", ["JS", "JX"]),
    ("Ángel", ["AN"]),
    ("Begoña", ["BG"]),
    ("Iñaki", ["IX"]),
    ("Ximena", ["XM"]),
    ("Óscar", ["OS"]),
    ("Eva", ["EV"]),
]
MATERNAL_SURNAMES = [*SURNAMES, ("", ["XX"])]


@st.composite
def names_and_key(draw):
    """Realistic names and a clave whose letters were derived from them by INE's rule, with a real
    birth date and entity."""
    paternal, paternal_pairs = draw(st.sampled_from(SURNAMES))
    maternal, maternal_pairs = draw(st.sampled_from(MATERNAL_SURNAMES))
    name, name_pairs = draw(st.sampled_from(FIRST_NAMES))
    letters = "".join(
        draw(st.sampled_from(pairs)) for pairs in (paternal_pairs, maternal_pairs, name_pairs)
    )
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2006, 12, 31)))
    entity = draw(st.sampled_from([f"{number:02d}" for number in range(1, 33)] + ["87", "88"]))
    tail = draw(st.sampled_from("HM")) + draw(DIGITS3)
    key = f"{letters}{born:%y%m%d}{entity}{tail}"
    return key, name, paternal, maternal


@rules_settings
@given(names_and_key())
def test_key_derived_correctly_from_realistic_names_gives_no_warning(case):
    key, name, paternal, maternal = case
    assert elector_key_warnings(key, name, paternal, maternal) == []


@rules_settings
@given(names_and_key(), st.sets(st.integers(min_value=0, max_value=5)))
def test_x_placeholders_anywhere_in_the_letters_give_no_warning(case, positions):
    key, name, paternal, maternal = case
    with_x = "".join("X" if index in positions else char for index, char in enumerate(key))
    assert elector_key_warnings(with_x, name, paternal, maternal) == []


_CELLS = {
    "NUMERO_REFERENCIA": st.sampled_from(["F-1", " f-2 ", "", "  ", "X" * 41, 12.0, None]),
    "NOMBRE": st.sampled_from(["JUAN", "maría josé", "", None, 5, "N" * 121]),
    "APELLIDO_PATERNO": st.sampled_from(["GARCÍA", "", None, "peña  ", 3.5]),
    "APELLIDO_MATERNO": st.sampled_from(["LÓPEZ", "", None, "de la o"]),
    "CLAVE_ELECTOR": st.sampled_from(
        ["GRLPJN85010126H001", "grlpjn 85010126-h001", "GRLPJN8501", "", None, 7.0]
    ),
    "OCR": st.sampled_from(["1234567890123", "1234-567890123", "1.234E+12", "12", 1234567890123.0]),
    "TIPO_INCONSISTENCIA": st.sampled_from(["", None, "fotocopia", "SIN FIRMA", "OTRA COSA", 1]),
    "COMENTARIO": st.sampled_from(["", None, "  revisado  a mano ", "x" * 501]),
    "FECHA_APOYO": st.sampled_from(
        [
            None,
            "",
            "2020-12-20",
            "20/12/2020",
            "2019-01-01",
            "31/02/2021",
            date(2021, 1, 5),
            44197.0,
        ]
    ),
}


@settings(
    max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.fixed_dictionaries(_CELLS))
def test_the_common_path_agrees_with_the_full_validation(raw):
    codes = {"FOTOCOPIA", "SIN_FIRMA"}
    period = (date(2020, 12, 15), date(2021, 1, 23))
    fast = rules._common_valid_row(raw.get, codes, period, date(2020, 12, 16))
    full_row, full_errors = rules._validate_in_full(raw, codes, period, date(2020, 12, 16))
    if fast is not None:
        assert full_errors == [] and full_row == fast


def test_an_ordinary_row_takes_the_common_path():
    raw = {
        "NUMERO_REFERENCIA": "F-1",
        "NOMBRE": "Juan",
        "APELLIDO_PATERNO": "García",
        "APELLIDO_MATERNO": "",
        "CLAVE_ELECTOR": "GRLPJN85010126H001",
        "OCR": "1234567890123",
        "FECHA_APOYO": "20/12/2020",
    }
    period = (date(2020, 12, 15), date(2021, 1, 23))
    row = rules._common_valid_row(raw.get, set(), period, date(2020, 12, 16))
    assert row == rules._validate_in_full(raw, set(), period, date(2020, 12, 16))[0]
    assert row.support_date == date(2020, 12, 20)
