"""Helpers for the restaurant notebook (04_restaurant): intervals, guest mix, VIP comparison, RevPASH.

Each expected value is worked out by hand in a comment.
"""
from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from kpi_helpers import cases, data, plots, widgets  # noqa: E402


from conftest import write_csv as _write  # noqa: E402


@pytest.fixture
def restaurant_dir(tmp_path):
    """Two open days, 2 tables (6 seats); G1 comes twice, one walk-in leaves after midnight."""
    d = tmp_path / "restaurant"
    _write(d, "visits.csv", """
        date,seated_at,left_at,table,guest_id,covers,bill,rating
        2025-01-03,18:00,20:00,T1,G1,2,1000,5
        2025-01-03,22:30,00:40,T2,,4,2000,3
        2025-01-04,19:00,20:30,T1,G1,2,1200,4
        2025-01-04,19:00,21:00,T2,G2,3,900,
        """)
    _write(d, "tables.csv", """
        table,seats
        T1,2
        T2,4
        """)
    return d


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------------------------------------
# guests
# ---------------------------------------------------------------------------------------------

def test_guest_mix(restaurant_dir):
    cd = data.load_case("restaurant", restaurant_dir)
    mix = cases.restaurant.guest_mix(cd["visits"])
    # 3 of 4 visits have an id (G1 twice, G2 once): 2 guests; revenue 3100 of 5100
    assert mix.loc["known guests", "visits"] == 3 and mix.loc["walk-ins (no id)", "visits"] == 1
    assert mix["visit_share"].tolist() == [0.75, 0.25]
    assert mix.loc["known guests", "revenue_share"] == pytest.approx(3100 / 5100)
    assert mix.loc["known guests", "guests"] == 2 and math.isnan(mix.loc["walk-ins (no id)", "guests"])


def test_guest_mix_without_guest_column():
    v = pd.DataFrame({"bill": [10.0, 30.0]})
    mix = cases.restaurant.guest_mix(v)
    assert mix["visits"].tolist() == [0, 2] and mix["visit_share"].tolist() == [0.0, 1.0]


def test_guest_mix_empty_has_nan_shares():
    mix = cases.restaurant.guest_mix(pd.DataFrame({"guest_id": pd.Series([], dtype="str"), "bill": pd.Series([], dtype=float)}))
    assert mix["visit_share"].isna().all() and mix["revenue_share"].isna().all()


def test_rating_comparison(restaurant_dir):
    cd = data.load_case("restaurant", restaurant_dir)
    rc = cases.restaurant.rating_comparison(cd["visits"], ["G1", "G2"])
    assert list(rc.index) == ["all guests", "G1", "G2"]
    # all: ratings 5, 3, 4 -> mean 4, 3 ratings, 4 visits; G1: 5, 4 -> 4.5; G2: none
    assert rc["ratings"].tolist() == [3, 2, 0]
    assert rc.loc["all guests", "avg_rating"] == pytest.approx(4.0)
    assert rc.loc["G1", "avg_rating"] == pytest.approx(4.5)
    assert math.isnan(rc.loc["G2", "avg_rating"])
    assert rc["visits"].tolist() == [4, 2, 1]
    # intervals stay on the 1-5 scale
    ok = rc[["low", "high"]].dropna()
    assert ((ok >= 1) & (ok <= 5)).all().all()


def test_rating_comparison_without_rating_column():
    v = pd.DataFrame({"guest_id": ["A"], "bill": [1.0]})
    rc = cases.restaurant.rating_comparison(v, ["A"])
    assert rc["ratings"].tolist() == [0, 0] and rc["avg_rating"].isna().all()


def test_vip_vs_all(restaurant_dir):
    cd = data.load_case("restaurant", restaurant_dir)
    res = cases.analyse("restaurant", cd)
    assert res.key_accounts[0] == "G1"  # most visits
    table = cases.restaurant.vip_vs_all(cd["visits"], res.frames["guests"], ["G1"])
    assert list(table.columns) == ["all guests", "G1"]
    assert set(table.index) == set(cases.restaurant.VIP_VS_ALL_UNITS)
    # visits per known guest: (2 + 1) / 2 = 1.5; all: 5100 / 11 covers; G1: 2200 / 4 covers
    assert table.loc["visits per guest", "all guests"] == pytest.approx(1.5)
    assert table.loc["average check", "all guests"] == pytest.approx(5100 / 11)
    assert table.loc["average check", "G1"] == pytest.approx(550.0)
    assert table.loc["average rating", "G1"] == pytest.approx(4.5)
    assert table.loc["ratings given", "all guests"] == 3 and table.loc["ratings given", "G1"] == 2


# ---------------------------------------------------------------------------------------------
# capacity, durations, facts
# ---------------------------------------------------------------------------------------------

def test_revpash_by_open_hours(restaurant_dir):
    cd = data.load_case("restaurant", restaurant_dir)
    monthly = cases.analyse("restaurant", cd).frames["monthly"]
    out = cases.restaurant.revpash_by_open_hours(monthly, 6, [4, 6])
    # 5100 / (6 seats x 4 h x 2 days) = 106.25; at 6 h: 70.83
    assert list(out.columns) == ["period", "partial", "4 h open", "6 h open"]
    assert out.loc[0, "4 h open"] == pytest.approx(106.25)
    assert out.loc[0, "6 h open"] == pytest.approx(5100 / 72)
    assert out["6 h open"].isna().sum() == 0
    assert cases.restaurant.revpash_by_open_hours(monthly, float("nan"), [6])["6 h open"].isna().all()


def test_visit_durations_past_midnight(restaurant_dir):
    cd = data.load_case("restaurant", restaurant_dir)
    d = cases.restaurant.visit_durations(cd["visits"])
    # 120, 130 (22:30 -> 00:40 next day), 90, 120 minutes
    assert d["minutes"].tolist() == [120.0, 130.0, 90.0, 120.0]
    assert d["past_midnight"].tolist() == [False, True, False, False]
    assert (d["minutes"] > 0).all()


def test_restaurant_facts(restaurant_dir):
    cd = data.load_case("restaurant", restaurant_dir)
    res = cases.analyse("restaurant", cd)
    f = cases.restaurant.restaurant_facts(cd, res)
    assert f["first"] == "2025-01-03" and f["last"] == "2025-01-04" and f["months"] == 1
    assert f["partial_months"] == ["2025-01"]
    assert (f["visits"], f["covers"], f["revenue"], f["open_days"]) == (4, 11, 5100.0, 2)
    assert (f["tables"], f["seats"]) == (2, 6.0)
    assert f["past_midnight"] == 1 and f["walk_in_share"] == 0.25 and f["known_guests"] == 2
    # open Friday and Saturday only
    assert f["closed_weekdays"] == ["Monday", "Tuesday", "Wednesday", "Thursday", "Sunday"]


def test_restaurant_facts_without_tables_and_times(tmp_path):
    d = tmp_path / "r"
    _write(d, "visits.csv", """
        date,table,covers,bill
        2025-01-03,T1,2,1000
        """)
    cd = data.load_case("restaurant", d)
    res = cases.analyse("restaurant", cd)
    f = cases.restaurant.restaurant_facts(cd, res)
    assert math.isnan(f["seats"]) and f["tables"] == 1 and f["past_midnight"] == 0
    assert math.isnan(f["walk_in_share"]) and f["known_guests"] == 0


# ---------------------------------------------------------------------------------------------
# plot and widget
# ---------------------------------------------------------------------------------------------

def test_mean_with_interval_plot():
    frame = pd.DataFrame({"ratings": [500, 9, 1, 0], "avg_rating": [4.05, 4.56, 5.0, float("nan")],
                          "low": [3.98, 4.0, float("nan"), float("nan")],
                          "high": [4.12, 5.0, float("nan"), float("nan")]},
                         index=pd.Index(["all guests", "G0042", "G9", "$5 <b>"], name="who"))
    ax = plots.mean_with_interval(frame, highlight=["G0042"], target=4.3)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "all guests\n(n = 500 ratings)" and labels[3].startswith("$5 <b>")
    texts = [t.get_text() for t in ax.texts]
    assert "4.56" in texts and "5.00  (too few to judge)" in texts
    lo, hi = ax.get_xlim()
    assert lo < 1 and hi > 5
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "target 4.30" in legend and "95% interval" in legend and "key account" in legend


def test_revpash_explorer(restaurant_dir):
    cd = data.load_case("restaurant", restaurant_dir)
    res = cases.analyse("restaurant", cd, open_hours_per_day=4.0)
    ex = widgets.revpash_explorer(res.frames["monthly"], res.frames["capacity"]["seats"], 4.0, target=100.0)
    assert ex.revpash == pytest.approx(106.25)
    assert "NOK 106" in ex.summary.value and "target NOK 100" in ex.summary.value
    assert ex.png.startswith(b"\x89PNG")
    ex.slider.value = 6.0
    assert ex.revpash == pytest.approx(5100 / 72)
    assert ex.frame["revpash"].iloc[0] == pytest.approx(5100 / 72)
    # the explorer agrees with the KPI table at the same hours
    res6 = cases.analyse("restaurant", cd, open_hours_per_day=6.0)
    assert res6.frames["all"]["revpash"] == pytest.approx(ex.revpash)
    assert not plt.get_fignums()  # rendered off-screen


def test_rating_intervals_by_month(restaurant_dir):
    cd = data.load_case("restaurant", restaurant_dir)
    by_month = cases.restaurant.rating_intervals_by_month(cd["visits"])
    # January: ratings 5, 3, 4 -> mean 4, sd 1, se 1/sqrt(3), t(0.975, 2) = 4.303 -> 4 -/+ 2.484, clipped
    assert list(by_month.index) == ["2025-01"]
    row = by_month.loc["2025-01"]
    assert row["ratings"] == 3 and row["avg_rating"] == pytest.approx(4.0)
    assert row["low"] == pytest.approx(4 - 4.3027 / math.sqrt(3), abs=1e-3) and row["high"] == 5.0
    empty = cases.restaurant.rating_intervals_by_month(cd["visits"].iloc[0:0])
    assert empty.empty and list(empty.columns) == ["ratings", "avg_rating", "low", "high"]
