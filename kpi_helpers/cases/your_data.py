"""The your_data case (notebook 05): any transaction log of ``date, customer, amount``.

What this module decides: which table is the log (``transactions``, with an optional ``customers``
table for scoring). The analysis is the startup's, shared in :mod:`._revenue`. The helpers below
build the tables and sentences notebook 05 shows, so that every sentence is computed from the data
it describes (issue 11).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import accounts, display, kpis, scorecard
from ..i18n import tr, trn
from ._revenue import _a_class, analyse_revenue, concentration_title, growth_summary

if TYPE_CHECKING:
    from ..data import CaseData
    from . import CaseResult

__all__ = ["run", "STATUSES", "status_tally", "concentration_title", "spread_text", "score_view",
           "account_overview", "MAX_PARETO_BARS", "growth_summary"]

#: Every status of the KPI table (scorecard.STATUSES), in the order the tally shows them: the verdicts first.
STATUSES = ("on_track", "off_track", *(s for s in scorecard.STATUSES if s not in ("on_track", "off_track")))
#: More customers than this with revenue > 0: the notebook draws the share curve, not Pareto bars
#: (one rule: :data:`kpi_helpers.accounts.LARGE_CUSTOMER_BASE`, which ``plots.MAX_PARETO_BARS`` is too).
MAX_PARETO_BARS = accounts.LARGE_CUSTOMER_BASE


def run(data: CaseData, params: dict[str, Any]) -> CaseResult:
    """The analysis of ``transactions`` (and ``customers``) with checked parameters.

    Call :func:`kpi_helpers.cases.analyse` (``analyse("your_data", data)``), which checks the
    parameters and fills in the defaults.
    """
    return analyse_revenue("your_data", data, "transactions", params)




def status_tally(table: pd.DataFrame) -> pd.DataFrame:
    """How many rows of each KPI and scope that have a target got each status; the counts add up.

    One row per (kpi, scope) with a target; columns ``target``, one count per status of
    :data:`STATUSES` that occurs (on_track and off_track always), and ``rows`` (their sum, which is
    the number of rows of that KPI and scope).

    >>> t = pd.DataFrame({"kpi": ["g"] * 4, "scope": ["all"] * 4, "target": [0.1] * 4,
    ...                   "status": ["on_track", "off_track", "not_measurable", "on_track"]})
    >>> status_tally(t)[["on_track", "off_track", "not_measurable", "rows"]].iloc[0].tolist()
    [2, 1, 1, 4]
    """
    with_target = table[table["target"].notna()]
    counts = with_target.groupby(["kpi", "scope"])["status"].value_counts().unstack("status", fill_value=0)
    shown = [s for s in STATUSES if s in ("on_track", "off_track") or s in counts.columns]
    extra = [s for s in counts.columns if s not in shown]  # a status this module does not know: still counted
    counts = counts.reindex(columns=shown + extra, fill_value=0).astype("int64")
    counts.columns.name = None
    counts["rows"] = counts.sum(axis=1)
    sizes = with_target.groupby(["kpi", "scope"]).size()
    assert (counts["rows"] == sizes.reindex(counts.index)).all(), "status counts must add up to the rows"
    counts.insert(0, "target", with_target.groupby(["kpi", "scope"])["target"].first())
    return counts


def spread_text(concentration: dict[str, Any], pareto: pd.DataFrame, key_table: pd.DataFrame | None, *,
                threshold: float, max_bars: int = MAX_PARETO_BARS) -> str:
    """Markdown: what the concentration figure shows, and what "key account" means for this base.

    With a major customer (share >= ``threshold``) single customers carry the business and
    key-account management is about them. With none, and a base larger than ``max_bars``,
    key-account management applies to segments (ABC class A) rather than to single customers:
    the accounts the rule still picks (it always picks the largest) each carry only a small share.

    >>> p = pd.DataFrame({"customer": list("abcd"), "revenue": [30.0, 30.0, 25.0, 15.0],
    ...                   "share": [0.3, 0.3, 0.25, 0.15], "abc_class": ["A", "A", "A", "B"]})
    >>> spread_text({"top_customer": "a", "top_customer_share": 0.3}, p, None, threshold=0.1).split(".")[0]
    'The largest customer, **a**, brings 30'
    """
    n_a, n, share_a = _a_class(pareto)
    top, top_share = concentration.get("top_customer"), concentration.get("top_customer_share")
    if n == 0 or top is None:
        return tr("No customer has revenue above zero, so there is no concentration to describe.")
    major = int((pd.to_numeric(pareto["share"], errors="coerce") >= threshold - 1e-12).sum())
    pct = lambda v, d=None: display.format_value(v, "ratio", decimals=d)  # noqa: E731
    count = lambda v: display.format_value(v, "count")  # noqa: E731
    head = tr("The largest customer, **{top}**, brings {top_share} of revenue; {n_a} of {n} customers ({part}) "
              "make up ABC class A, {share_a} of revenue.", top=display.markdown_text(top), top_share=pct(top_share),
              n_a=count(n_a), n=count(n), part=pct(n_a / n), share_a=pct(share_a))
    if major:
        return head + " " + trn(
            "{n} customer reaches the major-customer threshold of {threshold}: single customers carry a large "
            "part of the business, and key-account management is about them.",
            "{n} customers reach the major-customer threshold of {threshold}: single customers carry a large "
            "part of the business, and key-account management is about them.", major, threshold=pct(threshold))
    if n <= max_bars:
        return head + " " + tr("No customer reaches the major-customer threshold of {threshold}, but with {n} "
                               "customers each one can still be looked after by name.",
                               threshold=pct(threshold), n=count(n))
    picked = ""
    if key_table is not None and len(key_table):
        names = ", ".join(f"**{display.markdown_text(k)}** ({pct(s)})" for k, s in zip(key_table.index, key_table["share"]))
        picked = " " + tr("The rule still picks key accounts ({names}), because it always names the largest and the "
                          "best-scored account; here that choice matters little: losing any one of them would cost "
                          "at most {largest} of revenue.", names=names, largest=pct(float(key_table["share"].max())))
    return head + " " + tr(
        "No customer reaches the major-customer threshold of {threshold}, and the base of {n} customers is spread "
        "thin, so key-account management applies to **segments** (ABC class A, the {n_a} customers that bring "
        "{share_a} of revenue) rather than to single customers: a named account manager for each is out of reach, "
        "and no single one carries the business.", threshold=pct(threshold), n=count(n), n_a=count(n_a),
        share_a=pct(share_a)) + picked


_JUDGEMENTS = ("strategic_value", "growth_potential", "engagement")


def score_view(scores: pd.DataFrame, features: pd.DataFrame, accounts: Any = None, *, top: int = 10
               ) -> pd.DataFrame:
    """The best-scored customers with their judgement scores as given: missing stays missing.

    ``accounts.score_accounts`` counts a missing criterion as 0 (the lowest score), so a customer
    without a row in ``customers.csv`` gets nothing for strategic value, growth potential and
    engagement: its score is a *lower bound*, not a judgement. This view shows the scores as they
    were given (NaN where there is none, shown as "n/a"), a ``scored`` flag, the score and its rank.
    ``accounts``: the customers to show, in this order (default: the ``top`` best-scored).

    >>> f = pd.DataFrame({"revenue_share": [0.6, 0.4], "strategic_value": [np.nan, 4.0],
    ...                   "growth_potential": [np.nan, 3.0], "engagement": [np.nan, 5.0]},
    ...                  index=pd.Index(["A", "B"], name="customer"))
    >>> s = pd.DataFrame({"score": [0.5, 0.4]}, index=pd.Index(["A", "B"], name="customer"))
    >>> score_view(s, f)["scored"].tolist()
    [False, True]
    """
    cols = [c for c in _JUDGEMENTS if c in features.columns]
    index = scores.index[:top] if accounts is None else pd.Index(list(dict.fromkeys(accounts)), name="customer")
    view = features.reindex(index)[["revenue_share", *cols]].copy()
    view.insert(1, "scored", view[cols].notna().any(axis=1) if cols else False)
    view["score"] = scores["score"].reindex(index)
    if "rank" in scores.columns:
        view["rank"] = scores["rank"].reindex(index)
    return view


def account_overview(result: CaseResult, *, recent_months: int) -> pd.DataFrame:
    """Defined revenue KPIs for the business and each key account, for the per-account section.

    Rows ``all`` and ``account:<name>``; columns ``revenue``, ``revenue_share``,
    ``months_with_revenue`` ("how often does it buy": months with revenue > 0 of all months),
    ``recent_growth`` (revenue in the last ``recent_months`` complete months over the
    ``recent_months`` before, minus 1; NaN when there are too few months or nothing before) and
    ``cmgr`` (from the KPI table; NaN when not measurable, e.g. no revenue in the first month).
    """
    matrix = result.frames["revenue_by_month"]
    partial = result.frames["monthly"].set_index("period")["partial"].reindex(matrix.index, fill_value=False)
    complete = matrix[~partial.to_numpy(dtype=bool)]
    k = result.kpis
    cmgr = k[(k["kpi"] == "cmgr") & (k["period"] == "all")].set_index("scope")["value"]
    total = matrix.sum(axis=1)
    rows = {}
    for scope, series, comp in [("all", total, complete.sum(axis=1))] + [
            (f"account:{a}", matrix[a], complete[a]) for a in result.key_accounts]:
        growth = math.nan
        if len(comp) >= 2 * recent_months:
            now, before = comp.iloc[-recent_months:].sum(), comp.iloc[-2 * recent_months:-recent_months].sum()
            growth = float(kpis.growth(now, before)) if before > 0 else math.nan
        rows[scope] = {"revenue": float(series.sum()),
                       "revenue_share": float(kpis.safe_ratio(series.sum(), total.sum())),
                       "months_with_revenue": tr("{n} of {total}", n=int((series > 0).sum()), total=len(series)),
                       "recent_growth": growth,
                       "cmgr": float(cmgr.get(scope, math.nan))}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "scope"
    return out
