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

from .. import accounts, display, kpis, scorecard
from ..i18n import tr
from . import CaseResult
from ._revenue import analyse_revenue, concentration_title, growth_summary

if TYPE_CHECKING:
    from ..data import CaseData

__all__ = ["run", "Scenario", "scenario_without", "weight_sweep", "share_by_year", "largest_share_text",
           "key_pair", "key_pair_text", "concentration_title", "growth_summary",
           "scenario_text", "summary_text"]


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
                      ) -> tuple[dict[str, float], Any, Any]:
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


# --------------------------------------------------------------------------------------------
# Text the startup notebook shows (issue 11): every sentence built from the numbers it states.
# --------------------------------------------------------------------------------------------
def share_by_year(matrix: pd.DataFrame, account: Any) -> pd.DataFrame:
    """One account's share of revenue per calendar year and over the whole period.

    Parameters
    ----------
    matrix : DataFrame
        Period (``YYYY-MM``) x customer revenue (``frames["revenue_by_month"]``).
    account : a column of ``matrix``.

    Returns
    -------
    DataFrame
        Indexed by ``year`` (``"all"`` last); columns ``revenue`` (all customers),
        ``account_revenue``, ``share`` (account / all; NaN when revenue <= 0), ``months`` and
        ``months_over_half`` (months in which the account brought more than half of revenue).

    Examples
    --------
    >>> m = pd.DataFrame({"A": [60.0, 40.0, 30.0], "B": [40.0, 60.0, 70.0]},
    ...                  index=pd.Index(["2024-12", "2025-01", "2025-02"], name="period"))
    >>> t = share_by_year(m, "A")
    >>> t["share"].round(3).tolist(), t["months_over_half"].tolist()
    ([0.6, 0.35, 0.433], [1, 0, 1])
    """
    total = matrix.sum(axis=1).astype(float)
    acc = matrix[account].astype(float)
    monthly_share = pd.Series(np.asarray(kpis.safe_ratio(acc, total), dtype=float), index=matrix.index)
    year = pd.Index([str(p)[:4] for p in matrix.index], name="year")
    frame = pd.DataFrame({"revenue": total.to_numpy(), "account_revenue": acc.to_numpy(),
                          "over_half": (monthly_share > 0.5).to_numpy()}, index=year)
    out = frame.groupby(level="year", sort=True).agg(
        revenue=("revenue", "sum"), account_revenue=("account_revenue", "sum"),
        months=("over_half", "size"), months_over_half=("over_half", "sum"))
    out.loc["all"] = [total.sum(), acc.sum(), len(frame), int(frame["over_half"].sum())]
    out["share"] = np.asarray(kpis.safe_ratio(out["account_revenue"], out["revenue"]), dtype=float)
    out[["months", "months_over_half"]] = out[["months", "months_over_half"]].astype("int64")
    return out[["revenue", "account_revenue", "share", "months", "months_over_half"]]


def largest_share_text(matrix: pd.DataFrame, account: Any, *, runner_up_share: float | None = None) -> str:
    """Markdown: how much of revenue the largest account brings, and whether that is "most" of it.

    The article's customer A brings *most* of the revenue (more than half). The sentence says
    "most" only when the data show more than half; otherwise it says what the data show, per
    year and over the whole period.

    Examples
    --------
    >>> m = pd.DataFrame({"A": [60.0, 40.0], "B": [40.0, 60.0]},
    ...                  index=pd.Index(["2024-12", "2025-01"], name="period"))
    >>> print(largest_share_text(m, "A"))  # doctest: +NORMALIZE_WHITESPACE
    Over the whole period **A** brought **50.0%** of revenue: half, not more than half, so the data do
    not support "most of the revenue" over the whole period. By year: 2024: 60.0% (more than half in 1
    of 1 months); 2025: 40.0% (more than half in 0 of 1 months).
    """
    t = share_by_year(matrix, account)
    share = t.at["all", "share"]
    pct = display.format_value(share, "ratio")
    name = display.markdown_text(account)
    if math.isnan(share):
        return tr("**{name}**'s share of revenue is undefined: total revenue is not above zero.", name=name)
    years = t.drop(index="all")
    by_year = "; ".join(
        tr("{year}: {share} (more than half in {over} of {months} months)", year=y,
           share=display.format_value(s, 'ratio'), over=int(o), months=int(n))
        for y, s, o, n in zip(years.index, years["share"], years["months_over_half"], years["months"]))
    if share > 0.5:
        head = tr("Over the whole period **{name}** brought **{pct}** of revenue: more than half, *most* of it, "
                  "as in the article's example.", name=name, pct=pct)
    elif share == 0.5:
        head = tr("Over the whole period **{name}** brought **{pct}** of revenue: half, not more than half, so the "
                  "data do not support \"most of the revenue\" over the whole period.", name=name, pct=pct)
    elif runner_up_share is None:
        head = tr("Over the whole period **{name}** brought **{pct}** of revenue: by far the largest share, but less "
                  "than half, so over the whole period the data do not support \"most of the revenue\".",
                  name=name, pct=pct)
    else:
        head = tr("Over the whole period **{name}** brought **{pct}** of revenue: by far the largest share (the next "
                  "largest customer brings {runner_up}), but less than half, so over the whole period the data do "
                  "not support \"most of the revenue\".", name=name, pct=pct,
                  runner_up=display.format_value(runner_up_share, 'ratio'))
    return head + (" " + tr("By year: {by_year}.", by_year=by_year) if len(years) > 1 else "")




#: The 1-5 judgements of customers.csv named in the key-pair sentence (shown with ``display.label``).
_JUDGEMENTS = ("strategic_value", "growth_potential", "engagement")


def key_pair(result: CaseResult) -> tuple[Any, Any]:
    """Customers A and B of the article in these data: (the largest key account, the best-scored other one).

    A is the largest of the key accounts (THE rule always picks it). B is the best-scored of the
    other key accounts (the key accounts are listed best score first), or None when the rule picked
    only one.
    """
    table = result.key_account_table
    if table is None or len(table) == 0:
        return None, None
    a = table.index[table["largest"].to_numpy(dtype=bool)][0]
    others = [k for k in table.index if k != a]
    return a, (others[0] if others else None)


def key_pair_text(result: CaseResult, *, threshold: float) -> str:
    """Markdown: which accounts play A and B in this notebook, and why each is a key account.

    A is the largest key account and B the best-scored other one (:func:`key_pair`); the reasons
    are the rule's (``result.key_account_table``: largest, major, best scored) with the numbers
    behind them. B's revenue share and its revenue growth are named apart, so two similar numbers
    are never read as one.
    """
    a, b = key_pair(result)
    if a is None:
        return tr("The key-account rule picked no account: no customer has revenue above zero.")
    table = result.key_account_table
    assert table is not None  # key_pair found an account, so the rule's table exists
    features = result.frames.get("features")

    def why(acc: Any) -> str:
        row = table.loc[acc]
        parts = []
        if row["largest"]:
            parts.append(tr("the largest customer"))
        if row["major"]:
            parts.append(tr("a major account ({share} of revenue over the whole period, at least {threshold})",
                            share=display.format_value(row['share'], 'ratio'),
                            threshold=display.format_value(threshold, 'ratio')))
        if row["best_scored"]:
            text = tr("the best multi-criteria score ({score})", score=display.format_value(row['score'], 'score'))
            if features is not None and acc in features.index:
                f = features.loc[acc]
                judged = [tr("{criterion} {value} of 5", criterion=display.label(col),
                             value=display.format_value(f[col], "number", decimals=0))
                          for col in _JUDGEMENTS if col in f.index and pd.notna(f[col])]
                if judged:
                    text += ": " + ", ".join(judged)
            parts.append(text)
        return "; ".join(parts) if parts else tr("picked by the rule")

    sentences = [tr("In this notebook **customer A** is **{name}**: {why}.", name=display.markdown_text(a), why=why(a))]
    if b is not None:
        sentences.append(tr("**Customer B** is **{name}**: {why}.", name=display.markdown_text(b), why=why(b)))
        growth = _account_cmgr(result, b)
        if not math.isnan(growth):
            sentences.append(tr("B's revenue *grew* by {growth} a month (CMGR), a growth rate, not a share: a different "
                                "number from B's {share} *share* of revenue.",
                                growth=display.format_value(growth, 'ratio', decimals=2),
                                share=display.format_value(table.at[b, 'share'], 'ratio', decimals=2)))
        if table.at[b, "best_scored"] and not table.at[a, "best_scored"]:
            sentences.append(tr("Both are key accounts, for different reasons: A for the money it brings today, B for "
                                "where it is going."))
        elif table.at[a, "best_scored"]:
            sentences.append(tr("Both are key accounts under the rule; with these weights A also has the best score."))
        else:
            sentences.append(tr("Both are key accounts under the rule."))
    else:
        sentences.append(tr("The rule picked no other key account, so there is no customer B in these data."))
    return " ".join(sentences)


def _account_cmgr(result: CaseResult, account: Any) -> float:
    """The account's whole-period CMGR from the KPI table (NaN when undefined or missing)."""
    k = result.kpis
    rows = k[(k["kpi"] == "cmgr") & (k["scope"] == f"account:{account}") & (k["period"] == "all")]
    return float(rows["value"].iloc[0]) if len(rows) else math.nan


def scenario_text(scenario: Scenario, *, currency: str = "NOK") -> str:
    """Markdown bullets: what the business would look like without the account (:func:`scenario_without`).

    Revenue lost (in total and per complete month), growth with and without (the direction said only
    when both CMGRs are defined and differ), concentration with and without.

    >>> m = pd.DataFrame({"A": [60.0, 60.0], "B": [30.0, 40.0], "C": [10.0, 10.0]},
    ...                  index=pd.Index(["2024-01", "2024-02"], name="period"))
    >>> print(scenario_text(scenario_without(m, "A")).splitlines()[1])
    - **Growth** rises: CMGR 10.0% with A, 25.0% without. A's revenue grows more slowly than the rest, so the rest of the business grows faster than the total: a higher growth *rate* on a much smaller base.
    """
    sm, mo = scenario.summary, scenario.monthly
    money = lambda v: display.format_value(v, "currency", currency=currency, compact=True)  # noqa: E731
    pct = lambda v: display.format_value(v, "ratio")  # noqa: E731
    lost = mo.loc[~mo["partial"], "account_revenue"].mean() if (~mo["partial"]).any() else math.nan
    lost_share = (sm.at["revenue", "change"] / sm.at["revenue", "with"]) if sm.at["revenue", "with"] else math.nan
    lines = [tr("- **Revenue** over the period falls from {before} to {after} ({change}); on average **{lost} a "
                "month** would be missing from the bank account.", before=money(sm.at['revenue', 'with']),
                after=money(sm.at['revenue', 'without']), change=pct(lost_share), lost=money(lost))]
    g_with, g_without = sm.at["cmgr", "with"], sm.at["cmgr", "without"]
    growth = {"with_a": pct(g_with), "without_a": pct(g_without)}
    if math.isnan(g_with) or math.isnan(g_without):
        lines.append(tr("- **Growth**: CMGR {with_a} with A, {without_a} without (n/a: fewer than two complete "
                        "months, or a first month without revenue).", **growth))
    elif g_without > g_with:
        lines.append(tr("- **Growth** rises: CMGR {with_a} with A, {without_a} without. A's revenue grows more "
                        "slowly than the rest, so the rest of the business grows faster than the total: a higher "
                        "growth *rate* on a much smaller base.", **growth))
    elif g_without < g_with:
        lines.append(tr("- **Growth** falls: CMGR {with_a} with A, {without_a} without. A grows faster than the "
                        "rest, so losing A also slows growth.", **growth))
    else:
        lines.append(tr("- **Growth** stays at a CMGR of {with_a}: A grows as fast as the rest.", **growth))
    top_without = scenario.top_customer[1]
    hhi = {"hhi_with": display.format_value(sm.at['hhi', 'with'], 'index'),
           "band_with": display.hhi_band_text(scenario.hhi_band[0]),
           "hhi_without": display.format_value(sm.at['hhi', 'without'], 'index'),
           "band_without": display.hhi_band_text(scenario.hhi_band[1])}
    if top_without is not None:
        lines.append(tr("- **Concentration**: HHI {hhi_with} ({band_with}) becomes {hhi_without} ({band_without}); "
                        "the largest customer would be **{name}** with {share}.", **hhi,
                        name=display.markdown_text(top_without), share=pct(sm.at['top_customer_share', 'without'])))
    else:
        lines.append(tr("- **Concentration**: HHI {hhi_with} ({band_with}) becomes {hhi_without} ({band_without}); "
                        "no customer with revenue would be left.", **hhi))
    return "\n".join(lines)


def summary_text(result: CaseResult, scenario: Scenario) -> str:
    """Markdown bullets for "key account vs KPI in this case": the KPI, A, B and how they meet.

    A and B are :func:`key_pair`'s; every number comes from the KPI table, the scenario or the
    key-account table, so the sentences stay true on other data and other weights.
    """
    k = result.kpis
    whole = k[k["period"] == "all"].set_index(["scope", "kpi"])
    a, b = key_pair(result)
    cm = whole.loc[("all", "cmgr")]
    mom = k[(k["kpi"] == "mom_growth") & (k["scope"] == "all") & (k["period"] != "all") & k["value"].notna()]
    if pd.notna(cm["target"]):
        cmgr_text = tr("its CMGR against the target is **{versus}** ({status})",
                       versus=display.format_against_target(cm['value'], cm['target'], 'ratio', cm['status']),
                       status=display.status_text(cm['status']))
    else:
        cmgr_text = tr("revenue grew at a CMGR of **{cmgr}** a month", cmgr=display.format_value(cm['value'], 'ratio'))
    if mom["target"].notna().any():
        lines = [tr("- **The KPI** is about the whole company: {cmgr_text}, with {met} of {months} months at or above "
                    "the MoM target.", cmgr_text=cmgr_text, met=int((mom['status'] == 'on_track').sum()),
                    months=len(mom))]
    else:
        lines = [tr("- **The KPI** is about the whole company: {cmgr_text}.", cmgr_text=cmgr_text)]
    if a is None:
        return "\n".join(lines)
    sm = scenario.summary
    assert result.key_account_table is not None  # a is a key account
    share_a = result.key_account_table.at[a, "share"]
    lost_share = (sm.at["revenue", "change"] / sm.at["revenue", "with"]) if sm.at["revenue", "with"] else math.nan
    lines.append(tr("- **A ({name})** is a key account because of its revenue: the largest customer, {share} of "
                    "revenue over the period, and therefore also the biggest risk: without A revenue would be {lost} "
                    "lower and concentration would go from {band_with} to {band_without}.",
                    name=display.markdown_text(a), share=display.format_value(share_a, 'ratio'),
                    lost=display.format_value(-lost_share, 'ratio'),
                    band_with=display.hhi_band_text(scenario.hhi_band[0]),
                    band_without=display.hhi_band_text(scenario.hhi_band[1])))
    if b is not None:
        share_b = whole["value"].get((f"account:{b}", "revenue_share"), math.nan)
        cmgr_b = whole["value"].get((f"account:{b}", "cmgr"), math.nan)
        cmgr_a = whole["value"].get((f"account:{a}", "cmgr"), math.nan)
        best = result.frames["scores"].index[0] if len(result.frames.get("scores", [])) else None
        numbers = {"name": display.markdown_text(b), "share": display.format_value(share_b, 'ratio', decimals=2),
                   "cmgr_b": display.format_value(cmgr_b, 'ratio', decimals=2),
                   "cmgr_a": display.format_value(cmgr_a, 'ratio', decimals=2)}
        if best is not None:
            lines.append(tr("- **B ({name})** is a key account too: its *share* of revenue is {share}, while its revenue "
                            "*grows* at {cmgr_b} a month (CMGR) against A's {cmgr_a}; with the weights of this run the "
                            "best-scored account is **{best}**.", **numbers, best=display.markdown_text(best)))
        else:
            lines.append(tr("- **B ({name})** is a key account too: its *share* of revenue is {share}, while its revenue "
                            "*grows* at {cmgr_b} a month (CMGR) against A's {cmgr_a}.", **numbers))
    lines.append(tr("- **Both views together**: the company KPI is tracked for each key account too (rows "
                    "`account:<name>` in the KPI table), so the account managers see each key account's growth next "
                    "to the company's. A large share earns close attention today; strategic value and growth are a "
                    "bet on the future."))
    return "\n".join(lines)
