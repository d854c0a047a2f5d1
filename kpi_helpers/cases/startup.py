"""The startup case (notebook 01): customers A and B and a tail of small customers.

What this module decides: the startup's analysis (:func:`run`, through :func:`kpi_helpers.cases.analyse`)
and the two what-ifs its notebook reads: :func:`scenario_without` (the business without one account:
how much of revenue, growth and concentration hangs on it) and :func:`weight_sweep` (at which weight
of a criterion the key account changes). The revenue-log machinery it shares with ``your_data`` is in
:mod:`._revenue`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import accounts, kpis, scorecard
from . import CaseResult
from ._revenue import analyse_revenue

if TYPE_CHECKING:
    from ..data import CaseData

__all__ = ["run", "Scenario", "scenario_without", "weight_sweep"]


def run(data: CaseData, params: dict[str, Any]) -> CaseResult:
    """The startup analysis of ``invoices`` (and ``customers``) with checked parameters.

    Call :func:`kpi_helpers.cases.analyse` (``analyse("startup", data)``), which checks the
    parameters and fills in the defaults.
    """
    return analyse_revenue("startup", data, "invoices", params)


@dataclass(frozen=True)
class Scenario:
    """What :func:`scenario_without` returns: the business with and without one account.

    Attributes
    ----------
    account : the account taken out.
    monthly : one row per period: ``period, partial, revenue, account_revenue, revenue_without,
        account_share, mom_growth, mom_growth_without`` (growth over complete months only, unless
        partial months were included).
    summary : indexed by KPI id (``revenue, cmgr, active_customers, top_customer_share,
        top20_share, hhi, abc_a_count``); columns ``unit, with, without, change`` (change =
        without - with).
    top_customer : the largest customer (with, without the account).
    hhi_band : the HHI band (with, without the account).
    """

    account: str
    monthly: pd.DataFrame
    summary: pd.DataFrame
    top_customer: tuple[Any, Any]
    hhi_band: tuple[str, str]


_SCENARIO_KPIS = ("revenue", "cmgr", "active_customers", "top_customer_share", "top20_share", "hhi",
                  "abc_a_count")


def _scenario_figures(matrix: pd.DataFrame, growth_mask: np.ndarray, a: float, b: float
                      ) -> tuple[dict[str, float], Any, str]:
    monthly = matrix.sum(axis=1)
    growth_rev = monthly[growth_mask]
    totals = matrix.sum(axis=0)
    if not 0 < a < b <= 1:
        accounts.pareto_table(totals.iloc[:0], a=a, b=b)  # raises its ValueError about the thresholds
    conc = accounts.concentration_kpis(totals, a=a)
    positive = totals[totals > 0]
    c = accounts.concentration(positive) if len(positive) else {"top_customer": None, "hhi_band": "n/a"}
    out = {"revenue": float(totals.sum()),
           "cmgr": kpis.cmgr_from_series(growth_rev) if len(growth_rev) > 1 else math.nan,
           "active_customers": float((totals > 0).sum()), **conc}
    return out, c["top_customer"], c["hhi_band"]


def scenario_without(result_or_matrix: CaseResult | pd.DataFrame, account: Any, *,
                     partial: Any = None, include_partial_months: bool = False,
                             abc_a: float = 0.80, abc_b: float = 0.95) -> Scenario:
    """What if one account left? Revenue, growth and concentration with and without it.

    The account's invoices are simply removed from every month (as if it had never been a
    customer): monthly revenue drops by the account's revenue, growth (MoM, CMGR) is recomputed
    on what is left, and so are the concentration KPIs (top customer share, top-20 % share, HHI,
    class A count). Nothing else changes, so the scenario shows the *dependency*, not a forecast.

    Parameters
    ----------
    result_or_matrix : CaseResult or DataFrame
        A revenue case's :func:`analyse` result (startup, your_data), or a period x customer
        revenue matrix (``frames["revenue_by_month"]``).
    account : the account to take out (a column of the matrix).
    partial : boolean sequence aligned with the periods, optional
        Partial months (left out of growth). Taken from the result when one is given; default
        none partial.
    include_partial_months : bool
        Count partial months in growth too.
    abc_a, abc_b : float
        ABC thresholds for the class A count.

    Returns
    -------
    Scenario

    Raises
    ------
    KeyError
        If ``account`` is not in the data (the message names a few known accounts).

    Examples
    --------
    >>> m = pd.DataFrame({"A": [60.0, 60.0], "B": [30.0, 40.0], "C": [10.0, 10.0]},
    ...                  index=pd.Index(["2024-01", "2024-02"], name="period"))
    >>> s = scenario_without(m, "A")
    >>> s.monthly["revenue_without"].tolist(), float(s.summary.at["cmgr", "without"])
    ([40.0, 50.0], 0.25)
    >>> s.top_customer, round(float(s.summary.at["top_customer_share", "without"]), 4)
    (('A', 'B'), 0.7778)
    """
    if isinstance(result_or_matrix, CaseResult):
        frames = result_or_matrix.frames
        if "revenue_by_month" not in frames:
            raise ValueError(f"case {result_or_matrix.case!r} has no revenue_by_month frame; "
                             "scenario_without needs a revenue case (startup, your_data)")
        matrix = frames["revenue_by_month"]
        if partial is None:
            partial = frames["monthly"].set_index("period")["partial"].reindex(matrix.index, fill_value=False)
    elif isinstance(result_or_matrix, pd.DataFrame):
        matrix = result_or_matrix
    else:
        raise TypeError("scenario_without needs a CaseResult or a period x customer DataFrame, "
                        f"got {type(result_or_matrix).__name__}")
    if account not in matrix.columns:
        known = [str(c) for c in matrix.sum(axis=0).sort_values(ascending=False, kind="stable").index[:5]]
        raise KeyError(f"account {account!r} is not in the data; the largest accounts are {', '.join(known)}")
    matrix = matrix.astype(float).fillna(0.0)
    mask = np.zeros(len(matrix), dtype=bool) if partial is None else \
        np.asarray(pd.Series(partial).fillna(False).astype(bool).to_numpy(), dtype=bool)
    if len(mask) != len(matrix):
        raise ValueError(f"partial has {len(mask)} entries but the data have {len(matrix)} periods")
    growth_mask = np.ones(len(matrix), dtype=bool) if include_partial_months else ~mask
    rest = matrix.drop(columns=[account])

    monthly = pd.DataFrame({"period": pd.array([str(p) for p in matrix.index], dtype="str"),
                            "partial": mask})
    total = matrix.sum(axis=1).to_numpy()
    without = rest.sum(axis=1).to_numpy()
    monthly["revenue"] = total
    monthly["account_revenue"] = matrix[account].to_numpy()
    monthly["revenue_without"] = without
    monthly["account_share"] = np.asarray(kpis.safe_ratio(monthly["account_revenue"], monthly["revenue"]),
                                          dtype=float)
    for col, values in (("mom_growth", total), ("mom_growth_without", without)):
        series = pd.Series(values, index=monthly.index)
        monthly[col] = kpis.mom_growth(series[growth_mask]).reindex(monthly.index).astype(float)

    with_figs, top_with, band_with = _scenario_figures(matrix, growth_mask, abc_a, abc_b)
    without_figs, top_without, band_without = _scenario_figures(rest, growth_mask, abc_a, abc_b)
    summary = pd.DataFrame(
        {"unit": [scorecard.KPI_CATALOGUE[k].unit for k in _SCENARIO_KPIS],
         "with": [with_figs[k] for k in _SCENARIO_KPIS],
         "without": [without_figs[k] for k in _SCENARIO_KPIS]},
        index=pd.Index(list(_SCENARIO_KPIS), name="kpi"))
    summary["change"] = summary["without"] - summary["with"]
    return Scenario(account, monthly, summary, (top_with, top_without), (band_with, band_without))


def weight_sweep(features: pd.DataFrame, weights: dict[str, float], criterion: str = "revenue_share",
                 steps: int = 21) -> pd.DataFrame:
    """Re-score the accounts while one criterion's weight goes from 0 to 1.

    At each step the chosen criterion gets weight ``w`` and the other criteria share ``1 - w``
    in the proportions ``weights`` gives them (:func:`accounts.score_accounts` scores each step).
    Reading down the ``best_scored`` column shows at which weight the best-scored account changes: the
    static counterpart of the weight sliders.

    Parameters
    ----------
    features : DataFrame
        ``accounts.account_features`` output (``frames["features"]``).
    weights : mapping criterion -> weight
        The starting weights (e.g. the notebook's ``weights`` parameter).
    criterion : str
        The criterion whose weight is swept (a key of ``weights``).
    steps : int
        Number of weights from 0 to 1 (>= 2); 21 gives steps of 0.05.

    Returns
    -------
    DataFrame
        One row per step: ``weight``, ``best_scored`` (the account with the best score) and one score column per
        account (the accounts in the order of ``features``).

    Examples
    --------
    >>> f = pd.DataFrame({"revenue_share": [0.7, 0.3], "strategic_value": [2, 5]},
    ...                  index=pd.Index(["A", "B"], name="customer"))
    >>> s = weight_sweep(f, {"revenue_share": 0.5, "strategic_value": 0.5}, steps=5)
    >>> s[["weight", "best_scored"]].to_dict("list")
    {'weight': [0.0, 0.25, 0.5, 0.75, 1.0], 'best_scored': ['B', 'B', 'A', 'A', 'A']}
    """
    if int(steps) != steps or steps < 2:
        raise ValueError(f"steps must be a whole number >= 2, got {steps!r}")
    if criterion not in weights:
        raise ValueError(f"criterion {criterion!r} is not one of the weights {list(weights)}")
    others = {k: float(v) for k, v in weights.items() if k != criterion}
    if not others:
        raise ValueError("weight_sweep needs at least one other criterion besides "
                         f"{criterion!r} in weights")
    total = sum(others.values())
    if total <= 0:  # the other criteria had no weight: let them share equally
        others = {k: 1.0 for k in others}
        total = float(len(others))
    # normalise every criterion once (as score_accounts does; NaN counts 0), then weigh per step
    names = [criterion, *others]
    base = accounts.score_accounts(features, {k: 1.0 for k in names})
    norm = base[[f"{k}_norm" for k in names]].fillna(0.0).to_numpy(dtype=float)
    customers = list(base.index)
    rows = []
    for w in np.linspace(0.0, 1.0, int(steps)):
        w = round(float(w), 10)
        vec = np.array([w, *[(1.0 - w) * v / total for v in others.values()]], dtype=float)
        score = norm @ vec
        best = min(range(len(customers)), key=lambda i: (-score[i], str(customers[i]))) if customers else None
        row = {"weight": w, "best_scored": customers[best] if best is not None else None}
        row.update(zip(customers, score.tolist()))
        rows.append(row)
    out = pd.DataFrame(rows)
    names = [c for c in features.index if c in out.columns]
    return out[["weight", "best_scored", *names]]
