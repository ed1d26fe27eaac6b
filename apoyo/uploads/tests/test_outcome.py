"""What validation keeps on disk (outcome.py) is read back as it was written: valid rows with their
extras and issues, in file order, across several flushes. Pure Python: no database."""

import datetime

from apoyo.supports.models import IssueKind
from apoyo.supports.rules import SupportRow
from apoyo.uploads.outcome import Outcome


def row(n):
    return SupportRow(
        reference=f"F-{n}",
        name="MARÍA JOSÉ",
        paternal_surname="MUÑOZ",
        maternal_surname="",
        elector_key=f"GMVLMR80070501M{n:03d}",
        ocr="1234567890123",
        inconsistency_code="",
        comment="línea 1\nlínea 2\t«fin»",
        support_date=datetime.date(2024, 1, n + 1),
        date_written=n % 2 == 0,
    )


def test_valid_rows_come_back_equal_and_in_file_order_across_flushes():
    written = [(n + 2, row(n), f"aviso {n}\notro", f"MUNOZ MARIA JOSE {n}") for n in range(5)]
    with Outcome() as outcome:
        for number, valid, warnings, search_name in written:
            outcome.add_valid(number, valid, warnings, search_name)
            if number == 3:
                outcome.flush()
        read = list(outcome.valid_rows())
    assert read == written
    assert all(type(valid) is SupportRow for _, valid, _, _ in read)
    assert outcome.first_dates == {f"F-{n}": datetime.date(2024, 1, n + 1) for n in range(5)}


def test_issues_come_back_with_their_values_in_file_order():
    values = {"NOMBRE": "Ñandú \u0301", "COMENTARIO": "a\r\nb"}
    with Outcome() as outcome:
        outcome.add_issue(IssueKind.REJECTED, 2, "OCR", "OCR inválido", values)
        outcome.flush()
        outcome.add_issue(IssueKind.SKIPPED, 3, "", "Repetida", {})
        assert list(outcome.issues()) == [
            [IssueKind.REJECTED.value, 2, "OCR", "OCR inválido", values],
            [IssueKind.SKIPPED.value, 3, "", "Repetida", {}],
        ]
