"""Key-account analysis: who matters, and why.

A *key account* is one specific customer that matters disproportionately. This module
answers "which ones?" with numbers a student can check by hand:

- revenue per customer and each customer's share of the total
  (:func:`revenue_by_customer`, :func:`revenue_share`);
- the Pareto / ABC split (:func:`pareto_table`, :func:`abc_counts`);
- how concentrated the customer base is (:func:`concentration`, :func:`hhi_band`,
  :func:`major_customers`);
- a transparent weighted score that shows *why* an account is key, not only revenue
  (:func:`account_features`, :func:`score_accounts`, :func:`key_accounts`,
  :func:`portfolio_matrix`);
- KPIs tracked for one account (:func:`monthly_revenue_by_account`, :func:`account_kpis`).

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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .kpis import Values

from ._lazy import np, pd  # numpy and pandas, imported on first use

from . import kpis
from .periods import month_table, period_labels

__all__ = [
    "ABC_CLASSES",
    "DEFAULT_WEIGHTS",
    "HHI_BANDS_2010",
    "HHI_BANDS_2023",
    "TOLERANCE",
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
    "concentration_base",
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

#: HHI cut points of the 2010 US DOJ/FTC Horizontal Merger Guidelines (section 5.3):
#: below 1,500 unconcentrated, 1,500-2,500 moderately concentrated, above 2,500 highly
#: concentrated.
HHI_BANDS_2010 = (1500.0, 2500.0)
#: HHI cut points of the 2023 DOJ/FTC Merger Guidelines, the default: above 1,800 is highly
#: concentrated; 1,000-1,800 moderately and below 1,000 unconcentrated (the names of the 1992
#: guidelines, which used the same 1,800 line; the 2023 text defines no lower band).
HHI_BANDS_2023 = (1000.0, 1800.0)

#: Default weights of the key-account score (they sum to 1).
DEFAULT_WEIGHTS: dict[str, float] = {
    "revenue_share": 0.35,
    "revenue_growth": 0.15,
    "strategic_value": 0.2,
    "growth_potential": 0.15,
    "engagement": 0.15,
}

#: Criteria given as 1-5 judgement scores (the customers table); they are normalised as
#: (x - 1) / 4 so that 1 -> 0 and 5 -> 1. Every other criterion is min-max normalised.
SCORE_CRITERIA = ("strategic_value", "growth_potential", "engagement")

#: Quadrants of :func:`portfolio_matrix`.
QUADRANTS = ("key account", "develop", "maintain", "efficiency")

_PARETO_COLUMNS = ["customer", "revenue", "share", "cum_share", "rank", "cum_customer_share", "abc_class"]


# ---------------------------------------------------------------------------------------------
# small private helpers
# ---------------------------------------------------------------------------------------------
def _require_columns(df: pd.DataFrame, columns: Iterable[str], what: str = "data") -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{what} is missing column(s) {missing}; it has {list(map(str, df.columns))}. "
            "Rename your columns or pass the names as keyword arguments (e.g. customer='client')."
        )


def _in_revenue_order(values: np.ndarray, names: pd.Index) -> bool:
    """True when ``values`` are already largest first with ties by name (checked, not sorted: O(n))."""
    if len(values) < 2:
        return True
    with np.errstate(invalid="ignore"):
        if not bool((values[:-1] >= values[1:]).all()):  # also False for NaN
            return False
    ties = np.flatnonzero(values[:-1] == values[1:])
    if len(ties) == 0:
        return True
    try:
        first, second = names[ties].to_numpy(), names[ties + 1].to_numpy()
        return bool((first < second).all())
    except TypeError:  # names that do not compare (mixed types): let the sort decide
        return False


def _sort_revenue(revenue: pd.Series) -> pd.Series:
    """Return ``revenue`` sorted descending, ties by customer name ascending (stable)."""
    values = revenue.to_numpy(dtype=float)
    if _in_revenue_order(values, revenue.index) and not isinstance(revenue.index, pd.MultiIndex):
        # already in order: the same labels (a view, with its lookup tables), nothing sorted
        return pd.Series(values, index=revenue.index.rename("customer"), name="revenue")
    frame = pd.DataFrame({"customer": revenue.index, "revenue": values})
    frame = frame.sort_values(
        ["revenue", "customer"], ascending=[False, True], kind="stable", na_position="last"
    )
    out = pd.Series(
        frame["revenue"].to_numpy(dtype=float),
        index=pd.Index(frame["customer"].to_numpy(), name="customer", dtype=revenue.index.dtype),
        name="revenue",
    )
    return out


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
    return _sort_revenue(values)


def _shares(values: pd.Series) -> pd.Series:
    """Each value divided by the total (NaN for every entry when the total is 0)."""
    total = float(values.sum())
    out = kpis.safe_ratio(values.to_numpy(dtype=float), total)  # on the array: no index work
    return pd.Series(np.asarray(out, dtype=float), index=values.index)


def _to_datetime(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values, format="ISO8601")


def _prepare_transactions(
    df: pd.DataFrame, customer: str, amount: str, date: str
) -> pd.DataFrame:
    """A new frame with customer, amount (float), date (datetime) and period ("YYYY-MM")."""
    _require_columns(df, [customer, amount, date], "transactions")
    out = pd.DataFrame(
        {
            "customer": df[customer].to_numpy(),
            "amount": pd.to_numeric(df[amount], errors="raise").astype(float).to_numpy(),
            "date": _to_datetime(df[date]).to_numpy(),
        }
    )
    out = out[out["customer"].notna() & out["date"].notna()]
    out["period"] = period_labels(out["date"])
    return out


def _months(tx: pd.DataFrame, date_range: tuple[Any, Any] | None) -> pd.DataFrame:
    if date_range is not None:
        first, last = date_range
    elif len(tx):
        first, last = tx["date"].min(), tx["date"].max()
    else:
        return pd.DataFrame({"period": pd.Series([], dtype="str"), "partial": pd.Series([], dtype=bool)})
    return month_table(first, last)


def _check_names(names: Iterable[Any], known: Sequence[Any], what: str) -> list[Any]:
    names = list(names)
    known_set = set(known)
    unknown = [n for n in names if n not in known_set]
    if unknown:
        sample = list(known)[:10]
        more = "" if len(known) <= 10 else f" (and {len(known) - 10} more)"
        raise ValueError(f"unknown {what} {unknown}; known ones are {sample}{more}")
    return names


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
    _require_columns(df, [customer, amount])
    amounts = pd.to_numeric(df[amount], errors="raise").astype(float)
    rev = amounts.groupby(df[customer], sort=False, dropna=True, observed=True).sum()
    rev.index.name = "customer"
    return _sort_revenue(rev.astype(float))


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
    out = _shares(values)
    out.name = "revenue_share"
    return out


# ---------------------------------------------------------------------------------------------
# Pareto / ABC
# ---------------------------------------------------------------------------------------------
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
    share = _shares(rev).to_numpy(dtype=float)
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
    _require_columns(pareto, ["abc_class"], "pareto table")
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
    share = _shares(rev)
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
    tx = _prepare_transactions(df, customer, amount, date)
    return _monthly_matrix(tx, accounts, date_range, complete_only)


def _monthly_matrix(
    tx: pd.DataFrame, accounts: Sequence[Any] | None, date_range: tuple[Any, Any] | None, complete_only: bool
) -> pd.DataFrame:
    months = _months(tx, date_range)
    totals = tx.groupby("customer", sort=False, observed=True)["amount"].sum()
    order = _sort_revenue(totals.astype(float)).index.tolist()
    if accounts is None:
        cols = order
    else:
        if isinstance(accounts, str):
            accounts = [accounts]
        cols = _check_names(accounts, order, "account(s)")
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


def _complete_months(tx: pd.DataFrame, date_range: tuple[Any, Any] | None) -> list[str]:
    months = _months(tx, date_range)
    return months.loc[~months["partial"], "period"].tolist()


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
    tx = _prepare_transactions(df, customer, amount, date)
    known = tx["customer"].drop_duplicates().tolist()
    _check_names([account], known, "account")
    total = float(tx["amount"].sum())
    acc_revenue = float(tx.loc[tx["customer"] == account, "amount"].sum())
    complete = _complete_months(tx, date_range)
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
    tx = _prepare_transactions(transactions, customer, amount, date)
    revenue = tx.groupby("customer", sort=False, observed=True)["amount"].sum().astype(float)
    complete = _complete_months(tx, date_range)
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
        _require_columns(customers, [customer], "customers table")
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
    revenue = _sort_revenue(revenue)
    out = pd.DataFrame(index=revenue.index)
    out["revenue"] = revenue
    out["revenue_share"] = _shares(revenue)

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
    _check_names(list(attractiveness) + list(strength), known, "criterion name(s)")
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
