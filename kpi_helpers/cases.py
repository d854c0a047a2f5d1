"""One entry per case: its tables, its parameters and the analysis that yields the KPI table.

The notebooks and ``kpi-cases kpis`` both call :func:`analyse`, so the figures a student sees and the
table a consultant's script reads come from the same code and can never diverge.

``analyse(case, data, **params)`` returns a :class:`CaseResult` with

* ``frames``: the intermediate tables the notebook shows and plots (monthly figures, Pareto table,
  account scores, ...), each computed once;
* ``key_accounts``: the accounts the case tracks KPIs for (verbatim names);
* ``kpis``: the tidy KPI table of DESIGN.md (``kpi, scope, period, value, unit, target, status`` plus
  ``partial`` and ``note``);
* ``notes``: sections skipped because optional data were missing, in words a reader understands.

This module imports neither plotting, widget nor papermill code.
"""
from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from ._lazy import np, pd  # numpy and pandas, imported on first use

from . import accounts, kpis, scorecard
from .periods import month_table, period_labels

if TYPE_CHECKING:  # annotations only: loading a case needs pandas, listing the cases does not
    from .data import CaseData

__all__ = ["Case", "CaseResult", "CASES", "analyse", "kpi_table", "known_parameters"]

@dataclass(frozen=True)
class Case:
    """A case: its name, notebook, tables and the defaults of its analysis parameters."""

    name: str
    title: str
    notebook: str
    tables: tuple[str, ...]
    defaults: dict[str, Any]
    description: str
    run: Callable[..., "CaseResult"] = field(repr=False, compare=False)


@dataclass
class CaseResult:
    """What :func:`analyse` returns: frames for the notebook, key accounts and the KPI table."""

    case: str
    frames: dict[str, Any]
    key_accounts: list[str]
    kpis: pd.DataFrame
    notes: list[str]
    currency: str = "NOK"


# ----------------------------------------------------------------------------------------------
# small shared pieces
# ----------------------------------------------------------------------------------------------

def _group_sum(values: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    """Sum of ``values`` per code ``0 .. n-1`` (0.0 where a code has no rows).

    This is pandas' groupby sum (each group's rows added in row order, with its compensated
    summation), so the sums are exactly those of ``DataFrame.groupby(labels).sum()``; but the labels
    are integer codes already, so nothing is hashed.
    """
    values = np.ascontiguousarray(values, dtype=float)
    try:  # the kernel behind groupby().sum(), called as pandas calls it: skips building n labels
        from pandas._libs import groupby as libgroupby

        out = np.zeros((n, 1), dtype=float)
        libgroupby.group_sum(out=out, counts=np.zeros(n, dtype=np.int64), values=values.reshape(-1, 1),
                             labels=np.ascontiguousarray(codes, dtype=np.intp), mask=None, result_mask=None,
                             min_count=0, is_datetimelike=False, initial=0, skipna=True)
        return out[:, 0]
    except (ImportError, AttributeError, TypeError, ValueError, AssertionError):  # another pandas
        key = pd.Categorical.from_codes(codes, categories=pd.RangeIndex(n))
        return pd.Series(values, copy=False).groupby(key, observed=False).sum().to_numpy(dtype=float)


def _month_numbers(stamps: np.ndarray) -> np.ndarray:
    """Months since 1970-01 (int32) of ``datetime64[us]`` values (any number where NaT: mask those).

    The calendar month of each distinct day is looked up in a small table instead of converting
    every row's timestamp to a calendar month.
    """
    ok = ~np.isnat(stamps)
    if not ok.any():
        return np.zeros(len(stamps), dtype=np.int32)
    day = stamps.view(np.int64) // 86_400_000_000  # days since 1970-01-01 (floor: right before 1970 too)
    lo = int(day.min(where=ok, initial=np.iinfo(np.int64).max))
    hi = int(day.max(where=ok, initial=np.iinfo(np.int64).min))
    if hi - lo > 10_000_000:  # dates centuries apart: convert directly
        return stamps.astype("datetime64[M]").astype(np.int64).astype(np.int32)
    table = np.arange(lo, hi + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int32)
    day -= lo
    np.clip(day, 0, hi - lo, out=day)
    return table[day]


@dataclass(frozen=True)
class _Grouped:
    """A transaction log as codes, made once per analysis: every grouping below reuses it."""

    amount: np.ndarray  # float per row
    month: np.ndarray  # position of the row's month in the months table
    customer: np.ndarray  # position of the row's customer in ``customers``
    customers: pd.Index  # distinct customers, sorted by name


def _grouped(data: CaseData, table: str, months: pd.DataFrame) -> _Grouped:
    """Codes of a revenue table's rows: calendar month (position in ``months``) and customer."""
    tx = data.tables[table]
    if hasattr(data, "factorize"):
        codes, names = data.factorize(table, "customer")
    else:  # a hand-made CaseData-like object
        codes, names = pd.factorize(tx["customer"], sort=True)
        names = pd.Index(names, name="customer")
    stamps = tx["date"].to_numpy(dtype="datetime64[us]")
    month = _month_numbers(stamps)
    month -= np.int32(np.datetime64(str(months["period"].iloc[0]), "M").astype(np.int64) if len(months) else 0)
    amount = tx["amount"].to_numpy(dtype=float)
    codes = np.asarray(codes, dtype=np.intp)  # once: every grouping below takes intp labels
    keep = ~np.isnat(stamps)
    keep &= month >= 0
    keep &= month < len(months)
    keep &= codes >= 0
    if not keep.all():
        amount, month, codes = amount[keep], month[keep], codes[keep]
    return _Grouped(amount, month, codes, pd.Index(names, name="customer"))


def _months(data: CaseData) -> pd.DataFrame:
    first, last = data.date_range
    return month_table(first, last)


def _row(kpi: str, value: Any, *, scope: str = "all", period: str = "all", partial: bool = False,
         note: str = "") -> dict[str, Any]:
    v = float(value) if value is not None else math.nan
    if not math.isfinite(v):
        v = math.nan
    return {"kpi": kpi, "scope": scope, "period": period, "value": v, "partial": bool(partial),
            "note": note}


def _scope(account: str) -> str:
    return f"account:{account}"


def _join(*parts: str) -> str:
    """Notes joined with '; ', empty ones left out: 'partial month; no ratings'."""
    return "; ".join(p for p in parts if p)


def _count_words(n: Any, noun: str) -> str:
    """``1 rating``, ``12 ratings``."""
    n = int(n)
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def kpi_table(rows: list[dict[str, Any]], targets: dict[str, float] | None) -> pd.DataFrame:
    """Build the tidy KPI table from rows and apply targets (see :func:`scorecard.kpi_table`).

    Targets of total-type KPIs (revenue, revenue per consultant, ...) are monthly targets:
    scorecard applies them to the monthly rows only, and notes why on the ``all`` row.
    """
    return scorecard.kpi_table(rows, targets=dict(targets or {}))


def _select_key_accounts(revenue: pd.Series, ranked: list[str] | None, threshold: float,
                         max_accounts: int) -> list[str]:
    """Major accounts (share >= threshold) plus the best-ranked account, largest always included.

    Ordered by ``ranked`` (scores) when given, else by revenue; at most ``max_accounts``.
    """
    if revenue.empty or max_accounts <= 0:
        return []
    order = list(ranked) if ranked else list(revenue.index)
    chosen = set(accounts.major_customers(revenue, threshold=threshold))
    largest = revenue.index[0]
    chosen.add(largest)
    if ranked:
        chosen.add(ranked[0])
    if len(chosen) <= 50:  # a handful: find each (C speed) instead of testing every customer
        pos = {}
        for a in chosen:
            try:
                pos[a] = order.index(a)
            except ValueError:
                pass
        picked = sorted(pos, key=pos.__getitem__)
    else:
        picked = [a for a in order if a in chosen]
    if largest not in picked[:max_accounts]:
        picked = [largest] + [a for a in picked if a != largest]
    return picked[:max_accounts]


def _check_params(case: str, params: dict[str, Any]) -> dict[str, Any]:
    defaults = CASES[case].defaults
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


# ----------------------------------------------------------------------------------------------
# revenue cases: startup (invoices) and your_data (transactions)
# ----------------------------------------------------------------------------------------------

def _revenue_monthly(g: _Grouped, months: pd.DataFrame, include_partial: bool
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly revenue KPIs of a transaction log, and the period x customer revenue matrix.

    Groups the log once (period, customer) on codes; everything else is derived from that small result.
    """
    n_months, n_customers = len(months), len(g.customers)
    key = np.multiply(g.month, n_customers, dtype=np.intp)
    key += g.customer
    cells = _group_sum(g.amount, key, n_months * n_customers)
    del key
    # copy=False keeps the (months x customers) C-order block, the layout the old unstack gave: the
    # row and column sums below then add in the same order, to the same bits
    matrix = pd.DataFrame(cells.reshape(n_months, n_customers), copy=False,
                          index=pd.Index(months["period"], name="period"), columns=g.customers)
    monthly = months.set_index("period").copy()
    monthly["revenue"] = matrix.sum(axis=1)
    monthly["rows"] = np.bincount(g.month, minlength=n_months).astype("int64")
    active = matrix > 0
    monthly["active_customers"] = active.sum(axis=1).astype("int64")
    # growth over complete months only (unless asked otherwise)
    use = monthly if include_partial else monthly[~monthly["partial"]]
    monthly["mom_growth"] = kpis.mom_growth(use["revenue"]).reindex(monthly.index)
    prev_active = active.shift(1, fill_value=False)
    lost = (prev_active & ~active).sum(axis=1)
    monthly["customer_churn"] = kpis.customer_churn_rate(lost, prev_active.sum(axis=1))
    kept_revenue = (matrix * prev_active).sum(axis=1)
    monthly["net_revenue_retention"] = kpis.net_revenue_retention(kept_revenue, monthly["revenue"].shift(1))
    monthly.iloc[0, monthly.columns.get_indexer(["customer_churn", "net_revenue_retention"])] = math.nan
    return monthly.reset_index(), matrix


def _concentration_values(top_down: np.ndarray, a: float, b: float) -> dict[str, float]:
    """Concentration KPIs of positive revenues sorted largest first (a contiguous array).

    The arithmetic of ``accounts.concentration`` and ``accounts.pareto_table`` (same sums in the same
    order, so the same values to the last bit) without their per-customer pandas tables.
    """
    if len(top_down) == 0:
        return {"top_customer_share": math.nan, "top20_share": math.nan, "hhi": math.nan,
                "abc_a_count": math.nan}
    if not 0 < a < b <= 1:
        accounts.pareto_table(pd.Series([], dtype=float), a=a, b=b)  # raises its ValueError
    total = float(top_down.sum())
    share = top_down / total
    reached = np.flatnonzero(np.cumsum(share) >= a - accounts.TOLERANCE)
    # kpis.top20_share sorts again and adds np.sort(x)[::-1][:n]: the same view of the same ascending
    # array, without the sort
    top_n = -(-len(top_down) // 5)
    ascending = np.ascontiguousarray(top_down[::-1])
    top20 = kpis.safe_ratio(float(ascending[::-1][:top_n].sum()), total)
    return {"top_customer_share": float(share[0]), "top20_share": float(top20),
            "hhi": float(kpis.hhi(share)), "abc_a_count": float(reached[0] + 1 if len(reached) else len(share))}


def _concentration_row(revenue: pd.Series, a: float, b: float) -> dict[str, float]:
    values = revenue.to_numpy(dtype=float)
    return _concentration_values(-np.sort(-values[values > 0]), a, b)


def _concentration_by_period(values: np.ndarray, periods: list[str], a: float, b: float
                             ) -> dict[str, dict[str, float]]:
    """:func:`_concentration_row` of every row of a period x customer array, sorted at once.

    Only numpy: it runs on a worker thread while the main thread goes on with the pandas work.
    """
    top_down = -np.sort(-values, axis=1)
    positive = (top_down > 0).sum(axis=1)
    return {per: _concentration_values(np.ascontiguousarray(top_down[i, :positive[i]]), a, b)
            for i, per in enumerate(periods)}


def _customer_sums(g: _Grouped, months: pd.DataFrame, recent_months: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Revenue per customer, and per customer in the recent and the earlier window of complete months.

    The sums of ``accounts.account_features`` (rows added in order, per customer): ``(total, order,
    windows)`` with ``order`` largest total first (ties by name) and ``windows`` an (n, 2) array or
    None when there are fewer than ``2 * recent_months`` complete months. Only numpy and the
    groupby kernel (which releases the GIL): it runs on a worker thread.
    """
    if int(recent_months) != recent_months or recent_months < 1:
        raise ValueError(f"recent_months must be a whole number >= 1, got {recent_months!r}")
    recent_months = int(recent_months)
    n = len(g.customers)
    total = _group_sum(g.amount, g.customer, n)
    order = np.argsort(-total, kind="stable")  # largest first, ties by name (customers are sorted)
    complete = np.flatnonzero(~months["partial"].to_numpy(dtype=bool))
    windows = None
    if len(complete) >= 2 * recent_months:
        # one pass for both windows: group 0..n-1 the recent months, n..2n-1 the months before them,
        # -1 (skipped) the rest; each customer's rows are still added in their order
        window_of_month = np.full(len(months), -1, dtype=np.int8)
        window_of_month[complete[-recent_months:]] = 0
        window_of_month[complete[-2 * recent_months: -recent_months]] = 1
        window = window_of_month[g.month]
        labels = window.astype(np.intp)
        labels *= n
        labels += g.customer
        labels[window < 0] = -1
        windows = _group_sum(g.amount, labels, 2 * n).reshape(2, n).T
    return total, order, windows


def _features(g: _Grouped, sums: tuple[np.ndarray, np.ndarray, np.ndarray | None],
              customers: pd.DataFrame | None) -> pd.DataFrame:
    """``accounts.account_features`` of the log, from :func:`_customer_sums` (nothing regrouped)."""
    total, order, windows = sums
    revenue = pd.Series(total[order], index=g.customers[order], name="amount")
    if windows is not None:
        # in revenue order, on revenue's own labels: aligning them later is free
        windows = (pd.Series(windows[order, 0], index=revenue.index),
                   pd.Series(windows[order, 1], index=revenue.index))
    return accounts._features_from_sums(revenue, windows, customers)


def _analyse_revenue(case: str, data: CaseData, table: str, p: dict[str, Any]) -> CaseResult:
    months = _months(data)
    grouped = _grouped(data, table, months)
    # the second core: the per-customer sums and the per-month sort are numpy and groupby kernels that
    # release the GIL, so they run on a worker thread while this one does the pandas work
    worker = ThreadPoolExecutor(max_workers=1)
    try:
        return _analyse_revenue_grouped(case, data, table, p, months, grouped, worker)
    finally:
        worker.shutdown(wait=True, cancel_futures=True)


def _analyse_revenue_grouped(case: str, data: CaseData, table: str, p: dict[str, Any], months: pd.DataFrame,
                             grouped: _Grouped, worker: ThreadPoolExecutor) -> CaseResult:
    notes: list[str] = []
    customer_sums = worker.submit(_customer_sums, grouped, months, p["recent_months"])
    monthly, matrix = _revenue_monthly(grouped, months, p["include_partial_months"])
    by_period_job = worker.submit(_concentration_by_period, matrix.to_numpy(dtype=float), list(matrix.index),
                                  p["abc_a"], p["abc_b"])
    revenue = matrix.sum(axis=0)
    revenue = revenue.iloc[np.argsort(-revenue.to_numpy(), kind="stable")]  # largest first, ties by name
    revenue.name, revenue.index.name = "revenue", "customer"
    pareto = accounts.pareto_table(revenue, a=p["abc_a"], b=p["abc_b"])
    concentration = accounts.concentration(revenue)
    customers = data.tables.get("customers") if data.has("customers") else None
    if customers is None:
        notes.append("No customers table: scoring uses revenue share and growth only "
                     "(strategic value, growth potential and engagement need customers.csv).")
    features = _features(grouped, customer_sums.result(), customers)
    scores = accounts.score_accounts(features, weights=p["weights"])
    portfolio = accounts.portfolio_matrix(features)
    # customers.csv may list customers without a sale in the data (prospects, lost accounts): they are
    # scored (revenue 0) but cannot be key accounts, whose KPIs are their revenue
    # every customer with sales is scored; only customers.csv can add ones without (Index.isin on text
    # loops in Python, get_indexer hashes: skip both when the counts say there are none)
    sold = (np.ones(len(scores), dtype=bool) if len(scores) == len(matrix.columns)
            else matrix.columns.get_indexer(scores.index) >= 0)
    no_sales = scores.index[~sold].tolist()
    if no_sales:
        shown = ", ".join(f"'{c}'" for c in no_sales[:5]) + (" and more" if len(no_sales) > 5 else "")
        notes.append(f"{len(no_sales)} customer(s) in the customers table have no {table} in the data "
                     f"({shown}): scored with revenue 0, but not chosen as key accounts.")
    ranked = scores.index[sold].tolist()
    key = _select_key_accounts(revenue, ranked, p["major_threshold"], p["max_key_accounts"])

    rows: list[dict[str, Any]] = []
    complete = monthly[~monthly["partial"]]
    # whole period
    rows.append(_row("revenue", revenue.sum()))
    growth_months = monthly if p["include_partial_months"] else complete
    rows.append(_row("cmgr", kpis.cmgr_from_series(growth_months["revenue"]) if len(growth_months) > 1
                     else math.nan, note="" if len(growth_months) > 1 else "fewer than two complete months"))
    rows.append(_row("active_customers", int((revenue > 0).sum())))
    # concentration is undefined without a customer with revenue > 0 (all zero, or credit notes only)
    no_buyer = "no customer with revenue > 0"
    for k, v in _concentration_row(revenue, p["abc_a"], p["abc_b"]).items():
        rows.append(_row(k, v, note=no_buyer if math.isnan(v) else ""))
    # months
    by_period = by_period_job.result()
    for _, m in monthly.iterrows():
        per, part = m["period"], bool(m["partial"])
        note = "partial month" if part else ("no data in this month" if m["rows"] == 0 else "")
        rows.append(_row("revenue", m["revenue"], period=per, partial=part, note=note))
        g_note = note
        if part and not p["include_partial_months"]:
            g_note = "partial month: left out of growth"
        elif math.isnan(m["mom_growth"]):
            g_note = note or "no previous month with revenue"
        rows.append(_row("mom_growth", m["mom_growth"], period=per, partial=part, note=g_note))
        rows.append(_row("active_customers", m["active_customers"], period=per, partial=part, note=note))
        rows.append(_row("customer_churn", m["customer_churn"], period=per, partial=part, note=note))
        rows.append(_row("net_revenue_retention", m["net_revenue_retention"], period=per, partial=part,
                         note=note))
        for k, v in by_period[per].items():
            rows.append(_row(k, v, period=per, partial=part,
                             note=_join(note, f"{no_buyer} in this month" if math.isnan(v) and m["rows"] else "")))
    # key accounts
    total_by_month = monthly.set_index("period")["revenue"]
    for acc in key:
        scope = _scope(acc)
        acc_rev = matrix[acc]
        rows.append(_row("revenue", acc_rev.sum(), scope=scope))
        rows.append(_row("revenue_share", kpis.safe_ratio(acc_rev.sum(), revenue.sum()), scope=scope))
        acc_complete = acc_rev[~monthly.set_index("period")["partial"]] if not p["include_partial_months"] \
            else acc_rev
        rows.append(_row("cmgr", kpis.cmgr_from_series(acc_complete) if len(acc_complete) > 1 else math.nan,
                         scope=scope))
        acc_growth = kpis.mom_growth(acc_complete).reindex(acc_rev.index)
        for per in monthly["period"]:
            part = bool(monthly.set_index("period").at[per, "partial"])
            rows.append(_row("revenue", acc_rev[per], scope=scope, period=per, partial=part))
            rows.append(_row("revenue_share", kpis.safe_ratio(acc_rev[per], total_by_month[per]),
                             scope=scope, period=per, partial=part))
            rows.append(_row("mom_growth", acc_growth[per], scope=scope, period=per, partial=part))
    table = kpi_table(rows, p["targets"])
    frames = {"monthly": monthly, "revenue_by_month": matrix, "revenue": revenue, "pareto": pareto,
              "concentration": concentration, "features": features, "scores": scores,
              "portfolio": portfolio}
    return CaseResult(case, frames, key, table, notes, p["currency"])


def _run_startup(data: CaseData, p: dict[str, Any]) -> CaseResult:
    return _analyse_revenue("startup", data, "invoices", p)


def _run_your_data(data: CaseData, p: dict[str, Any]) -> CaseResult:
    return _analyse_revenue("your_data", data, "transactions", p)


# ----------------------------------------------------------------------------------------------
# consultancy
# ----------------------------------------------------------------------------------------------

def _weekdays_between(start: pd.Series, end: pd.Series) -> np.ndarray:
    """Number of weekdays in each closed interval [start, end] (0 when end < start)."""
    s = start.to_numpy().astype("datetime64[D]")
    e = end.to_numpy().astype("datetime64[D]") + np.timedelta64(1, "D")
    out = np.busday_count(s, np.maximum(s, e))
    return out


def _available_hours(consultants: pd.DataFrame, months: pd.DataFrame, data_first: pd.Timestamp,
                     data_last: pd.Timestamp) -> pd.DataFrame:
    """Available hours per consultant and month: weekly_hours / 5 per weekday employed."""
    out = []
    for _, m in months.iterrows():
        m_start = max(pd.Timestamp(m["period"] + "-01"), data_first)
        m_end = min(pd.Timestamp(m["period"] + "-01") + pd.offsets.MonthEnd(0), data_last)
        start = consultants["start_date"].clip(lower=m_start)
        end = consultants["end_date"].fillna(m_end).clip(upper=m_end)
        days = _weekdays_between(start, end)
        out.append(pd.DataFrame({"period": m["period"], "consultant": consultants["consultant"].to_numpy(),
                                 "weekdays": days,
                                 "available_hours": days * consultants["weekly_hours"].to_numpy() / 5.0}))
    return pd.concat(out, ignore_index=True)


def _run_consultancy(data: CaseData, p: dict[str, Any]) -> CaseResult:
    notes: list[str] = []
    projects = data["projects"].copy()
    ts = data["timesheets"]
    months = _months(data)
    first, last = data.date_range
    rate = projects.set_index("project_id")["hourly_rate"]
    client_of = projects.set_index("project_id")["client"]
    work = pd.DataFrame({
        "period": period_labels(ts["date"]),
        "consultant": ts["consultant"],
        "project_id": ts["project_id"],
        "client": ts["project_id"].map(client_of),
        "hours": ts["hours"],
    })
    work["revenue"] = work["hours"] * work["project_id"].map(rate)

    # projects: duration and punctuality, finished ones only
    # finished within the data: an end date after the last data date is still in the future then
    projects["finished"] = projects["actual_end"].notna() & (projects["actual_end"] <= last)
    projects["completion_days"] = (projects["actual_end"] - projects["start_date"]).dt.days.astype(
        "float64").where(projects["finished"])
    projects["on_time"] = projects["finished"] & (projects["actual_end"] <= projects["planned_end"])
    projects["delay_days"] = (projects["actual_end"] - projects["planned_end"]).dt.days.astype(
        "float64").where(projects["finished"])
    projects["end_period"] = period_labels(projects["actual_end"].fillna(pd.Timestamp("1900-01-01")))
    projects.loc[~projects["finished"], "end_period"] = pd.NA
    projects["status"] = np.where(projects["finished"],
                                  np.where(projects["on_time"], "finished on time", "finished late"),
                                  "ongoing")

    # surveys (optional)
    has_surveys = data.has("surveys")
    if has_surveys:
        sv = data["surveys"]
        surveys = pd.DataFrame({"period": period_labels(sv["date"]), "project_id": sv["project_id"],
                                "client": sv["project_id"].map(client_of), "score": sv["score"]})
    else:
        surveys = pd.DataFrame({"period": pd.Series(dtype="str"), "project_id": pd.Series(dtype="str"),
                                "client": pd.Series(dtype="str"), "score": pd.Series(dtype="float64")})
        notes.append("No surveys table: CSAT is skipped.")

    # consultants (optional): available hours for utilization
    has_consultants = data.has("consultants")
    if has_consultants:
        avail = _available_hours(data["consultants"], months, first, last)
    else:
        notes.append("No consultants table: utilization is skipped and revenue per consultant counts the "
                     "consultants who logged hours.")
        avail = pd.DataFrame(columns=["period", "consultant", "weekdays", "available_hours"])

    monthly = months.set_index("period").copy()
    g = work.groupby("period", observed=True)
    monthly["revenue"] = g["revenue"].sum().reindex(monthly.index, fill_value=0.0)
    monthly["billable_hours"] = g["hours"].sum().reindex(monthly.index, fill_value=0.0)
    if has_consultants:
        monthly["available_hours"] = avail.groupby("period")["available_hours"].sum().reindex(monthly.index,
                                                                                              fill_value=0.0)
        monthly["consultants"] = avail[avail["weekdays"] > 0].groupby("period")["consultant"].nunique() \
            .reindex(monthly.index, fill_value=0)
    else:
        monthly["available_hours"] = math.nan
        monthly["consultants"] = g["consultant"].nunique().reindex(monthly.index, fill_value=0)
    monthly["utilization"] = kpis.utilization(monthly["billable_hours"], monthly["available_hours"])
    monthly["revenue_per_consultant"] = kpis.revenue_per_consultant(monthly["revenue"], monthly["consultants"])
    sg = surveys.groupby("period")["score"]
    monthly["responses"] = sg.size().reindex(monthly.index, fill_value=0).astype("int64")
    monthly["satisfied"] = surveys.assign(s=surveys["score"] >= 4).groupby("period")["s"].sum() \
        .reindex(monthly.index, fill_value=0).astype("int64")
    monthly["csat"] = kpis.csat(monthly["satisfied"], monthly["responses"])
    fin = projects[projects["finished"]]
    fg = fin.groupby("end_period")
    monthly["finished_projects"] = fg.size().reindex(monthly.index, fill_value=0).astype("int64")
    monthly["on_time_projects"] = fg["on_time"].sum().reindex(monthly.index, fill_value=0).astype("int64")
    monthly["on_time_rate"] = kpis.on_time_rate(monthly["on_time_projects"], monthly["finished_projects"])
    monthly["avg_completion_days"] = fg["completion_days"].mean().reindex(monthly.index)
    monthly = monthly.reset_index()

    # whole-period figures
    total_rev = float(work["revenue"].sum())
    if has_consultants:
        c = data["consultants"]
        employed = c[(c["start_date"] <= last) & (c["end_date"].isna() | (c["end_date"] >= first))]
        n_consultants = employed["consultant"].nunique()
        avail_all = float(avail["available_hours"].sum())
    else:
        n_consultants = work["consultant"].nunique()
        avail_all = math.nan

    by_client = work.groupby("client", observed=True).agg(revenue=("revenue", "sum"), hours=("hours", "sum"))
    by_client["projects"] = projects.groupby("client").size().reindex(by_client.index, fill_value=0)
    by_client["finished_projects"] = fin.groupby("client").size().reindex(by_client.index, fill_value=0)
    by_client["on_time_projects"] = fin.groupby("client")["on_time"].sum().reindex(by_client.index,
                                                                                 fill_value=0)
    by_client["on_time_rate"] = kpis.on_time_rate(by_client["on_time_projects"], by_client["finished_projects"])
    by_client["avg_completion_days"] = fin.groupby("client")["completion_days"].mean().reindex(by_client.index)
    by_client["responses"] = surveys.groupby("client").size().reindex(by_client.index, fill_value=0)
    by_client["satisfied"] = surveys.assign(s=surveys["score"] >= 4).groupby("client")["s"].sum() \
        .reindex(by_client.index, fill_value=0)
    by_client["csat"] = kpis.csat(by_client["satisfied"], by_client["responses"])
    by_client["revenue_share"] = accounts.revenue_share(by_client["revenue"])
    by_client = by_client.loc[sorted(by_client.index, key=lambda c: (-by_client.at[c, "revenue"], c))]
    by_client.index.name = "client"

    by_consultant = work.groupby("consultant", observed=True).agg(billable_hours=("hours", "sum"),
                                                                revenue=("revenue", "sum"))
    if has_consultants:
        by_consultant = by_consultant.reindex(sorted(set(by_consultant.index) | set(avail["consultant"])),
                                              fill_value=0.0)
        by_consultant["available_hours"] = avail.groupby("consultant")["available_hours"].sum() \
            .reindex(by_consultant.index, fill_value=0.0)
        by_consultant["utilization"] = kpis.utilization(by_consultant["billable_hours"],
                                                        by_consultant["available_hours"])
    by_consultant.index.name = "consultant"

    revenue = by_client["revenue"]
    key = _select_key_accounts(revenue, None, p["major_threshold"], p["max_key_accounts"])

    rows: list[dict[str, Any]] = [
        _row("revenue", total_rev),
        _row("csat", kpis.csat(int((surveys["score"] >= 4).sum()), len(surveys)),
             note="" if has_surveys else "no surveys table"),
        _row("avg_completion_days", kpis.avg_completion_days(fin["start_date"], fin["actual_end"]),
             note=_join("" if len(fin) else "no project finished",
                        f"{_count_words((~projects['finished']).sum(), 'ongoing project')} not counted")),
        _row("on_time_rate", kpis.on_time_rate(int(fin["on_time"].sum()), len(fin))),
        _row("revenue_per_consultant", kpis.revenue_per_consultant(total_rev, n_consultants)),
        _row("utilization", kpis.utilization(float(work["hours"].sum()), avail_all),
             note="" if has_consultants else "no consultants table"),
    ]
    for _, m in monthly.iterrows():
        per, part = m["period"], bool(m["partial"])
        note = "partial month" if part else ""
        rows.append(_row("revenue", m["revenue"], period=per, partial=part, note=note))
        rows.append(_row("csat", m["csat"], period=per, partial=part,
                         note=_join(note, "" if m["responses"] else "no survey responses")))
        rows.append(_row("avg_completion_days", m["avg_completion_days"], period=per, partial=part,
                         note=_join(note, "" if m["finished_projects"] else "no project finished")))
        rows.append(_row("on_time_rate", m["on_time_rate"], period=per, partial=part,
                         note=_join(note, "" if m["finished_projects"] else "no project finished")))
        rows.append(_row("revenue_per_consultant", m["revenue_per_consultant"], period=per, partial=part,
                         note=note))
        rows.append(_row("utilization", m["utilization"], period=per, partial=part, note=note))
    client_month = work.groupby(["client", "period"], observed=True)["revenue"].sum()
    for acc in key:
        scope = _scope(acc)
        r = by_client.loc[acc]
        rows.append(_row("revenue", r["revenue"], scope=scope))
        rows.append(_row("revenue_share", r["revenue_share"], scope=scope))
        rows.append(_row("csat", r["csat"], scope=scope,
                         note="" if r["responses"] else "no survey responses"))
        rows.append(_row("on_time_rate", r["on_time_rate"], scope=scope,
                         note="" if r["finished_projects"] else "no project finished"))
        for _, m in monthly.iterrows():
            per = m["period"]
            val = float(client_month.get((acc, per), 0.0))
            rows.append(_row("revenue", val, scope=scope, period=per, partial=bool(m["partial"])))
            rows.append(_row("revenue_share", kpis.safe_ratio(val, m["revenue"]), scope=scope, period=per,
                             partial=bool(m["partial"])))
    table = kpi_table(rows, p["targets"])
    frames = {"monthly": monthly, "projects": projects, "by_client": by_client,
              "by_consultant": by_consultant, "work": work, "surveys": surveys}
    return CaseResult("consultancy", frames, key, table, notes, p["currency"])


# ----------------------------------------------------------------------------------------------
# marketing agency
# ----------------------------------------------------------------------------------------------

AD_SUMS = ["impressions", "clicks", "conversions", "spend", "conversion_value"]
AD_KPIS = ["ctr", "cvr", "cpc", "cpa", "roas", "roi"]


def ad_rates(sums: pd.DataFrame) -> pd.DataFrame:
    """Add ctr, cvr, cpc, cpa, roas and roi to a frame of summed counts (ratios of sums)."""
    out = sums.copy()
    out["ctr"] = kpis.ctr(out["clicks"], out["impressions"])
    out["cvr"] = kpis.cvr(out["conversions"], out["clicks"])
    out["cpc"] = kpis.cpc(out["spend"], out["clicks"])
    out["cpa"] = kpis.cpa(out["spend"], out["conversions"])
    if "conversion_value" in out:
        out["roas"] = kpis.roas(out["conversion_value"], out["spend"])
        out["roi"] = kpis.roi(out["conversion_value"], out["spend"])
    return out


def _run_marketing_agency(data: CaseData, p: dict[str, Any]) -> CaseResult:
    notes: list[str] = []
    st = data["campaign_stats"]
    months = _months(data)
    has_value = data.has("campaign_stats", "conversion_value")
    has_channel = data.has("campaign_stats", "channel")
    if not has_value:
        notes.append("No conversion_value column: ROAS and ROI are skipped.")
    if not has_channel:
        notes.append("No channel column: the channel breakdown is skipped.")
    sums = [c for c in AD_SUMS if c in st.columns]
    df = st[[c for c in ["date", "client", "campaign", "channel"] if c in st.columns] + sums].copy()
    df["period"] = period_labels(df["date"])

    def agg(keys: list[str]) -> pd.DataFrame:
        # dropna=False: rows with an empty (optional) channel still count, so parts add up to totals
        return ad_rates(df.groupby(keys, observed=True, sort=True, dropna=False)[sums].sum())

    monthly = agg(["period"]).reindex(months["period"])
    monthly[sums] = monthly[sums].fillna(0)
    monthly = ad_rates(monthly[sums])
    monthly.insert(0, "partial", months.set_index("period")["partial"])
    monthly = monthly.reset_index()
    by_client = agg(["client"])
    by_client["spend_share"] = accounts.revenue_share(by_client["spend"])
    by_client = by_client.loc[sorted(by_client.index, key=lambda c: (-by_client.at[c, "spend"], c))]
    by_campaign = agg(["client", "campaign"]).reset_index()
    by_client_month = agg(["client", "period"]).reset_index()
    by_channel = agg(["channel"]) if has_channel else None
    by_client_channel = agg(["client", "channel"]).reset_index() if has_channel else None
    totals = ad_rates(df[sums].sum().to_frame().T).iloc[0]
    key = _select_key_accounts(by_client["spend"], None, p["major_threshold"], p["max_key_accounts"])

    kpi_ids = [k for k in AD_KPIS if k in monthly.columns]
    rows: list[dict[str, Any]] = [_row(k, totals[k]) for k in kpi_ids]
    for _, m in monthly.iterrows():
        per, part = m["period"], bool(m["partial"])
        for k in kpi_ids:
            rows.append(_row(k, m[k], period=per, partial=part, note="partial month" if part else ""))
    cm = by_client_month.set_index(["client", "period"])
    for acc in key:
        scope = _scope(acc)
        rows.append(_row("revenue_share", by_client.at[acc, "spend_share"], scope=scope,
                         note=_join("share of media spend managed",
                                    "" if by_client["spend"].sum() > 0 else "undefined: total spend is 0")))
        for k in kpi_ids:
            rows.append(_row(k, by_client.at[acc, k], scope=scope))
        for _, m in monthly.iterrows():
            per = m["period"]
            for k in kpi_ids:
                val = cm.at[(acc, per), k] if (acc, per) in cm.index else math.nan
                rows.append(_row(k, val, scope=scope, period=per, partial=bool(m["partial"]),
                                 note="" if (acc, per) in cm.index else "no activity this month"))
    table = kpi_table(rows, p["targets"])
    frames = {"monthly": monthly, "by_client": by_client, "by_campaign": by_campaign,
              "by_channel": by_channel, "by_client_month": by_client_month,
              "by_client_channel": by_client_channel, "totals": totals, "daily": df}
    return CaseResult("marketing_agency", frames, key, table, notes, p["currency"])


# ----------------------------------------------------------------------------------------------
# restaurant
# ----------------------------------------------------------------------------------------------

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def guest_rfm(visits: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Recency, frequency and monetary value per known guest, and an RFM score (0..1).

    Frequency (visits) and monetary value (total bill) are ranked as percentiles among known guests;
    recency (days since the last visit, fewer is better) likewise. The score is their mean, so the VIP
    is the guest who comes often, spends much and came recently. Unknown guests (empty id) are left out.
    """
    known = visits[visits["guest_id"].notna() & (visits["guest_id"] != "")]
    g = known.groupby("guest_id", observed=True)
    rfm = pd.DataFrame({
        "visits": g.size(),
        "revenue": g["bill"].sum(),
        "covers": g["covers"].sum(),
        "last_visit": g["date"].max(),
    })
    if "rating" in known.columns:
        rfm["ratings"] = g["rating"].count()
        rfm["avg_rating"] = g["rating"].mean()
    rfm["avg_check"] = kpis.avg_check(rfm["revenue"], rfm["covers"])
    rfm["recency_days"] = (as_of - rfm["last_visit"]).dt.days
    rfm["r_score"] = (-rfm["recency_days"]).rank(pct=True, method="average")
    rfm["f_score"] = rfm["visits"].rank(pct=True, method="average")
    rfm["m_score"] = rfm["revenue"].rank(pct=True, method="average")
    rfm["rfm_score"] = rfm[["r_score", "f_score", "m_score"]].mean(axis=1)
    rfm.index.name = "guest_id"
    order = sorted(rfm.index, key=lambda i: (-rfm.at[i, "visits"], -rfm.at[i, "revenue"], i))
    return rfm.loc[order]


def _run_restaurant(data: CaseData, p: dict[str, Any]) -> CaseResult:
    notes: list[str] = []
    v = data["visits"]
    months = _months(data)
    first, last = data.date_range
    hours = float(p["open_hours_per_day"])
    if data.has("tables"):
        tables = data["tables"]
        n_tables, seats = len(tables), float(tables["seats"].sum())
    else:
        n_tables, seats = int(v["table"].nunique()), math.nan
        notes.append("No tables table: the number of tables is taken from the visits, and RevPASH and seat "
                     "occupancy (which need seats) are skipped.")
    has_times = data.has("visits", "seated_at") and data.has("visits", "left_at")
    has_rating = data.has("visits", "rating")
    has_guest = data.has("visits", "guest_id")
    if not has_times:
        notes.append("No seated_at/left_at columns: seat occupancy and the hour-of-day view are skipped.")
    if not has_rating:
        notes.append("No rating column: average rating is skipped.")
    if not has_guest:
        notes.append("No guest_id column: the VIP analysis is skipped.")

    df = pd.DataFrame({"date": v["date"], "period": period_labels(v["date"]), "table": v["table"],
                       "covers": v["covers"], "bill": v["bill"]})
    df["rating"] = v["rating"] if has_rating else math.nan
    df["weekday"] = pd.Categorical(v["date"].dt.day_name(), categories=WEEKDAYS, ordered=True)
    if has_times:
        df["hour"] = v["seated_at"].dt.hour
        df["seat_hours"] = v["covers"] * (v["left_at"] - v["seated_at"]).dt.total_seconds() / 3600.0

    def summarise(g: pd.core.groupby.DataFrameGroupBy) -> pd.DataFrame:
        out = pd.DataFrame({
            "revenue": g["bill"].sum(), "parties": g.size(), "covers": g["covers"].sum(),
            "open_days": g["date"].nunique(), "ratings": g["rating"].count(),
            "avg_rating": g["rating"].mean(),
        })
        if has_times:
            out["seat_hours"] = g["seat_hours"].sum()
        return out

    def rates(out: pd.DataFrame) -> pd.DataFrame:
        out = out.copy()
        out["avg_check"] = kpis.avg_check(out["revenue"], out["covers"])
        out["revenue_per_table"] = kpis.revenue_per_table(out["revenue"], n_tables, out["open_days"])
        out["table_turnover"] = kpis.table_turnover(out["parties"], n_tables, out["open_days"])
        out["revpash"] = kpis.revpash(out["revenue"], seats, hours, out["open_days"])
        if has_times:
            out["seat_occupancy"] = kpis.seat_occupancy(out["seat_hours"], seats, hours, out["open_days"])
        return out

    monthly = rates(summarise(df.groupby("period", observed=True)).reindex(months["period"]))
    monthly[["revenue", "parties", "covers", "open_days", "ratings"]] = \
        monthly[["revenue", "parties", "covers", "open_days", "ratings"]].fillna(0)
    monthly = rates(monthly[[c for c in monthly.columns if c in
                             {"revenue", "parties", "covers", "open_days", "ratings", "avg_rating",
                              "seat_hours"}]])
    monthly.insert(0, "partial", months.set_index("period")["partial"])
    monthly = monthly.reset_index()
    by_weekday = rates(summarise(df.groupby("weekday", observed=False)))
    by_table = summarise(df.groupby("table", observed=True))
    by_table["revenue_per_open_day"] = kpis.safe_ratio(by_table["revenue"], df["date"].nunique())
    heat = None
    if has_times:
        heat = (df.groupby(["weekday", "hour"], observed=False)["bill"].sum()
                .unstack("hour", fill_value=0.0))
        days_per_weekday = df.groupby("weekday", observed=False)["date"].nunique()
        heat = heat.div(days_per_weekday.replace(0, np.nan), axis=0)  # revenue per open evening
    all_row = rates(summarise(df.assign(_all="all").groupby("_all"))).iloc[0]

    guests = guest_rfm(v, last) if has_guest else pd.DataFrame()
    key: list[str] = []
    if has_guest and not guests.empty:
        ranked = guests.sort_values("rfm_score", ascending=False, kind="stable")
        largest = guests.index[0]  # most visits, then highest spend
        key = [largest] + [g for g in ranked.index[: p["max_key_accounts"]] if g != largest]
        key = key[: min(p["max_key_accounts"], p["n_vip"])] if p["n_vip"] else []
    rows: list[dict[str, Any]] = []
    kpi_ids = ["revenue", "avg_check", "revenue_per_table", "table_turnover", "revpash", "avg_rating",
               "rating_count"]
    if has_times:
        kpi_ids.append("seat_occupancy")

    def emit(src: pd.Series, period: str, partial: bool) -> None:
        note = "partial month" if partial else ""
        for k in kpi_ids:
            if k == "rating_count":
                rows.append(_row(k, src["ratings"], period=period, partial=partial, note=note))
            elif k == "avg_rating":
                rows.append(_row(k, src["avg_rating"], period=period, partial=partial,
                                 note=_join(note, _count_words(src["ratings"], "rating") if src["ratings"] else
                                            "no ratings")))
            elif k in ("revpash", "seat_occupancy") and math.isnan(seats):
                rows.append(_row(k, math.nan, period=period, partial=partial,
                                 note=_join(note, "no tables table (seats)")))
            elif k in ("revenue_per_table", "table_turnover", "revpash", "seat_occupancy") and \
                    not src["open_days"]:
                rows.append(_row(k, math.nan, period=period, partial=partial, note=_join(note, "no open days")))
            else:
                rows.append(_row(k, src[k], period=period, partial=partial, note=note))

    emit(all_row, "all", False)
    for _, m in monthly.iterrows():
        emit(m, m["period"], bool(m["partial"]))
    for gid in key:
        scope = _scope(gid)
        gr = guests.loc[gid]
        rows.append(_row("visits", gr["visits"], scope=scope))
        rows.append(_row("revenue", gr["revenue"], scope=scope))
        rows.append(_row("avg_check", gr["avg_check"], scope=scope))
        if has_rating:
            rows.append(_row("avg_rating", gr["avg_rating"], scope=scope,
                             note=_count_words(gr["ratings"], "rating") if gr["ratings"] else "no ratings"))
            rows.append(_row("rating_count", gr["ratings"], scope=scope))
    table = kpi_table(rows, p["targets"])
    frames = {"monthly": monthly, "by_weekday": by_weekday, "by_table": by_table, "heatmap": heat,
              "guests": guests, "visits": df, "all": all_row,
              "capacity": {"tables": n_tables, "seats": seats, "open_hours_per_day": hours}}
    return CaseResult("restaurant", frames, key, table, notes, p["currency"])


# ----------------------------------------------------------------------------------------------
# registry
# ----------------------------------------------------------------------------------------------

_COMMON = {"max_key_accounts": 5, "major_threshold": 0.10, "currency": "NOK"}

CASES: dict[str, Case] = {
    "startup": Case(
        "startup", "A startup with two big customers", "01_startup.ipynb", ("invoices", "customers"),
        {**_COMMON, "targets": {"mom_growth": 0.03, "cmgr": 0.03, "top_customer_share": 0.40,
                                "customer_churn": 0.05},
         "weights": dict(accounts.DEFAULT_WEIGHTS), "abc_a": 0.80, "abc_b": 0.95, "recent_months": 6,
         "include_partial_months": False},
        "Customers A and B and a tail: revenue concentration, key-account scoring and monthly growth.",
        _run_startup),
    "consultancy": Case(
        "consultancy", "A consultancy with a multinational client", "02_consultancy.ipynb",
        ("projects", "timesheets", "consultants", "surveys"),
        {**_COMMON, "targets": {"csat": 0.85, "on_time_rate": 0.80, "utilization": 0.75,
                                "avg_completion_days": 120.0}},
        "CSAT, project completion time, utilization and revenue per consultant; the key client's view.",
        _run_consultancy),
    "marketing_agency": Case(
        "marketing_agency", "A digital marketing agency with a high-profile client",
        "03_marketing_agency.ipynb", ("campaign_stats",),
        {**_COMMON, "major_threshold": 0.25,
         "targets": {"ctr": 0.02, "cvr": 0.03, "cpa": 400.0, "roas": 4.0}},
        "CTR, CVR, CPC, CPA and ROAS by month, client, campaign and channel; ratios of sums.",
        _run_marketing_agency),
    "restaurant": Case(
        "restaurant", "A restaurant with a VIP guest", "04_restaurant.ipynb", ("visits", "tables"),
        {**_COMMON, "n_vip": 3, "open_hours_per_day": 6.0,
         "targets": {"avg_rating": 4.3, "table_turnover": 2.0, "revpash": 250.0}},
        "The VIP regular found by visits and spend; rating, revenue per table, turnover and RevPASH.",
        _run_restaurant),
    "your_data": Case(
        "your_data", "Your own transaction log", "05_your_data.ipynb", ("transactions", "customers"),
        {**_COMMON, "targets": {"mom_growth": 0.02, "cmgr": 0.02, "top_customer_share": 0.30},
         "weights": dict(accounts.DEFAULT_WEIGHTS), "abc_a": 0.80, "abc_b": 0.95, "recent_months": 6,
         "include_partial_months": False},
        "Any transaction log: key accounts (shares, Pareto/ABC, concentration, scoring) and revenue KPIs.",
        _run_your_data),
}


def known_parameters(case: str) -> dict[str, Any]:
    """The analysis parameters of a case with their defaults (a fresh copy)."""
    if case not in CASES:
        raise KeyError(f"unknown case {case!r}; known: {', '.join(CASES)}")
    return {k: (dict(v) if isinstance(v, dict) else v) for k, v in CASES[case].defaults.items()}


def analyse(case: str, data: CaseData, **params: Any) -> CaseResult:
    """Run a case's analysis on loaded data and return frames, key accounts and the KPI table.

    Parameters not given take the case defaults (:func:`known_parameters`); ``targets`` given are
    merged into the default targets (a target of ``None`` removes one), ``weights`` replace them.
    """
    if case not in CASES:
        raise KeyError(f"unknown case {case!r}; known: {', '.join(CASES)}")
    p = _check_params(case, params)
    p["targets"] = {k: v for k, v in p["targets"].items() if v is not None}
    return CASES[case].run(data, p)


# --- helpers for 01_startup ---

@dataclass(frozen=True)
class Scenario:
    """What :func:`scenario_without_account` returns: the business with and without one account.

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
    conc = _concentration_row(totals, a, b)
    positive = totals[totals > 0]
    c = accounts.concentration(positive) if len(positive) else {"top_customer": None, "hhi_band": "n/a"}
    out = {"revenue": float(totals.sum()),
           "cmgr": kpis.cmgr_from_series(growth_rev) if len(growth_rev) > 1 else math.nan,
           "active_customers": float((totals > 0).sum()), **conc}
    return out, c["top_customer"], c["hhi_band"]


def scenario_without_account(result_or_matrix: CaseResult | pd.DataFrame, account: Any, *,
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
    >>> s = scenario_without_account(m, "A")
    >>> s.monthly["revenue_without"].tolist(), float(s.summary.at["cmgr", "without"])
    ([40.0, 50.0], 0.25)
    >>> s.top_customer, round(float(s.summary.at["top_customer_share", "without"]), 4)
    (('A', 'B'), 0.7778)
    """
    if isinstance(result_or_matrix, CaseResult):
        frames = result_or_matrix.frames
        if "revenue_by_month" not in frames:
            raise ValueError(f"case {result_or_matrix.case!r} has no revenue_by_month frame; "
                             "scenario_without_account needs a revenue case (startup, your_data)")
        matrix = frames["revenue_by_month"]
        if partial is None:
            partial = frames["monthly"].set_index("period")["partial"].reindex(matrix.index, fill_value=False)
    elif isinstance(result_or_matrix, pd.DataFrame):
        matrix = result_or_matrix
    else:
        raise TypeError("scenario_without_account needs a CaseResult or a period x customer DataFrame, "
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
    Reading down the ``key_account`` column shows at which weight the key account changes: the
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
        One row per step: ``weight``, ``key_account`` (the best score) and one score column per
        account (the accounts in the order of ``features``).

    Examples
    --------
    >>> f = pd.DataFrame({"revenue_share": [0.7, 0.3], "strategic_value": [2, 5]},
    ...                  index=pd.Index(["A", "B"], name="customer"))
    >>> s = weight_sweep(f, {"revenue_share": 0.5, "strategic_value": 0.5}, steps=5)
    >>> s[["weight", "key_account"]].to_dict("list")
    {'weight': [0.0, 0.25, 0.5, 0.75, 1.0], 'key_account': ['B', 'B', 'A', 'A', 'A']}
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
        row = {"weight": w, "key_account": customers[best] if best is not None else None}
        row.update(zip(customers, score.tolist()))
        rows.append(row)
    out = pd.DataFrame(rows)
    names = [c for c in features.index if c in out.columns]
    return out[["weight", "key_account", *names]]


# --- helpers for 04_restaurant ---

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


def _known_guest(visits: pd.DataFrame) -> pd.Series:
    if "guest_id" not in visits.columns:
        return pd.Series(False, index=visits.index)
    g = visits["guest_id"]
    return g.notna() & (g.astype("str").str.strip() != "")


def guest_mix(visits: pd.DataFrame) -> pd.DataFrame:
    """Visits and revenue of guests with an id versus walk-ins without one.

    Rows ``known guests`` and ``walk-ins (no id)``; columns ``visits``, ``visit_share``, ``revenue``,
    ``revenue_share``, ``guests`` (distinct ids; NaN for walk-ins, who cannot be told apart). A
    walk-in can never be a key account: nothing links two of their visits. Without a ``guest_id``
    column every visit counts as a walk-in.

    >>> v = pd.DataFrame({"guest_id": ["G1", None, "G1", ""], "bill": [100.0, 50.0, 100.0, 50.0]})
    >>> guest_mix(v)[["visits", "visit_share", "guests"]].to_dict("list")
    {'visits': [2, 2], 'visit_share': [0.5, 0.5], 'guests': [1.0, nan]}
    """
    known = _known_guest(visits).to_numpy()
    bill = visits["bill"].to_numpy(dtype=float)
    n_known, n_anon = int(known.sum()), int((~known).sum())
    rev_known, rev_anon = float(bill[known].sum()), float(bill[~known].sum())
    ids = visits.loc[known, "guest_id"].nunique() if "guest_id" in visits.columns else 0
    out = pd.DataFrame({
        "visits": [n_known, n_anon],
        "visit_share": kpis.safe_ratio(np.array([n_known, n_anon], dtype=float), float(n_known + n_anon)),
        "revenue": [rev_known, rev_anon],
        "revenue_share": kpis.safe_ratio(np.array([rev_known, rev_anon]), rev_known + rev_anon),
        "guests": [float(ids), math.nan],
    }, index=pd.Index(["known guests", "walk-ins (no id)"], name="guest type"))
    return out


def rating_comparison(visits: pd.DataFrame, guests: list[str] | tuple[str, ...] = (), *,
                      level: float = 0.95, reference: str = "all guests") -> pd.DataFrame:
    """Average rating with its count and confidence interval: all guests, then each guest given.

    Index ``reference`` then the guest ids; columns ``ratings`` (count), ``avg_rating``, ``low``,
    ``high`` (t interval at ``level``, clipped to the 1-5 scale; NaN with fewer than two ratings)
    and ``visits``. A mean of 9 ratings moves a lot with one unhappy evening; a mean of 500 hardly
    does: the interval shows how far to trust each.

    >>> v = pd.DataFrame({"guest_id": ["A", "A", None, "B"], "rating": [5.0, 4.0, 3.0, None],
    ...                   "bill": [1.0, 1.0, 1.0, 1.0]})
    >>> rating_comparison(v, ["A", "B"])[["ratings", "avg_rating", "visits"]].to_dict("list")
    {'ratings': [3, 2, 0], 'avg_rating': [4.0, 4.5, nan], 'visits': [4, 2, 1]}
    """
    rating = visits["rating"] if "rating" in visits.columns else pd.Series(math.nan, index=visits.index)
    known = _known_guest(visits)
    rows = {reference: (rating, len(visits))}
    for g in guests:
        mask = known & (visits["guest_id"] == g)
        rows[str(g)] = (rating[mask], int(mask.sum()))
    out = []
    for name, (r, n_visits) in rows.items():
        m = mean_interval(r, level=level, bounds=(1.0, 5.0))
        out.append({"who": name, "ratings": m["n"], "avg_rating": m["mean"], "low": m["low"],
                    "high": m["high"], "visits": n_visits})
    return pd.DataFrame(out).set_index("who")


def vip_vs_all(visits: pd.DataFrame, guests: pd.DataFrame, accounts_: list[str] | tuple[str, ...],
               reference: str = "all guests") -> pd.DataFrame:
    """The key guests' experience next to the whole restaurant's, ready for ``plots.compare_account_vs_all``.

    Index (KPI): ``visits per guest`` (for the reference: the mean over guests with an id),
    ``average check`` (revenue / covers), ``average rating`` and ``ratings given``; columns the
    reference then each key guest. ``guests`` is ``result.frames["guests"]``.
    """
    rating = visits["rating"] if "rating" in visits.columns else pd.Series(math.nan, index=visits.index)
    ref = {
        "visits per guest": float(guests["visits"].mean()) if len(guests) else math.nan,
        "average check": float(kpis.avg_check(visits["bill"].sum(), visits["covers"].sum())),
        "average rating": kpis.avg_rating(rating),
        "ratings given": float(kpis.rating_count(rating)),
    }
    cols = {reference: ref}
    for g in accounts_:
        row = guests.loc[g]
        cols[str(g)] = {
            "visits per guest": float(row["visits"]),
            "average check": float(row["avg_check"]),
            "average rating": float(row["avg_rating"]) if "avg_rating" in row.index else math.nan,
            "ratings given": float(row["ratings"]) if "ratings" in row.index else math.nan,
        }
    out = pd.DataFrame(cols)
    out.index.name = "kpi"
    return out


#: Units of the rows of :func:`vip_vs_all`, for the plots.
VIP_VS_ALL_UNITS = {"visits per guest": "number", "average check": "currency", "average rating": "score",
                    "ratings given": "count"}


def revpash_by_open_hours(monthly: pd.DataFrame, seats: float, hours: list[float] | tuple[float, ...]
                          ) -> pd.DataFrame:
    """Monthly RevPASH for several values of ``open_hours_per_day`` (the denominator's assumption).

    Columns ``period``, ``partial`` and one ``"<h> h open"`` column per value in ``hours``:
    revenue / (seats x h x open days). NaN without seats or open days.

    >>> m = pd.DataFrame({"period": ["2025-01"], "partial": [False], "revenue": [12_000.0], "open_days": [2]})
    >>> revpash_by_open_hours(m, 10, [5, 6]).iloc[0, 2:].tolist()
    [120.0, 100.0]
    """
    out = monthly[["period", "partial"]].copy()
    for h in hours:
        out[f"{float(h):g} h open"] = kpis.revpash(monthly["revenue"].astype(float), seats, float(h),
                                                    monthly["open_days"].astype(float))
    return out.reset_index(drop=True)


def visit_durations(visits: pd.DataFrame) -> pd.DataFrame:
    """Minutes each party stayed, and whether it left after midnight.

    ``data.load_case`` already puts a ``left_at`` earlier than ``seated_at`` on the next day, so a
    party seated at 22:30 that left at 00:40 stayed 130 minutes (not -1,310). Columns ``minutes``
    (NaN where a time is missing) and ``past_midnight`` (left on a later date than the visit's).

    >>> v = pd.DataFrame({"date": pd.to_datetime(["2025-01-01"]),
    ...                   "seated_at": pd.to_datetime(["2025-01-01 22:30"]),
    ...                   "left_at": pd.to_datetime(["2025-01-02 00:40"])})
    >>> d = visit_durations(v)
    >>> float(d.at[0, "minutes"]), bool(d.at[0, "past_midnight"])
    (130.0, True)
    """
    minutes = (visits["left_at"] - visits["seated_at"]).dt.total_seconds() / 60.0
    past = (visits["left_at"].dt.normalize() > visits["date"].dt.normalize()).fillna(False)
    return pd.DataFrame({"minutes": minutes.astype(float), "past_midnight": past.astype(bool)},
                        index=visits.index)


def restaurant_facts(data: CaseData, result: CaseResult) -> dict[str, Any]:
    """Headline facts for the notebook's introduction, computed once.

    Keys: ``first``, ``last`` (``YYYY-MM-DD``), ``months``, ``partial_months`` (list), ``visits``,
    ``covers``, ``revenue``, ``open_days``, ``tables``, ``seats`` (NaN without tables.csv),
    ``closed_weekdays`` (weekdays without any visit), ``past_midnight`` (visits that ended after
    midnight; 0 without times), ``walk_in_share`` (visits without a guest id; NaN without a
    ``guest_id`` column, where nobody can be told apart), ``known_guests``.
    """
    v = data["visits"]
    first, last = data.date_range
    months = result.frames["monthly"]
    by_wd = result.frames["by_weekday"]
    mix = guest_mix(v)
    has_times = "seated_at" in v.columns and "left_at" in v.columns
    return {
        "first": f"{first:%Y-%m-%d}", "last": f"{last:%Y-%m-%d}", "months": int(len(months)),
        "partial_months": months.loc[months["partial"], "period"].tolist(),
        "visits": int(len(v)), "covers": int(v["covers"].sum()), "revenue": float(v["bill"].sum()),
        "open_days": int(v["date"].nunique()),
        "tables": int(result.frames["capacity"]["tables"]), "seats": float(result.frames["capacity"]["seats"]),
        "closed_weekdays": [str(d) for d in by_wd.index[by_wd["open_days"] == 0]],
        "past_midnight": int(visit_durations(v)["past_midnight"].sum()) if has_times else 0,
        "walk_in_share": float(mix.at["walk-ins (no id)", "visit_share"]) if "guest_id" in v.columns else math.nan,
        "known_guests": int(mix.at["known guests", "guests"]) if len(v) else 0,
    }


def format_restaurant_table(frame: pd.DataFrame, units: dict[str, str], currency: str = "NOK") -> pd.DataFrame:
    """A display copy of ``frame``: the columns in ``units`` as text in their unit, the rest dropped.

    Units are those of :func:`scorecard.format_value` (``currency``, ``ratio``, ``count``, ``score``,
    ``days``, ``index``) plus ``date`` (``YYYY-MM-DD``) and ``text`` (as is). NaN shows as ``n/a``.
    Columns are kept in the order of ``units``; missing ones are skipped (optional data).

    >>> f = pd.DataFrame({"revenue": [1234.5, float("nan")], "visits": [3, 4], "x": [1, 2]})
    >>> format_restaurant_table(f, {"visits": "count", "revenue": "currency", "rating": "score"}).to_dict("list")
    {'visits': ['3', '4'], 'revenue': ['NOK 1,234', 'n/a']}
    """
    out = pd.DataFrame(index=frame.index)
    for col, unit in units.items():
        if col not in frame.columns:
            continue
        if unit == "date":
            out[col] = [f"{v:%Y-%m-%d}" if pd.notna(v) else "n/a" for v in frame[col]]
        elif unit == "text":
            out[col] = frame[col].astype("str")
        else:
            out[col] = [scorecard.format_value(v, unit, currency) for v in frame[col]]
    return out


def rating_intervals_by_month(visits: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Average rating per calendar month with its count and t interval (see :func:`mean_interval`).

    Index ``period`` (``YYYY-MM``, months with visits); columns ``ratings``, ``avg_rating``, ``low``,
    ``high`` (clipped to 1-5). Shows how much of a month-to-month wiggle is chance.

    >>> v = pd.DataFrame({"date": pd.to_datetime(["2025-01-02", "2025-01-09", "2025-02-01"]),
    ...                   "rating": [4.0, 5.0, None]})
    >>> rating_intervals_by_month(v)[["ratings", "avg_rating"]].to_dict("list")
    {'ratings': [2, 0], 'avg_rating': [4.5, nan]}
    """
    rating = visits["rating"] if "rating" in visits.columns else pd.Series(math.nan, index=visits.index)
    per = period_labels(visits["date"])
    rows = []
    for p in sorted(per.unique()):
        m = mean_interval(rating[per == p], level=level, bounds=(1.0, 5.0))
        rows.append({"period": p, "ratings": m["n"], "avg_rating": m["mean"], "low": m["low"], "high": m["high"]})
    if not rows:
        return pd.DataFrame(columns=["ratings", "avg_rating", "low", "high"], index=pd.Index([], name="period"))
    return pd.DataFrame(rows).set_index("period")

# --- helpers for 03_marketing_agency ---
# Small, tested helpers the marketing-agency notebook calls (tests: tests/test_cases_marketing_agency.py).

#: Display unit of each column of an ad-KPI frame (sums, rates and shares).
AD_UNITS: dict[str, str] = {
    "impressions": "count", "clicks": "count", "conversions": "count", "spend": "currency",
    "conversion_value": "currency", "ctr": "ratio", "cvr": "ratio", "cpc": "currency", "cpa": "currency",
    "roas": "ratio", "roi": "ratio", "spend_share": "ratio", "campaigns": "count", "channels": "count",
    "rate": "ratio", "weight_in_mean": "ratio", "weight_in_ratio": "ratio",
}


#: Ratio columns shown with two decimals (a CTR of 0.46 % would read "0.5%" with one).
AD_TWO_DECIMALS = frozenset({"ctr", "rate", "weight_in_ratio"})


def ad_kpis_by(daily: pd.DataFrame, keys: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Summed counts and the ad KPIs (ratios of sums) of campaign rows grouped by ``keys``.

    Parameters
    ----------
    daily : DataFrame
        Campaign rows with the key columns and some of impressions, clicks, conversions, spend,
        conversion_value (e.g. ``analyse("marketing_agency", ...).frames["daily"]``).
    keys : list of str
        Grouping columns, e.g. ``["campaign", "period"]``. Rows with an empty key (a missing channel)
        form their own group, so the groups always add up to the total.

    Returns
    -------
    DataFrame
        One row per group (sorted by the keys): the keys, the sums and ctr, cvr, cpc, cpa (and roas,
        roi when conversion_value is present). A rate whose denominator is 0 is NaN (shown "n/a"),
        never inf.

    Examples
    --------
    >>> d = pd.DataFrame({"campaign": ["a", "a", "b"], "impressions": [100, 100, 50],
    ...                   "clicks": [5, 3, 0], "conversions": [1, 0, 0], "spend": [10.0, 6.0, 2.0]})
    >>> t = ad_kpis_by(d, ["campaign"])
    >>> t["ctr"].tolist(), t["cpa"].tolist()
    ([0.04, 0.0], [16.0, nan])
    """
    keys = list(keys)
    sums = [c for c in AD_SUMS if c in daily.columns]
    grouped = daily.groupby(keys, observed=True, sort=True, dropna=False)[sums].sum()
    return ad_rates(grouped).reset_index()


def rate_weights(per_group: pd.DataFrame, numerator: str, denominator: str) -> pd.DataFrame:
    """Each group's rate and the weight it gets in the mean of rates and in the ratio of sums.

    rate = numerator / denominator per group (NaN when the denominator is 0).
    weight_in_mean = 1 / (number of groups with a rate): every group counts the same, however small.
    weight_in_ratio = denominator / sum of denominators: the ratio of sums
    (sum numerator / sum denominator) equals sum(weight_in_ratio * rate), so a group counts in
    proportion to its size. (This identity holds when groups with a zero denominator have a zero
    numerator, as clicks without impressions cannot happen.)

    Parameters
    ----------
    per_group : DataFrame
        One row per group (index = group names), with the numerator and denominator columns.
    numerator, denominator : str
        Column names, e.g. ``"clicks", "impressions"`` for CTR.

    Returns
    -------
    DataFrame
        Index as ``per_group``; columns numerator, denominator, rate, weight_in_mean,
        weight_in_ratio; sorted by rate descending (undefined rates last), ties by name.

    Examples
    --------
    >>> g = pd.DataFrame({"clicks": [1, 10], "impressions": [10, 1000]}, index=["small", "big"])
    >>> w = rate_weights(g, "clicks", "impressions")
    >>> w["rate"].round(3).tolist(), w["weight_in_mean"].tolist(), w["weight_in_ratio"].round(3).tolist()
    ([0.1, 0.01], [0.5, 0.5], [0.01, 0.99])
    """
    out = pd.DataFrame({numerator: per_group[numerator].astype(float),
                        denominator: per_group[denominator].astype(float)}, index=per_group.index)
    out["rate"] = kpis.safe_ratio(out[numerator], out[denominator])
    n_rates = int(out["rate"].notna().sum())
    out["weight_in_mean"] = np.where(out["rate"].notna(), 1.0 / n_rates if n_rates else math.nan, 0.0)
    total = float(out[denominator].sum())
    out["weight_in_ratio"] = kpis.safe_ratio(out[denominator], total) if total else math.nan
    order = sorted(out.index, key=lambda g: (math.isnan(out.at[g, "rate"]),
                                             -out.at[g, "rate"] if not math.isnan(out.at[g, "rate"]) else 0.0,
                                             str(g)))
    return out.loc[order]


def mean_of_rates_vs_ratio_of_sums(per_group: pd.DataFrame, numerator: str, denominator: str
                                   ) -> dict[str, Any]:
    """The plain mean of per-group rates next to the ratio of sums (the KPI), and why they differ.

    Returns a dict:

    * ``mean_of_rates``: (1/n) * sum of the n defined per-group rates (groups with a zero
      denominator are left out); the misleading number;
    * ``ratio_of_sums``: sum numerator / sum denominator (NaN when the denominators sum to 0);
      the KPI the table reports;
    * ``weighted_mean_of_rates``: the rates weighted by their denominator's share, equal to
      ``ratio_of_sums`` (shown to prove the point);
    * ``n_groups``, ``n_rates``: groups, and groups with a defined rate;
    * ``highest``, ``highest_rate``, ``highest_weight``: the group with the highest rate, its rate
      and its share of the denominator (how little it weighs in the KPI);
    * ``largest``, ``largest_rate``, ``largest_weight``: likewise for the group with the largest
      denominator.

    Examples
    --------
    >>> g = pd.DataFrame({"clicks": [1, 10], "impressions": [10, 1000]}, index=["small", "big"])
    >>> r = mean_of_rates_vs_ratio_of_sums(g, "clicks", "impressions")
    >>> round(r["mean_of_rates"], 4), round(r["ratio_of_sums"], 4), r["highest"], r["largest"]
    (0.055, 0.0109, 'small', 'big')
    """
    w = rate_weights(per_group, numerator, denominator)
    defined = w[w["rate"].notna()]
    mean = float(defined["rate"].mean()) if len(defined) else math.nan
    ratio = float(kpis.safe_ratio(float(w[numerator].sum()), float(w[denominator].sum())))
    weighted = float((defined["rate"] * defined["weight_in_ratio"]).sum()) if len(defined) and \
        not math.isnan(ratio) else math.nan
    out: dict[str, Any] = {"mean_of_rates": mean, "ratio_of_sums": ratio, "weighted_mean_of_rates": weighted,
                           "n_groups": int(len(w)), "n_rates": int(len(defined)),
                           "highest": None, "highest_rate": math.nan, "highest_weight": math.nan,
                           "largest": None, "largest_rate": math.nan, "largest_weight": math.nan}
    if len(defined):
        hi = defined.index[0]
        big = sorted(defined.index, key=lambda g: (-defined.at[g, denominator], str(g)))[0]
        out.update(highest=hi, highest_rate=float(defined.at[hi, "rate"]),
                   highest_weight=float(defined.at[hi, "weight_in_ratio"]),
                   largest=big, largest_rate=float(defined.at[big, "rate"]),
                   largest_weight=float(defined.at[big, "weight_in_ratio"]))
    return out


def client_overview(daily: pd.DataFrame, by_client: pd.DataFrame) -> pd.DataFrame:
    """Per client: number of campaigns (and channels), spend, share of managed spend, value, ROAS.

    Parameters
    ----------
    daily : DataFrame
        Campaign rows (``frames["daily"]``) with client, campaign and optionally channel.
    by_client : DataFrame
        ``frames["by_client"]`` (sums, rates and spend_share per client), whose order is kept
        (largest spend first).

    Returns
    -------
    DataFrame indexed by client: campaigns, channels (when the data have channels), spend,
    spend_share, conversion_value and roas (when the data have conversion values).

    Examples
    --------
    >>> d = pd.DataFrame({"client": ["A", "A", "B"], "campaign": ["a1", "a2", "b1"],
    ...                   "channel": ["Search", "Social", "Search"]})
    >>> bc = pd.DataFrame({"spend": [30.0, 10.0], "spend_share": [0.75, 0.25]}, index=["A", "B"])
    >>> client_overview(d, bc)[["campaigns", "channels"]].to_dict("list")
    {'campaigns': [2, 1], 'channels': [2, 1]}
    """
    g = daily.groupby("client", observed=True)
    out = pd.DataFrame({"campaigns": g["campaign"].nunique()})
    if "channel" in daily.columns:
        out["channels"] = g["channel"].nunique()
    out = out.reindex(by_client.index)
    for col in ("spend", "spend_share", "conversion_value", "roas"):
        if col in by_client.columns:
            out[col] = by_client[col]
    out.index.name = "client"
    return out


def account_vs_all(by_client: pd.DataFrame, accounts_: list[str], kpis_: list[str] | None = None, *,
                   all_label: str = "all clients", others_label: str | None = "all other clients"
                   ) -> pd.DataFrame:
    """Ad KPIs of the whole agency next to the key account(s) (and the rest), ready to plot.

    Every column is a ratio of sums over its clients: "all clients" sums every client's counts,
    an account column is that client's own rates, and ``others_label`` sums every client that is
    not among ``accounts_`` (left out when there is none, or when ``others_label`` is None).

    Parameters
    ----------
    by_client : DataFrame
        ``frames["by_client"]``: summed counts per client (index = client).
    accounts_ : list of str
        Key accounts (names as in the index; unknown names are ignored).
    kpis_ : list of str, optional
        KPI ids to return (default: ctr, cvr, cpc, cpa, roas, roi as far as available).

    Returns
    -------
    DataFrame
        Index = KPI id, columns = ``[all_label, *accounts_, others_label]``: the input of
        :func:`kpi_helpers.plots.compare_account_vs_all`.

    Examples
    --------
    >>> bc = pd.DataFrame({"impressions": [1000, 1000], "clicks": [10, 30], "conversions": [1, 3],
    ...                    "spend": [100.0, 100.0]}, index=["Key", "Other"])
    >>> account_vs_all(bc, ["Key"], ["ctr"]).round(3).to_dict("list")
    {'all clients': [0.02], 'Key': [0.01], 'all other clients': [0.03]}
    """
    sums = [c for c in AD_SUMS if c in by_client.columns]
    present = [a for a in accounts_ if a in by_client.index]
    cols = {all_label: by_client[sums].sum()}
    for a in present:
        cols[a] = by_client.loc[a, sums]
    rest = by_client.drop(index=present)
    if others_label is not None and len(rest):
        cols[others_label] = rest[sums].sum()
    frame = ad_rates(pd.DataFrame(cols).T.astype(float))
    wanted = [k for k in (kpis_ or AD_KPIS) if k in frame.columns]
    out = frame[wanted].T
    out.index.name = "kpi"
    out.columns = list(cols)
    return out


def compare_by_segment(by_segment: pd.DataFrame, by_client_segment: pd.DataFrame, client: str, kpi: str,
                       segment: str = "channel", all_label: str = "all clients") -> pd.DataFrame:
    """One KPI per segment (channel, month...) for one client next to all clients.

    Parameters
    ----------
    by_segment : DataFrame
        The KPI per segment for all clients, indexed by segment (``frames["by_channel"]``).
    by_client_segment : DataFrame
        Long frame with ``client``, ``segment`` and KPI columns (``frames["by_client_channel"]``).
    client, kpi, segment : str

    Returns
    -------
    DataFrame
        Index = segments (those of ``by_segment``), columns ``[client, all_label]``; NaN where the
        client has no activity in a segment.

    Examples
    --------
    >>> allc = pd.DataFrame({"ctr": [0.04, 0.01]}, index=pd.Index(["Search", "Social"], name="channel"))
    >>> per = pd.DataFrame({"client": ["K"], "channel": ["Search"], "ctr": [0.05]})
    >>> compare_by_segment(allc, per, "K", "ctr").to_dict("list")
    {'K': [0.05, nan], 'all clients': [0.04, 0.01]}
    """
    mine = by_client_segment[by_client_segment["client"] == client].set_index(segment)[kpi]
    out = pd.DataFrame({client: mine.reindex(by_segment.index), all_label: by_segment[kpi]},
                       index=by_segment.index)
    out.index.name = by_segment.index.name or segment
    return out


def format_ad_frame(frame: pd.DataFrame, currency: str = "NOK") -> pd.DataFrame:
    """A display copy of an ad-KPI frame: counts "1,234", money "NOK 1,234", rates "12.3%", NaN "n/a".

    Columns listed in :data:`AD_UNITS` are formatted with :func:`scorecard.format_value`, except
    the small rates of :data:`AD_TWO_DECIMALS` (CTR is often below 1 %), which get two decimals;
    other columns (client, campaign, period...) are kept as they are. The input is not changed.

    Examples
    --------
    >>> format_ad_frame(pd.DataFrame({"campaign": ["a"], "cpa": [float("nan")], "ctr": [0.0123]})).iloc[0].tolist()
    ['a', 'n/a', '1.23%']
    """
    out = frame.copy()
    for col in out.columns:
        unit = AD_UNITS.get(str(col))
        if unit is None:
            continue
        if str(col) in AD_TWO_DECIMALS:
            out[col] = [f"{float(v) * 100:.2f}%" if pd.notna(v) and math.isfinite(float(v)) else "n/a"
                        for v in frame[col]]
        else:
            out[col] = [scorecard.format_value(v, unit, currency) for v in frame[col]]
    return out


# --- helpers for 02_consultancy ---

def client_revenue_by_month(frames: dict[str, Any]) -> pd.DataFrame:
    """Billed revenue per month and client of the consultancy case (period x client matrix).

    Parameters
    ----------
    frames : dict
        ``analyse("consultancy", ...).frames`` (uses ``work`` and ``monthly``).

    Returns
    -------
    DataFrame
        One row per month of the data (``monthly["period"]``, months without hours are 0), one column
        per client, columns ordered by total revenue (largest first, ties by name). Values are
        hours x hourly rate in the case's currency.

    Examples
    --------
    >>> work = pd.DataFrame({"period": ["2024-01", "2024-01", "2024-02"], "client": ["B", "A", "A"],
    ...                      "revenue": [10.0, 5.0, 20.0]})
    >>> monthly = pd.DataFrame({"period": ["2024-01", "2024-02", "2024-03"]})
    >>> client_revenue_by_month({"work": work, "monthly": monthly})
    client      A     B
    period             
    2024-01   5.0  10.0
    2024-02  20.0   0.0
    2024-03   0.0   0.0
    """
    work = frames["work"]
    periods = frames["monthly"]["period"]
    matrix = (work.groupby(["period", "client"], observed=True)["revenue"].sum()
              .unstack("client", fill_value=0.0).reindex(periods, fill_value=0.0))
    totals = matrix.sum(axis=0)
    matrix = matrix[sorted(matrix.columns, key=lambda c: (-totals[c], c))]
    matrix.index.name, matrix.columns.name = "period", "client"
    return matrix


def client_profile(frames: dict[str, Any]) -> pd.DataFrame:
    """Why a client matters, in one row per client: not only revenue, also breadth and duration.

    Columns: ``revenue``, ``revenue_share`` (client revenue / total), ``hours_share`` (client billable
    hours / all billable hours), ``projects`` (in the projects table), ``ongoing_projects`` (no
    actual_end yet), ``first_project`` (earliest start_date), ``active_months`` (months of the data with
    billed hours for the client), ``months`` (months in the data) and ``consultants`` (distinct
    consultants who logged hours for the client). Ordered like ``frames["by_client"]`` (revenue
    descending, ties by name). Shares are NaN when the total is 0.

    Examples
    --------
    >>> work = pd.DataFrame({"period": ["2024-01", "2024-02", "2024-02"], "client": ["A", "A", "B"],
    ...                      "consultant": ["x", "y", "x"], "hours": [6.0, 2.0, 2.0],
    ...                      "revenue": [600.0, 200.0, 200.0]})
    >>> projects = pd.DataFrame({"project_id": ["p1", "p2"], "client": ["A", "B"],
    ...                          "start_date": pd.to_datetime(["2023-12-01", "2024-02-01"]),
    ...                          "actual_end": pd.to_datetime(["2024-02-20", None])})
    >>> by_client = pd.DataFrame({"revenue": [800.0, 200.0]}, index=pd.Index(["A", "B"], name="client"))
    >>> monthly = pd.DataFrame({"period": ["2024-01", "2024-02"]})
    >>> p = client_profile({"work": work, "projects": projects, "by_client": by_client, "monthly": monthly})
    >>> p[["revenue_share", "ongoing_projects", "active_months", "consultants"]]
            revenue_share  ongoing_projects  active_months  consultants
    client                                                             
    A                 0.8                 0              2            2
    B                 0.2                 1              1            1
    """
    work, projects = frames["work"], frames["projects"]
    index = frames["by_client"].index
    billed = work[work["hours"] > 0]
    by_client_work = billed.groupby("client", observed=True)
    revenue = work.groupby("client", observed=True)["revenue"].sum().reindex(index, fill_value=0.0)
    hours = work.groupby("client", observed=True)["hours"].sum().reindex(index, fill_value=0.0)
    pg = projects.groupby("client", observed=True)
    out = pd.DataFrame({
        "revenue": revenue,
        "revenue_share": kpis.safe_ratio(revenue, float(revenue.sum())),
        "hours_share": kpis.safe_ratio(hours, float(hours.sum())),
        "projects": pg.size().reindex(index, fill_value=0).astype("int64"),
        "ongoing_projects": pg["actual_end"].apply(lambda s: int(s.isna().sum()))
        .reindex(index, fill_value=0).astype("int64"),
        "first_project": pg["start_date"].min().reindex(index),
        "active_months": by_client_work["period"].nunique().reindex(index, fill_value=0).astype("int64"),
        "months": len(frames["monthly"]),
        "consultants": by_client_work["consultant"].nunique().reindex(index, fill_value=0).astype("int64"),
    }, index=index)
    out.index.name = "client"
    return out


def project_ages(projects: pd.DataFrame, as_of: Any) -> pd.DataFrame:
    """Every project with its age in days: final duration when finished, days run so far when ongoing.

    A copy of ``projects`` (``frames["projects"]`` or the projects table) with added columns

    * ``finished``: actual_end is known;
    * ``days``: actual_end - start_date for finished projects, as_of - start_date for ongoing ones (0 for
      projects that start after ``as_of``); for an ongoing project a lower bound of its final duration;
    * ``planned_days``: planned_end - start_date;
    * ``overdue``: still ongoing although ``as_of`` is after planned_end (it will certainly be late);
    * ``days_overdue``: as_of - planned_end for overdue projects, else 0;
    * ``projected_days``: ``days`` for finished projects; for ongoing ones the larger of the days so far and
      the planned days, i.e. the duration if the project ends on plan, or today when it is already late
      (an optimistic projection).

    Examples
    --------
    >>> p = pd.DataFrame({"project_id": ["a", "b"], "start_date": pd.to_datetime(["2024-01-01", "2024-03-01"]),
    ...                   "planned_end": pd.to_datetime(["2024-02-01", "2024-03-20"]),
    ...                   "actual_end": pd.to_datetime(["2024-02-10", None])})
    >>> project_ages(p, "2024-04-01")[["project_id", "days", "planned_days", "overdue", "days_overdue",
    ...                               "projected_days"]]
      project_id  days  planned_days  overdue  days_overdue  projected_days
    0          a    40            31    False             0              40
    1          b    31            19     True            12              31
    """
    as_of = pd.Timestamp(as_of)
    out = projects.copy()
    finished = out["actual_end"].notna()
    end = out["actual_end"].where(finished, as_of)
    out["finished"] = finished
    out["days"] = (end - out["start_date"]).dt.days.clip(lower=0).astype("int64")
    out["planned_days"] = (out["planned_end"] - out["start_date"]).dt.days.astype("int64")
    out["overdue"] = ~finished & (out["planned_end"] < as_of)
    out["days_overdue"] = np.where(out["overdue"], (as_of - out["planned_end"]).dt.days, 0).astype("int64")
    out["projected_days"] = np.where(finished, out["days"], np.maximum(out["days"], out["planned_days"])
                                     ).astype("int64")
    return out


def completion_time_summary(projects: pd.DataFrame, as_of: Any) -> dict[str, float]:
    """Project completion time with the ongoing projects in view (survivorship bias made visible).

    The KPIs count finished projects only. Long projects finish last, so at any moment the finished ones
    are biased towards short, punctual projects; the ongoing ones are where the long and late projects
    hide. This summary puts numbers on that.

    Returns a dict with

    * ``finished``, ``ongoing``, ``overdue`` (ongoing past planned_end), ``late`` (finished after
      planned_end): counts;
    * ``avg_completion_days``: the KPI, mean duration of finished projects (NaN if none finished);
    * ``on_time_rate``: finished on or before planned_end / finished (NaN if none finished);
    * ``avg_delay_late_days``: mean delay (actual_end - planned_end) of the late projects (NaN if none);
    * ``avg_ongoing_days_so_far`` and ``avg_ongoing_planned_days``: mean age at ``as_of`` and mean planned
      duration of the ongoing projects (NaN if none);
    * ``ongoing_longer_than_avg``: ongoing projects already older than ``avg_completion_days``;
    * ``avg_days_projected``: the average over all projects if every ongoing project ends on its planned
      end, or today when it is already overdue (an optimistic projection, see :func:`project_ages`);
    * ``on_time_rate_with_overdue``: on-time projects / (finished + overdue), counting the overdue ones as
      the late projects they will be (NaN if both are 0).

    Examples
    --------
    >>> p = pd.DataFrame({"start_date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-01"]),
    ...                   "planned_end": pd.to_datetime(["2024-01-31", "2024-01-31", "2024-02-29"]),
    ...                   "actual_end": pd.to_datetime(["2024-01-11", "2024-02-10", None])})
    >>> s = completion_time_summary(p, "2024-04-10")
    >>> s["avg_completion_days"], s["on_time_rate"], s["avg_delay_late_days"], s["overdue"]
    (25.0, 0.5, 10.0, 1)
    >>> s["avg_days_projected"], round(s["on_time_rate_with_overdue"], 3)
    (50.0, 0.333)
    """
    ages = project_ages(projects, as_of)
    fin = ages[ages["finished"]]
    ongoing = ages[~ages["finished"]]
    late = fin[fin["actual_end"] > fin["planned_end"]]
    delay = (late["actual_end"] - late["planned_end"]).dt.days
    avg = float(kpis.avg_completion_days(fin["start_date"], fin["actual_end"]))

    def mean(s: pd.Series) -> float:
        return float(s.mean()) if len(s) else math.nan

    on_time = len(fin) - len(late)
    return {
        "finished": int(len(fin)),
        "ongoing": int(len(ongoing)),
        "overdue": int(ongoing["overdue"].sum()),
        "late": int(len(late)),
        "avg_completion_days": avg,
        "on_time_rate": float(kpis.on_time_rate(on_time, len(fin))),
        "avg_delay_late_days": mean(delay),
        "avg_ongoing_days_so_far": mean(ongoing["days"]),
        "avg_ongoing_planned_days": mean(ongoing["planned_days"]),
        "ongoing_longer_than_avg": int((ongoing["days"] > avg).sum()) if math.isfinite(avg) else 0,
        "avg_days_projected": mean(ages["projected_days"]),
        "on_time_rate_with_overdue": float(kpis.on_time_rate(on_time, len(fin) + int(ongoing["overdue"].sum()))),
    }


def client_revenue_frame(frames: dict[str, Any], client: str) -> pd.DataFrame:
    """One client's monthly revenue next to all other clients', for a trend line.

    Columns: ``period``, ``partial``, ``revenue`` (the client), ``other_revenue`` (all other clients) and
    ``revenue_share`` (client / total, NaN in a month without revenue).
    """
    matrix = client_revenue_by_month(frames)
    acc = matrix[client] if client in matrix.columns else pd.Series(0.0, index=matrix.index)
    total = matrix.sum(axis=1)
    return pd.DataFrame({
        "period": matrix.index.to_numpy(),
        "partial": frames["monthly"]["partial"].to_numpy(dtype=bool),
        "revenue": acc.to_numpy(dtype=float),
        "other_revenue": (total - acc).to_numpy(dtype=float),
        "revenue_share": np.asarray(kpis.safe_ratio(acc, total), dtype=float),
    })


def format_columns(frame: pd.DataFrame, units: dict[str, str], currency: str = "NOK") -> pd.DataFrame:
    """A display copy of ``frame`` with the given columns as text in their unit (``scorecard.format_value``).

    ``units`` maps column -> unit (ratio, currency, days, score, count, index) or ``"month"`` for dates
    shown as ``YYYY-MM``. Undefined values become ``n/a``; other columns are left as they are.

    >>> format_columns(pd.DataFrame({"share": [0.25, float("nan")]}), {"share": "ratio"})["share"].tolist()
    ['25.0%', 'n/a']
    """
    out = frame.copy()
    for col, unit in units.items():
        if col not in out.columns:
            continue
        if unit == "month":
            out[col] = [v.strftime("%Y-%m") if pd.notna(v) else "n/a" for v in pd.to_datetime(out[col])]
        else:
            out[col] = [scorecard.format_value(v, unit, currency) for v in out[col]]
    return out


def client_revenue_trend(frames: dict[str, Any], client: str, window: int | None = None) -> dict[str, Any]:
    """A client's revenue in the latest ``window`` complete months against the ``window`` months before.

    Parameters
    ----------
    frames : dict
        ``analyse("consultancy", ...).frames``.
    client : str
        The client (verbatim name).
    window : int, optional
        Months per block; default half of the complete months (12 with 24 months of data).

    Returns
    -------
    dict
        ``window``, ``previous_months`` and ``recent_months`` ("2024-01 to 2024-12"), ``previous`` and
        ``recent`` (client revenue), ``growth`` ((recent - previous) / previous, NaN if previous is 0 or
        there are fewer than two blocks of complete months), ``share_previous`` and ``share_recent`` (the
        client's share of the firm's revenue in each block).
    """
    matrix = client_revenue_by_month(frames)
    complete = ~frames["monthly"].set_index("period")["partial"].reindex(matrix.index).fillna(False).astype(bool)
    m = matrix[complete.to_numpy()]
    n = len(m)
    w = int(window) if window is not None else n // 2
    acc = m[client] if client in m.columns else pd.Series(0.0, index=m.index)
    if w <= 0 or n < 2 * w:
        return {"window": w, "previous_months": "", "recent_months": "", "previous": math.nan,
                "recent": math.nan, "growth": math.nan, "share_previous": math.nan, "share_recent": math.nan}
    prev_idx, rec_idx = m.index[n - 2 * w: n - w], m.index[n - w:]
    prev, rec = float(acc.loc[prev_idx].sum()), float(acc.loc[rec_idx].sum())
    return {
        "window": w,
        "previous_months": f"{prev_idx[0]} to {prev_idx[-1]}",
        "recent_months": f"{rec_idx[0]} to {rec_idx[-1]}",
        "previous": prev,
        "recent": rec,
        "growth": float(kpis.growth(rec, prev)) if prev else math.nan,
        "share_previous": float(kpis.safe_ratio(prev, float(m.loc[prev_idx].to_numpy().sum()))),
        "share_recent": float(kpis.safe_ratio(rec, float(m.loc[rec_idx].to_numpy().sum()))),
    }


CLIENT_KPIS = ("csat", "on_time_rate", "avg_completion_days")


def clients_vs_firm(result: CaseResult, kpi_ids: tuple[str, ...] = CLIENT_KPIS) -> pd.DataFrame:
    """The service KPIs of the whole firm (row ``"all"``) and of every client, side by side.

    The ``all`` row is taken from the KPI table (scope ``all``, period ``all``), the client rows from
    ``frames["by_client"]`` (same formulas, computed over that client's surveys and projects). KPIs that
    are undefined for everyone (e.g. CSAT without a surveys table) are left out.

    Returns
    -------
    DataFrame
        Index ``["all", <clients in revenue order>]`` (name ``scope``), one column per KPI id.
    """
    t = result.kpis
    firm = t[(t["scope"] == "all") & (t["period"] == "all")].set_index("kpi")["value"]
    by_client = result.frames["by_client"]
    rows = {"all": {k: float(firm.get(k, math.nan)) for k in kpi_ids}}
    for client in by_client.index:
        rows[client] = {k: float(by_client.at[client, k]) if k in by_client.columns else math.nan
                        for k in kpi_ids}
    out = pd.DataFrame.from_dict(rows, orient="index")[list(kpi_ids)]
    out = out.loc[:, out.notna().any(axis=0)]
    out.index.name = "scope"
    return out


def account_comparison(result: CaseResult, account: str, kpi_ids: tuple[str, ...] = CLIENT_KPIS,
                       targets: dict[str, float] | None = None
                       ) -> tuple[pd.DataFrame, dict[str, str], dict[str, float]]:
    """What ``plots.compare_account_vs_all`` needs to show one account's KPIs next to the firm's.

    Returns ``(values, units, targets)``: ``values`` is indexed by the KPIs' readable names (from
    ``scorecard.KPI_CATALOGUE``) with the columns ``["all", account]``; ``units`` and ``targets`` map
    the same names to the KPI's unit and target (only KPIs with a target given).
    """
    table = clients_vs_firm(result, kpi_ids)
    values = table.loc[["all", account]].T
    names = {k: scorecard.KPI_CATALOGUE[k].name if k in scorecard.KPI_CATALOGUE else k for k in values.index}
    units = {names[k]: scorecard.KPI_CATALOGUE[k].unit if k in scorecard.KPI_CATALOGUE else "number"
             for k in values.index}
    targets = dict(targets or {})
    tg = {names[k]: float(targets[k]) for k in values.index if targets.get(k) is not None}
    values = values.rename(index=names)
    values.index.name = "kpi"
    return values, units, tg

# the per-notebook helpers appended above are public too
__all__ += [
    'ad_rates', 'guest_rfm', 'Scenario', 'scenario_without_account', 'weight_sweep', 't_quantile',
    'mean_interval', 'guest_mix', 'rating_comparison', 'vip_vs_all', 'revpash_by_open_hours',
    'visit_durations', 'restaurant_facts', 'format_restaurant_table', 'rating_intervals_by_month',
    'ad_kpis_by', 'rate_weights', 'mean_of_rates_vs_ratio_of_sums', 'client_overview',
    'account_vs_all', 'compare_by_segment', 'format_ad_frame', 'client_revenue_by_month',
    'client_profile', 'project_ages', 'completion_time_summary', 'client_revenue_frame',
    'format_columns', 'client_revenue_trend', 'clients_vs_firm', 'account_comparison',
]
