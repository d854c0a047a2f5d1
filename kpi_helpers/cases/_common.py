"""What every case analysis shares: its months, the rows of its KPI table, its key accounts, its parameters.

Private to :mod:`kpi_helpers.cases`: the case modules build their KPI rows with :func:`kpi_row`, pick
their key accounts with :func:`select_key_accounts` and turn the rows into the tidy table with
:func:`kpi_table`; :func:`kpi_helpers.cases.analyse` checks parameters with :func:`check_params`.
Imports neither numpy nor pandas itself.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .. import accounts, scorecard
from ..periods import month_table

if TYPE_CHECKING:
    import pandas as pd

    from ..data import CaseData

__all__ = ["case_months", "kpi_row", "account_scope", "join_notes", "count_words", "kpi_table",
           "select_key_accounts", "check_params"]


def case_months(data: CaseData) -> pd.DataFrame:
    """The calendar months the data cover, first to last date (partial ones flagged)."""
    first, last = data.date_range
    return month_table(first, last)


def kpi_row(kpi: str, value: Any, *, scope: str = "all", period: str = "all", partial: bool = False,
            note: str = "") -> dict[str, Any]:
    """One row of the KPI table; a value that is missing or not finite becomes NaN."""
    v = float(value) if value is not None else math.nan
    if not math.isfinite(v):
        v = math.nan
    return {"kpi": kpi, "scope": scope, "period": period, "value": v, "partial": bool(partial),
            "note": note}


def account_scope(account: str) -> str:
    """The KPI table's scope of one account: ``account:<name>``, the name verbatim."""
    return f"account:{account}"


def join_notes(*parts: str) -> str:
    """Notes joined with '; ', empty ones left out: 'partial month; no ratings'."""
    return "; ".join(p for p in parts if p)


def count_words(n: Any, noun: str) -> str:
    """``1 rating``, ``12 ratings``."""
    n = int(n)
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def kpi_table(rows: list[dict[str, Any]], targets: dict[str, float] | None) -> pd.DataFrame:
    """Build the tidy KPI table from rows and apply targets (see :func:`scorecard.kpi_table`).

    Targets of total-type KPIs (revenue, revenue per consultant, ...) are monthly targets:
    scorecard applies them to the monthly rows only, and notes why on the ``all`` row.
    """
    return scorecard.kpi_table(rows, targets=dict(targets or {}))


def select_key_accounts(revenue: pd.Series, ranked: list[str] | None, threshold: float,
                        max_accounts: int) -> list[str]:
    """Major accounts (share >= threshold) plus the best-ranked account, largest always included.

    Ordered by ``ranked`` (scores) when given, else by revenue; at most ``max_accounts``.
    """
    if revenue.empty or max_accounts <= 0:
        return []
    order = list(ranked) if ranked else list(revenue.index)
    chosen = set(accounts.major_customers(revenue, threshold=threshold))
    largest = revenue.index[0]
    chosen.add(largest)
    if ranked:
        chosen.add(ranked[0])
    if len(chosen) <= 50:  # a handful: find each (C speed) instead of testing every customer
        pos = {}
        for a in chosen:
            try:
                pos[a] = order.index(a)
            except ValueError:
                pass
        picked = sorted(pos, key=pos.__getitem__)
    else:
        picked = [a for a in order if a in chosen]
    if largest not in picked[:max_accounts]:
        picked = [largest] + [a for a in picked if a != largest]
    return picked[:max_accounts]


def check_params(case: str, defaults: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """The case defaults with ``params`` laid over them; unknown names are a TypeError.

    ``targets`` given are merged into the default targets, ``weights`` replace the default weights.
    """
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        raise TypeError(
            f"unknown parameter(s) {', '.join(unknown)} for case {case!r}; known: {', '.join(sorted(defaults))}"
        )
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in defaults.items()}
    for k, v in params.items():
        if isinstance(merged.get(k), dict) and isinstance(v, dict) and k in {"targets", "weights"}:
            if k == "weights":
                merged[k] = dict(v)
            else:
                merged[k].update(v)
        else:
            merged[k] = v
    return merged
