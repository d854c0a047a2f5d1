"""The one error of reading case data, :class:`DataError`, and what kinds of problem it names.

Decides: what a data problem carries besides its message (``kind``, file, column, spreadsheet rows,
what was expected), so that code deciding what to do with a problem asks ``err.kind`` and never
reads the wording. The message is for people and may be reworded; the kinds are a fixed vocabulary:

=================== ==========================================================================
kind                meaning
=================== ==========================================================================
missing_file        no file for a required table, a file given that does not exist, or the
                    data folder does not exist
empty_file          the file has nothing in it (not even a header row)
no_rows             the file has a header but no data rows
unreadable          the file cannot be read as a table: wrong or unknown encoding, NUL bytes,
                    not a workbook or Parquet file, a row with more fields than the header,
                    a quote never closed
missing_column      a required column is not in the file
ambiguous           two readings are possible and the reader will not guess: two files for one
                    table, two columns that could be the same canonical column, a column name
                    twice in the header, ``16,760`` (thousands or decimals), ``03/04/2025`` (day
                    or month first), two sheets with the table, amounts in two currencies
bad_map             the column map is malformed or does not fit the file or the case
bad_value           values that are not of the column's kind, out of range, empty where
                    required, not unique, or break a row rule (``clicks <= impressions``)
bad_reference       values not found in the table they refer to (a timesheet's project_id that
                    is not in projects)
strict              warnings of the data check (duplicate rows, a total row, mojibake, ...) made
                    an error by ``strict=True`` (``--strict``)
=================== ==========================================================================

Standard library only: ``kpi-cases list`` and ``template`` import this without numpy or pandas.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

__all__ = ["DataError", "KINDS"]

#: The kinds of :class:`DataError` (see the module docstring).
KINDS: tuple[str, ...] = (
    "missing_file",
    "empty_file",
    "no_rows",
    "unreadable",
    "missing_column",
    "ambiguous",
    "bad_map",
    "bad_value",
    "bad_reference",
    "strict",
)


class DataError(ValueError):
    """A data file that cannot be used as it is.

    Attributes
    ----------
    kind : str
        What kind of problem, one of :data:`KINDS` (decide on this, not on the message).
    file : str or None
        The file, as shown to the user (``<folder>/<file name>``).
    column : str or None
        The canonical column concerned (or the source column of a column map).
    rows : list of int
        Spreadsheet row numbers of the offending rows (header = row 1), all of them.
    expected : str or None
        What was expected instead, in words.
    problems : list of DataError
        Every problem found in the same file (the first one is this error itself).
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str = "bad_value",
        file: str | None = None,
        column: str | None = None,
        rows: Iterable[int] = (),
        expected: str | None = None,
        path: Path | None = None,
        problems: Iterable["DataError"] = (),
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown DataError kind {kind!r} (kinds: {', '.join(KINDS)})")
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.file = file
        self.column = column
        self.rows = [int(r) for r in rows]
        self.expected = expected
        self.path = path
        self.problems = list(problems) or [self]

    def __str__(self) -> str:
        return self.message

    def _render_traceback_(self) -> list[str]:
        """How IPython shows this error in a notebook: the message alone, no pandas traceback."""
        return [f"DataError: {self.message}"]
