"""Which XLSX rows the reader skips as blank (apoyo.core.tabular): only those whose every cell is
missing or blank text; a 0, FALSE or a date is data. Pure Python: no files."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from apoyo.core.tabular import _is_blank_row

cells = st.sampled_from(
    [None, "", " ", "\t\u00a0", "x", " 0 ", 0, 0.0, False, True, datetime.date(2024, 1, 1)]
)


def _blank_cell(cell):
    return cell is None or (isinstance(cell, str) and not cell.strip())


@given(st.lists(cells, max_size=6))
def test_a_row_is_blank_exactly_when_every_cell_is_missing_or_blank_text(row):
    assert _is_blank_row(row) == all(_blank_cell(cell) for cell in row)


def test_zero_and_false_cells_are_data():
    assert not _is_blank_row([None, "", 0])
    assert not _is_blank_row(["  ", False])
    assert _is_blank_row([None, " ", ""])
