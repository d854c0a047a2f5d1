"""The restaurant's visits and tables, with one VIP regular among the members."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._common import SEEDS, COLUMNS, _frame, _sorted, _money, _hhmm

__all__ = ["RESTAURANT_VIP", "restaurant"]


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
    out: dict[str, list[Any]] = {c: [] for c in COLUMNS[("restaurant", "visits")]}

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
