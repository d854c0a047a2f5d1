"""Validation: a raw table becomes the canonical frame, or every problem becomes one DataError.

Decides which source column is which canonical column (exact name, then case-insensitive, then the
column map; two candidates are ``ambiguous``), which values are acceptable (kind, range, empty,
unique, row rules such as ``clicks <= impressions``, plausible dates), the times of day (the row's
date plus HH:MM, ``left_at`` past midnight on the next day) and the rules between tables declared in
the schemas (:class:`~kpi_helpers.data.schemas.Reference`, :class:`~kpi_helpers.data.schemas.Limit`).

Validation choice: **plain pandas, not pandera.** The type conversion is ours anyway (it has
to know decimal commas, day-first dates and spreadsheet row numbers), so pandera would only
have checked ranges and uniqueness -- a few vectorised lines here. Its failures come back as a
table of index positions and check names that would have to be mapped back to rows and
re-worded, and importing it costs about 0.25 s. Plain checks give the message we want
directly: file, column, spreadsheet rows, offending values and what was expected, e.g.
``startup/invoices.csv, column 'amount': 3 values are not numbers (rows 4, 9, 17: '12,5x',
'abc', 'n/a'); expected a number such as 1234.50 or 1234,50 with --decimal ,.``
Row numbers are spreadsheet rows: the header is row 1, the first data row is row 2.
"""
from __future__ import annotations

import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from ..i18n import get_language, language, tr, trn, using
from ._messages import MAX_LISTED, clean_name, quote_list, rows_text, short_value
from .dialect import SEPARATORS, Dialect
from .checks import mojibake_warnings, unwrap_excel_guards
from .errors import DataError
from .parsers import (is_text_dtype, parse_date, parse_number, parse_text, parse_time, slash_date_order,
                      sniff_decimal, split_raw, thousands_ambiguity)
from .schemas import CURRENCY_COLUMN, CURRENCY_NAMES, DATE_RANGE, ColumnSpec, TableSpec

__all__ = [
    "TableResult",
    "Problem",
    "problem",
    "raise_problems",
    "resolve_columns",
    "currency_source",
    "check_duplicate_headers",
    "check_table",
    "check_between_tables",
]


@dataclass(frozen=True)
class TableResult:
    """What :func:`read_table` returns: the frame and what was noticed on the way."""

    frame: pd.DataFrame
    file: str
    path: Path
    rows: np.ndarray  # spreadsheet row number of each frame row
    missing_columns: tuple[str, ...]
    warnings: tuple[str, ...]
    dialect: Dialect | None  # the dialect actually used (text files), else None
    columns_used: Mapping[str, str]  # canonical -> source column name
    # canonical id column -> (codes, sorted distinct values), when the reader had them anyway
    factorized: Mapping[str, tuple[np.ndarray, pd.Index]] = field(default_factory=dict, repr=False)
    # the currency column of each frame row (named after its source column), when the file has one
    currency: pd.Series | None = field(default=None, repr=False)


# --------------------------------------------------------------------------- column mapping

def resolve_columns(raw_cols: list[str], spec: TableSpec, table_map: Mapping[str, str],
                     star_map: Mapping[str, str], file: str, path: Path) -> dict[str, str]:
    """Return canonical name -> raw column name for the canonical columns found."""
    cleaned = {c: clean_name(c) for c in raw_cols}
    found_txt = quote_list(cleaned.values())

    def lookup(source: str) -> str | None:
        src = clean_name(source)
        exact = [c for c, cl in cleaned.items() if cl == src]
        if exact:
            return exact[0]
        folded = [c for c, cl in cleaned.items() if cl.casefold() == src.casefold()]
        return folded[0] if len(folded) == 1 else None

    chosen: dict[str, str] = {}
    sources_used: set[str] = set()
    for source, target in table_map.items():  # the table's own map: every entry must fit
        target = clean_name(target)
        if target == CURRENCY_COLUMN:
            continue  # not a frame column: see currency_source()
        if target not in spec.column_names:
            raise DataError(
                tr("{file}: the column map sends '{source}' to '{target}', which is not a column of {table}; expected "
                   "one of {columns}.", file=file, source=clean_name(source), target=target, table=spec.name,
                   columns=", ".join(spec.column_names)),
                kind="bad_map", file=file, column=clean_name(source), path=path, expected=", ".join(spec.column_names))
        col = lookup(source)
        if col is None:
            raise DataError(_not_in_file(file, clean_name(source), found_txt), kind="bad_map", file=file,
                            column=clean_name(source), path=path, expected=f"one of {found_txt}")
        if target in chosen:
            raise DataError(
                tr("{file}: the column map sends both '{first}' and '{second}' to '{target}'; expected one source "
                   "column per canonical column.", file=file, first=cleaned[chosen[target]], second=clean_name(source),
                   target=target),
                kind="bad_map", file=file, column=target, path=path, expected="one source column per canonical column")
        chosen[target] = col
        sources_used.add(col)
    for source, target in star_map.items():  # the map for all tables: applies where it fits
        target = clean_name(target)
        if target not in spec.column_names or target in chosen:
            continue
        col = lookup(source)
        if col is None or col in sources_used:
            continue
        chosen[target] = col
        sources_used.add(col)
    for name in spec.column_names:
        if name in chosen:
            continue
        candidates = [c for c, cl in cleaned.items() if c not in sources_used and cl == name]
        if not candidates:
            candidates = [c for c, cl in cleaned.items() if c not in sources_used and cl.casefold() == name]
        if len(candidates) > 1:
            raise DataError(
                tr("{file}: several columns could be '{name}' ({candidates}); expected exactly one, or a column map "
                   "saying which.", file=file, name=name, candidates=quote_list(cleaned[c] for c in candidates)),
                kind="ambiguous", file=file, column=name, path=path, expected="one column per name")
        if candidates:
            chosen[name] = candidates[0]
            sources_used.add(candidates[0])
    return chosen


def _not_in_file(file: str, column: str, found: str) -> str:
    return tr("{file}: column '{column}' from the column map is not in the file (columns found: {found}); expected "
              "one of these names on the left of the map.", file=file, column=column, found=found)


def check_duplicate_headers(source: list[str], raw_cols: list[str], chosen: Mapping[str, str],
                             file: str, path: Path) -> None:
    """A column used by the reader whose name is in the header twice: which one is meant is a guess."""
    cleaned = [clean_name(n) for n in source]
    for canonical, col in chosen.items():
        pos = raw_cols.index(col)
        name = cleaned[pos]
        where = [i + 1 for i, n in enumerate(cleaned) if n == name]
        if len(where) > 1:
            values = {"file": file, "column": name, "n": len(where), "positions": ", ".join(map(str, where))}
            raise DataError(
                tr("{file}: column '{column}' appears {n} times in the header (columns {positions}); expected each "
                   "column once. Rename or remove the extra one (or map one onto '{canonical}' with --map).",
                   canonical=canonical, **values) if name != canonical else
                tr("{file}: column '{column}' appears {n} times in the header (columns {positions}); expected each "
                   "column once. Rename or remove the extra one.", **values),
                kind="ambiguous", file=file, column=name, path=path, expected="each column name once in the header")


def currency_source(raw_cols: list[str], table_map: Mapping[str, str], star_map: Mapping[str, str],
                    file: str, path: Path) -> str | None:
    """The raw column that holds the currency: mapped onto ``currency``, else named like one of
    :data:`CURRENCY_NAMES` (any case); None when there is none."""
    cleaned = {c: clean_name(c) for c in raw_cols}
    for mapping, must in ((table_map, True), (star_map, False)):
        for source, target in mapping.items():
            if clean_name(target) != CURRENCY_COLUMN:
                continue
            hits = [c for c, cl in cleaned.items() if cl.casefold() == clean_name(source).casefold()]
            if hits:
                return hits[0]
            if must:
                raise DataError(
                    _not_in_file(file, clean_name(source), quote_list(cleaned.values())),
                    kind="bad_map", file=file, column=clean_name(source), path=path, expected="a column of the file")
    named = [c for c, cl in cleaned.items() if cl.casefold() in CURRENCY_NAMES]
    if len(named) > 1:
        raise DataError(
            tr("{file}: several columns could be the currency ({names}); expected one, or --map TABLE.NAME=currency "
               "saying which.", file=file, names=quote_list(cleaned[c] for c in named)), kind="ambiguous", file=file, column=CURRENCY_COLUMN,
            path=path, expected="one currency column")
    return named[0] if named else None


# --------------------------------------------------------------------------- problems
@dataclass
class Problem:
    """One problem in one column: the offending rows and values, in words; many make one DataError.

    ``what`` is what is wrong, as a clause with the number of rows (``3 values are not numbers``), and
    ``expected_text`` what was expected, both in the language now; ``expected`` is what was expected in
    English, kept in :attr:`DataError.expected` (``expected_text`` None: the same words).
    """

    column: str
    rows: list[int]
    values: list[str] | None
    what: str
    expected: str
    kind: str = "bad_value"
    expected_text: str | None = None

    def message(self, file: str) -> str:
        return tr("{file}, column '{column}': {what} ({rows}); expected {expected}.", file=file, column=self.column,
                  what=self.what, rows=rows_text(self.rows, self.values), expected=self.expected_text or self.expected)

    def short(self) -> str:
        return tr("column '{column}' ({what})", column=self.column, what=self.what)


def raise_problems(problems: list[Problem], file: str, path: Path) -> None:
    """Raise one DataError for every problem in ``file`` (the first in full, the others named); none: return."""
    if not problems:
        return
    errors = [DataError(p.message(file), kind=p.kind, file=file, column=p.column, rows=p.rows,
                        expected=p.expected, path=path)
              for p in problems]
    first = errors[0]
    msg = first.message
    if len(problems) > 1:
        msg = tr("{message} Further problems in this file: {problems}.", message=msg,
                 problems="; ".join(p.short() for p in problems[1:]))
    raise DataError(msg, kind=first.kind, file=file, column=first.column, rows=first.rows, expected=first.expected,
                    path=path, problems=errors)


def problem(column: str, rows: np.ndarray, raw_display: pd.Series | None, mask: np.ndarray,
            what: Callable[[int], str], expected: Callable[[], str], kind: str = "bad_value") -> Problem:
    """The :class:`Problem` of the rows where ``mask`` holds (their values shown from ``raw_display``).

    ``what(n)`` says what is wrong with ``n`` rows and ``expected()`` what was expected, each with
    :func:`~kpi_helpers.i18n.tr` (``expected`` is called in English too, for :attr:`DataError.expected`).
    """
    idx = np.flatnonzero(mask)
    values = None
    if raw_display is not None:
        values = ["'" + short_value(raw_display.iloc[i]) + "'" for i in idx[:MAX_LISTED]]
    english, shown = _english_and_now(expected)
    return Problem(column, rows[idx].tolist(), values, what(len(idx)), english, kind, shown)


def _english_and_now(text: Callable[[], str]) -> tuple[str, str]:
    """A text made with tr(): in English (what :attr:`DataError.expected` keeps) and in the language now."""
    now = text()
    if get_language() == "en":
        return now, now
    with using("en"):
        return text(), now


def _date_expectation(dayfirst: bool) -> str:
    return (tr("a date such as 2024-01-31, 20240131 or 31.01.2024 (31/01/2024 is read day first)") if dayfirst else
            tr("a date such as 2024-01-31, 20240131 or 31.01.2024 (31/01/2024 with --dayfirst)"))


def _number_expectation(col: ColumnSpec, decimal: str) -> str:
    if col.kind == "integer":
        return col.expectation()
    example = tr("a number such as 1234.50 or 1234,50 with --decimal ,") if decimal == "." else \
        tr("a number with a decimal comma such as 1234,50 or 1 234,50 (or --decimal . for 1234.50)")
    rng = col.constraint()
    return example + (f", {rng}" if rng else "")


def _order_what(n: int, word: str, other: str) -> str:
    """``n`` values that break a row rule against column ``other``: after, before, above or below it."""
    if word == "after":
        return trn("{n} value is after {other}", "{n} values are after {other}", n, other=other)
    if word == "before":
        return trn("{n} value is before {other}", "{n} values are before {other}", n, other=other)
    if word == "above":
        return trn("{n} value is above {other}", "{n} values are above {other}", n, other=other)
    return trn("{n} value is below {other}", "{n} values are below {other}", n, other=other)


# --------------------------------------------------------------------------- one table
def check_table(path: Path, spec: TableSpec, column_map: Mapping[str, str] | None, dialect: Dialect,
                 star_map: Mapping[str, str] | None, file: str, raw: pd.DataFrame, rows: np.ndarray,
                 used_dialect: Dialect | None, warnings: list[str], preparsed: Iterable[str] = (),
                 factorized: Mapping[str, tuple[np.ndarray, pd.Index]] | None = None) -> TableResult:
    """Turn a raw table into the canonical frame: the conversions and checks of :func:`read_table`.

    ``preparsed`` raw columns already hold their final values (the fast text reader parsed them once
    per distinct value); ``factorized`` (canonical column -> codes, sorted distinct values) is kept
    for :meth:`CaseData.factorize`.
    """
    preparsed = set(preparsed)
    factorized = dict(factorized or {})
    source_columns = raw.attrs.pop("source_columns", None)

    # drop blank rows (keeping the spreadsheet row numbers of the others)
    if len(raw.columns):
        blank = np.ones(len(raw), dtype=bool)
        for c in raw.columns:
            s = raw[c]
            if c in preparsed or not (is_text_dtype(s) or s.dtype == object):
                blank &= s.isna().to_numpy()  # typed values (Parquet, parsed): blank = missing
                continue
            text, native = split_raw(s)
            blank &= (text == "").to_numpy()
            if native is not None:
                blank &= native.isna().to_numpy()
        if blank.any():
            raw = raw.loc[~blank].reset_index(drop=True)
            rows = rows[~blank]
            factorized = {k: (codes[~blank], u) for k, (codes, u) in factorized.items()}
    if len(raw) == 0:
        raise DataError(
            tr("{file}: no data rows (only a header); expected at least one row below the header.", file=file),
            kind="no_rows", file=file, path=path, expected="at least one data row")

    cols = resolve_columns(list(raw.columns), spec, column_map or {}, star_map or {}, file, path)
    check_duplicate_headers(source_columns or list(raw.columns), list(raw.columns), cols, file, path)
    missing_req = [c for c in spec.required_columns if c not in cols]
    if missing_req:
        values = {"file": file, "column": missing_req[0], "columns": quote_list(missing_req), "table": spec.name,
                  "found": quote_list(clean_name(c) for c in raw.columns),
                  "expected": ", ".join(spec.required_columns)}
        if len(raw.columns) == 1 and any(ch in clean_name(raw.columns[0]) for ch in SEPARATORS):
            message = trn(
                "{file}: required column '{column}' is missing (columns found: {found}); expected columns "
                "{expected}. The header was read as one column: is the separator right (--sep)?",
                "{file}: required columns {columns} are missing (columns found: {found}); expected columns "
                "{expected}. The header was read as one column: is the separator right (--sep)?",
                len(missing_req), **values)
        else:
            message = trn(
                "{file}: required column '{column}' is missing (columns found: {found}); expected columns "
                "{expected}. Rename the column, or map your own name onto it (--map {table}.YOUR_NAME={column}).",
                "{file}: required columns {columns} are missing (columns found: {found}); expected columns "
                "{expected}. Rename the columns, or map your own names onto them (--map {table}.YOUR_NAME={column}).",
                len(missing_req), **values)
        raise DataError(
            message,
            kind="missing_column", file=file, column=missing_req[0], path=path, expected=", ".join(spec.required_columns))
    missing_opt = tuple(c for c in spec.optional_columns if c not in cols)
    cur_col = currency_source(list(raw.columns), column_map or {}, star_map or {}, file, path)

    raw, guarded = unwrap_excel_guards(raw, {c: r for c, r in cols.items() if r not in preparsed}, rows, file)
    warnings = [*warnings, *guarded]
    decimal = dialect.decimal or sniff_decimal(raw, spec, cols, used_dialect.sep if used_dialect else None)
    if dialect.decimal is None:
        _check_thousands(raw, spec, cols, preparsed, rows, file, path, decimal)
    order = _date_order(raw, spec, cols, preparsed, rows, file, path, dialect, warnings)
    dayfirst = order == "day"
    if used_dialect is not None:
        used_dialect = Dialect(sep=used_dialect.sep, decimal=decimal, dayfirst=dayfirst, monthfirst=order == "month",
                               encoding=used_dialect.encoding, sheet=dialect.sheet)

    out: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    empties: dict[str, np.ndarray] = {}
    for col in spec.columns:
        if col.name not in cols or col.kind == "time":
            continue
        s = raw[cols[col.name]]
        if cols[col.name] in preparsed:
            values, bad = s, np.zeros(len(s), dtype=bool)
        elif col.kind in ("id", "text"):
            values, bad = parse_text(s)
        elif col.kind == "date":
            values, bad = parse_date(s, dayfirst)
            if bad.any():
                problems.append(problem(col.name, rows, s, bad,
                                        lambda n: trn("{n} value is not a date", "{n} values are not dates", n),
                                        lambda: _date_expectation(dayfirst)))
        else:
            values, bad = parse_number(s, decimal)
            if bad.any():
                problems.append(problem(col.name, rows, s, bad,
                                        lambda n: trn("{n} value is not a number", "{n} values are not numbers", n),
                                        lambda: _number_expectation(col, decimal)))
        if col.kind == "date":  # also for dates the fast reader parsed
            lo, hi = (np.datetime64(d, "us") for d in DATE_RANGE)
            arr = values.to_numpy(dtype="datetime64[us]")
            implausible = ~np.isnat(arr) & ((arr < lo) | (arr > hi))
            if implausible.any():
                problems.append(problem(
                    col.name, rows, s, implausible,
                    lambda n: trn("{n} date is out of range", "{n} dates are out of range", n),
                    lambda: tr("a date from {first} to {last}", first=DATE_RANGE[0], last=DATE_RANGE[1])))
                values = values.where(~implausible)
                bad = bad | implausible
        if col.kind == "integer":
            arr = values.to_numpy()
            frac = ~bad & ~np.isnan(arr) & (arr != np.round(arr))
            if frac.any():
                problems.append(problem(
                    col.name, rows, s, frac,
                    lambda n: trn("{n} value is not a whole number", "{n} values are not whole numbers", n),
                    col.expectation))
                bad = bad | frac
        empty = values.isna().to_numpy() & ~bad
        empties[col.name] = empty
        if not col.nullable and empty.any():
            problems.append(problem(col.name, rows, None, empty, _empty_what,
                                    lambda: tr("{expected} in every row", expected=col.expectation())))
        if col.kind in ("number", "integer") and (col.min is not None or col.max is not None):
            arr = values.to_numpy()
            out_of = np.zeros(len(arr), dtype=bool)
            with np.errstate(invalid="ignore"):
                if col.min is not None:
                    out_of |= (arr <= col.min) if col.min_exclusive else (arr < col.min)
                if col.max is not None:
                    out_of |= arr > col.max
            out_of &= ~np.isnan(arr)
            if out_of.any():
                problems.append(problem(
                    col.name, rows, s, out_of,
                    lambda n: trn("{n} value is out of range", "{n} values are out of range", n),
                    col.expectation))
        if col.unique:
            dup = (values.duplicated(keep=False) & values.notna()).to_numpy()
            if dup.any():
                problems.append(problem(
                    col.name, rows, s, dup,
                    lambda n: trn("{n} value appears more than once", "{n} values appear more than once", n),
                    lambda: tr("each {column} only once", column=col.name)))
        out[col.name] = values

    # times: the row's date plus HH:MM; left_at past midnight moves to the next day
    time_cols = [c for c in spec.columns if c.kind == "time" and c.name in cols]
    secs: dict[str, np.ndarray] = {}
    for col in time_cols:
        s = raw[cols[col.name]]
        sec, bad = parse_time(s)
        if bad.any():
            problems.append(problem(col.name, rows, s, bad,
                                    lambda n: trn("{n} value is not a time", "{n} values are not times", n),
                                    lambda: tr("a time of day such as 18:30 (HH:MM)")))
        empty = np.isnan(sec) & ~bad
        if not col.nullable and empty.any():
            problems.append(problem(col.name, rows, None, empty, _empty_what,
                                    lambda: tr("{expected} in every row", expected=col.expectation())))
        secs[col.name] = sec
    if time_cols:
        base = out["date"].to_numpy(dtype="datetime64[us]") if "date" in out else \
            np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[us]")
        seated = None
        for col in time_cols:
            sec = secs[col.name]
            delta = np.where(np.isnan(sec), np.timedelta64("NaT"),
                             (np.nan_to_num(sec) * 1e6).astype("int64").astype("timedelta64[us]"))
            stamp = base + delta
            if col.name == "seated_at":
                seated = stamp
            elif col.name == "left_at" and seated is not None:
                earlier = ~np.isnat(stamp) & ~np.isnat(seated) & (stamp < seated)
                stamp = np.where(earlier, stamp + np.timedelta64(1, "D"), stamp)
            out[col.name] = pd.Series(stamp, index=raw.index, dtype="datetime64[us]")

    for rule in spec.orders:
        if rule.column not in out or rule.other not in out:
            continue
        a, b = out[rule.column], out[rule.other]
        both = a.notna().to_numpy() & b.notna().to_numpy()
        broken = both & ((a > b) if rule.op == "<=" else (a < b)).to_numpy(dtype=bool)
        if broken.any():
            is_date = spec.column(rule.column).kind in ("date", "time")
            word = ("after" if rule.op == "<=" else "before") if is_date else ("above" if rule.op == "<=" else "below")
            sign = ">" if rule.op == "<=" else "<"
            idx = np.flatnonzero(broken)
            vals = [f"{short_value(a.iloc[i])} {sign} {short_value(b.iloc[i])}" for i in idx[:MAX_LISTED]]
            problems.append(Problem(rule.column, rows[idx].tolist(), vals, _order_what(len(idx), word, rule.other),
                                    f"{rule.column} {rule.op} {rule.other}"))

    raise_problems(problems, file, path)

    frame = pd.DataFrame({c.name: out[c.name] for c in spec.columns if c.name in out}, copy=False)
    for c in spec.columns:
        if c.name in frame.columns and c.kind == "integer" and not c.nullable:
            frame[c.name] = frame[c.name].astype("int64")
    frame = frame.reset_index(drop=True)
    if used_dialect is not None:
        warnings.extend(mojibake_warnings(frame, spec, rows, file, used_dialect.encoding, factorized))
    currency = None
    if cur_col is not None:
        currency = parse_text(raw[cur_col])[0].reset_index(drop=True).rename(clean_name(cur_col))
    return TableResult(frame=frame, file=file, path=path, rows=rows, missing_columns=missing_opt,
                       warnings=tuple(warnings), dialect=used_dialect,
                       columns_used=types.MappingProxyType({k: clean_name(v) for k, v in cols.items()}),
                       factorized=types.MappingProxyType(factorized), currency=currency)


def _empty_what(n: int) -> str:
    return trn("{n} value is empty", "{n} values are empty", n)


def _check_thousands(raw: pd.DataFrame, spec: TableSpec, cols: Mapping[str, str], preparsed: set[str],
                     rows: np.ndarray, file: str, path: Path, decimal: str) -> None:
    """``16,760`` / ``16.760`` in every number with a separator and no decimal mark given: ``ambiguous``.

    Integer columns are left out: 16.76 clicks is no reading (it is reported as not a whole number).
    """
    for col in spec.columns:
        if col.kind != "number" or col.name not in cols or cols[col.name] in preparsed:
            continue
        s = raw[cols[col.name]]
        if not (is_text_dtype(s) or s.dtype == object):
            continue
        text = split_raw(s)[0]
        found = thousands_ambiguity(text)
        if found is None:
            continue
        mark, pos = found
        other = "." if mark == "," else ","
        example = text.iloc[pos[0]]
        whole = float(example.replace(mark, "").replace("\u2212", "-"))
        dec = float(example.replace(mark, ".").replace("\u2212", "-"))
        values = ["'" + short_value(text.iloc[i]) + "'" for i in pos[:MAX_LISTED]]
        raise DataError(
            tr("{file}, column '{column}': every number with a separator has one '{mark}' and exactly three digits "
               "after it ({rows}), so '{example}' can be {whole} ('{mark}' groups thousands) or {decimal} ('{mark}' is "
               "the decimal mark), a factor of 1000; expected the decimal mark to be given: --decimal {other} reads "
               "'{example}' as {whole}, --decimal {mark} as {decimal}.", file=file, column=col.name, mark=mark,
               rows=rows_text(rows[pos].tolist(), values), example=example, whole=f"{whole:.0f}", decimal=f"{dec:g}",
               other=other),
            kind="ambiguous", file=file, column=col.name, rows=rows[pos].tolist(), path=path,
            expected=f"--decimal {other} or --decimal {mark}")


def _date_order(raw: pd.DataFrame, spec: TableSpec, cols: Mapping[str, str], preparsed: set[str],
                rows: np.ndarray, file: str, path: Path, dialect: Dialect, warnings: list[str]) -> str | None:
    """``"day"``, ``"month"`` (first) or None (not said, no slash date to tell) for the slash dates of this
    table: given, detected with a warning, or ``ambiguous`` when no date has a number above 12."""
    if dialect.date_order is not None:
        return "day" if dialect.date_order else "month"
    texts = []
    for col in spec.columns:
        if col.kind == "date" and col.name in cols and cols[col.name] not in preparsed:
            s = raw[cols[col.name]]
            if is_text_dtype(s) or s.dtype == object:
                texts.append((col.name, split_raw(s)[0]))
    if not texts:
        return None
    order, example = slash_date_order(pd.concat([t for _, t in texts], ignore_index=True))
    if order is None or order == "mixed":
        return None  # none, or no order reads them all: the dates that do not parse are reported
    if example is None:
        return None
    column = next(name for name, t in texts if (t == example).any())
    where = rows_text(rows[(dict(texts)[column] == example).to_numpy()].tolist()[:1], [f"'{example}'"])
    a, b, y = _slash_parts(example)
    if order == "ambiguous":
        raise DataError(
            tr("{file}, column '{column}': no slash date has a number above 12 ({where}), so they can be read day "
               "first ('{example}' = {day_first}) or month first ({month_first}); expected --dayfirst or --monthfirst "
               "to say which.", file=file, column=column, where=where, example=example, day_first=_day_text(a, b, y),
               month_first=_day_text(b, a, y)),
            kind="ambiguous", file=file, column=column, rows=rows[(dict(texts)[column] == example).to_numpy()][:1].tolist(),
            path=path, expected="--dayfirst or --monthfirst")
    if order == "day":
        warnings.append(tr("{file}, column '{column}': slash dates are read day first, as {where} can only be "
                           "({date}); --dayfirst says so and silences this, --monthfirst reads them month first.",
                           file=file, column=column, where=where, date=_day_text(a, b, y)))
        return "day"
    warnings.append(tr("{file}, column '{column}': slash dates are read month first, as {where} can only be "
                       "({date}); --monthfirst says so and silences this, --dayfirst reads them day first.",
                       file=file, column=column, where=where, date=_day_text(b, a, y)))
    return "month"


def _slash_parts(text: str) -> tuple[int, int, int]:
    import re

    m = re.match(r"\s*([0-9]{1,2})[/-]([0-9]{1,2})[/-]([0-9]{2,4})", text)
    if m is None:
        raise ValueError(f"not a slash date: {text!r}")
    a, b, y = m.groups()
    return int(a), int(b), int(y) + (2000 if len(y) <= 2 else 0)


def _day_text(day: int, month: int, year: int) -> str:
    import calendar

    if not 1 <= month <= 12:
        return tr("day {day}, month {month}", day=day, month=month)
    names = language().month_names  # the language's own (Bokmål from CLDR); English has none: the calendar's
    return tr("{day} {month_name} {year}", day=day, month_name=names[month - 1] if names else calendar.month_name[month],
              year=year)


# --------------------------------------------------------------------------- between tables
def check_between_tables(specs: Mapping[str, TableSpec], results: Mapping[str, TableResult]) -> list[str]:
    """Run the declared cross-table rules of every loaded table against the other loaded tables.

    :class:`Reference` rules first (a key not in the table it refers to is a ``bad_reference``
    :class:`DataError` for the first table that has one; with ``warn_only`` a warning), then
    :class:`Limit` rules (warnings). A rule whose other table or columns were not loaded is skipped.
    Returns the warnings.
    """
    warnings: list[str] = []
    for name, res in results.items():
        problems: list[Problem] = []
        for ref in specs[name].references:
            if ref.table not in results or ref.column not in res.frame.columns:
                continue
            target = results[ref.table].frame[ref.target_column]
            values = res.frame[ref.column]
            coded = res.factorized.get(ref.column)
            if coded is not None:  # look each distinct value up once, not every row
                codes, uniques = coded
                known = pd.Index(pd.unique(target.dropna())).get_indexer(uniques) >= 0
                unknown = (codes >= 0) & ~known[np.maximum(codes, 0)]
            else:
                unknown = (values.notna() & ~values.isin(target.dropna())).to_numpy()
            if not unknown.any():
                continue
            tfile = results[ref.table].file
            if ref.warn_only:
                names = sorted(pd.unique(values[unknown].astype(object)))
                total = values.nunique()
                listed = quote_list(names[:MAX_LISTED])
                values_ = {"file": res.file, "n": len(names), "total": total, "other": tfile,
                           "names": tr("{names} and more", names=listed) if len(names) > MAX_LISTED else listed}
                warnings.append(
                    tr("{file}: {n} of {total} customers have no row in {other} ({names}); their qualitative "
                       "scores are missing.", **values_) if ref.column == "customer" else
                    tr("{file}: {n} of {total} {column}s have no row in {other} ({names}); their qualitative "
                       "scores are missing.", column=ref.column, **values_))
                continue
            problems.append(problem(
                ref.column, res.rows, values, unknown,
                lambda n: trn("{n} value is not in {other}", "{n} values are not in {other}", n, other=tfile),
                lambda: tr("a {column} listed in {other}", column=ref.target_column, other=tfile),
                kind="bad_reference"))
        raise_problems(problems, res.file, res.path)

    for name, res in results.items():
        for lim in specs[name].limits:
            if lim.table not in results or not {lim.column, lim.key} <= set(res.frame.columns):
                continue
            other = results[lim.table].frame
            if not {lim.key, lim.limit} <= set(other.columns):
                continue
            cap = res.frame[lim.key].map(other.set_index(lim.key)[lim.limit])
            over = (res.frame[lim.column] > cap).to_numpy(dtype=bool)
            if over.any():
                warnings.append(lim.warning(int(over.sum()), file=res.file, rows=rows_text(res.rows[over].tolist())))
    return warnings
