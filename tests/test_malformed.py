"""A catalogue of malformed and hostile inputs over every case table.

Each entry starts from a small copy of the shipped data (``data/<case>/``, long tables cut to their
first rows) and applies one corruption. Then, in the same test:

* ``load_case`` either raises a :class:`DataError` whose attributes and one-line message name the
  file, the column and the rows and say what was expected -- or, for inputs that are accepted (with a
  warning or silently), returns the data with the expected warning;
* ``kpi-cases kpis CASE --data DIR --out FILE`` exits 3 with exactly that message once on stderr, no
  traceback and no output file -- or exits 0 and writes a table without ``inf``.

``test_catalogue_is_complete`` keeps the catalogue honest: at least 30 rejections, every table of
every case corrupted at least once, every class of problem the issue lists present.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import pytest

from kpi_helpers import cases
from kpi_helpers.cli import main
from kpi_helpers.data import TABLES, Checks, DataError, Dialect, load_case

from conftest import ROOT as REPO  # noqa: E402
DATA = REPO / "data"
CASE_NAMES = ["startup", "consultancy", "marketing_agency", "restaurant", "your_data"]
KEEP_ROWS = 12  # data rows kept of the long tables (invoices, timesheets, visits, ...)
LONG = 200  # a table with more lines than this is cut to KEEP_ROWS rows


# --------------------------------------------------------------------------- building the inputs
def small_case(case: str, dest: Path) -> Path:
    """Copy data/<case>/*.csv into dest/<case>/, long tables cut to their first rows.

    The short tables (projects, consultants, surveys, tables, customers) are copied whole, so the
    references of the kept rows still resolve.
    """
    d = dest / case
    d.mkdir(parents=True, exist_ok=True)
    for f in sorted((DATA / case).glob("*.csv")):
        lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
        if len(lines) > LONG:
            lines = lines[: KEEP_ROWS + 1]
        (d / f.name).write_text("".join(lines), encoding="utf-8")
    return d


Op = Callable[[Path], None]


def _rows(d: Path, table: str) -> list[list[str]]:
    with open(d / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write_rows(d: Path, table: str, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (d / f"{table}.csv").write_text(buf.getvalue(), encoding="utf-8")


def cell(table: str, row: int, column: str, value: str) -> Op:
    """Set one cell; ``row`` is the spreadsheet row (header = 1, first data row = 2)."""
    def op(d: Path) -> None:
        rows = _rows(d, table)
        rows[row - 1][rows[0].index(column)] = value
        _write_rows(d, table, rows)
    return op


def copy_cell(table: str, src_row: int, dst_row: int, column: str) -> Op:
    def op(d: Path) -> None:
        rows = _rows(d, table)
        j = rows[0].index(column)
        rows[dst_row - 1][j] = rows[src_row - 1][j]
        _write_rows(d, table, rows)
    return op


def append_copy(table: str, row: int) -> Op:
    """Append a copy of a row at the end (a duplicate key)."""
    def op(d: Path) -> None:
        rows = _rows(d, table)
        rows.append(list(rows[row - 1]))
        _write_rows(d, table, rows)
    return op


def rename(table: str, old: str, new: str) -> Op:
    def op(d: Path) -> None:
        rows = _rows(d, table)
        rows[0][rows[0].index(old)] = new
        _write_rows(d, table, rows)
    return op


def drop(table: str, column: str) -> Op:
    def op(d: Path) -> None:
        rows = _rows(d, table)
        j = rows[0].index(column)
        _write_rows(d, table, [r[:j] + r[j + 1:] for r in rows])
    return op


def text(table: str, content: str | bytes | None) -> Op:
    """Replace the whole file (bytes as they are; None removes it)."""
    def op(d: Path) -> None:
        p = d / f"{table}.csv"
        if content is None:
            p.unlink()
        elif isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    return op


def edit(table: str, fn: Callable[[str], str]) -> Op:
    """Rewrite the file's text with fn (line-level corruptions the csv module would quote away)."""
    def op(d: Path) -> None:
        p = d / f"{table}.csv"
        p.write_text(fn(p.read_text(encoding="utf-8")), encoding="utf-8")
    return op


def reencode(table: str, encoding: str, prefix: bytes = b"") -> Op:
    def op(d: Path) -> None:
        p = d / f"{table}.csv"
        p.write_bytes(prefix + p.read_text(encoding="utf-8").encode(encoding))
    return op


def respell(table: str, src_row: int, dst_row: int, column: str, fn: Callable[[str], str]) -> Op:
    """Set a cell to another spelling of the cell in src_row (fn of it)."""
    def op(d: Path) -> None:
        rows = _rows(d, table)
        j = rows[0].index(column)
        rows[dst_row - 1][j] = fn(rows[src_row - 1][j])
        _write_rows(d, table, rows)
    return op


def total_row(table: str, name: str = "TOTAL", money: str = "amount") -> Op:
    """Append a row that carries the last row's date, ``name`` and the sum of every amount."""
    def op(d: Path) -> None:
        rows = _rows(d, table)
        j = rows[0].index(money)
        last = list(rows[-1])
        last[rows[0].index("customer")] = name
        last[j] = f"{sum(float(r[j]) for r in rows[1:]):.2f}"
        _write_rows(d, table, [*rows, last])
    return op


def line(n: int, fn: Callable[[str], str]) -> Callable[[str], str]:
    """Apply fn to line n (1-based) of a text."""
    def f(t: str) -> str:
        lines = t.split("\n")
        lines[n - 1] = fn(lines[n - 1])
        return "\n".join(lines)
    return f


# --------------------------------------------------------------------------- the catalogue
@dataclass
class Bad:
    """One malformed input.

    outcome: "error" (DataError, exit 3), "warn" (read, a warning containing ``snippets[0]``, exit 0)
    or "ok" (read without complaint about it, exit 0).
    """

    id: str
    case: str
    table: str
    ops: tuple[Op, ...]
    outcome: str = "error"
    column: str | None = None
    rows: list[int] | None = None
    snippets: tuple[str, ...] = ()
    kind: str = ""  # the class of problem, for the completeness check
    argv: tuple[str, ...] = ()
    column_map: dict[str, dict[str, str]] | None = None
    dialect: Dialect | None = None
    checks: Checks | None = None
    check: Callable[[Any], None] | None = field(default=None, repr=False)


def _inv(case: str = "startup") -> str:
    return "invoices" if case == "startup" else "transactions"


EXPECT_NUMBER = "expected a number such as 1234.50 or 1234,50 with --decimal ,"
EXPECT_DATE = "expected a date such as 2024-01-31, 20240131 or 31.01.2024"

CATALOGUE: list[Bad] = [
    # ---------------------------------------------------------------- startup / invoices
    Bad("invoices-missing-column", "startup", "invoices", (drop("invoices", "amount"),),
        column="amount", rows=[], kind="missing column",
        snippets=("startup/invoices.csv: required column 'amount' is missing", "columns found: 'date', 'customer'",
                  "expected columns date, customer, amount", "--map invoices.YOUR_NAME=amount")),
    Bad("invoices-misspelt-column", "startup", "invoices", (rename("invoices", "customer", "custmer"),),
        column="customer", rows=[], kind="misspelt column",
        snippets=("required column 'customer' is missing", "'custmer'", "expected columns date, customer, amount")),
    Bad("invoices-text-in-amount", "startup", "invoices", (cell("invoices", 4, "amount", "12O0.00"),),
        column="amount", rows=[4], kind="text in number column",
        snippets=("1 value is not a number (row 4: '12O0.00')", EXPECT_NUMBER)),
    Bad("invoices-impossible-date", "startup", "invoices", (cell("invoices", 3, "date", "2024-02-30"),),
        column="date", rows=[3], kind="impossible date",
        snippets=("1 value is not a date (row 3: '2024-02-30')", EXPECT_DATE)),
    Bad("invoices-unparsable-date", "startup", "invoices",
        (cell("invoices", 5, "date", "next Tuesday"), cell("invoices", 7, "date", "2024-13-01")),
        column="date", rows=[5, 7], kind="unparsable date",
        snippets=("2 values are not dates (rows 5, 7: 'next Tuesday', '2024-13-01')", EXPECT_DATE)),
    Bad("invoices-year-9999", "startup", "invoices", (cell("invoices", 3, "date", "9999-12-31"),),
        column="date", rows=[3], kind="impossible date",
        snippets=("1 date is out of range (row 3: '9999-12-31')", "expected a date from 1900-01-01 to 2099-12-31")),
    Bad("invoices-year-0001", "startup", "invoices", (cell("invoices", 2, "date", "0001-01-01"),),
        column="date", rows=[2], kind="impossible date",
        snippets=("1 date is out of range (row 2: '0001-01-01')",)),
    Bad("invoices-other-script-digits-in-date", "startup", "invoices", (cell("invoices", 3, "date", "２０２４-01-02"),),
        column="date", rows=[3], kind="unparsable date", snippets=("not a date", "'２０２４-01-02'")),
    Bad("invoices-empty-file", "startup", "invoices", (text("invoices", ""),),
        column=None, rows=[], kind="empty file",
        snippets=("startup/invoices.csv: the file is empty", "expected a header row (date, customer, amount)")),
    Bad("invoices-blank-lines-only", "startup", "invoices", (text("invoices", "\n\r\n  \n"),),
        column=None, rows=[], kind="empty file", snippets=("the file is empty",)),
    Bad("invoices-header-only", "startup", "invoices", (text("invoices", "date,customer,amount\n"),),
        column=None, rows=[], kind="header-only file",
        snippets=("startup/invoices.csv: no data rows (only a header)", "expected at least one row below the header")),
    Bad("invoices-missing-file", "startup", "invoices", (text("invoices", None),),
        column=None, rows=[], kind="missing file",
        snippets=("startup/invoices.csv: no file for the required table 'invoices'",
                  "expected invoices.csv, invoices.txt", "with columns date, customer, amount")),
    Bad("invoices-ragged-row", "startup", "invoices", (edit("invoices", line(3, lambda s: s + ",x")),),
        column=None, rows=[3], kind="ragged row",
        snippets=("row 3 has 4 fields but the header has 3", "Expected 3 fields in every row")),
    Bad("invoices-ragged-first-row", "startup", "invoices", (edit("invoices", line(2, lambda s: s + ",")),),
        column=None, rows=[2], kind="ragged row",  # pandas would have shifted every column silently
        snippets=("row 2 has 4 fields but the header has 3", "at the end of the row")),
    Bad("invoices-unquoted-thousands-comma", "startup", "invoices",
        (edit("invoices", lambda t: t.replace("170000.00", "170,000.00", 1)),),
        column=None, rows=[2], kind="thousands separator",
        snippets=("row 2 has 4 fields but the header has 3", "Quote such values")),
    Bad("invoices-duplicate-header", "startup", "invoices",
        (edit("invoices", line(1, lambda s: s + ",amount")),),
        column="amount", rows=[], kind="duplicate column",
        snippets=("column 'amount' appears 2 times in the header (columns 3, 4)", "expected each column once")),
    Bad("invoices-unclosed-quote", "startup", "invoices",
        (edit("invoices", line(4, lambda s: s.replace(",Aurora", ',"Aurora'))),),
        column=None, rows=[4], kind="unclosed quote",
        snippets=("row 4 opens a quote", "expected every quoted value to end with a quote")),
    Bad("invoices-overflowing-number", "startup", "invoices", (cell("invoices", 2, "amount", "1e400"),),
        column="amount", rows=[2], kind="text in number column",
        snippets=("1 value is not a number (row 2: '1e400')",)),
    Bad("invoices-nan-text-in-amount", "startup", "invoices", (cell("invoices", 6, "amount", "NaN"),),
        column="amount", rows=[6], kind="text in number column", snippets=("(row 6: 'NaN')",)),
    Bad("invoices-nan-customer", "startup", "invoices", (cell("invoices", 3, "customer", ""),),
        column="customer", rows=[3], kind="NaN id",
        snippets=("1 value is empty (row 3)", "expected an identifier in every row")),
    Bad("invoices-utf16-without-bom", "startup", "invoices", (reencode("invoices", "utf-16-le"),),
        column=None, rows=[1], kind="encoding", snippets=("row 1 contains NUL bytes", "--encoding utf-16")),
    Bad("invoices-newline-in-value-stays-one-line", "startup", "invoices",
        (cell("invoices", 2, "amount", "12\n34"),),
        column="amount", rows=[2], kind="text in number column", snippets=("'12\\n34'",)),
    Bad("invoices-map-names-absent-column", "startup", "invoices", (),
        column="Dato", rows=[], kind="bad --map", argv=("--map", "invoices.Dato=date"),
        column_map={"invoices": {"Dato": "date"}},
        snippets=("startup/invoices.csv: column 'Dato' from the column map is not in the file",
                  "columns found: 'date', 'customer', 'amount'")),
    Bad("customers-map-names-absent-column", "startup", "customers", (),
        column="Kunde", rows=[], kind="bad --map", argv=("--map", "customers.Kunde=customer"),
        column_map={"customers": {"Kunde": "customer"}},
        snippets=("startup/customers.csv: column 'Kunde' from the column map is not in the file",)),
    Bad("customers-windows-1252-read-as-utf8", "startup", "customers", (reencode("customers", "cp1252"),),
        column=None, rows=[], kind="encoding", argv=("--encoding", "utf-8"), dialect=Dialect(encoding="utf-8"),
        snippets=("startup/customers.csv: the file is not valid utf-8 text", "expected utf-8 text")),
    # ---------------------------------------------------------------- startup / customers
    Bad("customers-score-above-5", "startup", "customers", (cell("customers", 3, "strategic_value", "6"),),
        column="strategic_value", rows=[3], kind="out of range",
        snippets=("1 value is out of range (row 3: '6')", "from 1 to 5")),
    Bad("customers-score-0", "startup", "customers", (cell("customers", 2, "engagement", "0"),),
        column="engagement", rows=[2], kind="out of range", snippets=("(row 2: '0')", "from 1 to 5")),
    Bad("customers-text-score", "startup", "customers", (cell("customers", 4, "growth_potential", "high"),),
        column="growth_potential", rows=[4], kind="text in number column", snippets=("not a number", "'high'")),
    Bad("customers-duplicate-customer", "startup", "customers", (append_copy("customers", 2),),
        column="customer", rows=[2, 29], kind="duplicate key",
        snippets=("2 values appear more than once (rows 2, 29: 'Aurora Shipping AS', 'Aurora Shipping AS')",
                  "expected each customer only once")),
    # ---------------------------------------------------------------- consultancy / projects
    Bad("projects-duplicate-id", "consultancy", "projects", (copy_cell("projects", 2, 4, "project_id"),),
        column="project_id", rows=[2, 4], kind="duplicate key",
        snippets=("appear more than once (rows 2, 4: 'P-2023-014', 'P-2023-014')", "each project_id only once")),
    Bad("projects-nan-id", "consultancy", "projects", (cell("projects", 5, "project_id", ""),),
        column="project_id", rows=[5], kind="NaN id", snippets=("1 value is empty (row 5)",)),
    Bad("projects-end-before-start", "consultancy", "projects", (cell("projects", 3, "actual_end", "2023-01-01"),),
        column="actual_end", rows=[3], kind="date order",
        snippets=("before start_date", "2023-01-01 < 2023-10-19", "expected actual_end >= start_date")),
    Bad("projects-negative-rate", "consultancy", "projects", (cell("projects", 2, "hourly_rate", "-1450"),),
        column="hourly_rate", rows=[2], kind="out of range", snippets=("(row 2: '-1450')", ">= 0")),
    Bad("projects-unparsable-planned-end", "consultancy", "projects", (cell("projects", 6, "planned_end", "Q3 2024"),),
        column="planned_end", rows=[6], kind="unparsable date", snippets=("not a date (row 6: 'Q3 2024')",)),
    Bad("projects-missing-client", "consultancy", "projects", (drop("projects", "client"),),
        column="client", rows=[], kind="missing column", snippets=("required column 'client' is missing",)),
    Bad("projects-missing-file", "consultancy", "projects", (text("projects", None),),
        column=None, rows=[], kind="missing file", snippets=("no file for the required table 'projects'",)),
    # ---------------------------------------------------------------- consultancy / timesheets
    Bad("timesheets-unknown-project", "consultancy", "timesheets", (cell("timesheets", 3, "project_id", "P-9999-001"),),
        column="project_id", rows=[3], kind="unknown reference",
        snippets=("consultancy/timesheets.csv, column 'project_id': 1 value is not in consultancy/projects.csv "
                  "(row 3: 'P-9999-001')", "expected a project_id listed in consultancy/projects.csv")),
    Bad("timesheets-unknown-consultant", "consultancy", "timesheets", (cell("timesheets", 2, "consultant", "Ola Nordmann"),),
        column="consultant", rows=[2], kind="unknown reference",
        snippets=("not in consultancy/consultants.csv (row 2: 'Ola Nordmann')",)),
    Bad("timesheets-negative-hours", "consultancy", "timesheets", (cell("timesheets", 4, "hours", "-7.0"),),
        column="hours", rows=[4], kind="out of range", snippets=("(row 4: '-7.0')", ">= 0")),
    Bad("timesheets-hours-with-unit", "consultancy", "timesheets", (cell("timesheets", 2, "hours", "7,5h"),),
        column="hours", rows=[2], kind="text in number column", snippets=("not a number (row 2: '7,5h')",)),
    Bad("timesheets-misspelt-hours", "consultancy", "timesheets", (rename("timesheets", "hours", "hour"),),
        column="hours", rows=[], kind="misspelt column", snippets=("required column 'hours' is missing", "'hour'")),
    # ---------------------------------------------------------------- consultancy / consultants
    Bad("consultants-zero-weekly-hours", "consultancy", "consultants", (cell("consultants", 2, "weekly_hours", "0"),),
        column="weekly_hours", rows=[2], kind="out of range", snippets=("out of range (row 2: '0')", "> 0")),
    Bad("consultants-duplicate", "consultancy", "consultants", (append_copy("consultants", 3),),
        column="consultant", rows=[3, 17], kind="duplicate key", snippets=("'Emma Andersen'", "only once")),
    Bad("consultants-end-before-start", "consultancy", "consultants", (cell("consultants", 4, "end_date", "2019-01-01"),),
        column="end_date", rows=[4], kind="date order", snippets=("before start_date", "end_date >= start_date")),
    # ---------------------------------------------------------------- consultancy / surveys
    Bad("surveys-score-6", "consultancy", "surveys", (cell("surveys", 3, "score", "6"),),
        column="score", rows=[3], kind="out of range", snippets=("(row 3: '6')", "a whole number from 1 to 5")),
    Bad("surveys-score-not-whole", "consultancy", "surveys", (cell("surveys", 2, "score", "4.5"),),
        column="score", rows=[2], kind="out of range", snippets=("not a whole number (row 2: '4.5')",)),
    Bad("surveys-unknown-project", "consultancy", "surveys", (cell("surveys", 5, "project_id", "P-0000-000"),),
        column="project_id", rows=[5], kind="unknown reference", snippets=("not in consultancy/projects.csv",)),
    # ---------------------------------------------------------------- marketing_agency / campaign_stats
    Bad("campaigns-clicks-above-impressions", "marketing_agency", "campaign_stats",
        (cell("campaign_stats", 3, "clicks", "30000"),),
        column="clicks", rows=[3], kind="clicks above impressions",
        snippets=("1 value is above impressions (row 3: 30000 > 27519)", "expected clicks <= impressions")),
    Bad("campaigns-negative-impressions", "marketing_agency", "campaign_stats",
        (cell("campaign_stats", 2, "impressions", "-5"),),
        column="impressions", rows=[2], kind="negative count", snippets=("(row 2: '-5')", "a whole number >= 0")),
    Bad("campaigns-negative-spend", "marketing_agency", "campaign_stats", (cell("campaign_stats", 4, "spend", "-655.29"),),
        column="spend", rows=[4], kind="negative spend", snippets=("(row 4: '-655.29')", ">= 0")),
    Bad("campaigns-fractional-clicks", "marketing_agency", "campaign_stats", (cell("campaign_stats", 5, "clicks", "80.5"),),
        column="clicks", rows=[5], kind="text in number column", snippets=("not a whole number (row 5: '80.5')",)),
    Bad("campaigns-missing-conversions", "marketing_agency", "campaign_stats", (drop("campaign_stats", "conversions"),),
        column="conversions", rows=[], kind="missing column", snippets=("required column 'conversions' is missing",)),
    Bad("campaigns-header-only", "marketing_agency", "campaign_stats",
        (edit("campaign_stats", lambda t: t.split("\n")[0] + "\n\n\n"),),
        column=None, rows=[], kind="header-only file", snippets=("no data rows",)),
    # ---------------------------------------------------------------- restaurant / visits
    Bad("visits-unknown-table", "restaurant", "visits", (cell("visits", 3, "table", "T99"),),
        column="table", rows=[3], kind="unknown reference",
        snippets=("restaurant/visits.csv, column 'table': 1 value is not in restaurant/tables.csv (row 3: 'T99')",)),
    Bad("visits-rating-6", "restaurant", "visits", (cell("visits", 2, "rating", "6"),),
        column="rating", rows=[2], kind="out of range", snippets=("(row 2: '6')", "from 1 to 5")),
    Bad("visits-rating-0", "restaurant", "visits", (cell("visits", 4, "rating", "0"),),
        column="rating", rows=[4], kind="out of range", snippets=("(row 4: '0')",)),
    Bad("visits-zero-covers", "restaurant", "visits", (cell("visits", 2, "covers", "0"),),
        column="covers", rows=[2], kind="negative count", snippets=("(row 2: '0')", "a whole number >= 1")),
    Bad("visits-negative-bill", "restaurant", "visits", (cell("visits", 3, "bill", "-2733.00"),),
        column="bill", rows=[3], kind="negative spend", snippets=("(row 3: '-2733.00')",)),
    Bad("visits-impossible-time", "restaurant", "visits", (cell("visits", 2, "seated_at", "25:61"),),
        column="seated_at", rows=[2], kind="impossible date", snippets=("not a time (row 2: '25:61')", "HH:MM")),
    # ---------------------------------------------------------------- restaurant / tables
    Bad("tables-duplicate-number", "restaurant", "tables", (copy_cell("tables", 2, 3, "table"),),
        column="table", rows=[2, 3], kind="duplicate key",
        snippets=("2 values appear more than once (rows 2, 3: 'T01', 'T01')", "each table only once")),
    Bad("tables-zero-seats", "restaurant", "tables", (cell("tables", 5, "seats", "0"),),
        column="seats", rows=[5], kind="out of range", snippets=("(row 5: '0')",)),
    # ---------------------------------------------------------------- your_data
    Bad("transactions-header-only", "your_data", "transactions", (text("transactions", "date,customer,amount"),),
        column=None, rows=[], kind="header-only file", snippets=("your_data/transactions.csv: no data rows",)),
    Bad("transactions-nan-customer", "your_data", "transactions", (cell("transactions", 6, "customer", "  "),),
        column="customer", rows=[6], kind="NaN id", snippets=("1 value is empty (row 6)",)),
    Bad("transactions-day-first-with-monthfirst", "your_data", "transactions",
        (cell("transactions", 2, "date", "31/01/2024"),), argv=("--monthfirst",), dialect=Dialect(monthfirst=True),
        column="date", rows=[2], kind="unparsable date", snippets=("'31/01/2024'", "31/01/2024 with --dayfirst")),
    Bad("your-customers-negative-score", "your_data", "customers", (cell("customers", 3, "engagement", "-1"),),
        column="engagement", rows=[3], kind="out of range", snippets=("(row 3: '-1')",)),

    # ================================================================ the consultant trials of issue 15
    # (2, two sheets, and 11, everything in `run`, are in tests/test_checks.py; 8 is a kpis test there)
    Bad("trial1-thousands-comma-in-semicolon-file", "startup", "invoices",
        (text("invoices", "date;customer;amount\n2024-01-05;Aurora AS;16,760\n2024-01-20;Bergen AS;3,500\n"
                          "2024-01-31;Aurora AS;250\n"),),
        column="amount", rows=[2, 3], kind="ambiguous number",
        snippets=("'16,760' can be 16760", "--decimal . reads '16,760' as 16760, --decimal , as 16.76")),
    Bad("trial1-thousands-dot", "your_data", "transactions",
        (text("transactions", "date,customer,amount\n2024-01-05,000005,16.760\n2024-01-31,000022,1.250\n"),),
        column="amount", rows=[2, 3], kind="ambiguous number",
        snippets=("--decimal , reads '16.760' as 16760, --decimal . as 16.76",)),
    Bad("trial3-two-currencies", "startup", "invoices",
        (text("invoices", "date,customer,amount,currency\n2024-01-05,Aurora AS,100,NOK\n2024-01-06,Bergen AS,50,EUR\n"
                          "2024-01-31,Aurora AS,70,NOK\n"),),
        column="currency", rows=[3], kind="two currencies",
        snippets=("amounts are in 2 currencies (NOK: 2 rows; EUR: 1 row (row 3))", "--currency NOK keeps")),
    Bad("trial6-slash-dates-no-day-above-12", "startup", "invoices",
        (text("invoices", "date,customer,amount\n03/04/2025,Aurora AS,100\n05/06/2025,Bergen AS,50\n"),),
        column="date", rows=[2], kind="ambiguous date",
        snippets=("'03/04/2025' = 3 April 2025) or month first (4 March 2025)", "--dayfirst or --monthfirst")),
    Bad("trial4-export-pasted-twice", "startup", "invoices", (append_copy("invoices", 2), append_copy("invoices", 3)),
        outcome="warn", kind="duplicate rows",
        snippets=("startup/invoices.csv: 2 rows repeat an earlier row in every column read (rows 14, 15; first "
                  "copies: rows 2, 3)", "--drop-duplicates")),
    Bad("trial4-pasted-twice-dropped", "startup", "invoices", (append_copy("invoices", 2),), outcome="warn",
        kind="duplicate rows", argv=("--drop-duplicates",), checks=Checks(drop_duplicates=True),
        snippets=("1 row repeats an earlier row", "dropped (--drop-duplicates)"),
        check=lambda cd: len(cd["invoices"]) == KEEP_ROWS),
    Bad("trial5-names-differ-in-case-and-spaces", "startup", "invoices",
        (respell("invoices", 2, 3, "customer", str.upper), respell("invoices", 2, 4, "customer", lambda s: s.replace(" ", "  "))),
        outcome="warn", kind="similar names", snippets=("differ only in case or spaces", "--merge-similar-names")),
    Bad("trial5-names-merged", "startup", "invoices", (respell("invoices", 2, 3, "customer", str.upper),),
        outcome="warn", kind="similar names", argv=("--merge-similar-names",), checks=Checks(merge_similar_names=True),
        snippets=("differ only in case or spaces", "counted as one account under its most frequent spelling"),
        check=lambda cd: not any(c.isupper() and c == c.upper() and len(c) > 3 for c in cd["invoices"]["customer"])),
    Bad("trial7-total-row-with-a-date", "startup", "invoices", (total_row("invoices"),), outcome="warn",
        kind="total row", snippets=("startup/invoices.csv: 1 row looks like a total row", "--drop-total-rows")),
    Bad("trial7-total-row-dropped", "your_data", "transactions", (total_row("transactions", "Sum alle"),),
        outcome="warn", kind="total row", argv=("--drop-total-rows",), checks=Checks(drop_total_rows=True),
        snippets=("1 row looks like a total row", "dropped (--drop-total-rows)"),
        check=lambda cd: "Sum alle" not in set(cd["transactions"]["customer"])),
    Bad("trial9-utf8-read-as-cp1252", "startup", "customers", (), outcome="warn", kind="mojibake",
        argv=("--encoding", "cp1252"), dialect=Dialect(encoding="cp1252"),
        snippets=("startup/customers.csv, column 'customer'", "like UTF-8 text read as another encoding",
                  "pass --encoding utf-8")),
    Bad("trial10-excel-guarded-id", "your_data", "transactions", (cell("transactions", 2, "customer", '="000005"'),),
        outcome="warn", kind="excel guard",
        snippets=("your_data/transactions.csv, column 'customer': 1 cell is written as =\"...\"", "'=\"000005\"' -> '000005'"),
        check=lambda cd: cd["transactions"]["customer"].iloc[0] == "000005"),

    # ================================================================ accepted: warnings
    Bad("visits-covers-above-seats", "restaurant", "visits", (cell("visits", 2, "covers", "9"),),
        outcome="warn", rows=[2], kind="covers above seats",
        snippets=("restaurant/visits.csv: 1 visit has more covers than the table's seats (row 2)",
                  "walk-ins squeeze in"),
        check=lambda cd: cd["visits"]["covers"].iloc[0] == 9),
    Bad("customers-windows-1252", "startup", "customers", (reencode("customers", "cp1252"),),
        outcome="warn", kind="windows-1252",
        snippets=("startup/customers.csv is not UTF-8; it was read as Windows-1252",),
        check=lambda cd: "Dalen Regnskapsbyrå AS" in set(cd["customers"]["customer"])),
    Bad("customers-header-only", "startup", "customers",
        (text("customers", "customer,strategic_value,growth_potential,engagement\n"),),
        outcome="warn", kind="header-only file",
        snippets=("startup/customers.csv has a header but no data rows; it is treated as missing",),
        check=lambda cd: cd.missing_tables == ("customers",)),
    Bad("customers-empty-file", "startup", "customers", (text("customers", b""),),
        outcome="warn", kind="empty file", snippets=("startup/customers.csv is empty; it is treated as missing",),
        check=lambda cd: cd.missing_tables == ("customers",)),
    Bad("invoices-customer-not-scored", "startup", "invoices", (cell("invoices", 2, "customer", "Nytt Kundenavn AS"),),
        outcome="warn", kind="unknown reference",
        snippets=("have no row in startup/customers.csv ('Nytt Kundenavn AS')",)),
    Bad("invoices-mistyped-year", "startup", "invoices", (cell("invoices", 13, "date", "2042-01-05"),),
        outcome="warn", kind="impossible date",
        snippets=("startup/invoices.csv: no rows from 2024-02 to 2041-12 (215 months)", "a mistyped year?")),
    # ================================================================ accepted: dialects read silently
    Bad("invoices-utf8-bom", "startup", "invoices", (reencode("invoices", "utf-8", prefix=b"\xef\xbb\xbf"),),
        outcome="ok", kind="BOM", check=lambda cd: list(cd["invoices"].columns) == ["date", "customer", "amount"]),
    Bad("invoices-trailing-blank-lines", "startup", "invoices", (edit("invoices", lambda t: t + "\n\n  \n,,\n"),),
        outcome="ok", kind="trailing blank lines", check=lambda cd: len(cd["invoices"]) == KEEP_ROWS),
    Bad("invoices-crlf", "startup", "invoices", (edit("invoices", lambda t: t.replace("\n", "\r\n")),),
        outcome="ok", kind="line endings", check=lambda cd: len(cd["invoices"]) == KEEP_ROWS),
    Bad("invoices-quoted-thousands-comma", "startup", "invoices", (cell("invoices", 2, "amount", "170,000.00"),),
        outcome="ok", kind="thousands separator", check=lambda cd: cd["invoices"]["amount"].iloc[0] == 170000.0),
    Bad("invoices-semicolon-decimal-comma-thousands", "startup", "invoices",
        (text("invoices", "\ufeffdate;customer;amount\n01.01.2024;Aurora Shipping AS;170.000,00\n"
                          "15.01.2024;Bergen Biotech AS;1 234,50\n31.01.2024;Aurora Shipping AS;-500,25\n"),),
        outcome="ok", kind="thousands separator",
        check=lambda cd: cd["invoices"]["amount"].tolist() == [170000.0, 1234.5, -500.25]),
    Bad("invoices-excel-sep-line", "startup", "invoices", (edit("invoices", lambda t: "sep=,\n" + t),),
        outcome="ok", kind="dialect", check=lambda cd: len(cd["invoices"]) == KEEP_ROWS),
    Bad("invoices-nan-text-id-kept", "startup", "invoices", (cell("invoices", 2, "customer", "NA"),),
        outcome="warn", kind="NaN id", snippets=("('NA')",),
        check=lambda cd: cd["invoices"]["customer"].iloc[0] == "NA"),
    Bad("invoices-extra-and-case-columns", "startup", "invoices",
        (rename("invoices", "date", "Date"), edit("invoices", line(1, lambda s: s + ",comment"))),
        outcome="ok", kind="dialect", check=lambda cd: list(cd["invoices"].columns) == ["date", "customer", "amount"]),
    Bad("invoices-map-own-names", "startup", "invoices", (rename("invoices", "date", "Dato"),),
        outcome="ok", kind="dialect", argv=("--map", "invoices.Dato=date"), column_map={"invoices": {"Dato": "date"}},
        check=lambda cd: cd.has("invoices", "date")),
]

IDS = [b.id for b in CATALOGUE]
assert len(IDS) == len(set(IDS)), "duplicate catalogue ids"


def test_catalogue_is_complete():
    errors = [b for b in CATALOGUE if b.outcome == "error"]
    assert len(errors) >= 30
    corrupted = {(b.case, b.table) for b in errors}
    assert corrupted == {(c, t) for c in CASE_NAMES for t in TABLES[c]}
    kinds = {b.kind for b in CATALOGUE}
    for k in ("missing column", "misspelt column", "text in number column", "impossible date", "unparsable date",
              "empty file", "header-only file", "missing file", "duplicate key", "unknown reference",
              "out of range", "negative count", "negative spend", "clicks above impressions", "covers above seats",
              "NaN id", "BOM", "trailing blank lines", "thousands separator", "windows-1252", "bad --map",
              "ambiguous number", "ambiguous date", "two currencies", "duplicate rows", "similar names", "total row",
              "mojibake", "excel guard"):
        assert k in kinds, k


# --------------------------------------------------------------------------- running one entry
def _prepare(bad: Bad, tmp_path: Path) -> Path:
    d = small_case(bad.case, tmp_path / "in")
    for op in bad.ops:
        op(d)
    return d


def _cli(bad: Bad, d: Path, out: Path, capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["kpis", bad.case, "--data", str(d), "--out", str(out), *bad.argv])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


@pytest.mark.parametrize("bad", CATALOGUE, ids=IDS)
def test_malformed_input(bad: Bad, tmp_path: Path, capsys):
    d = _prepare(bad, tmp_path)
    out = tmp_path / "out" / f"{bad.case}_kpis.csv"

    if bad.outcome == "error":
        with pytest.raises(DataError) as ei:
            load_case(bad.case, d, bad.column_map, bad.dialect, checks=bad.checks)
        e = ei.value
        msg = str(e)
        assert "\n" not in msg and "\r" not in msg, msg
        file = f"{bad.case}/{bad.table}.csv"
        assert msg.startswith(file) or file in msg, msg
        assert e.file is not None and e.file.endswith(file)
        assert e.column == bad.column, (e.column, msg)
        if bad.column is not None:
            assert f"'{bad.column}'" in msg
        assert e.rows == bad.rows, (e.rows, msg)
        for r in bad.rows or []:
            assert str(r) in msg
        assert "expected" in msg.lower() and e.expected, msg
        for s in bad.snippets:
            assert s in msg, (s, msg)

        code, stdout, stderr = _cli(bad, d, out, capsys)
        assert code == 3, stderr
        assert stderr.count(msg) == 1, stderr
        assert stderr.strip() == f"kpi-cases: data error: {msg}", stderr
        assert "Traceback" not in stderr and stdout == ""
        assert not out.exists() and not out.parent.exists()
        return

    cd = load_case(bad.case, d, bad.column_map, bad.dialect, checks=bad.checks)
    if bad.outcome == "warn":
        hits = [w for w in cd.warnings if bad.snippets[0] in w]
        assert len(hits) == 1, cd.warnings
        for s in bad.snippets[1:]:
            assert s in hits[0], (s, hits[0])
    else:
        corrupted = f"{bad.case}/{bad.table}"
        assert not any(corrupted in w and "partial" not in w and "have no row" not in w for w in cd.warnings), \
            cd.warnings
    if bad.check is not None:
        assert bad.check(cd), bad.id
    result = cases.analyse(bad.case, cd)
    assert not result.kpis.empty

    code, stdout, stderr = _cli(bad, d, out, capsys)
    assert code == 0, stderr
    assert "Traceback" not in stderr and "error" not in stderr.lower()
    if bad.outcome == "warn":
        assert stderr.count(bad.snippets[0]) == 1, stderr
    table = pd.read_csv(out, keep_default_na=False, na_values=[""])
    values = table["value"].to_numpy(dtype=float)
    assert not any(math.isinf(v) for v in values)
    assert table.loc[table["value"].isna(), "note"].notna().all()


# --------------------------------------------------------------------------- a few more, outside the table
def test_every_problem_in_a_file_is_listed(tmp_path: Path, capsys):
    """Three broken columns in one file: the first is the message, all three are in .problems."""
    d = small_case("marketing_agency", tmp_path)
    for op in (cell("campaign_stats", 2, "date", "someday"), cell("campaign_stats", 4, "spend", "-1"),
               cell("campaign_stats", 3, "clicks", "99999")):
        op(d)
    with pytest.raises(DataError) as ei:
        load_case("marketing_agency", d)
    e = ei.value
    assert [p.column for p in e.problems] == ["date", "spend", "clicks"]
    assert [p.rows for p in e.problems] == [[2], [4], [3]]
    assert "Further problems in this file: column 'spend' (1 value is out of range); column 'clicks'" in str(e)
    code = main(["kpis", "marketing_agency", "--data", str(d), "--out", str(tmp_path / "o.csv")])
    err = capsys.readouterr().err
    assert code == 3 and err.count("kpi-cases: data error:") == 1 and "Traceback" not in err


def test_data_error_in_one_case_of_all(tmp_path: Path, capsys):
    """`kpis all`: the broken case is reported with its message, the others are still written."""
    base = tmp_path / "all"
    for c in CASE_NAMES:
        small_case(c, base)
    cell("tables", 2, "seats", "many")(base / "restaurant")
    out = tmp_path / "out"
    code = main(["kpis", "all", "--data", str(base), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 3
    assert "restaurant: data error: restaurant/tables.csv, column 'seats': 1 value is not a number (row 2: 'many')" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in out.glob("*.csv")) == sorted(f"{c}_kpis.csv" for c in CASE_NAMES if c != "restaurant")


def test_map_onto_a_column_the_table_lacks_is_a_usage_error(tmp_path: Path, capsys):
    """--map naming a canonical column that does not exist is a usage error (2), not a data error."""
    d = small_case("startup", tmp_path)
    code = main(["kpis", "startup", "--data", str(d), "--out", str(tmp_path / "o.csv"), "--map", "invoices.Dato=dato"])
    err = capsys.readouterr().err
    assert code == 2 and "table invoices has no column 'dato'" in err and "Traceback" not in err


@pytest.mark.parametrize("fmt", ["parquet", "xlsx"])
def test_nan_ids_and_inf_in_typed_files(tmp_path: Path, fmt: str):
    """Parquet and Excel cells are typed: a None/NaN id is empty, an inf amount is not a number."""
    d = tmp_path / "startup"
    d.mkdir()
    frame = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
                          "customer": ["A", None, "B"], "amount": [1.0, 2.0, float("inf")]})
    if fmt == "parquet":
        frame.to_parquet(d / "invoices.parquet")
    else:
        frame["amount"] = [1.0, 2.0, 1e308 * 10]
        frame.to_excel(d / "invoices.xlsx", index=False)
    with pytest.raises(DataError) as ei:
        load_case("startup", d)
    by_col = {p.column: p.rows for p in ei.value.problems}
    assert by_col == {"customer": [3], "amount": [4]}  # Excel gets inf as the text 'inf': not a number
