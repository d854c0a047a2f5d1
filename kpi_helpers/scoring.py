"""The multi-criteria key-account score: which accounts look key, and why, criterion by criterion.

- the raw criteria per customer (:func:`account_features`, or :func:`features_from_sums` from sums
  already made): revenue, revenue share, revenue growth and the 1-5 judgement scores;
- the transparent weighted score (:func:`score_accounts`): each criterion normalised to 0..1, weighed,
  summed, with the missing criteria named;
- the 2 x 2 portfolio matrix (:func:`portfolio_matrix`): attractiveness against strength.

The criteria, default weights and quadrants are defined in :mod:`kpi_helpers.criteria`. THE key-account
rule that uses the score is :func:`kpi_helpers.accounts.key_accounts`; :mod:`kpi_helpers.accounts`
re-exports every public name of this module, so ``accounts.score_accounts`` keeps working. The
conventions of :mod:`kpi_helpers.accounts` hold here too.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import kpis
from ._frames import check_names, complete_months, prepare_transactions, require_columns, shares, sort_revenue
from .criteria import DEFAULT_WEIGHTS, QUADRANTS, SCORE_CRITERIA

__all__ = [
    "DEFAULT_WEIGHTS",
    "QUADRANTS",
    "SCORE_CRITERIA",
    "account_features",
    "features_from_sums",
    "portfolio_matrix",
    "score_accounts",
]


# ---------------------------------------------------------------------------------------------
# features and scoring
# ---------------------------------------------------------------------------------------------
def account_features(
    transactions: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    recent_months: int = 6,
    *,
    customer: str = "customer",
    amount: str = "amount",
    date: str = "date",
    date_range: tuple[Any, Any] | None = None,
) -> pd.DataFrame:
    """The raw criteria of the key-account score, one row per customer.

    - ``revenue``: total revenue over the data (currency);
    - ``revenue_share``: revenue / total revenue (ratio; NaN if the total is 0);
    - ``revenue_growth``: (R_recent - R_before) / R_before, where R_recent is the revenue in
      the last ``recent_months`` *complete* calendar months and R_before the revenue in the
      ``recent_months`` complete months just before them (ratio). NaN when R_before = 0 (a
      new customer: growth from nothing is undefined) or when the data has fewer than
      ``2 * recent_months`` complete months;
    - ``strategic_value``, ``growth_potential``, ``engagement``: the 1-5 judgement scores of
      the customers table; NaN where the table, the column or the customer's row is missing.

    Customers that appear only in the customers table get revenue 0.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Rows with customer, amount, date.
    customers : pandas.DataFrame, optional
        One row per customer with any of the score columns.
    recent_months : int
        Length of each of the two windows compared by ``revenue_growth``.
    customer, amount, date : str
        Column names (the customers table uses the same customer column name).
    date_range : (first, last), optional
        The data's date range (decides which months are complete). Default: from the data.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer``, sorted by revenue descending (ties by name).

    Examples
    --------
    >>> tx = pd.DataFrame({"date": ["2024-01-10", "2024-02-10", "2024-02-10", "2024-02-29"],
    ...                    "customer": ["A", "A", "B", "B"], "amount": [100.0, 150.0, 40.0, 10.0]})
    >>> cust = pd.DataFrame({"customer": ["A", "B"], "strategic_value": [2, 5]})
    >>> f = account_features(tx, cust, recent_months=1, date_range=("2024-01-01", "2024-02-29"))
    >>> f[["revenue", "revenue_share", "revenue_growth", "strategic_value"]]  # doctest: +NORMALIZE_WHITESPACE
              revenue  revenue_share  revenue_growth  strategic_value
    customer
    A           250.0       0.833333             0.5              2.0
    B            50.0       0.166667             NaN              5.0
    """
    if int(recent_months) != recent_months or recent_months < 1:
        raise ValueError(f"recent_months must be a whole number >= 1, got {recent_months!r}")
    recent_months = int(recent_months)
    tx = prepare_transactions(transactions, customer, amount, date)
    revenue = tx.groupby("customer", sort=False, observed=True)["amount"].sum().astype(float)
    complete = complete_months(tx, date_range)
    windows = None
    if len(complete) >= 2 * recent_months:
        recent = set(complete[-recent_months:])
        before = set(complete[-2 * recent_months : -recent_months])
        r_now = tx[tx["period"].isin(recent)].groupby("customer", observed=True)["amount"].sum()
        r_before = tx[tx["period"].isin(before)].groupby("customer", observed=True)["amount"].sum()
        windows = (r_now, r_before)
    return features_from_sums(revenue, windows, customers, customer)


def features_from_sums(revenue: pd.Series, windows: tuple[pd.Series, pd.Series] | None,
                       customers: pd.DataFrame | None, customer: str = "customer") -> pd.DataFrame:
    """:func:`account_features` from sums already made.

    ``revenue``: total per customer; ``windows``: revenue per customer in the recent and in the
    earlier window (customers without sales there may be left out), or None when there are fewer
    than ``2 * recent_months`` complete months. ``kpi_helpers.cases`` calls this with the sums of its
    one grouping of the log, so a notebook and ``kpi-cases kpis`` never group it again.
    """
    scores = None
    if customers is not None:
        require_columns(customers, [customer], "customers table")
        ids = customers[customer]
        if ids.duplicated().any():
            dups = ids[ids.duplicated()].unique().tolist()[:5]
            raise ValueError(f"customers table lists customer(s) {dups} more than once; keep one row per customer")
        scores = pd.DataFrame(index=pd.Index(ids.to_numpy(), name="customer"))
        for col in SCORE_CRITERIA:
            if col in customers.columns:
                scores[col] = pd.to_numeric(customers[col], errors="coerce").astype(float).to_numpy()
        scores = scores[scores.index.notna()]
        extra = scores.index[revenue.index.get_indexer(scores.index) < 0].tolist()
        if extra:
            revenue = pd.concat([revenue, pd.Series(0.0, index=pd.Index(extra, dtype=revenue.index.dtype))])
    revenue.index.name = "customer"
    revenue = sort_revenue(revenue)
    out = pd.DataFrame(index=revenue.index)
    out["revenue"] = revenue
    out["revenue_share"] = shares(revenue)

    growth = pd.Series(np.nan, index=out.index, dtype=float)
    if windows is not None:
        r_now, r_before = windows
        r_now = r_now.reindex(out.index, fill_value=0.0).astype(float)
        r_before = r_before.reindex(out.index, fill_value=0.0).astype(float)
        growth = pd.Series(np.asarray(kpis.growth(r_now, r_before), dtype=float), index=out.index)
        growth = growth.where(np.isfinite(growth))
    out["revenue_growth"] = growth
    for col in SCORE_CRITERIA:
        if scores is not None and col in scores.columns:
            out[col] = scores[col].reindex(out.index).astype(float)
        else:
            out[col] = np.nan
    return out


def _features_indexed(features: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(features, pd.DataFrame):
        raise TypeError(f"features must be a pandas DataFrame, got {type(features).__name__}")
    if "customer" in features.columns:
        return features.set_index("customer")
    out = features.copy()
    out.index.name = "customer"
    return out


def _normalise_criterion(name: str, values: pd.Series) -> pd.Series:
    """Map one criterion to 0..1 (NaN stays NaN).

    1-5 scores (SCORE_CRITERIA): (x - 1) / 4, clipped to 0..1. Other criteria: min-max over
    customers, (x - min) / (max - min); if every customer has the same value the criterion
    cannot tell them apart and all get 0.5.
    """
    x = pd.to_numeric(values, errors="coerce").astype(float).to_numpy(dtype=float, copy=True)
    x[~np.isfinite(x)] = np.nan
    valid = ~np.isnan(x)
    if name in SCORE_CRITERIA:
        out = np.clip((x - 1.0) / 4.0, 0.0, 1.0)
    elif not valid.any():
        out = x
    else:
        lo, hi = x[valid].min(), x[valid].max()
        out = np.where(valid, 0.5, np.nan) if hi == lo else (x - lo) / (hi - lo)
    # arrays, wrapped once: pandas would rebuild the customer index's lookup table at every step
    return pd.Series(out, index=values.index, name=values.name)


def _check_weights(weights: Mapping[str, float], known: Sequence[str]) -> dict[str, float]:
    if not isinstance(weights, Mapping) or not weights:
        raise ValueError("weights must be a non-empty mapping criterion -> weight, e.g. DEFAULT_WEIGHTS")
    unknown = [k for k in weights if k not in known]
    if unknown:
        raise ValueError(f"unknown weight name(s) {unknown}; known criteria are {list(known)}")
    clean: dict[str, float] = {}
    for k, w in weights.items():
        try:
            w = float(w)
        except (TypeError, ValueError):
            raise ValueError(f"weight for {k!r} must be a number, got {w!r}") from None
        if not math.isfinite(w):
            raise ValueError(f"weight for {k!r} must be a finite number, got {w!r}")
        if w < 0:
            raise ValueError(f"weight for {k!r} is negative ({w}); weights must be >= 0")
        clean[k] = w
    total = sum(clean.values())
    if total <= 0:
        raise ValueError("weights are all zero; give at least one criterion a positive weight")
    return {k: w / total for k, w in clean.items()}


def _known_criteria(features: pd.DataFrame) -> list[str]:
    known = list(DEFAULT_WEIGHTS)
    for col in features.columns:
        dtype = features[col].dtype
        if col not in known and pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            known.append(str(col))
    return known


def _normalised_criteria(features: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    out = pd.DataFrame(index=features.index)
    for c in names:
        col = features[c] if c in features.columns else pd.Series(np.nan, index=features.index)
        out[c] = _normalise_criterion(c, col)
    return out


def _missing_text(norm: pd.DataFrame) -> pd.Series:
    names = list(norm.columns)
    isna = norm.isna().to_numpy()
    if len(names) > 60:  # more criteria than bits: row by row
        return pd.Series(
            [", ".join(n for n, m in zip(names, row) if m) for row in isna], index=norm.index, dtype="str"
        )
    # one text per pattern of missing criteria (a handful), not one per customer
    bits = isna.astype(np.int64) @ (np.int64(1) << np.arange(len(names), dtype=np.int64))
    patterns, inverse = np.unique(bits, return_inverse=True)
    texts = np.array([", ".join(n for j, n in enumerate(names) if (int(p) >> j) & 1) for p in patterns],
                     dtype=object)
    return pd.Series(texts[inverse.ravel()] if len(texts) else [], index=norm.index, dtype="str")


def score_accounts(
    features: pd.DataFrame, weights: Mapping[str, float] = DEFAULT_WEIGHTS
) -> pd.DataFrame:
    """A transparent weighted score: which accounts are key, and why.

    For every criterion named in ``weights``:

    1. **normalise** to 0..1 (column ``<criterion>_norm``): 1-5 judgement scores
       (``strategic_value``, ``growth_potential``, ``engagement``) as (x - 1) / 4; every other
       criterion min-max over the customers, (x - min) / (max - min) (0.5 for all if every
       customer has the same value). A missing value (NaN) counts as 0 and is named in the
       ``missing`` column, so a blank never silently helps an account;
    2. **weigh**: contribution = weight x normalised (column ``<criterion>_contrib``), with the
       weights first divided by their sum so that they add up to 1.

    score = sum of the contributions (0..1); rank 1 is the best. Reading one row left to right
    shows why that account scored as it did.

    Parameters
    ----------
    features : pandas.DataFrame
        One row per customer, indexed by customer (or with a ``customer`` column), e.g. from
        :func:`account_features`.
    weights : mapping
        Criterion -> weight (>= 0, not all 0). Criteria are the keys of ``DEFAULT_WEIGHTS`` and
        any other numeric column of ``features``. A default criterion absent from ``features``
        counts as missing for every customer.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer; columns ``revenue`` (when ``features`` has it), then
        ``<c>_norm`` and ``<c>_contrib`` per criterion, ``score``, ``rank`` and ``missing``.
        Sorted by score descending, ties by name ascending. ``attrs["weights"]`` holds the
        normalised weights.

    Raises
    ------
    ValueError
        Unknown criterion names (the message lists the known ones), negative, non-finite or
        all-zero weights.

    Examples
    --------
    >>> f = pd.DataFrame({"revenue_share": [0.7, 0.3], "strategic_value": [2, 5]},
    ...                  index=pd.Index(["A", "B"], name="customer"))
    >>> s = score_accounts(f, {"revenue_share": 3, "strategic_value": 1})
    >>> s[["revenue_share_contrib", "strategic_value_contrib", "score", "rank"]]  # doctest: +NORMALIZE_WHITESPACE
              revenue_share_contrib  strategic_value_contrib   score  rank
    customer
    A                          0.75                   0.0625  0.8125     1
    B                          0.00                   0.2500  0.2500     2
    """
    feats = _features_indexed(features)
    known = _known_criteria(feats)
    w = _check_weights(weights, known)
    norm = _normalised_criteria(feats, list(w))
    out = pd.DataFrame(index=feats.index)
    if "revenue" in feats.columns:
        out["revenue"] = pd.to_numeric(feats["revenue"], errors="coerce").astype(float)
    score = pd.Series(0.0, index=feats.index)
    for c, wc in w.items():
        contrib = (norm[c] * wc).fillna(0.0)
        out[f"{c}_norm"] = norm[c]
        out[f"{c}_contrib"] = contrib
        score = score + contrib
    out["score"] = score
    out["missing"] = _missing_text(norm)
    out = _sort_by(out, "score")
    out.insert(out.columns.get_loc("missing"), "rank", np.arange(1, len(out) + 1, dtype="int64"))
    out.index.name = "customer"
    out.attrs = {}
    out.attrs["weights"] = dict(w)
    return out


def _sort_by(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Sort by ``column`` descending, ties by index (customer name) ascending, NaN last."""
    if isinstance(frame.index.dtype, pd.StringDtype) and "customer" not in frame.columns:
        try:  # text names (the usual case): one lexsort on arrays, same order as the sort below
            key = frame[column].to_numpy(dtype=float)
            rank = np.empty(len(frame), dtype=np.intp)
            rank[frame.index.argsort()] = np.arange(len(frame))
            out = frame.iloc[np.lexsort((rank, -key))]
            out.index = out.index.rename("customer")
            return out
        except (TypeError, ValueError):
            pass
    tmp = frame.copy()
    tmp.index.name = "customer"
    tmp = tmp.reset_index()
    tmp = tmp.sort_values([column, "customer"], ascending=[False, True], kind="stable", na_position="last")
    return tmp.set_index("customer")


def portfolio_matrix(
    features: pd.DataFrame,
    attractiveness: Sequence[str] = ("growth_potential", "strategic_value"),
    strength: Sequence[str] = ("revenue_share", "engagement"),
    threshold: float = 0.5,
) -> pd.DataFrame:
    """Place each account in a 2 x 2 portfolio matrix.

    - attractiveness = mean of the normalised ``attractiveness`` criteria (how much the account
      could be worth to us);
    - strength = mean of the normalised ``strength`` criteria (how strong our position with the
      account already is).

    Criteria are normalised as in :func:`score_accounts`; a missing value counts as 0 and is
    named in the ``missing`` column. High means ``>= threshold``.

    ======================  =================  ====================
    quadrant                attractiveness     strength
    ======================  =================  ====================
    ``"key account"``       high               high
    ``"develop"``           high               low
    ``"maintain"``          low                high
    ``"efficiency"``        low                low
    ======================  =================  ====================

    Parameters
    ----------
    features : pandas.DataFrame
        One row per customer (e.g. from :func:`account_features`).
    attractiveness, strength : sequence of str
        Criterion names (at least one each).
    threshold : float
        Boundary between low and high, 0..1.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer, columns ``attractiveness``, ``strength``, ``quadrant``,
        ``missing``; same order as ``features``.

    Examples
    --------
    >>> f = pd.DataFrame({"revenue_share": [0.6, 0.3, 0.1], "growth_potential": [2, 5, 1],
    ...                   "strategic_value": [3, 5, 1], "engagement": [5, 2, 1]},
    ...                  index=pd.Index(["A", "B", "C"], name="customer"))
    >>> portfolio_matrix(f)["quadrant"].tolist()
    ['maintain', 'develop', 'efficiency']
    """
    if not 0 <= threshold <= 1:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold!r}")
    if isinstance(attractiveness, str):
        attractiveness = [attractiveness]
    if isinstance(strength, str):
        strength = [strength]
    if not attractiveness or not strength:
        raise ValueError("attractiveness and strength each need at least one criterion")
    feats = _features_indexed(features)
    known = _known_criteria(feats)
    check_names(list(attractiveness) + list(strength), known, "criterion name(s)")
    names = list(dict.fromkeys(list(attractiveness) + list(strength)))
    norm = _normalised_criteria(feats, names)
    attr = norm[list(attractiveness)].fillna(0.0).mean(axis=1)
    stren = norm[list(strength)].fillna(0.0).mean(axis=1)
    high_a = (attr >= threshold).to_numpy()
    high_s = (stren >= threshold).to_numpy()
    quadrant = np.where(
        high_a, np.where(high_s, "key account", "develop"), np.where(high_s, "maintain", "efficiency")
    )
    out = pd.DataFrame(
        {
            "attractiveness": attr.astype(float),
            "strength": stren.astype(float),
            "quadrant": pd.array(quadrant.tolist(), dtype="str"),
            "missing": _missing_text(norm),
        },
        index=feats.index,
    )
    out.index.name = "customer"
    return out
