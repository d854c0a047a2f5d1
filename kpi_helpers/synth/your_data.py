"""The example transaction log of the ``your_data`` notebook."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import SEEDS, NORWEGIAN_HOLIDAYS, _frame, _sorted, _money

__all__ = ["your_data"]


def your_data(seed: int = SEEDS["your_data"]) -> dict[str, pd.DataFrame]:
    """A wholesaler's transactions of about 3,000 customers, 2024-01..2025-12 (a template case).

    Customer value is heavy-tailed (lognormal order size times lognormal order frequency), so a
    Pareto/ABC analysis shows a small A class. Customers join over time and some churn; the
    business has a mild trend, a July dip and a December peak. Customer ids are zero-padded text
    ("000123"). ``customers.csv`` holds scores for the 50 largest customers only.
    """
    rng = np.random.default_rng(seed)
    n_cust = 3000
    ids = np.sort(rng.choice(np.arange(1, 10000), size=n_cust, replace=False))
    cust_ids = np.array([f"{i:06d}" for i in ids])
    months = pd.period_range("2024-01", "2025-12", freq="M")
    n_m = len(months)
    season = np.array([0.92, 0.97, 1.02, 0.98, 1.01, 1.02, 0.72, 0.92, 1.04, 1.05, 1.10, 1.24])
    trend = 1.0 + 0.008 * np.arange(n_m)
    month_factor = season[months.month.to_numpy() - 1] * trend

    freq = rng.lognormal(np.log(0.30), 1.0, n_cust)  # orders per month
    ticket = rng.lognormal(np.log(1200.0), 1.2, n_cust)  # NOK per order
    join = np.where(rng.random(n_cust) < 0.72, 0, rng.integers(1, n_m, n_cust))
    churn = np.where(rng.random(n_cust) < 0.32, rng.integers(3, n_m + 6, n_cust), n_m + 99)
    churn = np.maximum(churn, join + 2)

    # orders per customer and month
    active = (np.arange(n_m)[None, :] >= join[:, None]) & (np.arange(n_m)[None, :] < churn[:, None])
    lam = freq[:, None] * month_factor[None, :] * active
    counts = rng.poisson(lam)
    # every customer has at least one order: the first, in the month it joined
    none = np.nonzero(counts.sum(axis=1) == 0)[0]
    last_active = np.minimum(churn, n_m) - 1
    pick = join[none] + np.floor(rng.random(len(none)) * (last_active[none] - join[none] + 1))
    counts[none, pick.astype("int64")] = 1

    # day of month: weekdays weighted over weekends and holidays
    day_pools: list[tuple[pd.DatetimeIndex, np.ndarray]] = []
    for m in months:
        days = pd.date_range(m.start_time, m.end_time.normalize(), freq="D")
        w = np.where(days.day_of_week < 5, 1.0, np.where(days.day_of_week == 5, 0.35, 0.15))
        w = np.where(days.isin(NORWEGIAN_HOLIDAYS), 0.25, w)
        day_pools.append((days, w / w.sum()))

    ci, mi = np.nonzero(counts)
    reps = counts[ci, mi]
    cust_idx = np.repeat(ci, reps)
    month_idx = np.repeat(mi, reps)
    dates = np.empty(len(cust_idx), dtype="datetime64[ns]")
    for m in range(n_m):
        sel = np.nonzero(month_idx == m)[0]
        days, w = day_pools[m]
        dates[sel] = days.to_numpy()[rng.choice(len(days), size=len(sel), p=w)]
    amount = ticket[cust_idx] * rng.lognormal(0.0, 0.35, len(cust_idx))
    amount = np.maximum(amount, 49.0)
    tx = _frame("your_data", "transactions", {
        "date": pd.DatetimeIndex(dates),
        "customer": pd.array(cust_ids[cust_idx], dtype="str"),
        "amount": _money(amount),
    })
    tx = _sorted(tx, ["date", "customer", "amount"])
    assert tx["date"].min() == pd.Timestamp("2024-01-01")
    assert tx["date"].max() == pd.Timestamp("2025-12-31")

    rev = tx.groupby("customer", sort=True)["amount"].sum()
    top = rev.sort_values(ascending=False, kind="mergesort").index[:50]
    top = sorted(top)
    n_top = len(top)
    sv = np.clip(rng.integers(1, 6, n_top), 1, 5)
    gp = np.clip(np.round(rng.normal(3, 1.1, n_top)), 1, 5).astype("int64")
    en = np.clip(np.round(0.5 * sv + rng.normal(1.5, 0.9, n_top)), 1, 5).astype("int64")
    customers = _frame("your_data", "customers", {
        "customer": pd.array(top, dtype="str"),
        "strategic_value": sv.astype("int64"),
        "growth_potential": gp,
        "engagement": en,
    })
    return {"transactions": tx, "customers": customers}
