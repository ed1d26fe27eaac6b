"""Support.search_name as the carga masiva computes it (search_name_of, a part at a time) against
core.search.search_text of the whole name. Pure Python: no database."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apoyo.core.search import search_text
from apoyo.supports.models import search_name_of

# The project's autouse fixture (conftest.py) is function scoped and irrelevant to these tests.
rules_settings = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=500
)

# What names hold, and what breaks normalisation: accents precomposed or as combining marks
# (also at the start of a part), Ñ, spaces of every kind, dashes, case, and letters that grow
# when upper-cased (ß, ǰ).
NAME_CHARACTERS = "aAbñÑnzZáÁéüÜàç ßǰ\u0301\u0303\u0308\u0327\u0483\u20d0\u00a0\t\n\u2013-.'"
names = st.one_of(st.text(alphabet=NAME_CHARACTERS, max_size=12), st.text(max_size=12))


@rules_settings
@given(name=names, paternal=names, maternal=names)
def test_search_name_of_equals_search_text_of_the_joined_name(name, paternal, maternal):
    assert search_name_of(name, paternal, maternal) == search_text(f"{paternal} {maternal} {name}")


def test_search_name_of_an_empty_part_has_no_double_space():
    assert search_name_of("maría josé", "", "Muñoz") == "MUNOZ MARIA JOSE"


def test_search_name_of_a_missing_part_reads_as_its_text():
    assert search_name_of("ANA", None, "PEREZ") == search_text("None PEREZ ANA")
