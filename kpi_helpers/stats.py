"""Statistics that are not one case's own: how far to trust a mean of few values.

What this module decides: the quantiles of Student's t distribution (exact for whole degrees of
freedom, no scipy) and the t-based confidence interval of a mean, as the notebooks use them for
average ratings (a VIP's 9 ratings against the restaurant's 500); and the Wilson score interval of a
proportion (a share of "yes" answers: CSAT, an on-time rate) with Newcombe's interval for the
difference of two proportions, as the consultancy notebook uses them for one client's CSAT against the
other clients'.
"""
from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["t_quantile", "mean_interval", "proportion_interval", "proportion_difference"]


def t_quantile(p: float, df: int) -> float:
    """The ``p`` quantile of Student's t distribution with ``df`` (whole) degrees of freedom.

    Used for the interval around a mean of few values (a guest's ratings). Exact: the t CDF for whole
    ``df`` is a finite trigonometric sum (Abramowitz & Stegun 26.7.3-4), inverted by bisection; no
    scipy needed. NaN when ``df < 1`` or ``p`` is not strictly between 0 and 1.

    >>> round(t_quantile(0.975, 8), 3), round(t_quantile(0.975, 1), 3), round(t_quantile(0.5, 5), 3)
    (2.306, 12.706, 0.0)
    """
    try:
        p, df = float(p), int(df)
    except (TypeError, ValueError):
        return math.nan
    if not (0.0 < p < 1.0) or df < 1:
        return math.nan
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)

    def central(t: float) -> float:  # P(|T| < t)
        theta = math.atan(t / math.sqrt(df))
        c2, s = math.cos(theta) ** 2, math.sin(theta)
        if df % 2 == 1:
            if df == 1:
                return 2.0 * theta / math.pi
            term, total = 1.0, 1.0
            for k in range(1, (df - 1) // 2):  # 1 + (2/3)c2 + (2*4)/(3*5)c2^2 + ...
                term *= c2 * (2 * k) / (2 * k + 1)
                total += term
            return 2.0 / math.pi * (theta + s * math.cos(theta) * total)
        term, total = 1.0, 1.0
        for k in range(1, df // 2):  # 1 + (1/2)c2 + (1*3)/(2*4)c2^2 + ...
            term *= c2 * (2 * k - 1) / (2 * k)
            total += term
        return s * total

    target = 2.0 * p - 1.0
    lo, hi = 0.0, 1.0
    while central(hi) < target:
        hi *= 2.0
        if hi > 1e12:
            return math.inf
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if central(mid) < target:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12 * max(1.0, hi):
            break
    return (lo + hi) / 2.0


def mean_interval(values: Any, level: float = 0.95, bounds: tuple[float, float] | None = None
                  ) -> dict[str, float]:
    """Mean of the non-missing values with a t-based confidence interval.

    ``n`` values, ``mean``, sample standard deviation ``std`` (n - 1), standard error
    ``se = std / sqrt(n)``, and ``low``/``high = mean -/+ t(level, n - 1) * se``, clipped to
    ``bounds`` (e.g. the rating scale 1..5) when given. Undefined parts are NaN: everything when
    there are no values, the interval when there is only one value (its spread is unknown).

    >>> r = mean_interval([4, 5, 5, 3, 4])
    >>> r["n"], r["mean"], round(r["low"], 2), round(r["high"], 2)
    (5, 4.2, 3.16, 5.24)
    >>> mean_interval([4, 5, 5, 3, 4], bounds=(1, 5))["high"]
    5.0
    >>> mean_interval([5])["low"]
    nan
    """
    arr = pd.to_numeric(pd.Series(values, dtype="float64") if not isinstance(values, pd.Series) else values,
                        errors="coerce").to_numpy(dtype=float)
    arr = arr[np.isfinite(arr)]
    n = int(arr.size)
    out = {"n": n, "mean": math.nan, "std": math.nan, "se": math.nan, "low": math.nan, "high": math.nan}
    if n == 0:
        return out
    out["mean"] = float(arr.mean())
    if n < 2:
        return out
    std = float(arr.std(ddof=1))
    se = std / math.sqrt(n)
    half = t_quantile(0.5 + level / 2.0, n - 1) * se
    low, high = out["mean"] - half, out["mean"] + half
    if bounds is not None:
        low, high = max(low, float(bounds[0])), min(high, float(bounds[1]))
    out.update(std=std, se=se, low=low, high=high)
    return out


def _z(level: float) -> float:
    """The two-sided normal quantile for a confidence ``level`` (1.96 for 0.95)."""
    return NormalDist().inv_cdf(0.5 + float(level) / 2.0)


def proportion_interval(successes: Any, n: Any, level: float = 0.95) -> dict[str, float]:
    """A share ``successes / n`` with its Wilson score confidence interval.

    Formula (Wilson 1927), with p = successes / n and z the normal quantile of the level (1.96 for
    95 %)::

        centre = (p + z^2 / (2n)) / (1 + z^2 / n)
        half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / (4 n^2))
        low, high = centre - half, centre + half      (always inside 0..1)

    Why not mean -/+ t * se of the 0/1 answers (:func:`mean_interval`)? With 3 answers out of 3 the
    answers have no spread, so that interval shrinks to the single point 100 %: the fewer the answers,
    the surer it looks. Wilson's interval stays wide for few answers and never leaves 0..1.
    Returns ``n``, ``successes``, ``share``, ``low``, ``high``; all but the counts NaN when n = 0.

    >>> r = proportion_interval(3, 3)
    >>> r["share"], round(r["low"], 3), r["high"]
    (1.0, 0.439, 1.0)
    >>> r = proportion_interval(20, 31)
    >>> round(r["share"], 3), round(r["low"], 3), round(r["high"], 3)
    (0.645, 0.469, 0.789)
    >>> proportion_interval(0, 0)["low"]
    nan
    """
    k, m = float(successes), float(n)
    out = {"n": int(m) if math.isfinite(m) else 0, "successes": int(k) if math.isfinite(k) else 0,
           "share": math.nan, "low": math.nan, "high": math.nan}
    if not (math.isfinite(k) and math.isfinite(m)) or m <= 0 or k < 0 or k > m:
        return out
    p, z = k / m, _z(level)
    denom = 1.0 + z * z / m
    centre = (p + z * z / (2.0 * m)) / denom
    half = z / denom * math.sqrt(p * (1.0 - p) / m + z * z / (4.0 * m * m))
    out.update(share=p, low=max(0.0, centre - half), high=min(1.0, centre + half))
    return out


def proportion_difference(successes_1: Any, n_1: Any, successes_2: Any, n_2: Any,
                          level: float = 0.95) -> dict[str, float]:
    """The difference of two shares, p1 - p2, with Newcombe's interval (hybrid Wilson score, method 10).

    Each share gets its Wilson interval (l1..u1, l2..u2; :func:`proportion_interval`), then::

        low  = (p1 - p2) - sqrt((p1 - l1)^2 + (u2 - p2)^2)
        high = (p1 - p2) + sqrt((u1 - p1)^2 + (p2 - l2)^2)

    (Newcombe 1998, Statistics in Medicine 17: 873-890). When the interval contains 0 the data cannot
    tell the two shares apart at that level: the difference is within the noise of the counts. The two
    groups must be separate (one client against the *other* clients, not against the whole firm, which
    contains it). Returns ``difference``, ``low``, ``high`` and ``distinguishable`` (0 outside the
    interval); NaN and False when either group is empty.

    >>> r = proportion_difference(20, 31, 58, 83)
    >>> round(r["difference"], 3), round(r["low"], 3), round(r["high"], 3), r["distinguishable"]
    (-0.054, -0.25, 0.125, False)
    >>> proportion_difference(45, 50, 10, 50)["distinguishable"]
    True
    """
    a, b = proportion_interval(successes_1, n_1, level), proportion_interval(successes_2, n_2, level)
    out = {"difference": math.nan, "low": math.nan, "high": math.nan, "distinguishable": False}
    if not (math.isfinite(a["share"]) and math.isfinite(b["share"])):
        return out
    d = a["share"] - b["share"]
    low = d - math.sqrt((a["share"] - a["low"]) ** 2 + (b["high"] - b["share"]) ** 2)
    high = d + math.sqrt((a["high"] - a["share"]) ** 2 + (b["share"] - b["low"]) ** 2)
    out.update(difference=d, low=low, high=high, distinguishable=bool(low > 0.0 or high < 0.0))
    return out
