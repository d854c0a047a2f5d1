"""The consultancy's projects, timesheets, consultants and surveys, with one multinational key client."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._common import SEEDS, NORWEGIAN_HOLIDAYS, _frame, _sorted, _money

__all__ = ["CONSULTANCY_KEY_CLIENT", "consultancy"]


CONSULTANCY_KEY_CLIENT = "Nordic Global Industries ASA"

_CONSULTANTS: list[tuple[str, str, str | None]] = [
    ("Ingrid Hansen", "2016-08-15", None),
    ("Lars Berg", "2017-01-09", None),
    ("Sofie Nilsen", "2018-03-01", None),
    ("Magnus Larsen", "2018-09-03", None),
    ("Emma Andersen", "2019-02-01", None),
    ("Henrik Pedersen", "2019-08-12", "2025-03-31"),  # leaves during the period
    ("Nora Kristiansen", "2020-01-06", None),
    ("Jonas Olsen", "2020-08-17", None),
    ("Thea Karlsen", "2021-01-04", None),
    ("Sindre Haugen", "2021-09-01", None),
    ("Maja Eriksen", "2022-02-01", None),
    ("Øystein Lund", "2022-08-15", None),
    ("Ida Solheim", "2023-01-09", None),
    ("Aksel Bakken", "2023-08-14", None),
    ("Sara Moe", "2024-09-02", None),  # joins during the period
]

# the other clients and their number of projects
_CONSULTANCY_CLIENTS: list[tuple[str, int]] = [
    ("Vestland Kraft AS", 4),
    ("Sparebanken Fjord", 4),
    ("Norrøn Forsikring ASA", 3),
    ("Helse Nordvest HF", 3),
    ("Bakke & Sønner Entreprenør AS", 3),
    ("Lofoten Sjømat AS", 2),
    ("Trøndelag Energi AS", 2),
    ("Mjøsa Meieri SA", 2),
    ("Polarlys Media AS", 2),
    ("Hamar Logistikk AS", 2),
]


def _next_weekday(ts: pd.Timestamp) -> pd.Timestamp:
    """The same day if it is a working day, else the next one (weekends and holidays skipped)."""
    while ts.day_of_week >= 5 or ts in NORWEGIAN_HOLIDAYS:
        ts = ts + pd.Timedelta(days=1)
    return ts


def consultancy(seed: int = SEEDS["consultancy"]) -> dict[str, pd.DataFrame]:
    """An IT consultancy's projects, timesheets, consultants and client surveys, 2024-01..2025-12.

    Story: 15 consultants (one leaves in March 2025, one joins in September 2024) work on 40
    projects for 11 clients. The multinational Nordic Global Industries ASA is the key client:
    13 projects, one running almost all the time, and about a third of billed revenue. Some
    projects finish late, six are still ongoing at the end (empty ``actual_end``), finished
    projects get 1-6 survey responses (answers after 2025-12-31 are not in the data).
    Billable hours are logged on weekdays only, within project dates and employment; on public
    holidays only the key client's on-call consultant logs a few hours (so the data run from
    2024-01-01 to 2025-12-31). Vacations, sick days and holidays bring utilization to about 75 %.
    """
    rng = np.random.default_rng(seed)
    period_start = pd.Timestamp("2024-01-01")
    period_end = pd.Timestamp("2025-12-31")

    # ---- projects ------------------------------------------------------------------------
    # 40 projects start at roughly even intervals (with jitter) from October 2023 to November
    # 2025; the five 2023 projects are still running when the data begin.
    n_projects = 40
    first_start, last_start = pd.Timestamp("2023-10-02"), pd.Timestamp("2025-11-28")
    step = (last_start - first_start).days / (n_projects - 1)
    jitter = rng.integers(-6, 7, size=n_projects)
    starts = [_next_weekday(first_start + pd.Timedelta(days=int(round(i * step)) + int(j)))
              for i, j in enumerate(jitter)]
    starts[0] = first_start
    # clients: the key client has 13 projects spread over the whole period (its framework
    # agreement keeps a project running almost all the time, the first one from before the data
    # begin); ten other clients share the other 27 slots in random order, 2-4 projects each
    n_key = 13
    key_slots = {int(round(i * (n_projects - 1) / (n_key - 1))) for i in range(n_key)}
    others: list[str] = []
    for name, k in _CONSULTANCY_CLIENTS:
        others += [name] * k
    others = [others[int(i)] for i in rng.permutation(len(others))]
    client_of = []
    for slot in range(n_projects):
        client_of.append(CONSULTANCY_KEY_CLIENT if slot in key_slots else others.pop())
    running_no = {2023: 14, 2024: 1, 2025: 1}
    projects: list[dict[str, Any]] = []
    for start, client in zip(starts, client_of):
        year = int(start.year)
        project_id = f"P-{year}-{running_no[year]:03d}"
        running_no[year] += 1
        is_key = client == CONSULTANCY_KEY_CLIENT
        if is_key:
            planned_days = int(rng.integers(70, 180))
            team = int(rng.choice([2, 3, 3, 4]))
            rate = float(rng.choice([1450, 1500, 1550, 1600, 1650]))
        else:
            planned_days = int(rng.integers(45, 200))
            team = int(rng.choice([1, 2, 2, 3, 3, 4]))
            rate = float(rng.choice(np.arange(1200, 1901, 50)))
        if year == 2023:  # still running well into 2024
            planned_days += 90
        planned_end = _next_weekday(start + pd.Timedelta(days=planned_days))
        u = rng.random()
        if u < 0.38:  # late
            delay = int(rng.integers(7, 75))
        elif u < 0.50:  # a little early
            delay = -int(rng.integers(1, 12))
        else:  # on time
            delay = -int(rng.integers(0, 3))
        actual = _next_weekday(planned_end + pd.Timedelta(days=delay))
        projects.append({
            "project_id": project_id, "client": client, "start": start,
            "planned_end": planned_end, "actual": actual, "rate": rate, "team_size": team,
            "key": is_key,
        })
    for p in projects:
        p["ongoing"] = p["actual"] > period_end
        p["work_end"] = min(p["actual"], period_end)

    # ---- consultants and staffing ----------------------------------------------------------
    cons_names = [c[0] for c in _CONSULTANTS]
    cons_start = {c[0]: pd.Timestamp(c[1]) for c in _CONSULTANTS}
    cons_end = {c[0]: (pd.Timestamp(c[2]) if c[2] else None) for c in _CONSULTANTS}
    assigned: dict[str, list[int]] = {c: [] for c in cons_names}

    def employed(c: str, day: pd.Timestamp) -> bool:
        e = cons_end[c]
        return cons_start[c] <= day and (e is None or day <= e)

    for pi, p in enumerate(projects):
        first_work = max(p["start"], period_start)
        cands = [c for c in cons_names if cons_start[c] <= p["work_end"]
                 and (cons_end[c] is None or cons_end[c] >= first_work)]
        loads = []
        tiebreak = rng.permutation(len(cands))
        for ci, c in enumerate(cands):
            overlap = 0
            for qi in assigned[c]:
                q = projects[qi]
                lo = max(q["start"], p["start"])
                hi = min(q["work_end"], p["work_end"])
                overlap += max(0, (hi - lo).days)
            loads.append((overlap, int(tiebreak[ci]), c))
        loads.sort()
        for _, _, c in loads[: int(p["team_size"])]:
            assigned[c].append(pi)

    # ---- vacations ----------------------------------------------------------------------------
    weekdays = pd.bdate_range(period_start, period_end)
    holiday = weekdays.isin(NORWEGIAN_HOLIDAYS)
    off: dict[str, set[pd.Timestamp]] = {}
    for c in cons_names:
        days: list[pd.Timestamp] = []
        for year in (2024, 2025):
            summer = pd.Timestamp(f"{year}-06-24") + pd.Timedelta(weeks=int(rng.integers(0, 4)))
            days += list(pd.bdate_range(summer, summer + pd.Timedelta(days=20)))
            days += list(pd.bdate_range(f"{year}-12-23", f"{year}-12-31")[
                : int(rng.integers(2, 7))])
            if rng.random() < 0.5:  # winter holiday week
                w = pd.Timestamp(f"{year}-02-12") + pd.Timedelta(weeks=int(rng.integers(0, 4)))
                days += list(pd.bdate_range(w, w + pd.Timedelta(days=4)))
            # a few single days off or sick
            for d in rng.choice(len(weekdays), size=int(rng.integers(6, 14)), replace=False):
                days.append(weekdays[int(d)])
        off[c] = set(days)

    # ---- timesheets --------------------------------------------------------------------------
    ts_date: list[pd.Timestamp] = []
    ts_cons: list[str] = []
    ts_proj: list[str] = []
    ts_hours: list[float] = []

    def add_row(day: pd.Timestamp, c: str, pi: int, h: float) -> None:
        ts_date.append(day)
        ts_cons.append(c)
        ts_proj.append(str(projects[pi]["project_id"]))
        ts_hours.append(h)

    for di, day in enumerate(weekdays):
        if holiday[di]:
            # public holiday: only the key client's on-call consultant logs a few hours
            on_call = [(c, pi) for c in cons_names if employed(c, day) for pi in assigned[c]
                       if projects[pi]["key"]
                       and projects[pi]["start"] <= day <= projects[pi]["work_end"]]
            if on_call:
                c, pi = on_call[int(rng.integers(len(on_call)))]
                add_row(day, c, pi, float(rng.choice([1.0, 1.5, 2.0, 2.5, 3.0])))
            continue
        for c in cons_names:
            if not employed(c, day) or day in off[c]:
                continue
            active = [pi for pi in assigned[c]
                      if projects[pi]["start"] <= day <= projects[pi]["work_end"]]
            if not active:
                # on the bench: staffed onto a running project, smaller teams and other
                # clients first (the key client's teams are planned up front)
                running = [pi for pi, q in enumerate(projects)
                           if q["start"] <= day <= q["work_end"]]
                if not running:
                    continue
                team_size = {pi: sum(pi in assigned[x] for x in cons_names) for pi in running}
                pi = min(running, key=lambda q: (bool(projects[q]["key"]), team_size[q],
                                                 str(projects[q]["project_id"])))
                assigned[c].append(pi)
                active = [pi]
            if rng.random() < 0.05:  # internal day: training, sales, admin
                continue
            total = float(np.clip(np.round(rng.normal(7.0, 1.2) * 2) / 2, 0.5, 8.0))
            if len(active) == 1 or total <= 2.0:
                pick = [active[int(rng.integers(len(active)))]]
                split = [total]
            else:
                two = rng.choice(len(active), size=2, replace=False)
                pick = [active[int(two[0])], active[int(two[1])]]
                first_h = float(np.clip(np.round(total * rng.uniform(0.3, 0.8) * 2) / 2,
                                        0.5, total - 0.5))
                split = [first_h, total - first_h]
            for pi, h in zip(pick, split):
                add_row(day, c, pi, h)

    timesheets = _frame("consultancy", "timesheets", {
        "date": pd.DatetimeIndex(ts_date),
        "consultant": pd.array(ts_cons, dtype="str"),
        "project_id": pd.array(ts_proj, dtype="str"),
        "hours": np.array(ts_hours, dtype=float),
    })
    # one row per consultant, project and day
    timesheets = timesheets.groupby(["date", "consultant", "project_id"], sort=True,
                                    as_index=False)["hours"].sum()
    timesheets = _sorted(timesheets, ["date", "consultant", "project_id"])

    projects_df = _frame("consultancy", "projects", {
        "project_id": pd.array([p["project_id"] for p in projects], dtype="str"),
        "client": pd.array([p["client"] for p in projects], dtype="str"),
        "start_date": pd.DatetimeIndex([p["start"] for p in projects]),
        "planned_end": pd.DatetimeIndex([p["planned_end"] for p in projects]),
        "actual_end": pd.DatetimeIndex([pd.NaT if p["ongoing"] else p["actual"]
                                        for p in projects]),
        "hourly_rate": _money([p["rate"] for p in projects]),
    })
    projects_df = _sorted(projects_df, ["project_id"])

    consultants_df = _frame("consultancy", "consultants", {
        "consultant": pd.array(cons_names, dtype="str"),
        "start_date": pd.DatetimeIndex([cons_start[c] for c in cons_names]),
        "end_date": pd.DatetimeIndex([cons_end[c] if cons_end[c] is not None else pd.NaT
                                      for c in cons_names]),
        "weekly_hours": np.full(len(cons_names), 37.5),
    })
    consultants_df = _sorted(consultants_df, ["consultant"])

    # ---- surveys -------------------------------------------------------------------------------
    sv_proj: list[str] = []
    sv_date: list[pd.Timestamp] = []
    sv_score: list[int] = []
    for p in projects:
        if p["ongoing"]:
            continue
        late_days = (p["actual"] - p["planned_end"]).days
        mean = 4.25 - (0.15 if p["key"] else 0.0) - min(1.2, max(0, late_days) / 40)
        mean += float(rng.normal(0, 0.25))
        k = int(rng.integers(1, 7))
        for _ in range(k):
            when = p["actual"] + pd.Timedelta(days=int(rng.integers(1, 28)))
            score = int(np.clip(np.round(rng.normal(mean, 0.75)), 1, 5))
            if when > period_end or when < period_start:
                continue  # answered outside the data period
            sv_proj.append(str(p["project_id"]))
            sv_date.append(when)
            sv_score.append(score)
    surveys = _frame("consultancy", "surveys", {
        "project_id": pd.array(sv_proj, dtype="str"),
        "date": pd.DatetimeIndex(sv_date),
        "score": np.array(sv_score, dtype="int64"),
    })
    surveys = _sorted(surveys, ["project_id", "date", "score"])
    return {"projects": projects_df, "timesheets": timesheets, "consultants": consultants_df,
            "surveys": surveys}
