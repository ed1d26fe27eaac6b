"""The one normaliser of searched text: what is stored in search columns (Support.search_name) and
what a person types in a search box go through the same function, so "munoz" finds MUÑOZ and
"cedulas" finds "cédulas". Pure Python, no database access."""

from apoyo.core.identity import normalize_text

# Ñ is a letter of its own in names (CONTRACT keeps it in stored data), but people search without
# it as often as without accents: for searching only, it is N.
_SEARCH_ONLY = str.maketrans({"Ñ": "N"})


def search_text(value: object) -> str:
    """Upper case, accents dropped, Ñ as N, inner whitespace collapsed; None becomes "".

    The same function fills the stored search columns and reads the query, so both sides always
    agree."""
    return normalize_text(value).translate(_SEARCH_ONLY)


def search_words(value: object) -> list[str]:
    """The words of a query as search_text writes them."""
    return search_text(value).split()


def matches_words(words: list[str], *texts: object) -> bool:
    """Whether every word is in one of `texts` (accent- and case-insensitive): the in-Python match
    for small, already scoped lists (SIVOPLE folios), where a search column would not pay."""
    haystack = " ".join(search_text(text) for text in texts)
    return all(word in haystack for word in words)


def no_results_message(text: object) -> str | None:
    """What an empty list says when a search found nothing ("Ningún resultado para «munoz»."), or
    None without a search (the list then says it is empty in its own words)."""
    text = " ".join(str(text or "").split())
    return f"Ningún resultado para «{text}»." if text else None
