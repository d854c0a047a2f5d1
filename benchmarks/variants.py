"""The three ways of computing the same revenue figures that the benchmark compares.

(a) ``kpi-cases kpis your_data`` -- the project's path; :func:`from_kpi_table` reads its KPI table.
(b) :func:`duckdb_figures` -- DuckDB SQL on the same CSV (an embedded SQL engine, all cores).
(c) :func:`pandas_figures` -- the straightforward pandas version a student would write.

Each gives the same structure (:func:`empty_figures`): per calendar month and for the whole period the
revenue, active customers, top customer's share, top-20 % share, HHI and ABC class-A count; month-over-
month growth and CMGR over complete months; and the largest accounts' revenue and revenue share. The
definitions are those of DESIGN.md's KPI glossary as ``kpi_helpers`` applies them: concentration
figures over the customers with revenue > 0 in the period; growth leaves partial months out (a month is
partial when the data's first..last dates do not cover it entirely).

Run one variant in its own process (what ``run.py`` times)::

    python benchmarks/variants.py duckdb  FILE.csv OUT.json
    python benchmarks/variants.py pandas  FILE.csv OUT.json
    python benchmarks/variants.py kpis    KPI_TABLE.csv OUT.json   # (a)'s table, converted (not timed)
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

ABC_A = 0.80
TOL = 1e-9  # as kpi_helpers.accounts: a cumulative share within 1e-9 of the threshold reaches it
TOP_ACCOUNTS = 10
CONCENTRATION = ("top_customer_share", "top20_share", "hhi", "abc_a_count")
MONTH_FIELDS = ("partial", "revenue", "mom_growth", "active_customers") + CONCENTRATION
ALL_FIELDS = ("revenue", "cmgr", "active_customers") + CONCENTRATION


def empty_figures() -> dict[str, Any]:
    """``{"months": {period: {...}}, "all": {...}, "top_accounts": [{customer, revenue, revenue_share}]}``."""
    return {"months": {}, "all": {}, "top_accounts": []}


def _f(x: Any) -> float | None:
    """A JSON-safe float: None for NaN/None."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


# ------------------------------------------------------------------------------------------- (a)
def from_kpi_table(path: str | Path) -> dict[str, Any]:
    """The figures as ``kpi-cases kpis your_data`` wrote them (its KPI table CSV)."""
    import pandas as pd

    t = pd.read_csv(path, dtype={"scope": str, "period": str}, keep_default_na=False, na_values={"value": [""]})
    fig = empty_figures()
    whole = t[t["scope"] == "all"]
    for row in whole.itertuples(index=False):
        if row.period == "all":
            if row.kpi in ALL_FIELDS:
                fig["all"][row.kpi] = _f(row.value)
        elif row.kpi in MONTH_FIELDS:
            m = fig["months"].setdefault(row.period, {})
            m[row.kpi] = _f(row.value)
            m["partial"] = str(row.partial).strip().lower() in ("true", "1")
    acc = t[t["scope"].str.startswith("account:") & (t["period"] == "all")]
    for scope, g in acc.groupby("scope", sort=False):
        vals = dict(zip(g["kpi"], g["value"]))
        fig["top_accounts"].append({"customer": scope[len("account:"):], "revenue": _f(vals.get("revenue")),
                                    "revenue_share": _f(vals.get("revenue_share"))})
    return fig


# ------------------------------------------------------------------------------------------- (b)
_DUCK_SQL = """
CREATE TEMP TABLE cm AS
SELECT date_trunc('month', date)::DATE AS m, customer, sum(amount) AS rev, min(date) AS d0, max(date) AS d1
FROM read_csv($path, header = true, delim = ',', quote = '"',
              columns = {'date': 'DATE', 'customer': 'VARCHAR', 'amount': 'DOUBLE'})
GROUP BY ALL;

CREATE TEMP TABLE months AS
WITH b AS (SELECT min(d0) AS first, max(d1) AS last FROM cm)
SELECT g.m::DATE AS m,
       (g.m < b.first OR last_day(g.m) > b.last) AS partial
FROM b, generate_series(date_trunc('month', b.first), date_trunc('month', b.last), INTERVAL 1 MONTH) AS g(m);

CREATE TEMP TABLE per_period AS
SELECT strftime(m, '%Y-%m') AS period, customer, rev FROM cm
UNION ALL
SELECT 'all', customer, sum(rev) FROM cm GROUP BY customer;

CREATE TEMP TABLE conc AS
WITH pos AS (SELECT period, customer, rev FROM per_period WHERE rev > 0),
ranked AS (
  SELECT period, rev,
         row_number() OVER w AS rk,
         count(*) OVER (PARTITION BY period) AS n,
         sum(rev) OVER (PARTITION BY period) AS tot,
         sum(rev) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum
  FROM pos
  WINDOW w AS (PARTITION BY period ORDER BY rev DESC, customer)
)
SELECT period,
       max(n) AS active_customers,
       max(rev) / max(tot) AS top_customer_share,
       sum(rev) FILTER (WHERE rk <= ceil(n / 5.0)) / max(tot) AS top20_share,
       sum(pow(100.0 * rev / tot, 2)) AS hhi,
       count(*) FILTER (WHERE (cum - rev) / tot < $abc_a - $tol) AS abc_a_count
FROM ranked GROUP BY period;

CREATE TEMP TABLE monthly AS
WITH r AS (SELECT m, sum(rev) AS revenue FROM cm GROUP BY m),
mm AS (
  SELECT months.m, months.partial, coalesce(r.revenue, 0.0) AS revenue
  FROM months LEFT JOIN r USING (m)
),
g AS (
  SELECT m, revenue, lag(revenue) OVER (ORDER BY m) AS prev FROM mm WHERE NOT partial
)
SELECT strftime(mm.m, '%Y-%m') AS period, mm.partial, mm.revenue,
       CASE WHEN g.prev IS NULL OR g.prev = 0 THEN NULL ELSE (g.revenue - g.prev) / g.prev END AS mom_growth
FROM mm LEFT JOIN g USING (m)
ORDER BY mm.m;
"""


def duckdb_figures(csv: str | Path, threads: int | None = None) -> dict[str, Any]:
    """The figures from DuckDB SQL on the CSV (read once into a month x customer table)."""
    import duckdb

    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    for stmt in (s.strip() for s in _DUCK_SQL.split(";")):
        if not stmt:
            continue
        params = {k: v for k, v in {"path": str(csv), "abc_a": ABC_A, "tol": TOL}.items() if f"${k}" in stmt}
        con.execute(stmt, params)
    fig = empty_figures()
    conc = {r[0]: r[1:] for r in con.execute(
        "SELECT period, active_customers, top_customer_share, top20_share, hhi, abc_a_count FROM conc").fetchall()}
    nan_conc = (0, None, None, None, None)
    complete = []
    for period, partial, revenue, growth in con.execute(
            "SELECT period, partial, revenue, mom_growth FROM monthly").fetchall():
        c = conc.get(period, nan_conc)
        fig["months"][period] = {"partial": bool(partial), "revenue": _f(revenue), "mom_growth": _f(growth),
                                 "active_customers": float(c[0]), **dict(zip(CONCENTRATION, map(_f, c[1:])))}
        if not partial:
            complete.append(revenue)
    c = conc.get("all", nan_conc)
    total = con.execute("SELECT sum(rev) FROM per_period WHERE period = 'all'").fetchone()[0]
    fig["all"] = {"revenue": _f(total), "cmgr": _f(_cmgr(complete)), "active_customers": float(c[0]),
                  **dict(zip(CONCENTRATION, map(_f, c[1:])))}
    for customer, rev in con.execute(
            "SELECT customer, rev FROM per_period WHERE period = 'all' ORDER BY rev DESC, customer LIMIT $n",
            {"n": TOP_ACCOUNTS}).fetchall():
        fig["top_accounts"].append({"customer": customer, "revenue": _f(rev),
                                    "revenue_share": _f(rev / total if total else None)})
    con.close()
    return fig


def _cmgr(values: list[float]) -> float | None:
    """(last / first) ** (1 / (n - 1)) - 1; None when undefined (as kpis.cmgr)."""
    if len(values) < 2 or values[0] is None or values[0] <= 0 or values[-1] < 0:
        return None
    return (values[-1] / values[0]) ** (1.0 / (len(values) - 1)) - 1.0


# ------------------------------------------------------------------------------------------- (c)
def pandas_figures(csv: str | Path) -> dict[str, Any]:
    """The figures as a student would compute them with pandas: read, group, loop over months."""
    import numpy as np
    import pandas as pd

    df = pd.read_csv(csv, dtype={"customer": str}, parse_dates=["date"])
    df["month"] = df["date"].dt.to_period("M")
    by_month_customer = df.groupby(["month", "customer"])["amount"].sum()
    by_customer = by_month_customer.groupby(level="customer").sum()

    first, last = df["date"].min(), df["date"].max()
    months = pd.period_range(first, last, freq="M")

    def concentration(rev: pd.Series) -> dict[str, float]:
        rev = rev[rev > 0].sort_values(ascending=False)
        if len(rev) == 0:
            return {"active_customers": 0.0, **{k: None for k in CONCENTRATION}}
        total = rev.sum()
        share = rev / total
        top_n = int(np.ceil(len(rev) / 5))
        cum_before = share.cumsum() - share
        return {
            "active_customers": float(len(rev)),
            "top_customer_share": share.iloc[0],
            "top20_share": rev.iloc[:top_n].sum() / total,
            "hhi": ((share * 100) ** 2).sum(),
            "abc_a_count": float((cum_before < ABC_A - TOL).sum()),
        }

    fig = empty_figures()
    previous = None
    complete = []
    for m in months:
        partial = m.start_time < first.normalize() or m.end_time.normalize() > last.normalize()
        try:
            rev = by_month_customer.loc[m]
        except KeyError:  # a month without sales
            rev = pd.Series(dtype=float)
        revenue = rev.sum()
        growth = None
        if not partial:
            if previous is not None and previous != 0:
                growth = (revenue - previous) / previous
            previous = revenue
            complete.append(revenue)
        fig["months"][str(m)] = {"partial": bool(partial), "revenue": _f(revenue), "mom_growth": _f(growth),
                                 **{k: _f(v) for k, v in concentration(rev).items()}}
    total = by_customer.sum()
    fig["all"] = {"revenue": _f(total), "cmgr": _f(_cmgr(complete)),
                  **{k: _f(v) for k, v in concentration(by_customer).items()}}
    top = by_customer.reset_index().sort_values(["amount", "customer"], ascending=[False, True]).head(TOP_ACCOUNTS)
    for customer, rev in zip(top["customer"], top["amount"]):
        fig["top_accounts"].append({"customer": customer, "revenue": _f(rev), "revenue_share": _f(rev / total)})
    return fig


# ------------------------------------------------------------------------------------------- compare
def compare(ref: dict[str, Any], other: dict[str, Any], *, rtol: float = 1e-9, atol: float = 1e-9,
            ref_name: str = "reference", other_name: str = "other") -> list[str]:
    """Differences between two figure sets, in words (empty when they agree).

    Floats agree within ``rtol`` relative or ``atol`` absolute (engines add in different orders);
    counts and month lists must be equal. The accounts compared are those of ``ref`` that are
    among ``other``'s largest accounts; ``ref``'s largest account must be ``other``'s largest.
    """
    out: list[str] = []

    def close(a: Any, b: Any) -> bool:
        if a is None or b is None:
            return a is None and b is None
        if isinstance(a, bool) or isinstance(b, bool):
            return bool(a) == bool(b)
        return math.isclose(float(a), float(b), rel_tol=rtol, abs_tol=atol)

    if list(ref["months"]) != list(other["months"]):
        out.append(f"months differ: {ref_name} {list(ref['months'])} vs {other_name} {list(other['months'])}")
    for period, r in ref["months"].items():
        o = other["months"].get(period)
        if o is None:
            continue
        for k in MONTH_FIELDS:
            if k not in r or k not in o:
                out.append(f"{period} {k}: missing in {ref_name if k not in r else other_name}")
            elif not close(r[k], o[k]):
                out.append(f"{period} {k}: {ref_name} {r[k]!r} vs {other_name} {o[k]!r}")
    for k in ALL_FIELDS:
        a, b = ref["all"].get(k, "missing"), other["all"].get(k, "missing")
        if a == "missing" or b == "missing" or not close(a, b):
            out.append(f"all {k}: {ref_name} {a!r} vs {other_name} {b!r}")
    o_acc = {a["customer"]: a for a in other["top_accounts"]}
    if ref["top_accounts"] and other["top_accounts"]:
        r_top = max(ref["top_accounts"], key=lambda a: (a["revenue"] or -math.inf))
        if r_top["customer"] != other["top_accounts"][0]["customer"]:
            out.append(f"largest account: {ref_name} {r_top['customer']!r} vs {other_name} "
                       f"{other['top_accounts'][0]['customer']!r}")
    elif bool(ref["top_accounts"]) != bool(other["top_accounts"]):
        out.append(f"accounts: {ref_name} {len(ref['top_accounts'])} vs {other_name} {len(other['top_accounts'])}")
    for a in ref["top_accounts"]:
        b = o_acc.get(a["customer"])
        if b is None:
            continue
        for k in ("revenue", "revenue_share"):
            if not close(a[k], b[k]):
                out.append(f"account {a['customer']} {k}: {ref_name} {a[k]!r} vs {other_name} {b[k]!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 3 or argv[0] not in ("duckdb", "pandas", "kpis"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, src, out = argv
    fig = {"duckdb": duckdb_figures, "pandas": pandas_figures, "kpis": from_kpi_table}[kind](src)
    Path(out).write_text(json.dumps(fig))
    return 0


if __name__ == "__main__":
    sys.exit(main())
