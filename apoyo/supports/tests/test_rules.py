"""Unit tests of the shared validation rules of a paper cédula row (apoyo.supports.rules); the
identity formats they use are tested in apoyo/core/tests/test_identity.py.

Pure Python: no database. The rules are those of CONTRACT.md (upload_supports) and DOMAIN.md
(Fields of a paper cédula row, Identity formats).
"""

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


# A valid row --------------------------------------------------------------------------------------


def test_valid_row_is_normalized():
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


def test_accents_and_enie_in_names_are_normalized():
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
        ({"FECHA_APOYO": "31/02/2021"}, "FECHA_APOYO", "Fecha inexistente «31/02/2021»"),
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


@pytest.mark.parametrize(
    "value", [19999, 80001, "2021/13/01", "1/1/21", "31.02.2021", float("nan")]
)
def test_unreadable_dates_and_absurd_serials_are_rejected(value):
    error = single_error(valid_raw(FECHA_APOYO=value))
    assert error.message.startswith("Fecha ilegible «")
    assert error.message.endswith("»: use AAAA-MM-DD o DD/MM/AAAA.")


@pytest.mark.parametrize(
    "value", ["31/02/2021", "2021-02-29", " 30-02-2021 ", "2021-1-32", "31/04/2021 10:30"]
)
def test_a_written_date_missing_from_the_calendar_says_it_does_not_exist(value):
    error = single_error(valid_raw(FECHA_APOYO=value))
    assert error.column == "FECHA_APOYO"
    assert error.message == f"Fecha inexistente «{value.strip()}»: revise el día y el mes."


_CELLS = {
    "NUMERO_REFERENCIA": st.sampled_from(["F-1", " f-2 ", "", "  ", "X" * 41, 12.0, None]),
    "NOMBRE": st.sampled_from(["JUAN", "maría josé", "", None, 5, "N" * 121]),
    "APELLIDO_PATERNO": st.sampled_from(["GARCÍA", "", None, "peña  ", 3.5]),
    "APELLIDO_MATERNO": st.sampled_from(["LÓPEZ", "", None, "de la o"]),
    "CLAVE_ELECTOR": st.sampled_from(
        ["GRLPJN85010126H001", "grlpjn 85010126-h001", "GRLPJN8501", "", None, 7.0]
    ),
    "OCR": st.sampled_from(["1234567890123", "1234-567890123", "1.234E+12", "12", 1234567890123.0]),
    "TIPO_INCONSISTENCIA": st.sampled_from(
        ["", None, "fotocopia", "SIN FIRMA", "OTRA COSA", 1, "otra", " OTRA "]
    ),
    "COMENTARIO": st.sampled_from(["", None, "  revisado  a mano ", "x" * 501, " \u00a0 "]),
    "FECHA_APOYO": st.sampled_from(
        [
            None,
            "",
            "2020-12-20",
            "20/12/2020",
            "2019-01-01",
            "31/02/2021",
            "2021-02-29",
            " 30-02-2021 ",
            "2021/13/01",
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
    codes = {"FOTOCOPIA", "SIN_FIRMA", "OTRA"}
    period = (date(2020, 12, 15), date(2021, 1, 23))
    fast = rules._common_valid_row(raw.get, codes, period, date(2020, 12, 16))
    full_row, full_errors = rules._validate_in_full(raw, codes, period, date(2020, 12, 16))
    if fast is not None:
        assert full_errors == [] and full_row == fast
    # Whichever path a row takes, the answer and its Spanish messages are the full rules' own.
    public = rules.validate_support_row(
        raw, inconsistency_codes=codes, period=period, default_date=date(2020, 12, 16)
    )
    assert public == (full_row, full_errors)


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


# OTRA needs its comment ---------------------------------------------------------------------------


@pytest.mark.parametrize("comment", [None, "", "   ", "\u00a0\t"])
def test_otra_without_a_comment_is_rejected_naming_the_comentario_column(comment):
    error = single_error(valid_raw(TIPO_INCONSISTENCIA=" otra ", COMENTARIO=comment))
    assert error.column == "COMENTARIO"
    assert "OTRA" in error.message and "COMENTARIO" in error.message


def test_otra_with_a_comment_and_other_types_without_one_are_accepted():
    row = accepted(valid_raw(TIPO_INCONSISTENCIA="OTRA", COMENTARIO="Credencial rota"))
    assert (row.inconsistency_code, row.comment) == ("OTRA", "Credencial rota")
    assert accepted(valid_raw(TIPO_INCONSISTENCIA="FOTOCOPIA")).comment == ""


def test_the_mesa_de_control_requires_a_comment_for_the_same_codes_as_every_channel():
    from apoyo.review import services as review

    assert review.COMMENT_REQUIRED_CODES is rules.COMMENT_REQUIRED_CODES
    assert "OTRA" in rules.COMMENT_REQUIRED_CODES
