"""The search box of every list of supports (the OPL's list, the aspirant portal, the mesa de
control queue): one query for a folio, a clave de elector or a name, accent- and case-insensitive.

A name is matched on Support.search_name, the name written once by core.search.search_text when
the support is stored (surname first, no accents, Ñ as N): every word typed must begin a word of
the name, in any order ("munoz" finds MUÑOZ, "lopez juan" finds JUAN ... LÓPEZ). That is a word
index's prefix query, so a word index serves it (migration 0017): FTS5 on SQLite (support_search,
kept by triggers), a GIN index over to_tsvector('simple', search_name) on PostgreSQL. A clave is
matched by prefix as a range of the upper-case clave, which the (aspirant, clave) index serves on
both databases (LIKE 'X%' does not on SQLite: its LIKE ignores case); a folio exactly.

The three are one list of matching ids, each part read through its own index, so a search costs
what it finds rather than a pass over every support of the entity (500 ms at a million, issue 15).
A list asks its search several times (its counts, its page's ids, the page's rows): when the
search finds at most LISTED_BY_ID supports, they are read once and the list is filtered by those
ids, which every later query looks up by primary key (and a planner sees how few they are).
Beyond that (a lone common surname finds tens of thousands) SQLite keeps the indexes' query as a
subquery that each row the list reads is tested against (tested_in_list_order), and PostgreSQL
gets the search as a condition on each row (indexed_row_match), which its planner serves from the
same indexes or tests on the rows a page reads in its own order.

Such a broad search is not counted to its end either: counting 47,000 "lopez" took the mesa de
control up to a second at a million supports. Its list counts at most LISTED_BY_ID + 1 rows
(capped_count) and says it shows the first LISTED_BY_ID, as a search page does; its exports still
write every match.
"""

import re

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from apoyo.core.identity import normalize_key, normalize_text
from apoyo.core.pagination import count_up_to
from apoyo.core.search import search_words
from apoyo.core.value_lists import as_one_parameter
from apoyo.supports.models import Cedula, Support

# What both word indexes take as a word: letters and digits (a hyphen or an apostrophe splits).
TOKEN = re.compile(r"[^\W_]+")
SUPPORTS = Support._meta.db_table
CEDULAS = Cedula._meta.db_table
ASPIRANTS = Support._meta.get_field("aspirant").related_model._meta.db_table
# The FTS5 table of migration 0017 (SQLite only).
FTS_TABLE = "support_search"
# At most this many matching ids are passed as parameters (SQLite takes 32,766 in a statement).
LISTED_BY_ID = 5000


def fts_query(words):
    """An FTS5 query where every word is a phrase whose last token is a prefix ("MUNOZ"*)."""
    return " AND ".join('"' + word.replace('"', '""') + '"*' for word in words)


def tsquery(words):
    """A to_tsquery text where every word is a quoted prefix ('munoz':*)."""
    quoted = (word.replace("\\", "\\\\").replace("'", "''") for word in words)
    return " & ".join(f"'{word}':*" for word in quoted)


def name_ids(words):
    """SQL and parameters of the ids whose name has a word beginning with each of `words`, or None
    when a word has no letter or digit (no word of a name can begin with it in the index)."""
    if not words or not all(TOKEN.search(word) for word in words):
        return None
    if connection.vendor == "sqlite":
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        return sql, [fts_query(words)]
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT id FROM {SUPPORTS} "  # noqa: S608 - our table names
            "WHERE to_tsvector('simple', search_name) @@ to_tsquery('simple', %s)"
        )
        return sql, [tsquery(words)]
    # Another database has no word index here: the same meaning through LIKE.
    conditions = " AND ".join(["(search_name LIKE %s OR search_name LIKE %s)"] * len(words))
    params = [pattern for word in words for pattern in (f"{word}%", f"% {word}%")]
    return f"SELECT id FROM {SUPPORTS} WHERE {conditions}", params  # noqa: S608


def key_range(key):
    """The claves that begin with `key`, as [key, next): the range a btree index serves."""
    return key, key[:-1] + chr(ord(key[-1]) + 1)


def key_ids(key):
    """SQL and parameters of the ids whose clave begins with `key`. Going through the aspirants
    makes each a range of the (aspirant, clave) index on both databases."""
    sql = (
        f"SELECT id FROM {SUPPORTS} "  # noqa: S608 - our table names
        f"WHERE aspirant_id IN (SELECT id FROM {ASPIRANTS}) "
        "AND elector_key >= %s AND elector_key < %s"
    )
    return sql, list(key_range(key))


def folio_ids(reference):
    """SQL and parameters of the ids on the cédula with this folio (any aspirant's)."""
    sql = (
        f"SELECT id FROM {SUPPORTS} WHERE cedula_id IN ("  # noqa: S608 - our table names
        f"SELECT id FROM {CEDULAS} WHERE aspirant_id IN (SELECT id FROM {ASPIRANTS}) "
        "AND reference = %s)"
    )
    return sql, [reference]


def indexed_row_match(words, text, key):
    """PostgreSQL: the same search as a condition on each row, written so that the planner may
    serve it from the indexes in one bitmap (the words through the GIN index, the folio through
    the cédulas' ids, the clave as a range within each aspirant), or test it on the rows a list
    reads in its own order, whichever costs less. At a million supports a broad search's capped
    count fell from 150 to 30 ms, against testing each row with LIKE."""
    parts, params = [], []
    table = connection.ops.quote_name(SUPPORTS)
    if name_ids(words) is not None:
        parts.append(f"to_tsvector('simple', {table}.search_name) @@ to_tsquery('simple', %s)")
        params.append(tsquery(words))
    parts.append(
        f"{table}.cedula_id = ANY(ARRAY(SELECT id FROM {CEDULAS} "  # noqa: S608 - our names
        f"WHERE aspirant_id IN (SELECT id FROM {ASPIRANTS}) AND reference = %s))"
    )
    params.append(normalize_text(text))
    if key.isalnum():
        parts.append(
            f"({table}.aspirant_id = ANY(ARRAY(SELECT id FROM {ASPIRANTS})) "  # noqa: S608
            f"AND {table}.elector_key >= %s AND {table}.elector_key < %s)"
        )
        params.extend(key_range(key))
    # Our table names and placeholders only: what was typed travels as parameters.
    return RawSQL(f"({' OR '.join(parts)})", params, output_field=BooleanField())  # noqa: S611


def listed_ids(ids):
    """`ids` as the right side of pk__in, as one parameter. PostgreSQL gets them as an array: as a
    list of parameters, a page's own `pk IN (...)` beside them makes its planner cost one index
    probe per pair of the two lists and read the whole table instead (130 ms a page at a
    million). SQLite gets a JSON array: a list's three or four queries each compiled thousands of
    parameters in Python (50 ms a search of 4,679 matches, and the garbage collector's passes
    over them)."""
    return as_one_parameter(ids, connection.vendor, "bigint")


def search_supports(queryset, text):
    """Supports matching `text` by folio (exact), clave de elector (prefix) or name (see module),
    and whether the search is broad: it matches more than LISTED_BY_ID supports, which a list
    counts only up to capped_count."""
    words = search_words(text)
    if not words:
        return queryset, False
    parts = [folio_ids(normalize_text(text)), name_ids(words)]
    key = normalize_key(text)
    if key.isalnum():
        parts.append(key_ids(key))
    parts = [part for part in parts if part is not None]
    sql = " UNION ALL ".join(part_sql for part_sql, _ in parts)
    params = [param for _, part_params in parts for param in part_params]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT {LISTED_BY_ID + 1}", params)
        ids = {row[0] for row in cursor.fetchall()}
    if len(ids) <= LISTED_BY_ID:
        return queryset.filter(pk__in=listed_ids(sorted(ids))), False
    if connection.vendor == "postgresql":
        # Tens of thousands of matches (a lone common surname): looking each up by id costs
        # PostgreSQL more than a condition its planner may serve from the indexes (1 s a page).
        return queryset.filter(indexed_row_match(words, text, key)), True
    return queryset.filter(tested_in_list_order(sql, params)), True


def tested_in_list_order(sql, params):
    """SQLite: whether a row is among the matches of `sql`, as a test of each row the list reads
    in its own order. The unary plus keeps SQLite from looking the matches up one by one through
    an index instead: with statistics taken while most supports shared one capture time (a carga
    masiva stamps every row with one instant) it chose a skip-scan of the (captured_at, id) index
    for each of thousands of matches, one seek per capture time, and once app captures had added
    a few thousand capture times one portal search took 2.7 s (make bench ONLY=web)."""
    table = connection.ops.quote_name(SUPPORTS)
    # Our table names and placeholders only: what was typed travels as parameters.
    return RawSQL(f"+{table}.id IN ({sql})", params, output_field=BooleanField())  # noqa: S611


def capped_count(queryset):
    """How many rows a broadly searched list shows, and whether it holds more: a list shows at
    most its first LISTED_BY_ID."""
    return count_up_to(queryset, LISTED_BY_ID)
