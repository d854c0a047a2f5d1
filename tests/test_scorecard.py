"""Tests of kpi_helpers.scorecard: SMART checks, status, the catalogue and the KPI table."""

from __future__ import annotations

import copy
import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_helpers import scorecard
from kpi_helpers.scorecard import (
    KPI,
    KPI_CATALOGUE,
    KPI_TABLE_COLUMNS,
    UNITS,
    csv_number,
    kpi_from_catalogue,
    kpi_table,
    smart_check,
    status,
)

GLOSSARY_IDS = [
    "revenue", "mom_growth", "cmgr", "active_customers", "revenue_share", "top_customer_share",
    "top20_share", "hhi", "abc_a_count", "csat", "avg_completion_days", "on_time_rate",
    "revenue_per_consultant", "utilization", "ctr", "cvr", "cpc", "cpa", "roas", "avg_rating",
    "avg_check", "revenue_per_table", "table_turnover", "revpash",
]
EXTRA_IDS = [
    "customer_churn", "net_revenue_retention", "nps", "realization", "roi", "seat_occupancy",
    "rating_count", "visits", "defect_rate", "first_pass_yield", "avg_time_per_unit",
]


def complete_kpi() -> KPI:
    return KPI(
        id="mom_growth",
        name="Monthly revenue growth",
        formula="(R_t - R_t-1) / R_t-1",
        unit="ratio",
        direction="higher",
        target=0.03,
        period="monthly",
        owner="CEO",
        description="Grow revenue steadily to reach break-even by 2026.",
    )


# ---------------------------------------------------------------------------------------------
# KPI and SMART
# ---------------------------------------------------------------------------------------------
def test_kpi_is_frozen():
    k = complete_kpi()
    with pytest.raises(dataclasses.FrozenInstanceError):
        k.target = 0.5  # type: ignore[misc]
    assert dataclasses.replace(k, target=0.05).target == 0.05
    assert k.target == 0.03


def test_smart_check_complete_kpi_passes_everything():
    res = smart_check(complete_kpi())
    assert list(res.columns) == ["criterion", "ok", "reason"]
    assert res["criterion"].tolist() == ["Specific", "Measurable", "Achievable", "Relevant", "Time-bound"]
    assert res["ok"].dtype == bool
    assert res["ok"].all()
    assert all(isinstance(r, str) and r.endswith(".") for r in res["reason"])


def test_smart_check_incomplete_kpi_explains_each_miss():
    k = KPI(id="growth", name="Growth", formula="", unit="percent", direction="higher")
    res = smart_check(k).set_index("criterion")
    # no formula and no description -> not specific; no formula and an unknown unit -> not measurable
    assert not res.loc["Specific", "ok"]
    assert "No formula or description" in res.loc["Specific", "reason"]
    assert not res.loc["Measurable", "ok"]
    assert "No formula" in res.loc["Measurable", "reason"]
    assert "'percent'" in res.loc["Measurable", "reason"]
    assert not res.loc["Achievable", "ok"]
    assert res.loc["Achievable", "reason"] == (
        "No target: without a number to reach you cannot tell success from failure."
    )
    assert not res.loc["Relevant", "ok"]
    assert "goal" in res.loc["Relevant", "reason"]
    assert not res.loc["Time-bound", "ok"]
    assert "No period" in res.loc["Time-bound", "reason"]


def test_smart_check_relevant_by_owner_or_description():
    base = complete_kpi()
    assert smart_check(dataclasses.replace(base, description="", owner="CFO"))["ok"][3]
    assert smart_check(dataclasses.replace(base, description="Keep clients", owner=None))["ok"][3]
    assert not smart_check(dataclasses.replace(base, description="  ", owner=None))["ok"][3]


@pytest.mark.parametrize(
    "unit, target, ok",
    [
        ("ratio", 0.8, True),
        ("ratio", 4.0, True),  # a ROAS of 4 is a ratio above 1
        ("ratio", 80.0, False),  # a percentage typed as a number
        ("ratio", -0.1, False),
        ("currency", 400.0, True),
        ("count", -1.0, False),
        ("days", 120.0, True),
        ("index", -20.0, True),  # NPS may be negative
        ("ratio", float("inf"), False),
        ("ratio", float("nan"), False),
    ],
)
def test_smart_check_achievable_rule(unit, target, ok):
    k = dataclasses.replace(complete_kpi(), unit=unit, target=target)
    res = smart_check(k).set_index("criterion")
    assert bool(res.loc["Achievable", "ok"]) is ok


def test_smart_check_ratio_target_that_looks_like_percent_is_explained():
    k = dataclasses.replace(complete_kpi(), target=80)
    reason = smart_check(k).set_index("criterion").loc["Achievable", "reason"]
    assert "fractions" in reason and "0.8" in reason


def test_smart_check_doran_variant():
    k = dataclasses.replace(complete_kpi(), owner=None)
    res = smart_check(k, variant="doran").set_index("criterion")
    assert res.index.tolist() == ["Specific", "Measurable", "Assignable", "Realistic", "Time-related"]
    assert not res.loc["Assignable", "ok"]
    assert "owner" in res.loc["Assignable", "reason"].lower()
    assert res.loc["Realistic", "ok"] and res.loc["Time-related", "ok"]
    assert smart_check(complete_kpi(), variant="doran")["ok"].all()
    with pytest.raises(ValueError, match="variant"):
        smart_check(complete_kpi(), variant="SMARTER")


def test_smart_check_accepts_a_catalogue_id():
    res = smart_check("cpa").set_index("criterion")
    # catalogue entries are definitions: specific, measurable, relevant, but no target or period
    assert res.loc["Specific", "ok"] and res.loc["Measurable", "ok"] and res.loc["Relevant", "ok"]
    assert not res.loc["Achievable", "ok"] and not res.loc["Time-bound", "ok"]
    with pytest.raises(ValueError, match="unknown KPI id"):
        smart_check("nonsense")


# ---------------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, target, direction, expected",
    [
        (0.03, 0.03, "higher", "on_track"),  # equal to the target counts as reached
        (0.029, 0.03, "higher", "off_track"),
        (400.0, 400.0, "lower", "on_track"),
        (401.0, 400.0, "lower", "off_track"),
        (5.0, None, "higher", "no_target"),
        (5.0, float("nan"), "lower", "no_target"),
        (float("nan"), 0.02, "higher", "not_measurable"),  # undefined is never off track
        (None, 0.02, "lower", "not_measurable"),
        (float("inf"), 0.02, "higher", "not_measurable"),
        (float("nan"), None, "higher", "not_measurable"),
        (0.1 + 0.2, 0.3, "higher", "on_track"),  # at the target in floating point: on track
        (0.3, 0.1 + 0.2, "lower", "on_track"),
        (0.0299999, 0.03, "higher", "off_track"),  # a real shortfall is not "at target"
    ],
)
def test_status(value, target, direction, expected):
    assert status(value, target, direction) == expected


def test_status_rejects_unknown_direction():
    with pytest.raises(ValueError, match="direction"):
        status(1.0, 1.0, "up")


# ---------------------------------------------------------------------------------------------
# catalogue
# ---------------------------------------------------------------------------------------------
def test_catalogue_has_every_glossary_and_case_id_in_order():
    ids = list(KPI_CATALOGUE)
    assert ids[: len(GLOSSARY_IDS)] == GLOSSARY_IDS
    for k in EXTRA_IDS:
        assert k in KPI_CATALOGUE


@pytest.mark.parametrize("kpi_id", list(KPI_CATALOGUE))
def test_catalogue_entries_are_complete(kpi_id):
    k = KPI_CATALOGUE[kpi_id]
    assert k.id == kpi_id
    assert k.name and k.formula and k.description
    assert k.unit in UNITS
    assert k.direction in ("higher", "lower")
    assert k.target is None and k.period is None and k.owner is None


def test_catalogue_directions_and_units():
    lower = {k for k, v in KPI_CATALOGUE.items() if v.direction == "lower"}
    assert {"cpc", "cpa", "avg_completion_days", "hhi", "top_customer_share", "top20_share",
            "customer_churn", "defect_rate", "avg_time_per_unit"} == lower
    assert KPI_CATALOGUE["revenue"].unit == "currency"
    assert KPI_CATALOGUE["hhi"].unit == "index"
    assert KPI_CATALOGUE["nps"].unit == "index"
    assert KPI_CATALOGUE["avg_rating"].unit == "score"
    assert KPI_CATALOGUE["ctr"].unit == "ratio"
    assert KPI_CATALOGUE["avg_completion_days"].unit == "days"
    assert KPI_CATALOGUE["active_customers"].unit == "count"


def test_kpi_from_catalogue_sets_fields():
    k = kpi_from_catalogue("cpa", target=400.0, period="monthly", owner="account manager")
    assert smart_check(k)["ok"].all()
    assert KPI_CATALOGUE["cpa"].target is None  # the catalogue itself is unchanged


# ---------------------------------------------------------------------------------------------
# kpi_table
# ---------------------------------------------------------------------------------------------
def _rows() -> list[dict]:
    return [
        {"kpi": "revenue", "scope": "account:Acme", "period": "all", "value": 500.0},
        {"kpi": "mom_growth", "scope": "all", "period": "2024-02", "value": 0.05},
        {"kpi": "revenue", "scope": "all", "period": "2024-02", "value": 1100.0},
        {"kpi": "revenue", "scope": "all", "period": "all", "value": 2100.0},
        {"kpi": "revenue", "scope": "all", "period": "2024-01", "value": 1000.0},
        {"kpi": "mom_growth", "scope": "all", "period": "2024-01", "value": float("nan"),
         "note": "no previous month"},
        {"kpi": "cpa", "scope": "all", "period": "all", "value": float("inf")},
        {"kpi": "revenue", "scope": "account:Bolt", "period": "2024-01", "value": 40.0},
        {"kpi": "revenue_share", "scope": "account:Acme", "period": "all", "value": 500 / 2100},
        {"kpi": "revenue", "scope": "account:Acme", "period": "2024-02", "value": 300.0,
         "partial": True, "note": "partial month"},
    ]


def test_kpi_table_columns_sort_units_and_inf():
    t = kpi_table(_rows())
    assert list(t.columns) == KPI_TABLE_COLUMNS
    keys = list(zip(t["kpi"], t["scope"], t["period"]))
    assert keys == [
        ("revenue", "all", "all"),
        ("revenue", "all", "2024-01"),
        ("revenue", "all", "2024-02"),
        ("mom_growth", "all", "2024-01"),
        ("mom_growth", "all", "2024-02"),
        ("cpa", "all", "all"),
        # accounts in the order they first appear in the rows: Acme, then Bolt
        ("revenue", "account:Acme", "all"),
        ("revenue", "account:Acme", "2024-02"),
        ("revenue_share", "account:Acme", "all"),
        ("revenue", "account:Bolt", "2024-01"),
    ]
    assert t.loc[0, "unit"] == "currency"
    assert t.set_index(["kpi", "scope", "period"]).loc[("mom_growth", "all", "2024-02"), "unit"] == "ratio"
    cpa = t[t["kpi"] == "cpa"].iloc[0]
    assert math.isnan(cpa["value"])  # inf -> NaN
    assert cpa["note"] == "undefined: conversions are 0"
    growth_jan = t[(t["kpi"] == "mom_growth") & (t["period"] == "2024-01")].iloc[0]
    assert growth_jan["note"] == "no previous month"  # an explicit note is kept
    assert t["partial"].dtype == bool
    assert t["partial"].sum() == 1
    assert set(t["status"]) == {"no_target", "not_measurable"}
    assert (t["status"] == "not_measurable").tolist() == t["value"].isna().tolist()
    assert t["target"].isna().all()
    assert t["value"].dtype == float


def test_kpi_table_targets_by_kpi_scope_and_row():
    targets = {
        "mom_growth": 0.03,
        "cpa": 400.0,
        "revenue": 1050.0,  # a monthly business target
        ("revenue", "Acme"): 250.0,  # scope without the "account:" prefix is accepted
        ("revenue_share", "account:Acme", "all"): 0.5,
    }
    t = kpi_table(_rows(), targets=targets).set_index(["kpi", "scope", "period"])
    # mom_growth: 0.05 >= 0.03 on track; NaN with a target: not measurable (never off track)
    assert t.loc[("mom_growth", "all", "2024-02"), "status"] == "on_track"
    assert t.loc[("mom_growth", "all", "2024-01"), "status"] == "not_measurable"
    assert t.loc[("mom_growth", "all", "2024-01"), "target"] == 0.03  # the target is still shown
    # cpa is undefined (was inf): not measurable
    assert t.loc[("cpa", "all", "all"), "status"] == "not_measurable"
    # revenue: monthly target applied to the months: 1000 < 1050 off, 1100 >= 1050 on
    assert t.loc[("revenue", "all", "2024-01"), "status"] == "off_track"
    assert t.loc[("revenue", "all", "2024-02"), "status"] == "on_track"
    # ...but not to the whole-period total, nor to an account (a part of the business)
    assert t.loc[("revenue", "all", "all"), "status"] == "no_target"
    assert "per month" in t.loc[("revenue", "all", "all"), "note"]
    assert t.loc[("revenue", "account:Bolt", "2024-01"), "status"] == "no_target"
    assert "one account" in t.loc[("revenue", "account:Bolt", "2024-01"), "note"]
    # Acme's own monthly target: 300 >= 250 on track, but not applied to the "all" total
    assert t.loc[("revenue", "account:Acme", "2024-02"), "target"] == 250.0
    assert t.loc[("revenue", "account:Acme", "2024-02"), "status"] == "on_track"
    assert t.loc[("revenue", "account:Acme", "2024-02"), "note"].startswith("partial month")
    assert t.loc[("revenue", "account:Acme", "all"), "status"] == "no_target"
    # row target: 500 / 2100 = 0.238 < 0.5
    assert t.loc[("revenue_share", "account:Acme", "all"), "status"] == "off_track"


def test_kpi_table_insufficient_data_below_the_minimum_count():
    rows = [
        {"kpi": "avg_rating", "scope": "all", "period": "all", "value": 4.6, "observations": 120},
        {"kpi": "avg_rating", "scope": "account:G7", "period": "all", "value": 4.25, "observations": 4},
        {"kpi": "avg_rating", "scope": "account:G8", "period": "all", "value": 4.8, "observations": 10},
        {"kpi": "avg_rating", "scope": "account:G9", "period": "all", "value": float("nan"), "observations": 0},
    ]
    t = kpi_table(rows, {"avg_rating": 4.5}, min_observations={"avg_rating": 10})
    assert t["status"].tolist() == ["on_track", "insufficient_data", "on_track", "not_measurable"]
    assert t["observations"].tolist() == [120, 4, 10, 0]
    assert "4 observations, fewer than the minimum of 10" in t.loc[1, "note"]
    # without a minimum the same rows get verdicts
    assert kpi_table(rows, {"avg_rating": 4.5})["status"].tolist()[:2] == ["on_track", "off_track"]
    with pytest.raises(ValueError, match="unknown KPI"):
        kpi_table(rows, min_observations={"nope": 3})


@pytest.mark.parametrize("value, unit, text", [
    (123456789.12, "currency", "123456789.12"),  # cents kept (%.10g wrote 123456789.1)
    (10_001_071_574.35, "currency", "10001071574.35"),  # never an exponent
    (-0.001, "currency", "0.00"),
    (3.0, "count", "3"),
    (2600.000000000001, "index", "2600"),
    (0.030000000000000002, "ratio", "0.03"),
    (1 / 3, "ratio", "0.333333333333"),
    (1.5e-7, "ratio", "0.00000015"),
    (float("nan"), "ratio", ""),
    (None, "currency", ""),
])
def test_csv_number_cents_integers_and_twelve_digits(value, unit, text):
    assert csv_number(value, unit) == text


def test_kpi_table_rate_targets_apply_to_accounts_too():
    rows = [
        {"kpi": "ctr", "scope": "all", "period": "all", "value": 0.021},
        {"kpi": "ctr", "scope": "account:Acme", "period": "all", "value": 0.015},
    ]
    t = kpi_table(rows, {"ctr": 0.02})
    assert t["status"].tolist() == ["on_track", "off_track"]
    assert t["target"].tolist() == [0.02, 0.02]


def test_kpi_table_accepts_a_dataframe_without_changing_it():
    df = pd.DataFrame(_rows())
    before = copy.deepcopy(df)
    t = kpi_table(df, {"mom_growth": 0.03})
    pd.testing.assert_frame_equal(df, before)
    pd.testing.assert_frame_equal(t, kpi_table(_rows(), {"mom_growth": 0.03}))


def test_kpi_table_is_deterministic_under_row_order():
    rows = _rows()
    t1 = kpi_table(rows)
    # the same rows, reversed, only change the order in which accounts first appear
    t2 = kpi_table(list(reversed(rows)))
    assert t1[t1["scope"] == "all"].reset_index(drop=True).equals(t2[t2["scope"] == "all"].reset_index(drop=True))


def test_kpi_table_empty():
    t = kpi_table([])
    assert list(t.columns) == KPI_TABLE_COLUMNS
    assert len(t) == 0


@pytest.mark.parametrize(
    "row, message",
    [
        ({"kpi": "revnue", "scope": "all", "period": "all", "value": 1}, "unknown KPI id"),
        ({"kpi": "revenue", "scope": "Acme", "period": "all", "value": 1}, "scope"),
        ({"kpi": "revenue", "scope": "all", "period": "2024-13", "value": 1}, "period"),
        ({"kpi": "revenue", "scope": "all", "period": "all", "value": "lots"}, "numbers"),
        ({"kpi": "revenue", "scope": "all", "value": 1}, "missing"),
    ],
)
def test_kpi_table_bad_rows(row, message):
    with pytest.raises(ValueError, match=message):
        kpi_table([row])


def test_kpi_table_rejects_duplicates_and_bad_targets():
    row = {"kpi": "revenue", "scope": "all", "period": "all", "value": 1.0}
    with pytest.raises(ValueError, match="duplicate"):
        kpi_table([row, dict(row)])
    with pytest.raises(ValueError, match="unknown KPI"):
        kpi_table([row], {"revnue": 1})
    with pytest.raises(ValueError, match="finite"):
        kpi_table([row], {"revenue": "high"})


def test_kpi_table_custom_catalogue():
    cat = dict(KPI_CATALOGUE)
    cat["nps_b2b"] = KPI("nps_b2b", "NPS of B2B clients", "promoters - detractors", "index", "higher")
    t = kpi_table([{"kpi": "nps_b2b", "scope": "all", "period": "all", "value": 12.0}], {"nps_b2b": 10},
                  catalogue=cat)
    assert t.loc[0, "unit"] == "index" and t.loc[0, "status"] == "on_track"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)), min_size=1, max_size=12))
def test_property_kpi_table_values_never_inf_and_status_valid(values):
    rows = [
        {"kpi": "ctr", "scope": "all", "period": f"2024-{i + 1:02d}", "value": v}
        for i, v in enumerate(values)
    ]
    t = kpi_table(rows, {"ctr": 0.02})
    assert not np.isinf(t["value"]).any()
    assert set(t["status"]) <= {"on_track", "off_track", "not_measurable"}
    assert (t["status"] == "not_measurable").tolist() == t["value"].isna().tolist()
    assert t["period"].tolist() == sorted(t["period"])
    assert (t.loc[t["value"].isna(), "note"] != "").all()


def test_kpi_table_does_not_change_row_dicts():
    rows = _rows()
    before = copy.deepcopy(rows)
    kpi_table(rows, {"revenue": 1.0})
    assert repr(rows) == repr(before)


def test_computing_modules_do_not_import_plotting_widgets_or_papermill():
    import subprocess
    import sys

    code = (
        "import sys, kpi_helpers.accounts, kpi_helpers.scorecard\n"
        "bad = [m for m in ('matplotlib', 'seaborn', 'ipywidgets', 'papermill') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert scorecard.UNITS == UNITS
