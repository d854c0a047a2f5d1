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
from ...display import (format_value, hhi_band_text, key_accounts_text, kpi_name, language, markdown_text,
                         note_text, status_text)
from ...i18n import tr, trn
from .. import CaseResult
from .analysis import average_headcount, client_profile, client_revenue_frame, client_revenue_trend, data_range

__all__ = ["followed_account_text", "relationship_text", "headcount", "revenue_per_consultant_summary",
           "revenue_per_consultant_text", "share_intervals", "client_vs_others", "client_vs_others_text",
           "monthly_statuses", "monthly_statuses_text", "answers_needed", "revenue_per_consultant_in_year",
           "data_text", "revenue_text", "risk_text", "csat_text", "completion_text", "ongoing_text",
           "utilization_text", "revenue_trend_text", "summary_text", "column_labels",
           "kpi_overview"]


# --- narrative helpers of notebook 02 (issue 11): every sentence computed from the data -------------

def _names(items: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C`` (names shown verbatim in Markdown)."""
    items = [markdown_text(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + language().text("and") + items[-1] if items else ""



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
        return tr("The key-account rule picked no client (no client has billed revenue), so there is no key account "
                  "to follow.")
    share = result.frames["by_client"]["revenue_share"]
    first = keys[0]
    if len(keys) == 1:
        return tr("This notebook follows **{name}**, the only key account, in depth: it brings {share} of billed "
                  "revenue.", name=markdown_text(first), share=format_value(share[first], "ratio"))
    second = keys[1]
    times = share[first] / share[second] if share[second] else math.nan
    return tr("This notebook follows **{name}**, the largest of the {n} key accounts, in depth: it brings {share} of "
              "billed revenue, {times} times as much as {second} ({second_share}), the next key account. The same "
              "KPIs for {others} are in the client charts of section 4 and in the KPI table.",
              name=markdown_text(first), n=len(keys), share=format_value(share[first], "ratio"),
              times=format_value(times, "number", decimals=1), second=markdown_text(second),
              second_share=format_value(share[second], "ratio"), others=_names(keys[1:]))


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
    text = tr("**{name}**: {share} of billed revenue, {projects} of {all_projects} projects ({ongoing} still "
              "running), billed in {active} of the {months} months of data ({first} to {last}), and {consultants} "
              "of the {staff} consultants in the timesheets have logged hours for it.",
              name=markdown_text(client), share=format_value(p["revenue_share"], "ratio"),
              projects=int(p["projects"]), all_projects=int(client_profile(result)["projects"].sum()),
              ongoing=int(p["ongoing_projects"]), active=int(p["active_months"]), months=int(p["months"]),
              first=_month(months.iloc[0]), last=_month(months.iloc[-1]), consultants=int(p["consultants"]),
              staff=staff)
    start = p["first_project"]
    if pd.isna(start):
        return text
    if start < first_day:
        text += " " + tr("Its first project started in {month}, before the data begin: the relationship is older "
                         "than these data can show.", month=_month_name(start))
    else:
        text += " " + tr("Its first project started in {month}, within the data.", month=_month_name(start))
    return text


def _month(period: Any) -> str:
    """A month of the data as the language writes it: ``2024-01`` (English), ``januar 2024`` (Bokmål)."""
    return format_value(period, "month")


def _month_name(day: Any) -> str:
    """A month with its name: ``October 2023`` (English), ``oktober 2023`` (Bokmål)."""
    return format_value(day, "month") if language().month_names else f"{pd.Timestamp(day):%B %Y}"


def _months(text: str) -> str:
    """``2024-01 to 2024-12`` in the language's words; one month alone when both ends are the same."""
    a, _, b = text.partition(" to ")
    if not text:
        return language().not_available
    return _month(a) if a == b or not b else tr("{first} to {last}", first=_month(a), last=_month(b))


def _count(n: Any) -> str:
    """A count with the language's thousands separator: ``8,808`` / ``8 808``."""
    return format_value(n, "count")


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
    twelve = (tr("about the same, {value}", value=money(s["twelve_months"])) if near else
              tr("a different figure (months differ in length and headcount), {value}", value=money(s["twelve_months"])))
    return tr("**Per month** (the line above): revenue per consultant was {mean} on average over {n} months, from "
              "{low} ({low_month}) to {high} ({high_month}). **Per year** (the KPI table's whole-period row): "
              "{per_year} per consultant, the period's revenue divided by the average headcount of {staff} "
              "consultants and scaled to one year ({days} days); twelve times the monthly average gives {twelve}. "
              "A monthly target compares with the monthly line, never with the annual figure.",
              mean=money(s["monthly_mean"]), n=s["complete_months"], low=money(s["monthly_min"]),
              low_month=_month(s["min_period"]) if s["min_period"] else language().not_available,
              high=money(s["monthly_max"]),
              high_month=_month(s["max_period"]) if s["max_period"] else language().not_available,
              per_year=money(s["per_year"]), staff=format_value(staff, "number", decimals=1),
              days=format_value(365.25, "number", decimals=2), twelve=twelve)


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
        rows.append((tr("whole firm"), int(bc[ok_col].sum()), int(bc[n_col].sum())))
    rows += [(str(c), int(bc.at[c, ok_col]), int(bc.at[c, n_col])) for c in bc.index]
    out = []
    for i, (client, k, n) in enumerate(rows):
        iv = stats.proportion_interval(k, n, level)
        few = not (include_firm and i == 0) and n < minimum
        out.append({"label": tr("{name} (too few)", name=client) if few else client, "client": client, "successes": k,
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
    csat = comparison["kpi"] == "csat"

    def part(iv: dict[str, float]) -> str:
        values = {"k": iv["successes"], "n": iv["n"], "share": format_value(iv["share"], "ratio"), "level": level,
                  "low": format_value(iv["low"], "ratio"), "high": format_value(iv["high"], "ratio")}
        if csat:
            return tr("{k} of {n} answers scored 4 or 5, {share} ({level} interval {low} to {high})", **values)
        return tr("{k} of {n} finished projects on time, {share} ({level} interval {low} to {high})", **values)

    name = markdown_text(comparison["client"])
    if not math.isfinite(d["difference"]):
        return tr("**{name}**: {client}; the other clients: {others}. One of the two groups has no observations, so "
                  "there is no difference to judge.", name=name, client=part(c), others=part(o))

    def points(x: float) -> str:
        text = format_value(100 * x, "number", decimals=1)
        return (text if text.startswith(("-", "\u2212")) else "+" + text).replace("-", "\u2212")

    verdict = (tr("it does not contain 0, so the difference is larger than the noise of these counts explains")
               if d["distinguishable"] else
               tr("it contains 0, so with these counts the difference cannot be told apart from noise"))
    return tr("**{name}**: {client}. **The other clients together**: {others}. Difference {difference} percentage "
              "points, {level} interval {low} to {high} points: {verdict}. (The whole firm, this client included: "
              "{k} of {n}, {share}.)", name=name, client=part(c), others=part(o),
              difference=points(d["difference"]), level=level, low=points(d["low"]), high=points(d["high"]),
              verdict=verdict, k=f["successes"], n=f["n"], share=format_value(f["share"], "ratio"))


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
        parts.append(tr(
            "CSAT: {insufficient} of {months} months are *{insufficient_data}* (fewer than {minimum} answers; the "
            "median month has {median}), {not_measurable} *{not_measurable_word}* (no answer at all) and only "
            "{judged} have enough answers to be on or off track",
            insufficient=r["insufficient_data"], months=int(r.sum()), insufficient_data=status_text("insufficient_data"),
            minimum=min_responses, median=format_value(float(m["responses"].median()), "number", decimals=0),
            not_measurable=r["not_measurable"], not_measurable_word=status_text("not_measurable"),
            judged=r["on_track"] + r["off_track"]))
    if "on_time_rate" in s.index:
        r = s.loc["on_time_rate"]
        parts.append(tr(
            "on-time rate: {insufficient} months *{insufficient_data}* (fewer than {minimum} finished projects), "
            "{not_measurable} *{not_measurable_word}* (no project finished) and {judged} on or off track",
            insufficient=r["insufficient_data"], insufficient_data=status_text("insufficient_data"),
            minimum=min_finished_projects, not_measurable=r["not_measurable"],
            not_measurable_word=status_text("not_measurable"), judged=r["on_track"] + r["off_track"]))
    if not parts:
        return ""
    joined = "; ".join(parts)
    return tr("Monthly statuses: {parts}. *{Insufficient_data}* is not a verdict: a rate over a handful of answers or "
              "projects swings by tens of points by chance, so the table refuses to call it on or off track. Judge "
              "these KPIs over the whole period or a quarter, where the counts are large enough.",
              parts=joined, Insufficient_data=status_text("insufficient_data").capitalize())


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
    return (tr("target {value}", value=format_value(r["target"], r["unit"], currency=currency))
            if pd.notna(r["target"]) else status_text("no_target"))


def data_text(result: CaseResult, source: str) -> str:
    """What was read: months (partial ones counted), timesheet rows, projects and clients."""
    m, f = result.frames["monthly"], result.frames
    return tr("**Data:** {months} months, {first} to {last} ({partial} partial), read from `{source}`: {rows} "
              "timesheet rows, {projects} projects for {clients} clients.",
              months=len(m), first=_month(m["period"].iloc[0]), last=_month(m["period"].iloc[-1]),
              partial=int(m["partial"].sum()), source=source, rows=_count(len(f["work"])),
              projects=_count(len(f["projects"])), clients=_count(len(f["by_client"])))


def revenue_text(result: CaseResult, *, currency: str = "NOK") -> str:
    """Billed revenue of the period, per month and per billable hour."""
    work, m = result.frames["work"], result.frames["monthly"]
    hours, revenue = float(work["hours"].sum()), float(work["revenue"].sum())

    def money(x: float, compact: bool = True) -> str:
        return format_value(x, "currency", currency=currency, compact=compact)

    return tr("Billed revenue over the whole period: **{revenue}** from {hours} billable hours: {monthly} a month "
              "and {hourly} per billable hour on average.",
              revenue=money(revenue), hours=format_value(hours, "number", decimals=0),
              monthly=money(float(m["revenue"].mean())),
              hourly=money(revenue / hours if hours else math.nan, compact=False))


def risk_text(result: CaseResult, client: str, staff: float, *, currency: str = "NOK") -> str:
    """What losing ``client`` would cost: its revenue share and the consultants (average headcount)
    whose hours it buys, with the HHI of the client base."""
    p = client_profile(result).loc[client]
    conc = accounts.concentration(result.frames["by_client"]["revenue"])
    return tr("If the largest key account, {name}, left, revenue would fall by {share} ({revenue} over the period), "
              "and the billable hours of about **{consultants} of {staff} consultants** (average headcount) would "
              "need other clients. HHI of the client base: {hhi} ({band}).",
              name=markdown_text(client), share=format_value(p["revenue_share"], "ratio"),
              revenue=format_value(p["revenue"], "currency", currency=currency, compact=True),
              consultants=format_value(p["hours_share"] * staff, "number", decimals=1),
              staff=format_value(staff, "number", decimals=1), hhi=format_value(conc["hhi"], "index", decimals=0),
              band=hhi_band_text(conc["hhi_band"]))


def csat_text(result: CaseResult, *, few: int = 5) -> str:
    """The firm's CSAT over the whole period against its target, and how thin the monthly values are."""
    r, m = _firm_row(result, "csat"), result.frames["monthly"]
    thin = int(((m["responses"] > 0) & (m["responses"] < few)).sum())
    n_all, n_months = len(result.frames["surveys"]), int(m["responses"].sum())
    outside = (" " + tr("{n} of the answers are dated outside the months of the data: they count in the "
                        "whole-period CSAT but in no month.", n=_count(n_all - n_months)) if n_all > n_months else "")
    return tr("CSAT over the whole period: **{value}** from {n} answers ({target}: {status}). {empty} months had no "
              "answers and {thin} months fewer than {few}, so single monthly values are uncertain.",
              value=format_value(r["value"], "ratio"), n=_count(n_all), target=_target_text(result, "csat"),
              status=status_text(r["status"]), empty=int((m["responses"] == 0).sum()), thin=thin, few=few) + outside


def completion_text(result: CaseResult, timing: dict[str, float]) -> str:
    """Completion time and on-time rate of the finished projects (:func:`completion_time_summary`)."""
    return tr("{finished} projects finished in the data: average completion time **{days}** ({days_target}), "
              "on-time rate **{rate}** ({rate_target}). {late} finished late, on average {delay} after the plan.",
              finished=timing["finished"], days=format_value(timing["avg_completion_days"], "days"),
              days_target=_target_text(result, "avg_completion_days"),
              rate=format_value(timing["on_time_rate"], "ratio"), rate_target=_target_text(result, "on_time_rate"),
              late=timing["late"], delay=format_value(timing["avg_delay_late_days"], "days"))


def ongoing_text(timing: dict[str, float], as_of: Any) -> str:
    """The projects still running and what they would do to the completion KPIs (two paragraphs)."""
    d = lambda x: format_value(x, "days")  # noqa: E731
    n = int(timing["ongoing"])
    if n == 1:
        longer = (tr("It has already run longer than that average") if timing["ongoing_longer_than_avg"] else
                  tr("It has not yet run longer than that average"))
    else:
        longer = tr("{k} of them have already run longer than that average", k=timing["ongoing_longer_than_avg"])
    overdue = trn("{n} is past the planned end", "{n} are past the planned end", int(timing["overdue"]))
    first = trn("**{n} project is still running** at {date}, on average {so_far} so far, and they are planned to "
                "take {planned} on average against {finished} for the finished ones. {longer}, and {overdue}: late "
                "whatever happens.",
                "**{n} projects are still running** at {date}, on average {so_far} so far, and they are planned to "
                "take {planned} on average against {finished} for the finished ones. {longer}, and {overdue}: late "
                "whatever happens.", n,
                date=format_value(pd.Timestamp(as_of), "date"), so_far=d(timing["avg_ongoing_days_so_far"]),
                planned=d(timing["avg_ongoing_planned_days"]), finished=d(timing["avg_completion_days"]),
                longer=longer, overdue=overdue)
    second = tr("Even if every ongoing project ends on plan (or today, when it is already late), the average "
                "completion time becomes **{projected}** instead of {days}, and counting the overdue projects as "
                "late gives an on-time rate of **{rate_overdue}** instead of {rate}. Report the KPI together with "
                "the number of ongoing and overdue projects.",
                projected=d(timing["avg_days_projected"]), days=d(timing["avg_completion_days"]),
                rate_overdue=format_value(timing["on_time_rate_with_overdue"], "ratio"),
                rate=format_value(timing["on_time_rate"], "ratio"))
    return first + "\n\n" + second


def utilization_text(result: CaseResult) -> str:
    """Utilization over the period against its target, months meeting it, and the lowest month."""
    r, m = _firm_row(result, "utilization"), result.frames["monthly"]
    complete = m[~m["partial"].astype(bool) & m["utilization"].notna()]
    met = (tr("{met} of {n} complete months meet the target.", met=int((complete["utilization"] >= r["target"]).sum()),
              n=len(complete)) + " " if pd.notna(r["target"]) else "")
    low = complete.nsmallest(1, "utilization")
    lowest = (tr("The lowest month is {month} with {value}.", month=_month(low["period"].iloc[0]),
                 value=format_value(low["utilization"].iloc[0], "ratio")) if len(low)
              else tr("The lowest month is {month}.", month=language().not_available))
    return tr("Utilization over the whole period: **{value}** ({target}: {status}).",
              value=format_value(r["value"], "ratio"), target=_target_text(result, "utilization"),
              status=status_text(r["status"])) + " " + met + lowest


def revenue_trend_text(result: CaseResult, client: str, *, currency: str = "NOK") -> str:
    """One client's revenue in the latest complete months against the months before
    (:func:`client_revenue_trend`), and the range of its monthly share."""
    t, f = client_revenue_trend(result, client), client_revenue_frame(result, client)

    def money(x: float) -> str:
        return format_value(x, "currency", currency=currency, compact=True)

    return tr("{name}: {recent} in {recent_months} against {previous} in {previous_months} (growth {growth}); its "
              "share of the firm's revenue went from {share_previous} to {share_recent}. Monthly shares ranged from "
              "{low} to {high}: project-based revenue comes in waves.",
              name=markdown_text(client), recent=money(t["recent"]), recent_months=_months(t["recent_months"]),
              previous=money(t["previous"]), previous_months=_months(t["previous_months"]),
              growth=format_value(t["growth"], "ratio"), share_previous=format_value(t["share_previous"], "ratio"),
              share_recent=format_value(t["share_recent"], "ratio"), low=format_value(f["revenue_share"].min(), "ratio"),
              high=format_value(f["revenue_share"].max(), "ratio"))


def summary_text(result: CaseResult, *, threshold: float, timing: dict[str, float], currency: str = "NOK") -> str:
    """The closing summary: the key accounts, the firm's KPIs against their targets, the largest key
    account's CSAT against the other clients, and the ongoing projects (a Markdown list)."""
    lines = ["- " + key_accounts_text(result.key_account_table, threshold=threshold, noun="client", measure="revenue")]
    for k in ["csat", "avg_completion_days", "on_time_rate", "utilization", "revenue_per_consultant"]:
        r = _firm_row(result, k)
        value = format_value(r["value"], r["unit"], currency=currency)
        if k == "revenue_per_consultant":
            value = tr("{value} per consultant per year (annualised over the whole period)", value=value)
        if pd.notna(r["target"]) and pd.notna(r["value"]):
            value = tr("{value} against a target of {target} ({status})", value=value,
                       target=format_value(r["target"], r["unit"], currency=currency), status=status_text(r["status"]))
        elif pd.isna(r["value"]) and r["note"]:
            value = f"{value} ({note_text(r['note'])})"
        lines.append(f"- **{kpi_name(k)}:** {value}.")
    bc = result.frames["by_client"]
    if result.key_accounts and bc["responses"].sum():
        lines.append("- " + tr("**CSAT of the largest key account against the other clients:** {comparison}",
                               comparison=client_vs_others_text(client_vs_others(result, result.key_accounts[0], "csat"))))
    lines.append("- " + tr("**Ongoing projects:** {ongoing} ({overdue} overdue) are not in the completion KPIs.",
                           ongoing=timing["ongoing"], overdue=timing["overdue"]))
    return "\n".join(lines)


# --- display words of the notebook's tables (the data keep their English ids) ---------------------

def column_labels() -> dict[str, str]:
    """Column and index names of the notebook's display tables in the language now.

    English keeps the ids the code uses (``revenue_share``), so an English table shows its column ids;
    Bokmål shows words (``inntektsandel``). Use as ``frame.rename(columns=column_labels())``.
    """
    return {
        # the client profile
        "client": tr("client"), "revenue": tr("revenue"), "revenue_share": tr("revenue_share"),
        "hours_share": tr("hours_share"), "projects": tr("projects"), "ongoing_projects": tr("ongoing_projects"),
        "first_project": tr("first_project"), "active_months": tr("active_months"), "months": tr("months"),
        "consultants": tr("consultants"),
        # the ongoing projects
        "project_id": tr("project_id"), "start_date": tr("start_date"), "planned_end": tr("planned_end"),
        "days_so_far": tr("days_so_far"), "planned_days": tr("planned_days"), "overdue": tr("overdue"),
        "days_overdue": tr("days_overdue"),
        # the KPI table
        "kpi": tr("kpi"), "name": tr("name"), "scope": tr("scope"), "period": tr("period"), "value": tr("value"),
        "target": tr("target"), "status": tr("status"), "observations": tr("observations"), "note": tr("note"),
        # statuses (the monthly status counts)
        "on_track": tr("on_track"), "off_track": tr("off_track"), "insufficient_data": tr("insufficient_data"),
        "not_measurable": tr("not_measurable"), "no_target": tr("no_target"),
        # survey answers
        "score": tr("score"), "answers": tr("answers"),
    }


def kpi_overview(kpi_ids: list[str], targets: dict[str, float], *, currency: str = "NOK") -> pd.DataFrame:
    """The firm's KPIs in one small table: name, unit, which direction is better, target (or none).

    >>> kpi_overview(["csat", "revenue_per_consultant"], {"csat": 0.85})
                                KPI      unit better when target
    0  Customer satisfaction (CSAT)     ratio      higher  85.0%
    1        Revenue per consultant  currency      higher   none
    """
    units = {"ratio": tr("ratio"), "days": tr("days"), "currency": tr("currency"), "count": tr("count")}
    better = {"higher": tr("higher"), "lower": tr("lower")}
    rows = []
    for k in kpi_ids:
        kpi = scorecard.KPI_CATALOGUE[k]
        rows.append({tr("KPI"): kpi_name(k), tr("unit"): units.get(kpi.unit, kpi.unit),
                     tr("better when"): better.get(kpi.direction, kpi.direction),
                     tr("target"): format_value(targets[k], kpi.unit, currency=currency)
                     if targets.get(k) is not None else tr("none")})
    return pd.DataFrame(rows)
