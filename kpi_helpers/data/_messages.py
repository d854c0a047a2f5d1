"""Wording shared by the data modules' messages: values, row lists, names (private to data/).

Decides how a value, a list of spreadsheet rows and a list of names appear in a one-line
:class:`~kpi_helpers.data.errors.DataError` message or warning.
"""
from __future__ import annotations

import datetime as _dt
import math
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..i18n import tr

#: At most this many rows or values are listed in a message ("and 12 more").
MAX_LISTED = 5


def short_value(v: Any, width: int = 30) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        s = ""
    elif isinstance(v, (pd.Timestamp, _dt.datetime)) and not pd.isna(v):
        ts = pd.Timestamp(v)
        s = ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M")
    elif isinstance(v, (float, np.floating)) and float(v).is_integer():
        s = str(int(v))
    else:
        s = str(v)
    s = printable(s.strip())
    return s if len(s) <= width else s[: width - 3] + "..."


def printable(s: str) -> str:
    """Control characters as escapes (a newline in a value must not split the one-line message)."""
    if s.isprintable():
        return s
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in s)


def rows_text(rows: list[int], values: list[str] | None = None) -> str:
    n = len(rows)
    shown = ", ".join(str(r) for r in rows[:MAX_LISTED])
    txt = tr("row {rows}", rows=shown) if n == 1 else tr("rows {rows}", rows=shown)
    if n > MAX_LISTED:
        txt = tr("{rows} and {n} more", rows=txt, n=n - MAX_LISTED)
    if values is not None:
        txt += ": " + ", ".join(values[:MAX_LISTED])
    return txt


def quote_list(names: Iterable[str]) -> str:
    """Names quoted and comma-separated, control characters escaped."""
    return ", ".join(f"'{printable(str(n))}'" for n in names)


def display_name(path: Path) -> str:
    """How a file is named in messages: ``<folder>/<file name>``."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def clean_name(name: Any) -> str:
    """A header name as compared with canonical names: no byte-order mark, no spaces around."""
    return str(name).replace("\ufeff", "").strip()
