"""Parsers: one raw column (text cells, Excel or Parquet natives) to the values of its kind.

Decides what counts as a number (decimal point or comma, thousands separators, a minus sign),
a date (ISO, ``YYYYMMDD``, dotted day-first, slashed with ``dayfirst``), a time of day (HH:MM) and
a text (stripped; empty = missing), and guesses the decimal mark when it is not given.

Each parser returns ``(values, bad)``: ``bad`` marks non-empty cells that could not be parsed;
empty cells are NaN/NaT in ``values`` and not bad. Wording the problems is for validation.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ._messages import short_value
from .schemas import TableSpec

__all__ = [
    "is_text_dtype",
    "split_raw",
    "parse_number",
    "text_dates",
    "parse_date",
    "parse_time",
    "parse_text",
    "sniff_decimal",
    "slash_date_order",
    "thousands_ambiguity",
]


def is_text_dtype(s: pd.Series) -> bool:
    """True for pandas' string dtype (the text reader's columns)."""
    return isinstance(s.dtype, pd.StringDtype)


def split_raw(s: pd.Series) -> tuple[pd.Series, pd.Series | None]:
    """Split a raw column into stripped text ('' where empty or native) and native values.

    CSV columns are all text; Excel (object) columns mix text with numbers, datetimes, times;
    Parquet columns are typed. Natives are returned as an object Series (None where text/empty),
    or None when there are none.
    """
    if is_text_dtype(s):
        return s.fillna("").str.strip(), None
    if s.dtype == object:
        arr = s.to_numpy(dtype=object)  # not s.array: indexing an extension array per cell is 10x slower
        is_str = np.fromiter((isinstance(v, str) for v in arr), dtype=bool, count=len(arr))
        text = pd.Series(np.where(is_str, arr, ""), index=s.index, dtype="str").str.strip()
        nat_mask = ~is_str & ~pd.isna(arr)
        native = pd.Series(np.where(nat_mask, arr, None), index=s.index, dtype=object)
        return text, (native if nat_mask.any() else None)
    # typed (Parquet): everything native
    text = pd.Series("", index=s.index, dtype="str")
    native = s.astype(object).where(s.notna(), None)
    return text, native


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


# --------------------------------------------------------------------------- parsers
# Each parser returns (values, bad) where bad marks non-empty cells that could not be parsed;
# empty cells are NaN/NaT in values and not bad.
_THOUSANDS_SPACE = "[ \u00a0\u202f'\u2019]"
_NUM_RE = {
    ".": (
        re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"),
        re.compile(r"[+-]?\d{1,3}(?:(?:,\d{3})+|(?:" + _THOUSANDS_SPACE + r"\d{3})+)(?:\.\d*)?"),
    ),
    ",": (
        re.compile(r"[+-]?(?:\d+(?:,\d*)?|,\d+)"),
        re.compile(r"[+-]?\d{1,3}(?:(?:\.\d{3})+|(?:" + _THOUSANDS_SPACE + r"\d{3})+)(?:,\d*)?"),
    ),
}


def _text_numbers(text: pd.Series, decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse stripped text to float; returns (values, ok) -- ok False where non-empty and unparseable."""
    n = len(text)
    values = np.full(n, np.nan)
    nonempty = (text != "").to_numpy()
    ok = ~nonempty
    if not nonempty.any():
        return values, ok
    t = text.str.replace("\u2212", "-", regex=False)
    simple, thousands = _NUM_RE[decimal]
    m_simple = t.str.fullmatch(simple.pattern).fillna(False).to_numpy(dtype=bool) & nonempty
    m_thou = (~m_simple) & nonempty & t.str.fullmatch(thousands.pattern).fillna(False).to_numpy(dtype=bool)
    if m_simple.any():
        part = t[m_simple]
        if decimal == ",":
            part = part.str.replace(",", ".", regex=False)
        values[m_simple] = part.to_numpy(dtype=object).astype("float64")
    if m_thou.any():
        part = t[m_thou].str.replace(r"[ \u00a0\u202f'\u2019" + ("." if decimal == "," else ",") + "]", "",
                                     regex=True)
        if decimal == ",":
            part = part.str.replace(",", ".", regex=False)
        values[m_thou] = part.to_numpy(dtype=object).astype("float64")
    ok = ok | m_simple | m_thou
    overflow = np.isinf(values)  # 1e400 matches the pattern but is no usable number
    if overflow.any():
        values[overflow] = np.nan
        ok = ok & ~overflow
    return values, ok


def parse_number(raw: pd.Series, decimal: str) -> tuple[pd.Series, np.ndarray]:
    """A raw column as float64 with ``decimal`` as the decimal mark; inf is bad."""
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        vals = raw.astype("float64").to_numpy()
        bad = np.isinf(vals)  # typed files (Parquet) can hold inf: not a usable number
        return pd.Series(np.where(bad, np.nan, vals), index=raw.index, dtype="float64"), bad
    text, native = split_raw(raw)
    values, ok = _text_numbers(text, decimal)
    bad = ~ok
    if native is not None:
        for i, v in enumerate(native.to_numpy(dtype=object)):
            if v is None:
                continue
            if _is_number(v) and not math.isinf(float(v)):
                values[i] = float(v)
            else:
                bad[i] = True
    return pd.Series(values, index=raw.index, dtype="float64"), bad


# [0-9], not \d: \d also matches other scripts' digits ('２０２４'), which int parsing then rejects
_TIME_PART = r"(?:[T ]+[0-9]{1,2}[:.][0-9]{2}(?:[:.][0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
_DATE_ISO = re.compile(r"(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})" + _TIME_PART)
_DATE_COMPACT = re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})")
_DATE_DOTTED = re.compile(r"(?P<d>[0-9]{1,2})\.\s?(?P<m>[0-9]{1,2})\.\s?(?P<y>[0-9]{4}|[0-9]{2})\.?" + _TIME_PART)
_DATE_SLASH = re.compile(r"(?P<a>[0-9]{1,2})[/-](?P<b>[0-9]{1,2})[/-](?P<y>[0-9]{4}|[0-9]{2})" + _TIME_PART)


def slash_date_order(text: pd.Series) -> tuple[str | None, str | None]:
    """How the slash dates (``03/04/2025``, ``03-04-25``) in stripped text can be read.

    Returns ``(order, example)``: order None (no slash dates), ``"day"`` (a first number above 12
    and no second one: day first is the only reading), ``"month"`` (the reverse), ``"ambiguous"``
    (no number above 12: both readings give valid, different dates) or ``"mixed"`` (both above 12
    somewhere: no order reads every date); ``example`` is a value that shows it.
    """
    uniq = pd.Series(pd.unique(text[text != ""]), dtype="str")
    if uniq.empty:
        return None, None
    parts = uniq.str.extract("^" + _DATE_SLASH.pattern + "$")
    hit = parts["a"].notna().to_numpy()
    if not hit.any():
        return None, None
    a = pd.to_numeric(parts.loc[hit, "a"]).to_numpy()
    b = pd.to_numeric(parts.loc[hit, "b"]).to_numpy()
    vals = uniq[hit].to_numpy(dtype=object)
    a_big, b_big = a > 12, b > 12
    if a_big.any() and b_big.any():
        return "mixed", str(vals[np.flatnonzero(b_big)[0]])
    if a_big.any():
        return "day", str(vals[np.flatnonzero(a_big)[0]])
    if b_big.any():
        return "month", str(vals[np.flatnonzero(b_big)[0]])
    differ = a != b  # 05/05/2025 reads the same both ways: show one that does not
    return "ambiguous", str(vals[np.flatnonzero(differ)[0] if differ.any() else 0])


def thousands_ambiguity(text: pd.Series) -> tuple[str, list[int]] | None:
    """``(mark, positions)`` when every number with a separator has one ``.`` or ``,`` and exactly three
    digits after it (``16,760``, ``-1.250``): the mark may group thousands or be the decimal mark.

    ``positions`` are the positions of those values in ``text`` (stripped text); None when any
    value rules one reading out (``1,5``, ``1.234,50``, ``1,234,567``) or no value has a separator.
    """
    with_sep = text.str.contains(r"[.,]", regex=True).fillna(False).to_numpy(dtype=bool)
    if not with_sep.any():
        return None
    sub = text[with_sep]
    if not sub.str.fullmatch(r"[+\-\u2212]?[0-9]{1,3}[.,][0-9]{3}").fillna(False).all():
        return None
    marks = set(sub.str.extract(r"([.,])")[0])
    if len(marks) != 1:
        return None
    return marks.pop(), np.flatnonzero(with_sep).tolist()


def _ymd_to_dates(y: pd.Series, m: pd.Series, d: pd.Series) -> np.ndarray:
    yy = pd.to_numeric(y).to_numpy(dtype=np.int64)
    yy = np.where(y.str.len().to_numpy() <= 2, yy + 2000, yy)  # '24' -> 2024, but '0024' stays 24
    frame = pd.DataFrame({
        "year": yy,
        "month": pd.to_numeric(m).to_numpy(dtype=np.int64),
        "day": pd.to_numeric(d).to_numpy(dtype=np.int64),
    })
    out = pd.to_datetime(frame, errors="coerce")
    return out.to_numpy(dtype="datetime64[us]")


def _by_unique(func, text: pd.Series, *args) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``func(text, *args) -> (values, ok)`` to the distinct values only (dates repeat a lot)."""
    codes, uniques = pd.factorize(text)
    if len(uniques) * 2 > len(text):
        return func(text, *args)
    vals, ok = func(pd.Series(np.asarray(uniques, dtype=object), dtype="str"), *args)
    return vals[codes], ok[codes]


def text_dates(text: pd.Series, dayfirst: bool) -> tuple[np.ndarray, np.ndarray]:
    """Stripped text to ``datetime64[us]`` dates; returns (values, ok), parsed once per distinct value."""
    return _by_unique(_text_dates_all, text, dayfirst)


def _text_dates_all(text: pd.Series, dayfirst: bool) -> tuple[np.ndarray, np.ndarray]:
    n = len(text)
    values = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    nonempty = (text != "").to_numpy()
    done = ~nonempty
    for rx in (_DATE_ISO, _DATE_COMPACT, _DATE_DOTTED, _DATE_SLASH):
        todo = ~done
        if not todo.any():
            break
        sub = text[todo]
        parts = sub.str.extract("^" + rx.pattern + "$")
        hit = parts.iloc[:, 0].notna().to_numpy()
        if not hit.any():
            continue
        parts = parts[hit]
        if rx is _DATE_SLASH:
            dd, mm = (parts["a"], parts["b"]) if dayfirst else (parts["b"], parts["a"])
        else:
            dd, mm = parts["d"], parts["m"]
        idx = np.flatnonzero(todo)[hit]
        values[idx] = _ymd_to_dates(parts["y"], mm, dd)
        done[idx] = True  # matched the pattern; invalid dates (2024-02-30) stay NaT -> bad below
    ok = ~nonempty | ~np.isnat(values)
    return values, ok


def _native_date(v: Any) -> np.datetime64 | None:
    if isinstance(v, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        ts = pd.Timestamp(v)
        if ts.tzinfo is not None:
            ts = ts.tz_localize(None)
        return ts.normalize().to_datetime64().astype("datetime64[us]")
    if _is_number(v) and float(v).is_integer() and 10000101 <= int(v) <= 99991231:
        s = str(int(v))
        try:
            return np.datetime64(_dt.date(int(s[:4]), int(s[4:6]), int(s[6:])), "us")
        except ValueError:
            return None
    return None


def parse_date(raw: pd.Series, dayfirst: bool) -> tuple[pd.Series, np.ndarray]:
    """A raw column as dates at midnight (``datetime64[us]``); Excel dates and ``YYYYMMDD`` numbers too."""
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        s = raw
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        vals = s.dt.normalize().to_numpy(dtype="datetime64[us]")
        return pd.Series(vals, index=raw.index), np.zeros(len(raw), dtype=bool)
    text, native = split_raw(raw)
    values, ok = text_dates(text, dayfirst)
    bad = ~ok
    if native is not None:
        for i, v in enumerate(native.to_numpy(dtype=object)):
            if v is None:
                continue
            d = _native_date(v)
            if d is None:
                bad[i] = True
            else:
                values[i] = d
    return pd.Series(values, index=raw.index, dtype="datetime64[us]"), bad


_TIME_RE = re.compile(r"(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[T ]+)?(?P<h>[0-9]{1,2})[:.](?P<m>[0-9]{2})(?:[:.](?P<s>[0-9]{2}))?")


def parse_time(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since midnight (float, NaN = empty) and bad mask."""
    if pd.api.types.is_timedelta64_dtype(raw.dtype):
        secs = raw.dt.total_seconds().to_numpy(dtype=float)
        bad = (secs < 0) | (secs >= 86400)
        return np.where(bad, np.nan, secs), bad
    text, native = split_raw(raw)
    secs, ok = _by_unique(_text_times, text)
    bad = ~ok
    if native is not None:
        for i, v in enumerate(native.to_numpy(dtype=object)):
            if v is None:
                continue
            if isinstance(v, _dt.datetime) or isinstance(v, pd.Timestamp):
                v = v.time()
            if isinstance(v, _dt.time):
                secs[i] = v.hour * 3600 + v.minute * 60 + v.second
                bad[i] = False
            elif isinstance(v, (_dt.timedelta, pd.Timedelta)) and 0 <= v.total_seconds() < 86400:
                secs[i] = v.total_seconds()
                bad[i] = False
            else:
                bad[i] = True
    return secs, bad


def _text_times(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    secs = np.full(len(text), np.nan)
    nonempty = (text != "").to_numpy()
    parts = text.str.extract("^" + _TIME_RE.pattern + "$")
    hit = parts["h"].notna().to_numpy()
    if hit.any():
        h = pd.to_numeric(parts.loc[hit, "h"]).to_numpy(dtype=float)
        m = pd.to_numeric(parts.loc[hit, "m"]).to_numpy(dtype=float)
        s = pd.to_numeric(parts.loc[hit, "s"].fillna("0")).to_numpy(dtype=float)
        valid = (h < 24) & (m < 60) & (s < 60)
        secs[hit] = np.where(valid, h * 3600 + m * 60 + s, np.nan)
    return secs, ~nonempty | ~np.isnan(secs)


def parse_text(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """A raw column as stripped text (``"str"`` dtype, empty -> NaN); 12.0 read from Excel becomes '12'."""
    text, native = split_raw(raw)
    if native is not None:
        arr = text.to_numpy(dtype=object)
        for i, v in enumerate(native.to_numpy(dtype=object)):
            if v is None:
                continue
            if isinstance(v, (float, np.floating)) and float(v).is_integer():
                arr[i] = str(int(v))
            elif isinstance(v, (pd.Timestamp, _dt.datetime)):
                arr[i] = short_value(v, width=10**6)
            else:
                arr[i] = str(v).strip()
        text = pd.Series(arr, index=raw.index, dtype="str")
    values = text.where(text != "")
    return values.astype("str"), np.zeros(len(raw), dtype=bool)


def sniff_decimal(raw: pd.DataFrame, spec: TableSpec, cols: Mapping[str, str], sep: str | None) -> str:
    """',' when the separator is not ',' and the numbers read better with a decimal comma."""
    if sep == ",":
        return "."
    texts = []
    for c in spec.columns:
        if c.kind in ("number", "integer") and c.name in cols:
            s = raw[cols[c.name]]
            if is_text_dtype(s) or s.dtype == object:
                t = split_raw(s)[0]
                t = t[t != ""]
                texts.append(t.iloc[:20000])
    if not texts:
        return "."
    t = pd.concat(texts, ignore_index=True)
    if not t.str.contains(",", regex=False).any():
        return "."
    ok_comma = _text_numbers(t, ",")[1].sum()
    ok_dot = _text_numbers(t, ".")[1].sum()
    return "," if ok_comma >= ok_dot else "."

