"""The case tables as engine tables: CSV with the dialect options, Parquet files and folders, database tables.

Decides how an engine reads what a consultant has, and who words a problem:

* **Locating**: ``<table>.csv`` / ``.txt`` / ``.tsv`` / ``.parquet`` in the data folder (as the pandas
  reader), or a folder ``<table>/`` or ``<table>.parquet/`` of Parquet parts, or a table of a database
  (``--connect URL --table NAME``). Excel workbooks and anything ambiguous are left to pandas.
* **Dialect and columns** are decided by the pandas reader itself on the head of a text file (its
  separator and decimal sniffing, its encoding fallback, its column matching and ``--map``): the
  engine then reads the whole file with those options, all cells as text.
* **Values** are parsed once per cell: by DuckDB's CSV reader itself where the head shows the plain
  forms (ISO dates, decimal point), else by expressions that run on every engine (decimal comma,
  ``YYYYMMDD`` / ``dd.mm.yyyy`` dates, ``TRY_CAST``). Nothing is checked row by row: the case's one
  grouping also counts, per group, the cells with text and with a value, the minima and maxima and
  the rows that break a row rule (``clicks <= impressions``), and :func:`verify` reads those counts
  from the small grouped table: a value that does not parse, a cell empty where required, a value out
  of range or :data:`kpi_helpers.data.DATE_RANGE`, ids with spaces around them. Money is
  ``DECIMAL(18, 6)``, so that sums are exact on every engine, as pandas' compensated sums nearly are.
* **Problems are the pandas reader's**: when the engine fails on a file or flags a row, it raises
  :class:`Fallback`; the caller re-reads with :func:`kpi_helpers.data.load_case` (or
  :func:`pandas_table` for a folder or a database table), which raises the one-line
  :class:`~kpi_helpers.data.DataError` a user of the pandas path gets, word for word. Where the
  pandas reader accepts what the engine flagged (thousands separators, slashed dates), the case is
  computed with pandas and a note says so.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..data import DATE_RANGE, DataError, Dialect, TableSpec

__all__ = ["Fallback", "Input", "locate", "from_database", "engine_table", "check_aggregates", "verify",
           "pandas_table", "MONEY",
           "HEAD_LINES", "TEXT_SUFFIXES"]

#: The type of money columns in the engines: exact sums, six decimals (amounts with more are rounded).
MONEY = "decimal(18, 6)"
#: Lines of a text file the pandas reader reads to decide the dialect and the columns.
HEAD_LINES = 2000
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")

_DATE_FORMS = {
    "iso": re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"),
    "ymd": re.compile(r"^\d{8}$"),
    "dotted": re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$"),
}


class Fallback(Exception):
    """The engine cannot vouch for an input: the pandas reader must read it (and word any problem)."""


@dataclass
class Input:
    """One case table as an engine reads it.

    ``kind`` is ``text``, ``parquet`` (a file or a folder of parts) or ``database``; ``columns`` maps
    canonical names to the source's column names; ``dialect`` and ``date_form`` are those the pandas
    reader found on the head of a text file; ``file`` is the name used in messages.
    """

    table: str
    spec: TableSpec
    kind: str
    file: str
    path: Path | None = None
    dialect: Dialect | None = None
    columns: dict[str, str] = field(default_factory=dict)
    date_forms: dict[str, str] = field(default_factory=dict)
    read_path: Path | None = None  # a UTF-8 copy of a text file in another encoding
    warnings: list[str] = field(default_factory=list)  # the pandas reader's, on the head of a text file
    database: Any = None  # (backend, table name) for a database table
    tmp: list[Path] = field(default_factory=list)

    def missing_columns(self) -> tuple[str, ...]:
        """Optional canonical columns the source does not have."""
        return tuple(c.name for c in self.spec.columns if c.name not in self.columns)

    def cleanup(self) -> None:
        """Remove temporary copies."""
        for p in self.tmp:
            shutil.rmtree(p, ignore_errors=True)


# --------------------------------------------------------------------------------------- locating
def locate(data_dir: Path, spec: TableSpec) -> Path | None:
    """The file or Parquet folder of a table in ``data_dir``; None when there is none.

    Raises :class:`Fallback` when the pandas reader must decide (a workbook, two candidates).
    """
    folders = [p for p in (data_dir / spec.name, data_dir / f"{spec.name}.parquet")
               if p.is_dir() and any(p.glob("*.parquet"))]
    files = [data_dir / n for n in spec.file_names if (data_dir / n).is_file()]
    found = folders + files
    if not found:
        return None
    if len(found) > 1 or not (found[0].is_dir() or found[0].suffix.lower() in (*TEXT_SUFFIXES, ".parquet")):
        raise Fallback(f"{spec.name}: {', '.join(p.name for p in found)}")
    return found[0]


def _file_name(path: Path, data_dir: Path | None) -> str:
    if data_dir is not None and path.parent == data_dir:
        return f"{data_dir.name}/{path.name}"
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def _resolve(raw_cols: list[str], spec: TableSpec, column_map: Mapping[str, str], star: Mapping[str, str],
             file: str, path: Path) -> dict[str, str]:
    from ..data.validation import resolve_columns

    return resolve_columns(raw_cols, spec, column_map, star, file, path)


def text_input(path: Path, spec: TableSpec, column_map: Mapping[str, str], star: Mapping[str, str],
               dialect: Dialect, data_dir: Path | None) -> Input:
    """A CSV/TXT/TSV file: the pandas reader reads its head and decides dialect and columns.

    Raises :class:`Fallback` when the head has a problem (the full pandas read words it).
    """
    from ..data import read_table

    file = _file_name(path, data_dir)
    with open(path, "rb") as fh:
        head = b"".join(line for _, line in zip(range(HEAD_LINES + 1), fh))
        more = bool(fh.read(1))
    tmp = Path(tempfile.mkdtemp(prefix="kpi-cases-head-"))
    try:
        (tmp / path.name).write_bytes(head)
        try:
            res = read_table(tmp / path.name, spec, column_map, dialect, star_map=star, file=file)
        except DataError as e:
            raise Fallback(str(e)) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    used = res.dialect or dialect
    inp = Input(spec.name, spec, "text", file, path, used, dict(res.columns_used), warnings=list(res.warnings))
    text = _decode(head, used.encoding or "utf-8", more)
    rows = list(csv.reader(io.StringIO(text), delimiter=used.sep or ","))
    header = [c.replace("\ufeff", "").strip() for c in rows[0]] if rows else []
    for col in spec.columns:
        if col.kind != "date" or col.name not in inp.columns:
            continue
        idx = header.index(inp.columns[col.name]) if inp.columns[col.name] in header else None
        values = {r[idx].strip() for r in rows[1:] if idx is not None and idx < len(r) and r[idx].strip()}
        forms = {f for v in values for f, rx in _DATE_FORMS.items() if rx.match(v)}
        if any(not any(rx.match(v) for rx in _DATE_FORMS.values()) for v in values):
            raise Fallback(f"{file}: dates in a form the engines leave to pandas (e.g. slashed)")
        inp.date_forms[col.name] = forms.pop() if len(forms) == 1 else "mixed"
    enc = codecs.lookup(used.encoding or "utf-8").name
    if enc not in ("utf-8", "utf-8-sig", "ascii"):
        inp.read_path = _utf8_copy(path, str(used.encoding), inp)
    return inp


def _decode(data: bytes, encoding: str, cut: bool) -> str:
    text = data.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    if cut and "\n" in text:  # the last line may be cut in the middle of a character
        text = text[: text.rindex("\n")]
    return text


def _utf8_copy(path: Path, encoding: str, inp: Input) -> Path:
    """A UTF-8 copy of a text file in another encoding (Windows-1252): every engine reads UTF-8."""
    tmp = Path(tempfile.mkdtemp(prefix="kpi-cases-utf8-"))
    inp.tmp.append(tmp)
    out = tmp / (path.stem + ".csv")
    with open(path, encoding=encoding, newline="") as src, open(out, "w", encoding="utf-8", newline="") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return out


def parquet_input(path: Path, spec: TableSpec, column_map: Mapping[str, str], star: Mapping[str, str],
                  data_dir: Path | None) -> Input:
    """A Parquet file or folder of parts: columns matched on its schema as the pandas reader does."""
    import pyarrow.parquet as pq

    file = _file_name(path, data_dir)
    try:
        parts = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
        names = list(pq.read_schema(parts[0]).names)
    except Exception:  # noqa: BLE001 - unreadable: the pandas reader words it
        raise Fallback(f"{file}: not readable as Parquet") from None
    cols = _resolve(names, spec, column_map, star, file, path)
    return Input(spec.name, spec, "parquet", file, path, None, dict(cols))


def from_database(backend: Any, name: str, spec: TableSpec, column_map: Mapping[str, str],
                  star: Mapping[str, str]) -> Input:
    """A table of a database (an Ibis backend from a connection URL)."""
    try:
        t = backend.table(name)
    except Exception as e:  # noqa: BLE001 - any backend's "no such table"
        raise DataError(f"{name}: no table {name!r} in the database ({type(e).__name__}); expected the "
                        f"{spec.name} table with columns {', '.join(spec.required_columns)}.",
                        kind="missing_file", file=name, expected=f"a table with {', '.join(spec.required_columns)}"
                        ) from None
    cols = _resolve(list(t.columns), spec, column_map, star, name, Path(name))
    return Input(spec.name, spec, "database", name, None, None, dict(cols), database=(backend, name))


# ------------------------------------------------------------------------------------- expressions
def _path(inp: Input) -> Path:
    """The file or folder of a file input."""
    if inp.path is None:
        raise ValueError(f"{inp.file}: not a file")
    return inp.path


def _raw_table(con: Any, inp: Input) -> Any:
    engine = getattr(con, "name", "")
    if inp.kind == "database":
        return inp.database[0].table(inp.database[1])
    if inp.kind == "parquet":
        p = _path(inp)
        target = str(p / "*.parquet") if (p.is_dir() and engine == "duckdb") else str(p)
        return con.read_parquet(target)
    path = str(inp.read_path or _path(inp))
    sep = (inp.dialect or Dialect()).sep or ","
    if engine == "pyspark":
        return con.read_csv(path, header=True, sep=sep, quote='"', escape='"', inferSchema=False,
                            encoding="UTF-8", multiLine=False, mode="PERMISSIVE")
    return con.read_csv(path, header=True, delim=sep, quote='"', escape='"',
                        auto_detect=False, null_padding=False, strict_mode=True,
                        columns=_header_columns(inp))


def _header_columns(inp: Input) -> dict[str, str]:
    """DuckDB's ``columns`` option: the header names with their types (no type sniffing at all).

    Where the pandas reader found the plain forms (ISO dates, decimal point), DuckDB's CSV reader
    parses dates and numbers itself (``DATE``, ``DECIMAL(18, 6)``, ``BIGINT``): its fastest path. A
    cell it cannot parse stops the scan, and the pandas reader words the problem (see the module
    docstring). Every other column is ``VARCHAR``, parsed by the expressions.
    """
    plain = ((inp.dialect or Dialect()).decimal or ".") == "."
    typed: dict[str, str] = {}
    for col in inp.spec.columns:
        src = inp.columns.get(col.name)
        if src is None:
            continue
        if col.kind == "date" and inp.date_forms.get(col.name) == "iso":
            typed[src.replace("\ufeff", "").strip()] = "DATE"
        elif col.kind == "number" and plain:
            typed[src.replace("\ufeff", "").strip()] = "DECIMAL(18, 6)"
        elif col.kind == "integer" and plain:
            typed[src.replace("\ufeff", "").strip()] = "BIGINT"
    path = inp.read_path or _path(inp)
    with open(path, "rb") as fh:
        first = fh.readline().decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r\n")
    names = next(csv.reader([first], delimiter=(inp.dialect or Dialect()).sep or ","))
    seen: dict[str, int] = {}
    out: dict[str, str] = {}
    for n in names:  # DuckDB needs unique names: the pandas reader has checked duplicates already
        k = n
        if k in seen:
            seen[k] += 1
            k = f"{n}_{seen[n]}"
        else:
            seen[k] = 0
        out[k] = typed.get(n.replace("\ufeff", "").strip(), "VARCHAR") if seen[n] == 0 else "VARCHAR"
    return out


def _text(col: Any) -> Any:
    """Stripped text, NULL where empty: ``NULLIF(TRIM(x), '')``.

    The engines' own one-argument ``trim`` (DuckDB, Spark SQL): Ibis' ``strip()`` lists the whitespace
    characters, which made DuckDB's scan of a 10M-row file about 40 % slower.
    """
    return _trim(col.cast("string")).nullif("")


def _trim(col: Any) -> Any:
    import ibis

    global _TRIM
    if _TRIM is None:
        @ibis.udf.scalar.builtin(name="trim")
        def trim(x: str) -> str:  # noqa: ARG001 - a builtin: the engine's own function
            """The engine's TRIM."""
            raise NotImplementedError

        _TRIM = trim
    return _TRIM(col)


_TRIM: Any = None


def _date(col: Any, form: str | None) -> Any:
    import ibis

    if col.type().is_date():
        return col
    if col.type().is_timestamp():
        return col.cast("date")
    if not col.type().is_string():
        return ibis.null().cast("date")  # numbers as dates: flagged, the pandas reader words it
    s = col  # stripped already
    ymd = s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2)
    parts = s.split(".")
    dotted = parts[2] + "-" + parts[1] + "-" + parts[0]
    if form == "iso":
        iso = s
    elif form == "ymd":
        iso = (s.length() == 8).ifelse(ymd, None)
    elif form == "dotted":
        iso = (parts.length() == 3).ifelse(dotted, None)
    else:
        iso = ibis.cases((s.contains("."), (parts.length() == 3).ifelse(dotted, None)),
                         ((s.length() == 8) & ~s.contains("-"), ymd), else_=s)
    return iso.try_cast("date")


def _number(col: Any, kind: str, decimal: str) -> Any:
    """The value of a number or integer column (NULL where it does not parse: flagged by the caller).

    Integers are parsed as decimals first: ``12.5`` is flagged (the caller compares), never rounded.
    """
    if col.type().is_string():
        s = col.replace(",", ".") if decimal == "," else col
    else:
        s = col
    if kind == "integer":
        d = s.try_cast("decimal(38, 6)")
        return (d == d.cast("int64").cast("decimal(38, 6)")).ifelse(d.cast("int64"), None)
    return s.try_cast(MONEY)


def engine_table(con: Any, inp: Input, keys: tuple[str, ...] = ()) -> Any:
    """The table with canonical, typed columns, their stripped texts and a ``blank`` flag per row.

    Dates are ``date``, ids and texts stripped strings (empty = missing), numbers ``DECIMAL(18, 6)``,
    integers ``int64`` (NULL where a cell does not parse); ``<column>__text`` is the text of a date or
    number column. ``keys`` (the grouping's id columns) are not trimmed here: :func:`verify` checks them. Nothing is checked per row here: :func:`check_aggregates` adds counts to
    the case's one grouping and :func:`verify` reads them, so the engine parses every cell once.
    """
    raw = _raw_table(con, inp)
    decimal = (inp.dialect.decimal if inp.dialect else None) or "."
    cols = [c for c in inp.spec.columns if c.name in inp.columns]
    texts = {}
    for c in cols:
        src = raw[inp.columns[c.name]]
        if not src.type().is_string():
            texts[c.name] = src
        elif c.name in keys or c.kind in ("date", "number", "integer"):
            # no per-row trim: TRY_CAST skips spaces around numbers and dates, and the grouping keys
            # are checked for spaces on the grouped table (verify): trimming every cell of a large
            # file costs more than reading it
            texts[c.name] = src.nullif("")
        else:
            texts[c.name] = _text(src)
    out: dict[str, Any] = {}
    for col in cols:
        src = texts[col.name]
        if col.kind == "date":
            out[col.name] = _date(src, inp.date_forms.get(col.name))
        elif col.kind in ("number", "integer"):
            out[col.name] = _number(src, col.kind, decimal)
        else:
            if not src.type().is_string() and not src.type().is_integer():
                raise Fallback(f"{inp.file}: column {col.name} is {src.type()}, not text")
            out[col.name] = src.cast("string") if not src.type().is_string() else src
            continue
        if src.type().is_string():
            out[f"{col.name}__text"] = src
    return raw.select(**out)


def check_aggregates(t: Any, inp: Input, implied: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Aggregates to add to the case's grouping of ``t``: what :func:`verify` needs to find bad rows.

    Per group: for every column the cells with text and the cells with a value; minima
    and maxima where the schema sets a range (dates: :data:`kpi_helpers.data.DATE_RANGE`); rows that
    break a row rule (``clicks <= impressions``). ``implied`` maps columns to the grouping key that is
    NULL exactly where they are (``customer`` -> ``customer``, ``date`` -> its month ``m``): their
    cells with a value are the group's rows where that key is not NULL, so no count is kept for them
    (a narrower grouped table: less memory, less to spill).
    """
    aggs: dict[str, Any] = {}
    for col in inp.spec.columns:
        if col.name not in inp.columns:
            continue
        v = t[col.name]
        if col.name not in (implied or {}):
            aggs[f"chk__{col.name}__n"] = v.count()
        if f"{col.name}__text" in t.columns:
            aggs[f"chk__{col.name}__text"] = t[f"{col.name}__text"].count()
        if col.kind == "date" or col.min is not None:
            aggs[f"chk__{col.name}__min"] = v.min()
        if col.kind == "date" or col.max is not None:
            aggs[f"chk__{col.name}__max"] = v.max()
    for order in getattr(inp.spec, "orders", ()):
        if order.column in inp.columns and order.other in inp.columns:
            a, o = t[order.column], t[order.other]
            aggs[f"chk__{order.column}__{order.other}"] = t.count(where=(a > o) if order.op == "<=" else (a < o))
    return aggs


def verify(g: Any, inp: Input, keys: tuple[str, ...] = (), implied: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read the check aggregates of a grouping (one small query); raise :class:`Fallback` on any bad row.

    ``implied``: as given to :func:`check_aggregates`. Returns ``{"rows": data rows (blank ones left
    out), "first": ..., "last": ...}`` with the first and last ``date``.
    """
    import datetime as dt

    from .backends import fetch

    implied = dict(implied or {})
    counts = {c: g[implied[c]].notnull().ifelse(g.n, 0) if c in implied else g[f"chk__{c}__n"]
              for c in inp.columns}  # per group: the cells with a value
    texts = [g[f"chk__{c.name}__text"] if f"chk__{c.name}__text" in g.columns else counts[c.name]
             for c in inp.spec.columns if c.name in inp.columns]
    # a group whose rows have no text in any column holds blank rows (the pandas reader drops them)
    aggs: dict[str, Any] = {"n": g.n.sum(), "blank": g.n.sum(where=sum(texts[1:], texts[0]) == 0)}
    for k in keys:  # ids with spaces around them or only spaces: the pandas reader strips them
        aggs[f"spaces__{k}"] = g.count(where=g[k].notnull() & (_trim(g[k]) != g[k]))
    for c in implied:
        if c in inp.columns:
            aggs[f"chk__{c}__n"] = counts[c].sum()
    for c in g.columns:
        if not c.startswith("chk__"):
            continue
        kind = c.rsplit("__", 1)[1]
        aggs[c] = g[c].min() if kind == "min" else (g[c].max() if kind == "max" else g[c].sum())
    r = fetch(g.aggregate(**aggs)).iloc[0]
    rows = _int(r["n"]) - _int(r["blank"])
    problems: list[str] = [f"{k}: ids with spaces around them" for k in keys if _int(r[f"spaces__{k}"])]
    lo, hi = (dt.date.fromisoformat(d) for d in DATE_RANGE)
    for col in inp.spec.columns:
        if col.name not in inp.columns:
            continue
        n = _int(r[f"chk__{col.name}__n"])
        text = f"chk__{col.name}__text"
        if text in r.index and _int(r[text]) != n:
            problems.append(f"{col.name}: values that do not parse")
        if col.required and not col.nullable and n != rows:
            problems.append(f"{col.name}: empty cells")
        lo_v, hi_v = r.get(f"chk__{col.name}__min"), r.get(f"chk__{col.name}__max")
        if col.kind == "date":
            if lo_v is not None and not _missing(lo_v) and (_day(lo_v) < lo or _day(hi_v) > hi):
                problems.append(f"{col.name}: dates out of range")
            continue
        if col.min is not None and not _missing(lo_v):
            if float(lo_v) < col.min or (col.min_exclusive and float(lo_v) <= col.min):
                problems.append(f"{col.name}: below {col.min}")
        if col.max is not None and not _missing(hi_v) and float(hi_v) > col.max:
            problems.append(f"{col.name}: above {col.max}")
    for c in r.index:
        if c.startswith("chk__") and c.count("__") == 2 and not c.endswith(("__n", "__text", "__min", "__max")):
            if _int(r[c]):
                problems.append(f"{c[5:]}: rows break a row rule")
    if rows <= 0 or problems:
        raise Fallback("; ".join(problems) or "no data rows")
    return {"rows": rows, "first": _day(r["chk__date__min"]), "last": _day(r["chk__date__max"])}


def _int(x: Any) -> int:
    """A count from an aggregate: 0 where the engine gives NULL (a filtered sum over no rows)."""
    return 0 if _missing(x) else int(x)


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and x != x) or str(x) in ("NaT", "nan", "<NA>")


def _day(x: Any) -> Any:
    import datetime as dt

    import pandas as pd

    if isinstance(x, dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    return pd.Timestamp(x).date()


# ----------------------------------------------------------------------------- the pandas reader
def pandas_table(inp: Input, column_map: Mapping[str, str], star: Mapping[str, str], dialect: Dialect) -> Any:
    """Read a Parquet folder or a database table with the pandas reader's checks (its DataError).

    Returns the :class:`kpi_helpers.data.TableResult`. Used when the engine flagged rows of a source
    that :func:`kpi_helpers.data.load_case` cannot read (a folder of parts, a database table).
    """
    import numpy as np
    import pandas as pd

    from ..data.validation import check_table

    if inp.kind == "database":
        raw = inp.database[0].table(inp.database[1]).to_pandas()
        path = Path(inp.file)
    else:
        path = _path(inp)
        parts = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
        raw = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    raw.columns = [str(c) for c in raw.columns]
    rows = np.arange(len(raw), dtype=np.int64) + 2
    return check_table(path, inp.spec, column_map, dialect, star, inp.file, raw, rows, None, [])
