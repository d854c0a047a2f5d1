"""Case tables: schemas, reading (CSV / Excel / Parquet, dialects, column maps) and validation.

One call per notebook::

    cd = load_case("startup", "data/startup")
    invoices = cd["invoices"]

The schemas are data (:data:`TABLES`), so the command line can list them and write
header-only templates (:func:`write_template`).

Reading is done in two steps. Every file is first read as text (CSV: ``dtype=str``,
``keep_default_na=False``; Excel and Parquet keep their native cell values), so ids keep
their leading zeros and nothing is guessed. Then each canonical column is converted by an
explicit parser for its kind, collecting the offending rows:

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

Validation choice: **plain pandas, not pandera.** The type conversion is ours anyway (it has
to know decimal commas, day-first dates and spreadsheet row numbers), so pandera would only
have checked ranges and uniqueness -- a few vectorised lines here. Its failures come back as a
table of index positions and check names that would have to be mapped back to rows and
re-worded, and importing it costs about 0.25 s. Plain checks give the message we want
directly: file, column, spreadsheet rows, offending values and what was expected.

Every problem becomes a :class:`DataError` whose message is one readable paragraph, e.g.
``startup/invoices.csv, column 'amount': 3 values are not numbers (rows 4, 9, 17: '12,5x',
'abc', 'n/a'); expected a number such as 1234.50 or 1234,50 with --decimal ,.``
Row numbers are spreadsheet rows: the header is row 1, the first data row is row 2.
"""
from __future__ import annotations

import datetime as _dt
import io
import math
import re
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping

from ._lazy import np, pd  # numpy and pandas, imported on first use
from .periods import code_label, month_table, months_present

__all__ = [
    "DataError",
    "Dialect",
    "ColumnSpec",
    "TableSpec",
    "Reference",
    "Order",
    "TABLES",
    "MAIN_TABLE",
    "CASE_DESCRIPTIONS",
    "EXTENSIONS",
    "KIND_DTYPES",
    "CaseData",
    "TableResult",
    "table_spec",
    "read_table",
    "load_case",
    "parse_column_map",
    "describe_tables",
    "write_template",
]

Kind = Literal["id", "text", "date", "number", "integer", "time"]

#: dtype of a loaded column per kind (integer columns that may be empty are float64).
KIND_DTYPES: dict[str, str] = {
    "id": "str",
    "text": "str",
    "date": "datetime64[us]",
    "time": "datetime64[us]",
    "number": "float64",
    "integer": "int64",
}

#: File name endings looked for, in this order, for each table.
EXTENSIONS: tuple[str, ...] = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet")
_TEXT_EXT = {".csv", ".txt", ".tsv"}
_EXCEL_EXT = {".xlsx", ".xlsm"}
_MAX_LISTED = 5
#: Dates outside this range are typos or placeholders (0001-01-01, 9999-12-31, Excel's day 0): a
#: DataError, not a date. One stray year 9999 would otherwise make every case loop over 95,000 months.
DATE_RANGE: tuple[str, str] = ("1900-01-01", "2099-12-31")
#: A stretch of at least this many months without rows in a case's main table is warned about.
_GAP_MONTHS = 12


# --------------------------------------------------------------------------- errors
class DataError(ValueError):
    """A data file that cannot be used as it is.

    Attributes
    ----------
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
        file: str | None = None,
        column: str | None = None,
        rows: Iterable[int] = (),
        expected: str | None = None,
        path: Path | None = None,
        problems: Iterable["DataError"] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
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


# --------------------------------------------------------------------------- dialect
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
    encoding : str or None
        Text encoding; ``None`` tries UTF-8 (with or without BOM; UTF-16 with a BOM)
        and falls back to Windows-1252 with a warning.
    """

    sep: str | None = None
    decimal: str | None = None
    dayfirst: bool = False
    encoding: str | None = None

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


# --------------------------------------------------------------------------- schemas
@dataclass(frozen=True)
class ColumnSpec:
    """One canonical column.

    ``required`` is about the column being in the file; ``nullable`` about empty cells.
    ``min``/``max`` are inclusive unless ``min_exclusive``.
    """

    name: str
    kind: Kind
    required: bool = True
    min: float | None = None
    max: float | None = None
    unique: bool = False
    nullable: bool = False
    description: str = ""
    min_exclusive: bool = False

    @property
    def dtype(self) -> str:
        """The dtype of this column once loaded."""
        if self.kind == "integer" and self.nullable:
            return "float64"
        return KIND_DTYPES[self.kind]

    def constraint(self) -> str:
        """The value range in words ('' when unconstrained)."""
        if self.min is not None and self.max is not None:
            return f"{_num(self.min)} to {_num(self.max)}"
        if self.min is not None:
            return f"{'>' if self.min_exclusive else '>='} {_num(self.min)}"
        if self.max is not None:
            return f"<= {_num(self.max)}"
        return ""

    def expectation(self) -> str:
        """What a valid value looks like, in words, for error messages."""
        noun = {
            "id": "an identifier",
            "text": "a text",
            "date": "a date",
            "time": "a time such as 18:30",
            "number": "a number",
            "integer": "a whole number",
        }[self.kind]
        rng = self.constraint()
        if not rng:
            return noun
        if self.min is not None and self.max is not None:
            return f"{noun} from {rng}"
        return f"{noun} {rng}"


@dataclass(frozen=True)
class Reference:
    """``column`` values must appear in ``table.target`` (checked when that table is loaded).

    With ``warn_only`` a miss is a warning instead of an error.
    """

    column: str
    table: str
    target: str | None = None
    warn_only: bool = False

    @property
    def target_column(self) -> str:
        return self.target or self.column


@dataclass(frozen=True)
class Order:
    """Row rule ``column <op> other`` (checked where both are present), e.g. clicks <= impressions."""

    column: str
    op: Literal["<=", ">="]
    other: str


@dataclass(frozen=True)
class TableSpec:
    """One canonical table: its columns, whether the case needs it, and its cross-checks."""

    name: str
    columns: tuple[ColumnSpec, ...]
    required: bool = True
    description: str = ""
    references: tuple[Reference, ...] = ()
    orders: tuple[Order, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def optional_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if not c.required)

    @property
    def file_names(self) -> tuple[str, ...]:
        """The file names looked for, e.g. ``('invoices.csv', 'invoices.txt', ...)``."""
        return tuple(self.name + ext for ext in EXTENSIONS)

    @property
    def dtypes(self) -> dict[str, str]:
        return {c.name: c.dtype for c in self.columns}

    def column(self, name: str) -> ColumnSpec:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r} (columns: {', '.join(self.column_names)})")


def _score(name: str, what: str) -> ColumnSpec:
    return ColumnSpec(name, "number", required=False, min=1, max=5, nullable=True,
                      description=f"{what}, score 1-5 (empty = not scored)")


_CUSTOMERS = TableSpec(
    "customers",
    (
        ColumnSpec("customer", "id", unique=True, description="customer name or id, as in the revenue table"),
        _score("strategic_value", "strategic value"),
        _score("growth_potential", "growth potential"),
        _score("engagement", "engagement"),
    ),
    required=False,
    description="qualitative scores per customer for key-account scoring",
)


def _revenue_table(name: str, description: str) -> TableSpec:
    return TableSpec(
        name,
        (
            ColumnSpec("date", "date", description="invoice or transaction date"),
            ColumnSpec("customer", "id", description="customer name or id (kept verbatim)"),
            ColumnSpec("amount", "number", description="amount in the case currency (credit notes negative)"),
        ),
        description=description,
        references=(Reference("customer", "customers", warn_only=True),),
    )


TABLES: dict[str, dict[str, TableSpec]] = {
    "startup": {
        "invoices": _revenue_table("invoices", "one row per invoice"),
        "customers": _CUSTOMERS,
    },
    "consultancy": {
        "projects": TableSpec(
            "projects",
            (
                ColumnSpec("project_id", "id", unique=True, description="project id"),
                ColumnSpec("client", "id", description="client name (the account)"),
                ColumnSpec("start_date", "date", description="project start"),
                ColumnSpec("planned_end", "date", description="planned end date"),
                ColumnSpec("actual_end", "date", nullable=True, description="actual end date (empty while ongoing)"),
                ColumnSpec("hourly_rate", "number", min=0, description="hourly rate billed"),
            ),
            description="one row per project",
            orders=(Order("planned_end", ">=", "start_date"), Order("actual_end", ">=", "start_date")),
        ),
        "timesheets": TableSpec(
            "timesheets",
            (
                ColumnSpec("date", "date", description="day worked"),
                ColumnSpec("consultant", "id", description="consultant name or id"),
                ColumnSpec("project_id", "id", description="project id, as in projects"),
                ColumnSpec("hours", "number", min=0, description="billable hours"),
            ),
            description="billable hours per consultant, project and day",
            references=(Reference("project_id", "projects"), Reference("consultant", "consultants")),
        ),
        "consultants": TableSpec(
            "consultants",
            (
                ColumnSpec("consultant", "id", unique=True, description="consultant name or id"),
                ColumnSpec("start_date", "date", description="employed from"),
                ColumnSpec("end_date", "date", nullable=True, description="employed until (empty = still employed)"),
                ColumnSpec("weekly_hours", "number", min=0, min_exclusive=True, description="contract hours per week"),
            ),
            required=False,
            description="who was employed when (for utilization and revenue per consultant)",
            orders=(Order("end_date", ">=", "start_date"),),
        ),
        "surveys": TableSpec(
            "surveys",
            (
                ColumnSpec("project_id", "id", description="project id, as in projects"),
                ColumnSpec("date", "date", description="date of the answer"),
                ColumnSpec("score", "integer", min=1, max=5, description="satisfaction 1-5"),
            ),
            required=False,
            description="client satisfaction answers",
            references=(Reference("project_id", "projects"),),
        ),
    },
    "marketing_agency": {
        "campaign_stats": TableSpec(
            "campaign_stats",
            (
                ColumnSpec("date", "date", description="day (or first day of the reporting period)"),
                ColumnSpec("client", "id", description="client name (the account)"),
                ColumnSpec("campaign", "id", description="campaign name"),
                ColumnSpec("channel", "text", required=False, nullable=True, description="channel, e.g. search, social"),
                ColumnSpec("impressions", "integer", min=0, description="ad impressions"),
                ColumnSpec("clicks", "integer", min=0, description="clicks"),
                ColumnSpec("conversions", "integer", min=0, description="conversions"),
                ColumnSpec("spend", "number", min=0, description="media spend"),
                ColumnSpec("conversion_value", "number", required=False, min=0, description="value of the conversions"),
            ),
            description="campaign statistics per day and campaign",
            orders=(Order("clicks", "<=", "impressions"),),
        ),
    },
    "restaurant": {
        "visits": TableSpec(
            "visits",
            (
                ColumnSpec("date", "date", description="day of the visit"),
                ColumnSpec("seated_at", "time", required=False, nullable=True, description="seated at, HH:MM"),
                ColumnSpec("left_at", "time", required=False, nullable=True,
                           description="left at, HH:MM (earlier than seated_at = after midnight)"),
                ColumnSpec("table", "id", description="table id, as in tables"),
                ColumnSpec("guest_id", "id", required=False, nullable=True,
                           description="guest id (empty = unknown guest)"),
                ColumnSpec("covers", "integer", min=1, description="guests in the party"),
                ColumnSpec("bill", "number", min=0, description="bill total"),
                ColumnSpec("rating", "integer", required=False, min=1, max=5, nullable=True,
                           description="rating 1-5 (empty = none given)"),
            ),
            description="one row per party seated",
            references=(Reference("table", "tables"),),
        ),
        "tables": TableSpec(
            "tables",
            (
                ColumnSpec("table", "id", unique=True, description="table id"),
                ColumnSpec("seats", "integer", min=1, description="seats at the table"),
            ),
            required=False,
            description="the restaurant's tables",
        ),
    },
    "your_data": {
        "transactions": _revenue_table("transactions", "one row per sale or invoice"),
        "customers": _CUSTOMERS,
    },
    "concepts": {
        "production": TableSpec(
            "production",
            (
                ColumnSpec("step", "text", description="production step"),
                ColumnSpec("units_in", "integer", min=0, description="units entering the step"),
                ColumnSpec("good_first_pass", "integer", min=0, description="units good at the first attempt"),
                ColumnSpec("defective", "integer", min=0, description="units found defective"),
                ColumnSpec("minutes", "number", min=0, description="total minutes spent"),
            ),
            description="a manufacturer's production steps",
            orders=(Order("good_first_pass", "<=", "units_in"), Order("defective", "<=", "units_in")),
        ),
        "bank_client": TableSpec(
            "bank_client",
            (
                ColumnSpec("month", "id", unique=True, description="calendar month, YYYY-MM"),
                ColumnSpec("revenue", "number", min=0, description="revenue from the bank client"),
                ColumnSpec("support_tickets", "integer", min=0, description="support tickets opened"),
                ColumnSpec("tickets_resolved_in_sla", "integer", min=0, description="tickets resolved within the SLA"),
                ColumnSpec("csat_responses", "integer", min=0, description="satisfaction survey answers"),
                ColumnSpec("csat_satisfied", "integer", min=0, description="answers scoring 4 or 5"),
                ColumnSpec("nps_promoters", "integer", min=0, description="NPS answers 9-10"),
                ColumnSpec("nps_detractors", "integer", min=0, description="NPS answers 0-6"),
                ColumnSpec("nps_responses", "integer", min=0, description="NPS answers"),
            ),
            required=False,
            description="a software company's bank client (a key account) month by month",
            orders=(
                Order("tickets_resolved_in_sla", "<=", "support_tickets"),
                Order("csat_satisfied", "<=", "csat_responses"),
                Order("nps_promoters", "<=", "nps_responses"),
                Order("nps_detractors", "<=", "nps_responses"),
            ),
        ),
    },
}

#: The table whose ``date`` column gives :attr:`CaseData.date_range`, per case.
MAIN_TABLE: dict[str, str] = {
    "startup": "invoices",
    "consultancy": "timesheets",
    "marketing_agency": "campaign_stats",
    "restaurant": "visits",
    "your_data": "transactions",
}

CASE_DESCRIPTIONS: dict[str, str] = {
    "concepts": "side examples: a manufacturer's quality and time KPIs",
    "startup": "customers A and B; KPI monthly revenue growth",
    "consultancy": "a multinational client; satisfaction, completion time, revenue per consultant",
    "marketing_agency": "a high-profile client's campaigns; CTR, conversion rate, ROAS",
    "restaurant": "a VIP regular; average rating, revenue per table, table turnover",
    "your_data": "your own transactions: key accounts and revenue KPIs",
}


def table_spec(case: str, table: str) -> TableSpec:
    """The :class:`TableSpec` of ``table`` in ``case`` (ValueError naming the choices)."""
    tables = _case_tables(case)
    if table not in tables:
        raise ValueError(f"case {case!r} has no table {table!r} (tables: {', '.join(tables)})")
    return tables[table]


def _case_tables(case: str) -> dict[str, TableSpec]:
    if case not in TABLES:
        raise ValueError(f"unknown case {case!r} (cases: {', '.join(TABLES)})")
    return TABLES[case]


# --------------------------------------------------------------------------- results
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
        """One row per case table: file, rows, missing optional columns, how it was read."""
        out = []
        for name, spec in TABLES[self.case].items():
            frame = self.tables.get(name)
            d = self.dialects.get(name)
            out.append({
                "table": name,
                "required": spec.required,
                "file": self.files[name].name if name in self.files else "",
                "rows": 0 if frame is None else len(frame),
                "missing_columns": ", ".join(self.missing_columns.get(name, ())),
                "read_as": "" if d is None else _dialect_words(d),
            })
        return pd.DataFrame(out)


# --------------------------------------------------------------------------- small helpers
def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _short(v: Any, width: int = 30) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        s = ""
    elif isinstance(v, (pd.Timestamp, _dt.datetime)) and not pd.isna(v):
        ts = pd.Timestamp(v)
        s = ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M")
    elif isinstance(v, (float, np.floating)) and float(v).is_integer():
        s = str(int(v))
    else:
        s = str(v)
    s = _printable(s.strip())
    return s if len(s) <= width else s[: width - 3] + "..."


def _printable(s: str) -> str:
    """Control characters as escapes (a newline in a value must not split the one-line message)."""
    if s.isprintable():
        return s
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in s)


def _rows_text(rows: list[int], values: list[str] | None = None) -> str:
    n = len(rows)
    shown = rows[:_MAX_LISTED]
    label = "row" if n == 1 else "rows"
    txt = f"{label} {', '.join(str(r) for r in shown)}"
    if n > _MAX_LISTED:
        txt += f" and {n - _MAX_LISTED} more"
    if values is not None:
        txt += ": " + ", ".join(values[:_MAX_LISTED])
    return txt


def _quote_list(names: Iterable[str]) -> str:
    return ", ".join(f"'{_printable(str(n))}'" for n in names)


def _dialect_words(d: Dialect) -> str:
    sep = {"\t": "tab", ",": "','", ";": "';'"}.get(d.sep or ",", repr(d.sep))
    return f"sep {sep}, decimal '{d.decimal}', {d.encoding}" + (", day first" if d.dayfirst else "")


def _display_name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


# --------------------------------------------------------------------------- raw reading
_SEP_CANDIDATES = (",", ";", "\t")


def _sniff_sep(header: str) -> str:
    counts = dict.fromkeys(_SEP_CANDIDATES, 0)
    in_quote = False
    for ch in header:
        if ch == '"':
            in_quote = not in_quote
        elif not in_quote and ch in counts:
            counts[ch] += 1
    best = max(_SEP_CANDIDATES, key=lambda c: counts[c])  # ties: first candidate
    return best if counts[best] > 0 else ","


def _decode(data: bytes, encoding: str | None, file: str, path: Path) -> tuple[str, str, str | None]:
    """Return (text, encoding used, warning or None)."""
    if encoding:
        try:
            return data.decode(encoding).lstrip("\ufeff"), encoding, None
        except LookupError:
            raise DataError(f"{file}: unknown encoding {encoding!r}; expected an encoding name such as "
                            "utf-8 or cp1252.", file=file, path=path, expected="a known encoding") from None
        except UnicodeDecodeError as e:
            raise DataError(
                f"{file}: the file is not valid {encoding} text (byte {e.start}); expected {encoding} text, "
                "or leave the encoding out to detect UTF-8 or Windows-1252.",
                file=file, path=path, expected=f"{encoding} text") from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16", None
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8", None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise DataError(
            f"{file}: the file is neither UTF-8 nor Windows-1252 text (byte {e.start}); expected a text file "
            "saved as UTF-8, or pass the encoding (--encoding).",
            file=file, path=path, expected="UTF-8 or Windows-1252 text") from None
    return text, "cp1252", (
        f"{file} is not UTF-8; it was read as Windows-1252 (cp1252). If letters such as æ ø å look wrong, "
        "pass the right encoding (--encoding).")


def _read_text_file(path: Path, file: str, dialect: Dialect, spec: TableSpec
                    ) -> tuple[pd.DataFrame, np.ndarray, Dialect, list[str]]:
    warnings: list[str] = []
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DataError(f"{file}: cannot be read ({e.strerror}).", file=file, path=path) from None
    text, enc, warn = _decode(data, dialect.encoding, file, path)
    if warn:
        warnings.append(warn)
    expected_header = ", ".join(spec.column_names)
    if "\x00" in text:  # valid UTF-8, but no text file has NUL: UTF-16 without BOM, or binary
        row = text[: text.index("\x00")].count("\n") + 1
        raise DataError(
            f"{file}: row {row} contains NUL bytes, which no text table has (UTF-16 without a byte-order mark? "
            "then pass --encoding utf-16); expected a text file saved as UTF-8 or Windows-1252.",
            file=file, rows=[row], path=path, expected="a text file without NUL bytes")
    if not text.strip():
        raise DataError(
            f"{file}: the file is empty; expected a header row ({expected_header}) and data rows below it.",
            file=file, path=path, expected=f"a header row: {expected_header}")
    # leading blank lines and Excel's "sep=;" hint line are skipped (and counted for row numbers)
    lead = re.match(r"(?:[ \t]*(?:\r\n|\n|\r))*", text)
    skipped = lead.group(0).count("\n") + lead.group(0).replace("\r\n", "").count("\r")
    pos = lead.end()
    sep = dialect.sep
    m = re.match(r'"?sep=([^\r\n])"?[ \t]*(?:\r\n|\n|\r|$)', text[pos:pos + 20])
    if m:
        sep = sep or m.group(1)
        skipped += 1
        pos += m.end()
    body = text[pos:]
    if not body.strip():
        raise DataError(
            f"{file}: the file is empty; expected a header row ({expected_header}) and data rows below it.",
            file=file, path=path, expected=f"a header row: {expected_header}")
    header_line = re.match(r"[^\r\n]*", body).group(0)
    if sep is None:
        sep = "\t" if path.suffix.lower() == ".tsv" else _sniff_sep(header_line)
    try:
        # header=None: the header is read as the first row, so a first data row with more fields than
        # the header is a ragged row (below) instead of silently becoming an index that shifts every
        # column, and duplicate header names come through as they are (pandas would rename them).
        raw = pd.read_csv(
            io.StringIO(body), sep=sep, header=None, dtype=str, keep_default_na=False, na_filter=False,
            skip_blank_lines=False, engine="c",
        )
    except pd.errors.EmptyDataError:
        raise DataError(
            f"{file}: the file is empty; expected a header row ({expected_header}) and data rows below it.",
            file=file, path=path, expected=f"a header row: {expected_header}") from None
    except pd.errors.ParserError as e:
        mm = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        if mm:
            row = int(mm.group(2)) + skipped
            hint = ("a decimal comma in a comma-separated file, or a ',' at the end of the row? Quote such "
                    "values, or save the file with ';' as separator" if sep == "," else
                    "a separator inside a value, or at the end of the row? Quote such values")
            raise DataError(
                f"{file}: row {row} has {mm.group(3)} fields but the header has {mm.group(1)} "
                f"(separator {'tab' if sep == chr(9) else repr(sep)}); {hint}. Expected {mm.group(1)} fields "
                "in every row.",
                file=file, rows=[row], path=path, expected=f"{mm.group(1)} fields per row") from None
        mm = re.search(r"EOF inside string starting at row (\d+)", str(e))
        if mm:
            row = int(mm.group(1)) + 1 + skipped
            raise DataError(
                f"{file}: row {row} opens a quote (\") that is never closed, so the rest of the file would be "
                "one value; expected every quoted value to end with a quote.",
                file=file, rows=[row], path=path, expected="closed quotes") from None
        raise DataError(f"{file}: cannot be read as a table ({e}); expected a {'tab' if sep == chr(9) else repr(sep)}"
                        "-separated text file with a header row.", file=file, path=path,
                        expected="a separated text file") from None
    raw = raw.fillna("")
    header = [str(h) for h in raw.iloc[0]] if len(raw) else []
    names = [h if h.strip() else f"Unnamed: {i}" for i, h in enumerate(header)]
    raw = raw.iloc[1:].reset_index(drop=True)
    raw.columns = _dedupe(names)
    raw.attrs["source_columns"] = names
    rows = np.arange(len(raw), dtype=np.int64) + 2 + skipped
    used = Dialect(sep=sep, decimal=dialect.decimal, dayfirst=dialect.dayfirst, encoding=enc)
    return raw, rows, used, warnings


def _read_excel_file(path: Path, file: str, table: str) -> tuple[pd.DataFrame, np.ndarray]:
    import openpyxl  # lazily: only Excel users pay for it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # zipfile.BadZipFile, InvalidFileException, ...
        raise DataError(f"{file}: cannot be read as an Excel workbook ({type(e).__name__}: {e}); expected an "
                        ".xlsx file saved by Excel.", file=file, path=path, expected="an .xlsx workbook") from None
    try:
        sheets = {ws.title.strip().casefold(): ws for ws in wb.worksheets}
        ws = sheets.get(table.casefold(), wb.worksheets[0])
        header: list[Any] | None = None
        columns: list[list[Any]] = []
        rows: list[int] = []
        for r, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
            if header is None:
                if any(v is not None and str(v).strip() for v in values):
                    header = list(values)
                    while header and (header[-1] is None or not str(header[-1]).strip()):
                        header.pop()
                    columns = [[] for _ in header]
                continue
            vals = list(values[: len(header)]) + [None] * max(0, len(header) - len(values))
            for col, v in zip(columns, vals):
                col.append(v)
            rows.append(r)
    finally:
        wb.close()
    if header is None:
        raise DataError(f"{file}: sheet '{ws.title}' is empty; expected a header row in the first row and data "
                        "below it.", file=file, path=path, expected="a header row")
    names = [("" if h is None else str(h)) for h in header]
    source = [n if n.strip() else f"Unnamed: {i}" for i, n in enumerate(names)]
    names = _dedupe(source)
    raw = pd.DataFrame({n: pd.Series(c, dtype=object) for n, c in zip(names, columns)}, index=range(len(rows)))
    raw.attrs["source_columns"] = source
    return raw, np.asarray(rows, dtype=np.int64)


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            out.append(f"{n}.{seen[n]}")
        else:
            seen[n] = 0
            out.append(n)
    return out


def _read_parquet_file(path: Path, file: str) -> tuple[pd.DataFrame, np.ndarray]:
    try:
        raw = pd.read_parquet(path)
    except ImportError:
        raise
    except Exception as e:
        raise DataError(f"{file}: cannot be read as a Parquet file ({type(e).__name__}: {e}).",
                        file=file, path=path, expected="a Parquet file") from None
    raw = raw.reset_index(drop=True)
    raw.columns = _dedupe([str(c) for c in raw.columns])
    return raw, np.arange(len(raw), dtype=np.int64) + 2


# --------------------------------------------------------------------------- fast text reading
# A consultant's export of millions of rows is nearly always the plain case: UTF-8, one header
# line, ISO dates, numbers with a decimal point, no empty cells. That case is read with pyarrow's
# multi-threaded CSV reader and the checks are done on distinct values (dates and ids repeat), not on
# every row. Whenever the fast reader cannot be sure that the robust reader above would read the
# file the same way, it steps aside (returns None), and when it has read a file that turns out to
# have a problem, read_table reads it again with the robust reader, which words the message. Both
# readers give identical frames: tests/test_fast_paths.py reads every shipped file both ways.
_FAST_BLOCK = 1 << 23  # bytes per parallel parse block
_FAST_TEXT = True  # False: always the robust reader (the tests compare both)


def _scan_text(path: Path) -> tuple[bytes, bool] | None:
    """Read a file once in slices: its first 64 KiB and whether it has a quote character.

    None when the file cannot be read, has a NUL byte or is not UTF-8. Nothing is kept but the head,
    so a large file is never in memory twice.
    """
    import codecs

    dec = codecs.getincrementaldecoder("utf-8")()
    head, quoted, decoding = b"", False, False
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 24):
                if not head:
                    head = chunk[:65536]
                if b"\x00" in chunk:
                    return None
                quoted = quoted or b'"' in chunk
                decoding = decoding or not chunk.isascii()
                if decoding:  # from the first non-ASCII slice on (a character may span two slices)
                    dec.decode(chunk)
            dec.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return None
    return head, quoted


def _gather_chunks(parts: list[tuple[np.ndarray, np.ndarray]], n: int, dtype: Any) -> np.ndarray:
    """``concatenate([table[indices] for indices, table in parts])`` into one array, without the
    intermediate index and value arrays (each is millions of rows)."""
    out = np.empty(n, dtype=dtype)
    pos = 0
    for indices, table in parts:
        np.take(table, indices, out=out[pos:pos + len(indices)])
        pos += len(indices)
    return out


def _encode_text(col: Any) -> tuple[list[tuple[np.ndarray, np.ndarray]], Any]:
    """Dictionary encoding of a pyarrow text column: ``(parts, distinct values)``.

    ``parts`` is a list of ``(indices, map)`` per chunk: row ``i`` of a chunk has the distinct value
    ``map[indices[i]]`` (the caller composes its own mapping and gathers once). A large column is
    encoded in two halves on two threads (pyarrow releases the GIL), and the second half's distinct
    values are then looked up among the first's: a few hundred thousand look-ups, not millions.
    """
    import os
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow as pa
    import pyarrow.compute as pc

    def dictionary_of(enc: Any) -> Any:
        return enc.chunk(0).dictionary if enc.num_chunks else pa.array([], col.type)

    def parts_of(enc: Any, mapping: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(ch.indices.to_numpy(zero_copy_only=False), mapping) for ch in enc.chunks]

    chunks = col.chunks
    lengths = np.cumsum([len(ch) for ch in chunks])
    if len(chunks) < 2 or len(col) < 2_000_000 or (os.cpu_count() or 1) < 2:
        enc = pc.dictionary_encode(col)
        d = dictionary_of(enc)
        return parts_of(enc, np.arange(len(d), dtype=np.int32)), d
    h = int(np.searchsorted(lengths, lengths[-1] / 2)) + 1
    halves = [pa.chunked_array(chunks[:h], type=col.type), pa.chunked_array(chunks[h:], type=col.type)]
    with ThreadPoolExecutor(2) as ex:
        first, second = ex.map(pc.dictionary_encode, halves)
    d1, d2 = dictionary_of(first), dictionary_of(second)
    pos = pc.fill_null(pc.index_in(d2, value_set=d1), -1).to_numpy().astype(np.int32)
    new = pos < 0
    pos[new] = len(d1) + np.arange(int(new.sum()), dtype=np.int32)
    dictionary = pa.concat_arrays([d1, d2.filter(pa.array(new))])
    return parts_of(first, np.arange(len(d1), dtype=np.int32)) + parts_of(second, pos), dictionary


def _read_text_fast(path: Path, file: str, dialect: Dialect, spec: TableSpec, column_map: Mapping[str, str],
                    star_map: Mapping[str, str]) -> tuple | None:
    """Read a text file the fast way, or return None when the robust reader must decide.

    Handled: UTF-8 (with or without BOM), the header on the first line, any separator, quoting,
    decimal point; id and text columns (checked once per distinct value), dates of any format the
    robust reader knows (parsed once per distinct value), numbers that pyarrow and the robust
    parser both read (finite, no thousands separators, no empty cells). Not handled (None): another
    encoding, a decimal comma, leading blank or ``sep=`` lines, blank lines, ragged rows, empty or
    repeated header names, time columns, NUL bytes.

    Returns ``(raw, rows, dialect used, warnings, preparsed, factorized)`` for :func:`_check_table`:
    ``preparsed`` names the raw columns that already hold their final values (dates, cleaned ids),
    ``factorized`` maps canonical id columns to ``(codes, sorted distinct values)``.
    """
    if dialect.decimal == ",":
        return None
    if dialect.encoding is not None:
        import codecs

        try:
            if codecs.lookup(dialect.encoding).name not in ("utf-8", "utf-8-sig"):
                return None
        except LookupError:
            return None
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pacsv
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        return None
    scanned = _scan_text(path)
    if scanned is None:
        return None
    head, quoted = scanned
    if head.startswith(b"\xef\xbb\xbf"):  # pyarrow skips a UTF-8 byte-order mark, as the robust reader does
        head = head[3:]
    if head.startswith(b"\xef\xbb\xbf"):
        return None
    if not head.strip() or head[:1] in (b" ", b"\t", b"\r", b"\n") or re.match(rb'"?sep=', head):
        return None
    nl = re.search(rb"\r\n|\n|\r", head)
    if nl is None:
        return None
    sep = dialect.sep or ("\t" if path.suffix.lower() == ".tsv" else _sniff_sep(head[:nl.start()].decode("utf-8")))
    if sep in ('"', "\r", "\n"):
        return None
    parse = pacsv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True, escape_char=False,
                               newlines_in_values=quoted, ignore_empty_lines=False)
    try:
        names = pacsv.read_csv(pa.BufferReader(head[:nl.end()]), parse_options=parse,
                               read_options=pacsv.ReadOptions(use_threads=False)).column_names
    except (pa.ArrowException, ValueError):
        return None
    cleaned = [_clean(n) for n in names]
    if not all(cleaned) or len(set(cleaned)) != len(cleaned):
        return None
    try:
        cols = _resolve_columns(list(names), spec, column_map, star_map, file, path)
        if any(c not in cols for c in spec.required_columns):
            return None
        specs = {cols[c.name]: c for c in spec.columns if c.name in cols}
        # the frame handed on holds the used columns only: they must resolve the same way on their own
        if _resolve_columns(list(specs), spec, column_map, star_map, file, path) != cols:
            return None
    except DataError:
        return None
    if any(c.kind == "time" for c in specs.values()):
        return None
    # large_string: what pandas' "str" columns hold, so they are not converted again
    types_ = {name: (pa.dictionary(pa.int32(), pa.string()) if c.kind == "date" else
                     pa.large_string() if c.kind in ("id", "text") else pa.float64()) for name, c in specs.items()}
    try:
        table = pacsv.read_csv(
            str(path),
            read_options=pacsv.ReadOptions(use_threads=True, block_size=_FAST_BLOCK),
            parse_options=parse,
            convert_options=pacsv.ConvertOptions(column_types=types_, include_columns=list(specs),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                 null_values=[], check_utf8=True))
    except (pa.ArrowException, ValueError, OSError):
        return None
    n = table.num_rows
    if n == 0:
        return None
    raw: dict[str, pd.Series] = {}
    preparsed: set[str] = set()
    factorized: dict[str, tuple[np.ndarray, pd.Index]] = {}
    for name, c in specs.items():
        col = table.column(name)
        table = table.drop_columns([name])  # each raw column is freed once converted
        if c.kind in ("number", "integer"):
            arr = col.to_numpy()
            del col
            if not np.isfinite(arr).all():  # pyarrow reads nan and inf, the robust reader does not
                return None
            raw[name] = pd.Series(arr, dtype="float64", copy=False)
            if c.kind == "number":  # integers still go through the whole-number check
                preparsed.add(name)
            continue
        if c.kind == "date":
            col = col.unify_dictionaries()
            uniq = col.chunk(0).dictionary if col.num_chunks else pa.array([], pa.string())
            text = pd.Series(uniq.to_pandas(), dtype="str").str.strip()
            values, ok = _text_dates(text, dialect.dayfirst)
            if not ok.all():
                return None
            parts = [(ch.indices.to_numpy(zero_copy_only=False), values) for ch in col.chunks]
            raw[name] = pd.Series(_gather_chunks(parts, n, "datetime64[us]"), dtype="datetime64[us]", copy=False)
            preparsed.add(name)
            continue
        # id / text: clean the distinct values as the robust reader cleans every cell
        parts, uniq = _encode_text(col)
        clean, _ = _parse_text(pd.Series(uniq.to_pandas(), dtype="str"))
        u_codes, u_sorted = pd.factorize(clean, sort=True)
        u_codes = u_codes.astype(np.int32)
        codes = _gather_chunks([(indices, u_codes[mapping]) for indices, mapping in parts], n, np.int32)
        if clean.isna().any() or not bool((clean == pd.Series(uniq.to_pandas(), dtype="str")).all()):
            # some distinct values change when cleaned (spaces around, empty): build the column from them
            values = pa.array(np.asarray(u_sorted, dtype=object), type=pa.large_string())
            raw[name] = pd.Series(pc.take(values, pa.array(codes, mask=codes < 0)), dtype="str")
        else:
            raw[name] = pd.Series(col, dtype="str")
        factorized[c.name] = (codes, pd.Index(u_sorted, dtype="str", name=c.name))
        preparsed.add(name)
    del table
    pa.default_memory_pool().release_unused()  # give the parse buffers back now, not at exit
    frame = pd.DataFrame(raw, copy=False)
    rows = np.arange(2, n + 2, dtype=np.int64)
    used = Dialect(sep=sep, decimal=dialect.decimal, dayfirst=dialect.dayfirst, encoding=dialect.encoding or "utf-8")
    return frame, rows, used, [], preparsed, factorized


# --------------------------------------------------------------------------- raw values
def _is_text_dtype(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.StringDtype)


def _split_raw(s: pd.Series) -> tuple[pd.Series, pd.Series | None]:
    """Split a raw column into stripped text ('' where empty or native) and native values.

    CSV columns are all text; Excel (object) columns mix text with numbers, datetimes, times;
    Parquet columns are typed. Natives are returned as an object Series (None where text/empty),
    or None when there are none.
    """
    if _is_text_dtype(s):
        return s.fillna("").str.strip(), None
    if s.dtype == object:
        is_str = np.fromiter((isinstance(v, str) for v in s.array), dtype=bool, count=len(s))
        text = pd.Series(np.where(is_str, s.array, ""), index=s.index, dtype="str").str.strip()
        nat = [None if (st or _is_missing(v)) else v for st, v in zip(is_str, s.array)]
        native = pd.Series(nat, index=s.index, dtype=object)
        return text, (native if native.notna().any() else None)
    # typed (Parquet): everything native
    text = pd.Series("", index=s.index, dtype="str")
    native = s.astype(object).where(s.notna(), None)
    return text, native


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


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


def _parse_number(raw: pd.Series, decimal: str) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        vals = raw.astype("float64").to_numpy()
        bad = np.isinf(vals)  # typed files (Parquet) can hold inf: not a usable number
        return pd.Series(np.where(bad, np.nan, vals), index=raw.index, dtype="float64"), bad
    text, native = _split_raw(raw)
    values, ok = _text_numbers(text, decimal)
    bad = ~ok
    if native is not None:
        for i, v in enumerate(native.array):
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


def _text_dates(text: pd.Series, dayfirst: bool) -> tuple[np.ndarray, np.ndarray]:
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


def _parse_date(raw: pd.Series, dayfirst: bool) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        s = raw
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        vals = s.dt.normalize().to_numpy(dtype="datetime64[us]")
        return pd.Series(vals, index=raw.index), np.zeros(len(raw), dtype=bool)
    text, native = _split_raw(raw)
    values, ok = _text_dates(text, dayfirst)
    bad = ~ok
    if native is not None:
        for i, v in enumerate(native.array):
            if v is None:
                continue
            d = _native_date(v)
            if d is None:
                bad[i] = True
            else:
                values[i] = d
    return pd.Series(values, index=raw.index, dtype="datetime64[us]"), bad


_TIME_RE = re.compile(r"(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[T ]+)?(?P<h>[0-9]{1,2})[:.](?P<m>[0-9]{2})(?:[:.](?P<s>[0-9]{2}))?")


def _parse_time(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since midnight (float, NaN = empty) and bad mask."""
    if pd.api.types.is_timedelta64_dtype(raw.dtype):
        secs = raw.dt.total_seconds().to_numpy(dtype=float)
        bad = (secs < 0) | (secs >= 86400)
        return np.where(bad, np.nan, secs), bad
    text, native = _split_raw(raw)
    secs, ok = _by_unique(_text_times, text)
    bad = ~ok
    if native is not None:
        for i, v in enumerate(native.array):
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


def _parse_text(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    text, native = _split_raw(raw)
    if native is not None:
        arr = text.to_numpy(dtype=object)
        for i, v in enumerate(native.array):
            if v is None:
                continue
            if isinstance(v, (float, np.floating)) and float(v).is_integer():
                arr[i] = str(int(v))
            elif isinstance(v, (pd.Timestamp, _dt.datetime)):
                arr[i] = _short(v, width=10**6)
            else:
                arr[i] = str(v).strip()
        text = pd.Series(arr, index=raw.index, dtype="str")
    values = text.where(text != "")
    return values.astype("str"), np.zeros(len(raw), dtype=bool)


def _sniff_decimal(raw: pd.DataFrame, spec: TableSpec, cols: Mapping[str, str], sep: str | None) -> str:
    """',' when the separator is not ',' and the numbers read better with a decimal comma."""
    if sep == ",":
        return "."
    texts = []
    for c in spec.columns:
        if c.kind in ("number", "integer") and c.name in cols:
            s = raw[cols[c.name]]
            if _is_text_dtype(s) or s.dtype == object:
                t = _split_raw(s)[0]
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


# --------------------------------------------------------------------------- column mapping
def _clean(name: Any) -> str:
    return str(name).replace("\ufeff", "").strip()


def _resolve_columns(raw_cols: list[str], spec: TableSpec, table_map: Mapping[str, str],
                     star_map: Mapping[str, str], file: str, path: Path) -> dict[str, str]:
    """Return canonical name -> raw column name for the canonical columns found."""
    cleaned = {c: _clean(c) for c in raw_cols}
    found_txt = _quote_list(cleaned.values())

    def lookup(source: str) -> str | None:
        src = _clean(source)
        exact = [c for c, cl in cleaned.items() if cl == src]
        if exact:
            return exact[0]
        folded = [c for c, cl in cleaned.items() if cl.casefold() == src.casefold()]
        return folded[0] if len(folded) == 1 else None

    chosen: dict[str, str] = {}
    sources_used: set[str] = set()
    for source, target in table_map.items():  # the table's own map: every entry must fit
        target = _clean(target)
        if target not in spec.column_names:
            raise DataError(
                f"{file}: the column map sends '{_clean(source)}' to '{target}', which is not a column of "
                f"{spec.name}; expected one of {', '.join(spec.column_names)}.",
                file=file, column=_clean(source), path=path, expected=", ".join(spec.column_names))
        col = lookup(source)
        if col is None:
            raise DataError(
                f"{file}: column '{_clean(source)}' from the column map is not in the file "
                f"(columns found: {found_txt}); expected one of these names on the left of the map.",
                file=file, column=_clean(source), path=path, expected=f"one of {found_txt}")
        if target in chosen:
            raise DataError(
                f"{file}: the column map sends both '{cleaned[chosen[target]]}' and '{_clean(source)}' to "
                f"'{target}'; expected one source column per canonical column.",
                file=file, column=target, path=path, expected="one source column per canonical column")
        chosen[target] = col
        sources_used.add(col)
    for source, target in star_map.items():  # the map for all tables: applies where it fits
        target = _clean(target)
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
                f"{file}: several columns could be '{name}' ({_quote_list(cleaned[c] for c in candidates)}); "
                f"expected exactly one, or a column map saying which.",
                file=file, column=name, path=path, expected="one column per name")
        if candidates:
            chosen[name] = candidates[0]
            sources_used.add(candidates[0])
    return chosen


def _check_duplicate_headers(source: list[str], raw_cols: list[str], chosen: Mapping[str, str],
                             file: str, path: Path) -> None:
    """A column used by the reader whose name is in the header twice: which one is meant is a guess."""
    cleaned = [_clean(n) for n in source]
    for canonical, col in chosen.items():
        pos = raw_cols.index(col)
        name = cleaned[pos]
        where = [i + 1 for i, n in enumerate(cleaned) if n == name]
        if len(where) > 1:
            raise DataError(
                f"{file}: column '{name}' appears {len(where)} times in the header (columns "
                f"{', '.join(map(str, where))}); expected each column once. Rename or remove the extra one"
                + (f" (or map one onto '{canonical}' with --map)." if name != canonical else "."),
                file=file, column=name, path=path, expected="each column name once in the header")


# --------------------------------------------------------------------------- problems
@dataclass
class _Problem:
    column: str
    rows: list[int]
    values: list[str] | None
    what_one: str
    what_many: str
    expected: str

    def message(self, file: str) -> str:
        n = len(self.rows)
        what = self.what_one if n == 1 else self.what_many
        return (f"{file}, column '{self.column}': {n} {what} ({_rows_text(self.rows, self.values)}); "
                f"expected {self.expected}.")

    def short(self) -> str:
        n = len(self.rows)
        return f"column '{self.column}' ({n} {self.what_one if n == 1 else self.what_many})"


def _raise_problems(problems: list[_Problem], file: str, path: Path) -> None:
    if not problems:
        return
    errors = [DataError(p.message(file), file=file, column=p.column, rows=p.rows, expected=p.expected, path=path)
              for p in problems]
    first = errors[0]
    msg = first.message
    if len(problems) > 1:
        msg += " Further problems in this file: " + "; ".join(p.short() for p in problems[1:]) + "."
    raise DataError(msg, file=file, column=first.column, rows=first.rows, expected=first.expected, path=path,
                    problems=errors)


def _problem(column: str, rows: np.ndarray, raw_display: pd.Series | None, mask: np.ndarray,
             one: str, many: str, expected: str) -> _Problem:
    idx = np.flatnonzero(mask)
    values = None
    if raw_display is not None:
        values = ["'" + _short(raw_display.iloc[i]) + "'" for i in idx[:_MAX_LISTED]]
    return _Problem(column, rows[idx].tolist(), values, one, many, expected)


def _date_expectation(dayfirst: bool) -> str:
    base = "a date such as 2024-01-31, 20240131 or 31.01.2024"
    return base + (" (31/01/2024 is read day first)" if dayfirst else " (31/01/2024 with --dayfirst)")


def _number_expectation(col: ColumnSpec, decimal: str) -> str:
    if col.kind == "integer":
        return col.expectation()
    example = "a number such as 1234.50 or 1234,50 with --decimal ," if decimal == "." else \
        "a number with a decimal comma such as 1234,50 or 1 234,50 (or --decimal . for 1234.50)"
    rng = col.constraint()
    return example + (f", {rng}" if rng else "")


# --------------------------------------------------------------------------- read_table
def read_table(
    path: str | Path,
    spec: TableSpec,
    column_map: Mapping[str, str] | None = None,
    dialect: Dialect | None = None,
    *,
    star_map: Mapping[str, str] | None = None,
    file: str | None = None,
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
    file = file or _display_name(path)
    suffix = path.suffix.lower()
    warnings: list[str] = []
    used_dialect: Dialect | None = None
    if suffix in _EXCEL_EXT:
        raw, rows = _read_excel_file(path, file, spec.name)
    elif suffix == ".parquet":
        raw, rows = _read_parquet_file(path, file)
    else:
        fast = _read_text_fast(path, file, dialect, spec, column_map or {}, star_map or {}) if _FAST_TEXT else None
        if fast is not None:
            try:
                return _check_table(path, spec, column_map, dialect, star_map, file, *fast)
            except DataError:
                pass  # a problem: the robust reader reads the file again and words it from the text
        raw, rows, used_dialect, w = _read_text_file(path, file, dialect, spec)
        warnings.extend(w)
    return _check_table(path, spec, column_map, dialect, star_map, file, raw, rows, used_dialect, warnings)


def _check_table(path: Path, spec: TableSpec, column_map: Mapping[str, str] | None, dialect: Dialect,
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
            if c in preparsed or not (_is_text_dtype(s) or s.dtype == object):
                blank &= s.isna().to_numpy()  # typed values (Parquet, parsed): blank = missing
                continue
            text, native = _split_raw(s)
            blank &= (text == "").to_numpy()
            if native is not None:
                blank &= native.isna().to_numpy()
        if blank.any():
            raw = raw.loc[~blank].reset_index(drop=True)
            rows = rows[~blank]
            factorized = {k: (codes[~blank], u) for k, (codes, u) in factorized.items()}
    if len(raw) == 0:
        raise DataError(
            f"{file}: no data rows (only a header); expected at least one row below the header.",
            file=file, path=path, expected="at least one data row")

    cols = _resolve_columns(list(raw.columns), spec, column_map or {}, star_map or {}, file, path)
    _check_duplicate_headers(source_columns or list(raw.columns), list(raw.columns), cols, file, path)
    missing_req = [c for c in spec.required_columns if c not in cols]
    if missing_req:
        found = _quote_list(_clean(c) for c in raw.columns)
        which = (f"required column '{missing_req[0]}' is missing" if len(missing_req) == 1 else
                 f"required columns {_quote_list(missing_req)} are missing")
        example = f"{spec.name}.YOUR_NAME={missing_req[0]}"
        them = "the column, or map your own name onto it" if len(missing_req) == 1 else \
            "the columns, or map your own names onto them"
        hint = f"Rename {them} (--map {example})."
        if len(raw.columns) == 1 and any(ch in _clean(raw.columns[0]) for ch in _SEP_CANDIDATES):
            hint = "The header was read as one column: is the separator right (--sep)?"
        raise DataError(
            f"{file}: {which} (columns found: {found}); expected columns {', '.join(spec.required_columns)}. "
            + hint,
            file=file, column=missing_req[0], path=path, expected=", ".join(spec.required_columns))
    missing_opt = tuple(c for c in spec.optional_columns if c not in cols)

    decimal = dialect.decimal or _sniff_decimal(raw, spec, cols, used_dialect.sep if used_dialect else None)
    if used_dialect is not None:
        used_dialect = Dialect(sep=used_dialect.sep, decimal=decimal, dayfirst=dialect.dayfirst,
                               encoding=used_dialect.encoding)

    out: dict[str, pd.Series] = {}
    problems: list[_Problem] = []
    empties: dict[str, np.ndarray] = {}
    for col in spec.columns:
        if col.name not in cols or col.kind == "time":
            continue
        s = raw[cols[col.name]]
        if cols[col.name] in preparsed:
            values, bad = s, np.zeros(len(s), dtype=bool)
        elif col.kind in ("id", "text"):
            values, bad = _parse_text(s)
        elif col.kind == "date":
            values, bad = _parse_date(s, dialect.dayfirst)
            if bad.any():
                problems.append(_problem(col.name, rows, s, bad, "value is not a date", "values are not dates",
                                         _date_expectation(dialect.dayfirst)))
        else:
            values, bad = _parse_number(s, decimal)
            if bad.any():
                problems.append(_problem(col.name, rows, s, bad, "value is not a number", "values are not numbers",
                                         _number_expectation(col, decimal)))
        if col.kind == "date":  # also for dates the fast reader parsed
            lo, hi = (np.datetime64(d, "us") for d in DATE_RANGE)
            arr = values.to_numpy(dtype="datetime64[us]")
            implausible = ~np.isnat(arr) & ((arr < lo) | (arr > hi))
            if implausible.any():
                problems.append(_problem(col.name, rows, s, implausible, "date is out of range",
                                         "dates are out of range", f"a date from {DATE_RANGE[0]} to {DATE_RANGE[1]}"))
                values = values.where(~implausible)
                bad = bad | implausible
        if col.kind == "integer":
            arr = values.to_numpy()
            frac = ~bad & ~np.isnan(arr) & (arr != np.round(arr))
            if frac.any():
                problems.append(_problem(col.name, rows, s, frac, "value is not a whole number",
                                         "values are not whole numbers", col.expectation()))
                bad = bad | frac
        empty = values.isna().to_numpy() & ~bad
        empties[col.name] = empty
        if not col.nullable and empty.any():
            problems.append(_problem(col.name, rows, None, empty, "value is empty", "values are empty",
                                     f"{col.expectation()} in every row"))
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
                problems.append(_problem(col.name, rows, s, out_of, "value is out of range",
                                         "values are out of range", col.expectation()))
        if col.unique:
            dup = (values.duplicated(keep=False) & values.notna()).to_numpy()
            if dup.any():
                problems.append(_problem(col.name, rows, s, dup, "value appears more than once",
                                         "values appear more than once", f"each {col.name} only once"))
        out[col.name] = values

    # times: the row's date plus HH:MM; left_at past midnight moves to the next day
    time_cols = [c for c in spec.columns if c.kind == "time" and c.name in cols]
    secs: dict[str, np.ndarray] = {}
    for col in time_cols:
        s = raw[cols[col.name]]
        sec, bad = _parse_time(s)
        if bad.any():
            problems.append(_problem(col.name, rows, s, bad, "value is not a time", "values are not times",
                                     "a time of day such as 18:30 (HH:MM)"))
        empty = np.isnan(sec) & ~bad
        if not col.nullable and empty.any():
            problems.append(_problem(col.name, rows, None, empty, "value is empty", "values are empty",
                                     f"{col.expectation()} in every row"))
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
            vals = [f"{_short(a.iloc[i])} {sign} {_short(b.iloc[i])}" for i in idx[:_MAX_LISTED]]
            problems.append(_Problem(rule.column, rows[idx].tolist(), vals, f"value is {word} {rule.other}",
                                     f"values are {word} {rule.other}", f"{rule.column} {rule.op} {rule.other}"))

    _raise_problems(problems, file, path)

    frame = pd.DataFrame({c.name: out[c.name] for c in spec.columns if c.name in out}, copy=False)
    for c in spec.columns:
        if c.name in frame.columns and c.kind == "integer" and not c.nullable:
            frame[c.name] = frame[c.name].astype("int64")
    frame = frame.reset_index(drop=True)
    return TableResult(frame=frame, file=file, path=path, rows=rows, missing_columns=missing_opt,
                       warnings=tuple(warnings), dialect=used_dialect,
                       columns_used=types.MappingProxyType({k: _clean(v) for k, v in cols.items()}),
                       factorized=types.MappingProxyType(factorized))


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
            f"{case}: several files for table '{spec.name}' in {data_dir} ({shown}); expected exactly one. "
            "Move or rename the others.",
            file=f"{data_dir.name}/{hits[0].name}", path=hits[0], expected="one file per table")
    return hits[0] if hits else None


def _check_column_map(case: str, column_map: Mapping[str, Mapping[str, str]]) -> None:
    tables = TABLES[case]
    if not isinstance(column_map, Mapping):
        raise DataError(f"the column map must be a dict such as {{'{next(iter(tables))}': {{'Dato': 'date'}}}}, "
                        f"not {type(column_map).__name__}.", expected="TABLE -> SOURCE -> TARGET")
    all_cols = {c for t in tables.values() for c in t.column_names}
    for table, mapping in column_map.items():
        if table != "*" and table not in tables:
            raise DataError(
                f"the column map names table '{table}', which case {case} does not have; expected one of "
                f"{', '.join(tables)} (or '*' for all tables).",
                column=str(table), expected=", ".join(tables))
        if not isinstance(mapping, Mapping):
            raise DataError(f"the column map for '{table}' must be a dict of source column -> canonical column, "
                            f"not {type(mapping).__name__}.", expected="SOURCE -> TARGET")
        if table == "*":
            for source, target in mapping.items():
                if _clean(target) not in all_cols:
                    raise DataError(
                        f"the column map for all tables sends '{source}' to '{target}', which is no column of "
                        f"case {case}; expected one of {', '.join(sorted(all_cols))}.",
                        column=str(source), expected=", ".join(sorted(all_cols)))


def load_case(
    case: str,
    data_dir: str | Path,
    column_map: Mapping[str, Mapping[str, str]] | None = None,
    dialect: Dialect | None = None,
    *,
    files: Mapping[str, str | Path] | None = None,
) -> CaseData:
    """Read and validate every table of ``case`` from ``data_dir``: the one call a notebook makes.

    Parameters
    ----------
    case : one of :data:`TABLES` (startup, consultancy, marketing_agency, restaurant, your_data, concepts).
    data_dir : folder holding ``<table>.csv`` (or ``.txt``, ``.tsv``, ``.xlsx``, ``.xlsm``, ``.parquet``).
    column_map : ``{table: {source column: canonical column}}``; the table ``"*"`` applies to all tables.
    dialect : :class:`Dialect` for every file (``None`` = detect).
    files : ``{table: path}`` to read a table from another file (relative paths are taken in ``data_dir``).

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
    tables_spec = _case_tables(case)
    data_dir = Path(data_dir)
    column_map = column_map or {}
    _check_column_map(case, column_map)
    dialect = dialect or Dialect()
    if not data_dir.is_dir():
        raise DataError(f"{case}: data folder {data_dir} does not exist; expected a folder with "
                        f"{', '.join(t.name + '.csv' for t in tables_spec.values() if t.required)}.",
                        file=str(data_dir), expected="an existing folder")
    star = column_map.get("*", {})
    frames: dict[str, pd.DataFrame] = {}
    found: dict[str, Path] = {}
    results: dict[str, TableResult] = {}
    missing_tables: list[str] = []
    missing_columns: dict[str, tuple[str, ...]] = {}
    warnings: list[str] = []
    for name, spec in tables_spec.items():
        if files and name in files:
            path = Path(files[name])
            if not path.is_absolute():
                path = data_dir / path
            if not path.is_file():
                raise DataError(f"{case}: the file given for table '{name}' ({path}) does not exist; expected "
                                "an existing file.", file=str(path), path=path, expected="an existing file")
        else:
            path = _find_file(data_dir, spec, case)
        if path is None:
            if spec.required:
                names = ", ".join(spec.file_names[:-1]) + " or " + spec.file_names[-1]
                raise DataError(
                    f"{data_dir.name}/{spec.name}.csv: no file for the required table '{name}' in {data_dir}; "
                    f"expected {names} with columns {', '.join(spec.required_columns)}.",
                    file=f"{data_dir.name}/{spec.name}.csv", path=data_dir / f"{spec.name}.csv",
                    expected=names)
            missing_tables.append(name)
            continue
        file = f"{data_dir.name}/{path.name}" if path.parent == data_dir else _display_name(path)
        try:
            res = read_table(path, spec, column_map.get(name, {}), dialect, star_map=star, file=file)
        except DataError as e:
            if not spec.required and e.column is None and ("no data rows" in e.message
                                                           or "the file is empty" in e.message):
                missing_tables.append(name)
                what = "has a header but no data rows" if "no data rows" in e.message else "is empty"
                warnings.append(f"{file} {what}; it is treated as missing.")
                continue
            raise
        results[name] = res
        frames[name] = res.frame
        found[name] = path
        if res.missing_columns:
            missing_columns[name] = res.missing_columns
        warnings.extend(res.warnings)

    # references between tables
    for name, res in results.items():
        problems: list[_Problem] = []
        for ref in tables_spec[name].references:
            if ref.table not in frames or ref.column not in res.frame.columns:
                continue
            target = frames[ref.table][ref.target_column]
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
                warnings.append(
                    f"{res.file}: {len(names)} of {total} {ref.column}s have no row in {tfile} "
                    f"({_quote_list(names[:_MAX_LISTED])}{' and more' if len(names) > _MAX_LISTED else ''}); "
                    "their qualitative scores are missing.")
                continue
            problems.append(_problem(ref.column, res.rows, values, unknown, f"value is not in {tfile}",
                                     f"values are not in {tfile}", f"a {ref.target_column} listed in {tfile}"))
        _raise_problems(problems, res.file, res.path)

    # restaurant: parties larger than their table are allowed (walk-ins squeeze in) but noted
    if case == "restaurant" and "tables" in frames:
        visits, seats = frames["visits"], frames["tables"].set_index("table")["seats"]
        cap = visits["table"].map(seats)
        over = (visits["covers"] > cap).to_numpy(dtype=bool)
        if over.any():
            n = int(over.sum())
            warnings.append(
                f"{results['visits'].file}: {_plural(n, 'visit has', 'visits have')} more covers than the "
                f"table's seats ({_rows_text(results['visits'].rows[over].tolist())}); kept as they are "
                "(walk-ins squeeze in), but seat occupancy can exceed 100%.")

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
            warnings.append(
                f"{results[main].file}: no rows from {a} to {b} ({int(steps[i])} months) although there are rows "
                "before and after; a mistyped year? Those months are reported as months without data.")
        partial = months.loc[months["partial"], "period"].tolist()
        if partial:
            warnings.append(
                f"{results[main].file}: the data run from {date_range[0]:%Y-%m-%d} to {date_range[1]:%Y-%m-%d}, "
                f"so {' and '.join(partial)} {'is a partial month' if len(partial) == 1 else 'are partial months'}: "
                "reported but flagged, and left out of growth KPIs.")

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
        _codes={(k, c): v for k, r in results.items() for c, v in r.factorized.items()},
    )


# --------------------------------------------------------------------------- for the CLI
def parse_column_map(items: Iterable[str]) -> dict[str, dict[str, str]]:
    """Turn ``["invoices.Dato=date", "*.Kunde=customer"]`` into a column map.

    The table is the part before the first dot; the target the part after the last ``=``.
    Raises ValueError on a malformed item.
    """
    out: dict[str, dict[str, str]] = {}
    for item in items:
        left, eq, target = str(item).rpartition("=")
        table, dot, source = left.partition(".")
        if not (eq and dot and table.strip() and source.strip() and target.strip()):
            raise ValueError(f"--map expects TABLE.SOURCE=TARGET (e.g. invoices.Dato=date), not {item!r}")
        out.setdefault(table.strip(), {})[source.strip()] = target.strip()
    return out


def describe_tables(case: str | None = None) -> pd.DataFrame:
    """The schemas as a table (one row per column): for ``kpi-cases list`` and data dictionaries."""
    cases = [case] if case is not None else list(TABLES)
    out = []
    for c in cases:
        for t in _case_tables(c).values():
            for col in t.columns:
                out.append({
                    "case": c, "table": t.name, "table_required": t.required, "column": col.name,
                    "kind": col.kind, "dtype": col.dtype, "required": col.required,
                    "nullable": col.nullable, "unique": col.unique, "range": col.constraint(),
                    "description": col.description,
                })
    return pd.DataFrame(out)


def write_template(case: str, directory: str | Path, *, overwrite: bool = False) -> list[Path]:
    """Write a header-only ``<table>.csv`` for every table of ``case`` into ``directory``.

    Existing files are left alone unless ``overwrite``; returns the files written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in _case_tables(case).values():
        p = directory / f"{spec.name}.csv"
        if p.exists() and not overwrite:
            continue
        p.write_text(",".join(spec.column_names) + "\n", encoding="utf-8")
        written.append(p)
    return written
