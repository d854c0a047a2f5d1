"""KPI formulas: small pure functions for scalars, numpy arrays and pandas Series.

Every formula here is a plain function. Elementwise KPIs (``ctr``, ``cpc``,
``utilization``, ...) accept Python numbers, numpy arrays (or lists) and pandas
Series, and return the same kind: a scalar gives a Python ``float``, an array
an ``ndarray``, a Series a float64 ``Series`` (two Series are aligned on their
index, as pandas always does). Aggregating KPIs (``revenue``, ``hhi``,
``csat_from_scores``, ...) take a collection and return one number.

Undefined values
----------------
A ratio whose denominator is zero or missing (NaN/None/NA) is undefined: the
result is NaN at that spot. Never ``inf``, never an exception, and no
``RuntimeWarning`` is emitted. All divisions go through one helper,
:func:`safe_ratio`. Reports show NaN as "n/a".

Rates over groups are ratios of sums
------------------------------------
The KPI of a group (a month, a client, all campaigns) is computed from the
group's *totals*: ``ctr(total clicks, total impressions)``. It is never the
average of the per-row rates. Averaging rates gives a tiny campaign the same
say as a huge one; the ratio of sums is the per-row rates weighted by their
denominators, which is what actually happened to the group. So pass sums:

>>> clicks, impressions = np.array([1, 10]), np.array([10, 1000])
>>> ctr(clicks, impressions).tolist()          # per-row rates
[0.1, 0.01]
>>> float(ctr(clicks, impressions).mean())     # mean of rates: wrong for the group
0.055
>>> round(ctr(clicks.sum(), impressions.sum()), 4)   # 11 / 1010: the group's CTR
0.0109

Units: ``ratio`` is a fraction (0.05, not 5 %), ``currency`` is the data's
money unit (NOK by default), ``days``, ``score`` (rating scale), ``count`` and
``index`` (NPS, HHI) as stated in each docstring.

One module on purpose (about 1,000 lines): every formula is a few lines under a docstring that
states its formula, unit and undefined rule with a worked example, and all of them share
:func:`safe_ratio`; the glossary of ``DESIGN.md`` maps onto this file one to one.
"""

from __future__ import annotations

import math
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

__all__ = [
    "safe_ratio",
    "revenue",
    "growth",
    "mom_growth",
    "cmgr",
    "cmgr_from_series",
    "customer_churn_rate",
    "net_revenue_retention",
    "csat",
    "csat_from_scores",
    "nps",
    "nps_from_scores",
    "utilization",
    "realization",
    "on_time_rate",
    "avg_completion_days",
    "revenue_per_consultant",
    "ctr",
    "cvr",
    "cpc",
    "cpa",
    "roas",
    "roi",
    "avg_check",
    "revenue_per_table",
    "table_turnover",
    "revpash",
    "seat_occupancy",
    "avg_rating",
    "rating_count",
    "defect_rate",
    "defect_free_share",
    "first_pass_yield",
    "rolled_throughput_yield",
    "avg_time_per_unit",
    "hhi",
    "concentration_base",
    "share_of_total",
    "top_customer_share",
    "top_n_share",
    "top20_share",
]

#: What the KPI functions take and give: a number, a numpy array (or list, tuple) or a pandas Series
#: (float | int | np.number | np.ndarray | pd.Series | list | tuple). Missing values (None, NaN, pd.NA)
#: are accepted anywhere. The functions are polymorphic in the numpy way (a Series in, a Series out),
#: so for the type checker the alias is Any; the docstrings say what each one returns.
Values: TypeAlias = Any

_SCALAR, _ARRAY, _SERIES = "scalar", "array", "series"


# ---------------------------------------------------------------------------
# private machinery: kind detection, float conversion, the one safe division
# ---------------------------------------------------------------------------
def _kind(*values: Any) -> str:
    """Which kind the result should be: a Series wins, then an array, else a scalar."""
    if any(isinstance(v, pd.Series) for v in values):
        return _SERIES
    if any(np.ndim(v) > 0 for v in values):
        return _ARRAY
    return _SCALAR


def _to_float(value: Any) -> Any:
    """New float64 data (never a view written to): Series -> Series, scalar -> np.float64.

    Missing values of any flavour (None, pd.NA, NaN, nullable dtypes) become NaN.
    """
    if isinstance(value, pd.Series):
        data = value.to_numpy(dtype="float64", na_value=np.nan)
        return pd.Series(data, index=value.index, name=value.name, copy=True)
    if np.ndim(value) == 0:
        if value is None or pd.isna(value):
            return np.float64(np.nan)
        return np.float64(value)
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":  # object (None, pd.NA), strings, ...
        flat = pd.Series(arr.ravel(), dtype=object)
        return flat.to_numpy(dtype="float64", na_value=np.nan).reshape(arr.shape)
    return arr.astype("float64", copy=True)


def _to_float_1d(values: Any) -> np.ndarray:
    """Flat float64 array of a collection (a scalar is a collection of one)."""
    converted = _to_float(values)
    if isinstance(converted, pd.Series):
        converted = converted.to_numpy()
    return np.atleast_1d(np.asarray(converted, dtype="float64")).ravel()


def _where(cond: Any, values: Any) -> Any:
    """``values`` where ``cond`` holds, NaN elsewhere (works for Series, arrays, scalars)."""
    if isinstance(values, pd.Series):
        if np.ndim(cond) == 0:
            cond = np.full(len(values), bool(cond))
        return values.where(cond, np.nan)
    return np.where(cond, values, np.nan)


def _finish(result: Any, kind: str) -> Any:
    """Return ``result`` as ``kind``, with every non-finite value (inf, -inf) as NaN."""
    if kind == _SERIES:
        result = result.astype("float64")
        return result.where(np.isfinite(result.to_numpy()), np.nan)
    arr = np.asarray(result, dtype="float64")
    arr = np.where(np.isfinite(arr), arr, np.nan)
    if kind == _SCALAR:
        return float(arr)
    return arr


def _apply(func, *args: Any) -> Any:
    """Run the callable ``func`` on float versions of ``args`` with numpy warnings silenced.

    The result has the kind of the inputs (Series > array > scalar) and no inf.
    """
    kind = _kind(*args)
    floats = [_to_float(a) for a in args]
    with np.errstate(all="ignore"):
        return _finish(func(*floats), kind)


def _div(num: Any, den: Any) -> Any:
    # zero denominators are turned into NaN *before* dividing: no inf, no warning
    return num / _where(den != 0, den)


def _safe_div(num: Any, den: Any) -> Any:
    """The one division of this module: num / den, NaN where den is 0 or NaN."""
    return _apply(_div, num, den)


def _product(*factors: Any) -> Any:
    """Elementwise product (a denominator such as seats x hours x days)."""
    return _apply(lambda *fs: math.prod(fs[1:], start=fs[0]), *factors)


# ---------------------------------------------------------------------------
# generic
# ---------------------------------------------------------------------------
def safe_ratio(num: Values, den: Values) -> Values:
    """Divide without ever failing: ``num / den``, NaN where undefined.

    Formula: num / den.
    Unit: the unit of num per unit of den (a fraction when both count the same thing).
    Undefined (NaN): den == 0, den or num missing (NaN/None/NA). A result that
    would be infinite is NaN too. No exception and no RuntimeWarning.

    Parameters
    ----------
    num, den : number, array or Series
        Numerator and denominator (elementwise; Series are aligned on index).

    Returns
    -------
    float, ndarray or Series
        The same kind as the inputs (a scalar gives a ``float``).

    Examples
    --------
    >>> safe_ratio(1, 4)
    0.25
    >>> safe_ratio(1, 0)
    nan
    >>> safe_ratio(pd.Series([1, 2]), pd.Series([0, 4])).tolist()
    [nan, 0.5]
    """
    return _safe_div(num, den)


def revenue(amounts: Values) -> float:
    """Revenue: the sum of the amounts.

    Formula: sum(amounts), missing amounts skipped.
    Unit: currency.
    Undefined: never; no amounts (or only missing ones) give 0.0.

    Examples
    --------
    >>> revenue([100, 250.5, None])
    350.5
    >>> revenue([])
    0.0
    """
    arr = _to_float_1d(amounts)
    return float(arr[~np.isnan(arr)].sum())


def growth(current: Values, previous: Values) -> Values:
    """Growth of a value against an earlier one.

    Formula: (current - previous) / previous.
    Unit: ratio (0.25 = 25 % growth; -1.0 = fell to zero).
    Undefined (NaN): previous <= 0 or missing. Growth on a negative base (a month whose credit
    notes exceed its sales) has no meaning: -322 % "growth" while revenue rose.

    Examples
    --------
    >>> growth(125, 100)
    0.25
    >>> growth(50, 0), growth(50, -20)
    (nan, nan)
    """
    base = _apply(lambda p: _where(p > 0, p), previous)
    return _safe_div(_apply(lambda c, p: c - p, current, previous), base)


def share_of_total(part: Values, total: Values) -> Values:
    """A part's share of a total, e.g. an account's revenue share.

    Formula: part / total.
    Unit: ratio.
    Undefined (NaN): total <= 0 or missing (a share of a zero or negative total says nothing:
    with credit notes above sales it would print as 264 %).

    Examples
    --------
    >>> share_of_total(30, 120)
    0.25
    >>> share_of_total(30, 0), share_of_total(30, -10)
    (nan, nan)
    """
    return _safe_div(part, _apply(lambda t: _where(t > 0, t), total))


def mom_growth(monthly: Values) -> Values:
    """Month-over-month growth of a monthly series.

    Formula: g_t = (R_t - R_{t-1}) / R_{t-1}, for consecutive elements in the
    given order (sort by month first; missing months are not filled in).
    Unit: ratio.
    Undefined (NaN): the first month (no previous month), and any month whose
    previous month is 0, negative or missing.

    Returns
    -------
    Series, ndarray or float
        A Series indexed (and named) like the input; an array for an array;
        NaN for a single number.

    Examples
    --------
    >>> mom_growth(pd.Series([100, 120, 0, 50], index=["2024-01", "2024-02", "2024-03", "2024-04"])).tolist()
    [nan, 0.2, -1.0, nan]
    """
    kind = _kind(monthly)
    if kind == _SCALAR:
        return float("nan")
    values = _to_float(monthly)
    series = values if isinstance(values, pd.Series) else pd.Series(values.ravel())
    previous = series.shift(1)
    result = growth(series, previous)
    return result if kind == _SERIES else result.to_numpy()


def cmgr(first: Values, last: Values, periods: Values) -> Values:
    """Compound monthly growth rate.

    Formula: (last / first) ** (1 / periods) - 1, periods = number of month
    steps between the first and the last month (months - 1).
    Unit: ratio per month.
    Undefined (NaN): first <= 0, periods <= 0, last < 0, or any input missing.

    Examples
    --------
    >>> round(cmgr(1000, 2000, 6), 4)    # doubling in 6 steps: 2 ** (1/6) - 1
    0.1225
    >>> cmgr(0, 2000, 6)
    nan
    """

    def compound(ratio: Values, f: Values, l: Values, n: Values) -> Values:  # noqa: E741
        valid = (f > 0) & (n > 0) & (l >= 0)
        return _where(valid, ratio ** (1.0 / _where(n > 0, n)) - 1.0)

    return _apply(compound, _safe_div(last, first), first, last, periods)


def cmgr_from_series(monthly: Values) -> float:
    """Compound monthly growth rate of a monthly series, first to last element.

    Formula: cmgr(first value, last value, len(monthly) - 1).
    Unit: ratio per month.
    Undefined (NaN): fewer than two months, first value <= 0 or missing,
    last value < 0 or missing.

    Examples
    --------
    >>> round(cmgr_from_series([100, 110, 121]), 4)    # (121/100) ** (1/2) - 1
    0.1
    >>> cmgr_from_series([100])
    nan
    """
    arr = _to_float_1d(monthly)
    if arr.size < 2:
        return float("nan")
    return cmgr(arr[0], arr[-1], arr.size - 1)


# ---------------------------------------------------------------------------
# customers
# ---------------------------------------------------------------------------
def customer_churn_rate(lost: Values, at_start: Values) -> Values:
    """Customer churn rate of a period.

    Formula: customers lost during the period / customers at its start.
    Unit: ratio.
    Undefined (NaN): no customers at the start (at_start == 0) or missing.

    Examples
    --------
    >>> customer_churn_rate(3, 60)
    0.05
    >>> customer_churn_rate(1, 0)
    nan
    """
    return _safe_div(lost, at_start)


def net_revenue_retention(revenue_now_from_base_customers: Values, revenue_base: Values) -> Values:
    """Net revenue retention (NRR) of a base of customers.

    Formula: revenue now from the customers of the base period / revenue of
    those customers in the base period (expansion minus churn included).
    Unit: ratio (1.10 = the base brings 10 % more than before).
    Undefined (NaN): revenue_base == 0 or missing.

    Examples
    --------
    >>> net_revenue_retention(110_000, 100_000)
    1.1
    >>> net_revenue_retention(5, 0)
    nan
    """
    return _safe_div(revenue_now_from_base_customers, revenue_base)


def csat(satisfied: Values, responses: Values) -> Values:
    """Customer satisfaction score (CSAT) from counts.

    Formula: satisfied responses (4 or 5 on a 1-5 scale) / all responses.
    Unit: ratio.
    Undefined (NaN): no responses (responses == 0) or missing.

    Examples
    --------
    >>> round(csat(74, 107), 4)
    0.6916
    >>> csat(0, 0)
    nan
    """
    return _safe_div(satisfied, responses)


def csat_from_scores(scores: Values) -> float:
    """CSAT from the individual answers on a 1-5 scale.

    Formula: count(score >= 4) / count(valid scores), where valid means not
    missing and within 1..5 (anything else is ignored).
    Unit: ratio.
    Undefined (NaN): no valid score.

    Examples
    --------
    >>> csat_from_scores([5, 4, 3, 1, None])     # 2 satisfied of 4 answers
    0.5
    >>> csat_from_scores([])
    nan
    """
    arr = _to_float_1d(scores)
    with np.errstate(invalid="ignore"):
        valid = arr[(arr >= 1) & (arr <= 5)]
    return _safe_div(int((valid >= 4).sum()), int(valid.size))


def nps(promoters: Values, detractors: Values, responses: Values) -> Values:
    """Net Promoter Score from counts.

    Formula: (promoters - detractors) / responses * 100.
    Unit: index, -100..100 (not a fraction).
    Undefined (NaN): no responses (responses == 0) or missing.

    Examples
    --------
    >>> nps(30, 20, 100)      # 30 % promoters, 20 % detractors
    10.0
    >>> nps(0, 0, 0)
    nan
    """
    net = _apply(lambda p, d: 100.0 * (p - d), promoters, detractors)
    return _safe_div(net, responses)


def nps_from_scores(scores: Values) -> float:
    """Net Promoter Score from individual answers on the 0-10 scale.

    Formula: (share of promoters, scores 9-10, minus share of detractors,
    scores 0-6) * 100 among valid scores (not missing, within 0..10).
    Unit: index, -100..100.
    Undefined (NaN): no valid score.

    Examples
    --------
    >>> nps_from_scores([10, 9, 8, 7, 3])     # (2 - 1) / 5 * 100
    20.0
    >>> nps_from_scores([None])
    nan
    """
    arr = _to_float_1d(scores)
    with np.errstate(invalid="ignore"):
        valid = arr[(arr >= 0) & (arr <= 10)]
    return nps(int((valid >= 9).sum()), int((valid <= 6).sum()), int(valid.size))


# ---------------------------------------------------------------------------
# consultancy
# ---------------------------------------------------------------------------
def utilization(billable_hours: Values, available_hours: Values) -> Values:
    """Utilization (billable share of the available hours).

    Formula: billable hours / available hours.
    Unit: ratio (may exceed 1.0 with overtime).
    Undefined (NaN): available_hours == 0 or missing.

    Examples
    --------
    >>> utilization(30, 37.5)
    0.8
    >>> utilization(5, 0)
    nan
    """
    return _safe_div(billable_hours, available_hours)


def realization(billed_value: Values, standard_value: Values) -> Values:
    """Realization rate: what was billed against the standard value of the hours.

    Formula: billed value / (hours x standard rate).
    Unit: ratio.
    Undefined (NaN): standard_value == 0 or missing.

    Examples
    --------
    >>> realization(90_000, 100_000)
    0.9
    >>> realization(1, 0)
    nan
    """
    return _safe_div(billed_value, standard_value)


def on_time_rate(on_time: Values, finished: Values) -> Values:
    """On-time rate of finished projects.

    Formula: finished projects with actual_end <= planned_end / finished projects.
    Unit: ratio.
    Undefined (NaN): none finished (finished == 0) or missing.

    Examples
    --------
    >>> on_time_rate(3, 4)
    0.75
    >>> on_time_rate(0, 0)
    nan
    """
    return _safe_div(on_time, finished)


def _to_datetimes(values: Values, index: pd.Index | None) -> Values:
    """Datetimes of a Series (kept), a scalar (Timestamp or NaT) or an array (Series on ``index``)."""
    if isinstance(values, pd.Series):
        return pd.to_datetime(values)
    if np.ndim(values) == 0:
        return pd.NaT if values is None or pd.isna(values) else pd.Timestamp(values)
    items = list(np.asarray(values, dtype=object).ravel())
    if index is None or len(index) != len(items):
        index = None
    return pd.to_datetime(pd.Series(items, index=index, dtype=object))


def avg_completion_days(start_dates: Values, end_dates: Values) -> float:
    """Average completion time in days.

    Formula: mean of (end - start) in days over the pairs whose end (and
    start) is known; ongoing projects (end missing) are left out.
    Unit: days (fractional if the dates carry times).
    Undefined (NaN): no pair with both dates.

    Parameters
    ----------
    start_dates, end_dates : date-like scalar, array or Series
        Paired by index when both are Series, by position otherwise.

    Examples
    --------
    >>> avg_completion_days(["2024-01-01", "2024-02-01"], ["2024-01-11", None])
    10.0
    >>> avg_completion_days(["2024-01-01"], [None])
    nan
    """
    index = next((v.index for v in (start_dates, end_dates) if isinstance(v, pd.Series)), None)
    start = _to_datetimes(start_dates, index)
    end = _to_datetimes(end_dates, index)
    days = _to_float_1d((end - start) / pd.Timedelta(days=1))
    done = days[~np.isnan(days)]
    return _safe_div(float(done.sum()), int(done.size))


def revenue_per_consultant(revenue: Values, consultants: Values) -> Values:
    """Revenue per consultant.

    Formula: revenue (billable hours x hourly rate) / consultants employed.
    Unit: currency per consultant.
    Undefined (NaN): consultants == 0 or missing.

    Examples
    --------
    >>> revenue_per_consultant(1_200_000, 4)
    300000.0
    >>> revenue_per_consultant(1_200_000, 0)
    nan
    """
    return _safe_div(revenue, consultants)


# ---------------------------------------------------------------------------
# digital marketing
# ---------------------------------------------------------------------------
def ctr(clicks: Values, impressions: Values) -> Values:
    """Click-through rate.

    Formula: clicks / impressions (over a group: sum of clicks / sum of impressions).
    Unit: ratio.
    Undefined (NaN): impressions == 0 or missing.

    Examples
    --------
    >>> ctr(5, 100)
    0.05
    >>> ctr(pd.Series([5, 3]), pd.Series([100, 0])).tolist()
    [0.05, nan]
    """
    return _safe_div(clicks, impressions)


def cvr(conversions: Values, clicks: Values) -> Values:
    """Conversion rate.

    Formula: conversions / clicks.
    Unit: ratio.
    Undefined (NaN): clicks == 0 or missing.

    Examples
    --------
    >>> cvr(4, 50)
    0.08
    >>> cvr(1, 0)
    nan
    """
    return _safe_div(conversions, clicks)


def cpc(spend: Values, clicks: Values) -> Values:
    """Average cost per click.

    Formula: spend / clicks.
    Unit: currency per click.
    Undefined (NaN): clicks == 0 or missing.

    Examples
    --------
    >>> cpc(0.60, 2)       # a 0.20 click and a 0.40 click
    0.3
    >>> cpc(10, 0)
    nan
    """
    return _safe_div(spend, clicks)


def cpa(spend: Values, conversions: Values) -> Values:
    """Cost per acquisition (per conversion).

    Formula: spend / conversions.
    Unit: currency per conversion.
    Undefined (NaN): conversions == 0 or missing.

    Examples
    --------
    >>> cpa(500, 20)
    25.0
    >>> cpa(500, 0)
    nan
    """
    return _safe_div(spend, conversions)


def roas(conversion_value: Values, spend: Values) -> Values:
    """Return on ad spend.

    Formula: conversion value / spend.
    Unit: ratio (currency earned per currency spent; 4.0 = 4 NOK per NOK).
    Undefined (NaN): spend == 0 or missing.

    Examples
    --------
    >>> roas(2000, 500)
    4.0
    >>> roas(2000, 0)
    nan
    """
    return _safe_div(conversion_value, spend)


def roi(conversion_value: Values, spend: Values) -> Values:
    """Return on investment of the spend.

    Formula: (conversion value - spend) / spend  (= roas - 1).
    Unit: ratio.
    Undefined (NaN): spend == 0 or missing.

    Examples
    --------
    >>> roi(2000, 500)
    3.0
    >>> roi(2000, 0)
    nan
    """
    return _safe_div(_apply(lambda v, s: v - s, conversion_value, spend), spend)


# ---------------------------------------------------------------------------
# restaurant
# ---------------------------------------------------------------------------
def avg_check(revenue: Values, covers: Values) -> Values:
    """Average check per guest (cover).

    Formula: revenue / covers.
    Unit: currency per guest.
    Undefined (NaN): covers == 0 or missing.

    Examples
    --------
    >>> avg_check(4500, 10)
    450.0
    >>> avg_check(4500, 0)
    nan
    """
    return _safe_div(revenue, covers)


def revenue_per_table(revenue: Values, tables: Values, open_days: Values) -> Values:
    """Revenue per table per open day.

    Formula: revenue / (tables x open days).
    Unit: currency per table-day.
    Undefined (NaN): tables == 0 or open_days == 0 (or missing).

    Examples
    --------
    >>> revenue_per_table(60_000, 10, 3)
    2000.0
    >>> revenue_per_table(60_000, 10, 0)
    nan
    """
    return _safe_div(revenue, _product(tables, open_days))


def table_turnover(parties: Values, tables: Values, open_days: Values) -> Values:
    """Table turnover: parties seated per table per open day.

    Formula: parties / (tables x open days).
    Unit: count (parties per table-day).
    Undefined (NaN): tables == 0 or open_days == 0 (or missing).

    Examples
    --------
    >>> table_turnover(75, 10, 3)
    2.5
    >>> table_turnover(75, 0, 3)
    nan
    """
    return _safe_div(parties, _product(tables, open_days))


def revpash(revenue: Values, seats: Values, open_hours_per_day: Values, open_days: Values) -> Values:
    """Revenue per available seat hour (RevPASH).

    Formula: revenue / (seats x open hours per day x open days).
    Unit: currency per seat-hour.
    Undefined (NaN): any factor of the denominator 0 or missing.

    Examples
    --------
    >>> revpash(15_000, 50, 8, 1)
    37.5
    >>> revpash(15_000, 50, 8, 0)
    nan
    """
    return _safe_div(revenue, _product(seats, open_hours_per_day, open_days))


def seat_occupancy(
    seat_hours_used: Values, seats: Values, open_hours_per_day: Values, open_days: Values
) -> Values:
    """Seat occupancy: share of the available seat-hours in use.

    Formula: seat-hours used (covers x hours seated) / (seats x open hours
    per day x open days).
    Unit: ratio.
    Undefined (NaN): any factor of the denominator 0 or missing.

    Examples
    --------
    >>> seat_occupancy(200, 50, 8, 1)
    0.5
    >>> seat_occupancy(200, 0, 8, 1)
    nan
    """
    return _safe_div(seat_hours_used, _product(seats, open_hours_per_day, open_days))


def avg_rating(ratings: Values) -> float:
    """Average rating of the ratings actually given.

    Formula: sum of non-missing ratings / their count (show rating_count beside it).
    Unit: score (the rating scale, e.g. 1-5).
    Undefined (NaN): no rating given.

    Examples
    --------
    >>> avg_rating([5, 4, None, 3])
    4.0
    >>> avg_rating([None, None])
    nan
    """
    arr = _to_float_1d(ratings)
    given = arr[~np.isnan(arr)]
    return _safe_div(float(given.sum()), int(given.size))


def rating_count(ratings: Values) -> int:
    """Number of ratings given (missing ones not counted).

    Formula: count of non-missing ratings.
    Unit: count.
    Undefined: never (0 when there are none).

    Examples
    --------
    >>> rating_count([5, 4, None, 3])
    3
    """
    return int((~np.isnan(_to_float_1d(ratings))).sum())


# ---------------------------------------------------------------------------
# manufacturing
# ---------------------------------------------------------------------------
def defect_rate(defective: Values, units: Values) -> Values:
    """Defect rate.

    Formula: defective units / units started, where units started are all units that entered
    production (for one step: the units entering it) and defective units are those found
    defective at any step.
    Unit: ratio.
    Undefined (NaN): units == 0 or missing.

    The complement of :func:`defect_free_share`.

    Examples
    --------
    >>> defect_rate(5, 200)
    0.025
    >>> defect_rate(5, 0)
    nan
    """
    return _safe_div(defective, units)


def defect_free_share(defective: Values, units: Values) -> Values:
    """Share of units without defects.

    Formula: 1 - defective units / units started, where units started are all units that
    entered production (for one step: the units entering it) and defective units are those found
    defective at any step.
    Unit: ratio.
    Undefined (NaN): units == 0 or missing.

    When every defective unit is scrapped, this equals good units out / units started.

    Examples
    --------
    >>> defect_free_share(5, 200)
    0.975
    >>> defect_free_share(5, 0)
    nan
    """
    return _apply(lambda rate: 1.0 - rate, defect_rate(defective, units))


def first_pass_yield(good_first_time: Values, units_in: Values) -> Values:
    """First pass yield of one process step.

    Formula: units good the first time (no rework, no scrap) / units entering.
    Unit: ratio.
    Undefined (NaN): units_in == 0 or missing.

    Examples
    --------
    >>> first_pass_yield(90, 100)
    0.9
    >>> first_pass_yield(0, 0)
    nan
    """
    return _safe_div(good_first_time, units_in)


def rolled_throughput_yield(step_yields: Values) -> float:
    """Rolled throughput yield: chance a unit passes every step right first time.

    Formula: product of the first pass yields of the steps.
    Unit: ratio.
    Undefined (NaN): no steps, or any step's yield missing.

    Examples
    --------
    >>> round(rolled_throughput_yield([0.9, 0.8, 0.5]), 3)
    0.36
    >>> rolled_throughput_yield([])
    nan
    """
    arr = _to_float_1d(step_yields)
    if arr.size == 0 or np.isnan(arr).any():
        return float("nan")
    with np.errstate(all="ignore"):
        return _finish(np.prod(arr), _SCALAR)


def avg_time_per_unit(total_time: Values, units: Values) -> Values:
    """Average production time per good unit.

    Formula: total production time / good units produced, where the time of every step counts,
    including the time spent on units that were scrapped later (the good units carry it).
    Unit: the time unit of total_time per good unit (minutes in data/concepts/production.csv).
    Undefined (NaN): units == 0 or missing.

    Pass the good units that leave the line as ``units``.

    Examples
    --------
    >>> avg_time_per_unit(480, 32)
    15.0
    >>> avg_time_per_unit(480, 0)
    nan
    """
    return _safe_div(total_time, units)


# ---------------------------------------------------------------------------
# concentration
# ---------------------------------------------------------------------------
def hhi(shares: Values) -> float:
    """Herfindahl-Hirschman index of concentration.

    Formula: sum over customers of (100 x share)^2, shares as fractions
    summing to 1; ranges from 10,000 / N (N equal customers) to 10,000 (one
    customer). Missing shares are skipped.
    Unit: index (0..10,000).
    Undefined (NaN): no shares, or all missing (e.g. shares of a zero total).

    Examples
    --------
    >>> round(hhi([0.3, 0.3, 0.2, 0.2]), 6)     # 900 + 900 + 400 + 400
    2600.0
    >>> hhi([])
    nan
    """
    arr = _to_float_1d(shares)
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        return float("nan")
    with np.errstate(all="ignore"):
        # an exactly rounded sum (math.fsum), not numpy's pairwise one: every engine that sums the same
        # squares exactly (kpi_helpers.engines) writes the same 12 significant digits
        return _finish(math.fsum(((100.0 * arr) ** 2).tolist()), _SCALAR)


def concentration_base(amounts: Values) -> np.ndarray:
    """THE customer base of every concentration KPI: the amounts above zero, largest first.

    Rule (DESIGN.md): concentration (top customer share, top 20 % share, HHI, ABC class A) is
    computed over the customers with revenue > 0 in the period, as shares of *their* sum. A
    customer listed with zero revenue, or with only credit notes (a negative sum), is not part of
    the customer base. Missing amounts are skipped. Every concentration function here, in
    :mod:`kpi_helpers.accounts` and in the KPI table starts from this array.

    Formula: {R_i : R_i > 0}, sorted largest first.
    Unit: the amounts' unit (currency).
    Undefined: never; empty when no customer has revenue > 0 (the KPIs built on it are then NaN).

    Examples
    --------
    >>> concentration_base([0, 30, -5, 70, float("nan")]).tolist()
    [70.0, 30.0]
    """
    arr = _to_float_1d(amounts)
    positive = arr[arr > 0]  # NaN compares False: skipped too
    return np.ascontiguousarray(np.sort(positive)[::-1])


def top_customer_share(amounts: Values) -> float:
    """Share of the largest customer in the customer base.

    Formula: max(R_i) / sum(R_i) over the customers with R_i > 0 (:func:`concentration_base`).
    Unit: ratio.
    Undefined (NaN): no customer with revenue > 0.

    Examples
    --------
    >>> top_customer_share([60, 30, 10, 0, -20])
    0.6
    >>> top_customer_share([0, -5])
    nan
    """
    base = concentration_base(amounts)
    return top_n_share(base, 1)


def top_n_share(amounts: Values, n: int) -> float:
    """Share of the customer base's total that the n largest customers make up.

    Formula: sum of the n largest R_i / sum of all R_i, over the customers with R_i > 0
    (:func:`concentration_base`; n larger than the count takes all, n <= 0 takes none).
    Unit: ratio.
    Undefined (NaN): no customer with revenue > 0.

    Examples
    --------
    >>> top_n_share([50, 30, 20], 1)
    0.5
    >>> top_n_share([50, 30, 20, 0, -10], 2)   # zero and credit-note-only customers left out
    0.8
    >>> top_n_share([0, 0], 1)
    nan
    """
    base = concentration_base(amounts)
    return _safe_div(math.fsum(base[: max(int(n), 0)].tolist()), math.fsum(base.tolist()))


def top20_share(amounts: Values) -> float:
    """Share of the total held by the top 20 % of customers.

    Formula: top_n_share(amounts, n) with n = ceil(0.2 x number of customers with revenue > 0)
    (:func:`concentration_base`; computed in integers, so 15 customers -> 3).
    Unit: ratio.
    Undefined (NaN): no customer with revenue > 0.

    Examples
    --------
    >>> top20_share([60, 10, 10, 10, 10])     # n = 1: 60 / 100
    0.6
    >>> top20_share([60, 10, 10, 10, 10, 0, 0, 0])   # zeros are not customers here: still n = 1
    0.6
    >>> top20_share([])
    nan
    """
    base = concentration_base(amounts)
    return top_n_share(base, -(-len(base) // 5))
