"""THE calendar of the project: calendar months, partial months and period labels.

Every module that groups by month, labels a month or decides whether a month is complete calls
this one. The rules (DESIGN.md):

* A period is a calendar month, labelled ``YYYY-MM`` (:data:`MONTH_FORMAT`), or ``all``
  (:data:`ALL`) for the whole range of the data.
* A month is *partial* when the data's date range (first to last date, whole days) does not cover
  it entirely: the first month unless the data start on its 1st, the last month unless they end
  on its last day. Partial months are reported and flagged; growth KPIs leave them out.
* Months are numbered ``year * 12 + month - 1`` (:func:`month_codes`), so consecutive months
  differ by 1 and a label is ``f"{code // 12:04d}-{code % 12 + 1:02d}"`` (:func:`code_label`).

How a month is *shown* to a person ("January 2025", "januar 2025") is :mod:`kpi_helpers.display`'s
job; this module only knows the machine form.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ALL",
    "MONTH_FORMAT",
    "code_label",
    "is_month_label",
    "month_codes",
    "month_label",
    "month_table",
    "months_present",
    "period_labels",
]

ALL = "all"
"""The period label of the whole date range."""

MONTH_FORMAT = "%Y-%m"
"""``strftime`` format of a month label: ``2025-01``."""

_MONTH_LABEL = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def is_month_label(text: Any) -> bool:
    """True for a month label ``YYYY-MM`` (month 01-12).

    >>> is_month_label("2025-01"), is_month_label("2025-13"), is_month_label("all")
    (True, False, False)
    """
    return isinstance(text, str) and bool(_MONTH_LABEL.match(text))


def code_label(code: int) -> str:
    """The label of a month code (``year * 12 + month - 1``).

    >>> code_label(2025 * 12 + 0)
    '2025-01'
    """
    code = int(code)
    return f"{code // 12:04d}-{code % 12 + 1:02d}"


def month_label(value: Any) -> str:
    """The ``YYYY-MM`` label of one date-like value.

    >>> month_label("2025-03-31")
    '2025-03'
    """
    return pd.Timestamp(value).strftime(MONTH_FORMAT)


def month_codes(dates: pd.Series) -> np.ndarray:
    """Month codes ``year * 12 + month - 1`` (int64) of a datetime Series without missing values."""
    d = pd.to_datetime(dates)
    return d.dt.year.to_numpy(dtype="int64") * 12 + d.dt.month.to_numpy(dtype="int64") - 1


def period_labels(dates: pd.Series) -> pd.Series:
    """``YYYY-MM`` labels of a datetime Series, with its index (named ``period``, dtype ``str``).

    Each distinct month is formatted once, so a log of millions of rows formats a few dozen labels.

    >>> period_labels(pd.Series(pd.to_datetime(["2025-01-31", "2025-02-01"]))).tolist()
    ['2025-01', '2025-02']
    """
    codes = month_codes(dates)
    uniq, inverse = np.unique(codes, return_inverse=True)
    labels = np.array([code_label(c) for c in uniq], dtype=object)
    return pd.Series(labels[inverse], index=dates.index, name="period", dtype="str")


def months_present(dates: pd.Series) -> np.ndarray:
    """Sorted distinct month codes (see :func:`month_codes`) of a datetime column; NaT ignored.

    >>> months_present(pd.Series(pd.to_datetime(["2025-03-02", "2025-01-09", None])))
    array([24300, 24302])
    """
    d = pd.to_datetime(dates).dropna()
    # distinct days first: a long log has few of them, so only those are turned into months
    days = pd.Series(d.dt.normalize().unique())
    return np.unique(month_codes(days))


def month_table(first: Any, last: Any) -> pd.DataFrame:
    """Calendar months from ``first`` to ``last`` and whether each is only partly covered.

    A month is *partial* when the range first..last (dates, inclusive; times ignored) does not
    cover it entirely: the first month unless ``first`` is its 1st, the last month unless
    ``last`` is its last day.

    Returns
    -------
    DataFrame with columns ``period`` (``YYYY-MM``, str, ascending) and ``partial`` (bool); empty
    when either end is missing.

    Raises
    ------
    ValueError
        When ``last`` is before ``first``.

    Examples
    --------
    >>> month_table("2024-01-15", "2024-03-31")
        period  partial
    0  2024-01     True
    1  2024-02    False
    2  2024-03    False
    """
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return pd.DataFrame({"period": pd.Series([], dtype="str"), "partial": pd.Series([], dtype=bool)})
    first = pd.Timestamp(first).normalize()
    last = pd.Timestamp(last).normalize()
    if last < first:
        raise ValueError(f"last ({last:%Y-%m-%d}) is before first ({first:%Y-%m-%d})")
    periods = pd.period_range(first, last, freq="M")
    starts = periods.start_time.normalize()
    ends = periods.end_time.normalize()
    partial = np.asarray((starts < first) | (ends > last), dtype=bool)
    return pd.DataFrame({"period": pd.Series([str(p) for p in periods], dtype="str"), "partial": partial})
