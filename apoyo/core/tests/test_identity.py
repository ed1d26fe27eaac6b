"""Unit tests of the identity formats (apoyo.core.identity): text and clave normalization, the
shapes of the clave de elector and the OCR, and the clave's letters against the captured names.

Pure Python: no database. DOMAIN.md "Identity formats"; CONTRACT.md "Running commands".
"""

import string
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apoyo.core.identity import (
    elector_key_birth_date,
    elector_key_warnings,
    is_valid_elector_key,
    is_valid_ocr,
    normalize_key,
    normalize_text,
)

# The project's autouse fixture (conftest.py) is function scoped and irrelevant to these tests.
rules_settings = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)

ACCENTED_VOWELS = set("ÁÉÍÓÚÜáéíóúüÀÈÌÒÙàèìòùÂÊÎÔÛâêîôû")


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


def test_the_expected_letters_are_the_names_never_the_keys_x_placeholders():
    [warning] = elector_key_warnings("XXVLJN80070501M100", "Margarita", "Gómez", "Velázquez")
    assert "(se esperaba GMVLMR): revise el nombre." in warning
    [warning] = elector_key_warnings("GXPRXX80070501M100", "Margarita", "Gómez", "Velázquez")
    assert "(se esperaba GMVLMR): revise el apellido materno." in warning


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


@pytest.mark.parametrize("dash", ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015"])
def test_every_unicode_dash_is_a_hyphen_in_text_and_dropped_in_keys(dash):
    # CONTRACT "Settled cases": the dashes U+2010 to U+2015 are hyphens.
    assert normalize_text(f"cg1{dash}d05") == "CG1-D05"
    assert normalize_key(f"GMVLMR{dash}80070501{dash}M100") == "GMVLMR80070501M100"
    assert normalize_key(f"1234{dash}567890123") == "1234567890123"


def test_tabs_and_non_breaking_spaces_are_spaces():
    assert normalize_text("juan\u00a0\tcarlos ") == "JUAN CARLOS"


_KEY_LETTERS = st.text(alphabet="ABCGJLMNPRSTXZ", min_size=6, max_size=6)
_NAME_WORDS = st.lists(
    st.sampled_from(["MARIA", "JOSE", "DE", "LA", "PEÑA", "GARCIA", "XOCHITL", "MA.", "Y", "UZ"]),
    max_size=3,
).map(" ".join)


@rules_settings
@given(_KEY_LETTERS, _NAME_WORDS, _NAME_WORDS, _NAME_WORDS)
def test_the_cached_letter_pairs_warn_exactly_when_the_whole_letters_check_does(
    letters, name, paternal, maternal
):
    # The carga masiva checks the three letter pairs one by one (cached); the warning itself comes
    # from the whole check, so both must agree on whether there is one.
    from apoyo.core import identity

    agree = identity._letters_agree(letters, name, paternal, maternal)
    assert agree == (identity._letters_warning(letters, name, paternal, maternal) is None)
