"""The data options of ``kpi-cases kpis`` and ``run``: how they are declared, checked and handed on.

Decides which options say how the files are written (``--sep``, ``--decimal``, ``--dayfirst`` /
``--monthfirst``, ``--encoding``, ``--sheet``: a :class:`~kpi_helpers.data.Dialect`), which ones say
what the data check may change (``--drop-duplicates``, ``--merge-similar-names``,
``--drop-total-rows``, ``--currency``, ``--strict``: a :class:`~kpi_helpers.data.Checks`), how
``--map`` items become a column map (a repeated or conflicting entry is a usage error naming both),
and the notebook parameter each option sets (:data:`NOTEBOOK_PARAMETERS`). Standard library only:
``kpi-cases --help`` imports this.
"""
from __future__ import annotations

import argparse
from typing import Any, Sequence

__all__ = ["UsageError", "NOTEBOOK_PARAMETERS", "add_data_options", "column_maps", "dialect", "checks",
           "notebook_parameters", "parse_map_items"]

#: Notebook parameter -> the option that sets it (besides --data, --map, --out).
NOTEBOOK_PARAMETERS: dict[str, str] = {
    "sep": "--sep",
    "decimal": "--decimal",
    "dayfirst": "--dayfirst",
    "monthfirst": "--monthfirst",
    "encoding": "--encoding",
    "sheet": "--sheet",
    "drop_duplicates": "--drop-duplicates",
    "merge_similar_names": "--merge-similar-names",
    "drop_total_rows": "--drop-total-rows",
    "keep_currency": "--currency",
    "strict": "--strict",
}


class UsageError(Exception):
    """A wrong invocation: exit status 2."""


def add_data_options(g: Any) -> None:
    """The options on how files are written and what the data check may change (an argument group)."""
    g.add_argument("--sep", metavar="SEP", help="field separator: , ; or tab (default: detected)")
    g.add_argument("--decimal", metavar="CHAR",
                   help="decimal mark: . or , (default: detected; numbers such as 16,760 or 16.760 that read "
                        "either way stop with a question)")
    g.add_argument("--dayfirst", action="store_true", help="read 01/02/2024 as 1 February")
    g.add_argument("--monthfirst", action="store_true",
                   help="read 01/02/2024 as January 2 (default: detected from a number above 12; slash "
                        "dates with none stop with a question)")
    g.add_argument("--encoding", metavar="ENC", help="text encoding, e.g. cp1252 (default: UTF-8, "
                                                     "falling back to Windows-1252)")
    g.add_argument("--sheet", metavar="NAME|all",
                   help="Excel: the sheet to read, or all to read every sheet with the table's columns as one "
                        "table (default: the one sheet that has them; two stop with a question)")
    g.add_argument("--currency", metavar="CODE",
                   help="keep only the rows in this currency when a table has a currency (or valuta) column, "
                        "which must otherwise hold one currency; the report shows amounts in it")
    g.add_argument("--drop-duplicates", action="store_true",
                   help="drop rows that repeat an earlier row in every column (default: warn)")
    g.add_argument("--merge-similar-names", action="store_true",
                   help="count customers/clients whose names differ only in case or spaces as one (default: warn)")
    g.add_argument("--drop-total-rows", action="store_true",
                   help="drop rows that look like a total: customer total/sum/totalt/sum alle, or an amount equal "
                        "to the sum of all others (default: warn)")
    g.add_argument("--strict", action="store_true",
                   help="make every data-check warning a data error (exit 3), for scripts")


def parse_map_items(items: Sequence[str]) -> dict[str, dict[str, str]]:
    """``--map`` items as a column map: :func:`kpi_helpers.data.parse_column_map` (THE rule: a source
    mapped twice, or two sources for one target, is an error naming both), its ``ValueError`` a
    :class:`UsageError`. Imports the data package (pandas) only when there are items."""
    from .data import parse_column_map

    try:
        return parse_column_map(items)
    except ValueError as e:
        raise UsageError(str(e)) from None


def column_maps(items: Sequence[str] | None, names: list[str], data_mod: Any) -> dict[str, dict]:
    """``--map`` items -> a column map per case (entries for tables the case does not have dropped)."""
    if not items:
        return {c: {} for c in names}
    cmap = parse_map_items(items)
    currency = data_mod.CURRENCY_COLUMN  # any table may map a column onto it
    specs = {c: data_mod.TABLES[c] for c in names}
    for table, mapping in cmap.items():
        if table == "*":
            all_cols = {col for c in names for t in specs[c].values() for col in t.column_names} | {currency}
            for source, target in mapping.items():
                if target not in all_cols:
                    raise UsageError(f"--map *.{source}={target}: {target!r} is no column of "
                                     f"{' or '.join(names)}; columns: {', '.join(sorted(all_cols))}")
            continue
        holders = [specs[c][table] for c in names if table in specs[c]]
        if not holders:
            tables = sorted({t for c in names for t in specs[c]})
            raise UsageError(f"--map {table}...: no table {table!r} in {' or '.join(names)}; "
                             f"tables: {', '.join(tables)} (or * for all tables)")
        cols = holders[0].column_names
        for source, target in mapping.items():
            if target not in cols and target != currency:
                raise UsageError(f"--map {table}.{source}={target}: table {table} has no column {target!r}; "
                                 f"columns: {', '.join(cols)} (or {currency})")
    out: dict[str, dict] = {}
    for c in names:
        m: dict[str, dict] = {}
        case_cols = {col for t in specs[c].values() for col in t.column_names} | {currency}
        for table, mapping in cmap.items():
            if table == "*":
                star = {s: t for s, t in mapping.items() if t in case_cols}
                if star:
                    m["*"] = star
            elif table in specs[c]:
                m[table] = dict(mapping)
        out[c] = m
    return out


def dialect(args: argparse.Namespace, data_mod: Any) -> Any:
    """The :class:`~kpi_helpers.data.Dialect` the options describe."""
    if args.encoding:
        import codecs

        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise UsageError(f"--encoding: unknown encoding {args.encoding!r} "
                             "(e.g. utf-8, cp1252, latin-1)") from None
    if args.dayfirst and getattr(args, "monthfirst", False):
        raise UsageError("--dayfirst and --monthfirst exclude each other: give one")
    if args.decimal is not None and args.decimal not in (".", ","):
        raise UsageError(f"--decimal must be . or , not {args.decimal!r}")
    try:
        return data_mod.Dialect(sep=args.sep, decimal=args.decimal, dayfirst=bool(args.dayfirst),
                                monthfirst=bool(getattr(args, "monthfirst", False)), encoding=args.encoding or None,
                                sheet=getattr(args, "sheet", None) or None)
    except ValueError as e:
        raise UsageError(f"--sep/--decimal: {e}") from None


def checks(args: argparse.Namespace, data_mod: Any) -> Any:
    """The :class:`~kpi_helpers.data.Checks` the options ask for."""
    code = getattr(args, "currency", None)
    if code is not None and not (code.strip().isalpha() and 2 <= len(code.strip()) <= 5):
        raise UsageError(f"--currency expects a currency code such as NOK or EUR, not {code!r}")
    return data_mod.Checks(drop_duplicates=bool(getattr(args, "drop_duplicates", False)),
                           merge_similar_names=bool(getattr(args, "merge_similar_names", False)),
                           drop_total_rows=bool(getattr(args, "drop_total_rows", False)),
                           currency=code, strict=bool(getattr(args, "strict", False)))


def notebook_parameters(d: Any, c: Any) -> dict[str, Any]:
    """The notebook parameters (see :data:`NOTEBOOK_PARAMETERS`) for a dialect and checks."""
    return {
        "sep": d.sep, "decimal": d.decimal, "dayfirst": d.dayfirst, "monthfirst": d.monthfirst,
        "encoding": d.encoding, "sheet": d.sheet, "drop_duplicates": c.drop_duplicates,
        "merge_similar_names": c.merge_similar_names, "drop_total_rows": c.drop_total_rows,
        "keep_currency": c.currency, "strict": c.strict,
    }
