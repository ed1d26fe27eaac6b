"""The polars normalization gives what apoyo.core.identity gives, one value at a time."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from apoyo.core.identity import normalize_key, normalize_text
from apoyo.roll.frames import (
    CIC_PATTERN,
    ELECTOR_KEY_PATTERN,
    normalize_key_series,
    normalize_text_series,
    parse_date,
    parse_integer,
)

TRICKY = [
    "",
    "  ",
    "juan",
    "  maría   josé ",
    "MUÑOZ",
    "muñoz",
    "N\u0303U\u0301N\u0303EZ",  # decomposed Ñ and Ú
    "Ǆ ß ﬁ",
    "ÀÉÎÕÜ çÇ ÿ",
    "a\u00a0b\u2003c",
    "x\x1cy\tz\nw",
    "O'HIGGINS-PEREZ",
    "Ελληνικά",
    "Ā ă ą Ő ű",
    "cg1\u2013d05 \u2010\u2015x",
]

# Latin-1 and Latin Extended-A: the letters of Spanish names, where Python 3.11 and polars agree
# on the Unicode case tables (they differ on a few letters added in later Unicode versions).
NAME_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x17F),
        st.sampled_from(" \t\u00a0\u0301\u0303-\u2010\u2013\u2015"),
    ),
    max_size=20,
)


def test_tricky_names_normalize_like_normalize_text():
    assert normalize_text_series(pl.Series(TRICKY)).to_list() == [normalize_text(v) for v in TRICKY]


@settings(max_examples=300, deadline=None)
@given(st.lists(NAME_TEXT, min_size=1, max_size=5))
def test_any_latin_text_normalizes_like_normalize_text(values):
    assert normalize_text_series(pl.Series(values, dtype=pl.String)).to_list() == [
        normalize_text(v) for v in values
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(NAME_TEXT, min_size=1, max_size=5))
def test_any_key_normalizes_like_normalize_key(values):
    keys, _ = normalize_key_series(pl.Series(values, dtype=pl.String), ELECTOR_KEY_PATTERN)
    assert keys.to_list() == [normalize_key(v) for v in values]


def test_key_shape_is_judged_after_normalization():
    keys, shaped = normalize_key_series(
        pl.Series(["GMVLMR80070501M100", "gmvlmr-80070501-m100", "GMVLMR8007050", ""]),
        ELECTOR_KEY_PATTERN,
    )
    assert keys.to_list() == ["GMVLMR80070501M100", "GMVLMR80070501M100", "GMVLMR8007050", ""]
    assert shaped.to_list() == [True, True, False, False]
    cics, ok = normalize_key_series(pl.Series(["123 456 789", "12345678"]), CIC_PATTERN)
    assert (cics.to_list(), ok.to_list()) == (["123456789", "12345678"], [True, False])


def test_integers_and_dates():
    assert parse_integer(pl.Series(["26", " 026 ", "26.0", "x", "", None, "-3"])).to_list() == [
        26,
        26,
        26,
        None,
        None,
        None,
        -3,
    ]
    dates = parse_date(
        pl.Series(["1980-05-17", "17/05/1980", "31/02/1980", "", "mayo", "1980-05-17 00:00:00"])
    )
    assert [d.isoformat() if d else None for d in dates.to_list()] == [
        "1980-05-17",
        "1980-05-17",
        None,
        None,
        None,
        "1980-05-17",
    ]
