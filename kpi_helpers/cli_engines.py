"""The engine options of ``kpi-cases kpis``: declared, checked, and the case computed on the engine chosen.

Decides what ``--engine pandas|duckdb|spark`` (DuckDB by default), ``--spark-master URL``,
``--connect URL`` and ``--table [TABLE=]NAME`` may be combined with (a wrong combination is a usage
error), and makes one engine connection for all the cases of a run, on first use
(:func:`kpi_helpers.engines.connect`). Standard library only: ``kpi-cases --help`` imports this;
Ibis and the engines are imported when a table is computed.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .cli_options import UsageError

__all__ = ["DEFAULT_ENGINE", "DEFAULT_SPARK_MASTER", "PANDAS_ONLY", "add_engine_options", "engine_options",
           "engine_kpis"]

DEFAULT_ENGINE = "duckdb"
DEFAULT_SPARK_MASTER = "local[*]"
#: Cases no engine computes (kpi_helpers.engines.PANDAS_ONLY, repeated here to keep --help free of imports):
#: with the default engine they take the pandas path silently, with an explicit --engine a note says so.
PANDAS_ONLY = ("consultancy", "restaurant")


def add_engine_options(e: Any) -> None:
    """``--engine``, ``--spark-master``, ``--connect``, ``--table`` on an argument group of ``kpis``."""
    e.add_argument("--engine", choices=("pandas", "duckdb", "spark"), default=None,
                   help="where the table is computed: duckdb (embedded, the default: memory bounded, "
                        "spills to disk), spark (a cluster, or local), pandas (the notebooks' reference code); "
                        "consultancy and restaurant are always computed with pandas")
    e.add_argument("--spark-master", metavar="URL", default=None,
                   help=f"with --engine spark: the master URL (default: {DEFAULT_SPARK_MASTER}, or the "
                        "cluster's under spark-submit)")
    e.add_argument("--connect", metavar="URL",
                   help="read the case's tables from a database through an Ibis URL, e.g. duckdb:///sales.duckdb; "
                        "the KPI expressions run in that database")
    e.add_argument("--table", action="append", metavar="[TABLE=]NAME",
                   help="with --connect: the database table holding the case's main table (NAME), or another "
                        "table (customers=NAME); repeatable")


def engine_options(args: argparse.Namespace, names: list[str], data_mod: Any) -> tuple[str, dict[str, str]]:
    """``--engine``, ``--spark-master``, ``--connect`` and ``--table`` checked: (engine, {case table: db table})."""
    engine = args.engine or DEFAULT_ENGINE
    if args.spark_master and engine != "spark":
        raise UsageError("--spark-master goes with --engine spark")
    if args.table and not args.connect:
        raise UsageError("--table NAME reads a table of the database given by --connect URL")
    if not args.connect:
        return engine, {}
    if args.engine in ("pandas", "spark"):
        raise UsageError(f"--connect runs the KPI expressions in that database; it does not go with --engine {args.engine}")
    if len(names) != 1:
        raise UsageError("--connect takes one case, not all")
    case = names[0]
    tables: dict[str, str] = {}
    for item in args.table or []:
        table, eq, name = item.partition("=")
        if not eq:
            table, name = data_mod.MAIN_TABLE[case], item
        if table not in data_mod.TABLES[case] or not name:
            raise UsageError(f"--table {item}: expected NAME or TABLE=NAME with TABLE one of "
                             f"{', '.join(data_mod.TABLES[case])}")
        tables[table] = name
    if data_mod.MAIN_TABLE[case] not in tables:
        raise UsageError(f"--connect: say which table holds {data_mod.MAIN_TABLE[case]} with --table NAME")
    return "database", tables


def engine_kpis(case: str, engine: str, args: argparse.Namespace, backend: dict[str, Any], tables: dict[str, str],
                 data_dir: Path | None, column_map: dict, dialect: Any, params: dict[str, Any], checks: Any) -> Any:
    """One case's KPI table through :func:`kpi_helpers.engines.kpi_table`; the backend is made on first use."""
    from . import engines

    if case in engines.PANDAS_ONLY and not tables:
        return engines.kpi_table(case, data_dir, column_map, dialect, params, engine=engine, checks=checks)
    if not backend:
        if tables:
            backend["con"] = engines.connect_url(args.connect)
        else:
            # no --spark-master: Spark's own default, local[*] here and the cluster's under spark-submit
            backend["con"] = engines.connect(engine, spark_master=args.spark_master)
    if tables:
        return engines.kpi_table(case, data_dir, column_map, dialect, params, database=backend["con"],
                                 tables=tables, engine=getattr(backend["con"], "name", "database"), checks=checks)
    return engines.kpi_table(case, data_dir, column_map, dialect, params, con=backend["con"], engine=engine,
                             checks=checks)
