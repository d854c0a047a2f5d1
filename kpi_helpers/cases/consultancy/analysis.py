"""The consultancy case (notebook 02): its analysis and the views its notebook reads.

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

from ... import accounts, kpis, scorecard, stats
from ...display import format_value, key_accounts_text, status_text
from ...i18n import tr
from ...periods import period_labels
from .. import CaseResult
from .._common import account_scope, case_months, count_words, join_notes, kpi_row, kpi_table

if TYPE_CHECKING:
    from ...data import CaseData

__all__ = ["average_headcount", "data_range", "run", "client_revenue_by_month", "client_profile", "project_ages", "completion_time_summary", "CLIENT_KPIS", "clients_vs_firm", "account_comparison", "client_revenue_frame", "client_revenue_trend"]


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
        notes.append(tr("No surveys table: CSAT is skipped."))

    # consultants (optional): available hours for utilization
    has_consultants = data.has("consultants")
    if has_consultants:
        avail = _available_hours(data["consultants"], months, first, last)
    else:
        notes.append(tr("No consultants table: utilization is skipped and revenue per consultant counts the "
                        "consultants who logged hours."))
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
    last_day = data_range(result)[1]
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

def data_range(result: CaseResult) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day the consultancy's data cover: ``frames["date_range"]`` (set by :func:`run`), else the
    calendar months of ``frames["monthly"]``."""
    if "date_range" in result.frames:
        first, last = result.frames["date_range"]
        return pd.Timestamp(first), pd.Timestamp(last)
    m = result.frames["monthly"]
    return (pd.Timestamp(f"{m['period'].iloc[0]}-01"),
            pd.Timestamp(f"{m['period'].iloc[-1]}-01") + pd.offsets.MonthEnd(0))
