"""Key-account analysis: who matters, and why.

A *key account* is one specific customer that matters disproportionately. This module
answers "which ones?" with numbers a student can check by hand:

- revenue per customer and each customer's share of the total
  (:func:`revenue_by_customer`, :func:`revenue_share`);
- the Pareto / ABC split (:func:`pareto_table`, :func:`abc_counts`);
- how concentrated the customer base is (:func:`concentration`, :func:`hhi_band`,
  :func:`major_customers`);
- THE key-account rule (:func:`key_accounts`): the largest account, the major ones and the
  best-scored one;
- KPIs tracked for one account (:func:`monthly_revenue_by_account`, :func:`account_kpis`).

The transparent weighted score that shows *why* an account is key, not only revenue
(:func:`account_features`, :func:`score_accounts`, :func:`portfolio_matrix`) is computed in
:mod:`kpi_helpers.scoring` and re-exported here, so ``accounts.score_accounts`` is the same function.

Conventions (shared by every function here)
-------------------------------------------
- Inputs are tidy frames with the canonical columns ``customer``, ``amount`` and ``date``
  (names can be changed with keyword arguments) or a revenue Series indexed by customer.
- Shares and rates are ratios of sums; an undefined ratio (zero denominator) is NaN, never
  ``inf`` and never an exception.
- Customers are ordered by revenue, largest first; ties are broken by customer name
  ascending, so every ordering is deterministic.
- Functions are pure: they never modify the frames or Series they are given.
- Months are calendar months written ``"YYYY-MM"``. A month that the data's date range (first
  to last date) does not cover entirely is *partial*; growth figures use complete months only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import kpis
from ._frames import (check_names, complete_months, log_months, prepare_transactions, require_columns, shares,
                      sort_revenue)
from .kpis import Values
from .scoring import (DEFAULT_WEIGHTS, QUADRANTS, SCORE_CRITERIA, account_features, features_from_sums,
                      portfolio_matrix, score_accounts)

__all__ = [
    "ABC_CLASSES",
    "abc_a_summary",
    "DEFAULT_WEIGHTS",
    "HHI_BANDS_2010",
    "HHI_BANDS_2023",
    "LARGE_CUSTOMER_BASE",
    "QUADRANTS",
    "SCORE_CRITERIA",
    "TOLERANCE",
    "abc_counts",
    "account_features",
    "account_kpis",
    "concentration",
    "features_from_sums",
    "hhi_band",
    "KEY_ACCOUNT_REASONS",
    "concentration_kpis",
    "key_accounts",
    "major_customers",
    "monthly_revenue_by_account",
    "pareto_table",
    "portfolio_matrix",
    "revenue_by_customer",
    "revenue_share",
    "score_accounts",
]


#: Tolerance used when comparing cumulative shares with a threshold, so that a share that is
#: 0.8 on paper but 0.7999999999999999 in floating point still "reaches" 80 %.
TOLERANCE = 1e-9

ABC_CLASSES = ("A", "B", "C")

#: Above this many customers with revenue a base is "large": single customers matter little, a
#: Pareto bar chart of the top few says nothing (a share curve does), and key-account management
#: applies to segments (ABC class A). Used by the notebooks' text and figures alike.
LARGE_CUSTOMER_BASE = 50

#: HHI cut points of the 2010 US DOJ/FTC Horizontal Merger Guidelines (section 5.3):
#: below 1,500 unconcentrated, 1,500-2,500 moderately concentrated, above 2,500 highly
#: concentrated.
HHI_BANDS_2010 = (1500.0, 2500.0)
#: HHI cut points of the 2023 DOJ/FTC Merger Guidelines, the default: above 1,800 is highly
#: concentrated; 1,000-1,800 moderately and below 1,000 unconcentrated (the names of the 1992
#: guidelines, which used the same 1,800 line; the 2023 text defines no lower band).
HHI_BANDS_2023 = (1000.0, 1800.0)

_PARETO_COLUMNS = ["customer", "revenue", "share", "cum_share", "rank", "cum_customer_share", "abc_class"]


# ---------------------------------------------------------------------------------------------
# small private helpers
# ---------------------------------------------------------------------------------------------
def _as_revenue(revenue: pd.Series | Mapping[Any, float]) -> pd.Series:
    """A sorted float copy of a revenue Series (NaN revenue counts as 0)."""
    if isinstance(revenue, Mapping):
        revenue = pd.Series(dict(revenue), dtype=float)
    if not isinstance(revenue, pd.Series):
        raise TypeError(
            "revenue must be a pandas Series indexed by customer (see revenue_by_customer), "
            f"got {type(revenue).__name__}"
        )
    if revenue.index.has_duplicates:
        dups = revenue.index[revenue.index.duplicated()].unique().tolist()[:5]
        raise ValueError(
            f"revenue has duplicate customers {dups}; sum them first with revenue_by_customer()"
        )
    values = pd.to_numeric(revenue, errors="raise").astype(float).fillna(0.0)
    return sort_revenue(values)


# ---------------------------------------------------------------------------------------------
# revenue and shares
# ---------------------------------------------------------------------------------------------
def revenue_by_customer(
    df: pd.DataFrame, customer: str = "customer", amount: str = "amount"
) -> pd.Series:
    """Total revenue per customer, largest first.

    Formula: revenue_c = sum of ``amount`` over the rows of customer c. Unit: currency.

    Rows without a customer (empty id, e.g. an unknown restaurant guest) are left out: they
    cannot be an account. Missing amounts count as 0. Credit notes (negative amounts) are
    netted, so a customer can end with revenue <= 0; it is still listed.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy rows with a customer column and an amount column.
    customer, amount : str
        Column names.

    Returns
    -------
    pandas.Series
        Name ``"revenue"``, index named ``"customer"``, float values, sorted by revenue
        descending and ties by customer name ascending.

    Examples
    --------
    >>> df = pd.DataFrame({"customer": ["B", "A", "B", "C"], "amount": [10, 30, 20, 5]})
    >>> revenue_by_customer(df)
    customer
    A    30.0
    B    30.0
    C     5.0
    Name: revenue, dtype: float64
    """
    require_columns(df, [customer, amount])
    amounts = pd.to_numeric(df[amount], errors="raise").astype(float)
    rev = amounts.groupby(df[customer], sort=False, dropna=True, observed=True).sum()
    rev.index.name = "customer"
    return sort_revenue(rev.astype(float))


def revenue_share(revenue: pd.Series) -> pd.Series:
    """Each customer's share of total revenue.

    Formula: share_c = revenue_c / sum of all revenue. Unit: ratio (fraction, 0.25 = 25 %).
    Undefined (NaN for every customer) when the total is 0.

    Parameters
    ----------
    revenue : pandas.Series
        Revenue indexed by customer (e.g. from :func:`revenue_by_customer`).

    Returns
    -------
    pandas.Series
        Same index and order as ``revenue``, name ``"revenue_share"``.

    Examples
    --------
    >>> revenue_share(pd.Series({"A": 60.0, "B": 30.0, "C": 10.0})).tolist()
    [0.6, 0.3, 0.1]
    >>> revenue_share(pd.Series({"A": 0.0, "B": 0.0})).tolist()
    [nan, nan]
    """
    if not isinstance(revenue, pd.Series):
        raise TypeError(f"revenue must be a pandas Series, got {type(revenue).__name__}")
    values = pd.to_numeric(revenue, errors="raise").astype(float)
    out = shares(values)
    out.name = "revenue_share"
    return out


# ---------------------------------------------------------------------------------------------
# Pareto / ABC
# ---------------------------------------------------------------------------------------------
def abc_a_summary(pareto: pd.DataFrame) -> tuple[int, int, float]:
    """(customers in ABC class A, customers with revenue > 0, class A's share of revenue).

    ``pareto`` is :func:`pareto_table`'s result; the base is the customers with revenue > 0.

    >>> p = pd.DataFrame({"customer": ["x", "y", "z"], "revenue": [80.0, 15.0, 0.0],
    ...                   "share": [80 / 95, 15 / 95, 0.0], "abc_class": ["A", "B", "C"]})
    >>> n_a, n, share = abc_a_summary(p); (n_a, n, round(share, 3))
    (1, 2, 0.842)
    """
    positive = pareto[pd.to_numeric(pareto["revenue"], errors="coerce").fillna(0.0) > 0]
    in_a = positive[positive["abc_class"].astype(str) == "A"]
    share = float(in_a["share"].sum()) if len(in_a) else math.nan
    return len(in_a), len(positive), share


def pareto_table(revenue: pd.Series, a: float = 0.80, b: float = 0.95) -> pd.DataFrame:
    """The Pareto (ABC) table: customers by revenue with cumulative shares and classes.

    Customers are sorted by revenue (largest first, ties by name). Walking down the list:

    - class **A**: every customer up to *and including* the one whose cumulative share first
      reaches ``a`` (80 % by default);
    - class **B**: the following customers up to and including the one whose cumulative share
      first reaches ``b`` (95 %); it is empty when an A customer already reaches ``b``;
    - class **C**: the rest.

    Customers with revenue <= 0 are listed but always class C (they add nothing). A cumulative
    share within 1e-9 of the threshold counts as reaching it (floating-point sums).

    Zero (or negative) total revenue: there is nothing to split, so ``share`` and
    ``cum_share`` are NaN (zero total) and every customer is class C.

    Parameters
    ----------
    revenue : pandas.Series
        Revenue indexed by customer. NaN revenue counts as 0.
    a, b : float
        Class thresholds as fractions, ``0 < a < b <= 1``.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer, revenue, share, cum_share, rank, cum_customer_share, abc_class``;
        ``rank`` is 1 for the largest customer; ``cum_customer_share`` = rank / number of
        customers (the x axis of a Pareto curve).

    Raises
    ------
    ValueError
        If the thresholds are not ``0 < a < b <= 1``.

    Examples
    --------
    >>> rev = pd.Series({"A": 50.0, "B": 30.0, "C": 15.0, "D": 5.0})
    >>> pareto_table(rev)[["customer", "cum_share", "abc_class"]]
      customer  cum_share abc_class
    0        A       0.50         A
    1        B       0.80         A
    2        C       0.95         B
    3        D       1.00         C
    """
    try:
        ok = 0 < a < b <= 1
    except TypeError:
        ok = False
    if not ok:
        raise ValueError(
            f"ABC thresholds must satisfy 0 < a < b <= 1 (fractions, e.g. a=0.8, b=0.95); got a={a!r}, b={b!r}"
        )
    rev = _as_revenue(revenue)
    n = len(rev)
    if n == 0:
        return pd.DataFrame(
            {
                "customer": pd.Series([], dtype=rev.index.dtype),
                "revenue": pd.Series([], dtype=float),
                "share": pd.Series([], dtype=float),
                "cum_share": pd.Series([], dtype=float),
                "rank": pd.Series([], dtype="int64"),
                "cum_customer_share": pd.Series([], dtype=float),
                "abc_class": pd.Series([], dtype="str"),
            }
        )
    values = rev.to_numpy(dtype=float)
    total = float(values.sum())
    share = shares(rev).to_numpy(dtype=float)
    cum = np.cumsum(share) if total != 0 else np.full(n, np.nan)
    rank = np.arange(1, n + 1)
    classes = np.full(n, "C", dtype=object)
    if total > 0:
        reached_a = np.flatnonzero(cum >= a - TOLERANCE)
        reached_b = np.flatnonzero(cum >= b - TOLERANCE)
        last_a = int(reached_a[0]) if len(reached_a) else n - 1
        last_b = int(reached_b[0]) if len(reached_b) else n - 1
        last_b = max(last_b, last_a)
        classes[: last_a + 1] = "A"
        classes[last_a + 1 : last_b + 1] = "B"
        classes[values <= 0] = "C"
    return pd.DataFrame(
        {
            "customer": rev.index.array if isinstance(rev.index.dtype, pd.StringDtype) else rev.index.to_numpy(),
            "revenue": values,
            "share": share,
            "cum_share": cum,
            "rank": rank.astype("int64"),
            "cum_customer_share": rank / n,
            "abc_class": pd.array(classes, dtype="str"),
        }
    )


def abc_counts(pareto: pd.DataFrame) -> dict[str, int]:
    """Number of customers in each ABC class.

    Parameters
    ----------
    pareto : pandas.DataFrame
        Output of :func:`pareto_table` (needs the ``abc_class`` column).

    Returns
    -------
    dict
        ``{"A": n_A, "B": n_B, "C": n_C}`` (plain ints, zero for an empty class).
        ``abc_counts(...)["A"]`` is the KPI ``abc_a_count``.

    Examples
    --------
    >>> abc_counts(pareto_table(pd.Series({"A": 50.0, "B": 30.0, "C": 15.0, "D": 5.0})))
    {'A': 2, 'B': 1, 'C': 1}
    """
    require_columns(pareto, ["abc_class"], "pareto table")
    counts = pareto["abc_class"].value_counts()
    return {k: int(counts.get(k, 0)) for k in ABC_CLASSES}


# ---------------------------------------------------------------------------------------------
# concentration
# ---------------------------------------------------------------------------------------------
def hhi_band(hhi_value: float | None, cuts: tuple[float, float] = HHI_BANDS_2023) -> str:
    """Name the concentration band of a Herfindahl-Hirschman index (0..10,000).

    The default cut points follow the **2023 US DOJ/FTC Merger Guidelines**, which call a
    market with an HHI above 1,800 highly concentrated; 1,000-1,800 is "moderately concentrated"
    and below 1,000 "unconcentrated", as the 1992 guidelines that used the same 1,800 line named
    them (the 2023 text defines no lower band). The **2010 Horizontal Merger Guidelines** bands
    (1,500 / 2,500) stay available: ``cuts=HHI_BANDS_2010``. The guidelines judge markets
    (sellers' shares); applied to one firm's customer base the bands are an analogy that tells
    how dependent the firm is on a few buyers.

    Parameters
    ----------
    hhi_value : float or None
        The index, e.g. from :func:`concentration`.
    cuts : (low, high)
        Values below ``low`` are unconcentrated; ``low``..``high`` (both included) moderately
        concentrated; above ``high`` highly concentrated. Requires ``low <= high``.

    Returns
    -------
    str
        ``"unconcentrated"``, ``"moderately concentrated"``, ``"highly concentrated"``, or
        ``"n/a"`` when the value is missing (None/NaN).

    Examples
    --------
    >>> hhi_band(2600)
    'highly concentrated'
    >>> hhi_band(2000), hhi_band(2000, cuts=HHI_BANDS_2010)
    ('highly concentrated', 'moderately concentrated')
    >>> hhi_band(float("nan"))
    'n/a'
    """
    low, high = (float(c) for c in cuts)
    if not low <= high:
        raise ValueError(f"HHI cut points must be (low, high) with low <= high, got {cuts!r}")
    if hhi_value is None:
        return "n/a"
    value = float(hhi_value)
    if math.isnan(value):
        return "n/a"
    if value < low:
        return "unconcentrated"
    if value <= high:
        return "moderately concentrated"
    return "highly concentrated"


def major_customers(revenue: pd.Series, threshold: float = 0.10) -> list[Any]:
    """Customers whose revenue share is at least ``threshold`` (10 % by default).

    Many accounting standards call a customer with 10 % or more of revenue a *major customer*
    (IFRS 8.34 asks firms to disclose reliance on them). A share within 1e-9 of the threshold
    counts as reaching it. Empty when total revenue is 0.

    Parameters
    ----------
    revenue : pandas.Series
        Revenue indexed by customer.
    threshold : float
        Share as a fraction, ``0 < threshold <= 1``.

    Returns
    -------
    list
        Customer names, largest revenue first (ties by name).

    Examples
    --------
    >>> major_customers(pd.Series({"A": 70.0, "B": 20.0, "C": 10.0, "D": 0.0}))
    ['A', 'B', 'C']
    >>> major_customers(pd.Series({"A": 70.0, "B": 20.0, "C": 10.0}), threshold=0.2)
    ['A', 'B']
    """
    try:
        ok = 0 < threshold <= 1
    except TypeError:
        ok = False
    if not ok:
        raise ValueError(f"threshold must be a fraction with 0 < threshold <= 1, got {threshold!r}")
    rev = _as_revenue(revenue)
    share = shares(rev)
    return rev.index[(share >= threshold - TOLERANCE).to_numpy()].tolist()


def concentration_kpis(revenue: Values, a: float = 0.80) -> dict[str, float]:
    """The four concentration KPIs of the KPI table, by THE concentration rule.

    Over the customer base of :func:`kpis.concentration_base` (customers with revenue > 0 in
    the period, shares of their sum):

    - ``top_customer_share`` = largest R_i / sum R_i;
    - ``top20_share`` = revenue of the top ceil(20 % of customers) / sum R_i;
    - ``hhi`` = sum of (100 x share_i)^2, 0..10,000;
    - ``abc_a_count`` = customers in class A: largest first, those up to and including the one
      whose cumulative share first reaches ``a`` (80 %), as in :func:`pareto_table`.

    All NaN when no customer has revenue > 0. ``revenue`` is a Series or array of revenue per
    customer (order and index do not matter).

    Examples
    --------
    >>> k = concentration_kpis(pd.Series({"A": 30.0, "B": 30.0, "C": 20.0, "D": 20.0, "E": 0.0}))
    >>> round(k["hhi"]), k["top_customer_share"], k["top20_share"], k["abc_a_count"]
    (2600, 0.3, 0.3, 3.0)
    """
    values = revenue.to_numpy(dtype=float) if isinstance(revenue, pd.Series) else revenue
    base = kpis.concentration_base(values)
    if len(base) == 0:
        return {"top_customer_share": math.nan, "top20_share": math.nan, "hhi": math.nan, "abc_a_count": math.nan}
    share = base / float(base.sum())
    reached = np.flatnonzero(np.cumsum(share) >= a - TOLERANCE)
    return {
        "top_customer_share": float(kpis.top_customer_share(base)),
        "top20_share": float(kpis.top20_share(base)),
        "hhi": float(kpis.hhi(share)),
        "abc_a_count": float(reached[0] + 1 if len(reached) else len(share)),
    }


def concentration(
    revenue: pd.Series,
    top_n: int = 3,
    threshold: float = 0.10,
    hhi_cuts: tuple[float, float] = HHI_BANDS_2023,
) -> dict[str, Any]:
    """How dependent is the business on a few customers?

    The concentration figures follow THE concentration rule (:func:`kpis.concentration_base`):
    they are computed over the customers with revenue > 0 in ``revenue`` (pass the customers of
    the period you study), as shares of their sum; customers with zero revenue or only credit
    notes are not part of the customer base. The same figures appear in the KPI table
    (:func:`concentration_kpis`).

    - ``n_customers`` = customers with revenue > 0;
    - ``total`` = their revenue;
    - ``top_customer_share`` = largest customer's revenue / total (KPI ``top_customer_share``);
    - ``top_n_share`` = revenue of the ``top_n`` largest / total;
    - ``top20_share`` = revenue of the top ceil(20 % of customers) / total (KPI ``top20_share``);
    - ``hhi`` = sum over customers of (share in %)^2, 0..10,000 (KPI ``hhi``); 10,000 / N for N
      equal customers, 10,000 for a single one;
    - ``hhi_band`` from :func:`hhi_band` with ``hhi_cuts`` (2023 US guidelines by default);
    - ``major_customers`` from :func:`major_customers` with ``threshold``.

    Shares and HHI are NaN when no customer has revenue > 0.

    Parameters
    ----------
    revenue : pandas.Series
        Revenue indexed by customer.
    top_n : int
        How many of the largest customers ``top_n_share`` adds up.
    threshold : float
        Major-customer share threshold.
    hhi_cuts : (low, high)
        Cut points for :func:`hhi_band` (:data:`HHI_BANDS_2023` by default).

    Returns
    -------
    dict
        Keys ``n_customers, total, top_customer, top_customer_share, top_n, top_n_share,
        top20_share, hhi, hhi_band, major_customers``. ``top_customer`` is None when no
        customer has revenue > 0.

    Examples
    --------
    >>> c = concentration(pd.Series({"A": 30.0, "B": 30.0, "C": 20.0, "D": 20.0, "E": 0.0}), top_n=2)
    >>> round(c["hhi"]), c["hhi_band"], c["top_customer"], c["top_n_share"], c["n_customers"]
    (2600, 'highly concentrated', 'A', 0.6, 4)
    """
    if int(top_n) != top_n or top_n < 1:
        raise ValueError(f"top_n must be a whole number >= 1, got {top_n!r}")
    rev = _as_revenue(revenue)
    base = rev[rev > 0]
    figures = concentration_kpis(base)
    return {
        "n_customers": int(len(base)),
        "total": float(base.sum()),
        "top_customer": base.index[0] if len(base) else None,
        "top_customer_share": figures["top_customer_share"],
        "top_n": int(top_n),
        "top_n_share": float(kpis.top_n_share(base.to_numpy(dtype=float), int(top_n))),
        "top20_share": figures["top20_share"],
        "hhi": figures["hhi"],
        "hhi_band": hhi_band(figures["hhi"], hhi_cuts),
        "major_customers": major_customers(rev, threshold),
    }


# ---------------------------------------------------------------------------------------------
# monthly revenue per account
# ---------------------------------------------------------------------------------------------
def monthly_revenue_by_account(
    df: pd.DataFrame,
    accounts: Sequence[Any] | None = None,
    *,
    customer: str = "customer",
    amount: str = "amount",
    date: str = "date",
    date_range: tuple[Any, Any] | None = None,
    complete_only: bool = False,
) -> pd.DataFrame:
    """Revenue per calendar month (rows) and account (columns).

    Every month from the first to the last date is a row, months without sales are 0.

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions with customer, amount and date columns (dates as datetimes or ISO text).
    accounts : sequence, optional
        The accounts to show, in this column order. Default: every customer, largest total
        revenue first (ties by name). An unknown name raises ValueError.
    customer, amount, date : str
        Column names.
    date_range : (first, last), optional
        The data's date range, used to decide which months exist and which are partial.
        Default: first and last date of ``df``.
    complete_only : bool
        Drop partial months (see :func:`kpi_helpers.periods.month_table`).

    Returns
    -------
    pandas.DataFrame
        Index ``period`` ("YYYY-MM", ascending), columns named ``customer``; attribute
        ``attrs["partial"]`` lists the partial months.

    Examples
    --------
    >>> df = pd.DataFrame({"date": ["2024-01-01", "2024-01-20", "2024-03-31"],
    ...                    "customer": ["A", "B", "A"], "amount": [10.0, 5.0, 30.0]})
    >>> monthly_revenue_by_account(df)  # doctest: +NORMALIZE_WHITESPACE
    customer     A    B
    period
    2024-01   10.0  5.0
    2024-02    0.0  0.0
    2024-03   30.0  0.0
    """
    tx = prepare_transactions(df, customer, amount, date)
    return _monthly_matrix(tx, accounts, date_range, complete_only)


def _monthly_matrix(
    tx: pd.DataFrame, accounts: Sequence[Any] | None, date_range: tuple[Any, Any] | None, complete_only: bool
) -> pd.DataFrame:
    months = log_months(tx, date_range)
    totals = tx.groupby("customer", sort=False, observed=True)["amount"].sum()
    order = sort_revenue(totals.astype(float)).index.tolist()
    if accounts is None:
        cols = order
    else:
        if isinstance(accounts, str):
            accounts = [accounts]
        cols = check_names(accounts, order, "account(s)")
    table = tx.pivot_table(
        index="period", columns="customer", values="amount", aggfunc="sum", fill_value=0.0, observed=True
    )
    periods = months["period"].tolist()
    table = table.reindex(index=periods, columns=cols, fill_value=0.0).astype(float)
    if complete_only:
        table = table.loc[months.loc[~months["partial"], "period"].tolist()]
    table.index.name = "period"
    table.columns.name = "customer"
    table.attrs = {}
    table.attrs["partial"] = [p for p in months.loc[months["partial"], "period"] if p in table.index]
    return table


def account_kpis(
    df: pd.DataFrame,
    account: Any,
    *,
    customer: str = "customer",
    amount: str = "amount",
    date: str = "date",
    date_range: tuple[Any, Any] | None = None,
) -> dict[str, Any]:
    """KPIs tracked for one key account.

    - ``revenue``: the account's revenue over all the data (currency);
    - ``revenue_share``: account revenue / total revenue of all customers (ratio; NaN if the
      total is 0);
    - ``mom_growth``: (R_t - R_t-1) / R_t-1 for the last *complete* month t against the month
      before (ratio; NaN with fewer than two complete months or R_t-1 = 0);
    - ``cmgr``: (R_last / R_first)^(1/n) - 1 over the complete months, n = months between first
      and last (ratio; NaN if R_first <= 0 or fewer than two complete months).

    Growth figures use :func:`kpis.mom_growth` and :func:`kpis.cmgr_from_series` on the
    account's monthly revenue (months without sales count as 0).

    Parameters
    ----------
    df : pandas.DataFrame
        Transactions of *all* customers (needed for the share).
    account : str
        The account's name, verbatim.
    customer, amount, date : str
        Column names.
    date_range : (first, last), optional
        The data's date range (decides which months are complete). Default: from ``df``.

    Returns
    -------
    dict
        ``account, revenue, revenue_share, mom_growth, cmgr, last_complete_month`` (None if
        none) and ``complete_months`` (int).

    Examples
    --------
    >>> df = pd.DataFrame({"date": ["2024-01-05", "2024-02-10", "2024-03-15", "2024-03-31"],
    ...                    "customer": ["A", "A", "A", "B"], "amount": [100.0, 110.0, 121.0, 69.0]})
    >>> k = account_kpis(df, "A", date_range=("2024-01-01", "2024-03-31"))
    >>> k["revenue"], round(k["revenue_share"], 3), round(k["mom_growth"], 3), round(k["cmgr"], 3)
    (331.0, 0.828, 0.1, 0.1)
    """
    tx = prepare_transactions(df, customer, amount, date)
    known = tx["customer"].drop_duplicates().tolist()
    check_names([account], known, "account")
    total = float(tx["amount"].sum())
    acc_revenue = float(tx.loc[tx["customer"] == account, "amount"].sum())
    complete = complete_months(tx, date_range)
    monthly = _monthly_matrix(tx, [account], date_range, complete_only=False)[account]
    monthly = monthly.loc[[p for p in complete if p in monthly.index]]
    if len(monthly) >= 2:
        mom = float(kpis.mom_growth(monthly).iloc[-1])
        cm = float(kpis.cmgr_from_series(monthly))
    else:
        mom = cm = float("nan")
    return {
        "account": account,
        "revenue": acc_revenue,
        "revenue_share": float(kpis.safe_ratio(acc_revenue, total)),
        "mom_growth": _finite_or_nan(mom),
        "cmgr": _finite_or_nan(cm),
        "last_complete_month": monthly.index[-1] if len(monthly) else None,
        "complete_months": int(len(monthly)),
    }


def _finite_or_nan(x: float) -> float:
    x = float(x)
    return x if math.isfinite(x) else float("nan")


KEY_ACCOUNT_REASONS = ("largest", "major", "best_scored")
"""Why the key-account rule picked an account (columns of :func:`key_accounts`), in rule order."""


def key_accounts(
    revenue: pd.Series | Mapping[Any, float],
    scores: pd.Series | Mapping[Any, float] | None = None,
    *,
    threshold: float = 0.10,
    max_accounts: int = 5,
) -> pd.DataFrame:
    """THE key-account rule: which accounts are key accounts, and why.

    The rule (DESIGN.md), applied to the accounts with revenue > 0 in the period:

    1. the **largest** account by revenue is always a key account;
    2. every **major** account: revenue share of the total at or above ``threshold``
       (10 % by default; see :func:`major_customers`);
    3. the **best-scored** account by the multi-criteria score, when ``scores`` are given
       (accounts without a score are not candidates: a missing score is missing, not 0).

    The picked accounts are listed in score order (best first) when ``scores`` are given, else
    in revenue order (largest first); ties by revenue, then by name. At most ``max_accounts``
    are kept: when the rule picks more, the list is cut, but the largest account always stays
    (it moves to the front if the cut would drop it). Every caller (the KPI table, the
    notebooks, the widgets, the restaurant with guests' spend and RFM scores) uses this one
    function.

    Parameters
    ----------
    revenue : pandas.Series
        Revenue per account (any order; NaN counts as 0). For the restaurant: spend per guest.
    scores : pandas.Series, optional
        Multi-criteria score per account, higher is better (e.g. ``score_accounts(...)["score"]``
        or the restaurant's ``rfm_score``); NaN means "not scored".
    threshold : float
        Major-account share threshold, ``0 < threshold <= 1``.
    max_accounts : int
        The cap, a whole number >= 1 (the largest account is always a key account).

    Returns
    -------
    pandas.DataFrame
        One row per key account in selection order, indexed by ``account``, with columns
        ``revenue``, ``share`` (of total revenue; NaN when the total is <= 0), ``score`` (NaN
        when not scored) and the booleans ``largest``, ``major``, ``best_scored`` (why the rule
        picked it; several can be true). Empty when no account has revenue > 0.

    Examples
    --------
    >>> rev = pd.Series({"A": 60.0, "B": 25.0, "C": 9.0, "D": 6.0})
    >>> key_accounts(rev).index.tolist()                       # A largest, A and B major
    ['A', 'B']
    >>> key_accounts(rev, pd.Series({"A": 0.5, "B": 0.4, "C": 0.9})).index.tolist()
    ['C', 'A', 'B']
    >>> key_accounts(rev, pd.Series({"C": 0.9}), max_accounts=1).index.tolist()
    ['A']
    """
    if not isinstance(max_accounts, (int, np.integer)) or isinstance(max_accounts, bool) or max_accounts < 1:
        raise ValueError(
            f"max_accounts must be a whole number >= 1 (the largest account is always a key account), "
            f"got {max_accounts!r}")
    rev = _as_revenue(revenue)  # largest first, ties by name
    majors = set(major_customers(rev, threshold=threshold)) if float(rev.sum()) > 0 else set()
    base = rev[rev > 0]
    columns = ["revenue", "share", "score", "largest", "major", "best_scored"]
    if base.empty:
        empty = pd.DataFrame({c: pd.Series([], dtype=bool if c in KEY_ACCOUNT_REASONS else float)
                              for c in columns})
        empty.index = pd.Index([], name="account", dtype=rev.index.dtype)
        return empty
    score = pd.Series(np.nan, index=base.index)
    if scores is not None:
        given = scores if isinstance(scores, pd.Series) else pd.Series(dict(scores), dtype=float)
        given = pd.to_numeric(given, errors="raise").astype(float)
        score = given.reindex(base.index)
    table = pd.DataFrame({"revenue": base, "score": score})
    table["share"] = np.asarray(kpis.safe_ratio(base.to_numpy(dtype=float), float(rev.sum())), dtype=float)
    table.loc[table["share"] < 0, "share"] = np.nan  # a negative total: shares say nothing
    table["largest"] = table.index == base.index[0]
    table["major"] = table.index.isin(list(majors))
    table["best_scored"] = False
    # rank: by score (NaN last) when scores are given, then by revenue, then by name
    table["name_rank"] = np.arange(len(table))  # base is already revenue-then-name ordered
    if table["score"].notna().any():
        best = table.sort_values(["score", "name_rank"], ascending=[False, True], na_position="last").index[0]
        table.loc[best, "best_scored"] = True
        order = table.sort_values(["score", "name_rank"], ascending=[False, True], na_position="last")
    else:
        order = table
    picked = order[order["largest"] | order["major"] | order["best_scored"]]
    if len(picked) > max_accounts:
        kept = picked.iloc[:max_accounts]
        if not kept["largest"].any():
            kept = pd.concat([picked[picked["largest"]], kept.iloc[: max_accounts - 1]])
        picked = kept
    out = picked[columns].copy()
    out.index = out.index.rename("account")
    return out
