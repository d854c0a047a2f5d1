"""The fast paths give what the straightforward code gives, to the last bit.

* ``readers.read_text_fast`` (pyarrow's CSV reader, checks once per distinct value) against the robust
  reader, on every shipped file and on consultant-style files: same frame, rows, warnings and
  dialect, or the same DataError message;
* ``CaseData.factorize``, the vectorised concentration KPIs, ``period_labels``,
  ``periods.months_present`` and the vectorised helpers of ``accounts`` against the code they replaced
  (kept here as references);
* the lazy numpy/pandas of the computing modules: ``kpi-cases list`` imports neither.
"""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi_helpers import _frames, accounts, cases, data, kpis, periods, scoring
from kpi_helpers.data import DataError, Dialect, load_case, read_table, readers, table_spec

from conftest import ROOT as REPO  # noqa: E402
SHIPPED = sorted((REPO / "data").glob("*/*.csv"))


def _both(path: Path, spec, monkeypatch, **kw):
    """(fast result or error message, robust result or error message)."""
    out = []
    for fast in (True, False):
        try:
            out.append(read_table(path, spec, fast=fast, **kw))
        except DataError as e:
            out.append(str(e))
    return out


def _same(a, b) -> None:
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    assert [str(a.frame[c].dtype) for c in a.frame] == [str(b.frame[c].dtype) for c in b.frame]
    assert np.array_equal(a.rows, b.rows)
    assert a.warnings == b.warnings
    assert a.dialect == b.dialect
    assert dict(a.columns_used) == dict(b.columns_used)
    assert a.missing_columns == b.missing_columns


def _spec_of(path: Path):
    case, table = path.parent.name, path.stem
    return table_spec(case, table)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_files_read_the_same_both_ways(path, monkeypatch):
    fast, robust = _both(path, _spec_of(path), monkeypatch)
    _same(fast, robust)


def test_the_fast_reader_takes_the_plain_case():
    spec = table_spec("your_data", "transactions")
    got = readers.read_text_fast(REPO / "data/your_data/transactions.csv", "t", Dialect(), spec, {}, {})
    assert got is not None
    frame, rows, used, warnings, preparsed, factorized = got
    assert set(preparsed) == {"date", "customer", "amount"} and "customer" in factorized


HEADER = "date,customer,amount\n"
ROWS = "2024-01-05,007,100.5\n2024-01-31,A/S Nord,200\n2024-02-01,007,-50.25\n2024-02-29,Øst,1e3\n"


@pytest.mark.parametrize(
    "name, content, kw",
    [
        ("plain", HEADER + ROWS, {}),
        ("crlf", (HEADER + ROWS).replace("\n", "\r\n"), {}),
        ("bom", "\ufeff" + HEADER + ROWS, {}),
        ("quoted", 'date,customer,amount\n"2024-01-05","0 07","100.5"\n2024-01-06,"Nord, AS",2\n', {}),
        ("quoted newline", 'date,customer,amount\n2024-01-05,"two\nlines",1\n2024-01-06,x,2\n', {}),
        ("spaces around ids", "date,customer,amount\n2024-01-05, 007 ,1\n2024-01-06,007,2\n", {}),
        ("empty id", "date,customer,amount\n2024-01-05,,1\n2024-01-06,007,2\n", {}),
        ("bad date", "date,customer,amount\n2024-01-05,a,1\n2024-02-30,b,2\n", {}),
        ("bad amount", "date,customer,amount\n2024-01-05,a,1\n2024-01-06,b,12x\n", {}),
        ("nan amount", "date,customer,amount\n2024-01-05,a,nan\n2024-01-06,b,inf\n", {}),
        ("empty amount", "date,customer,amount\n2024-01-05,a,\n2024-01-06,b,2\n", {}),
        ("thousands", 'date,customer,amount\n2024-01-05,a,"1,234.50"\n2024-01-06,b,2\n', {}),
        ("semicolon decimal comma", "date;customer;amount\n2024-01-05;a;12,50\n2024-01-06;b;2\n", {}),
        ("semicolon decimal point", "date;customer;amount\n2024-01-05;a;12.50\n2024-01-06;b;2\n", {}),
        ("tab", "date\tcustomer\tamount\n2024-01-05\ta\t1\n", {}),
        ("dayfirst", "date,customer,amount\n05.01.2024,a,1\n31/01/2024,b,2\n", {"dialect": Dialect(dayfirst=True)}),
        ("compact dates", "date,customer,amount\n20240105,a,1\n20240131,b,2\n", {}),
        ("date with time", "date,customer,amount\n2024-01-05 13:45,a,1\n2024-01-05T08:00:00,b,2\n", {}),
        ("extra columns", "id,date,note,customer,amount,x\n1,2024-01-05,hi,a,1,\n2,2024-01-06,,b,2,z\n", {}),
        ("duplicate header", "date,customer,amount,amount\n2024-01-05,a,1,2\n", {}),
        ("empty header name", "date,customer,amount,\n2024-01-05,a,1,\n", {}),
        ("blank line", "date,customer,amount\n2024-01-05,a,1\n\n2024-01-06,b,2\n", {}),
        ("blank row", "date,customer,amount\n2024-01-05,a,1\n,,\n2024-01-06,b,2\n", {}),
        ("leading blank line", "\ndate,customer,amount\n2024-01-05,a,1\n", {}),
        ("sep hint", "sep=;\ndate;customer;amount\n2024-01-05;a;1\n", {}),
        ("ragged", "date,customer,amount\n2024-01-05,a,1,9\n2024-01-06,b,2\n", {}),
        ("short row", "date,customer,amount\n2024-01-05,a\n2024-01-06,b,2\n", {}),
        ("missing column", "date,customer\n2024-01-05,a\n", {}),
        ("header only", "date,customer,amount\n", {}),
        ("column map", "Dato,Kunde,Beløp\n2024-01-05,a,1\n", {"column_map": {"Dato": "date", "Kunde": "customer",
                                                                              "Beløp": "amount"}}),
        ("star map", "Dato,customer,amount\n2024-01-05,a,1\n", {"star_map": {"Dato": "date"}}),
        ("case-folded header", "Date,CUSTOMER,Amount\n2024-01-05,a,1\n", {}),
        ("explicit utf-8", HEADER + ROWS, {"dialect": Dialect(encoding="UTF-8")}),
        ("explicit sep", "date|customer|amount\n2024-01-05|a|1\n", {"dialect": Dialect(sep="|")}),
    ],
)
def test_consultant_files_read_the_same_both_ways(tmp_path, monkeypatch, name, content, kw):
    path = tmp_path / "transactions.csv"
    path.write_text(content, encoding="utf-8", newline="")
    fast, robust = _both(path, table_spec("your_data", "transactions"), monkeypatch, **kw)
    _same(fast, robust)


def test_windows_1252_file_reads_the_same_both_ways(tmp_path, monkeypatch):
    path = tmp_path / "transactions.csv"
    path.write_bytes((HEADER + "2024-01-05,Bjørn AS,1\n").encode("cp1252"))
    fast, robust = _both(path, table_spec("your_data", "transactions"), monkeypatch)
    _same(fast, robust)
    assert fast.warnings and "cp1252" in fast.warnings[0]


def test_a_large_generated_log_reads_the_same_both_ways(tmp_path, monkeypatch):
    rng = np.random.default_rng(3)
    n = 30_000
    days = np.datetime_as_string(np.datetime64("2023-01-01") + rng.integers(0, 500, n), unit="D")
    ids = np.char.zfill(rng.integers(1, 5000, n).astype(str), 6)
    amounts = np.round(rng.lognormal(5, 1, n) * np.where(rng.random(n) < 0.01, -1, 1), 2)
    path = tmp_path / "transactions.csv"
    pd.DataFrame({"date": days, "customer": ids, "amount": amounts}).to_csv(path, index=False)
    fast, robust = _both(path, table_spec("your_data", "transactions"), monkeypatch)
    _same(fast, robust)
    codes, uniques = fast.factorized["customer"]
    ref_codes, ref_uniques = pd.factorize(robust.frame["customer"], sort=True)
    assert np.array_equal(codes, ref_codes) and list(uniques) == list(ref_uniques)


def test_casedata_factorize_is_pandas_factorize_sorted():
    cd = load_case("startup", REPO / "data/startup")
    for table in ("invoices", "customers"):
        codes, uniques = cd.factorize(table, "customer")
        ref_codes, ref_uniques = pd.factorize(cd[table]["customer"], sort=True)
        assert np.array_equal(codes, ref_codes) and list(uniques) == list(ref_uniques)
    cd2 = load_case("startup", REPO / "data/startup")
    cd2._codes.clear()  # computed on first use when the reader did not hand them over
    assert np.array_equal(cd2.factorize("invoices", "customer")[0], cd.factorize("invoices", "customer")[0])


def _old_concentration_row(revenue: pd.Series, a: float, b: float) -> dict[str, float]:
    rev = revenue[revenue > 0]
    if rev.empty:
        return {"top_customer_share": math.nan, "top20_share": math.nan, "hhi": math.nan, "abc_a_count": math.nan}
    conc = accounts.concentration(rev)
    pareto = accounts.pareto_table(rev, a=a, b=b)
    return {"top_customer_share": conc["top_customer_share"], "top20_share": conc["top20_share"],
            "hhi": conc["hhi"], "abc_a_count": float(accounts.abc_counts(pareto)["A"])}


@pytest.mark.parametrize("seed", range(6))
def test_concentration_kpis_are_the_accounts_functions_bit_for_bit(seed):
    """The KPI table's concentration figures (accounts.concentration_kpis) equal accounts.concentration
    and pareto_table on the same customer base, to the last bit, with zeros, credit notes and ties."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3000))
    values = np.round(rng.pareto(1.2, n) * 1000, 2) * np.where(rng.random(n) < 0.1, -1, 1)
    values[rng.random(n) < 0.2] = 0.0
    if seed == 0:
        values[: n // 2] = 100.0  # many ties
    names = pd.Index([f"c{i:05d}" for i in rng.permutation(n)], dtype="str")
    rev = pd.Series(values, index=names)
    for a, b in ((0.8, 0.95), (0.5, 0.6)):
        new, old = accounts.concentration_kpis(rev, a=a), _old_concentration_row(rev, a, b)
        assert new.keys() == old.keys()
        for k in new:
            assert (math.isnan(new[k]) and math.isnan(old[k])) or new[k] == old[k], (k, new[k], old[k])


def test_period_labels_are_the_sorted_unique_labels():
    rng = np.random.default_rng(4)
    d = pd.Series((np.datetime64("1990-01-01") + rng.integers(0, 20000, 5000)).astype("datetime64[us]"))
    codes = d.dt.year.to_numpy() * 12 + d.dt.month.to_numpy() - 1
    uniq, inverse = np.unique(codes, return_inverse=True)
    ref = [f"{c // 12:04d}-{c % 12 + 1:02d}" for c in uniq[inverse]]
    assert periods.period_labels(d).tolist() == ref


def test_months_present_is_np_unique_of_year_month():
    rng = np.random.default_rng(5)
    for span in (40, 4000, 400_000):
        stamps = (np.datetime64("2000-01-01") + rng.integers(-span, span, 3000)).astype("datetime64[us]")
        d = pd.Series(stamps + rng.integers(0, 86_400_000_000, 3000).astype("timedelta64[us]"))  # times of day
        assert np.array_equal(periods.months_present(d), np.unique((d.dt.year * 12 + d.dt.month - 1).to_numpy()))


# ----------------------------------------------------------------------------------------- accounts helpers
def _old_missing_text(norm: pd.DataFrame) -> pd.Series:
    names = list(norm.columns)
    isna = norm.isna().to_numpy()
    return pd.Series([", ".join(n for n, m in zip(names, row) if m) for row in isna], index=norm.index, dtype="str")


def _old_sort_by(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    tmp = frame.copy()
    tmp.index.name = "customer"
    tmp = tmp.reset_index()
    tmp = tmp.sort_values([column, "customer"], ascending=[False, True], kind="stable", na_position="last")
    return tmp.set_index("customer")


def _old_normalise(name: str, values: pd.Series) -> pd.Series:
    x = pd.to_numeric(values, errors="coerce").astype(float)
    x = x.where(np.isfinite(x))
    if name in accounts.SCORE_CRITERIA:
        return ((x - 1.0) / 4.0).clip(0.0, 1.0)
    lo, hi = x.min(), x.max()
    if pd.isna(lo):
        return x
    if hi == lo:
        return x.where(x.isna(), 0.5)
    return (x - lo) / (hi - lo)


@pytest.mark.parametrize("seed", range(4))
def test_vectorised_account_helpers_match_the_row_by_row_code(seed):
    rng = np.random.default_rng(seed)
    n = 500
    idx = pd.Index([f"k{i:04d}" for i in rng.permutation(n)], dtype="str", name="customer")
    norm = pd.DataFrame(rng.random((n, 4)), index=idx, columns=["revenue_share", "revenue_growth", "engagement", "x"])
    norm = norm.mask(rng.random((n, 4)) < 0.3)
    pd.testing.assert_series_equal(scoring._missing_text(norm), _old_missing_text(norm))
    frame = pd.DataFrame({"score": np.round(rng.random(n), 1), "other": rng.random(n)}, index=idx)
    frame.loc[frame.index[::7], "score"] = np.nan
    pd.testing.assert_frame_equal(scoring._sort_by(frame, "score"), _old_sort_by(frame, "score"))
    for name, vals in (("engagement", rng.integers(0, 7, n).astype(float)), ("revenue_share", rng.random(n)),
                       ("revenue_share", np.full(n, 2.0)), ("revenue_growth", np.full(n, np.nan)),
                       ("revenue_growth", np.where(rng.random(n) < 0.2, np.inf, rng.normal(size=n)))):
        s = pd.Series(vals, index=idx, name=name)
        pd.testing.assert_series_equal(scoring._normalise_criterion(name, s), _old_normalise(name, s))
    rev = pd.Series(np.round(rng.random(n) * 10), index=idx)
    sorted_rev = _frames.sort_revenue(rev)
    again = _frames.sort_revenue(sorted_rev)  # the already-in-order path
    pd.testing.assert_series_equal(again, sorted_rev)


def test_analysis_from_codes_equals_account_features_of_the_rows():
    cd = load_case("startup", REPO / "data/startup")
    result = cases.analyse("startup", cd)
    ref = accounts.account_features(cd["invoices"], cd["customers"], recent_months=6)
    pd.testing.assert_frame_equal(result.frames["features"], ref, check_exact=True)


# ----------------------------------------------------------------------------------------- lazy imports
def test_list_imports_neither_numpy_nor_pandas():
    code = ("import io, sys, contextlib; from kpi_helpers import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()): cli.main(['list'])\n"
            "print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_kpis_doctests_pass():
    assert kpis.safe_ratio(pd.Series([1.0]), 2.0).tolist() == [0.5]
