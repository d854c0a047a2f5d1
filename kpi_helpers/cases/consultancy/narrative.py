"""The consultancy notebook's sentences (notebook 02): every number in its text computed from the data.

Each helper takes the case's :class:`~kpi_helpers.cases.CaseResult` (and the figures the notebook
already has) and returns Markdown: which key account the notebook follows and why, the relationship,
revenue per consultant per month and per year, CSAT with its counts and intervals, completion and
ongoing projects, utilization, the revenue trend and the summary.
"""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ... import accounts, kpis, scorecard, stats
from ...display import format_value, key_accounts_text, markdown_text, status_text
from .. import CaseResult
from .analysis import average_headcount, client_profile, client_revenue_frame, client_revenue_trend, data_range

__all__ = ["followed_account_text", "relationship_text", "headcount", "revenue_per_consultant_summary",
           "revenue_per_consultant_text", "share_intervals", "client_vs_others", "client_vs_others_text",
           "monthly_statuses", "monthly_statuses_text", "answers_needed", "revenue_per_consultant_in_year",
           "data_text", "revenue_text", "risk_text", "csat_text", "completion_text", "ongoing_text",
           "utilization_text", "revenue_trend_text", "summary_text"]


# --- narrative helpers of notebook 02 (issue 11): every sentence computed from the data -------------

def _names(items: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C`` (names shown verbatim in Markdown)."""
    items = [markdown_text(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""



def followed_account_text(result: CaseResult) -> str:
    """Which key account the notebook follows in depth, and why; the others named.

    The notebook follows the largest key account (the rule always picks it). With several key
    accounts the sentence names them all and says how much larger the followed one is than the next,
    so the reader never meets "the key account" where the rule picked more than one.

    >>> by_client = pd.DataFrame({"revenue": [60.0, 20.0, 20.0]}, index=["A", "B", "C"])
    >>> by_client["revenue_share"] = by_client["revenue"] / 100
    >>> r = CaseResult("consultancy", {"by_client": by_client}, ["A", "B"], None, [])
    >>> followed_account_text(r)
    'This notebook follows **A**, the largest of the 2 key accounts, in depth: it brings 60.0% of billed revenue, 3.0 times as much as B (20.0%), the next key account. The same KPIs for B are in the client charts of section 4 and in the KPI table.'
    >>> followed_account_text(CaseResult("consultancy", {"by_client": by_client}, ["A"], None, []))
    'This notebook follows **A**, the only key account, in depth: it brings 60.0% of billed revenue.'
    """
    keys = list(result.key_accounts)
    if not keys:
        return "The key-account rule picked no client (no client has billed revenue), so there is no key account to follow."
    share = result.frames["by_client"]["revenue_share"]
    first = keys[0]
    if len(keys) == 1:
        return (f"This notebook follows **{markdown_text(first)}**, the only key account, in depth: it brings "
                f"{format_value(share[first], 'ratio')} of billed revenue.")
    second = keys[1]
    times = share[first] / share[second] if share[second] else math.nan
    return (f"This notebook follows **{markdown_text(first)}**, the largest of the {len(keys)} key accounts, in depth: it brings "
            f"{format_value(share[first], 'ratio')} of billed revenue, {format_value(times, 'number', decimals=1)} "
            f"times as much as {second} ({format_value(share[second], 'ratio')}), the next key account. The same KPIs for "
            f"{_names(keys[1:])} are in the client charts of section 4 and in the KPI table.")


def relationship_text(result: CaseResult, client: str) -> str:
    """Why ``client`` matters beyond revenue, in one Markdown paragraph computed from the data.

    Counts the months *of the data* (first to last month) in which the client was billed, and says
    whether its first project started before the data begin (then the relationship is older than the
    data can show: "billed in 24 of 24 months since October 2023" would be false when the data start in
    January 2024).
    """
    p = client_profile(result).loc[client]
    first_day, last_day = data_range(result)
    months = result.frames["monthly"]["period"]
    staff = int(result.frames["work"]["consultant"].nunique())
    text = (f"**{markdown_text(client)}**: {format_value(p['revenue_share'], 'ratio')} of billed revenue, "
            f"{int(p['projects'])} of {int(client_profile(result)['projects'].sum())} projects "
            f"({int(p['ongoing_projects'])} still running), billed in {int(p['active_months'])} of the "
            f"{int(p['months'])} months of data ({months.iloc[0]} to {months.iloc[-1]}), and "
            f"{int(p['consultants'])} of the {staff} consultants in the timesheets have logged hours for it.")
    start = p["first_project"]
    if pd.isna(start):
        return text
    if start < first_day:
        text += (f" Its first project started in {start:%B %Y}, before the data begin: the relationship is "
                 f"older than these data can show.")
    else:
        text += f" Its first project started in {start:%B %Y}, within the data."
    return text


def headcount(result: CaseResult, consultants: pd.DataFrame | None = None) -> float:
    """Average headcount over the whole data period: FTE by employment days (:func:`average_headcount`)
    when the consultants table is given, else the consultants who logged hours (the fallback of
    :func:`run`)."""
    if consultants is not None and len(consultants):
        first, last = data_range(result)
        return average_headcount(consultants, first, last)
    return float(result.frames["work"]["consultant"].nunique())


def revenue_per_consultant_summary(result: CaseResult) -> dict[str, Any]:
    """Revenue per consultant per month (the monthly rows) and per year (the whole-period row).

    Returns ``per_year`` (the KPI table's ``all`` row: revenue / average headcount, annualised),
    ``monthly_mean``, ``monthly_min`` / ``monthly_max`` with their months ``min_period`` /
    ``max_period`` (complete months only when there are any), ``twelve_months`` (12 x the monthly
    mean, to set beside the annual figure) and ``note`` (the row's note: what the denominator is).
    """
    t = result.kpis
    row = t[(t["kpi"] == "revenue_per_consultant") & (t["scope"] == "all") & (t["period"] == "all")].iloc[0]
    m = result.frames["monthly"]
    use = m[~m["partial"].astype(bool)] if (~m["partial"].astype(bool)).any() else m
    v = use.set_index("period")["revenue_per_consultant"].dropna()
    empty = v.empty
    return {
        "per_year": float(row["value"]),
        "monthly_mean": float(v.mean()) if not empty else math.nan,
        "monthly_min": float(v.min()) if not empty else math.nan,
        "min_period": str(v.idxmin()) if not empty else "",
        "monthly_max": float(v.max()) if not empty else math.nan,
        "max_period": str(v.idxmax()) if not empty else "",
        "twelve_months": 12.0 * float(v.mean()) if not empty else math.nan,
        "complete_months": int(len(v)),
        "note": str(row["note"]),
    }


def revenue_per_consultant_text(result: CaseResult, staff: float, *, currency: str = "NOK") -> str:
    """Revenue per consultant per month and per year, saying which is which (one Markdown paragraph)."""
    s = revenue_per_consultant_summary(result)

    def money(x: float) -> str:
        return format_value(x, "currency", currency=currency, compact=True)

    near = abs(s["twelve_months"] - s["per_year"]) <= 0.05 * abs(s["per_year"]) if s["per_year"] else False
    close = "about the same, " if near else "a different figure (months differ in length and headcount), "
    return (f"**Per month** (the line above): revenue per consultant was {money(s['monthly_mean'])} on average over "
            f"{s['complete_months']} months, from {money(s['monthly_min'])} ({s['min_period']}) to "
            f"{money(s['monthly_max'])} ({s['max_period']}). **Per year** (the KPI table's whole-period row): "
            f"{money(s['per_year'])} per consultant, the period's revenue divided by the average headcount of "
            f"{format_value(staff, 'number', decimals=1)} consultants and scaled to one year (365.25 days); twelve "
            f"times the monthly average gives {close}{money(s['twelve_months'])}. A monthly target compares "
            f"with the monthly line, never with the annual figure.")


_SHARE_COLUMNS = {"csat": ("satisfied", "responses"), "on_time_rate": ("on_time_projects", "finished_projects")}


def share_intervals(result: CaseResult, kpi: str = "csat", *, minimum: int = 0, level: float = 0.95,
                    include_firm: bool = True) -> pd.DataFrame:
    """A share KPI (``csat`` or ``on_time_rate``) per client with its count and Wilson interval.

    One row per client (revenue order), first the whole firm (``"whole firm"``) when ``include_firm``.
    Columns: ``successes`` (answers 4-5, or projects on time), ``count`` (answers, or finished
    projects), ``rate``, ``low``, ``high`` (:func:`kpi_helpers.stats.proportion_interval`) and
    ``too_few`` (count below ``minimum``: the KPI table marks such a value insufficient_data). The
    index is the label to draw: the client's name, with " (too few)" added for too-small groups, so a
    chart marks them; the column ``client`` keeps the plain name.

    >>> by_client = pd.DataFrame({"satisfied": [3, 5], "responses": [3, 12]}, index=["A", "B"])
    >>> r = CaseResult("consultancy", {"by_client": by_client}, ["A"], None, [])
    >>> share_intervals(r, minimum=10)[["client", "count", "rate", "too_few"]]
                     client  count      rate  too_few
    label                                            
    whole firm   whole firm     15  0.533333    False
    A (too few)           A      3  1.000000     True
    B                     B     12  0.416667    False
    """
    ok_col, n_col = _SHARE_COLUMNS[kpi]
    bc = result.frames["by_client"]
    rows = []
    if include_firm:
        rows.append(("whole firm", int(bc[ok_col].sum()), int(bc[n_col].sum())))
    rows += [(str(c), int(bc.at[c, ok_col]), int(bc.at[c, n_col])) for c in bc.index]
    out = []
    for client, k, n in rows:
        iv = stats.proportion_interval(k, n, level)
        few = client != "whole firm" and n < minimum
        out.append({"label": f"{client} (too few)" if few else client, "client": client, "successes": k,
                    "count": n, "rate": iv["share"], "low": iv["low"], "high": iv["high"], "too_few": few})
    return pd.DataFrame(out).set_index("label")


def client_vs_others(result: CaseResult, client: str, kpi: str = "csat", level: float = 0.95) -> dict[str, Any]:
    """One client's share KPI against the *other* clients together (not the whole firm, which contains it).

    Returns ``client``, the counts and Wilson intervals of both groups (``client_interval``,
    ``others_interval``, ``firm_interval``: dicts of :func:`kpi_helpers.stats.proportion_interval`) and
    ``difference`` (:func:`kpi_helpers.stats.proportion_difference`: client minus others, with Newcombe's
    interval and ``distinguishable``).
    """
    ok_col, n_col = _SHARE_COLUMNS[kpi]
    bc = result.frames["by_client"]
    k1, n1 = int(bc.at[client, ok_col]), int(bc.at[client, n_col])
    kt, nt = int(bc[ok_col].sum()), int(bc[n_col].sum())
    return {"client": client, "kpi": kpi, "level": level,
            "client_interval": stats.proportion_interval(k1, n1, level),
            "others_interval": stats.proportion_interval(kt - k1, nt - n1, level),
            "firm_interval": stats.proportion_interval(kt, nt, level),
            "difference": stats.proportion_difference(k1, n1, kt - k1, nt - n1, level)}


def client_vs_others_text(comparison: dict[str, Any]) -> str:
    """The comparison of :func:`client_vs_others` in words: counts, intervals and whether the
    difference is distinguishable from noise at the chosen level."""
    c, o, f, d = (comparison["client_interval"], comparison["others_interval"], comparison["firm_interval"],
                  comparison["difference"])
    level = format_value(comparison["level"], "ratio", decimals=0)
    what = "answers scored 4 or 5" if comparison["kpi"] == "csat" else "finished projects on time"

    def part(iv: dict[str, float]) -> str:
        return (f"{iv['successes']} of {iv['n']} {what}, {format_value(iv['share'], 'ratio')} "
                f"({level} interval {format_value(iv['low'], 'ratio')} to {format_value(iv['high'], 'ratio')})")

    if not math.isfinite(d["difference"]):
        return (f"**{markdown_text(comparison['client'])}**: {part(c)}; the other clients: {part(o)}. One of the two groups has no "
                f"observations, so there is no difference to judge.")

    def points(x: float) -> str:
        return f"{100 * x:+.1f}".replace("-", "−")

    verdict = ("it does not contain 0, so the difference is larger than the noise of these counts explains"
               if d["distinguishable"] else
               "it contains 0, so with these counts the difference cannot be told apart from noise")
    return (f"**{markdown_text(comparison['client'])}**: {part(c)}. **The other clients together**: {part(o)}. Difference "
            f"{points(d['difference'])} percentage points, {level} interval {points(d['low'])} to "
            f"{points(d['high'])} points: {verdict}. (The whole firm, this client included: {f['successes']} of "
            f"{f['n']}, {format_value(f['share'], 'ratio')}.)")


def monthly_statuses(result: CaseResult, kpi_ids: tuple[str, ...] = ("csat", "on_time_rate", "avg_completion_days",
                                                                       "utilization")) -> pd.DataFrame:
    """How many monthly rows of the firm (scope ``all``) have each status, per KPI.

    Index: the KPI ids given that are in the table; columns: the statuses in a fixed order
    (on_track, off_track, insufficient_data, not_measurable, no_target), counts of months.
    """
    order = ["on_track", "off_track", "insufficient_data", "not_measurable", "no_target"]
    t = result.kpis
    m = t[(t["scope"] == "all") & (t["period"] != "all") & t["kpi"].isin(kpi_ids)]
    counts = pd.crosstab(m["kpi"], m["status"]).reindex(columns=order, fill_value=0)
    counts = counts.reindex([k for k in kpi_ids if k in counts.index])
    counts.index.name, counts.columns.name = "kpi", "status"
    return counts.astype("int64")


def monthly_statuses_text(result: CaseResult, *, min_responses: int, min_finished_projects: int) -> str:
    """Why most monthly CSAT and completion statuses are insufficient_data, in numbers."""
    s = monthly_statuses(result, ("csat", "on_time_rate"))
    m = result.frames["monthly"]
    parts = []
    if "csat" in s.index and len(result.frames["surveys"]):
        r = s.loc["csat"]
        parts.append(
            f"CSAT: {r['insufficient_data']} of {int(r.sum())} months are *insufficient data* (fewer than "
            f"{min_responses} answers; the median month has {format_value(float(m['responses'].median()), 'number', decimals=0)}), "
            f"{r['not_measurable']} *not measurable* (no answer at all) and only {r['on_track'] + r['off_track']} "
            f"have enough answers to be on or off track")
    if "on_time_rate" in s.index:
        r = s.loc["on_time_rate"]
        parts.append(
            f"on-time rate: {r['insufficient_data']} months *insufficient data* (fewer than {min_finished_projects} "
            f"finished projects), {r['not_measurable']} *not measurable* (no project finished) and "
            f"{r['on_track'] + r['off_track']} on or off track")
    if not parts:
        return ""
    return ("Monthly statuses: " + "; ".join(parts) + ". *Insufficient data* is not a verdict: a rate over a "
            "handful of answers or projects swings by tens of points by chance, so the table refuses to call it "
            "on or off track. Judge these KPIs over the whole period or a quarter, where the counts are large enough.")


def answers_needed(satisfied: int, responses: int, target: float) -> float:
    """How many more answers, all scored 4 or 5, lift CSAT ``satisfied / responses`` to ``target``.

    Smallest x >= 0 with (satisfied + x) / (responses + x) >= target; 0 when the target is already
    met (at least 1 when there is no answer yet), NaN when it cannot be reached (target above 1, or target 1 with an unhappy answer).

    >>> answers_needed(78, 114, 0.85), answers_needed(9, 10, 0.85), answers_needed(1, 2, 1.0)
    (126, 0, nan)
    """
    if not math.isfinite(float(target)):
        return math.nan
    if responses and satisfied / responses >= target - 1e-12:
        return 0
    if target >= 1.0:
        return math.nan
    x = (target * responses - satisfied) / (1.0 - target)
    return max(1 if responses == 0 else 0, math.ceil(round(x, 9)))  # no answers yet: at least one


def revenue_per_consultant_in_year(result: CaseResult, consultants: pd.DataFrame | None, year: int) -> float:
    """Revenue per consultant per year over one calendar year of the data (annualised when the data
    cover only part of it): revenue of that year's months / average headcount over the covered days
    (:func:`average_headcount`) x 365.25 / covered days. NaN without a consultants table or when the
    data do not reach into ``year``."""
    if consultants is None or not len(consultants):
        return math.nan
    first, last = data_range(result)
    start, end = max(pd.Timestamp(year=year, month=1, day=1), first), min(pd.Timestamp(year=year, month=12, day=31), last)
    if end < start:
        return math.nan
    work = result.frames["work"]
    revenue = float(work.loc[work["period"].astype(str).str.startswith(f"{year}-"), "revenue"].sum())
    fte = average_headcount(consultants, start, end)
    return float(kpis.revenue_per_consultant(revenue, fte)) * 365.25 / ((end - start).days + 1)



# --- the notebook's remaining sentences, one helper each (issue 11: no narrative in f-string cells) ----

def _firm_row(result: CaseResult, kpi: str) -> pd.Series:
    t = result.kpis
    return t[(t["kpi"] == kpi) & (t["scope"] == "all") & (t["period"] == "all")].iloc[0]


def _target_text(result: CaseResult, kpi: str, *, currency: str = "NOK") -> str:
    r = _firm_row(result, kpi)
    return (f"target {format_value(r['target'], r['unit'], currency=currency)}" if pd.notna(r["target"])
            else "no target")


def data_text(result: CaseResult, source: str) -> str:
    """What was read: months (partial ones counted), timesheet rows, projects and clients."""
    m, f = result.frames["monthly"], result.frames
    return (f"**Data:** {len(m)} months, {m['period'].iloc[0]} to {m['period'].iloc[-1]} "
            f"({int(m['partial'].sum())} partial), read from `{source}`: {len(f['work']):,} timesheet rows, "
            f"{len(f['projects']):,} projects for {len(f['by_client']):,} clients.")


def revenue_text(result: CaseResult, *, currency: str = "NOK") -> str:
    """Billed revenue of the period, per month and per billable hour."""
    work, m = result.frames["work"], result.frames["monthly"]
    hours, revenue = float(work["hours"].sum()), float(work["revenue"].sum())

    def money(x: float, compact: bool = True) -> str:
        return format_value(x, "currency", currency=currency, compact=compact)

    return (f"Billed revenue over the whole period: **{money(revenue)}** from "
            f"{format_value(hours, 'number', decimals=0)} billable hours: {money(float(m['revenue'].mean()))} a month "
            f"and {money(revenue / hours if hours else math.nan, compact=False)} per billable hour on average.")


def risk_text(result: CaseResult, client: str, staff: float, *, currency: str = "NOK") -> str:
    """What losing ``client`` would cost: its revenue share and the consultants (average headcount)
    whose hours it buys, with the HHI of the client base."""
    p = client_profile(result).loc[client]
    conc = accounts.concentration(result.frames["by_client"]["revenue"])
    return (f"If the largest key account, {client}, left, revenue would fall by {format_value(p['revenue_share'], 'ratio')} "
            f"({format_value(p['revenue'], 'currency', currency=currency, compact=True)} over the period), and the "
            f"billable hours of about **{format_value(p['hours_share'] * staff, 'number', decimals=1)} of "
            f"{format_value(staff, 'number', decimals=1)} consultants** (average headcount) would need other clients. "
            f"HHI of the client base: {format_value(conc['hhi'], 'index', decimals=0)} ({conc['hhi_band']}).")


def csat_text(result: CaseResult, *, few: int = 5) -> str:
    """The firm's CSAT over the whole period against its target, and how thin the monthly values are."""
    r, m = _firm_row(result, "csat"), result.frames["monthly"]
    thin = int(((m["responses"] > 0) & (m["responses"] < few)).sum())
    n_all, n_months = len(result.frames["surveys"]), int(m["responses"].sum())
    outside = (f" {n_all - n_months} of the answers are dated outside the months of the data: they count in the "
               f"whole-period CSAT but in no month." if n_all > n_months else "")
    return (f"CSAT over the whole period: **{format_value(r['value'], 'ratio')}** from {n_all} "
            f"answers ({_target_text(result, 'csat')}: {status_text(r['status'])}). "
            f"{int((m['responses'] == 0).sum())} months had no answers and {thin} months fewer than {few}, so single "
            f"monthly values are uncertain.{outside}")


def completion_text(result: CaseResult, timing: dict[str, float]) -> str:
    """Completion time and on-time rate of the finished projects (:func:`completion_time_summary`)."""
    return (f"{timing['finished']} projects finished in the data: average completion time "
            f"**{format_value(timing['avg_completion_days'], 'days')}** ({_target_text(result, 'avg_completion_days')}), "
            f"on-time rate **{format_value(timing['on_time_rate'], 'ratio')}** ({_target_text(result, 'on_time_rate')}). "
            f"{timing['late']} finished late, on average {format_value(timing['avg_delay_late_days'], 'days')} after "
            f"the plan.")


def ongoing_text(timing: dict[str, float], as_of: Any) -> str:
    """The projects still running and what they would do to the completion KPIs (two paragraphs)."""
    d = lambda x: format_value(x, "days")  # noqa: E731
    running = "1 project is" if timing["ongoing"] == 1 else f"{timing['ongoing']} projects are"
    if timing["ongoing"] == 1:
        longer = "It has already run" if timing["ongoing_longer_than_avg"] else "It has not yet run"
    else:
        longer = f"{timing['ongoing_longer_than_avg']} of them have already run"
    return (f"**{running} still running** at {pd.Timestamp(as_of):%Y-%m-%d}, on average "
            f"{d(timing['avg_ongoing_days_so_far'])} so far, and they are planned to take "
            f"{d(timing['avg_ongoing_planned_days'])} on average against {d(timing['avg_completion_days'])} for the "
            f"finished ones. {longer} longer than that average, "
            f"and {timing['overdue']} {'is' if timing['overdue'] == 1 else 'are'} past the planned end: late whatever "
            f"happens.\n\nEven if every ongoing project ends on plan (or today, when it is already late), the average "
            f"completion time becomes **{d(timing['avg_days_projected'])}** instead of {d(timing['avg_completion_days'])}, "
            f"and counting the overdue projects as late gives an on-time rate of "
            f"**{format_value(timing['on_time_rate_with_overdue'], 'ratio')}** instead of "
            f"{format_value(timing['on_time_rate'], 'ratio')}. Report the KPI together with the number of ongoing "
            f"and overdue projects.")


def utilization_text(result: CaseResult) -> str:
    """Utilization over the period against its target, months meeting it, and the lowest month."""
    r, m = _firm_row(result, "utilization"), result.frames["monthly"]
    complete = m[~m["partial"].astype(bool) & m["utilization"].notna()]
    met = (f"{int((complete['utilization'] >= r['target']).sum())} of {len(complete)} complete months meet the "
           f"target. " if pd.notna(r["target"]) else "")
    low = complete.nsmallest(1, "utilization")
    lowest = (f"{low['period'].iloc[0]} with {format_value(low['utilization'].iloc[0], 'ratio')}." if len(low)
              else "n/a.")
    return (f"Utilization over the whole period: **{format_value(r['value'], 'ratio')}** "
            f"({_target_text(result, 'utilization')}: {status_text(r['status'])}). {met}The lowest month is {lowest}")


def revenue_trend_text(result: CaseResult, client: str, *, currency: str = "NOK") -> str:
    """One client's revenue in the latest complete months against the months before
    (:func:`client_revenue_trend`), and the range of its monthly share."""
    t, f = client_revenue_trend(result, client), client_revenue_frame(result, client)

    def money(x: float) -> str:
        return format_value(x, "currency", currency=currency, compact=True)

    def months(text: str) -> str:  # "2024-02 to 2024-02" reads "2024-02"
        a, _, b = text.partition(" to ")
        return a if a == b else (text or "n/a")

    return (f"{client}: {money(t['recent'])} in {months(t['recent_months'])} against {money(t['previous'])} in "
            f"{months(t['previous_months'])} (growth {format_value(t['growth'], 'ratio')}); its share of the firm's "
            f"revenue went from {format_value(t['share_previous'], 'ratio')} to {format_value(t['share_recent'], 'ratio')}. "
            f"Monthly shares ranged from {format_value(f['revenue_share'].min(), 'ratio')} to "
            f"{format_value(f['revenue_share'].max(), 'ratio')}: project-based revenue comes in waves.")


def summary_text(result: CaseResult, *, threshold: float, timing: dict[str, float], currency: str = "NOK") -> str:
    """The closing summary: the key accounts, the firm's KPIs against their targets, the largest key
    account's CSAT against the other clients, and the ongoing projects (a Markdown list)."""
    lines = ["- " + key_accounts_text(result.key_account_table, threshold=threshold, noun="client", measure="revenue")]
    for k in ["csat", "avg_completion_days", "on_time_rate", "utilization", "revenue_per_consultant"]:
        r = _firm_row(result, k)
        if pd.notna(r["target"]) and pd.notna(r["value"]):
            tgt = f" against a target of {format_value(r['target'], r['unit'], currency=currency)} ({status_text(r['status'])})"
        else:
            tgt = f" ({r['note']})" if pd.isna(r["value"]) and r["note"] else ""
        whole = " per consultant per year (annualised over the whole period)" if k == "revenue_per_consultant" else ""
        lines.append(f"- **{scorecard.KPI_CATALOGUE[k].name}:** "
                     f"{format_value(r['value'], r['unit'], currency=currency)}{whole}{tgt}.")
    bc = result.frames["by_client"]
    if result.key_accounts and bc["responses"].sum():
        lines.append("- **CSAT of the largest key account against the other clients:** "
                     + client_vs_others_text(client_vs_others(result, result.key_accounts[0], "csat")))
    lines.append(f"- **Ongoing projects:** {timing['ongoing']} ({timing['overdue']} overdue) are not in the "
                 f"completion KPIs.")
    return "\n".join(lines)
