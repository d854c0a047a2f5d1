"""The consultancy case (notebook 02): a consultancy with a multinational client.

What this module decides: how timesheets, projects, consultants and surveys become the consultancy's
KPIs (revenue = billable hours x the project's hourly rate; CSAT; completion time and on-time rate of
finished projects; utilization and revenue per consultant from employment dates), which client is a
key account (by revenue), and the views its notebook reads, in the notebook's order: revenue per
client and month, the client profile, project ages and completion time with ongoing projects in view,
the clients next to the firm, and one client's revenue trend. Helpers that read the analysis take its
:class:`~kpi_helpers.cases.CaseResult`.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import accounts, kpis, scorecard, stats
from ..display import format_value, key_accounts_text, status_text
from ..periods import period_labels
from . import CaseResult
from ._common import account_scope, case_months, count_words, join_notes, kpi_row, kpi_table

if TYPE_CHECKING:
    from ..data import CaseData

__all__ = ["average_headcount", "run", "client_revenue_by_month", "client_profile", "project_ages",
           "completion_time_summary", "CLIENT_KPIS", "clients_vs_firm", "account_comparison",
           "client_revenue_frame", "client_revenue_trend", "followed_account_text", "relationship_text",
           "headcount", "revenue_per_consultant_summary", "revenue_per_consultant_text", "share_intervals",
           "client_vs_others", "client_vs_others_text", "monthly_statuses", "monthly_statuses_text",
           "answers_needed", "revenue_per_consultant_in_year", "data_text", "revenue_text", "risk_text",
           "csat_text", "completion_text", "ongoing_text", "utilization_text", "revenue_trend_text",
           "summary_text"]


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


def average_headcount(consultants: pd.DataFrame, start: Any, end: Any) -> float:
    """Average headcount (full-time equivalents by employment days) over the days ``start``..``end``.

    Formula: sum over consultants of (days employed within [start, end]) / (days in [start, end]),
    employment from ``start_date`` to ``end_date`` (empty = still employed), both days included.
    A consultant employed the whole period counts 1, one who joined half-way 0.5. It is the
    denominator of revenue per consultant: counting everyone who was employed at some point would
    make a month with a leaver and a joiner look like it had one consultant too many.
    Unit: consultants. Undefined (NaN): end before start.

    >>> c = pd.DataFrame({"start_date": pd.to_datetime(["2024-01-01", "2024-01-16"]),
    ...                   "end_date": pd.to_datetime([None, None])})
    >>> average_headcount(c, "2024-01-01", "2024-01-31")   # 1 + 16/31
    1.5161290322580645
    """
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    days = (end - start).days + 1
    if days <= 0:
        return math.nan
    first = consultants["start_date"].clip(lower=start)
    last = consultants["end_date"].fillna(end).clip(upper=end)
    employed = ((last - first).dt.days + 1).clip(lower=0)
    return float(employed.sum()) / days


def run(data: CaseData, p: dict[str, Any]) -> CaseResult:
    """The consultancy analysis with checked parameters (call :func:`kpi_helpers.cases.analyse`).

    Frames: ``monthly``, ``projects`` (with finished, completion_days, on_time, delay_days, status),
    ``by_client``, ``by_consultant``, ``work`` (one row per timesheet line with client and revenue),
    ``surveys`` and ``date_range`` (the first and last data day, a tuple of Timestamps).
    """
    notes: list[str] = []
    projects = data["projects"].copy()
    ts = data["timesheets"]
    months = case_months(data)
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
        # average headcount (FTE by employment days) over the part of each month the data cover
        monthly["consultants"] = [
            average_headcount(data["consultants"], max(pd.Timestamp(f"{per}-01"), first),
                              min(pd.Timestamp(f"{per}-01") + pd.offsets.MonthEnd(0), last))
            for per in monthly.index]
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
        n_consultants = average_headcount(c, first, last)
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
    key_table = accounts.key_accounts(revenue, threshold=p["major_threshold"], max_accounts=p["max_key_accounts"])
    key = key_table.index.tolist()

    rows: list[dict[str, Any]] = [
        kpi_row("revenue", total_rev),
        kpi_row("csat", kpis.csat(int((surveys["score"] >= 4).sum()), len(surveys)),
                note="" if has_surveys else "no surveys table", observations=len(surveys) if has_surveys else None),
        kpi_row("avg_completion_days", kpis.avg_completion_days(fin["start_date"], fin["actual_end"]),
                note=join_notes("" if len(fin) else "no project finished",
                                f"{count_words((~projects['finished']).sum(), 'ongoing project')} not counted"),
                observations=len(fin)),
        kpi_row("on_time_rate", kpis.on_time_rate(int(fin["on_time"].sum()), len(fin)), observations=len(fin)),
        # the whole period: revenue per consultant per year (annualised over the data's days)
        kpi_row("revenue_per_consultant",
                kpis.revenue_per_consultant(total_rev, n_consultants) * 365.25 / ((last - first).days + 1),
                note="per year (annualised); average headcount (FTE) as denominator" if has_consultants
                else "per year (annualised); consultants who logged hours as denominator"),
        kpi_row("utilization", kpis.utilization(float(work["hours"].sum()), avail_all),
                note="" if has_consultants else "no consultants table"),
    ]
    for _, m in monthly.iterrows():
        per, part = m["period"], bool(m["partial"])
        note = "partial month" if part else ""
        rows.append(kpi_row("revenue", m["revenue"], period=per, partial=part, note=note))
        rows.append(kpi_row("csat", m["csat"], period=per, partial=part,
                            note=join_notes(note, "" if m["responses"] else "no survey responses"),
                            observations=m["responses"] if has_surveys else None))
        rows.append(kpi_row("avg_completion_days", m["avg_completion_days"], period=per, partial=part,
                            note=join_notes(note, "" if m["finished_projects"] else "no project finished"),
                            observations=m["finished_projects"]))
        rows.append(kpi_row("on_time_rate", m["on_time_rate"], period=per, partial=part,
                            note=join_notes(note, "" if m["finished_projects"] else "no project finished"),
                            observations=m["finished_projects"]))
        rows.append(kpi_row("revenue_per_consultant", m["revenue_per_consultant"], period=per, partial=part,
                            note=note))
        rows.append(kpi_row("utilization", m["utilization"], period=per, partial=part, note=note))
    client_month = work.groupby(["client", "period"], observed=True)["revenue"].sum()
    for acc in key:
        scope = account_scope(acc)
        r = by_client.loc[acc]
        rows.append(kpi_row("revenue", r["revenue"], scope=scope))
        rows.append(kpi_row("revenue_share", r["revenue_share"], scope=scope))
        rows.append(kpi_row("csat", r["csat"], scope=scope,
                            note="" if r["responses"] else "no survey responses",
                            observations=r["responses"] if has_surveys else None))
        rows.append(kpi_row("on_time_rate", r["on_time_rate"], scope=scope,
                            note="" if r["finished_projects"] else "no project finished",
                            observations=r["finished_projects"]))
        for _, m in monthly.iterrows():
            per = m["period"]
            val = float(client_month.get((acc, per), 0.0))
            rows.append(kpi_row("revenue", val, scope=scope, period=per, partial=bool(m["partial"])))
            rows.append(kpi_row("revenue_share", kpis.share_of_total(val, m["revenue"]), scope=scope, period=per,
                                partial=bool(m["partial"])))
    table = kpi_table(rows, p["targets"], {"csat": p["min_responses"], "on_time_rate": p["min_finished_projects"],
                                           "avg_completion_days": p["min_finished_projects"]})
    frames = {"monthly": monthly, "projects": projects, "by_client": by_client,
              "by_consultant": by_consultant, "work": work, "surveys": surveys,
              "date_range": (first, last)}
    return CaseResult("consultancy", frames, key, table, notes, p["currency"], key_table)


def client_revenue_by_month(result: CaseResult) -> pd.DataFrame:
    """Billed revenue per month and client of the consultancy case (period x client matrix).

    Parameters
    ----------
    result : CaseResult
        ``analyse("consultancy", ...)`` (uses the frames ``work`` and ``monthly``).

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
    >>> client_revenue_by_month(CaseResult("consultancy", {"work": work, "monthly": monthly}, [], None, []))
    client      A     B
    period             
    2024-01   5.0  10.0
    2024-02  20.0   0.0
    2024-03   0.0   0.0
    """
    work = result.frames["work"]
    periods = result.frames["monthly"]["period"]
    matrix = (work.groupby(["period", "client"], observed=True)["revenue"].sum()
              .unstack("client", fill_value=0.0).reindex(periods, fill_value=0.0))
    totals = matrix.sum(axis=0)
    matrix = matrix[sorted(matrix.columns, key=lambda c: (-totals[c], c))]
    matrix.index.name, matrix.columns.name = "period", "client"
    return matrix


def client_profile(result: CaseResult) -> pd.DataFrame:
    """Why a client matters, in one row per client: not only revenue, also breadth and duration.

    Columns: ``revenue``, ``revenue_share`` (client revenue / total), ``hours_share`` (client billable
    hours / all billable hours), ``projects`` (in the projects table), ``ongoing_projects`` (no
    actual_end yet, or one after the last data day), ``first_project`` (earliest start_date), ``active_months`` (months of the data with
    billed hours for the client), ``months`` (months in the data) and ``consultants`` (distinct
    consultants who logged hours for the client). Ordered like ``result.frames["by_client"]`` (revenue
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
    >>> frames = {"work": work, "projects": projects, "by_client": by_client, "monthly": monthly}
    >>> p = client_profile(CaseResult("consultancy", frames, [], None, []))
    >>> p[["revenue_share", "ongoing_projects", "active_months", "consultants"]]
            revenue_share  ongoing_projects  active_months  consultants
    client                                                             
    A                 0.8                 0              2            2
    B                 0.2                 1              1            1
    """
    frames = result.frames
    work, projects = frames["work"], frames["projects"]
    index = frames["by_client"].index
    last_day = _data_range(result)[1]
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
        "ongoing_projects": pg["actual_end"].apply(lambda s: int((s.isna() | (s > last_day)).sum()))
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

    * ``finished``: actual_end is known and on or before ``as_of`` (a later end date is still in the
      future at ``as_of``: the project counts as ongoing, as in the KPIs of :func:`run`);
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
    # finished as of ``as_of``: an end date after it is still in the future then (the rule of :func:`run`)
    finished = out["actual_end"].notna() & (out["actual_end"] <= as_of)
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


def client_revenue_frame(result: CaseResult, client: str) -> pd.DataFrame:
    """One client's monthly revenue next to all other clients', for a trend line.

    Columns: ``period``, ``partial``, ``revenue`` (the client), ``other_revenue`` (all other clients) and
    ``revenue_share`` (client / total, NaN in a month without revenue).
    """
    matrix = client_revenue_by_month(result)
    acc = matrix[client] if client in matrix.columns else pd.Series(0.0, index=matrix.index)
    total = matrix.sum(axis=1)
    return pd.DataFrame({
        "period": matrix.index.to_numpy(),
        "partial": result.frames["monthly"]["partial"].to_numpy(dtype=bool),
        "revenue": acc.to_numpy(dtype=float),
        "other_revenue": (total - acc).to_numpy(dtype=float),
        "revenue_share": np.asarray(kpis.safe_ratio(acc, total), dtype=float),
    })


def client_revenue_trend(result: CaseResult, client: str, window: int | None = None) -> dict[str, Any]:
    """A client's revenue in the latest ``window`` complete months against the ``window`` months before.

    Parameters
    ----------
    result : CaseResult
        ``analyse("consultancy", ...)``.
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
    matrix = client_revenue_by_month(result)
    complete = ~result.frames["monthly"].set_index("period")["partial"].reindex(matrix.index).fillna(False).astype(bool)
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



# --- narrative helpers of notebook 02 (issue 11): every sentence computed from the data -------------

def _names(items: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def _data_range(result: CaseResult) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day the data cover: ``frames["date_range"]`` (set by :func:`run`), else the
    calendar months of ``frames["monthly"]``."""
    if "date_range" in result.frames:
        first, last = result.frames["date_range"]
        return pd.Timestamp(first), pd.Timestamp(last)
    m = result.frames["monthly"]
    return (pd.Timestamp(f"{m['period'].iloc[0]}-01"),
            pd.Timestamp(f"{m['period'].iloc[-1]}-01") + pd.offsets.MonthEnd(0))


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
        return (f"This notebook follows **{first}**, the only key account, in depth: it brings "
                f"{format_value(share[first], 'ratio')} of billed revenue.")
    second = keys[1]
    times = share[first] / share[second] if share[second] else math.nan
    return (f"This notebook follows **{first}**, the largest of the {len(keys)} key accounts, in depth: it brings "
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
    first_day, last_day = _data_range(result)
    months = result.frames["monthly"]["period"]
    staff = int(result.frames["work"]["consultant"].nunique())
    text = (f"**{client}**: {format_value(p['revenue_share'], 'ratio')} of billed revenue, "
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
        first, last = _data_range(result)
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
        return (f"**{comparison['client']}**: {part(c)}; the other clients: {part(o)}. One of the two groups has no "
                f"observations, so there is no difference to judge.")

    def points(x: float) -> str:
        return f"{100 * x:+.1f}".replace("-", "−")

    verdict = ("it does not contain 0, so the difference is larger than the noise of these counts explains"
               if d["distinguishable"] else
               "it contains 0, so with these counts the difference cannot be told apart from noise")
    return (f"**{comparison['client']}**: {part(c)}. **The other clients together**: {part(o)}. Difference "
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
    first, last = _data_range(result)
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
