"""The canonical case tables as data: columns, kinds, ranges, row rules and cross-table rules.

Decides what every case's files must hold (:data:`TABLES`), which table gives a case its date range
(:data:`MAIN_TABLE`), which dates are plausible (:data:`DATE_RANGE`) and the rules between tables
(:class:`Reference`: a key must exist in another table; :class:`Limit`: a value should not exceed
a value looked up in another table). The rules are declared here per table and run by the generic
checks of :mod:`kpi_helpers.data.validation`; no case is special-cased in code.

Standard library only (no numpy, no pandas): ``kpi-cases list`` and ``kpi-cases template`` read the
schemas and write templates from this module alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Literal

from ..i18n import tr, trn

__all__ = [
    "Kind",
    "KIND_DTYPES",
    "EXTENSIONS",
    "DATE_RANGE",
    "CURRENCY_COLUMN",
    "CURRENCY_NAMES",
    "ColumnSpec",
    "Reference",
    "Order",
    "Limit",
    "TableSpec",
    "TABLES",
    "MAIN_TABLE",
    "CASE_DESCRIPTIONS",
    "table_spec",
    "case_tables",
    "schema_rows",
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
#: Dates outside this range are typos or placeholders (0001-01-01, 9999-12-31, Excel's day 0): a
#: DataError, not a date. One stray year 9999 would otherwise make every case loop over 95,000 months.
DATE_RANGE: tuple[str, str] = ("1900-01-01", "2099-12-31")

#: The currency of a table's amounts: any table may have this column (mapped onto it with
#: ``--map TABLE.SOURCE=currency``, or named one of :data:`CURRENCY_NAMES`, any case). It is not part
#: of the frame: the data check uses it (several currencies are an error unless ``--currency`` picks
#: one) and a case's currency is taken from it.
CURRENCY_COLUMN = "currency"
CURRENCY_NAMES: tuple[str, ...] = ("currency", "valuta")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


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
        """The value range in words, in the language now ('' when unconstrained)."""
        if self.min is not None and self.max is not None:
            return tr("{low} to {high}", low=_num(self.min), high=_num(self.max))
        if self.min is not None:
            return f"{'>' if self.min_exclusive else '>='} {_num(self.min)}"
        if self.max is not None:
            return f"<= {_num(self.max)}"
        return ""

    def expectation(self) -> str:
        """What a valid value looks like, in words (in the language now), for error messages."""
        noun = _kind_noun(self.kind)
        rng = self.constraint()
        if not rng:
            return noun
        if self.min is not None and self.max is not None:
            return tr("{noun} from {range}", noun=noun, range=rng)
        return f"{noun} {rng}"


def _kind_noun(kind: str) -> str:
    """A value of ``kind``, in words (in the language now)."""
    if kind == "id":
        return tr("an identifier")
    if kind == "text":
        return tr("a text")
    if kind == "date":
        return tr("a date")
    if kind == "time":
        return tr("a time such as 18:30")
    if kind == "number":
        return tr("a number")
    if kind == "integer":
        return tr("a whole number")
    raise KeyError(kind)


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
class Limit:
    """``column`` should not exceed ``table.limit`` of the row with the same ``key``: a warning, not an error.

    Checked when ``table`` is loaded, for what is probably a mistake but may be real (a party larger
    than its table: walk-ins squeeze in). ``warning(n, file=..., rows=...)`` is the warning for ``n``
    rows over the limit, one whole sentence in the language now (made with
    :func:`~kpi_helpers.i18n.trn`), e.g. ``<file>: 3 visits have more covers than the table's seats
    (<rows>); ...``.
    """

    column: str
    table: str
    key: str
    limit: str
    warning: Callable[..., str]


@dataclass(frozen=True)
class TableSpec:
    """One canonical table: its columns, whether the case needs it, and its cross-checks."""

    name: str
    columns: tuple[ColumnSpec, ...]
    required: bool = True
    description: str = ""
    references: tuple[Reference, ...] = ()
    orders: tuple[Order, ...] = ()
    limits: tuple[Limit, ...] = ()

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


def _covers_over_seats(n: int, **values: str) -> str:
    return trn("{file}: {n} visit has more covers than the table's seats ({rows}); kept as they are (walk-ins "
               "squeeze in), but seat occupancy can exceed 100%.",
               "{file}: {n} visits have more covers than the table's seats ({rows}); kept as they are (walk-ins "
               "squeeze in), but seat occupancy can exceed 100%.", n, **values)


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
            limits=(Limit("covers", "tables", key="table", limit="seats", warning=_covers_over_seats),),
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
    tables = case_tables(case)
    if table not in tables:
        raise ValueError(f"case {case!r} has no table {table!r} (tables: {', '.join(tables)})")
    return tables[table]


def case_tables(case: str) -> dict[str, TableSpec]:
    """The tables of ``case`` (ValueError naming the cases when there is no such case)."""
    if case not in TABLES:
        raise ValueError(f"unknown case {case!r} (cases: {', '.join(TABLES)})")
    return TABLES[case]


def schema_rows(case: str | None = None) -> list[dict[str, Any]]:
    """The schemas as records, one per column (of ``case``, or of every case)."""
    cases = [case] if case is not None else list(TABLES)
    out = []
    for c in cases:
        for t in case_tables(c).values():
            for col in t.columns:
                out.append({
                    "case": c, "table": t.name, "table_required": t.required, "column": col.name,
                    "kind": col.kind, "dtype": col.dtype, "required": col.required,
                    "nullable": col.nullable, "unique": col.unique, "range": col.constraint(),
                    "description": col.description,
                })
    return out


def write_template(case: str, directory: str | Path, *, overwrite: bool = False) -> list[Path]:
    """Write a header-only ``<table>.csv`` for every table of ``case`` into ``directory``.

    Existing files are left alone unless ``overwrite``; returns the files written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in case_tables(case).values():
        p = directory / f"{spec.name}.csv"
        if p.exists() and not overwrite:
            continue
        p.write_text(",".join(spec.column_names) + "\n", encoding="utf-8")
        written.append(p)
    return written
