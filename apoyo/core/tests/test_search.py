"""apoyo.core.search: the one normaliser of searched text (stored columns and typed queries)."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from apoyo.core.search import matches_words, no_results_message, search_text, search_words

# Letters people type in Spanish names and texts, with and without accents, in both cases.
SPANISH = st.text(
    alphabet=st.sampled_from("abcdefghijklmnñopqrstuvwxyzáéíóúüÁÉÍÓÚÜÑ ABCXYZ\t-.'"), max_size=40
)


def plain(text):
    """The text typed without accents or Ñ, as on a keyboard without them."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def test_accents_case_enye_and_spaces_do_not_matter():
    assert search_text("  Muñoz   García ") == "MUNOZ GARCIA"
    assert search_text("cédulas") == search_text("CEDULAS") == "CEDULAS"
    assert search_text(None) == ""
    assert search_words(" josé  MUÑOZ ") == ["JOSE", "MUNOZ"]


@given(SPANISH)
def test_typing_without_accents_finds_the_same_text(text):
    assert search_text(plain(text)) == search_text(text)


@given(SPANISH)
def test_upper_or_lower_case_finds_the_same_text(text):
    assert search_text(text.lower()) == search_text(text.upper()) == search_text(text)


@given(SPANISH)
def test_normalising_twice_changes_nothing(text):
    once = search_text(text)
    assert search_text(once) == once


@given(SPANISH)
def test_the_result_is_plain_upper_case_with_single_spaces(text):
    result = search_text(text)
    assert result == result.upper() and result.isascii()
    assert "  " not in result and result == result.strip()


@given(st.lists(st.sampled_from(["Muñoz", "García", "José", "cédulas", "Peña"]), min_size=1))
def test_every_word_of_a_text_matches_that_text(words):
    text = " ".join(words)
    assert matches_words(search_words(plain(text).lower()), "otro campo", text)


def test_a_word_missing_from_every_field_does_not_match():
    assert not matches_words(["PAPEL", "MONEDA"], "Solicitud de papel", "")
    assert matches_words(["CEDULAS"], "Consulta sobre cédulas", None)


def test_an_empty_search_says_nothing_and_a_search_names_what_was_sought():
    assert no_results_message("") is None
    assert no_results_message("  munoz ") == "Ningún resultado para «munoz»."
