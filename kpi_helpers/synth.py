"""Seeded generators for the shipped case data in ``data/``.

Every case has one function that returns ``{table name: DataFrame}`` with exactly the canonical
columns of ``DESIGN.md`` in that order. The numbers are synthetic: fixed seeds, fictitious
companies and people. ``write_all()`` writes them as CSV files that are byte-for-byte
reproducible (UTF-8 without BOM, ``\\n`` line endings, ``,`` separator, ISO dates, money with two
decimals, empty string for a missing value), and ``tests/test_synth.py`` proves that ``data/``
equals a fresh run.

Run ``python -m kpi_helpers.synth [--out DIR]`` (or ``make data``) to regenerate.

Design notes
------------
* Only numpy's ``default_rng`` with a fixed seed per case is used, and every random draw happens
  in a fixed loop order (lists, never sets), so the output does not depend on the clock, on hash
  seeds or on dict/set ordering.
* All generators use whole calendar months: every case's main table has rows on the first and on
  the last day of its period, so no month in the shipped data is partial.
* Pure numpy/pandas; no plotting imports.
"""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "SEEDS",
    "COLUMNS",
    "GENERATORS",
    "startup",
    "consultancy",
    "marketing_agency",
    "restaurant",
    "your_data",
    "concepts",
    "generate_all",
    "to_csv_text",
    "write_csv",
    "write_all",
    "main",
]

#: Fixed seed per case (changing one changes only that case's files).
SEEDS: dict[str, int] = {
    "startup": 20240101,
    "consultancy": 20240102,
    "marketing_agency": 20250103,
    "restaurant": 20250704,
    "your_data": 20240105,
    "concepts": 20250106,
}

#: Canonical columns per (case, table), in the order of DESIGN.md.
COLUMNS: dict[tuple[str, str], list[str]] = {
    ("startup", "invoices"): ["date", "customer", "amount"],
    ("startup", "customers"): ["customer", "strategic_value", "growth_potential", "engagement"],
    ("consultancy", "projects"): [
        "project_id", "client", "start_date", "planned_end", "actual_end", "hourly_rate",
    ],
    ("consultancy", "timesheets"): ["date", "consultant", "project_id", "hours"],
    ("consultancy", "consultants"): ["consultant", "start_date", "end_date", "weekly_hours"],
    ("consultancy", "surveys"): ["project_id", "date", "score"],
    ("marketing_agency", "campaign_stats"): [
        "date", "client", "campaign", "channel", "impressions", "clicks", "conversions",
        "spend", "conversion_value",
    ],
    ("restaurant", "visits"): [
        "date", "seated_at", "left_at", "table", "guest_id", "covers", "bill", "rating",
    ],
    ("restaurant", "tables"): ["table", "seats"],
    ("your_data", "transactions"): ["date", "customer", "amount"],
    ("your_data", "customers"): ["customer", "strategic_value", "growth_potential", "engagement"],
    ("concepts", "production"): ["step", "units_in", "good_first_pass", "defective", "minutes"],
    ("concepts", "bank_client"): [
        "month", "revenue", "support_tickets", "tickets_resolved_in_sla", "csat_responses",
        "csat_satisfied", "nps_promoters", "nps_detractors", "nps_responses",
    ],
}

# Columns written as money (two decimals) and as ISO dates.
MONEY_COLUMNS = frozenset({"amount", "hourly_rate", "spend", "conversion_value", "bill", "revenue"})
DATE_COLUMNS = frozenset({"date", "start_date", "planned_end", "actual_end", "end_date"})
HOURS_COLUMNS = frozenset({"hours", "weekly_hours"})

# Norwegian public holidays in the data period (fixed list: no calendar library needed).
NORWEGIAN_HOLIDAYS = pd.DatetimeIndex(pd.to_datetime([
    "2024-01-01", "2024-03-28", "2024-03-29", "2024-04-01", "2024-05-01", "2024-05-09",
    "2024-05-17", "2024-05-20", "2024-12-25", "2024-12-26",
    "2025-01-01", "2025-04-17", "2025-04-18", "2025-04-21", "2025-05-01", "2025-05-17",
    "2025-05-29", "2025-06-09", "2025-12-25", "2025-12-26",
]))

# Monthly seasonality of a Norwegian B2B business (index 0 = January): the July holiday
# ("fellesferien") and Christmas dips, Easter in April, a strong autumn.
B2B_SEASON = np.array([0.90, 1.00, 1.03, 0.96, 1.00, 1.04, 0.72, 0.95, 1.06, 1.06, 1.07, 0.92])


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------
def _frame(case: str, table: str, data: dict[str, object]) -> pd.DataFrame:
    """Build a frame with exactly the canonical columns of (case, table), in order."""
    cols = COLUMNS[(case, table)]
    missing = [c for c in cols if c not in data]
    extra = [c for c in data if c not in cols]
    if missing or extra:  # pragma: no cover - programming error
        raise ValueError(f"{case}/{table}: missing {missing}, extra {extra}")
    return pd.DataFrame({c: data[c] for c in cols})


def _sorted(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Stable sort by the given columns; a fresh 0..n-1 index."""
    return df.sort_values(by, kind="mergesort").reset_index(drop=True)


def _money(x: np.ndarray | float) -> np.ndarray:
    return np.round(np.asarray(x, dtype=float), 2)


def _business_days(start: str, end: str, holidays: bool = True) -> pd.DatetimeIndex:
    days = pd.bdate_range(start, end)
    if holidays:
        days = days[~days.isin(NORWEGIAN_HOLIDAYS)]
    return days


def _hhmm(minutes: int) -> str:
    """Minutes after midnight (may exceed 24 h) as 'HH:MM' on a 24-hour clock."""
    m = int(minutes) % (24 * 60)
    return f"{m // 60:02d}:{m % 60:02d}"


# --------------------------------------------------------------------------------------------
# startup
# --------------------------------------------------------------------------------------------
STARTUP_A = "Aurora Shipping AS"
STARTUP_B = "Bergen Biotech AS"

# Tail of small customers: (name, join month index or 0, last month index or 23).
_STARTUP_TAIL: list[tuple[str, int, int]] = [
    ("Nordlys Regnskap AS", 0, 23),
    ("Fjellheim Bygg AS", 0, 23),
    ("Skjærgården Design AS", 0, 23),
    ("Holm & Berg Advokater AS", 0, 23),
    ("Tromsø Fiskeeksport AS", 0, 23),
    ("Kvamme Elektro AS", 0, 7),  # churns after August 2024
    ("Solstrand Eiendom AS", 0, 23),
    ("Lindvik Transport AS", 0, 23),
    ("Grønn Energi Vest AS", 0, 23),
    ("Haugland Maskin AS", 0, 14),  # churns after March 2025
    ("Storfjord Hotell AS", 0, 23),
    ("Midtnorsk Revisjon AS", 0, 23),
    ("Elvebakken Tannlegesenter AS", 0, 23),
    ("Sandvik Marin AS", 0, 18),  # churns after July 2025
    ("Vestby Logistikk AS", 0, 23),
    ("Ringstad IT AS", 0, 23),
    ("Furuly Interiør AS", 0, 23),
    ("Torvet Apotek AS", 0, 23),
    ("Kleiva Sag AS", 0, 23),
    ("Ødegaard Arkitekter AS", 0, 23),
    ("Moen Rørlegger AS", 2, 23),  # joins March 2024
    ("Helgeland Hagesenter AS", 4, 23),  # joins May 2024
    ("Dalen Regnskapsbyrå AS", 6, 23),  # joins July 2024
    ("Karmøy Verksted AS", 8, 23),  # joins September 2024
    ("Lysaker Lys AS", 9, 23),  # joins October 2024
]


def _split_amount(rng: np.random.Generator, total: float, k: int) -> np.ndarray:
    """Split a monthly amount into k uneven invoice amounts that sum to it."""
    if k == 1:
        return np.array([total])
    w = rng.dirichlet(np.full(k, 2.5))
    return total * w


def _invoice_days(rng: np.random.Generator, bdays: pd.DatetimeIndex, k: int) -> list[pd.Timestamp]:
    idx = np.sort(rng.choice(len(bdays), size=k, replace=k > len(bdays)))
    return [bdays[i] for i in idx]


def startup(seed: int = SEEDS["startup"]) -> dict[str, pd.DataFrame]:
    """A software startup's invoices over 24 months (2024-01..2025-12) and customer scores.

    Story: Aurora Shipping AS (customer A) brings about half the revenue but is flat and slightly
    declining; Bergen Biotech AS (customer B) is small (about 11 %) but grows about 11 % a month
    and scores 5/5/5 on strategic value, growth potential and engagement (A: 3/2/3); a tail of
    25 small customers (three churn, five join during 2024) grows 4-7 % a month each, so the
    business grows about 3-4 % a month overall (July and Christmas dips). Customers join before
    2025, so B stays the fastest grower on "last 6 months vs the 6 before".
    A's monthly platform fee is invoiced automatically on the 1st of every month and B's usage
    invoice on the last day, so every month is covered from its first to its last day.
    """
    rng = np.random.default_rng(seed)
    months = pd.period_range("2024-01", "2025-12", freq="M")
    n = len(months)
    t = np.arange(n)
    season = B2B_SEASON[months.month.to_numpy() - 1]

    rows_date: list[pd.Timestamp] = []
    rows_cust: list[str] = []
    rows_amt: list[float] = []

    def add(day: pd.Timestamp, cust: str, amt: float) -> None:
        rows_date.append(day)
        rows_cust.append(cust)
        rows_amt.append(float(amt))

    # customer A: fixed platform fee on the 1st + consulting/usage invoices, slowly declining
    a_fee = 170_000.0
    a_var = 330_000.0 * 0.995**t * season * rng.lognormal(0.0, 0.06, n)
    # customer B: strong month-over-month growth, usage invoice at month end + project invoices
    b_total = 24_000.0 * 1.118**t * np.sqrt(season) * rng.lognormal(0.0, 0.06, n)
    # tail: base level, own growth, noisy and lumpy
    tail_params = []
    for name, join, last in _STARTUP_TAIL:
        base = float(rng.lognormal(np.log(7_200.0), 0.5))
        growth = float(rng.uniform(0.045, 0.07))
        tail_params.append((name, join, last, base, growth))

    for i, period in enumerate(months):
        first = period.start_time.normalize()
        last_day = period.end_time.normalize()
        bdays = _business_days(str(first.date()), str(last_day.date()))
        # A
        add(first, STARTUP_A, a_fee)
        k = int(rng.integers(2, 5))
        for day, amt in zip(_invoice_days(rng, bdays, k), _split_amount(rng, a_var[i], k)):
            add(day, STARTUP_A, round(amt, 0))
        # B: usage invoice on the last calendar day, 1-3 project invoices during the month
        usage_share = float(rng.uniform(0.35, 0.5))
        add(last_day, STARTUP_B, b_total[i] * usage_share)
        k = int(rng.integers(1, 3)) + (1 if i >= 12 else 0)
        for day, amt in zip(
            _invoice_days(rng, bdays, k), _split_amount(rng, b_total[i] * (1 - usage_share), k)
        ):
            add(day, STARTUP_B, round(amt, 0))
        # tail
        for name, join, last, base, growth in tail_params:
            if i < join or i > last:
                rng.random()  # keep one draw per customer-month: draws do not shift with joins
                continue
            if rng.random() < 0.05:  # no invoice this month (lumpy billing)
                continue
            ramp = min(1.0, 0.45 + 0.2 * (i - join)) if join > 0 else 1.0
            fade = 0.7 if i == last and last < n - 1 else 1.0
            total = base * (1 + growth) ** i * season[i] * ramp * fade * rng.lognormal(0.0, 0.15)
            k = 1 if rng.random() < 0.75 else 2
            for day, amt in zip(_invoice_days(rng, bdays, k), _split_amount(rng, total, k)):
                add(day, name, amt)

    invoices = _frame("startup", "invoices", {
        "date": pd.DatetimeIndex(rows_date),
        "customer": pd.array(rows_cust, dtype="str"),
        "amount": _money(rows_amt),
    })
    invoices = _sorted(invoices, ["date", "customer", "amount"])

    names = [STARTUP_A, STARTUP_B] + [p[0] for p in _STARTUP_TAIL]
    sv = [3, 5]
    gp = [2, 5]
    en = [3, 5]
    for _name, join, last, _base, growth in tail_params:
        churned = last < n - 1
        sv.append(int(rng.choice([1, 2, 2, 3, 3, 4])))
        g = 1 + int(growth > 0.06) + int(join > 0) + int(rng.random() < 0.4) - int(churned)
        gp.append(int(np.clip(g, 1, 4)))
        en.append(int(np.clip(rng.choice([1, 2, 3, 3, 4]) - int(churned), 1, 4)))
    customers = _frame("startup", "customers", {
        "customer": pd.array(names, dtype="str"),
        "strategic_value": np.array(sv, dtype="int64"),
        "growth_potential": np.array(gp, dtype="int64"),
        "engagement": np.array(en, dtype="int64"),
    })
    customers = _sorted(customers, ["customer"])
    return {"invoices": invoices, "customers": customers}


# --------------------------------------------------------------------------------------------
# consultancy
# --------------------------------------------------------------------------------------------
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
    projects: list[dict[str, object]] = []
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


# --------------------------------------------------------------------------------------------
# marketing agency
# --------------------------------------------------------------------------------------------
MARKETING_KEY_CLIENT = "Fjordline Travel ASA"

# channel: (impressions per day at budget 1, CTR low, CTR high, CVR low, CVR high, price model)
_CHANNELS: dict[str, tuple[float, float, float, float, float]] = {
    #          ctr_lo  ctr_hi  cvr_lo  cvr_hi  cpc_or_cpm
    "Search": (0.030, 0.060, 0.040, 0.090, 9.0),   # cost per click (NOK)
    "Social": (0.008, 0.015, 0.012, 0.030, 65.0),  # cost per 1000 impressions (NOK)
    "Display": (0.001, 0.005, 0.005, 0.015, 28.0),
    "Video": (0.004, 0.009, 0.004, 0.012, 95.0),
}

# monthly demand patterns for the always-on campaigns (index 0 = January)
_MARKETING_SEASON: dict[str, list[float]] = {
    "travel": [1.30, 1.20, 1.10, 1.00, 1.00, 1.05, 0.95, 0.80, 0.80, 0.85, 0.90, 0.95],
    "retail": [0.95, 0.85, 0.90, 0.95, 1.00, 1.00, 0.85, 0.90, 1.00, 1.05, 1.30, 1.40],
    "bikes": [0.60, 0.70, 1.10, 1.50, 1.50, 1.30, 1.00, 0.90, 0.90, 0.80, 0.80, 0.90],
    "services": [1.05, 1.05, 1.05, 1.00, 1.00, 0.95, 0.70, 0.95, 1.10, 1.10, 1.05, 0.85],
}

# One entry per campaign. imp = impressions per day at full flight (split over the channels),
# aov = value of one conversion in NOK; optional overrides: ctr (a fixed CTR), cvr (multiplier),
# price (multiplier on CPC/CPM), season (a key of _MARKETING_SEASON for always-on campaigns).
_CAMPAIGNS: list[dict[str, Any]] = [
    {"client": MARKETING_KEY_CLIENT, "campaign": "FL Brand Search", "channels": ["Search"],
     "start": "2025-01-01", "end": "2025-12-31", "imp": 5200, "aov": 3900, "season": "travel",
     "price": 1.3},
    {"client": MARKETING_KEY_CLIENT, "campaign": "FL Northern Lights Winter",
     "channels": ["Social", "Video", "Display"], "start": "2025-01-01", "end": "2025-03-16",
     "imp": 60000, "aov": 4300},
    {"client": MARKETING_KEY_CLIENT, "campaign": "FL Summer Fjords",
     "channels": ["Search", "Social", "Display", "Video"], "start": "2025-02-17",
     "end": "2025-07-31", "imp": 70000, "aov": 4100},
    {"client": MARKETING_KEY_CLIENT, "campaign": "FL Awareness Display", "channels": ["Display"],
     "start": "2025-03-03", "end": "2025-09-28", "imp": 260000, "aov": 4800, "ctr": 0.0011},
    {"client": MARKETING_KEY_CLIENT, "campaign": "FL Loyalty Retargeting", "channels": ["Social"],
     "start": "2025-04-07", "end": "2025-10-26", "imp": 260, "aov": 1400, "ctr": 0.085,
     "price": 3.5, "cvr": 2.0},
    {"client": MARKETING_KEY_CLIENT, "campaign": "FL Christmas Cruises",
     "channels": ["Search", "Social", "Display"], "start": "2025-10-06", "end": "2025-12-21",
     "imp": 32000, "aov": 4300},
    {"client": "Nordhav Sjømat AS", "campaign": "Nordhav Brand Search",
     "channels": ["Search", "Display"], "start": "2025-01-01", "end": "2025-12-31", "imp": 5000,
     "aov": 780, "season": "retail"},
    {"client": "Nordhav Sjømat AS", "campaign": "Nordhav Summer Grill",
     "channels": ["Social", "Video"], "start": "2025-05-12", "end": "2025-08-17", "imp": 38000,
     "aov": 690},
    {"client": "Nordhav Sjømat AS", "campaign": "Nordhav Christmas Seafood",
     "channels": ["Search", "Social", "Display"], "start": "2025-11-10", "end": "2025-12-22",
     "imp": 45000, "aov": 1150},
    {"client": "Trondheim Sykkelsenter AS", "campaign": "TS Brand Search",
     "channels": ["Search", "Display"], "start": "2025-01-01", "end": "2025-12-31", "imp": 6000,
     "aov": 2400, "season": "bikes"},
    {"client": "Trondheim Sykkelsenter AS", "campaign": "TS Spring Bikes",
     "channels": ["Search", "Social", "Display", "Video"], "start": "2025-03-03",
     "end": "2025-06-15", "imp": 36000, "aov": 3600},
    {"client": "Trondheim Sykkelsenter AS", "campaign": "TS Winter Service", "channels": ["Search"],
     "start": "2025-10-13", "end": "2025-12-14", "imp": 2600, "aov": 1100},
    {"client": "Vestkyst Eiendom AS", "campaign": "Vestkyst New Homes",
     "channels": ["Social", "Display", "Search"], "start": "2025-02-03", "end": "2025-11-30",
     "imp": 30000, "aov": 2600},
    {"client": "Vestkyst Eiendom AS", "campaign": "Vestkyst Valuation Leads",
     "channels": ["Search", "Social"], "start": "2025-01-13", "end": "2025-12-14", "imp": 9000,
     "aov": 2100},
    {"client": "Lysaker Tannklinikk AS", "campaign": "Lysaker New Patients",
     "channels": ["Search", "Social", "Display"], "start": "2025-01-01", "end": "2025-12-31",
     "imp": 9000, "aov": 1900, "season": "services"},
    {"client": "Lysaker Tannklinikk AS", "campaign": "Lysaker Invisalign",
     "channels": ["Video", "Social"], "start": "2025-09-01", "end": "2025-11-30", "imp": 26000,
     "aov": 7500, "cvr": 0.7},
    {"client": "Polar Outdoor AS", "campaign": "Polar Always-on",
     "channels": ["Search", "Social", "Display"], "start": "2025-01-01", "end": "2025-12-31",
     "imp": 16000, "aov": 1350, "season": "retail"},
    {"client": "Polar Outdoor AS", "campaign": "Polar January Sale",
     "channels": ["Search", "Social"], "start": "2025-01-02", "end": "2025-01-31", "imp": 40000,
     "aov": 1100},
    {"client": "Polar Outdoor AS", "campaign": "Polar Autumn Collection",
     "channels": ["Search", "Social", "Video", "Display"], "start": "2025-08-11",
     "end": "2025-10-26", "imp": 55000, "aov": 1600},
    {"client": "Polar Outdoor AS", "campaign": "Polar Black Friday",
     "channels": ["Search", "Social", "Display"], "start": "2025-11-10", "end": "2025-11-30",
     "imp": 90000, "aov": 1450},
]

# channel share of a campaign's impressions
_CHANNEL_WEIGHT = {"Search": 0.12, "Social": 0.45, "Display": 1.0, "Video": 0.35}


def marketing_agency(seed: int = SEEDS["marketing_agency"]) -> dict[str, pd.DataFrame]:
    """A digital marketing agency's daily campaign statistics, 2025-01..2025-12.

    Story: six clients, twenty campaigns, one row per day, campaign and channel while a campaign
    runs. Fjordline Travel ASA is the high-profile client (six campaigns across all four channels,
    the largest spend). CTR depends on the channel (search 3-6 %, social 0.8-1.5 %, display
    0.1-0.5 %, video in between). "FL Loyalty Retargeting" has a very high CTR on a few hundred
    impressions a day and "FL Awareness Display" a very low CTR on half a million, so the average
    of per-campaign rates differs clearly from the ratio of sums.
    """
    rng = np.random.default_rng(seed)
    year_days = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    frames: list[pd.DataFrame] = []
    for spec in _CAMPAIGNS:
        client, campaign = str(spec["client"]), str(spec["campaign"])
        channels = list(spec["channels"])
        imp_day, aov = float(spec["imp"]), float(spec["aov"])
        ctr_override = spec.get("ctr")
        cvr_mult = float(spec.get("cvr", 1.0))
        price_mult = float(spec.get("price", 1.0))
        days = pd.date_range(str(spec["start"]), str(spec["end"]), freq="D")
        n = len(days)
        pos = np.arange(n)
        if "season" in spec:  # always-on: monthly demand pattern, no flight shape
            ramp = np.ones(n)
            fatigue = np.array(_MARKETING_SEASON[str(spec["season"])])[days.month.to_numpy() - 1]
        else:  # flight: ramp up over the first week, a little fatigue towards the end
            ramp = np.minimum(1.0, 0.45 + pos / 10.0)
            fatigue = 1.0 - 0.15 * pos / max(n - 1, 1)
        for ch in channels:
            ctr_lo, ctr_hi, cvr_lo, cvr_hi, price = _CHANNELS[ch]
            wd = days.day_of_week.to_numpy()
            if ch == "Search":
                wk = np.where(wd < 5, 1.08, 0.80)
            elif ch == "Social":
                wk = np.where(wd < 5, 0.94, 1.15)
            else:
                wk = np.where(wd < 5, 1.0, 1.02)
            # a slow random walk for budget changes and auction pressure
            walk = np.exp(np.cumsum(rng.normal(0.0, 0.03, n)))
            walk = walk / walk.mean()
            level = imp_day * (1.0 if len(channels) == 1 else _CHANNEL_WEIGHT[ch])
            mean_imp = level * ramp * fatigue * wk * walk * rng.lognormal(0.0, 0.12, n)
            impressions = rng.poisson(np.maximum(mean_imp, 0.0)).astype("int64")
            base_ctr = (float(ctr_override) if ctr_override is not None
                        else rng.uniform(ctr_lo, ctr_hi))
            ctr = np.clip(base_ctr * rng.lognormal(0.0, 0.10, n) * (0.9 + 0.1 * ramp), 0, 0.5)
            clicks = rng.binomial(impressions, ctr).astype("int64")
            base_cvr = rng.uniform(cvr_lo, cvr_hi) * cvr_mult
            cvr = np.clip(base_cvr * rng.lognormal(0.0, 0.15, n), 0, 0.9)
            conversions = rng.binomial(clicks, cvr).astype("int64")
            if ch == "Search":
                cpc = price * price_mult * rng.uniform(0.7, 1.6) * rng.lognormal(0.0, 0.08, n)
                spend = clicks * cpc
            else:
                cpm = price * price_mult * rng.uniform(0.8, 1.25) * rng.lognormal(0.0, 0.06, n)
                spend = impressions / 1000.0 * cpm
            value = np.where(conversions > 0,
                             conversions * aov * rng.lognormal(0.0, 0.25, n), 0.0)
            frames.append(pd.DataFrame({
                "date": days, "client": client, "campaign": campaign, "channel": ch,
                "impressions": impressions, "clicks": clicks, "conversions": conversions,
                "spend": _money(spend), "conversion_value": _money(value),
            }))
    stats = pd.concat(frames, ignore_index=True)
    assert stats["date"].min() == year_days[0] and stats["date"].max() == year_days[-1]
    stats = _frame("marketing_agency", "campaign_stats", {
        "date": pd.DatetimeIndex(stats["date"]),
        "client": stats["client"].astype("str"),
        "campaign": stats["campaign"].astype("str"),
        "channel": stats["channel"].astype("str"),
        "impressions": stats["impressions"].astype("int64"),
        "clicks": stats["clicks"].astype("int64"),
        "conversions": stats["conversions"].astype("int64"),
        "spend": stats["spend"].astype(float),
        "conversion_value": stats["conversion_value"].astype(float),
    })
    stats = _sorted(stats, ["date", "client", "campaign", "channel"])
    return {"campaign_stats": stats}


# --------------------------------------------------------------------------------------------
# restaurant
# --------------------------------------------------------------------------------------------
RESTAURANT_VIP = "G0042"
_TABLE_SEATS = [2, 2, 2, 2, 4, 4, 4, 4, 4, 4, 6, 6]
_N_MEMBERS = 450


def restaurant(seed: int = SEEDS["restaurant"]) -> dict[str, pd.DataFrame]:
    """A 12-table restaurant's visits, six months of evenings (2025-07..2025-12).

    Story: open Tuesday-Sunday 17:00-23:00 (last seating 22:30), closed Mondays and on
    24-25 December; busier on Fridays and Saturdays and in the December Christmas-party season;
    New Year's Eve is a fully booked set menu that ends after midnight. About a third of the
    visits are loyalty members (``guest_id``); the VIP regular G0042 comes nearly every Thursday
    with a business party and high bills. Ratings come from a minority of visits. Walk-in parties
    sometimes squeeze one extra cover onto a table.
    """
    rng = np.random.default_rng(seed)
    tables = [f"T{i:02d}" for i in range(1, 13)]
    seats = dict(zip(tables, _TABLE_SEATS))
    members = [f"G{i:04d}" for i in range(1, _N_MEMBERS + 1) if i != 42]
    member_w = np.minimum(rng.gamma(1.1, 1.0, len(members)), 4.0)
    member_w = member_w / member_w.sum()

    evenings = pd.date_range("2025-07-01", "2025-12-31", freq="D")
    evenings = evenings[(evenings.day_of_week != 0)
                        & ~evenings.isin(pd.to_datetime(["2025-12-24", "2025-12-25"]))]
    base_parties = {1: 17.0, 2: 18.5, 3: 22.0, 4: 30.0, 5: 32.0, 6: 15.5}  # Tue..Sun
    month_factor = {7: 1.02, 8: 0.95, 9: 0.92, 10: 0.96, 11: 1.06, 12: 1.30}
    # arrival-time density in 15-minute slots from 17:00 to 22:30 (22 slots)
    slot_w = np.array([2, 3, 5, 7, 9, 9, 8, 7, 8, 9, 8, 6, 5, 4, 3, 2.5, 2, 1.5, 1, 0.8, 0.5, 0.3])
    slot_w = slot_w / slot_w.sum()
    sizes = np.array([1, 2, 3, 4, 5, 6, 7])
    size_p = np.array([0.05, 0.46, 0.13, 0.21, 0.07, 0.06, 0.02])
    size_p_dec = np.array([0.03, 0.36, 0.11, 0.25, 0.10, 0.11, 0.04])  # Christmas parties

    last_seating = 22 * 60 + 30
    out: dict[str, list[object]] = {c: [] for c in COLUMNS[("restaurant", "visits")]}

    def rating_for(mean: float, prob: float) -> float:
        if rng.random() >= prob:
            return np.nan
        return float(np.clip(np.round(rng.normal(mean, 0.85)), 1, 5))

    def record(day: pd.Timestamp, seated: int, left: int, table: str, guest: str | None,
               covers: int, bill: float, rating: float) -> None:
        out["date"].append(day)
        out["seated_at"].append(_hhmm(seated))
        out["left_at"].append(_hhmm(left))
        out["table"].append(table)
        out["guest_id"].append(guest)
        out["covers"].append(int(covers))
        out["bill"].append(float(bill))
        out["rating"].append(rating)

    for day in evenings:
        wd = int(day.day_of_week)
        dec = day.month == 12
        if day == pd.Timestamp("2025-12-31"):
            # New Year's Eve: one seating per table, set menu, leaves after midnight
            for tb in tables:
                covers = seats[tb] - int(rng.random() < 0.25)
                seated = 19 * 60 + int(rng.integers(0, 35))
                left = 24 * 60 + int(rng.integers(5, 75))
                guest = members[int(rng.choice(len(members), p=member_w))] \
                    if rng.random() < 0.4 else None
                bill = covers * 1495.0 + float(rng.integers(0, 6)) * 390.0 * covers / 2
                record(day, seated, left, tb, guest, covers, round(bill, 0),
                       rating_for(4.4, 0.2))
            continue
        expected = base_parties[wd] * month_factor[int(day.month)] * rng.lognormal(0.0, 0.12)
        n_parties = int(rng.poisson(expected))
        slots = rng.choice(len(slot_w), size=n_parties, p=slot_w)
        arrivals = sorted((17 * 60 + 15 * int(s) + int(rng.integers(0, 15)),
                           int(rng.choice(sizes, p=size_p_dec if dec else size_p)))
                          for s in slots)
        vip = None
        if (wd == 3 and rng.random() < 0.86) or (wd == 5 and rng.random() < 0.08):
            vip = (18 * 60 + 45 + int(rng.integers(0, 40)), int(rng.integers(2, 5)))
        free_at = {tb: 0 for tb in tables}
        used_guests: set[str] = set()
        queue = [(a, c, False) for a, c in arrivals]
        if vip is not None:
            queue.append((vip[0], vip[1], True))
            queue.sort(key=lambda x: (x[0], x[2]))
        for arrive, covers, is_vip in queue:
            fitting = [tb for tb in tables if seats[tb] >= covers]
            if is_vip:
                # the VIP has a reservation: the favourite 6-seater, else the first table free
                tb = min(fitting, key=lambda x: (max(free_at[x], arrive), x != "T11", x))
                seated = max(free_at[tb], arrive)
            else:
                # a walk-in waits at the bar up to 20 minutes for a table that fits
                free = [tb for tb in fitting if free_at[tb] <= min(arrive + 20, last_seating)]
                squeeze = [x for x in tables if seats[x] == covers - 1 and free_at[x] <= arrive]
                if free:
                    tb = min(free, key=lambda x: (max(free_at[x], arrive), seats[x], x))
                elif covers >= 3 and squeeze and rng.random() < 0.35:
                    tb = squeeze[0]  # squeeze one extra chair onto a smaller table
                else:
                    continue  # no table: the party goes elsewhere
                seated = max(free_at[tb], arrive)
            duration = 62 + 11 * covers + rng.normal(0, 14)
            if wd in (4, 5):
                duration += 10
            if dec:
                duration += 6
            if is_vip:
                duration += 25
            if seated >= 21 * 60 + 30:  # the kitchen closes at 22:30: late parties eat faster
                duration *= 0.8
            duration = int(np.clip(duration, 40, 230))
            left = seated + duration
            free_at[tb] = left + int(rng.integers(5, 16))
            if is_vip:
                guest = RESTAURANT_VIP
            elif rng.random() < 0.34:
                guest = members[int(rng.choice(len(members), p=member_w))]
                if guest in used_guests:
                    guest = None
            else:
                guest = None
            if guest is not None:
                used_guests.add(guest)
            if is_vip:
                per_cover = rng.uniform(1150, 1650)
            else:
                per_cover = rng.triangular(450, 560, 900)
                per_cover *= (1.05 if wd in (4, 5) else 1.0) * (1.12 if dec else 1.0)
            bill = round(covers * per_cover, 0)
            if is_vip:
                rating = rating_for(4.8, 0.3)
            elif guest is not None:
                rating = rating_for(4.3, 0.24)
            else:
                rating = rating_for(4.0 - (0.2 if wd in (4, 5) else 0.0), 0.14)
            record(day, seated, left, tb, guest, covers, bill, rating)

    visits = _frame("restaurant", "visits", {
        "date": pd.DatetimeIndex(out["date"]),
        "seated_at": pd.array(out["seated_at"], dtype="str"),
        "left_at": pd.array(out["left_at"], dtype="str"),
        "table": pd.array(out["table"], dtype="str"),
        "guest_id": pd.array(out["guest_id"], dtype="str"),
        "covers": np.array(out["covers"], dtype="int64"),
        "bill": _money(out["bill"]),
        "rating": pd.array([None if pd.isna(r) else int(r) for r in out["rating"]],
                           dtype="Int64"),
    })
    visits = _sorted(visits, ["date", "seated_at", "table"])
    tables_df = _frame("restaurant", "tables", {
        "table": pd.array(tables, dtype="str"),
        "seats": np.array(_TABLE_SEATS, dtype="int64"),
    })
    return {"visits": visits, "tables": tables_df}


# --------------------------------------------------------------------------------------------
# your_data
# --------------------------------------------------------------------------------------------
def your_data(seed: int = SEEDS["your_data"]) -> dict[str, pd.DataFrame]:
    """A wholesaler's transactions of about 3,000 customers, 2024-01..2025-12 (a template case).

    Customer value is heavy-tailed (lognormal order size times lognormal order frequency), so a
    Pareto/ABC analysis shows a small A class. Customers join over time and some churn; the
    business has a mild trend, a July dip and a December peak. Customer ids are zero-padded text
    ("000123"). ``customers.csv`` holds scores for the 50 largest customers only.
    """
    rng = np.random.default_rng(seed)
    n_cust = 3000
    ids = np.sort(rng.choice(np.arange(1, 10000), size=n_cust, replace=False))
    cust_ids = np.array([f"{i:06d}" for i in ids])
    months = pd.period_range("2024-01", "2025-12", freq="M")
    n_m = len(months)
    season = np.array([0.92, 0.97, 1.02, 0.98, 1.01, 1.02, 0.72, 0.92, 1.04, 1.05, 1.10, 1.24])
    trend = 1.0 + 0.008 * np.arange(n_m)
    month_factor = season[months.month.to_numpy() - 1] * trend

    freq = rng.lognormal(np.log(0.30), 1.0, n_cust)  # orders per month
    ticket = rng.lognormal(np.log(1200.0), 1.2, n_cust)  # NOK per order
    join = np.where(rng.random(n_cust) < 0.72, 0, rng.integers(1, n_m, n_cust))
    churn = np.where(rng.random(n_cust) < 0.32, rng.integers(3, n_m + 6, n_cust), n_m + 99)
    churn = np.maximum(churn, join + 2)

    # orders per customer and month
    active = (np.arange(n_m)[None, :] >= join[:, None]) & (np.arange(n_m)[None, :] < churn[:, None])
    lam = freq[:, None] * month_factor[None, :] * active
    counts = rng.poisson(lam)
    # every customer has at least one order: the first, in the month it joined
    none = np.nonzero(counts.sum(axis=1) == 0)[0]
    last_active = np.minimum(churn, n_m) - 1
    pick = join[none] + np.floor(rng.random(len(none)) * (last_active[none] - join[none] + 1))
    counts[none, pick.astype("int64")] = 1

    # day of month: weekdays weighted over weekends and holidays
    day_pools: list[tuple[pd.DatetimeIndex, np.ndarray]] = []
    for m in months:
        days = pd.date_range(m.start_time, m.end_time.normalize(), freq="D")
        w = np.where(days.day_of_week < 5, 1.0, np.where(days.day_of_week == 5, 0.35, 0.15))
        w = np.where(days.isin(NORWEGIAN_HOLIDAYS), 0.25, w)
        day_pools.append((days, w / w.sum()))

    ci, mi = np.nonzero(counts)
    reps = counts[ci, mi]
    cust_idx = np.repeat(ci, reps)
    month_idx = np.repeat(mi, reps)
    dates = np.empty(len(cust_idx), dtype="datetime64[ns]")
    for m in range(n_m):
        sel = np.nonzero(month_idx == m)[0]
        days, w = day_pools[m]
        dates[sel] = days.to_numpy()[rng.choice(len(days), size=len(sel), p=w)]
    amount = ticket[cust_idx] * rng.lognormal(0.0, 0.35, len(cust_idx))
    amount = np.maximum(amount, 49.0)
    tx = _frame("your_data", "transactions", {
        "date": pd.DatetimeIndex(dates),
        "customer": pd.array(cust_ids[cust_idx], dtype="str"),
        "amount": _money(amount),
    })
    tx = _sorted(tx, ["date", "customer", "amount"])
    assert tx["date"].min() == pd.Timestamp("2024-01-01")
    assert tx["date"].max() == pd.Timestamp("2025-12-31")

    rev = tx.groupby("customer", sort=True)["amount"].sum()
    top = rev.sort_values(ascending=False, kind="mergesort").index[:50]
    top = sorted(top)
    n_top = len(top)
    sv = np.clip(rng.integers(1, 6, n_top), 1, 5)
    gp = np.clip(np.round(rng.normal(3, 1.1, n_top)), 1, 5).astype("int64")
    en = np.clip(np.round(0.5 * sv + rng.normal(1.5, 0.9, n_top)), 1, 5).astype("int64")
    customers = _frame("your_data", "customers", {
        "customer": pd.array(top, dtype="str"),
        "strategic_value": sv.astype("int64"),
        "growth_potential": gp,
        "engagement": en,
    })
    return {"transactions": tx, "customers": customers}


# --------------------------------------------------------------------------------------------
# concepts
# --------------------------------------------------------------------------------------------
def concepts(seed: int = SEEDS["concepts"]) -> dict[str, pd.DataFrame]:
    """Side examples of the concepts notebook.

    ``production``: a small manufacturer's line with four steps. First-pass yields are exactly
    900/1000 = 0.9000, 800/900 = 0.8889, 750/800 = 0.9375 and 700/750 = 0.9333, so the rolled
    throughput yield is 700/1000 = 0.7000; defective units are scrapped and do not continue.

    ``bank_client``: 12 months (2025) of a software company's bank client: revenue, support
    tickets and how many were resolved within the SLA, CSAT and NPS responses. A production
    incident in April hurts SLA and satisfaction; after a dedicated account manager takes over in
    May the numbers recover and improve.
    """
    rng = np.random.default_rng(seed)
    production = _frame("concepts", "production", {
        "step": pd.array(["Cutting", "Welding", "Painting", "Assembly"], dtype="str"),
        "units_in": np.array([1000, 900, 800, 750], dtype="int64"),
        "good_first_pass": np.array([900, 800, 750, 700], dtype="int64"),
        "defective": np.array([100, 100, 50, 50], dtype="int64"),
        "minutes": np.array([2400, 4050, 2720, 3375], dtype="int64"),
    })

    months = [f"2025-{m:02d}" for m in range(1, 13)]
    t = np.arange(12)
    revenue = 1_180_000 * 1.012**t * rng.lognormal(0.0, 0.03, 12)
    revenue[3] *= 0.93  # service credit after the April incident
    tickets = np.round(52 + 4 * np.sin(t / 2.0) + rng.normal(0, 4, 12)).astype("int64")
    tickets[3] += 31  # the incident
    sla_rate = np.clip(0.86 + 0.008 * t + rng.normal(0, 0.015, 12), 0, 0.99)
    sla_rate[3] = 0.64
    sla_rate[4] = 0.81
    in_sla = np.round(tickets * sla_rate).astype("int64")
    csat_resp = np.round(tickets * rng.uniform(0.45, 0.6, 12)).astype("int64")
    csat_rate = np.clip(0.80 + 0.012 * t + rng.normal(0, 0.02, 12), 0, 0.97)
    csat_rate[3] = 0.58
    csat_rate[4] = 0.74
    csat_ok = np.round(csat_resp * csat_rate).astype("int64")
    nps_resp = rng.integers(14, 26, 12).astype("int64")
    prom_rate = np.clip(0.42 + 0.015 * t + rng.normal(0, 0.04, 12), 0, 0.8)
    det_rate = np.clip(0.18 - 0.008 * t + rng.normal(0, 0.03, 12), 0.02, 0.5)
    prom_rate[3] -= 0.15
    det_rate[3] += 0.17
    promoters = np.round(nps_resp * prom_rate).astype("int64")
    detractors = np.minimum(np.round(nps_resp * det_rate).astype("int64"), nps_resp - promoters)
    bank = _frame("concepts", "bank_client", {
        "month": pd.array(months, dtype="str"),
        "revenue": _money(np.round(revenue, 0)),
        "support_tickets": tickets,
        "tickets_resolved_in_sla": in_sla,
        "csat_responses": csat_resp,
        "csat_satisfied": csat_ok,
        "nps_promoters": promoters,
        "nps_detractors": detractors,
        "nps_responses": nps_resp,
    })
    return {"production": production, "bank_client": bank}


#: case name -> generator (in the order of the notebooks)
GENERATORS: dict[str, Callable[..., dict[str, pd.DataFrame]]] = {
    "concepts": concepts,
    "startup": startup,
    "consultancy": consultancy,
    "marketing_agency": marketing_agency,
    "restaurant": restaurant,
    "your_data": your_data,
}


def generate_all() -> dict[str, dict[str, pd.DataFrame]]:
    """All cases: ``{case: {table: DataFrame}}`` with the default seeds."""
    return {case: gen() for case, gen in GENERATORS.items()}


# --------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------
def _format_column(s: pd.Series, name: str) -> list[str]:
    """Text of one column as written to CSV (missing -> empty string)."""
    if name in DATE_COLUMNS and pd.api.types.is_datetime64_any_dtype(s):
        text = s.dt.strftime("%Y-%m-%d")
        return ["" if pd.isna(v) else str(v) for v in text]
    if name in MONEY_COLUMNS:
        return ["" if pd.isna(v) else f"{float(v):.2f}" for v in s]
    if name in HOURS_COLUMNS:
        return ["" if pd.isna(v) else f"{float(v):.1f}" for v in s]
    if pd.api.types.is_integer_dtype(s):
        return ["" if pd.isna(v) else str(int(v)) for v in s]
    if pd.api.types.is_float_dtype(s):  # pragma: no cover - no other float columns today
        return ["" if pd.isna(v) else repr(float(v)) for v in s]
    return ["" if pd.isna(v) else str(v) for v in s]


def to_csv_text(df: pd.DataFrame) -> str:
    """The exact CSV text written for a table (header + rows, ``\\n`` line endings)."""
    cols = [_format_column(df[c], c) for c in df.columns]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=",", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(df.columns))
    writer.writerows(zip(*cols))
    return buf.getvalue()


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write one table as UTF-8 (no BOM) CSV with ``\\n`` line endings; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_csv_text(df).encode("utf-8"))
    return path


def write_all(out_dir: str | Path = "data", cases: Sequence[str] | None = None) -> list[Path]:
    """Generate every case (or the given ones) and write ``out_dir/<case>/<table>.csv``.

    Returns the written paths in a stable order. Existing files with the same names are
    overwritten; other files (such as ``data/README.md``) are left alone.
    """
    out = Path(out_dir)
    names = list(GENERATORS) if cases is None else list(cases)
    written: list[Path] = []
    for case in names:
        tables = GENERATORS[case]()
        for table, df in tables.items():
            written.append(write_csv(df, out / case / f"{table}.csv"))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kpi_helpers.synth [--out DIR] [--case CASE ...]``."""
    parser = argparse.ArgumentParser(
        prog="python -m kpi_helpers.synth",
        description="Write the seeded synthetic case data (CSV) used by the notebooks.",
    )
    parser.add_argument("--out", default="data", help="output folder (default: data)")
    parser.add_argument("--case", action="append", choices=list(GENERATORS),
                        help="only this case (repeatable; default: all)")
    args = parser.parse_args(argv)
    paths = write_all(args.out, args.case)
    total = sum(p.stat().st_size for p in paths)
    for p in paths:
        print(f"{p}  {p.stat().st_size:>9,d} bytes")
    print(f"{len(paths)} files, {total:,d} bytes")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
