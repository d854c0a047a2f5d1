"""The engines give the pandas table: same rows, scopes, periods, statuses; values within 1e-9; same bytes.

Every engine case (startup, your_data, marketing_agency) runs on pandas (the reference), DuckDB and --
marked ``spark``, run by ``make test-spark`` -- Spark in local mode, one session for the whole run.
Inputs as consultants have them (dialects, Parquet files and folders, a DuckDB database file) and bad
data (the pandas reader's message on every engine) are covered too. ``tests/golden/`` pins the tables
of the shipped data (tests/test_golden.py runs the default engine, DuckDB).
"""
from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kpi_helpers import cases, data, engines, scorecard
from kpi_helpers.cli import main

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"


# ------------------------------------------------------------------------------------------ data
def tricky_log(folder: Path) -> Path:
    """A your_data log with every edge the rules name.

    Partial first (from the 15th) and last (to the 10th) months; credit notes (a customer with only
    credit notes, and a month whose total is negative for one customer); zero-revenue customers; ties
    in revenue (two customers with exactly the same revenue, whole period and month); ids with leading
    zeros that differ only by them (``007`` and ``7``); a month without rows; a customers table with a
    customer that has no sales.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rows = [("date", "customer", "amount")]
    months = pd.period_range("2023-01", "2024-03", freq="M")
    for i, m in enumerate(months):
        first = 15 if i == 0 else 1
        last = 10 if i == len(months) - 1 else m.days_in_month
        if str(m) == "2023-07":
            continue  # a month without rows
        for day in (first, last):
            d = f"{m.year}-{m.month:02d}-{day:02d}"
            rows += [(d, "007", f"{1000 + 37 * i:.2f}"), (d, "7", f"{500 + 11 * i:.2f}"),
                     (d, "A", "250.00"), (d, "B", "250.00"),  # ties
                     (d, "0001", f"{120 + (i % 3) * 15:.2f}"), (d, "Zero", "0.00")]
            if i % 4 == 0:
                rows.append((d, "Credit", "-80.00"))  # only credit notes
            if i % 5 == 1:
                rows.append((d, "0001", "-400.00"))  # a negative month for one customer
        rows.append((f"{m.year}-{m.month:02d}-{first + 1:02d}", "Tail", f"{(i * 7.31) % 90:.2f}"))
    with open(folder / "transactions.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    (folder / "customers.csv").write_text(
        "customer,strategic_value,growth_potential,engagement\n007,3,4,2\n7,5,5,5\nA,2,2,2\nB,2,2,2\n"
        "0001,4,1,3\nProspect,5,5,5\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tricky(tmp_path_factory) -> Path:
    return tricky_log(tmp_path_factory.mktemp("tricky") / "your_data")


def _csv(table: pd.DataFrame) -> str:
    """The KPI table as the one CSV writer writes it."""
    return scorecard.kpi_table_csv(table)


def reference(case: str, folder: Path, column_map=None, dialect=None, **params) -> pd.DataFrame:
    cd = data.load_case(case, folder, column_map, dialect)
    return cases.analyse(case, cd, **params).kpis


def assert_same_table(expected: pd.DataFrame, got: pd.DataFrame) -> None:
    """Same rows, scopes, periods, statuses (in order); values within 1e-9 relative; the same CSV bytes."""
    keys = ["kpi", "scope", "period", "unit", "status", "partial", "note"]
    assert len(expected) == len(got)
    for k in keys:
        if k in expected.columns:
            assert expected[k].astype(str).tolist() == got[k].astype(str).tolist(), k
    for a, b, key in zip(expected["value"], got["value"], expected[["kpi", "scope", "period"]].itertuples()):
        if isinstance(a, float) and math.isnan(a):
            assert isinstance(b, float) and math.isnan(b), key
        else:
            assert b == pytest.approx(a, rel=1e-9, abs=1e-9), key
    assert _csv(expected) == _csv(got)


# ---------------------------------------------------------------------------------------- DuckDB
@pytest.fixture(scope="module")
def duck():
    con = engines.connect("duckdb")
    yield con
    engines.close(con)


@pytest.mark.parametrize("case", engines.ENGINE_CASES)
def test_duckdb_gives_the_golden_table_of_the_shipped_data(case, duck):
    got = engines.kpi_table(case, DATA / case, con=duck)
    assert not any("pandas" in n for n in got.notes), got.notes
    assert _csv(got.kpis) == (GOLDEN / f"{case}_kpis.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("params", [{}, {"include_partial_months": True, "max_key_accounts": 3},
                                    {"major_threshold": 0.3, "abc_a": 0.5, "recent_months": 2}])
def test_duckdb_equals_pandas_on_the_tricky_log(tricky, duck, params):
    got = engines.kpi_table("your_data", tricky, params=params, con=duck)
    assert not any("pandas" in n for n in got.notes), got.notes
    expected = reference("your_data", tricky, **params)
    assert_same_table(expected, got.kpis)
    # the edges are in the table: ids with leading zeros apart, a negative month, partial months
    scopes = set(got.kpis["scope"])
    assert {"account:007", "account:7"} <= scopes
    assert got.kpis["partial"].any()


def test_dialects_decimal_comma_semicolon_dayfirst_cp1252_and_a_column_map(tricky, tmp_path, duck):
    src = pd.read_csv(tricky / "transactions.csv", dtype=str)
    folder = tmp_path / "your_data"
    folder.mkdir()
    dates = pd.to_datetime(src["date"]).dt.strftime("%d.%m.%Y")
    amounts = src["amount"].str.replace(".", ",", regex=False)
    names = src["customer"].replace({"Tail": "Tæl Ø"})
    out = pd.DataFrame({"Dato": dates, "Kunde": names, "Beløp": amounts, "Extra": "x"})
    out.to_csv(folder / "transactions.csv", sep=";", index=False, encoding="cp1252")
    cmap = {"transactions": {"Dato": "date", "Kunde": "customer", "Beløp": "amount"}}
    dialect = data.Dialect(sep=";", decimal=",", encoding="cp1252")
    got = engines.kpi_table("your_data", folder, cmap, dialect, con=duck)
    assert not any("read with pandas" in n for n in got.notes), got.notes
    assert_same_table(reference("your_data", folder, cmap, dialect), got.kpis)


def test_yyyymmdd_dates_and_sniffed_dialect(tricky, tmp_path, duck):
    src = pd.read_csv(tricky / "transactions.csv", dtype=str)
    folder = tmp_path / "your_data"
    folder.mkdir()
    src["date"] = src["date"].str.replace("-", "", regex=False)
    src["amount"] = src["amount"].str.replace(".", ",", regex=False)
    src.to_csv(folder / "transactions.csv", sep=";", index=False)
    got = engines.kpi_table("your_data", folder, con=duck)
    assert not any("read with pandas" in n for n in got.notes), got.notes
    assert_same_table(reference("your_data", folder), got.kpis)


def test_parquet_file_and_folder_of_parts(tricky, tmp_path, duck):
    src = pd.read_csv(tricky / "transactions.csv", dtype={"customer": str})
    src["date"] = pd.to_datetime(src["date"])
    one = tmp_path / "one" / "your_data"
    one.mkdir(parents=True)
    src.to_parquet(one / "transactions.parquet", index=False)
    parts = tmp_path / "parts" / "your_data"
    (parts / "transactions").mkdir(parents=True)
    for i, chunk in enumerate([src.iloc[: len(src) // 2], src.iloc[len(src) // 2:]]):
        chunk.to_parquet(parts / "transactions" / f"part-{i}.parquet", index=False)
    expected = reference("your_data", one)
    for folder in (one, parts):
        got = engines.kpi_table("your_data", folder, con=duck)
        assert not any("pandas" in n for n in got.notes), got.notes
        assert_same_table(expected, got.kpis)


def test_a_table_in_a_duckdb_database_file(tricky, tmp_path, capsys):
    import duckdb

    db = tmp_path / "sales.duckdb"
    con = duckdb.connect(str(db))
    con.execute(f"CREATE TABLE tx AS SELECT * FROM read_csv('{tricky / 'transactions.csv'}', "
                "columns={'date': 'DATE', 'customer': 'VARCHAR', 'amount': 'DECIMAL(12,2)'}, header=true)")
    con.execute(f"CREATE TABLE cust AS SELECT * FROM read_csv('{tricky / 'customers.csv'}', header=true, "
                "all_varchar=true)")
    con.close()
    out = tmp_path / "o.csv"
    code = main(["kpis", "your_data", "--connect", f"duckdb:///{db}", "--table", "tx", "--table", "customers=cust",
                 "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == _csv(reference("your_data", tricky))
    code = main(["kpis", "your_data", "--connect", f"duckdb:///{db}", "--table", "nope", "--out", str(out)])
    assert code == 3 and "nope" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--table", "tx"], ["--engine", "pandas", "--connect", "duckdb:///x.duckdb"],
                                  ["--spark-master", "local[1]"], ["--connect", "duckdb:///x.duckdb"]])
def test_engine_options_misused_are_usage_errors(argv, capsys, tmp_path):
    assert main(["kpis", "your_data", "--out", str(tmp_path / "o.csv"), *argv]) == 2
    assert "usage" in capsys.readouterr().err


def test_the_other_cases_stay_on_pandas_with_a_note(capsys, tmp_path):
    code = main(["kpis", "restaurant", "--engine", "duckdb", "--out", str(tmp_path / "r.csv")])
    err = capsys.readouterr().err
    assert code == 0
    assert err.count("computed with pandas") == 1
    assert (tmp_path / "r.csv").read_text(encoding="utf-8") == (GOLDEN / "restaurant_kpis.csv").read_text(
        encoding="utf-8")


# -------------------------------------------------------------------------------------- bad data
BAD = {
    "malformed value": lambda d: _replace(d / "transactions.csv", "250.00", "25O.00", count=1),
    "missing column": lambda d: _rewrite(d / "transactions.csv", lambda t: t.replace("amount", "amt", 1)),
    "unreadable file": lambda d: (d / "transactions.csv").write_bytes(b"date,customer,amount\n\x00\x01\xff\xfe"),
    "empty required id": lambda d: _replace(d / "transactions.csv", ",A,", ",,", count=1),
    "date out of range": lambda d: _replace(d / "transactions.csv", "2023-03-01", "2123-03-01", count=1),
    # the counts of dates and ids are implied by the grouping keys (sources.check_aggregates)
    "empty date": lambda d: _replace(d / "transactions.csv", "2023-03-01,A,", ",A,", count=1),
    "empty amount": lambda d: _replace(d / "transactions.csv", ",A,250.00", ",A,", count=1),
}


def test_blank_rows_are_left_out_on_duckdb_as_by_pandas(tricky, tmp_path, duck):
    folder = tmp_path / "your_data"
    shutil.copytree(tricky, folder)
    _rewrite(folder / "transactions.csv", lambda t: t.replace("\r\n", "\r\n,,\r\n", 3))
    got = engines.kpi_table("your_data", folder, con=duck)
    assert not any("pandas" in n for n in got.notes), got.notes
    assert_same_table(reference("your_data", folder), got.kpis)


def _replace(path: Path, old: str, new: str, count: int) -> None:
    _rewrite(path, lambda t: t.replace(old, new, count))


def _rewrite(path: Path, f) -> None:
    path.write_text(f(path.read_text(encoding="utf-8")), encoding="utf-8")


def _message(folder: Path) -> str:
    with pytest.raises(data.DataError) as ei:
        data.load_case("your_data", folder)
    return str(ei.value)


@pytest.mark.parametrize("what", sorted(BAD))
def test_bad_data_same_message_on_duckdb(what, tricky, tmp_path, capsys):
    folder = tmp_path / "your_data"
    shutil.copytree(tricky, folder)
    BAD[what](folder)
    msg = _message(folder)
    capsys.readouterr()
    code = main(["kpis", "your_data", "--data", str(folder), "--out", str(tmp_path / "o.csv")])
    err = capsys.readouterr().err
    assert code == 3
    assert err.strip() == f"kpi-cases: data error: {msg}"


def test_bad_value_in_a_parquet_folder_is_worded_by_the_pandas_checks(tricky, tmp_path, duck):
    src = pd.read_csv(tricky / "transactions.csv", dtype=str)
    src.loc[3, "amount"] = "abc"
    folder = tmp_path / "your_data"
    (folder / "transactions").mkdir(parents=True)
    src.to_parquet(folder / "transactions" / "part-0.parquet", index=False)
    with pytest.raises(data.DataError) as ei:
        engines.kpi_table("your_data", folder, con=duck)
    assert "amount" in str(ei.value) and "abc" in str(ei.value) and "5" in str(ei.value)


# ----------------------------------------------------------------------------------------- Spark
@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java (make test-spark installs it)")
    con = engines.connect("spark", spark_master="local[2]")
    yield con


@pytest.mark.spark
@pytest.mark.parametrize("case", engines.ENGINE_CASES)
def test_spark_gives_the_golden_table_of_the_shipped_data(case, spark):
    got = engines.kpi_table(case, DATA / case, con=spark)
    assert not any("read with pandas" in n for n in got.notes), got.notes
    assert _csv(got.kpis) == (GOLDEN / f"{case}_kpis.csv").read_text(encoding="utf-8")


@pytest.mark.spark
def test_pandas_duckdb_and_spark_agree_on_the_tricky_log(tricky, duck, spark, tmp_path):
    expected = reference("your_data", tricky)
    for con in (duck, spark):
        got = engines.kpi_table("your_data", tricky, con=con)
        assert not any("read with pandas" in n for n in got.notes), got.notes
        assert_same_table(expected, got.kpis)
    # and a folder of Parquet parts, read where Spark reads it
    src = pd.read_csv(tricky / "transactions.csv", dtype={"customer": str})
    src["date"] = pd.to_datetime(src["date"])
    parts = tmp_path / "your_data" / "transactions"
    parts.mkdir(parents=True)
    for i, chunk in enumerate([src.iloc[::2], src.iloc[1::2]]):
        chunk.to_parquet(parts / f"part-{i}.parquet", index=False)
    got = engines.kpi_table("your_data", parts.parent, con=spark)
    assert_same_table(_without_customers(tricky), got.kpis)


def _without_customers(tricky: Path) -> pd.DataFrame:
    folder = tricky.parent / "no_customers" / "your_data"
    if not folder.exists():
        folder.mkdir(parents=True)
        shutil.copy(tricky / "transactions.csv", folder)
    return reference("your_data", folder)


@pytest.mark.spark
@pytest.mark.parametrize("what", sorted(BAD))
def test_bad_data_same_message_on_spark(what, tricky, tmp_path, spark):
    folder = tmp_path / "your_data"
    shutil.copytree(tricky, folder)
    BAD[what](folder)
    msg = _message(folder)
    with pytest.raises(data.DataError) as ei:
        engines.kpi_table("your_data", folder, con=spark)
    assert str(ei.value) == msg
