"""Case tables: schemas, reading (CSV / Excel / Parquet, dialects, column maps) and validation.

One call per notebook::

    cd = load_case("startup", "data/startup")
    invoices = cd["invoices"]

The package, by concern (each module's docstring says what it decides):

=============== ==================================================================================
schemas         the canonical tables as data, with their row rules and cross-table rules (stdlib)
errors          :class:`DataError` and its ``kind`` vocabulary (stdlib)
dialect         :class:`Dialect`: separator, decimal mark, date order, encoding, sheet (stdlib)
readers         raw cells of CSV / Excel / Parquet files; the fast pyarrow reader
parsers         numbers, dates, times and texts from raw cells
validation      column matching, value checks, problems -> DataError, cross-table rules
checks          the data check: duplicates, similar names, total rows, currencies, mojibake, strict
loading         :func:`load_case`, :func:`read_table`, :class:`CaseData`, column maps for the CLI
=============== ==================================================================================

The standard-library names are imported with the package; the pandas-using ones
(:func:`load_case`, :func:`read_table`, :class:`CaseData`, ...) on first use, so ``kpi-cases list``
and ``kpi-cases template`` never import numpy or pandas.
"""
from __future__ import annotations

import importlib
from typing import Any

from .dialect import Dialect
from .errors import KINDS, DataError
from .schemas import (
    CASE_DESCRIPTIONS,
    CURRENCY_COLUMN,
    CURRENCY_NAMES,
    DATE_RANGE,
    EXTENSIONS,
    KIND_DTYPES,
    MAIN_TABLE,
    TABLES,
    ColumnSpec,
    Limit,
    Order,
    Reference,
    TableSpec,
    table_spec,
    write_template,
)

#: Names that need pandas, and the module that defines each: imported on first use (PEP 562).
_LAZY = {
    "CaseData": "loading",
    "read_table": "loading",
    "load_case": "loading",
    "parse_column_map": "loading",
    "describe_tables": "loading",
    "TableResult": "validation",
    "Checks": "checks",
    "checks_markdown": "checks",
}

__all__ = [
    "DataError",
    "KINDS",
    "Dialect",
    "ColumnSpec",
    "TableSpec",
    "Reference",
    "Order",
    "Limit",
    "TABLES",
    "MAIN_TABLE",
    "CASE_DESCRIPTIONS",
    "CURRENCY_COLUMN",
    "CURRENCY_NAMES",
    "DATE_RANGE",
    "EXTENSIONS",
    "KIND_DTYPES",
    "CaseData",
    "TableResult",
    "Checks",
    "checks_markdown",
    "table_spec",
    "read_table",
    "load_case",
    "parse_column_map",
    "describe_tables",
    "write_template",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
