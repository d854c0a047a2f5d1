"""The restaurant case (notebook 04): a restaurant with a VIP regular.

What this module decides: how visits become the restaurant's KPIs (average rating with its count,
average check, revenue per table, table turnover, RevPASH and seat occupancy over open days), who the
VIP guests are (recency, frequency and monetary value of guests with an id; walk-ins can never be
one), and the views its notebook reads, in the notebook's order: headline facts, the display form of
a table, the guest mix, visit durations, rating intervals, the VIPs next to all guests and RevPASH
under other opening hours. Statistics that are not the restaurant's own are in
:mod:`kpi_helpers.stats`.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import accounts, kpis, scorecard
from ..display import shown_names
from ..i18n import tr, trn
from ..periods import period_labels
from ..stats import mean_interval
from . import CaseResult
from ._common import account_scope, case_months, count_words, join_notes, kpi_row, kpi_table

if TYPE_CHECKING:
    from ..data import CaseData

__all__ = ["WEEKDAYS", "weekday_name", "display_names", "for_display", "guest_rfm", "run", "restaurant_facts", "guest_mix",
           "visit_durations", "rating_intervals_by_month", "vip_vs_all", "VIP_VS_ALL_UNITS", "rating_comparison",
           "revpash_by_open_hours", "vip_choice_text", "monthly_rating_text", "rating_verdict_text", "data_text",
           "case_summary_text"]


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def weekday_name(day: Any) -> Any:
    """A weekday of :data:`WEEKDAYS` (an id, English) in the language now; anything else as it is.

    >>> weekday_name("Monday"), weekday_name(3)
    ('Monday', 3)
    """
    return _weekday_names().get(day, day) if isinstance(day, str) else day


def _weekday_names() -> dict[str, str]:
    """:data:`WEEKDAYS` -> their names in the language now."""
    return {"Monday": tr("Monday"), "Tuesday": tr("Tuesday"), "Wednesday": tr("Wednesday"),
            "Thursday": tr("Thursday"), "Friday": tr("Friday"), "Saturday": tr("Saturday"), "Sunday": tr("Sunday")}


def display_names() -> dict[str, str]:
    """Column, row and index names of this module's frames and the notebook's tables, as shown.

    The ids stay the frames' own (code reads them); a display copy gets these names
    (:func:`for_display`). In English a name is the id itself, so English tables read as before.
    """
    return {
        # monthly frame and the KPI table's display columns
        "revenue": tr("revenue"), "parties": tr("parties"), "covers": tr("covers"), "open_days": tr("open_days"),
        "avg_check": tr("avg_check"), "period": tr("period"), "name": tr("name"), "value": tr("value"),
        "target": tr("target"), "status": tr("status"), "note": tr("note"), "scope": tr("scope"),
        "observations": tr("observations"),
        # guest_mix
        "visits": tr("visits"), "visit_share": tr("visit_share"), "revenue_share": tr("revenue_share"),
        "guests": tr("guests"), "guest type": tr("guest type"), "known guests": tr("known guests"),
        "walk-ins (no id)": tr("walk-ins (no id)"),
        # guest_rfm
        "guest_id": tr("guest_id"), "recency_days": tr("recency_days"), "r_score": tr("r_score"),
        "f_score": tr("f_score"), "m_score": tr("m_score"), "rfm_score": tr("rfm_score"), "ratings": tr("ratings"),
        # vip_vs_all and rating_comparison
        "kpi": tr("kpi"), "visits per guest": tr("visits per guest"), "average check": tr("average check"),
        "average rating": tr("average rating"), "ratings given": tr("ratings given"), "all": tr("all"),
        "all guests": tr("all guests"),
    }


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with the column, row and axis names of :func:`display_names` in the
    language now (weekdays too); other labels (periods, guest ids) stay as they are.

    >>> for_display(pd.DataFrame({"visits": [1]}, index=pd.Index(["known guests"], name="guest type"))).to_dict()
    {'visits': {'known guests': 1}}
    """
    return shown_names(frame, {**_weekday_names(), **display_names()}, index_labels=True)


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


def run(data: CaseData, p: dict[str, Any]) -> CaseResult:
    """The restaurant analysis with checked parameters (call :func:`kpi_helpers.cases.analyse`).

    Frames: ``monthly``, ``by_weekday``, ``by_table``, ``heatmap`` (None without times), ``guests``
    (:func:`guest_rfm`), ``visits``, ``all`` (the whole period) and ``capacity``.
    """
    notes: list[str] = []
    v = data["visits"]
    months = case_months(data)
    first, last = data.date_range
    hours = float(p["open_hours_per_day"])
    if data.has("tables"):
        tables = data["tables"]
        n_tables, seats = len(tables), float(tables["seats"].sum())
    else:
        n_tables, seats = int(v["table"].nunique()), math.nan
        notes.append(tr("No tables table: the number of tables is taken from the visits, and RevPASH and seat "
                        "occupancy (which need seats) are skipped."))
    has_times = data.has("visits", "seated_at") and data.has("visits", "left_at")
    has_rating = data.has("visits", "rating")
    has_guest = data.has("visits", "guest_id")
    if not has_times:
        notes.append(tr("No seated_at/left_at columns: seat occupancy and the hour-of-day view are skipped."))
    if not has_rating:
        notes.append(tr("No rating column: average rating is skipped."))
    if not has_guest:
        notes.append(tr("No guest_id column: the VIP analysis is skipped."))

    df = pd.DataFrame({"date": v["date"], "period": period_labels(v["date"]), "table": v["table"],
                       "covers": v["covers"], "bill": v["bill"]})
    df["rating"] = v["rating"] if has_rating else math.nan
    df["weekday"] = pd.Categorical(v["date"].dt.day_name(), categories=WEEKDAYS, ordered=True)
    if has_times:
        df["hour"] = v["seated_at"].dt.hour
        df["seat_hours"] = v["covers"] * (v["left_at"] - v["seated_at"]).dt.total_seconds() / 3600.0

    def summarise(g: pd.api.typing.DataFrameGroupBy) -> pd.DataFrame:
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
    # THE key-account rule on guests with known ids: spend is their revenue, the RFM score (visits,
    # spend, recency) their multi-criteria score; n_vip caps it as max_key_accounts does elsewhere
    key_table = None
    key: list[str] = []
    if has_guest and not guests.empty and p["n_vip"]:
        key_table = accounts.key_accounts(guests["revenue"], guests["rfm_score"], threshold=p["major_threshold"],
                                          max_accounts=min(p["max_key_accounts"], p["n_vip"]))
        key = key_table.index.tolist()
    rows: list[dict[str, Any]] = []
    kpi_ids = ["revenue", "avg_check", "revenue_per_table", "table_turnover", "revpash", "avg_rating",
               "rating_count"]
    if has_times:
        kpi_ids.append("seat_occupancy")

    def emit(src: pd.Series, period: str, partial: bool) -> None:
        note = "partial month" if partial else ""
        for k in kpi_ids:
            if k == "rating_count":
                rows.append(kpi_row(k, src["ratings"], period=period, partial=partial, note=note))
            elif k == "avg_rating":
                rows.append(kpi_row(k, src["avg_rating"], period=period, partial=partial,
                                    note=join_notes(note, "" if src["ratings"] else "no ratings"),
                                    observations=src["ratings"]))
            elif k in ("revpash", "seat_occupancy") and math.isnan(seats):
                rows.append(kpi_row(k, math.nan, period=period, partial=partial,
                                    note=join_notes(note, "no tables table (seats)")))
            elif k in ("revenue_per_table", "table_turnover", "revpash", "seat_occupancy") and \
                    not src["open_days"]:
                rows.append(kpi_row(k, math.nan, period=period, partial=partial, note=join_notes(note, "no open days")))
            else:
                rows.append(kpi_row(k, src[k], period=period, partial=partial, note=note))

    emit(all_row, "all", False)
    for _, m in monthly.iterrows():
        emit(m, m["period"], bool(m["partial"]))
    for gid in key:
        scope = account_scope(gid)
        gr = guests.loc[gid]
        rows.append(kpi_row("visits", gr["visits"], scope=scope))
        rows.append(kpi_row("revenue", gr["revenue"], scope=scope))
        rows.append(kpi_row("avg_check", gr["avg_check"], scope=scope))
        if has_rating:
            rows.append(kpi_row("avg_rating", gr["avg_rating"], scope=scope,
                                note="" if gr["ratings"] else "no ratings", observations=gr["ratings"]))
            rows.append(kpi_row("rating_count", gr["ratings"], scope=scope))
    table = kpi_table(rows, p["targets"], {"avg_rating": p["min_ratings"]})
    frames = {"monthly": monthly, "by_weekday": by_weekday, "by_table": by_table, "heatmap": heat,
              "guests": guests, "visits": df, "all": all_row,
              "capacity": {"tables": n_tables, "seats": seats, "open_hours_per_day": hours}}
    return CaseResult("restaurant", frames, key, table, notes, p["currency"], key_table)


def _known_guest(visits: pd.DataFrame) -> pd.Series:
    if "guest_id" not in visits.columns:
        return pd.Series(False, index=visits.index)
    g = visits["guest_id"]
    return g.notna() & (g.astype("str").str.strip() != "")


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


# --- added for issue 11 (04_restaurant): the texts the notebook reads -------------------------

def vip_choice_text(key_table: pd.DataFrame | None, guests: pd.DataFrame, vip: str | None, threshold: float,
                    restaurant_revenue: float, currency: str = "NOK") -> str:
    """Markdown: which guests THE key-account rule picked, why, and which one the notebook calls "the VIP".

    The rule (:func:`kpi_helpers.accounts.key_accounts`) runs on guests with an id: spend is their
    revenue, the RFM score their multi-criteria score, ``n_vip`` caps the picks. The notebook follows
    the first pick, ``result.key_accounts[0]`` (the best-scored guest when there are scores), as
    "the VIP": a regular is chosen for coming often and recently as well as for spending.

    >>> g = pd.DataFrame({"visits": [5, 9], "revenue": [100.0, 300.0], "recency_days": [0, 4],
    ...                   "rfm_score": [1.0, 0.9]}, index=pd.Index(["G1", "G2"], name="guest_id"))
    >>> t = pd.DataFrame({"share": [0.25, 0.75], "score": [1.0, 0.9], "largest": [False, True],
    ...                   "major": [True, True], "best_scored": [True, False]}, index=["G1", "G2"])
    >>> vip_choice_text(t, g, "G1", 0.5, 1000.0)[:58]
    'The rule picked **2 guests**: **G1** (the best RFM score, '
    """
    from ..display import format_value, language

    if vip is None or key_table is None or not len(key_table):
        return tr("The rule picked no guest, so there is no VIP to follow.")
    money = lambda x: format_value(x, "currency", currency=currency)  # noqa: E731
    pct = lambda x: format_value(x, "ratio")  # noqa: E731
    count = lambda x: format_value(x, "count")  # noqa: E731
    parts = []
    for gid, row in key_table.iterrows():
        why = []
        if bool(row["best_scored"]):
            why.append(tr("the best RFM score, {score}", score=format_value(row["score"], "score")))
        if bool(row["largest"]):
            why.append(tr("the largest spender"))
        if bool(row["major"]):
            why.append(tr("a major guest with {share} of the known guests' spend", share=pct(row["share"])))
        g = guests.loc[gid]
        parts.append(tr("**{guest}** ({why}: {visits}, {revenue}, last seen {days} before the end of the data)",
                        guest=gid, why="; ".join(why),
                        visits=trn("{count} visit", "{count} visits", int(g["visits"]), count=count(g["visits"])),
                        revenue=money(g["revenue"]),
                        days=trn("{count} day", "{count} days", int(g["recency_days"]),
                                 count=count(g["recency_days"]))))
    and_ = language().text("and")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + and_ + parts[-1]
    not_major = key_table.index[~key_table["major"].astype(bool)].tolist()
    lines = [tr("The rule picked **{count}**: {listed}.", count=trn("{n} guest", "{n} guests", len(parts)),
                listed=listed)]
    if not_major:
        lines.append(tr("No guest reaches the major threshold of {threshold} of the known guests' spend "
                        "(the largest spender has {share}).", threshold=pct(threshold),
                        share=pct(key_table.loc[key_table["largest"].astype(bool), "share"].max()))
                     if len(not_major) == len(key_table) else
                     trn("{names} is below the major threshold of {threshold}.",
                         "{names} are below the major threshold of {threshold}.", len(not_major),
                         names=", ".join(str(i) for i in not_major), threshold=pct(threshold)))
    g = guests.loc[vip]
    values = {"vip": vip, "revenue": money(g["revenue"]), "share": pct(g["revenue"] / restaurant_revenue)}
    lines.append(tr("The notebook follows **{vip}** as *the VIP* (the rule's first pick, the best-scored guest): "
                    "{revenue} is only {share} of the restaurant's revenue, but a regular is chosen for loyalty, "
                    "coming often and recently, as much as for spend.", **values)
                 if bool(key_table.at[vip, "best_scored"]) else
                 tr("The notebook follows **{vip}** as *the VIP* (the rule's first pick): {revenue} is only {share} "
                    "of the restaurant's revenue, but a regular is chosen for loyalty, coming often and recently, as "
                    "much as for spend.", **values))
    others = [str(i) for i in key_table.index if i != vip]
    if others:
        lines.append(trn("The other pick, {others}, gets rows of its own in the KPI table and appears in the "
                         "comparisons below.",
                         "The other picks, {others}, get rows of their own in the KPI table and appear in the "
                         "comparisons below.", len(others), others=", ".join(others)))
    return " ".join(lines)


def monthly_rating_text(by_month: pd.DataFrame, overall: dict[str, Any], target: float | None) -> str:
    """Markdown: how uncertain each month's average rating is, and where the whole period's interval
    lies against the target. ``by_month`` is :func:`rating_intervals_by_month`; ``overall`` is
    :func:`kpi_helpers.stats.mean_interval` of all ratings.

    >>> m = pd.DataFrame({"ratings": [80, 90], "low": [3.8, 3.9], "high": [4.2, 4.2]})
    >>> monthly_rating_text(m, {"low": 3.95, "high": 4.1}, 4.3)[-56:]
    'lies below the target, so the gap to the target is real.'
    """
    from ..display import format_value

    rated = by_month[by_month["ratings"] > 0]
    if rated.empty:
        return tr("No month has any rating, so there is no monthly average rating to judge.")
    half = float(((rated["high"] - rated["low"]) / 2).median())
    text = tr("Each month's average rating rests on {low} to {high} ratings, so it is uncertain by roughly "
              "±{half} points: month-to-month moves of that size are mostly chance.",
              low=format_value(int(rated["ratings"].min()), "count"),
              high=format_value(int(rated["ratings"].max()), "count"),
              half=format_value(half, "number", decimals=2))
    low, high = overall.get("low", math.nan), overall.get("high", math.nan)
    if target is None or not (math.isfinite(low) and math.isfinite(high)):
        return text
    values = {"low": format_value(low, "number", decimals=2), "high": format_value(high, "number", decimals=2)}
    where = (tr("The whole period's 95% interval, {low} to {high}, lies below the target, so the gap to the target "
                "is real.", **values) if high < target else
             tr("The whole period's 95% interval, {low} to {high}, lies above the target.", **values) if low > target
             else tr("The whole period's 95% interval, {low} to {high}, includes the target: too close to call.",
                     **values))
    return text + " " + where


def rating_verdict_text(rating_table: pd.DataFrame, guest: str) -> str:
    """Markdown: one guest's average rating and count next to all guests', and whether their
    intervals overlap (:func:`rating_comparison`'s table; its first row is the reference).

    >>> t = pd.DataFrame({"ratings": [500, 6], "avg_rating": [4.0, 4.5], "low": [3.9, 3.6], "high": [4.1, 5.0]},
    ...                  index=["all guests", "G1"])
    >>> rating_verdict_text(t, "G1")[-60:]
    'more (or less) satisfied than the average guest of the data.'
    """
    from ..display import format_value

    r_all, r_g = rating_table.iloc[0], rating_table.loc[guest]
    no_interval = not (math.isfinite(r_g["low"]) and math.isfinite(r_g["high"]))
    overlap = no_interval or not (r_g["low"] > r_all["high"] or r_g["high"] < r_all["low"])
    verdict = (tr("The two intervals overlap (or the guest has too few ratings for one): these ratings alone do not "
                  "show that {guest} is more (or less) satisfied than the average guest of the data.", guest=guest)
               if overlap and no_interval else
               tr("The two intervals overlap: these ratings alone do not show that {guest} is more (or less) "
                  "satisfied than the average guest of the data.", guest=guest) if overlap else
               tr("The intervals do not overlap: the difference is larger than chance alone would easily produce."))
    mean = lambda x: format_value(x, "number", decimals=2)  # noqa: E731
    ratings = lambda n: trn("{count} rating", "{count} ratings", int(n), count=format_value(n, "count"))  # noqa: E731
    return tr("Guest {guest}: mean {mean} from **{ratings}**; all guests: mean {mean_all} from **{ratings_all}**. "
              "{verdict}", guest=guest, mean=mean(r_g["avg_rating"]), ratings=ratings(r_g["ratings"]),
              mean_all=mean(r_all["avg_rating"]), ratings_all=ratings(r_all["ratings"]), verdict=verdict)


def data_text(facts: dict[str, Any], has_seats: bool) -> str:
    """Markdown: the data in one sentence (months, dates, parties, covers, open days, tables, closed days),
    from :func:`restaurant_facts`.

    >>> f = {"months": 1, "first": "2025-01-01", "last": "2025-01-31", "visits": 10, "covers": 25,
    ...      "open_days": 4, "tables": 2, "seats": 8.0, "closed_weekdays": ["Monday"]}
    >>> data_text(f, True)
    '**The data:** 1 month, 2025-01-01 to 2025-01-31: 10 parties (25 covers) on 4 open days, 2 tables with 8 seats. Closed on Monday.'
    """
    from ..display import format_value, language

    count = lambda x: format_value(x, "count")  # noqa: E731
    seats = (tr("with {seats} seats", seats=format_value(round(facts["seats"]), "count")) if has_seats else
             tr("(seats unknown: no tables.csv)"))
    days = [str(weekday_name(d)) for d in facts["closed_weekdays"]]
    listed = days[0] if len(days) == 1 else ", ".join(days[:-1]) + language().text("and") + days[-1] if days else ""
    closed = " " + tr("Closed on {days}.", days=listed) if days else ""
    return tr("**The data:** {months}, {first} to {last}: {parties} ({covers}) on {open_days}, {tables} {seats}."
              "{closed}", months=trn("{n} month", "{n} months", int(facts["months"])),
              first=format_value(facts["first"], "date"), last=format_value(facts["last"], "date"),
              parties=trn("{count} party", "{count} parties", int(facts["visits"]), count=count(facts["visits"])),
              covers=trn("{count} cover", "{count} covers", int(facts["covers"]), count=count(facts["covers"])),
              open_days=trn("{count} open day", "{count} open days", int(facts["open_days"]),
                            count=count(facts["open_days"])),
              tables=trn("{count} table", "{count} tables", int(facts["tables"]), count=count(facts["tables"])),
              seats=seats, closed=closed)


def case_summary_text(whole: pd.Series, statuses: dict[str, str], open_hours_per_day: float, *, has_seats: bool,
                      has_rating: bool, vip: str | None, guests: pd.DataFrame, vip_status: str | None = None,
                      currency: str = "NOK") -> str:
    """Markdown bullets closing the notebook: turnover and RevPASH, the average rating with its count,
    and the VIP's own numbers (with its rating's status when given).

    >>> w = pd.Series({"table_turnover": 1.6, "revpash": 143.0, "avg_rating": 4.06, "ratings": 525})
    >>> case_summary_text(w, {"table_turnover": "off track"}, 6, has_seats=False, has_rating=True, vip=None,
    ...                   guests=pd.DataFrame()).splitlines()[-1]
    '- Average rating 4.06 from 525 ratings (no target).'
    """
    from ..display import format_value, status_text

    money = lambda x: format_value(x, "currency", currency=currency)  # noqa: E731
    number = lambda x: format_value(x, "number", decimals=2)  # noqa: E731
    ratings = lambda n: trn("{count} rating", "{count} ratings", int(n), count=format_value(n, "count"))  # noqa: E731
    status = lambda k: statuses.get(k, status_text("no_target"))  # noqa: E731
    if has_seats:
        lines = [tr("- Table turnover {turnover} parties per table per open day ({status}); RevPASH {revpash} at "
                    "{hours} open hours a day ({revpash_status}).", turnover=number(whole["table_turnover"]),
                    status=status("table_turnover"), revpash=money(whole["revpash"]),
                    hours=format_value(open_hours_per_day, "number"), revpash_status=status("revpash"))]
    else:
        lines = [tr("- Table turnover {turnover} parties per table per open day ({status}).",
                    turnover=number(whole["table_turnover"]), status=status("table_turnover"))]
    if has_rating:
        lines.append(tr("- Average rating {rating} from {ratings} ({status}).", rating=number(whole["avg_rating"]),
                        ratings=ratings(whole["ratings"]), status=status("avg_rating")))
    if vip is not None:
        g = guests.loc[vip]
        values = {"vip": vip, "visits": trn("{count} visit", "{count} visits", int(g["visits"]),
                                            count=format_value(g["visits"], "count")),
                  "check": money(g["avg_check"])}
        if not has_rating:
            lines.append(tr("- The VIP, guest {vip}: {visits}, average check {check}.", **values))
        elif not g["ratings"]:
            lines.append(tr("- The VIP, guest {vip}: {visits}, average check {check}, no ratings.", **values))
        elif vip_status:
            lines.append(tr("- The VIP, guest {vip}: {visits}, average check {check}, rating {rating} from "
                            "{ratings} ({status}).", rating=number(g["avg_rating"]), ratings=ratings(g["ratings"]),
                            status=vip_status, **values))
        else:
            lines.append(tr("- The VIP, guest {vip}: {visits}, average check {check}, rating {rating} from "
                            "{ratings}.", rating=number(g["avg_rating"]), ratings=ratings(g["ratings"]), **values))
    return "\n".join(lines)
