"""The column-wise validation of a carga masiva chunk (apoyo.uploads.columnar) gives, for every row,
exactly what the full rules give (apoyo.supports.rules.validate_support_row): the same normalised
row, or the same errors with the same Spanish messages. Pure Python and polars: no database."""

from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apoyo.supports.rules import COLUMNS, OPTIONAL_COLUMNS, validate_support_row
from apoyo.uploads import columnar

CODES = frozenset({"FOTOCOPIA", "SIN_FIRMA", "OTRA"})
PERIOD = (date(2020, 12, 15), date(2021, 1, 23))
UPLOAD_DAY = date(2021, 1, 10)
# Letters that normalisation changes or keeps (accents, Ñ, dashes, odd spaces) and plain ones.
_LETTERS = "aAñÑéÉüÜ-\u2012 \t\u00a0ZÁ.'0"
_TEXT = st.text(alphabet=_LETTERS, max_size=8)

_CELLS = {
    "NUMERO_REFERENCIA": st.one_of(
        st.sampled_from(["F-1", " f-2 ", "", "  ", "X" * 41, 12.0, 12.5, None, True]), _TEXT
    ),
    "NOMBRE": st.one_of(st.sampled_from(["JUAN", "maría josé", "", None, 5, "N" * 121]), _TEXT),
    "APELLIDO_PATERNO": st.one_of(st.sampled_from(["GARCÍA", "", None, "peña  ", 3.5]), _TEXT),
    "APELLIDO_MATERNO": st.one_of(st.sampled_from(["LÓPEZ", "", None, "de la o"]), _TEXT),
    "CLAVE_ELECTOR": st.sampled_from(
        [
            "GRLPJN85010126H001",
            "grlpjn 85010126-h001",
            "GRLPJN\u201185010126H001",
            "GRLPJN8501",
            "",
            None,
            7.0,
        ]
    ),
    "OCR": st.sampled_from(
        ["1234567890123", "1234-567890123", " 1234567890123 ", "1.234E+12", "12", 1234567890123.0]
    ),
    "TIPO_INCONSISTENCIA": st.sampled_from(
        ["", None, "fotocopia", "SIN FIRMA", "OTRA COSA", 1, "otra", " OTRA ", "SIN_FIRMA"]
    ),
    "COMENTARIO": st.one_of(
        st.sampled_from(["", None, "  revisado  a mano ", "x" * 501, " \u00a0 ", 3]), _TEXT
    ),
    "FECHA_APOYO": st.sampled_from(
        [
            None,
            "",
            "  ",
            "2020-12-20",
            "20/12/2020",
            "2019-01-01",
            "31/02/2021",
            " 30-02-2021 ",
            date(2021, 1, 5),
            datetime(2021, 1, 5, 13, 30),
            date(2022, 1, 1),
            44197.0,
            False,
        ]
    ),
}
FIELDS = [*COLUMNS, *OPTIONAL_COLUMNS]


def full_rules(fields, chunk):
    return [
        validate_support_row(
            dict(zip(fields, values, strict=True)),
            inconsistency_codes=CODES,
            period=PERIOD,
            default_date=UPLOAD_DAY,
        )
        for _, values in chunk
    ]


def as_chunk(rows, fields):
    return [(number + 2, tuple(row[field] for field in fields)) for number, row in enumerate(rows)]


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.fixed_dictionaries(_CELLS), min_size=1, max_size=12), st.booleans())
def test_the_column_wise_path_agrees_with_the_full_rules_row_by_row(rows, with_date):
    fields = FIELDS if with_date else COLUMNS
    chunk = as_chunk(rows, fields)
    fast = columnar.validate_chunk(fields, chunk, CODES, PERIOD, UPLOAD_DAY)
    assert fast == full_rules(fields, chunk)


def test_ordinary_rows_are_normalised_without_the_row_by_row_rules():
    fields = FIELDS
    chunk = as_chunk(
        [
            {
                "NUMERO_REFERENCIA": " f-7 ",
                "NOMBRE": "josé  maría",
                "APELLIDO_PATERNO": "Peña",
                "APELLIDO_MATERNO": None,
                "CLAVE_ELECTOR": "pxjsmr80070501h100",
                "OCR": "1234567890123",
                "TIPO_INCONSISTENCIA": "sin firma",
                "COMENTARIO": "  a  mano ",
                "FECHA_APOYO": datetime(2021, 1, 5, 9, 0),
            }
        ],
        fields,
    )
    [(row, errors)] = columnar.validate_chunk(fields, chunk, CODES, PERIOD, UPLOAD_DAY)
    assert errors == []
    assert row.reference == "F-7"
    assert (row.name, row.paternal_surname, row.maternal_surname) == ("JOSE MARIA", "PEÑA", "")
    assert (row.elector_key, row.inconsistency_code, row.comment) == (
        "PXJSMR80070501H100",
        "SIN_FIRMA",
        "a mano",
    )
    assert (row.support_date, row.date_written) == (date(2021, 1, 5), True)


def test_an_empty_chunk_gives_no_results():
    assert columnar.validate_chunk(FIELDS, [], CODES, PERIOD, UPLOAD_DAY) == []
