"""What validating a carga masiva decided, row by row, kept on disk until it is stored.

Validation holds one chunk of rows in memory (services.CHUNK_ROWS): after each chunk, its valid
rows and issues go to anonymous temporary files (created 0600 and already unlinked, so nobody
else can open them, and gone when closed), and they are read back in file order when the upload
is stored in one transaction. Memory then grows only with what duplicate detection needs (the
keys of the valid rows) and the cédulas' first dates, never with the file or its errors.

A dry run ("solo validar") stores nothing but its report, so it keeps no valid rows (it counts
them) and only its first `max_issues` issues, counting the rest: the report of a file with
400,000 errors needs the first ones to show what to fix, and the counts to say how many.
"""

import datetime
import functools
import marshal
import struct
import tempfile

from apoyo.supports.rules import SupportRow

_LENGTH = struct.Struct("<Q")


class Spool:
    """A list written to an anonymous temporary file in blocks, read back in the same order.

    Each block is marshalled (lists, tuples, dicts, str, int, bool and None), behind its length:
    several times cheaper than JSON both ways, and the file is this process's own (unlinked, 0600),
    so what is read back is what was written."""

    def __init__(self):
        # Closed by close(), through Outcome's context manager.
        self._file = tempfile.TemporaryFile("w+b")  # noqa: SIM115
        self.count = 0

    def extend(self, items):
        if items:
            block = marshal.dumps(items)
            self._file.write(_LENGTH.pack(len(block)) + block)
            self.count += len(items)

    def __iter__(self):
        self._file.flush()
        self._file.seek(0)
        read = self._file.read
        while header := read(_LENGTH.size):
            (size,) = _LENGTH.unpack(header)
            yield from marshal.loads(read(size))  # noqa: S302 (written above by this process)

    def close(self):
        self._file.close()


class Outcome:
    """Counts and spooled rows of one validation; use as a context manager (closes the spools).

    `add_valid` and `add_issue` hold a chunk's rows in memory until `flush` spools them."""

    def __init__(self, *, keep_valid=True, max_issues=None):
        self.rows_read = 0
        self.rejected = 0
        self.skipped = 0
        self.valid_count = 0
        self.issues_total = 0
        self.first_dates = {}  # reference -> date of its first valid row (new cédulas)
        self._keep_valid = keep_valid
        self._max_issues = max_issues
        self._valid, self._issues = Spool(), Spool()
        self._pending_valid, self._pending_issues = [], []

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._valid.close()
        self._issues.close()

    def add_valid(self, row_number, row: SupportRow, warnings="", search_name=""):
        """A valid row, with what storing it needs besides (its warnings and search name)."""
        self.valid_count += 1
        if self._keep_valid:
            day = row.support_date
            self.first_dates.setdefault(row.reference, day)
            texts = row[:-2]  # the fields before support_date and date_written
            record = (row_number, texts, day.toordinal(), row.date_written, warnings, search_name)
            self._pending_valid.append(record)

    def add_issue(self, kind, row_number, column, reason, values):
        self.issues_total += 1
        if self._max_issues is None or self.issues_total <= self._max_issues:
            self._pending_issues.append([kind.value, row_number, column, reason, values])

    @property
    def held(self):
        """Valid rows and issues waiting in memory for the next flush."""
        return len(self._pending_valid) + len(self._pending_issues)

    @property
    def issues_kept(self):
        return self._issues.count + len(self._pending_issues)

    def flush(self):
        self._valid.extend(self._pending_valid)
        self._issues.extend(self._pending_issues)
        self._pending_valid, self._pending_issues = [], []

    def valid_rows(self):
        """(row_number, SupportRow, warnings, search name) of every kept valid row, in file
        order."""
        self.flush()
        days = _Days()
        # tuple.__new__ builds the SupportRow without the Python frame of its __new__.
        new_row = functools.partial(tuple.__new__, SupportRow)
        for row_number, texts, day, written, warnings, search_name in self._valid:
            yield row_number, new_row((*texts, days[day], written)), warnings, search_name

    def issues(self):
        """(kind value, row_number, column, reason, values) of every kept issue, in file order."""
        self.flush()
        yield from self._issues

    def report_message(self):
        """The note on an upload whose report leaves issues out (a dry run's); else ""."""
        if self.issues_kept >= self.issues_total:
            return ""
        return (
            f"Solo validar: el reporte incluye las primeras {self.issues_kept:,} de "
            f"{self.issues_total:,} incidencias. Corrija el archivo y valídelo de nuevo."
        )


class _Days(dict):
    """Ordinal -> date, each made once: a file holds few distinct dates."""

    def __missing__(self, ordinal):
        day = self[ordinal] = datetime.date.fromordinal(ordinal)
        return day
