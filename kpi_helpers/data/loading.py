"""Loading a case: every table of a case from a folder, read, validated and cross-checked.

Decides which file holds which table (``<table>.csv`` or another ending, case-insensitive; two
candidates are ``ambiguous``), what a column map may say, which optional tables count as missing
(no file, an empty file or a header only: a warning), which warnings the whole case gets (the
declared cross-table rules, months without rows, partial months) and what a loaded case offers
(:class:`CaseData`). One call per notebook::

    cd = load_case("startup", "data/startup")
    invoices = cd["invoices"]

Loaded columns have these dtypes (:data:`~kpi_helpers.data.schemas.KIND_DTYPES`):

======== ===================================================================
kind     dtype returned
======== ===================================================================
id, text ``"str"`` (pandas' default string dtype), stripped; empty -> NaN
date     ``datetime64[us]``, normalised to midnight
time     ``datetime64[us]``: the row's ``date`` plus the HH:MM (one day later
         when earlier than ``seated_at``, i.e. past midnight); empty -> NaT
number   ``float64``
integer  ``int64``; ``float64`` when the column is nullable (NaN = empty)
======== ===================================================================
"""
from __future__ import annotations

import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from ..i18n import get_language, language, tr, trn
from ..periods import code_label, month_table, months_present
from ._messages import clean_name, display_name
from .checks import Checks, check_case, strict_error
from .dialect import Dialect, dialect_words
from .errors import DataError
from .readers import EXCEL_EXTENSIONS, read_excel_file, read_parquet_file, read_text_fast, read_text_file
from .schemas import MAIN_TABLE, TABLES, TableSpec, case_tables, schema_rows
from .validation import TableResult, check_between_tables, check_table

__all__ = [
    "CaseData",
    "read_table",
    "load_case",
    "parse_column_map",
    "describe_tables",
]

#: A stretch of at least this many months without rows in a case's main table is warned about.
_GAP_MONTHS = 12


@dataclass(frozen=True, eq=False)
class CaseData:
    """A loaded case. ``cd["invoices"]`` gives a table; ``cd.has("visits", "rating")`` asks.

    Attributes
    ----------
    case : str
    data_dir : Path
    tables : mapping table -> DataFrame (only the tables found; columns in canonical order,
        missing optional columns absent)
    files : mapping table -> Path of the file read
    missing_tables : tuple of optional tables without a file (or with a header only)
    missing_columns : mapping table -> tuple of optional columns not in the file
    warnings : tuple of str (encoding fallback, partial months, covers above seats, ...)
    date_range : (first, last) Timestamps of the main table's ``date``; None for ``concepts``
    dialects : mapping table -> the :class:`Dialect` actually used (text files only)
    currency : the currency of the amounts from the tables' currency column (or ``Checks.currency``
        when there is none); None when the data do not say
    """

    case: str
    data_dir: Path
    tables: Mapping[str, pd.DataFrame]
    files: Mapping[str, Path]
    missing_tables: tuple[str, ...]
    missing_columns: Mapping[str, tuple[str, ...]]
    warnings: tuple[str, ...]
    date_range: tuple[pd.Timestamp, pd.Timestamp] | None
    dialects: Mapping[str, Dialect] = field(default_factory=dict)
    currency: str | None = None
    # (table, column) -> (codes, sorted distinct values): see factorize()
    _codes: dict[tuple[str, str], tuple[np.ndarray, pd.Index]] = field(
        default_factory=dict, repr=False, compare=False)

    def factorize(self, table: str, column: str) -> tuple[np.ndarray, pd.Index]:
        """Integer codes of ``table.column`` and its distinct values, sorted; computed once per load.

        ``codes[i]`` is the position of row i's value in ``uniques`` (-1 where missing), so grouping by
        codes is grouping by the column without hashing millions of strings again. The fast text
        reader hands the codes over from reading; otherwise the first call computes them.
        """
        key = (table, column)
        got = self._codes.get(key)
        if got is None:
            values = self.tables[table][column]
            codes, uniques = pd.factorize(values, sort=True)
            got = (np.asarray(codes), pd.Index(uniques, name=column))
            self._codes[key] = got
        return got

    def __getitem__(self, table: str) -> pd.DataFrame:
        if table not in self.tables:
            known = ", ".join(self.tables)
            if table in TABLES.get(self.case, {}):
                spec = TABLES[self.case][table]
                raise KeyError(
                    f"table {table!r} was not loaded: no {spec.name}.csv (or .xlsx, .parquet) "
                    f"in {self.data_dir}; check cd.has({table!r}) first"
                )
            raise KeyError(f"case {self.case!r} has no table {table!r} (loaded: {known})")
        # shallow copy: with pandas copy-on-write the caller cannot change our frame
        return self.tables[table].copy(deep=False)

    def __contains__(self, table: object) -> bool:
        return table in self.tables

    def has(self, table: str, column: str | None = None) -> bool:
        """True when ``table`` was loaded (and has ``column``, when given)."""
        if table not in self.tables:
            return False
        return column is None or column in self.tables[table].columns

    def months(self) -> pd.DataFrame:
        """:func:`month_table` over :attr:`date_range` (empty without dates)."""
        if self.date_range is None:
            return month_table(None, None)
        return month_table(*self.date_range)

    def summary(self) -> pd.DataFrame:
        """One row per case table: file, rows, missing optional columns, how it was read.

        For showing, in the language now: the headers (``table``, ``required``, ``file``, ``rows``,
        ``missing_columns``, ``read_as`` in English), ``required`` (True/False in English, words such
        as "ja"/"nei" in another language) and how the file was read (:func:`dialect_words`). The
        table names stay ids (``invoices``).
        """
        english = get_language() == "en"
        out = []
        for name, spec in TABLES[self.case].items():
            frame = self.tables.get(name)
            d = self.dialects.get(name)
            out.append({
                tr("table"): name,
                tr("required"): spec.required if english else (tr("yes") if spec.required else tr("no")),
                tr("file"): self.files[name].name if name in self.files else "",
                tr("rows"): 0 if frame is None else len(frame),
                tr("missing_columns"): ", ".join(self.missing_columns.get(name, ())),
                tr("read_as"): "" if d is None else dialect_words(d),
            })
        return pd.DataFrame(out)

# --------------------------------------------------------------------------- read_table
def read_table(
    path: str | Path,
    spec: TableSpec,
    column_map: Mapping[str, str] | None = None,
    dialect: Dialect | None = None,
    *,
    star_map: Mapping[str, str] | None = None,
    file: str | None = None,
    fast: bool = True,
) -> TableResult:
    """Read and validate one table file (CSV/TXT/TSV, XLSX or Parquet).

    Parameters
    ----------
    path : file to read; the format follows its ending.
    spec : the :class:`TableSpec` to read it as.
    column_map : ``{source column: canonical column}`` for this table; a source that is not
        in the file is a :class:`DataError`.
    dialect : :class:`Dialect` (text files; ``dayfirst`` and ``decimal`` also apply to text
        cells in Excel).
    star_map : a map for all tables; sources not in this file are skipped.
    file : how to name the file in messages (default ``<folder>/<name>``).
    fast : try the fast pyarrow reader first for a plain text file (the default); False reads
        with the robust reader only (the tests compare both: they give identical results).

    Returns
    -------
    TableResult
        ``frame`` has the canonical columns found, in schema order, with the dtypes of
        :data:`KIND_DTYPES`; blank rows dropped; extra columns dropped.

    Raises
    ------
    DataError
        Empty file, header only, a required column missing, a value of the wrong type,
        out of range, empty where required, a duplicate key, or a row rule broken.
    """
    path = Path(path)
    dialect = dialect or Dialect()
    file = file or display_name(path)
    suffix = path.suffix.lower()
    warnings: list[str] = []
    used_dialect: Dialect | None = None
    if suffix in EXCEL_EXTENSIONS:
        raw, rows, w = read_excel_file(path, file, spec.name, dialect.sheet,
                                       wanted=_header_names(spec, column_map or {}, star_map or {}))
        warnings.extend(w)
    elif suffix == ".parquet":
        raw, rows = read_parquet_file(path, file)
    else:
        got = read_text_fast(path, file, dialect, spec, column_map or {}, star_map or {}) if fast else None
        if got is not None:
            try:
                return check_table(path, spec, column_map, dialect, star_map, file, *got)
            except DataError:
                pass  # a problem: the robust reader reads the file again and words it from the text
        raw, rows, used_dialect, w = read_text_file(path, file, dialect, spec)
        warnings.extend(w)
    return check_table(path, spec, column_map, dialect, star_map, file, raw, rows, used_dialect, warnings)


def _header_names(spec: TableSpec, column_map: Mapping[str, str], star_map: Mapping[str, str]) -> list[set[str]]:
    """Per required column, the header names (case-folded) that can be it: its own and the mapped ones."""
    out = []
    for name in spec.required_columns:
        names = {name}
        names |= {clean_name(src).casefold() for m in (column_map, star_map) for src, t in m.items()
                  if clean_name(t) == name}
        out.append(names)
    return out


# --------------------------------------------------------------------------- load_case
def _find_file(data_dir: Path, spec: TableSpec, case: str) -> Path | None:
    try:
        entries = {p.name.casefold(): p for p in data_dir.iterdir() if p.is_file()}
    except OSError:
        entries = {}
    hits = [entries[n.casefold()] for n in spec.file_names if n.casefold() in entries]
    if len(hits) > 1:
        shown = ", ".join(h.name for h in hits)
        raise DataError(
            tr("{case}: several files for table '{table}' in {folder} ({files}); expected exactly one. Move or rename "
               "the others.", case=case, table=spec.name, folder=data_dir, files=shown),
            kind="ambiguous", file=f"{data_dir.name}/{hits[0].name}", path=hits[0], expected="one file per table")
    return hits[0] if hits else None


def _check_column_map(case: str, column_map: Mapping[str, Mapping[str, str]]) -> None:
    tables = TABLES[case]
    if not isinstance(column_map, Mapping):
        raise DataError(tr("the column map must be a dict such as {{'{table}': {{'Dato': 'date'}}}}, not {type}.",
                           table=next(iter(tables)), type=type(column_map).__name__), kind="bad_map", expected="TABLE -> SOURCE -> TARGET")
    all_cols = {c for t in tables.values() for c in t.column_names}
    for table, mapping in column_map.items():
        if table != "*" and table not in tables:
            raise DataError(
                tr("the column map names table '{table}', which case {case} does not have; expected one of {tables} "
                   "(or '*' for all tables).", table=table, case=case, tables=", ".join(tables)),
                kind="bad_map", column=str(table), expected=", ".join(tables))
        if not isinstance(mapping, Mapping):
            raise DataError(tr("the column map for '{table}' must be a dict of source column -> canonical column, "
                               "not {type}.", table=table, type=type(mapping).__name__), kind="bad_map", expected="SOURCE -> TARGET")
        if table == "*":
            for source, target in mapping.items():
                if clean_name(target) not in all_cols:
                    raise DataError(
                        tr("the column map for all tables sends '{source}' to '{target}', which is no column of case "
                           "{case}; expected one of {columns}.", source=source, target=target, case=case,
                           columns=", ".join(sorted(all_cols))),
                        kind="bad_map", column=str(source), expected=", ".join(sorted(all_cols)))


def load_case(
    case: str,
    data_dir: str | Path,
    column_map: Mapping[str, Mapping[str, str]] | None = None,
    dialect: Dialect | None = None,
    *,
    files: Mapping[str, str | Path] | None = None,
    checks: Checks | None = None,
) -> CaseData:
    """Read and validate every table of ``case`` from ``data_dir``: the one call a notebook makes.

    Parameters
    ----------
    case : one of :data:`TABLES` (startup, consultancy, marketing_agency, restaurant, your_data, concepts).
    data_dir : folder holding ``<table>.csv`` (or ``.txt``, ``.tsv``, ``.xlsx``, ``.xlsm``, ``.parquet``).
    column_map : ``{table: {source column: canonical column}}``; the table ``"*"`` applies to all tables.
    dialect : :class:`Dialect` for every file (``None`` = detect).
    files : ``{table: path}`` to read a table from another file (relative paths are taken in ``data_dir``).
    checks : :class:`Checks`: what the data check may change (drop duplicates or total rows, merge
        names, keep one currency) and ``strict``; by default it only warns.

    Returns
    -------
    CaseData
        New frames; nothing passed in is changed.

    Raises
    ------
    DataError
        A required table without file, or any problem :func:`read_table` reports, a key not
        found in the table it refers to (timesheets/surveys project_id in projects, timesheets
        consultant in consultants, visits table in tables, when those tables are given).
    """
    tables_spec = case_tables(case)
    data_dir = Path(data_dir)
    column_map = column_map or {}
    _check_column_map(case, column_map)
    dialect = dialect or Dialect()
    checks = checks or Checks()
    if not data_dir.is_dir():
        raise DataError(tr("{case}: data folder {folder} does not exist; expected a folder with {files}.", case=case,
                           folder=data_dir, files=", ".join(t.name + ".csv" for t in tables_spec.values() if t.required)),
                        kind="missing_file", file=str(data_dir), expected="an existing folder")
    star = column_map.get("*", {})
    frames: dict[str, pd.DataFrame] = {}
    found: dict[str, Path] = {}
    results: dict[str, TableResult] = {}
    missing_tables: list[str] = []
    missing_columns: dict[str, tuple[str, ...]] = {}
    warnings: list[str] = []
    for name, spec in tables_spec.items():
        path: Path | None
        if files and name in files:
            path = Path(files[name])
            if not path.is_absolute():
                path = data_dir / path
            if not path.is_file():
                raise DataError(tr("{case}: the file given for table '{table}' ({path}) does not exist; expected an "
                                   "existing file.", case=case, table=name, path=path), kind="missing_file", file=str(path), path=path, expected="an existing file")
        else:
            path = _find_file(data_dir, spec, case)
        if path is None:
            if spec.required:
                names = ", ".join(spec.file_names[:-1]) + " or " + spec.file_names[-1]
                raise DataError(
                    tr("{file}: no file for the required table '{table}' in {folder}; expected {names} with columns "
                       "{columns}.", file=f"{data_dir.name}/{spec.name}.csv", table=name, folder=data_dir,
                       names=tr("{first} or {last}", first=", ".join(spec.file_names[:-1]), last=spec.file_names[-1]),
                       columns=", ".join(spec.required_columns)),
                    kind="missing_file", file=f"{data_dir.name}/{spec.name}.csv", path=data_dir / f"{spec.name}.csv",
                    expected=names)
            missing_tables.append(name)
            continue
        file = f"{data_dir.name}/{path.name}" if path.parent == data_dir else display_name(path)
        try:
            res = read_table(path, spec, column_map.get(name, {}), dialect, star_map=star, file=file)
        except DataError as e:
            if not spec.required and e.kind in ("no_rows", "empty_file"):
                missing_tables.append(name)
                warnings.append(tr("{file} has a header but no data rows; it is treated as missing.", file=file)
                                if e.kind == "no_rows" else
                                tr("{file} is empty; it is treated as missing.", file=file))
                continue
            raise
        results[name] = res
        found[name] = path
        if res.missing_columns:
            missing_columns[name] = res.missing_columns
        warnings.extend(res.warnings)

    checked, currency = check_case(results, tables_spec, checks)
    warnings.extend(checked)
    frames.update({name: res.frame for name, res in results.items()})
    warnings.extend(check_between_tables(tables_spec, results))

    date_range = None
    main = MAIN_TABLE.get(case)
    if main and main in frames:
        d = frames[main]["date"]
        date_range = (pd.Timestamp(d.min()), pd.Timestamp(d.max()))
        months = month_table(*date_range)
        # a long stretch without rows usually is a mistyped year (2042 for 2024): every month in it is
        # reported as empty, so say where it is
        codes = months_present(d)
        steps = np.diff(codes) - 1
        if len(steps) and steps.max() >= _GAP_MONTHS:
            i = int(np.argmax(steps))
            a, b = code_label(codes[i] + 1), code_label(codes[i + 1] - 1)
            warnings.append(tr(
                "{file}: no rows from {first} to {last} ({n} months) although there are rows before and after; a "
                "mistyped year? Those months are reported as months without data.", file=results[main].file,
                first=a, last=b, n=int(steps[i])))
        partial = months.loc[months["partial"], "period"].tolist()
        if partial:
            warnings.append(trn(
                "{file}: the data run from {first} to {last}, so {months} is a partial month: reported but flagged, "
                "and left out of growth KPIs.",
                "{file}: the data run from {first} to {last}, so {months} are partial months: reported but flagged, "
                "and left out of growth KPIs.", len(partial), file=results[main].file,
                first=f"{date_range[0]:%Y-%m-%d}", last=f"{date_range[1]:%Y-%m-%d}",
                months=language().text("and").join(partial)))

    if checks.strict and warnings:
        raise strict_error(case, warnings, found)
    return CaseData(
        case=case,
        data_dir=data_dir,
        tables=types.MappingProxyType(frames),
        files=types.MappingProxyType(found),
        missing_tables=tuple(missing_tables),
        missing_columns=types.MappingProxyType(missing_columns),
        warnings=tuple(warnings),
        date_range=date_range,
        dialects=types.MappingProxyType({k: r.dialect for k, r in results.items() if r.dialect is not None}),
        currency=currency,
        _codes={(k, c): v for k, r in results.items() for c, v in r.factorized.items()},
    )


# --------------------------------------------------------------------------- for the CLI
def parse_column_map(items: Iterable[str]) -> dict[str, dict[str, str]]:
    """Turn ``["invoices.Dato=date", "*.Kunde=customer"]`` into a column map (THE rule; ``--map`` uses it).

    The table is the part before the first dot; the target the part after the last ``=``. Identical
    repeats are fine; a source mapped twice to different columns, two sources for one target, or a
    ``*`` entry and a table's entry for the same target with other sources are a ``ValueError`` naming
    both items (which one would win is a guess), as is a malformed item.

    >>> parse_column_map(["invoices.Dato=date", "invoices.Dato=date", "*.Kunde=customer"])
    {'invoices': {'Dato': 'date'}, '*': {'Kunde': 'customer'}}
    """
    out: dict[str, dict[str, str]] = {}
    given: dict[tuple[str, str], str] = {}  # (table, source) -> the item
    targets: dict[tuple[str, str], str] = {}  # (table, target) -> the item
    for item in items:
        left, eq, target = str(item).rpartition("=")
        table, dot, source = left.partition(".")
        table, source, target = table.strip(), source.strip(), target.strip()
        if not (eq and dot and table and source and target):
            raise ValueError(f"--map expects TABLE.SOURCE=TARGET (e.g. invoices.Dato=date), not {item!r}")
        mapping = out.setdefault(table, {})
        if source in mapping:
            if mapping[source] != target:
                raise ValueError(f"--map {given[table, source]} and --map {item} map column {source!r} of {table} "
                                 "twice; give one")
            continue
        if (table, target) in targets:
            raise ValueError(f"--map {targets[table, target]} and --map {item} both name the column {target!r} of "
                             f"{'every table' if table == '*' else table}; give one source per column")
        mapping[source] = target
        given[table, source] = item
        targets[table, target] = item
    for (table, target), item in targets.items():
        star = targets.get(("*", target))
        if table != "*" and star is not None:
            raise ValueError(f"--map {star} and --map {item} both name the column {target!r} of {table}; "
                             "give one (a * entry applies to every table)")
    return out


def describe_tables(case: str | None = None) -> pd.DataFrame:
    """The schemas as a table (one row per column): for ``kpi-cases list`` and data dictionaries."""
    return pd.DataFrame(schema_rows(case))
