"""Fuzzing the readers and the analysis with hypothesis.

* Round trip: a random *valid* table of any case, written in any accepted dialect (separator, decimal
  mark, thousands grouping, date format, encoding, BOM, line endings, column order, extra columns),
  reads back equal to what was written.
* Corruption: random damage to a valid file (hostile cells, random bytes, cut, duplicated or swapped
  lines) ends either in a clean read -- whose analysis then runs and has no ``inf`` -- or in a
  :class:`DataError`; never in another exception.
* The data check: random copies of rows, respelt names and slash dates give exactly the warnings
  (or the ``ambiguous`` error) that name them, and the options undo them.
* No mutation: the public functions of ``kpis``, ``accounts``, ``scorecard`` and ``cases`` leave the
  frames and Series they are given exactly as they were.

Examples per property are kept moderate (the whole file runs in well under 40 s on one core).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from kpi_helpers import accounts, cases, display, kpis, periods, scorecard
from kpi_helpers.data import (DATE_RANGE, TABLES, Checks, ColumnSpec, DataError, Dialect, TableSpec, load_case,
                              read_table)

from conftest import ROOT as REPO  # noqa: E402
#: examples per fuzz property; KPI_FUZZ_EXAMPLES=2000 for a deeper hunt
N_EXAMPLES = int(os.environ.get("KPI_FUZZ_EXAMPLES", "80"))
FUZZ = settings(max_examples=N_EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

ALL_TABLES = [(c, t) for c in TABLES for t in TABLES[c]]
# the fuzzing takes about 10 s: left out of `make test-fast`, run by `make test`
pytestmark = pytest.mark.slow


# --------------------------------------------------------------------------- random valid tables
# characters a consultant's ids contain, all encodable in Windows-1252 (so every dialect can hold them)
ID_ALPHABET = "ABCÆØÅabcæøåéü0123456789 -&./'\",;()_"


@st.composite
def id_text(draw: Any) -> str:
    s = draw(st.text(alphabet=ID_ALPHABET, min_size=1, max_size=12))
    s = s.strip()
    assume(s)
    return s


def _number_strategy(col: ColumnSpec) -> st.SearchStrategy[float | None]:
    lo = col.min if col.min is not None else -1e7
    hi = col.max if col.max is not None else 1e7
    if col.kind == "integer":
        lo_i = int(math.ceil(lo)) + (1 if col.min_exclusive and float(lo).is_integer() else 0)
        vals: st.SearchStrategy[Any] = st.integers(lo_i, int(min(hi, 10**7))).map(float)
    else:
        # cents: a value written with two decimals reads back exactly as float(f"{v:.2f}")
        lo_c, hi_c = int(math.ceil(lo * 100)), int(math.floor(hi * 100))
        if col.min_exclusive:
            lo_c += 1
        vals = st.integers(lo_c, hi_c).map(lambda c: c / 100)
    return st.one_of(st.none(), vals) if col.nullable else vals


DATES = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
TIMES = st.tuples(st.integers(0, 23), st.integers(0, 59))


@st.composite
def valid_table(draw: Any, spec: TableSpec) -> dict[str, list[Any]]:
    """Column name -> values (None = empty) for a table that obeys spec (ranges, uniqueness, orders)."""
    n = draw(st.integers(1, 8))
    cols: dict[str, list[Any]] = {}
    for col in spec.columns:
        if col.kind in ("id", "text"):
            base = id_text()
            if col.unique:
                vals = draw(st.lists(base, min_size=n, max_size=n, unique_by=lambda s: s))
            else:
                vals = draw(st.lists(st.one_of(st.none(), base) if col.nullable else base, min_size=n, max_size=n))
        elif col.kind == "date":
            d = st.one_of(st.none(), DATES) if col.nullable else DATES
            vals = draw(st.lists(d, min_size=n, max_size=n))
        elif col.kind == "time":
            vals = draw(st.lists(st.one_of(st.none(), TIMES), min_size=n, max_size=n))
        else:
            vals = draw(st.lists(_number_strategy(col), min_size=n, max_size=n))
        cols[col.name] = vals
    for rule in spec.orders:  # make the row rules hold
        a, b = cols[rule.column], cols[rule.other]
        for i in range(n):
            if a[i] is None or b[i] is None:
                continue
            if (rule.op == "<=" and a[i] > b[i]) or (rule.op == ">=" and a[i] < b[i]):
                a[i] = b[i]
    return cols


@st.composite
def dialects(draw: Any) -> dict[str, Any]:
    sep = draw(st.sampled_from([",", ";", "\t"]))
    decimal = "." if sep == "," else draw(st.sampled_from([".", ","]))
    return {
        "sep": sep,
        "decimal": decimal,
        "thousands": draw(st.sampled_from(["", " ", "\u00a0", "," if decimal == "." else "."])),
        "dates": draw(st.sampled_from(["iso", "compact", "dotted", "slash-dayfirst", "iso-time"])),
        "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"])),
        "newline": draw(st.sampled_from(["\n", "\r\n"])),
        "shuffle": draw(st.randoms(use_true_random=False)),
        "extra": draw(st.booleans()),
        "lead_blank": draw(st.booleans()),
        "trail_blank": draw(st.booleans()),
    }


def _fmt_number(v: float, col: ColumnSpec, d: dict[str, Any]) -> str:
    s = f"{abs(v):.0f}" if col.kind == "integer" else f"{abs(v):.2f}"
    whole, _, frac = s.partition(".")
    if d["thousands"] and len(whole) > 3:
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = d["thousands"].join([whole, *groups])
    out = whole + (d["decimal"] + frac if frac else "")
    return ("-" if v < 0 else "") + out


def _fmt_date(x: dt.date, d: dict[str, Any]) -> str:
    return {"iso": x.isoformat(), "compact": x.strftime("%Y%m%d"), "dotted": x.strftime("%d.%m.%Y"),
            "slash-dayfirst": x.strftime("%d/%m/%Y"), "iso-time": x.isoformat() + " 13:45"}[d["dates"]]


def write_table(path: Path, spec: TableSpec, cols: dict[str, list[Any]], d: dict[str, Any]) -> list[str]:
    """Write the table in dialect d; returns the column order used."""
    names = list(cols)
    optional = [c.name for c in spec.columns if not c.required]
    rnd = d["shuffle"]
    names = [n for n in names if n not in optional or rnd.random() < 0.7]
    rnd.shuffle(names)
    header = list(names) + (["comment"] if d["extra"] else [])
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=d["sep"], lineterminator=d["newline"])
    w.writerow(header)
    n = len(next(iter(cols.values())))
    for i in range(n):
        row = []
        for name in names:
            col, v = spec.column(name), cols[name][i]
            if v is None:
                row.append("")
            elif col.kind in ("id", "text"):
                row.append(v)
            elif col.kind == "date":
                row.append(_fmt_date(v, d))
            elif col.kind == "time":
                row.append(f"{v[0]:02d}:{v[1]:02d}")
            else:
                row.append(_fmt_number(v, col, d))
        if d["extra"]:
            row.append("free text")
        w.writerow(row)
    text = ("\n\n" if d["lead_blank"] else "") + buf.getvalue() + ("\n\n" if d["trail_blank"] else "")
    path.write_bytes(text.encode(d["encoding"]))
    return names


def expected_frame(spec: TableSpec, cols: dict[str, list[Any]], names: list[str]) -> pd.DataFrame:
    out: dict[str, pd.Series] = {}
    date = pd.Series(pd.to_datetime([pd.Timestamp(x) if x is not None else pd.NaT for x in cols["date"]])
                     ).astype("datetime64[us]") if "date" in cols else None
    seated = None
    for col in spec.columns:
        if col.name not in names:
            continue
        v = cols[col.name]
        if col.kind in ("id", "text"):
            out[col.name] = pd.Series([x if x is not None else np.nan for x in v], dtype="str")
        elif col.kind == "date":
            out[col.name] = pd.Series([pd.Timestamp(x) if x is not None else pd.NaT for x in v],
                                      dtype="datetime64[us]")
        elif col.kind == "time":
            delta = pd.Series([pd.Timedelta(hours=x[0], minutes=x[1]) if x is not None else pd.NaT for x in v],
                              dtype="timedelta64[us]")
            stamp = date + delta
            if col.name == "seated_at":
                seated = stamp
            elif seated is not None:
                stamp = stamp.where(~(stamp < seated), stamp + pd.Timedelta(days=1))
            out[col.name] = stamp.astype("datetime64[us]")
        else:
            s = pd.Series([np.nan if x is None else float(x) for x in v], dtype="float64")
            out[col.name] = s.astype(col.dtype)
    return pd.DataFrame(out)


@FUZZ
@given(which=st.sampled_from(ALL_TABLES), data=st.data(), d=dialects())
def test_random_valid_tables_read_back_equal(tmp_path_factory, which, data, d):
    case, table = which
    spec = TABLES[case][table]
    cols = data.draw(valid_table(spec))
    path = tmp_path_factory.mktemp("rt") / f"{table}.csv"
    names = write_table(path, spec, cols, d)
    # an explicit decimal mark where grouping makes '1,234' ambiguous; day first for 31/01/2024
    dialect = Dialect(decimal=d["decimal"] if d["thousands"] in (",", ".") else None,
                      dayfirst=d["dates"] == "slash-dayfirst")
    res = read_table(path, spec, dialect=dialect)
    got = res.frame
    want = expected_frame(spec, cols, names)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert list(got.columns) == [c for c in spec.column_names if c in names]
    assert res.missing_columns == tuple(c for c in spec.optional_columns if c not in names)
    assert res.rows.tolist() == list(range(2 + 2 * d["lead_blank"], 2 + 2 * d["lead_blank"] + len(got)))


# --------------------------------------------------------------------------- random corruption
HOSTILE = ["", '"', "'", ",", ";", "\t", "\n", "\r", "\r\n", "\x00", "\ufeff", "NaN", "nan", "NA", "None",
           "inf", "-inf", "1e400", "-0", "9999-12-31", "0001-01-01", "1899-12-30", "2024-02-30", "2024-13-01",
           "24:00", "23:59", "25:61", "١٢٣", "１２３", "２０２４-01-01", "1,234.5", "1.234,5", "1 234", "sep=;",
           "=SUM(A1)", "x" * 300, "é", "ø", "\x1a", "\\", "%s", "{}", "-1", "0", "99999999999999999999",
           "1e-400", "01.02.03", "20241301", "2042-01-01", "T01", "P-2023-014", "\u2212" + "5", "1_000",
           "True", "[]", "0x1F", '="000101"', "16,760", "03/04/2025"]

def small_copy(case: str, dest: Path) -> Path:
    """The shipped data of case, long tables cut to 10 rows, copied into dest/case."""
    d = dest / case
    d.mkdir(parents=True)
    for f in sorted((REPO / "data" / case).glob("*.csv")):
        lines = f.read_bytes().split(b"\n")
        if len(lines) > 200:
            lines = lines[:11] + [b""]
        (d / f.name).write_bytes(b"\n".join(lines))
    return d


@st.composite
def damage(draw: Any, data: bytes) -> bytes:
    """One to three random corruptions of a file's bytes."""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["cell", "token", "bytes", "cut", "delete", "dup-line", "swap-lines", "drop-line"]))
        lines = data.split(b"\n")
        if kind == "cell":
            i = draw(st.integers(0, max(0, len(lines) - 1)))
            fields = lines[i].split(b",")
            j = draw(st.integers(0, max(0, len(fields) - 1)))
            fields[j] = draw(st.sampled_from(HOSTILE)).encode("utf-8")
            lines[i] = b",".join(fields)
            data = b"\n".join(lines)
        elif kind == "token":
            pos = draw(st.integers(0, len(data)))
            data = data[:pos] + draw(st.sampled_from(HOSTILE)).encode("utf-8") + data[pos:]
        elif kind == "bytes":
            pos = draw(st.integers(0, len(data)))
            data = data[:pos] + draw(st.binary(min_size=1, max_size=6)) + data[pos:]
        elif kind == "cut":
            data = data[: draw(st.integers(0, len(data)))]
        elif kind == "delete":
            a = draw(st.integers(0, len(data)))
            data = data[:a] + data[a + draw(st.integers(1, 20)):]
        elif kind == "dup-line" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            data = b"\n".join(lines)
        elif kind == "swap-lines" and len(lines) > 1:
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif kind == "drop-line" and lines:
            del lines[draw(st.integers(0, len(lines) - 1))]
            data = b"\n".join(lines)
    return data


CORRUPTIBLE = [(c, t) for c in ["startup", "consultancy", "marketing_agency", "restaurant", "your_data"]
               for t in TABLES[c]]


@FUZZ
@given(which=st.sampled_from(CORRUPTIBLE), data=st.data())
def test_random_corruption_is_a_clean_read_or_a_data_error(tmp_path_factory, which, data):
    case, table = which
    d = small_copy(case, tmp_path_factory.mktemp("cor"))
    path = d / f"{table}.csv"
    path.write_bytes(data.draw(damage(path.read_bytes()), label="damaged"))
    try:
        cd = load_case(case, d)
    except DataError as e:
        msg = str(e)
        assert msg and "\n" not in msg and "\r" not in msg and "\x00" not in msg
        assert e.file and e.file.split("/")[0] == case, msg
        event("DataError")
        return
    event("clean read")
    assert_clean(case, cd.tables)
    # a clean read must analyse without an exception, and without inf
    result = cases.analyse(case, cd)
    values = result.kpis["value"].to_numpy(dtype=float)
    assert not np.isinf(values).any()
    assert result.kpis.loc[result.kpis["value"].isna(), "note"].str.len().gt(0).all()


def assert_clean(case: str, tables: Any) -> None:
    """What a clean read promises: canonical dtypes, finite numbers, plausible dates, no empty required cell."""
    lo, hi = (pd.Timestamp(x) for x in DATE_RANGE)
    for name, frame in tables.items():
        spec = TABLES[case][name]
        for col in spec.columns:
            if col.name not in frame:
                continue
            s = frame[col.name]
            assert str(s.dtype) == col.dtype or (col.kind in ("id", "text") and isinstance(s.dtype, pd.StringDtype)), \
                (name, col.name, s.dtype)
            if col.kind in ("number", "integer"):
                assert np.isfinite(s.dropna().to_numpy(dtype=float)).all(), (name, col.name)
            if col.kind == "date":
                assert s.dropna().between(lo, hi).all(), (name, col.name)
            if not col.nullable:
                assert s.notna().all(), (name, col.name)


# one column of every kind (and nullable variants): every hostile value, one at a time
SWEEP = [("startup", "invoices", "date"), ("startup", "invoices", "customer"), ("startup", "invoices", "amount"),
         ("consultancy", "projects", "actual_end"), ("marketing_agency", "campaign_stats", "impressions"),
         ("restaurant", "visits", "seated_at")]


@pytest.mark.parametrize("case,table,column", SWEEP, ids=[".".join(x) for x in SWEEP])
def test_every_hostile_value_in_every_kind_of_column(tmp_path, case, table, column):
    base = small_copy(case, tmp_path)
    path = base / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    j = rows[0].index(column)
    spec = TABLES[case][table]
    outcomes = {}
    for token in HOSTILE:
        changed = [list(r) for r in rows]
        changed[2][j] = token
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(changed)
        path.write_text(buf.getvalue(), encoding="utf-8")
        try:
            res = read_table(path, spec)
        except DataError as e:
            assert "\n" not in str(e) and "\x00" not in str(e), (token, str(e))
            outcomes[token] = "error"
            continue
        assert_clean(case, {table: res.frame})
        outcomes[token] = "read"
    # the obvious ones: rejected in a typed column, kept verbatim in an id column
    kind = TABLES[case][table].column(column).kind
    if kind in ("number", "integer", "date", "time"):
        for token in ("NaN", "inf", "1e400", "=SUM(A1)", "x" * 300, "0x1F"):
            assert outcomes[token] == "error", (column, token)
    if kind == "date":
        for token in ("9999-12-31", "0001-01-01", "1899-12-30", "2024-02-30", "２０２４-01-01"):
            assert outcomes[token] == "error", (column, token)
    if kind == "id":
        for token in ("NaN", "NA", "None", "=SUM(A1)", "T01", '="000101"'):
            assert outcomes[token] == "read", (column, token)
    if kind == "number":  # with every other amount written 1234.50: '16,760' is a thousands-grouped whole number
        assert outcomes["16,760"] == "read"


@FUZZ
@given(data=st.data(), n=st.integers(3, 12))
def test_the_data_check_names_what_was_done_to_a_clean_file(tmp_path_factory, data, n):
    """Copies of random rows, respelt names and a total row: each named by its warning, undone by its option."""
    rows = [(f"2024-{data.draw(st.integers(1, 12)):02d}-{data.draw(st.integers(1, 28)):02d}",
             f"Kunde {i} AS", f"{data.draw(st.integers(1, 10**6)) / 100:.2f}") for i in range(n)]
    copies = data.draw(st.lists(st.integers(0, n - 1), max_size=3), label="copies")
    respelt = data.draw(st.lists(st.integers(0, n - 1), max_size=2, unique=True), label="respelt")
    lines = list(rows) + [rows[i] for i in copies]
    for i in respelt:
        lines.append((rows[i][0], rows[i][1].upper().replace(" ", "  "), "1.00"))
    d = tmp_path_factory.mktemp("chk") / "startup"
    d.mkdir()
    (d / "invoices.csv").write_text("date,customer,amount\n" + "".join(",".join(r) + "\n" for r in lines),
                                    encoding="utf-8")
    cd = load_case("startup", d)
    dup_rows = [n + 2 + k for k in range(len(copies))]  # every copy repeats its original (the names are unique)
    dups = [w for w in cd.warnings if "repeat" in w]
    assert len(dups) == (1 if copies else 0), cd.warnings
    if copies:
        assert f"{len(copies)} row" in dups[0] and "--drop-duplicates" in dups[0]
        assert f"row{'s' if len(copies) > 1 else ''} {', '.join(map(str, dup_rows))}" in dups[0]
    similar = [w for w in cd.warnings if "case or spaces" in w]
    assert len(similar) == (1 if respelt else 0), cd.warnings
    fixed = load_case("startup", d, checks=Checks(drop_duplicates=True, merge_similar_names=True))
    inv = fixed["invoices"]
    assert len(inv) == n + len(respelt)
    assert inv["customer"].nunique() == n


# --------------------------------------------------------------------------- no mutation
def _snapshot(x: Any) -> Any:
    return x.copy(deep=True) if isinstance(x, (pd.DataFrame, pd.Series)) else x


def _same(before: Any, after: Any) -> None:
    if isinstance(before, pd.DataFrame):
        pd.testing.assert_frame_equal(after, before, check_exact=True)
        assert after.attrs == before.attrs
    elif isinstance(before, pd.Series):
        pd.testing.assert_series_equal(after, before, check_exact=True)


def assert_unchanged(func: Any, *args: Any, **kwargs: Any) -> Any:
    before = [_snapshot(a) for a in args] + [_snapshot(v) for v in kwargs.values()]
    out = func(*args, **kwargs)
    for b, a in zip(before, list(args) + list(kwargs.values())):
        _same(b, a)
    return out


@st.composite
def transactions(draw: Any) -> pd.DataFrame:
    n = draw(st.integers(1, 30))
    customers = draw(st.lists(st.sampled_from(["A", "B", "C", "D", "E"]), min_size=n, max_size=n))
    amounts = draw(st.lists(st.integers(-1000, 100_000).map(float), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 400), min_size=n, max_size=n))
    tx = pd.DataFrame({"date": (pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D")).astype("datetime64[us]"),
                       "customer": pd.Series(customers, dtype="str"), "amount": amounts})
    return tx.iloc[::-1] if draw(st.booleans()) else tx  # sometimes a non-default index order


@settings(max_examples=max(10, N_EXAMPLES // 5), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(tx=transactions(), scores=st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=5, max_size=5))
def test_public_functions_do_not_change_their_input(tx, scores):
    customers = pd.DataFrame({"customer": pd.Series(list("ABCDE"), dtype="str"),
                              "strategic_value": [np.nan if s is None else float(s) for s in scores]})
    revenue = assert_unchanged(accounts.revenue_by_customer, tx)
    assert_unchanged(accounts.revenue_share, revenue)
    pareto = assert_unchanged(accounts.pareto_table, revenue)
    assert_unchanged(accounts.abc_counts, pareto)
    assert_unchanged(accounts.concentration, revenue)
    assert_unchanged(accounts.major_customers, revenue)
    features = assert_unchanged(accounts.account_features, tx, customers, 2)
    scored = assert_unchanged(accounts.score_accounts, features)
    assert_unchanged(accounts.portfolio_matrix, features)
    assert_unchanged(accounts.key_accounts, revenue, scored["score"])
    assert_unchanged(accounts.concentration_kpis, revenue)
    assert_unchanged(accounts.account_kpis, tx, tx["customer"].iloc[0])
    assert_unchanged(accounts.monthly_revenue_by_account, tx)
    labels = assert_unchanged(periods.period_labels, tx["date"])
    monthly = tx.groupby(labels)["amount"].sum()
    for f in (kpis.mom_growth, kpis.cmgr_from_series):
        assert_unchanged(f, monthly)
    for f in (kpis.revenue, kpis.top20_share):
        assert_unchanged(f, tx["amount"])
    assert_unchanged(kpis.hhi, accounts.revenue_share(revenue.clip(lower=0)))
    assert_unchanged(kpis.top_n_share, tx["amount"], 2)
    assert_unchanged(kpis.safe_ratio, tx["amount"], tx["amount"].abs())
    scores_s = pd.Series([s for s in scores if s is not None] or [3], dtype="float64")
    for f in (kpis.csat_from_scores, kpis.avg_rating, kpis.rating_count):
        assert_unchanged(f, scores_s)
    assert_unchanged(kpis.avg_completion_days, tx["date"], tx["date"] + pd.Timedelta(days=3))
    rows = pd.DataFrame({"kpi": ["revenue"] * len(monthly), "scope": "all", "period": list(monthly.index),
                         "value": monthly.to_numpy()})
    table = assert_unchanged(scorecard.kpi_table, rows, {"revenue": 1000.0})
    assert_unchanged(display.format_kpi_table, table)
    assert_unchanged(scorecard.kpi_table_csv, table)


@pytest.mark.parametrize("case", ["startup", "consultancy", "marketing_agency", "restaurant", "your_data"])
def test_analyse_does_not_change_the_loaded_frames(tmp_path, case):
    cd = load_case(case, small_copy(case, tmp_path))
    before = {k: v.copy(deep=True) for k, v in cd.tables.items()}
    result = cases.analyse(case, cd)
    for k, v in cd.tables.items():
        pd.testing.assert_frame_equal(v, before[k], check_exact=True)
    # the helpers of the core part, on frames of the analysis
    if case == "restaurant":
        visits = cd["visits"]
        snap = visits.copy(deep=True)
        assert_unchanged(cases.restaurant.guest_rfm, visits, cd.date_range[1])
        pd.testing.assert_frame_equal(visits, snap)
    if case == "marketing_agency":
        sums = result.frames["by_client"][cases.marketing_agency.AD_SUMS].copy()
        assert_unchanged(cases.marketing_agency.ad_rates, sums)
    # and a second analysis of the same data gives the same table
    pd.testing.assert_frame_equal(cases.analyse(case, cd).kpis, result.kpis, check_exact=True)
