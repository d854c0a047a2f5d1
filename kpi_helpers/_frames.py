"""The frame helpers that :mod:`kpi_helpers.accounts` and :mod:`kpi_helpers.scoring` share.

Private to :mod:`kpi_helpers`: how a transaction log becomes a tidy frame (customer, amount, date,
period), how customers are put in revenue order (largest first, ties by name), each value's share of
the total, the complete calendar months of a log, and the checks of column and name arguments.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import kpis
from .periods import month_table, period_labels

__all__ = ["require_columns", "in_revenue_order", "sort_revenue", "shares", "to_datetime",
           "prepare_transactions", "log_months", "complete_months", "check_names"]


def require_columns(df: pd.DataFrame, columns: Iterable[str], what: str = "data") -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{what} is missing column(s) {missing}; it has {list(map(str, df.columns))}. "
            "Rename your columns or pass the names as keyword arguments (e.g. customer='client')."
        )


def in_revenue_order(values: np.ndarray, names: pd.Index) -> bool:
    """True when ``values`` are already largest first with ties by name (checked, not sorted: O(n))."""
    if len(values) < 2:
        return True
    with np.errstate(invalid="ignore"):
        if not bool((values[:-1] >= values[1:]).all()):  # also False for NaN
            return False
    ties = np.flatnonzero(values[:-1] == values[1:])
    if len(ties) == 0:
        return True
    try:
        first, second = names[ties].to_numpy(), names[ties + 1].to_numpy()
        return bool((first < second).all())
    except TypeError:  # names that do not compare (mixed types): let the sort decide
        return False


def sort_revenue(revenue: pd.Series) -> pd.Series:
    """Return ``revenue`` sorted descending, ties by customer name ascending (stable)."""
    values = revenue.to_numpy(dtype=float)
    if in_revenue_order(values, revenue.index) and not isinstance(revenue.index, pd.MultiIndex):
        # already in order: the same labels (a view, with its lookup tables), nothing sorted
        return pd.Series(values, index=revenue.index.rename("customer"), name="revenue")
    frame = pd.DataFrame({"customer": revenue.index, "revenue": values})
    frame = frame.sort_values(
        ["revenue", "customer"], ascending=[False, True], kind="stable", na_position="last"
    )
    out = pd.Series(
        frame["revenue"].to_numpy(dtype=float),
        index=pd.Index(frame["customer"].to_numpy(), name="customer", dtype=revenue.index.dtype),
        name="revenue",
    )
    return out


def shares(values: pd.Series) -> pd.Series:
    """Each value divided by the total (NaN for every entry when the total is 0)."""
    total = float(values.sum())
    out = kpis.safe_ratio(values.to_numpy(dtype=float), total)  # on the array: no index work
    return pd.Series(np.asarray(out, dtype=float), index=values.index)


def to_datetime(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values, format="ISO8601")


def prepare_transactions(
    df: pd.DataFrame, customer: str, amount: str, date: str
) -> pd.DataFrame:
    """A new frame with customer, amount (float), date (datetime) and period ("YYYY-MM")."""
    require_columns(df, [customer, amount, date], "transactions")
    out = pd.DataFrame(
        {
            "customer": df[customer].to_numpy(),
            "amount": pd.to_numeric(df[amount], errors="raise").astype(float).to_numpy(),
            "date": to_datetime(df[date]).to_numpy(),
        }
    )
    out = out[out["customer"].notna() & out["date"].notna()]
    out["period"] = period_labels(out["date"])
    return out


def log_months(tx: pd.DataFrame, date_range: tuple[Any, Any] | None) -> pd.DataFrame:
    if date_range is not None:
        first, last = date_range
    elif len(tx):
        first, last = tx["date"].min(), tx["date"].max()
    else:
        return pd.DataFrame({"period": pd.Series([], dtype="str"), "partial": pd.Series([], dtype=bool)})
    return month_table(first, last)


def complete_months(tx: pd.DataFrame, date_range: tuple[Any, Any] | None) -> list[str]:
    months = log_months(tx, date_range)
    return months.loc[~months["partial"], "period"].tolist()


def check_names(names: Iterable[Any], known: Sequence[Any], what: str) -> list[Any]:
    names = list(names)
    known_set = set(known)
    unknown = [n for n in names if n not in known_set]
    if unknown:
        sample = list(known)[:10]
        more = "" if len(known) <= 10 else f" (and {len(known) - 10} more)"
        raise ValueError(f"unknown {what} {unknown}; known ones are {sample}{more}")
    return names
