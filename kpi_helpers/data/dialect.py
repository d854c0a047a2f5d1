"""How a file is written: separator, decimal mark, day- or month-first dates, encoding, Excel sheet.

Decides: what a consultant may say about their files (:class:`Dialect`; ``None`` = detect), which
separators are detected (:data:`SEPARATORS`) and how a dialect is named in summaries.
Standard library only.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..i18n import tr

__all__ = ["Dialect", "SEPARATORS", "dialect_words"]

#: The separators a text file's header is sniffed for, in order of preference on a tie.
SEPARATORS: tuple[str, ...] = (",", ";", "\t")


@dataclass(frozen=True)
class Dialect:
    """How text files are written. ``None`` means: detect it.

    Parameters
    ----------
    sep : {",", ";", "\\t", None}
        Field separator; ``None`` sniffs ``,`` ``;`` or tab from the header line
        (``.tsv`` files default to tab). ``"tab"`` and ``"\\\\t"`` are accepted for tab.
    decimal : {".", ",", None}
        Decimal mark; ``None`` means ``,`` when the separator is not ``,`` and the numbers
        look like ``12,50``, else ``.``.
    dayfirst : bool
        Read ``01/02/2024`` and ``01-02-2024`` as day first (1 February). Dotted dates
        (``01.02.2024``) are always day first; ISO and ``YYYYMMDD`` are recognised anyway.
    monthfirst : bool
        Read ``01/02/2024`` as month first (January 2). With neither flag the order is detected:
        a first number above 12 means day first, a second number above 12 month first (each with a
        warning); slash dates with no number above 12 are an ``ambiguous`` :class:`DataError`.
    encoding : str or None
        Text encoding; ``None`` tries UTF-8 (with or without BOM; UTF-16 with a BOM)
        and falls back to Windows-1252 with a warning.
    sheet : str or None
        Excel: the sheet to read, or ``"all"`` to stack every sheet that has the table's columns;
        ``None`` reads the one sheet that has them (or the sheet named like the table); two such
        sheets are an ``ambiguous`` :class:`DataError`.
    """

    sep: str | None = None
    decimal: str | None = None
    dayfirst: bool = False
    encoding: str | None = None
    monthfirst: bool = False
    sheet: str | None = None

    def __post_init__(self) -> None:
        sep = self.sep
        if sep is not None:
            if sep.lower() in ("tab", "\\t"):
                sep = "\t"
            if len(sep) != 1:
                raise ValueError(f"sep must be one character such as ',' ';' or tab, not {self.sep!r}")
            object.__setattr__(self, "sep", sep)
        if self.decimal not in (None, ".", ","):
            raise ValueError(f"decimal must be '.' or ',', not {self.decimal!r}")
        if self.encoding is not None and not str(self.encoding).strip():
            object.__setattr__(self, "encoding", None)
        if self.dayfirst and self.monthfirst:
            raise ValueError("dayfirst and monthfirst exclude each other: dates are one or the other")
        if self.sheet is not None and not str(self.sheet).strip():
            object.__setattr__(self, "sheet", None)

    @property
    def date_order(self) -> bool | None:
        """True = day first, False = month first, None = detect from the data."""
        return True if self.dayfirst else (False if self.monthfirst else None)


def dialect_words(d: Dialect) -> str:
    """The dialect in words for a summary table, in the language now, e.g. ``sep ';', decimal ',', utf-8, day
    first`` (Bokmål: ``skilletegn ';', desimaltegn ',', utf-8, dagen først``)."""
    sep = tr("tab") if d.sep == "\t" else {",": "','", ";": "';'"}.get(d.sep or ",", repr(d.sep))
    values = {"sep": sep, "decimal": d.decimal, "encoding": d.encoding}
    if d.dayfirst:
        return tr("sep {sep}, decimal '{decimal}', {encoding}, day first", **values)
    if d.monthfirst:
        return tr("sep {sep}, decimal '{decimal}', {encoding}, month first", **values)
    return tr("sep {sep}, decimal '{decimal}', {encoding}", **values)
