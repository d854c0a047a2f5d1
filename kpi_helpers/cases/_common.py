"""What every case analysis shares: its months, the rows of its KPI table, its key accounts, its parameters.

Private to :mod:`kpi_helpers.cases`: the case modules build their KPI rows with :func:`kpi_row`, pick
their key accounts with :func:`kpi_helpers.accounts.key_accounts` and turn the rows into the tidy table with
:func:`kpi_table`; :func:`kpi_helpers.cases.analyse` checks parameters with :func:`check_params`.
Imports neither numpy nor pandas itself.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .. import scorecard
from ..periods import month_table

if TYPE_CHECKING:
    import pandas as pd

    from ..data import CaseData

__all__ = ["case_months", "kpi_row", "account_scope", "join_notes", "count_words", "kpi_table",
           "check_params"]


def case_months(data: CaseData) -> pd.DataFrame:
    """The calendar months the data cover, first to last date (partial ones flagged)."""
    first, last = data.date_range
    return month_table(first, last)


def kpi_row(kpi: str, value: Any, *, scope: str = "all", period: str = "all", partial: bool = False,
            note: str = "", observations: Any = None) -> dict[str, Any]:
    """One row of the KPI table; a value that is missing or not finite becomes NaN.

    ``observations``: how many ratings, answers or projects a mean or rate is over (None where the
    count says nothing), so that :func:`scorecard.kpi_table` can apply the KPI's minimum.
    """
    v = float(value) if value is not None else math.nan
    if not math.isfinite(v):
        v = math.nan
    return {"kpi": kpi, "scope": scope, "period": period, "value": v, "partial": bool(partial),
            "note": note, "observations": None if observations is None else int(observations)}


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


def kpi_table(rows: list[dict[str, Any]], targets: dict[str, float] | None,
              min_observations: dict[str, int] | None = None) -> pd.DataFrame:
    """Build the tidy KPI table from rows and apply targets (see :func:`scorecard.kpi_table`).

    Targets of total-type KPIs (revenue, revenue per consultant, ...) are monthly targets:
    scorecard applies them to the monthly rows only, and notes why on the ``all`` row. Means and
    rates over fewer observations than ``min_observations`` (a case parameter) get
    ``insufficient_data``.
    """
    return scorecard.kpi_table(rows, targets=dict(targets or {}), min_observations=min_observations)


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
