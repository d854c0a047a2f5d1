"""How a revenue log becomes the KPIs of the startup and your_data cases (private to the package).

A log of ``date, customer, amount`` rows (``invoices`` or ``transactions``) is grouped by (period,
customer) into the period x customer revenue matrix, and by customer for the key-account features;
every KPI row is derived from those sums. Plain pandas, the reference implementation that a student can
follow: large logs are the engines' job (:mod:`kpi_helpers.engines`, ``kpi-cases kpis``), which feed
the same :func:`monthly_revenue_kpis` and :func:`revenue_kpi_rows` with their own sums. The sums are
pandas' groupby sums, so the figures equal those of ``accounts`` to the last bit
(``tests/test_fast_paths.py``).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import accounts, display, kpis, periods
from ..i18n import tr
from . import CaseResult
from ._common import account_scope, case_months, join_notes, kpi_row, kpi_table

if TYPE_CHECKING:
    from ..data import CaseData

__all__ = ["monthly_revenue_kpis", "revenue_kpi_rows", "analyse_revenue", "concentration_title", "growth_summary"]


def _log(data: CaseData, table: str, months: pd.DataFrame) -> pd.DataFrame:
    """The log's rows within the months, with their period label (``YYYY-MM``)."""
    tx = data.tables[table]
    tx = tx[tx["date"].notna() & tx["customer"].notna()]
    out = pd.DataFrame({"period": periods.period_labels(tx["date"]), "customer": tx["customer"],
                        "amount": tx["amount"].astype(float)})
    return out[out["period"].isin(months["period"])]


def monthly_revenue_kpis(months: pd.DataFrame, revenue: Any, rows: Any, active: Any, lost: Any, kept: Any,
                         include_partial: bool) -> pd.DataFrame:
    """The monthly revenue KPIs from per-month sums: THE formulas of growth, churn and retention.

    Parameters (all aligned with ``months``, one value per calendar month)
    ----------------------------------------------------------------------
    months : :func:`kpi_helpers.periods.month_table` (period, partial).
    revenue : revenue of the month (0 for a month without rows).
    rows : number of log rows in the month.
    active : customers with revenue > 0 in the month.
    lost : customers with revenue > 0 in the month before and not in this month.
    kept : this month's revenue of the customers with revenue > 0 in the month before.
    include_partial : count partial months in month-over-month growth.

    Returns ``period, partial, revenue, rows, active_customers, mom_growth, customer_churn,
    net_revenue_retention``. Both the pandas analysis and :mod:`kpi_helpers.engines` call this.
    """
    monthly = months.set_index("period").copy()
    monthly["revenue"] = np.asarray(revenue, dtype=float)
    monthly["rows"] = np.asarray(rows, dtype="int64")
    monthly["active_customers"] = np.asarray(active, dtype="int64")
    # growth over complete months only (unless asked otherwise)
    use = monthly if include_partial else monthly[~monthly["partial"]]
    monthly["mom_growth"] = kpis.mom_growth(use["revenue"]).reindex(monthly.index)
    at_start = monthly["active_customers"].shift(1, fill_value=0)
    monthly["customer_churn"] = kpis.customer_churn_rate(pd.Series(np.asarray(lost, dtype="int64"),
                                                                   index=monthly.index), at_start)
    monthly["net_revenue_retention"] = kpis.net_revenue_retention(
        pd.Series(np.asarray(kept, dtype=float), index=monthly.index), monthly["revenue"].shift(1))
    monthly.iloc[0, monthly.columns.get_indexer(["customer_churn", "net_revenue_retention"])] = math.nan
    return monthly.reset_index()


def _revenue_monthly(log: pd.DataFrame, months: pd.DataFrame, include_partial: bool
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly revenue KPIs of a transaction log, and the period x customer revenue matrix.

    The matrix is pandas' grouped sum (each cell's rows added in their order, compensated), 0.0 where a
    customer has no rows in a month; customers sorted by name.
    """
    cells = log.groupby(["period", "customer"], sort=True)["amount"].sum()
    matrix = cells.unstack("customer", fill_value=0.0).reindex(months["period"], fill_value=0.0)
    matrix.index.name, matrix.columns.name = "period", "customer"
    active = matrix > 0
    prev_active = active.shift(1, fill_value=False)
    rows = log["period"].value_counts().reindex(months["period"], fill_value=0)
    monthly = monthly_revenue_kpis(
        months, matrix.sum(axis=1), rows, active.sum(axis=1),
        (prev_active & ~active).sum(axis=1), (matrix * prev_active).sum(axis=1), include_partial)
    return monthly, matrix


def _features(log: pd.DataFrame, months: pd.DataFrame, recent_months: int,
              customers: pd.DataFrame | None) -> pd.DataFrame:
    """``accounts.account_features`` of the log: revenue per customer, and per customer in the recent
    and in the earlier window of complete months (when there are ``2 * recent_months`` of them)."""
    if int(recent_months) != recent_months or recent_months < 1:
        raise ValueError(f"recent_months must be a whole number >= 1, got {recent_months!r}")
    recent_months = int(recent_months)
    total = log.groupby("customer", sort=True)["amount"].sum()
    revenue = total.iloc[np.argsort(-total.to_numpy(), kind="stable")].rename("amount")  # largest first
    complete = months.loc[~months["partial"], "period"].tolist()
    windows = None
    if len(complete) >= 2 * recent_months:
        recent, earlier = complete[-recent_months:], complete[-2 * recent_months: -recent_months]
        windows = tuple(log[log["period"].isin(w)].groupby("customer", sort=True)["amount"].sum()
                        .reindex(revenue.index, fill_value=0.0) for w in (recent, earlier))
    return accounts.features_from_sums(revenue, windows, customers)


def analyse_revenue(case: str, data: CaseData, table: str, p: dict[str, Any]) -> CaseResult:
    """The analysis of a revenue log (``invoices`` or ``transactions``) with checked parameters ``p``.

    Frames: ``monthly``, ``revenue_by_month`` (period x customer), ``revenue`` (per customer, largest
    first), ``pareto``, ``concentration``, ``features``, ``scores`` and ``portfolio``.
    """
    months = case_months(data)
    log = _log(data, table, months)
    notes: list[str] = []
    monthly, matrix = _revenue_monthly(log, months, p["include_partial_months"])
    revenue = matrix.sum(axis=0)
    revenue = revenue.iloc[np.argsort(-revenue.to_numpy(), kind="stable")]  # largest first, ties by name
    revenue.name, revenue.index.name = "revenue", "customer"
    pareto = accounts.pareto_table(revenue, a=p["abc_a"], b=p["abc_b"])
    concentration = accounts.concentration(revenue)
    customers = data.tables.get("customers") if data.has("customers") else None
    if customers is None:
        notes.append(tr("No customers table: scoring uses revenue share and growth only "
                        "(strategic value, growth potential and engagement need customers.csv)."))
    features = _features(log, months, p["recent_months"], customers)
    scores = accounts.score_accounts(features, weights=p["weights"])
    portfolio = accounts.portfolio_matrix(features)
    # customers.csv may list customers without a sale in the data (prospects, lost accounts): they are
    # scored (revenue 0) but cannot be key accounts, whose KPIs are their revenue
    sold = matrix.columns.get_indexer(scores.index) >= 0
    no_sales = scores.index[~sold].tolist()
    if no_sales:
        shown = ", ".join(f"'{c}'" for c in no_sales[:5]) + (" " + tr("and more") if len(no_sales) > 5 else "")
        rows_word = {"invoices": tr("invoices"), "transactions": tr("transactions")}.get(table, table)
        # the same words as engines/revenue.py's note (tests compare the two in English)
        notes.append(tr("{n} customer(s) in the customers table have no {table} in the data ({shown}): scored "
                        "with revenue 0, but not chosen as key accounts.", n=len(no_sales), table=rows_word,
                        shown=shown))
    key_table = accounts.key_accounts(revenue, scores["score"], threshold=p["major_threshold"],
                                      max_accounts=p["max_key_accounts"])
    key = key_table.index.tolist()

    by_period = {per: accounts.concentration_kpis(matrix.loc[per], a=p["abc_a"]) for per in matrix.index}
    rows = revenue_kpi_rows(monthly, revenue.sum(), int((revenue > 0).sum()),
                            accounts.concentration_kpis(revenue, a=p["abc_a"]), by_period,
                            matrix[key], p)
    table = kpi_table(rows, p["targets"])
    frames = {"monthly": monthly, "revenue_by_month": matrix, "revenue": revenue, "pareto": pareto,
              "concentration": concentration, "features": features, "scores": scores,
              "portfolio": portfolio}
    return CaseResult(case, frames, key, table, notes, p["currency"], key_table)


def revenue_kpi_rows(monthly: pd.DataFrame, total: float, active: int, concentration_all: dict[str, float],
                     concentration_by_period: dict[str, dict[str, float]], account_months: pd.DataFrame,
                     p: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a revenue log's KPI table, from its aggregates (the one place that lays them out).

    Parameters
    ----------
    monthly : :func:`monthly_revenue_kpis`.
    total, active : revenue of the whole period and its customers with revenue > 0.
    concentration_all, concentration_by_period : :func:`kpi_helpers.accounts.concentration_kpis`
        of the whole period and of each month (period label -> dict).
    account_months : period x key account revenue (0.0 where an account has no rows), the key
        accounts as columns in their order.
    p : the checked case parameters.

    The pandas analysis (:func:`analyse_revenue`) and :mod:`kpi_helpers.engines` both call this, so
    the table has the same rows, notes and order whichever computed the sums.
    """
    rows: list[dict[str, Any]] = []
    complete = monthly[~monthly["partial"]]
    # whole period
    rows.append(kpi_row("revenue", total))
    growth_months = monthly if p["include_partial_months"] else complete
    rows.append(kpi_row("cmgr", kpis.cmgr_from_series(growth_months["revenue"]) if len(growth_months) > 1
                        else math.nan, note="" if len(growth_months) > 1 else "fewer than two complete months"))
    rows.append(kpi_row("active_customers", int(active)))
    # concentration is undefined without a customer with revenue > 0 (all zero, or credit notes only)
    no_buyer = "no customer with revenue > 0"
    for k, v in concentration_all.items():
        rows.append(kpi_row(k, v, note=no_buyer if math.isnan(v) else ""))
    # months
    by_period = concentration_by_period
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
    for acc in account_months.columns:
        scope = account_scope(acc)
        acc_rev = account_months[acc]
        rows.append(kpi_row("revenue", acc_rev.sum(), scope=scope))
        rows.append(kpi_row("revenue_share", kpis.share_of_total(acc_rev.sum(), total), scope=scope))
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
    return rows


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
        span = {"n": n, "first": display.format_value(complete['period'].iloc[0], "month"),  # "januar 2025" in Bokmål
                "last": display.format_value(complete['period'].iloc[-1], "month")}
        if pd.notna(r["target"]):
            lines.append(tr("- **CMGR** over {n} month steps ({first} to {last}), against its target: **{versus}**, "
                            "**{status}** (a value exactly at its target counts as on track; more decimals are shown "
                            "where the rounded numbers would look equal).", **span,
                            versus=display.format_against_target(r['value'], r['target'], 'ratio', r['status']),
                            status=display.status_text(r['status'])))
        else:
            lines.append(tr("- **CMGR** over {n} month steps ({first} to {last}): **{cmgr}** (no target).", **span,
                            cmgr=display.format_value(r['value'], 'ratio')))
        mean_rate = complete["mom_growth"].mean()
        first, last_rev = complete["revenue"].iloc[0], complete["revenue"].iloc[-1]
        if pd.notna(mean_rate) and first > 0:
            money = lambda v: display.format_value(v, "currency", currency=result.currency, compact=True)  # noqa: E731
            lines.append(tr("- The plain **mean of the monthly rates** is {mean}. Compounding that for {n} months would "
                            "turn {first} into {compounded}; the real last month was {last}, which is what CMGR "
                            "reproduces.", mean=display.format_value(mean_rate, 'ratio'), n=n, first=money(first),
                            compounded=money(first * (1 + mean_rate) ** n), last=money(last_rev)))
    else:
        lines.append(tr("- **CMGR** is not measurable: it needs at least two complete months."))
    mom = k[(k["kpi"] == "mom_growth") & (k["scope"] == "all") & (k["period"] != "all") & k["value"].notna()]
    if len(mom) and mom["target"].notna().any():
        target = mom["target"].dropna().iloc[0]
        lines.append(tr("- **{met} of {months}** months met the MoM target of {target}.",
                        met=int((mom['status'] == 'on_track').sum()), months=len(mom),
                        target=display.format_value(target, 'ratio')))
    return "\n".join(lines)

