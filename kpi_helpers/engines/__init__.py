"""The KPI table on an engine: DuckDB embedded (the default of ``kpi-cases kpis``) or Spark, through Ibis.

pandas teaches (the notebooks, :func:`kpi_helpers.cases.analyse`, the reference implementation); an
engine scales. :func:`kpi_table` computes a case's KPI table from one set of Ibis expressions that
runs unchanged on DuckDB, on Spark (local or a cluster) and on a database reached through an Ibis
URL, and gives the same table as the pandas analysis: the engine computes the sums (the one pass over
the log, monthly and per-customer sums, the concentration windows), the pandas functions of
:mod:`kpi_helpers.cases` apply the formulas to those small sums and lay out the rows, and
:func:`kpi_helpers.scorecard.kpi_table` adds targets and statuses. So the CSV files are
byte-identical whichever engine ran.

Modules: :mod:`.backends` (connections), :mod:`.sources` (reading CSV / Parquet / database tables,
bad rows), :mod:`.revenue` (startup, your_data), :mod:`.agency` (marketing_agency).

Cases the engines do not cover (:data:`PANDAS_ONLY`: consultancy, restaurant, whose tables are
small) are computed with pandas, and a note says so. A data problem raises the pandas reader's own
:class:`~kpi_helpers.data.DataError` (see :mod:`.sources`). Importing this package imports neither
Ibis, pandas nor an engine.
"""
from __future__ import annotations

import types
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from .backends import DEFAULT_MEMORY_LIMIT, ENGINES, close, connect, connect_url

if TYPE_CHECKING:
    from ..cases import CaseResult
    from ..data import Dialect

__all__ = ["ENGINES", "ENGINE_CASES", "PANDAS_ONLY", "DEFAULT_MEMORY_LIMIT", "connect", "connect_url", "close",
           "kpi_table"]

#: Files up to this size are also read in full by the pandas reader, for its data checks (warnings):
#: the same warnings as ``--engine pandas``. Larger files get the engine's checks (values, ranges, row
#: rules: errors) and the pandas reader's checks on their first lines and on the small tables.
FULL_CHECK_BYTES = 5_000_000

#: The cases computed on an engine; the others stay on pandas.
ENGINE_CASES = ("startup", "marketing_agency", "your_data")
PANDAS_ONLY = ("consultancy", "restaurant")


def _pandas(case: str, data_dir: Path | None, column_map: Mapping[str, Any], dialect: Dialect | None,
            params: Mapping[str, Any], notes: list[str], checks: Any = None) -> CaseResult:
    from .. import cases, data

    if data_dir is None:
        raise ValueError(f"{case}: the pandas reader needs a data folder (--data)")
    cd = data.load_case(case, data_dir, column_map, dialect, checks=checks)
    result = cases.analyse(case, cd, **params)
    result.notes = [*notes, *cd.warnings, *result.notes]
    return result


def kpi_table(case: str, data_dir: str | Path | None, column_map: Mapping[str, Any] | None = None,
              dialect: Dialect | None = None, params: Mapping[str, Any] | None = None, *,
              con: Any = None, engine: str = "duckdb", database: Any = None,
              tables: Mapping[str, str] | None = None, checks: Any = None) -> CaseResult:
    """A case's KPI table computed on an engine; the same table as ``cases.analyse(...).kpis``.

    Parameters
    ----------
    case : a case name; consultancy and restaurant are computed with pandas (a note says so).
    data_dir : the folder of the case's files (CSV/TXT/TSV, Parquet files, ``<table>/`` folders of
        Parquet parts); may be None when every table comes from ``database``.
    column_map, dialect : as for :func:`kpi_helpers.data.load_case`.
    params : the case's analysis parameters (defaults from :func:`kpi_helpers.cases.known_parameters`).
    con : an Ibis backend from :func:`connect` (made, and closed, here when None).
    engine : ``duckdb`` or ``spark`` (used when ``con`` is None).
    database, tables : an Ibis backend of a database (:func:`connect_url`) and the tables to read
        from it, ``{case table: database table}``; the expressions then run in that database.
    checks : the data checks of :func:`kpi_helpers.data.load_case` (``--strict`` and the like), for
        the pandas reader's full read (files up to :data:`FULL_CHECK_BYTES`, and the fallbacks).

    Returns
    -------
    CaseResult
        ``kpis`` (the KPI table), ``key_accounts``, ``key_account_table``, ``notes`` (data notes and,
        when pandas computed the case, why); ``frames`` is empty: the notebook's frames are pandas'.

    Raises
    ------
    DataError
        The pandas reader's message for a missing or unreadable file, a missing column or bad values.
    """
    from .. import cases, data, scorecard
    from .sources import Fallback, engine_table, from_database, locate, parquet_input, text_input

    params = dict(params or {})
    column_map = dict(column_map or {})
    dialect = dialect or data.Dialect()
    p = cases.checked_parameters(case, params)
    data_dir = Path(data_dir) if data_dir is not None else None
    tables = dict(tables or {})
    if case not in ENGINE_CASES:
        return _pandas(case, data_dir, column_map, dialect, params,
                       [f"{engine}: the {case} case is computed with pandas (the engines compute "
                        f"{', '.join(ENGINE_CASES)})"], checks)
    specs = data.TABLES[case]
    main = data.MAIN_TABLE[case]
    star = column_map.get("*", {})
    own = con is None and database is None
    inputs: list[Any] = []
    try:
        try:
            if main in tables:
                inp = from_database(database, tables[main], specs[main], column_map.get(main, {}), star)
            else:
                if data_dir is None or not data_dir.is_dir():
                    raise Fallback("no data folder")
                path = locate(data_dir, specs[main])
                if path is None:
                    raise Fallback("no file")
                if path.is_dir() or path.suffix.lower() == ".parquet":
                    inp = parquet_input(path, specs[main], column_map.get(main, {}), star, data_dir)
                else:
                    inp = text_input(path, specs[main], column_map.get(main, {}), star, dialect, data_dir)
            inputs.append(inp)
            warnings: list[str] = []
            if inp.path is not None and inp.path.is_file() and inp.path.stat().st_size <= FULL_CHECK_BYTES:
                warnings = list(data.load_case(case, data_dir, column_map, dialect, checks=checks).warnings)
            customers, small_warnings = _customers(case, specs, data_dir, column_map, dialect, database, tables)
            if not warnings:
                warnings = [*inp.warnings, *small_warnings]
            backend = database if database is not None else (con if con is not None else connect(engine))
            if own:
                con = backend
            t = engine_table(backend, inp, ("client",) if case == "marketing_agency" else ("customer",))
            if case == "marketing_agency":
                from .agency import agency_case

                out = agency_case(backend, t, inp, p)
            else:
                from .revenue import revenue_case

                out = revenue_case(backend, t, inp, customers, main, p)
        except Fallback:
            return _fallback(case, data_dir, column_map, dialect, params, inputs, engine, star, checks)
        except data.DataError:
            raise
        except Exception as e:  # noqa: BLE001 - an engine that cannot read a file: pandas words it
            if _is_engine_error(e):
                return _fallback(case, data_dir, column_map, dialect, params, inputs, engine,
                                 star, checks)
            raise
    finally:
        for inp in inputs:
            inp.cleanup()
        if own and con is not None:
            close(con)
    table = scorecard.kpi_table(out["rows"], targets=dict(p["targets"]), min_observations=None)
    return cases.CaseResult(case, {}, out["key"], table, [*warnings, *out["notes"]], p["currency"],
                            out["key_table"])


def _customers(case: str, specs: Mapping[str, Any], data_dir: Path | None, column_map: Mapping[str, Any],
               dialect: Dialect, database: Any, tables: Mapping[str, str]) -> Any:
    """The (small) customers table of a revenue case, read and checked by the pandas reader (or None),
    and the reader's warnings."""
    from .. import data
    from .sources import Fallback, from_database, locate, pandas_table

    if "customers" not in specs:
        return None, []
    spec = specs["customers"]
    star = column_map.get("*", {})
    if "customers" in tables:
        inp = from_database(database, tables["customers"], spec, column_map.get("customers", {}), star)
        res = pandas_table(inp, column_map.get("customers", {}), star, dialect)
        return res.frame, list(res.warnings)
    if data_dir is None:
        return None, []
    try:
        path = locate(data_dir, spec)
    except Fallback:
        raise
    if path is None or path.is_dir():
        if path is not None:
            raise Fallback("customers as a folder of parts")
        return None, []
    try:
        res = data.read_table(path, spec, column_map.get("customers", {}), dialect, star_map=star,
                              file=f"{data_dir.name}/{path.name}")
    except data.DataError as e:
        if e.kind in ("no_rows", "empty_file"):
            return None, []
        raise
    return res.frame, list(res.warnings)


def _is_engine_error(e: BaseException) -> bool:
    """An error raised inside an engine or Ibis while reading or computing (not a bug of ours)."""
    mod = type(e).__module__ or ""
    return mod.split(".")[0] in ("duckdb", "ibis", "pyspark", "py4j", "_duckdb", "pyarrow", "sqlglot")


def _fallback(case: str, data_dir: Path | None, column_map: Mapping[str, Any], dialect: Dialect,
              params: Mapping[str, Any], inputs: list[Any], engine: str, star: Mapping[str, str],
              checks: Any = None) -> CaseResult:
    """The pandas reader reads the case: its DataError, or (it accepts the data) the pandas table."""
    from .. import cases, data
    from .sources import pandas_table

    note = f"{engine}: {inputs[0].file if inputs else case} is read with pandas (a form the engine leaves to it)"
    main = inputs[0] if inputs else None
    if main is None or main.kind == "text" or (main.kind == "parquet" and not main.path.is_dir()):
        return _pandas(case, data_dir, column_map, dialect, params, [note], checks)
    res = pandas_table(main, column_map.get(main.table, {}), star, dialect)  # raises its DataError
    frames = {main.table: res.frame}
    d = res.frame["date"]
    import pandas as pd

    cd = data.CaseData(case=case, data_dir=data_dir or Path("."), tables=types.MappingProxyType(frames),
                       files=types.MappingProxyType({}), missing_tables=(),
                       missing_columns=types.MappingProxyType({main.table: res.missing_columns}),
                       warnings=tuple(res.warnings), date_range=(pd.Timestamp(d.min()), pd.Timestamp(d.max())))
    result = cases.analyse(case, cd, **params)
    result.notes = [note, *result.notes]
    return result
