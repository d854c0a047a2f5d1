"""How a revenue log becomes the KPIs of the startup and your_data cases (private to the package).

A log of ``date, customer, amount`` rows (``invoices`` or ``transactions``) is turned into integer
codes once (calendar month, customer); the period x customer revenue matrix, the per-customer sums
and every KPI row are derived from that one grouping. Sums are pandas' groupby sums, so the figures
equal those of ``accounts`` to the last bit (``tests/test_fast_paths.py``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import accounts, display, kpis
from . import CaseResult
from ._common import account_scope, case_months, join_notes, kpi_row, kpi_table

if TYPE_CHECKING:
    from ..data import CaseData

__all__ = ["group_sum", "month_numbers", "analyse_revenue", "concentration_title", "growth_summary"]


def group_sum(values: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    """Sum of ``values`` per code ``0 .. n-1`` (0.0 where a code has no rows).

    Rows with code -1 are left out. This is pandas' groupby sum (each group's rows added in row
    order, with its compensated summation), so the sums are exactly those of
    ``Series.groupby(labels).sum()``: the codes become a categorical over ``0 .. n-1``, whose
    unobserved categories give 0.0.
    """
    values = np.ascontiguousarray(values, dtype=float)
    key = pd.Categorical.from_codes(np.asarray(codes, dtype=np.intp), categories=pd.RangeIndex(n))
    return pd.Series(values, copy=False).groupby(key, observed=False).sum().to_numpy(dtype=float)

def month_numbers(stamps: np.ndarray) -> np.ndarray:
    """Months since 1970-01 (int32) of ``datetime64[us]`` values (any number where NaT: mask those).

    The calendar month of each distinct day is looked up in a small table instead of converting
    every row's timestamp to a calendar month.
    """
    ok = ~np.isnat(stamps)
    if not ok.any():
        return np.zeros(len(stamps), dtype=np.int32)
    day = stamps.view(np.int64) // 86_400_000_000  # days since 1970-01-01 (floor: right before 1970 too)
    lo = int(day.min(where=ok, initial=np.iinfo(np.int64).max))
    hi = int(day.max(where=ok, initial=np.iinfo(np.int64).min))
    if hi - lo > 10_000_000:  # dates centuries apart: convert directly
        return stamps.astype("datetime64[M]").astype(np.int64).astype(np.int32)
    table = np.arange(lo, hi + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int32)
    day -= lo
    np.clip(day, 0, hi - lo, out=day)
    return table[day]


@dataclass(frozen=True)
class _Grouped:
    """A transaction log as codes, made once per analysis: every grouping below reuses it."""

    amount: np.ndarray  # float per row
    month: np.ndarray  # position of the row's month in the months table
    customer: np.ndarray  # position of the row's customer in ``customers``
    customers: pd.Index  # distinct customers, sorted by name


def _grouped(data: CaseData, table: str, months: pd.DataFrame) -> _Grouped:
    """Codes of a revenue table's rows: calendar month (position in ``months``) and customer."""
    tx = data.tables[table]
    if hasattr(data, "factorize"):
        codes, names = data.factorize(table, "customer")
    else:  # a hand-made CaseData-like object
        codes, names = pd.factorize(tx["customer"], sort=True)
        names = pd.Index(names, name="customer")
    stamps = tx["date"].to_numpy(dtype="datetime64[us]")
    month = month_numbers(stamps)
    month -= np.int32(np.datetime64(str(months["period"].iloc[0]), "M").astype(np.int64) if len(months) else 0)
    amount = tx["amount"].to_numpy(dtype=float)
    codes = np.asarray(codes, dtype=np.intp)  # once: every grouping below takes intp labels
    keep = ~np.isnat(stamps)
    keep &= month >= 0
    keep &= month < len(months)
    keep &= codes >= 0
    if not keep.all():
        amount, month, codes = amount[keep], month[keep], codes[keep]
    return _Grouped(amount, month, codes, pd.Index(names, name="customer"))


def _revenue_monthly(g: _Grouped, months: pd.DataFrame, include_partial: bool
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly revenue KPIs of a transaction log, and the period x customer revenue matrix.

    Groups the log once (period, customer) on codes; everything else is derived from that small result.
    """
    n_months, n_customers = len(months), len(g.customers)
    key = np.multiply(g.month, n_customers, dtype=np.intp)
    key += g.customer
    cells = group_sum(g.amount, key, n_months * n_customers)
    del key
    # copy=False keeps the (months x customers) C-order block, the layout the old unstack gave: the
    # row and column sums below then add in the same order, to the same bits
    matrix = pd.DataFrame(cells.reshape(n_months, n_customers), copy=False,
                          index=pd.Index(months["period"], name="period"), columns=g.customers)
    monthly = months.set_index("period").copy()
    monthly["revenue"] = matrix.sum(axis=1)
    monthly["rows"] = np.bincount(g.month, minlength=n_months).astype("int64")
    active = matrix > 0
    monthly["active_customers"] = active.sum(axis=1).astype("int64")
    # growth over complete months only (unless asked otherwise)
    use = monthly if include_partial else monthly[~monthly["partial"]]
    monthly["mom_growth"] = kpis.mom_growth(use["revenue"]).reindex(monthly.index)
    prev_active = active.shift(1, fill_value=False)
    lost = (prev_active & ~active).sum(axis=1)
    monthly["customer_churn"] = kpis.customer_churn_rate(lost, prev_active.sum(axis=1))
    kept_revenue = (matrix * prev_active).sum(axis=1)
    monthly["net_revenue_retention"] = kpis.net_revenue_retention(kept_revenue, monthly["revenue"].shift(1))
    monthly.iloc[0, monthly.columns.get_indexer(["customer_churn", "net_revenue_retention"])] = math.nan
    return monthly.reset_index(), matrix


def _customer_sums(g: _Grouped, months: pd.DataFrame, recent_months: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Revenue per customer, and per customer in the recent and the earlier window of complete months.

    The sums of ``accounts.account_features`` (rows added in order, per customer): ``(total, order,
    windows)`` with ``order`` largest total first (ties by name) and ``windows`` an (n, 2) array or
    None when there are fewer than ``2 * recent_months`` complete months.
    """
    if int(recent_months) != recent_months or recent_months < 1:
        raise ValueError(f"recent_months must be a whole number >= 1, got {recent_months!r}")
    recent_months = int(recent_months)
    n = len(g.customers)
    total = group_sum(g.amount, g.customer, n)
    order = np.argsort(-total, kind="stable")  # largest first, ties by name (customers are sorted)
    complete = np.flatnonzero(~months["partial"].to_numpy(dtype=bool))
    windows = None
    if len(complete) >= 2 * recent_months:
        # one pass for both windows: group 0..n-1 the recent months, n..2n-1 the months before them,
        # -1 (skipped) the rest; each customer's rows are still added in their order
        window_of_month = np.full(len(months), -1, dtype=np.int8)
        window_of_month[complete[-recent_months:]] = 0
        window_of_month[complete[-2 * recent_months: -recent_months]] = 1
        window = window_of_month[g.month]
        labels = window.astype(np.intp)
        labels *= n
        labels += g.customer
        labels[window < 0] = -1
        windows = group_sum(g.amount, labels, 2 * n).reshape(2, n).T
    return total, order, windows


def _features(g: _Grouped, sums: tuple[np.ndarray, np.ndarray, np.ndarray | None],
              customers: pd.DataFrame | None) -> pd.DataFrame:
    """``accounts.account_features`` of the log, from :func:`_customer_sums` (nothing regrouped)."""
    total, order, windows = sums
    revenue = pd.Series(total[order], index=g.customers[order], name="amount")
    # in revenue order, on revenue's own labels: aligning them later is free
    recent_and_before = None if windows is None else (pd.Series(windows[order, 0], index=revenue.index),
                                                      pd.Series(windows[order, 1], index=revenue.index))
    return accounts.features_from_sums(revenue, recent_and_before, customers)


def analyse_revenue(case: str, data: CaseData, table: str, p: dict[str, Any]) -> CaseResult:
    """The analysis of a revenue log (``invoices`` or ``transactions``) with checked parameters ``p``.

    Frames: ``monthly``, ``revenue_by_month`` (period x customer), ``revenue`` (per customer, largest
    first), ``pareto``, ``concentration``, ``features``, ``scores`` and ``portfolio``.
    """
    months = case_months(data)
    grouped = _grouped(data, table, months)
    notes: list[str] = []
    monthly, matrix = _revenue_monthly(grouped, months, p["include_partial_months"])
    revenue = matrix.sum(axis=0)
    revenue = revenue.iloc[np.argsort(-revenue.to_numpy(), kind="stable")]  # largest first, ties by name
    revenue.name, revenue.index.name = "revenue", "customer"
    pareto = accounts.pareto_table(revenue, a=p["abc_a"], b=p["abc_b"])
    concentration = accounts.concentration(revenue)
    customers = data.tables.get("customers") if data.has("customers") else None
    if customers is None:
        notes.append("No customers table: scoring uses revenue share and growth only "
                     "(strategic value, growth potential and engagement need customers.csv).")
    features = _features(grouped, _customer_sums(grouped, months, p["recent_months"]), customers)
    scores = accounts.score_accounts(features, weights=p["weights"])
    portfolio = accounts.portfolio_matrix(features)
    # customers.csv may list customers without a sale in the data (prospects, lost accounts): they are
    # scored (revenue 0) but cannot be key accounts, whose KPIs are their revenue
    # every customer with sales is scored; only customers.csv can add ones without (Index.isin on text
    # loops in Python, get_indexer hashes: skip both when the counts say there are none)
    sold = (np.ones(len(scores), dtype=bool) if len(scores) == len(matrix.columns)
            else matrix.columns.get_indexer(scores.index) >= 0)
    no_sales = scores.index[~sold].tolist()
    if no_sales:
        shown = ", ".join(f"'{c}'" for c in no_sales[:5]) + (" and more" if len(no_sales) > 5 else "")
        notes.append(f"{len(no_sales)} customer(s) in the customers table have no {table} in the data "
                     f"({shown}): scored with revenue 0, but not chosen as key accounts.")
    key_table = accounts.key_accounts(revenue, scores["score"], threshold=p["major_threshold"],
                                      max_accounts=p["max_key_accounts"])
    key = key_table.index.tolist()

    rows: list[dict[str, Any]] = []
    complete = monthly[~monthly["partial"]]
    # whole period
    rows.append(kpi_row("revenue", revenue.sum()))
    growth_months = monthly if p["include_partial_months"] else complete
    rows.append(kpi_row("cmgr", kpis.cmgr_from_series(growth_months["revenue"]) if len(growth_months) > 1
                        else math.nan, note="" if len(growth_months) > 1 else "fewer than two complete months"))
    rows.append(kpi_row("active_customers", int((revenue > 0).sum())))
    # concentration is undefined without a customer with revenue > 0 (all zero, or credit notes only)
    no_buyer = "no customer with revenue > 0"
    for k, v in accounts.concentration_kpis(revenue, a=p["abc_a"]).items():
        rows.append(kpi_row(k, v, note=no_buyer if math.isnan(v) else ""))
    # months
    by_period = {per: accounts.concentration_kpis(matrix.loc[per], a=p["abc_a"]) for per in matrix.index}
    for _, m in monthly.iterrows():
        per, part = m["period"], bool(m["partial"])
        note = "partial month" if part else ("no data in this month" if m["rows"] == 0 else "")
        rows.append(kpi_row("revenue", m["revenue"], period=per, partial=part, note=note))
        g_note = note
        if part and not p["include_partial_months"]:
            g_note = "partial month: left out of growth"
        elif math.isnan(m["mom_growth"]):
            g_note = note or "no previous month with revenue"
        rows.append(kpi_row("mom_growth", m["mom_growth"], period=per, partial=part, note=g_note))
        rows.append(kpi_row("active_customers", m["active_customers"], period=per, partial=part, note=note))
        rows.append(kpi_row("customer_churn", m["customer_churn"], period=per, partial=part, note=note))
        rows.append(kpi_row("net_revenue_retention", m["net_revenue_retention"], period=per, partial=part,
                            note=note))
        for k, v in by_period[per].items():
            no_buyer_here = f"{no_buyer} in this month" if math.isnan(v) and m["rows"] else ""
            rows.append(kpi_row(k, v, period=per, partial=part, note=join_notes(note, no_buyer_here)))
    # key accounts
    total_by_month = monthly.set_index("period")["revenue"]
    for acc in key:
        scope = account_scope(acc)
        acc_rev = matrix[acc]
        rows.append(kpi_row("revenue", acc_rev.sum(), scope=scope))
        rows.append(kpi_row("revenue_share", kpis.share_of_total(acc_rev.sum(), revenue.sum()), scope=scope))
        acc_complete = acc_rev[~monthly.set_index("period")["partial"]] if not p["include_partial_months"] \
            else acc_rev
        rows.append(kpi_row("cmgr", kpis.cmgr_from_series(acc_complete) if len(acc_complete) > 1 else math.nan,
                            scope=scope))
        acc_growth = kpis.mom_growth(acc_complete).reindex(acc_rev.index)
        for per in monthly["period"]:
            part = bool(monthly.set_index("period").at[per, "partial"])
            rows.append(kpi_row("revenue", acc_rev[per], scope=scope, period=per, partial=part))
            rows.append(kpi_row("revenue_share", kpis.share_of_total(acc_rev[per], total_by_month[per]),
                                scope=scope, period=per, partial=part))
            rows.append(kpi_row("mom_growth", acc_growth[per], scope=scope, period=per, partial=part))
    table = kpi_table(rows, p["targets"])
    frames = {"monthly": monthly, "revenue_by_month": matrix, "revenue": revenue, "pareto": pareto,
              "concentration": concentration, "features": features, "scores": scores,
              "portfolio": portfolio}
    return CaseResult(case, frames, key, table, notes, p["currency"], key_table)


# the notebooks' Pareto title (01 and 05), stated from the data (issue 11)
def _a_class(pareto: pd.DataFrame) -> tuple[int, int, float]:
    """(customers in ABC class A, customers with revenue > 0, A's share of revenue)."""
    return accounts.abc_a_summary(pareto)


def concentration_title(pareto: pd.DataFrame) -> str:
    """The Pareto figure's title, stated from the data: how many customers bring ABC class A's revenue.

    >>> p = pd.DataFrame({"customer": ["x", "y", "z"], "revenue": [80.0, 15.0, 5.0],
    ...                   "share": [0.8, 0.15, 0.05], "abc_class": ["A", "B", "C"]})
    >>> concentration_title(p)
    '1 of 3 customers (33.3%) bring 80.0% of revenue (ABC class A)'
    """
    n_a, n, share = _a_class(pareto)
    return display.abc_title(n_a, n, share)


def growth_summary(result: CaseResult, *, include_partial_months: bool = False) -> str:
    """Markdown bullets: CMGR against its target, the mean of the monthly rates, months on the MoM target.

    Everything is read from ``result`` (the KPI table's rows and targets, the monthly frame), and the
    CMGR is shown against its target with :func:`kpi_helpers.display.format_against_target`, so a
    value of 2.998 % reads "2.998% vs 3.000%", never "3.0% vs 3.0%: off track".
    """
    monthly = result.frames["monthly"]
    complete = monthly if include_partial_months else monthly[~monthly["partial"]]
    k = result.kpis
    whole = k[(k["scope"] == "all") & (k["period"] == "all")].set_index("kpi")
    lines = []
    if "cmgr" in whole.index and len(complete) > 1:
        r = whole.loc["cmgr"]
        n = len(complete) - 1
        lines.append(f"- **CMGR** over {n} month steps ({complete['period'].iloc[0]} to {complete['period'].iloc[-1]})"
                     + (f", against its target: **{display.format_against_target(r['value'], r['target'], 'ratio', r['status'])}**, "
                        f"**{display.status_text(r['status'])}** (a value exactly at its target counts as on track; more "
                        "decimals are shown where the rounded numbers would look equal)."
                        if pd.notna(r["target"]) else f": **{display.format_value(r['value'], 'ratio')}** (no target)."))
        mean_rate = complete["mom_growth"].mean()
        first, last_rev = complete["revenue"].iloc[0], complete["revenue"].iloc[-1]
        if pd.notna(mean_rate) and first > 0:
            money = lambda v: display.format_value(v, "currency", currency=result.currency, compact=True)  # noqa: E731
            lines.append(f"- The plain **mean of the monthly rates** is {display.format_value(mean_rate, 'ratio')}. "
                         f"Compounding that for {n} months would turn {money(first)} into "
                         f"{money(first * (1 + mean_rate) ** n)}; the real last month was {money(last_rev)}, which is "
                         "what CMGR reproduces.")
    else:
        lines.append("- **CMGR** is not measurable: it needs at least two complete months.")
    mom = k[(k["kpi"] == "mom_growth") & (k["scope"] == "all") & (k["period"] != "all") & k["value"].notna()]
    if len(mom) and mom["target"].notna().any():
        target = mom["target"].dropna().iloc[0]
        lines.append(f"- **{int((mom['status'] == 'on_track').sum())} of {len(mom)}** months met the MoM target of "
                     f"{display.format_value(target, 'ratio')}.")
    return "\n".join(lines)
