"""Connections of the engines: DuckDB embedded (the default), Spark (local or a cluster), any Ibis URL.

Decides how each engine is set up for ``kpi-cases kpis``: DuckDB with its progress bar off (it would
print on stdout), a memory limit and a spill folder, so that a log larger than memory is aggregated
on disk (``memory_limit``, default 1 GB: measured in ``make bench``); Spark through a
``SparkSession`` on ``--spark-master`` (``local[*]`` by default) with its UI off and time in UTC;
a database through :func:`ibis.connect` on a URL (``duckdb:///file.duckdb``, ``postgres://...``).

Ibis and the engines are imported here, inside the functions, never when the package is imported.
"""
from __future__ import annotations

import os
import tempfile
import warnings
from typing import Any

__all__ = ["ENGINES", "DEFAULT_MEMORY_LIMIT", "connect", "connect_url", "close", "fetch"]

#: The engines ``kpi-cases kpis --engine`` takes; ``pandas`` is the reference implementation.
ENGINES = ("pandas", "duckdb", "spark")

#: DuckDB's memory limit: above it, aggregation spills to a temporary folder (set KPI_CASES_DUCKDB_MEMORY).
DEFAULT_MEMORY_LIMIT = "1GB"


def _ibis() -> Any:
    import ibis

    return ibis


def connect(engine: str, *, spark_master: str | None = None, memory_limit: str | None = None) -> Any:
    """An Ibis backend for ``engine`` (``duckdb`` or ``spark``), ready for the KPI expressions.

    ``spark_master`` None leaves the master to Spark: ``local[*]`` in a plain Python process, the
    cluster's under ``spark-submit``.
    """
    ib = _ibis()
    if engine == "duckdb":
        con = ib.duckdb.connect()
        limit = memory_limit or os.environ.get("KPI_CASES_DUCKDB_MEMORY") or DEFAULT_MEMORY_LIMIT
        spill = tempfile.mkdtemp(prefix="kpi-cases-duckdb-")
        con.raw_sql("SET enable_progress_bar = false")
        con.raw_sql(f"SET memory_limit = '{limit}'")
        con.raw_sql(f"SET temp_directory = '{spill}'")
        con.raw_sql("SET preserve_insertion_order = false")
        con.kpi_cases_spill = spill  # removed by close()
        return con
    if engine == "spark":
        with warnings.catch_warnings():
            # PySpark 4.3 warns that it does not yet fully support pandas 3 (nothing here goes through
            # its pandas conversions: results come back through Ibis' Arrow path)
            warnings.simplefilter("ignore", FutureWarning)
            from pyspark.sql import SparkSession

            import ibis.backends.pyspark  # noqa: F401
        builder = SparkSession.builder.master(spark_master) if spark_master else SparkSession.builder
        session = (builder.appName("kpi-cases")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.sql.shuffle.partitions", "8")
                   .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
                   .getOrCreate())
        session.sparkContext.setLogLevel("ERROR")
        return ib.pyspark.connect(session)
    raise ValueError(f"unknown engine {engine!r}; engines: duckdb, spark (or pandas)")


def connect_url(url: str) -> Any:
    """The Ibis backend of a connection URL (``duckdb:///path/to/file.duckdb``, ``postgres://...``)."""
    con = _ibis().connect(url)
    if getattr(con, "name", "") == "duckdb":
        con.raw_sql("SET enable_progress_bar = false")
    return con


def close(con: Any) -> None:
    """Close a backend from :func:`connect` and remove DuckDB's spill folder (a Spark session stays up)."""
    import shutil

    spill = getattr(con, "kpi_cases_spill", None)
    if getattr(con, "name", "") != "pyspark":
        try:
            con.disconnect()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass
    if spill:
        shutil.rmtree(spill, ignore_errors=True)


def fetch(expr: Any) -> Any:
    """An expression's (small) result as a pandas DataFrame.

    PySpark 4.3 warns on every conversion that it does not yet fully support pandas 3; the results
    here are plain numbers and texts, checked equal to pandas' by the equivalence tests.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas",
                                category=FutureWarning)
        warnings.filterwarnings("ignore", message="The copy keyword is deprecated")
        return expr.to_pandas()
