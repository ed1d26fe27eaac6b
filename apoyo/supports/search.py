"""The search box of every list of supports (the OPL's list, the aspirant portal, the mesa de
control queue): one query for a folio, a clave de elector or a name, accent- and case-insensitive.

A name is matched on Support.search_name, the name written once by core.search.search_text when
the support is stored (surname first, no accents, Ñ as N): every word typed must begin a word of
the name, in any order ("munoz" finds MUÑOZ, "lopez juan" finds JUAN ... LÓPEZ). The query reads
one narrow column instead of three through UPPER/LIKE, and a prefix of the stored name ("MUNOZ
GAR") is served by the column's index (migration 0012). Claves and folios are matched on their
own columns: a clave by prefix, a folio exactly.
"""

from django.db.models import Q

from apoyo.core.identity import normalize_key, normalize_text
from apoyo.core.search import search_words


def name_matches(words):
    """Every word begins a word of search_name."""
    condition = Q()
    for word in words:
        condition &= Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
    return condition


def search_supports(queryset, text):
    """Supports matching `text` by folio (exact), clave de elector (prefix) or name (see module)."""
    words = search_words(text)
    if not words:
        return queryset
    match = Q(cedula__reference=normalize_text(text)) | name_matches(words)
    key = normalize_key(text)
    if key.isalnum():
        match |= Q(elector_key__startswith=key)
    return queryset.filter(match)
