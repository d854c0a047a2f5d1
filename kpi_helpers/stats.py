"""Statistics that are not one case's own: how far to trust a mean of few values.

What this module decides: the quantiles of Student's t distribution (exact for whole degrees of
freedom, no scipy) and the t-based confidence interval of a mean, as the notebooks use them for
average ratings (a VIP's 9 ratings against the restaurant's 500).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["t_quantile", "mean_interval"]


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
