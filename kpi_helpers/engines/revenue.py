"""The KPI table of a revenue log (startup ``invoices``, your_data ``transactions``) as Ibis expressions.

One pass over the log groups it by (calendar month, customer): the *cells* (month, customer,
revenue, rows), cached by the engine. Everything else is a small expression on the cells:

* per month: revenue, rows, active customers (revenue > 0), customers lost since the month before
  and the revenue kept from that month's active customers (churn and net revenue retention);
* per month, the concentration KPIs by THE rule (:func:`kpi_helpers.kpis.concentration_base`):
  over the customers with revenue > 0 in the month, as shares of their sum: the largest share, the
  top ``ceil(n / 5)`` share, HHI, and the ABC class-A count (largest first, up to and including the
  one whose cumulative share first reaches ``abc_a``, within :data:`kpi_helpers.accounts.TOLERANCE`);
* per customer: revenue, and revenue in the recent and in the earlier window of complete months:
  the small feature table, scored by :func:`kpi_helpers.accounts.score_accounts` with
  ``customers.csv`` and turned into key accounts by :func:`kpi_helpers.accounts.key_accounts`, the
  same pandas functions the notebook calls;
* the key accounts' monthly revenue.

The growth formulas and the layout of the rows are those of the pandas analysis
(:func:`kpi_helpers.cases.monthly_revenue_kpis`, :func:`kpi_helpers.cases.revenue_kpi_rows`), fed with
these sums; months, partial months and labels come from :mod:`kpi_helpers.periods`.
"""
from __future__ import annotations

import math
from typing import Any

from .. import accounts, periods

__all__ = ["month_code", "cells", "revenue_case", "IMPLIED"]

#: The columns whose NULLs are those of a grouping key of :func:`cells` (see
#: :func:`kpi_helpers.engines.sources.check_aggregates`): the month code is NULL exactly where the date is.
IMPLIED = {"date": "m", "customer": "customer"}


def month_code(date: Any) -> Any:
    """The month code ``year * 12 + month - 1`` of a date column (:func:`kpi_helpers.periods.month_codes`)."""
    return date.year().cast("int64") * 12 + date.month().cast("int64") - 1


def cells(tx: Any, inp: Any) -> Any:
    """The log grouped by (month code ``m``, customer): revenue (exact decimal sum), rows, and the checks
    of :func:`kpi_helpers.engines.sources.check_aggregates`."""
    from .sources import check_aggregates

    return tx.group_by(m=month_code(tx.date), customer=tx.customer).aggregate(
        rev=tx.amount.sum(), n=tx.count(), **check_aggregates(tx, inp, IMPLIED))


def _float(x: Any) -> Any:
    return x.cast("float64")


def concentration_by_month(g: Any, abc_a: float) -> Any:
    """Per month code: the four concentration KPIs over the customers with revenue > 0 (one row per month)."""
    import ibis

    pos = g.filter(g.rev > 0).select("m", "rev", x=_float(g.rev))
    # one ordered window per month; ties in revenue need no tie-break: tied customers give the same
    # top-k sum and the same cumulative shares in either order
    ordered = ibis.window(group_by=pos.m, order_by=pos.x.desc(), rows=(None, 0))
    ranked = pos.select("m", "rev", "x", rn=ibis.row_number().over(ordered), cum=pos.x.sum().over(ordered))
    per = ranked.group_by("m").aggregate(tot=_float(ranked.rev.sum()), n=ranked.count())
    ranked = ranked.inner_join(per, "m")
    # the squares summed exactly (to 1e-24), as kpis.hhi sums them with math.fsum
    square = (((ranked.x / ranked.tot) * 100.0) ** 2).cast("decimal(38, 24)")
    return ranked.group_by("m").aggregate(
        n=ranked.n.max(),
        top=ranked.x.max() / ranked.tot.max(),
        top20=_float(ranked.rev.sum(where=ranked.rn < (ranked.n + 4) // 5)) / ranked.tot.max(),
        hhi=_float(square.sum()),
        before=ranked.count(where=ranked.cum / ranked.tot < abc_a - accounts.TOLERANCE))

def revenue_case(con: Any, tx: Any, inp: Any, customers: Any, table: str, p: dict[str, Any]) -> dict[str, Any]:
    """The KPI rows and key accounts of a revenue log on an engine.

    ``tx``: the engine table of :func:`kpi_helpers.engines.sources.engine_table` (date, customer,
    amount) read from ``inp``; ``customers``: the customers frame (pandas) or None; ``p`` the checked
    parameters. Returns ``{"rows", "key", "notes", "date_range", "key_table"}``. Raises
    :class:`~.sources.Fallback` when :func:`~.sources.verify` finds bad rows (the pandas reader words
    them).
    """
    import numpy as np
    import pandas as pd

    from ..cases import monthly_revenue_kpis, revenue_kpi_rows
    from .backends import fetch
    from .sources import verify

    if int(p["recent_months"]) != p["recent_months"] or p["recent_months"] < 1:
        raise ValueError(f"recent_months must be a whole number >= 1, got {p['recent_months']!r}")
    g = cached = cells(tx, inp).cache()
    try:
        stats = verify(g, inp, ("customer",), IMPLIED)
        g = cached.filter(cached.m.notnull() & cached.customer.notnull())  # blank rows left out
        total = float(fetch(g.aggregate(t=_float(g.rev.sum())))["t"].iloc[0])
        first, last = pd.Timestamp(stats["first"]), pd.Timestamp(stats["last"])
        months = periods.month_table(first, last)
        codes = [int(pd.Period(per, "M").year) * 12 + int(pd.Period(per, "M").month) - 1 for per in months["period"]]
        label = dict(zip(codes, months["period"]))

        # per month: revenue, rows, active customers; lost customers and kept revenue
        per_month = fetch(g.group_by("m").aggregate(revenue=_float(g.rev.sum()), rows=g.n.sum(),
                                              active=g.count(where=g.rev > 0))).set_index("m")
        prev = g.filter(g.rev > 0).select(m=g.m + 1, customer=g.customer)
        now = g.select(m2=g.m, c2=g.customer, rev2=g.rev)
        j = prev.left_join(now, [prev.m == now.m2, prev.customer == now.c2])
        churn = fetch(j.group_by("m").aggregate(
            lost=j.count(where=j.rev2.isnull() | (j.rev2 <= 0)),
            kept=_float(j.rev2.fill_null(0).sum()))).set_index("m")
        per_month = per_month.reindex(codes)
        churn = churn.reindex(codes)
        monthly = monthly_revenue_kpis(
            months, per_month["revenue"].fillna(0.0).to_numpy(dtype=float),
            per_month["rows"].fillna(0).to_numpy(dtype="int64"), per_month["active"].fillna(0).to_numpy(dtype="int64"),
            churn["lost"].fillna(0).to_numpy(dtype="int64"), churn["kept"].fillna(0.0).to_numpy(dtype=float),
            p["include_partial_months"])

        # concentration per month (engine) and of the whole period (the reference function on the totals)
        conc = fetch(concentration_by_month(g, p["abc_a"])).set_index("m")
        nan4 = dict.fromkeys(("top_customer_share", "top20_share", "hhi", "abc_a_count"), math.nan)
        by_period: dict[str, dict[str, float]] = {}
        for c in codes:
            if c in conc.index:
                r = conc.loc[c]
                by_period[label[c]] = {"top_customer_share": float(r["top"]), "top20_share": float(r["top20"]),
                                       "hhi": float(r["hhi"]),
                                       "abc_a_count": float(min(int(r["before"]) + 1, int(r["n"])))}
            else:
                by_period[label[c]] = dict(nan4)

        # per customer: revenue and the two windows of complete months -> features, scores, key accounts
        recent_months = int(p["recent_months"])
        complete = [c for c, part in zip(codes, months["partial"]) if not part]
        has_windows = len(complete) >= 2 * recent_months
        recent = complete[-recent_months:] if has_windows else []
        earlier = complete[-2 * recent_months: -recent_months] if has_windows else []
        # filtered sums (0 where a customer has no cell in the window): exact, as the whole-period sum
        per_customer = fetch(g.group_by("customer").aggregate(
            revenue=_float(g.rev.sum()),
            now=_float(g.rev.sum(where=g.m.isin(recent or [-1])).fill_null(0)),
            before=_float(g.rev.sum(where=g.m.isin(earlier or [-1])).fill_null(0))))
        per_customer = per_customer.sort_values("customer", kind="stable")
        per_customer = per_customer.iloc[np.argsort(-per_customer["revenue"].to_numpy(), kind="stable")]
        names = pd.Index(per_customer["customer"].astype("str").to_numpy(), name="customer")
        revenue = pd.Series(per_customer["revenue"].to_numpy(dtype=float), index=names, name="amount")
        windows = ((pd.Series(per_customer["now"].to_numpy(dtype=float), index=names),
                    pd.Series(per_customer["before"].to_numpy(dtype=float), index=names)) if has_windows else None)
        notes: list[str] = []
        if customers is None:
            notes.append("No customers table: scoring uses revenue share and growth only "
                         "(strategic value, growth potential and engagement need customers.csv).")
        features = accounts.features_from_sums(revenue.copy(), windows, customers)
        scores = accounts.score_accounts(features, weights=p["weights"])
        sold = names.get_indexer(scores.index) >= 0
        no_sales = scores.index[~sold].tolist()
        if no_sales:
            shown = ", ".join(f"'{c}'" for c in no_sales[:5]) + (" and more" if len(no_sales) > 5 else "")
            notes.append(f"{len(no_sales)} customer(s) in the customers table have no {table} in the data "
                         f"({shown}): scored with revenue 0, but not chosen as key accounts.")
        revenue.name, revenue.index.name = "revenue", "customer"
        key_table = accounts.key_accounts(revenue, scores["score"], threshold=p["major_threshold"],
                                          max_accounts=p["max_key_accounts"])
        key = key_table.index.tolist()

        account_months = pd.DataFrame(0.0, index=pd.Index(months["period"], name="period"), columns=pd.Index(key))
        if key:
            acc = fetch(g.filter(g.customer.isin(key)).select("m", "customer", rev=_float(g.rev)))
            for r in acc.itertuples(index=False):
                if int(r.m) in label:
                    account_months.at[label[int(r.m)], r.customer] = float(r.rev)
        rows = revenue_kpi_rows(monthly, total, int((revenue > 0).sum()),
                                accounts.concentration_kpis(revenue, a=p["abc_a"]), by_period, account_months, p)
        return {"rows": rows, "key": key, "notes": notes, "date_range": (first, last), "key_table": key_table}
    finally:
        cached.release()  # the cached cells, now rather than at exit
