"""Tests of kpi_helpers.accounts: worked examples computed by hand, properties, purity."""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_helpers import accounts, kpis
from kpi_helpers.periods import month_table
from kpi_helpers.accounts import (
    DEFAULT_WEIGHTS,
    HHI_BANDS_2010,
    HHI_BANDS_2023,
    abc_counts,
    account_features,
    account_kpis,
    concentration,
    hhi_band,
    concentration_kpis,
    key_accounts,
    major_customers,
    monthly_revenue_by_account,
    pareto_table,
    portfolio_matrix,
    revenue_by_customer,
    revenue_share,
    score_accounts,
)

PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rev(**kw: float) -> pd.Series:
    s = pd.Series(kw, dtype=float)
    s.index.name = "customer"
    return s


# ---------------------------------------------------------------------------------------------
# revenue and shares
# ---------------------------------------------------------------------------------------------
def test_revenue_by_customer_sums_sorts_and_breaks_ties_by_name():
    df = pd.DataFrame(
        {"customer": ["b", "a", "b", "c", None], "amount": [10.0, 30.0, 20.0, 5.0, 99.0]}
    )
    r = revenue_by_customer(df)
    # a = 30; b = 10 + 20 = 30 (tie with a: name decides); c = 5; the row without customer is dropped
    assert r.index.tolist() == ["a", "b", "c"]
    assert r.tolist() == [30.0, 30.0, 5.0]
    assert r.name == "revenue"
    assert r.index.name == "customer"


def test_revenue_by_customer_other_column_names_and_missing_column():
    df = pd.DataFrame({"client": ["x", "y", "x"], "bill": [1, 2, 3]})
    r = revenue_by_customer(df, customer="client", amount="bill")
    assert r.to_dict() == {"x": 4.0, "y": 2.0}
    with pytest.raises(ValueError, match="missing column"):
        revenue_by_customer(df)


def test_revenue_by_customer_keeps_zero_and_negative_customers():
    df = pd.DataFrame({"customer": ["a", "b", "b", "c"], "amount": [10.0, 5.0, -5.0, -2.0]})
    r = revenue_by_customer(df)
    assert r.to_dict() == {"a": 10.0, "b": 0.0, "c": -2.0}
    assert r.index.tolist() == ["a", "b", "c"]


def test_revenue_share_worked_example_and_zero_total():
    # 60 / 100, 30 / 100, 10 / 100
    s = revenue_share(rev(A=60, B=30, C=10))
    assert s.tolist() == pytest.approx([0.6, 0.3, 0.1])
    assert s.index.tolist() == ["A", "B", "C"]
    zero = revenue_share(rev(A=0, B=0))
    assert zero.isna().all()


# ---------------------------------------------------------------------------------------------
# Pareto / ABC
# ---------------------------------------------------------------------------------------------
def test_pareto_table_four_customers_exact_thresholds():
    # total 100; cumulative shares: A 0.50, B 0.80 (reaches 80 % -> last A),
    # C 0.95 (reaches 95 % -> last B), D 1.00 -> C
    t = pareto_table(rev(D=5, B=30, A=50, C=15))
    assert list(t.columns) == [
        "customer", "revenue", "share", "cum_share", "rank", "cum_customer_share", "abc_class"
    ]
    assert t["customer"].tolist() == ["A", "B", "C", "D"]
    assert t["share"].tolist() == pytest.approx([0.50, 0.30, 0.15, 0.05])
    assert t["cum_share"].tolist() == pytest.approx([0.50, 0.80, 0.95, 1.00])
    assert t["rank"].tolist() == [1, 2, 3, 4]
    assert t["cum_customer_share"].tolist() == pytest.approx([0.25, 0.50, 0.75, 1.00])
    assert t["abc_class"].tolist() == ["A", "A", "B", "C"]
    assert abc_counts(t) == {"A": 2, "B": 1, "C": 1}


def test_pareto_table_class_includes_the_customer_that_crosses_the_threshold():
    # total 100; cumulative: 0.45, 0.70, 0.90 (first >= 0.80 -> W is the last A), 1.00 (first
    # >= 0.95 -> Z is B). "Up to and including" makes W an A customer although 0.90 > 0.80.
    t = pareto_table(rev(X=45, Y=25, W=20, Z=10))
    assert t["customer"].tolist() == ["X", "Y", "W", "Z"]
    assert t["abc_class"].tolist() == ["A", "A", "A", "B"]
    assert abc_counts(t) == {"A": 3, "B": 1, "C": 0}


def test_pareto_table_custom_thresholds():
    # same revenues, a = 0.5, b = 0.9: cumulative 0.45, 0.70 (first >= 0.5), 0.90 (first >= 0.9), 1.0
    t = pareto_table(rev(X=45, Y=25, W=20, Z=10), a=0.5, b=0.9)
    assert t["abc_class"].tolist() == ["A", "A", "B", "C"]


def test_pareto_table_floating_point_threshold_is_reached():
    # total 40; cumulative shares 14/40 = 0.35, 23/40 = 0.575, 32/40 = 0.8, 1.0 on paper, but in
    # floating point the third is 0.7999999999999999: it still "reaches" 80 % (tolerance 1e-9).
    t = pareto_table(rev(a=14, b=9, c=9, d=8))
    assert t["cum_share"].iloc[2] < 0.8
    assert t["abc_class"].tolist() == ["A", "A", "A", "B"]


def test_pareto_table_ties_broken_by_name():
    t = pareto_table(rev(b=10, a=10, c=80))
    assert t["customer"].tolist() == ["c", "a", "b"]
    # cumulative 0.8 (c: A), 0.9, 1.0 (b reaches 0.95: B)
    assert t["abc_class"].tolist() == ["A", "B", "B"]


def test_pareto_table_zero_total_revenue():
    t = pareto_table(rev(a=0, b=0))
    assert t["share"].isna().all()
    assert t["cum_share"].isna().all()
    assert t["abc_class"].tolist() == ["C", "C"]
    assert t["customer"].tolist() == ["a", "b"]


def test_pareto_table_non_positive_customers_listed_as_c():
    # total = 100 + 0 - 10 = 90; x alone is 100 / 90 > 0.95 -> A; y (0) and z (-10) are C
    t = pareto_table(rev(x=100, y=0, z=-10))
    assert t["customer"].tolist() == ["x", "y", "z"]
    assert t["abc_class"].tolist() == ["A", "C", "C"]


def test_pareto_table_b_is_empty_when_one_customer_reaches_both_thresholds():
    t = pareto_table(rev(big=97, small=3))
    assert t["abc_class"].tolist() == ["A", "C"]


def test_pareto_table_empty():
    t = pareto_table(pd.Series([], dtype=float))
    assert t.empty
    assert "abc_class" in t.columns
    assert abc_counts(t) == {"A": 0, "B": 0, "C": 0}


@pytest.mark.parametrize(
    "a, b", [(0.95, 0.8), (0.8, 0.8), (0.0, 0.9), (0.8, 1.1), (-0.1, 0.5), (float("nan"), 0.9)]
)
def test_pareto_table_rejects_bad_thresholds(a, b):
    with pytest.raises(ValueError, match="0 < a < b <= 1"):
        pareto_table(rev(x=1), a=a, b=b)


def test_pareto_table_b_may_be_one():
    t = pareto_table(rev(x=50, y=30, z=20), a=0.5, b=1.0)
    assert t["abc_class"].tolist() == ["A", "B", "B"]


# ---------------------------------------------------------------------------------------------
# concentration
# ---------------------------------------------------------------------------------------------
def test_concentration_30_30_20_20():
    c = concentration(rev(A=30, B=30, C=20, D=20))
    # HHI = 30^2 + 30^2 + 20^2 + 20^2 = 900 + 900 + 400 + 400 = 2600 (> 2500: highly concentrated)
    assert c["hhi"] == pytest.approx(2600.0)
    assert c["hhi_band"] == "highly concentrated"
    assert c["n_customers"] == 4
    assert c["total"] == 100.0
    # A and B tie at 30: A wins by name
    assert c["top_customer"] == "A"
    assert c["top_customer_share"] == pytest.approx(0.30)
    # top 3 = 30 + 30 + 20 = 80 of 100
    assert c["top_n_share"] == pytest.approx(0.80)
    # top 20 % of 4 customers = ceil(0.8) = 1 customer: 30 / 100
    assert c["top20_share"] == pytest.approx(0.30)
    # every share >= 10 %
    assert c["major_customers"] == ["A", "B", "C", "D"]


def test_concentration_zero_total_and_empty():
    c = concentration(rev(a=0, b=0))
    assert math.isnan(c["hhi"]) and c["hhi_band"] == "n/a"
    assert math.isnan(c["top_customer_share"])
    assert c["major_customers"] == []
    e = concentration(pd.Series([], dtype=float))
    assert e["n_customers"] == 0 and e["top_customer"] is None and math.isnan(e["hhi"])


def test_concentration_single_customer_is_10000():
    c = concentration(rev(only=5))
    assert c["hhi"] == pytest.approx(10000.0)
    assert c["top20_share"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "value, band",
    [
        (0, "unconcentrated"),
        (1499.99, "unconcentrated"),
        (1500, "moderately concentrated"),
        (2500, "moderately concentrated"),
        (2500.01, "highly concentrated"),
        (10000, "highly concentrated"),
        (float("nan"), "n/a"),
        (None, "n/a"),
    ],
)
def test_hhi_band_2010_guidelines(value, band):
    assert hhi_band(value, cuts=HHI_BANDS_2010) == band


def test_hhi_band_2023_guidelines_are_the_default():
    # 2023 guidelines: above 1,800 highly concentrated; 1,000-1,800 moderately (1992 names)
    assert hhi_band(999) == "unconcentrated"
    assert hhi_band(1000) == "moderately concentrated"
    assert hhi_band(1800) == "moderately concentrated"
    assert hhi_band(1800.01) == "highly concentrated"
    assert hhi_band(2000) == hhi_band(2000, cuts=HHI_BANDS_2023) == "highly concentrated"
    assert hhi_band(2000, cuts=HHI_BANDS_2010) == "moderately concentrated"
    with pytest.raises(ValueError):
        hhi_band(1000, cuts=(2000, 1000))


def test_major_customer_at_exactly_ten_percent():
    # 60 / 100 = 0.6, 30 / 100 = 0.3, 10 / 100 = 0.10 exactly -> major; 0 -> not
    assert major_customers(rev(A=60, B=30, C=10, D=0)) == ["A", "B", "C"]
    # 9.99 % is not
    assert major_customers(rev(A=900.1, B=99.9)) == ["A"]
    # threshold as a parameter
    assert major_customers(rev(A=60, B=30, C=10), threshold=0.3) == ["A", "B"]
    # shares that add up in floating point: 0.1 / (0.1 + 0.2 + 0.7) is 10 % up to rounding
    assert "x" in major_customers(rev(x=0.1, y=0.2, z=0.7))
    with pytest.raises(ValueError):
        major_customers(rev(A=1), threshold=0)


# ---------------------------------------------------------------------------------------------
# months, monthly revenue, account KPIs
# ---------------------------------------------------------------------------------------------
def test_month_table_flags_partial_months():
    m = month_table("2024-01-15", "2024-04-30")
    assert m["period"].tolist() == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert m["partial"].tolist() == [True, False, False, False]
    m = month_table("2024-02-01", "2024-02-28")  # 2024 is a leap year: Feb has 29 days
    assert m["partial"].tolist() == [True]


def _tx() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": ["2024-01-01", "2024-01-20", "2024-02-10", "2024-03-05", "2024-03-31", "2024-04-02"],
            "customer": ["A", "B", "A", "A", "B", "A"],
            "amount": [100.0, 50.0, 110.0, 121.0, 40.0, 7.0],
        }
    )


def test_monthly_revenue_by_account_fills_months_and_orders_columns():
    m = monthly_revenue_by_account(_tx())
    # A: Jan 100, Feb 110, Mar 121, Apr 7 (total 338); B: Jan 50, Mar 40 (total 90)
    assert m.columns.tolist() == ["A", "B"]
    assert m.index.tolist() == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert m["A"].tolist() == [100.0, 110.0, 121.0, 7.0]
    assert m["B"].tolist() == [50.0, 0.0, 40.0, 0.0]
    # data ends on 2 April: April is partial
    assert m.attrs["partial"] == ["2024-04"]
    only_b = monthly_revenue_by_account(_tx(), ["B"], complete_only=True)
    assert only_b.columns.tolist() == ["B"]
    assert only_b.index.tolist() == ["2024-01", "2024-02", "2024-03"]
    with pytest.raises(ValueError, match="unknown account"):
        monthly_revenue_by_account(_tx(), ["Nobody"])


def test_account_kpis_worked_example():
    k = account_kpis(_tx(), "A")
    # revenue A = 100 + 110 + 121 + 7 = 338; total = 338 + 90 = 428; share = 338 / 428
    assert k["revenue"] == pytest.approx(338.0)
    assert k["revenue_share"] == pytest.approx(338 / 428)
    # complete months Jan-Mar (April is partial): last complete month March
    assert k["last_complete_month"] == "2024-03"
    assert k["complete_months"] == 3
    # MoM growth March vs February: (121 - 110) / 110 = 0.1
    assert k["mom_growth"] == pytest.approx(0.1)
    # CMGR Jan -> Mar: (121 / 100) ** (1 / 2) - 1 = 0.1
    assert k["cmgr"] == pytest.approx(0.1)
    b = account_kpis(_tx(), "B")
    # B: March 40 vs February 0 -> growth from 0 undefined; CMGR (40 / 50) ** (1/2) - 1
    assert math.isnan(b["mom_growth"])
    assert b["cmgr"] == pytest.approx((40 / 50) ** 0.5 - 1)
    with pytest.raises(ValueError, match="unknown account"):
        account_kpis(_tx(), "Z")


def test_account_kpis_needs_two_complete_months():
    df = pd.DataFrame({"date": ["2024-01-10", "2024-01-20"], "customer": ["A", "A"], "amount": [1.0, 2.0]})
    k = account_kpis(df, "A")
    assert k["complete_months"] == 0
    assert math.isnan(k["mom_growth"]) and math.isnan(k["cmgr"])
    assert k["revenue_share"] == 1.0


# ---------------------------------------------------------------------------------------------
# features, scoring, key accounts, portfolio
# ---------------------------------------------------------------------------------------------
def _tx_growth() -> pd.DataFrame:
    # four complete months Jan-Apr 2024; recent_months = 2 compares Mar+Apr with Jan+Feb
    return pd.DataFrame(
        {
            "date": ["2024-01-01", "2024-02-15", "2024-03-10", "2024-04-30",
                     "2024-01-05", "2024-04-05", "2024-03-03"],
            "customer": ["A", "A", "A", "A", "B", "B", "C"],
            "amount": [100.0, 100.0, 150.0, 150.0, 80.0, 40.0, 30.0],
        }
    )


def test_account_features_worked_example():
    customers = pd.DataFrame(
        {"customer": ["A", "B", "D"], "strategic_value": [2, 5, 4], "engagement": [3, 1, 2]}
    )
    f = account_features(_tx_growth(), customers, recent_months=2)
    # revenue A = 500, B = 120, C = 30, D = 0 (only in the customers table); total 650
    assert f.index.tolist() == ["A", "B", "C", "D"]
    assert f["revenue"].tolist() == [500.0, 120.0, 30.0, 0.0]
    assert f["revenue_share"].tolist() == pytest.approx([500 / 650, 120 / 650, 30 / 650, 0.0])
    # A: recent (Mar + Apr) 300 vs before (Jan + Feb) 200 -> (300 - 200) / 200 = 0.5
    # B: recent 40 vs before 80 -> -0.5; C and D: before = 0 -> NaN
    assert f.loc["A", "revenue_growth"] == pytest.approx(0.5)
    assert f.loc["B", "revenue_growth"] == pytest.approx(-0.5)
    assert math.isnan(f.loc["C", "revenue_growth"]) and math.isnan(f.loc["D", "revenue_growth"])
    assert f.loc["B", "strategic_value"] == 5.0
    assert math.isnan(f.loc["C", "strategic_value"])
    # no growth_potential column in the customers table -> NaN everywhere
    assert f["growth_potential"].isna().all()


def test_account_features_without_customers_and_too_few_months():
    f = account_features(_tx_growth(), recent_months=3)  # needs 6 complete months, has 4
    assert f["revenue_growth"].isna().all()
    assert f[list(accounts.SCORE_CRITERIA)].isna().all().all()
    with pytest.raises(ValueError):
        account_features(_tx_growth(), recent_months=0)


def test_account_features_rejects_duplicate_customers_table_rows():
    customers = pd.DataFrame({"customer": ["A", "A"], "strategic_value": [1, 2]})
    with pytest.raises(ValueError, match="more than once"):
        account_features(_tx_growth(), customers)


def _features() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "revenue": [600.0, 300.0, 100.0],
            "revenue_share": [0.6, 0.3, 0.1],
            "strategic_value": [2.0, 5.0, 1.0],
        },
        index=pd.Index(["A", "B", "C"], name="customer"),
    )


def test_score_accounts_top_account_changes_with_weights():
    # revenue_share min-max: A (0.6-0.1)/0.5 = 1, B (0.3-0.1)/0.5 = 0.4, C 0
    # strategic_value (x-1)/4:  A 0.25,            B 1.0,               C 0
    only_revenue = score_accounts(_features(), {"revenue_share": 1.0})
    assert only_revenue.index.tolist() == ["A", "B", "C"]
    assert only_revenue["score"].tolist() == pytest.approx([1.0, 0.4, 0.0])

    # weights 3 : 7 are normalised to 0.3 / 0.7
    # A = 0.3 * 1 + 0.7 * 0.25 = 0.475; B = 0.3 * 0.4 + 0.7 * 1 = 0.82; C = 0
    s = score_accounts(_features(), {"revenue_share": 3, "strategic_value": 7})
    assert s.index.tolist() == ["B", "A", "C"]
    assert s["rank"].tolist() == [1, 2, 3]
    assert s.loc["A", "score"] == pytest.approx(0.475)
    assert s.loc["B", "score"] == pytest.approx(0.82)
    assert s.loc["B", "revenue_share_norm"] == pytest.approx(0.4)
    assert s.loc["B", "revenue_share_contrib"] == pytest.approx(0.12)
    assert s.loc["B", "strategic_value_norm"] == pytest.approx(1.0)
    assert s.loc["B", "strategic_value_contrib"] == pytest.approx(0.7)
    assert s.attrs["weights"] == pytest.approx({"revenue_share": 0.3, "strategic_value": 0.7})
    # the score is the sum of the contributions
    contrib = s[[c for c in s.columns if c.endswith("_contrib")]].sum(axis=1)
    assert np.allclose(contrib, s["score"])
    assert s.loc["A", "revenue"] == 600.0


def test_score_accounts_missing_criteria_count_zero_and_are_reported():
    f = _features()
    f.loc["A", "strategic_value"] = np.nan
    s = score_accounts(f, {"revenue_share": 1, "strategic_value": 1, "engagement": 1})
    # engagement is not a column at all: missing for everyone
    assert s.loc["A", "missing"] == "strategic_value, engagement"
    assert s.loc["B", "missing"] == "engagement"
    assert s.loc["A", "strategic_value_contrib"] == 0.0
    assert math.isnan(s.loc["A", "strategic_value_norm"])


def test_score_accounts_default_weights_and_ties_by_name():
    f = pd.DataFrame(
        {"revenue_share": [0.5, 0.5]}, index=pd.Index(["b", "a"], name="customer")
    )
    s = score_accounts(f)
    # equal revenue shares: min-max cannot separate them (0.5 each); other criteria missing
    assert s.index.tolist() == ["a", "b"]
    assert s["score"].tolist() == pytest.approx([0.35 * 0.5, 0.35 * 0.5])
    assert set(DEFAULT_WEIGHTS) <= {c[: -len("_norm")] for c in s.columns if c.endswith("_norm")}


def test_score_accounts_weight_errors():
    with pytest.raises(ValueError, match="known criteria are") as err:
        score_accounts(_features(), {"revnue_share": 1})
    assert "revenue_share" in str(err.value) and "revnue_share" in str(err.value)
    with pytest.raises(ValueError, match="negative"):
        score_accounts(_features(), {"revenue_share": 1, "strategic_value": -0.5})
    with pytest.raises(ValueError, match="all zero"):
        score_accounts(_features(), {"revenue_share": 0})
    with pytest.raises(ValueError, match="finite"):
        score_accounts(_features(), {"revenue_share": float("nan")})


def test_score_accounts_extra_numeric_column_is_a_criterion():
    f = _features().assign(payment_days=[60.0, 10.0, 30.0])
    s = score_accounts(f, {"payment_days": 1})
    assert s.index[0] == "A"  # min-max: A has the highest value


def _ka(revenue, scores=None, **kw):
    t = key_accounts(pd.Series(revenue, dtype=float), None if scores is None else pd.Series(scores, dtype=float), **kw)
    return t.index.tolist()


def test_key_account_rule_worked_examples():
    # Worked by hand. Revenue 50 / 30 / 12 / 5 / 3 (total 100): shares 50 %, 30 %, 12 %, 5 %, 3 %.
    rev = {"A": 50, "B": 30, "C": 12, "D": 5, "E": 3}
    # no scores: the largest (A) and every major account (>= 10 %: A, B, C), in revenue order
    assert _ka(rev) == ["A", "B", "C"]
    # the threshold is a parameter: at 20 % only A and B are major
    assert _ka(rev, threshold=0.20) == ["A", "B"]
    # exactly at the threshold counts: C's 12 % reaches a 12 % threshold
    assert _ka(rev, threshold=0.12) == ["A", "B", "C"]
    # scores: the best-scored (E, 0.9) joins, and the list is in score order; unscored D is no candidate
    scores = {"A": 0.5, "B": 0.7, "C": 0.2, "E": 0.9}
    assert _ka(rev, scores) == ["E", "B", "A", "C"]
    # the cap: at most 2, in score order, but the largest always stays (E, B -> A replaces B)
    assert _ka(rev, scores, max_accounts=2) == ["A", "E"]
    assert _ka(rev, scores, max_accounts=3) == ["E", "B", "A"]
    assert _ka(rev, scores, max_accounts=1) == ["A"]
    # a cap of 0 is refused: the largest account is always a key account
    with pytest.raises(ValueError, match="max_accounts"):
        key_accounts(pd.Series(rev, dtype=float), max_accounts=0)


def test_key_account_rule_why_columns_and_ties():
    t = key_accounts(pd.Series({"A": 50.0, "B": 30.0, "C": 12.0, "D": 5.0, "E": 3.0}),
                     pd.Series({"A": 0.5, "B": 0.7, "E": 0.9}))
    assert t.loc["E", ["largest", "major", "best_scored"]].tolist() == [False, False, True]
    assert t.loc["A", ["largest", "major", "best_scored"]].tolist() == [True, True, False]
    assert t.loc["C", "share"] == pytest.approx(0.12) and pd.isna(t.loc["C", "score"])
    # ties in revenue: by name; ties in score: by revenue, then name
    assert _ka({"Zed": 40, "Alf": 40, "Bo": 20}) == ["Alf", "Zed", "Bo"]
    assert _ka({"Zed": 40, "Alf": 40, "Bo": 20}, max_accounts=1) == ["Alf"]
    assert _ka({"A": 50, "B": 9, "C": 8, "D": 33}, {"B": 0.8, "C": 0.8}) == ["B", "A", "D"]


def test_key_account_rule_zero_and_negative_revenue():
    # nobody with revenue > 0: no key accounts
    assert _ka({"A": 0, "B": -10}) == []
    assert _ka({}) == []
    # a credit-note-only or zero customer is never picked, even when best-scored
    assert _ka({"A": 100, "B": 0, "C": -5}, {"B": 1.0, "C": 1.0, "A": 0.1}) == ["A"]


def test_concentration_rule_leaves_out_zero_and_credit_note_customers():
    # The customer base is the customers with revenue > 0: A 60, B 30, C 10 (Z 0 and N -40 left out).
    rev = pd.Series({"A": 60.0, "B": 30.0, "C": 10.0, "Z": 0.0, "N": -40.0})
    c = concentration(rev)
    assert c["n_customers"] == 3 and c["total"] == 100.0
    # shares of 100 (not of 60): HHI = 60^2 + 30^2 + 10^2 = 4,600; top 20 % = ceil(0.6) = 1 customer
    assert c["hhi"] == pytest.approx(4600.0)
    assert c["top_customer_share"] == pytest.approx(0.6) and c["top20_share"] == pytest.approx(0.6)
    k = concentration_kpis(rev)
    assert k == pytest.approx({"top_customer_share": 0.6, "top20_share": 0.6, "hhi": 4600.0, "abc_a_count": 2.0})
    # kpis, accounts and the KPI-table function agree, whatever zeros are listed
    assert kpis.top20_share(rev.to_numpy()) == c["top20_share"] == k["top20_share"]
    assert concentration_kpis(rev[rev > 0]) == k
    assert all(math.isnan(v) for v in concentration_kpis(pd.Series({"Z": 0.0, "N": -1.0})).values())


def test_portfolio_matrix_quadrants():
    f = pd.DataFrame(
        {
            "revenue_share": [0.6, 0.3, 0.1, 0.5],
            "growth_potential": [5, 5, 1, 1],
            "strategic_value": [5, 4, 2, 1],
            "engagement": [5, 2, 1, 5],
        },
        index=pd.Index(["K", "D", "E", "M"], name="customer"),
    )
    p = portfolio_matrix(f)
    # attractiveness = mean((gp-1)/4, (sv-1)/4): K 1.0, D (1 + 0.75)/2 = 0.875, E 0.125, M 0
    # strength = mean(minmax share, (eng-1)/4): K (1 + 1)/2 = 1, D (0.4 + 0.25)/2 = 0.325,
    #            E (0 + 0)/2 = 0, M (0.8 + 1)/2 = 0.9
    assert p["attractiveness"].tolist() == pytest.approx([1.0, 0.875, 0.125, 0.0])
    assert p["strength"].tolist() == pytest.approx([1.0, 0.325, 0.0, 0.9])
    assert p["quadrant"].tolist() == ["key account", "develop", "efficiency", "maintain"]
    assert set(p["quadrant"]) <= set(accounts.QUADRANTS)
    with pytest.raises(ValueError):
        portfolio_matrix(f, attractiveness=("nonsense",))


# ---------------------------------------------------------------------------------------------
# purity: no function changes its input
# ---------------------------------------------------------------------------------------------
def test_no_function_mutates_its_inputs():
    tx = _tx_growth()
    customers = pd.DataFrame({"customer": ["A", "B"], "strategic_value": [2, 5]})
    feats = _features()
    r = rev(b=1, a=3, c=0)
    originals = [copy.deepcopy(x) for x in (tx, customers, feats, r)]

    revenue_by_customer(tx)
    revenue_share(r)
    pareto_table(r)
    concentration(r)
    major_customers(r)
    f = account_features(tx, customers, recent_months=1)
    f_copy = copy.deepcopy(f)
    s = score_accounts(feats, {"revenue_share": 1, "strategic_value": 1})
    s_copy = copy.deepcopy(s)
    score_accounts(f)
    key_accounts(r, s["score"], max_accounts=1)
    portfolio_matrix(f)
    monthly_revenue_by_account(tx)
    account_kpis(tx, "A")

    for before, after in zip(originals, (tx, customers, feats, r)):
        if isinstance(before, pd.DataFrame):
            pd.testing.assert_frame_equal(before, after)
        else:
            pd.testing.assert_series_equal(before, after)
    pd.testing.assert_frame_equal(f, f_copy)
    pd.testing.assert_frame_equal(s, s_copy)


# ---------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------
names = st.text(alphabet="abcdefghij", min_size=1, max_size=4)
positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)
any_amount = st.floats(min_value=-1e3, max_value=1e6, allow_nan=False, allow_infinity=False)


@PROPS
@given(st.dictionaries(names, positive, min_size=1, max_size=30))
def test_property_shares_sum_to_one(d):
    r = pd.Series(d, dtype=float)
    assert revenue_share(r).sum() == pytest.approx(1.0)
    assert pareto_table(r)["share"].sum() == pytest.approx(1.0)
    assert pareto_table(r)["cum_share"].iloc[-1] == pytest.approx(1.0)


@PROPS
@given(
    st.dictionaries(names, any_amount, min_size=1, max_size=30),
    st.floats(min_value=0.05, max_value=0.9),
    st.floats(min_value=0.01, max_value=0.5),
)
def test_property_abc_classes_monotone(d, a, gap):
    b = min(a + gap, 1.0)
    r = pd.Series(d, dtype=float)
    t = pareto_table(r, a=a, b=b)
    order = {"A": 0, "B": 1, "C": 2}
    codes = [order[c] for c in t["abc_class"]]
    assert codes == sorted(codes)  # never C (or B) before A
    assert (t["revenue"].diff().dropna() <= 0).all()  # sorted by revenue
    counts = abc_counts(t)
    assert sum(counts.values()) == len(d)
    if r.sum() > 0 and (r > 0).any():
        assert counts["A"] >= 1


@PROPS
@given(st.lists(positive, min_size=1, max_size=40))
def test_property_hhi_between_10000_over_n_and_10000(values):
    r = pd.Series(values, index=[f"c{i:02d}" for i in range(len(values))], dtype=float)
    h = concentration(r)["hhi"]
    n = len(values)
    assert 10000 / n - 1e-6 <= h <= 10000 + 1e-6


@PROPS
@given(st.dictionaries(names, any_amount, min_size=0, max_size=20))
def test_property_functions_do_not_mutate_series(d):
    r = pd.Series(d, dtype=float)
    before = copy.deepcopy(r)
    pareto_table(r)
    concentration(r)
    revenue_share(r)
    major_customers(r)
    pd.testing.assert_series_equal(r, before)


@PROPS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", "D"]),
            st.dates(min_value=pd.Timestamp("2023-01-01").date(), max_value=pd.Timestamp("2023-12-31").date()),
            positive,
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(min_value=1, max_value=3),
)
def test_property_features_and_scores_do_not_mutate_and_stay_in_range(rows, months):
    tx = pd.DataFrame(rows, columns=["customer", "date", "amount"])
    tx["date"] = pd.to_datetime(tx["date"])
    before = copy.deepcopy(tx)
    f = account_features(tx, recent_months=months)
    s = score_accounts(f, {"revenue_share": 1, "revenue_growth": 1})
    pd.testing.assert_frame_equal(tx, before)
    assert f["revenue_share"].sum() == pytest.approx(1.0)
    assert ((s["score"] >= -1e-12) & (s["score"] <= 1 + 1e-12)).all()
    assert s["rank"].tolist() == list(range(1, len(s) + 1))
    m = monthly_revenue_by_account(tx)
    assert m.to_numpy().sum() == pytest.approx(tx["amount"].sum())


@pytest.mark.parametrize("module", ["accounts", "scoring"])
def test_doctests_of_accounts_and_scoring(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"kpi_helpers.{module}"), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


def test_accounts_re_exports_the_score_and_its_criteria():
    from kpi_helpers import criteria, scoring

    for name in scoring.__all__:
        assert getattr(accounts, name) is getattr(scoring, name), name
        assert name in accounts.__all__
    assert scoring.DEFAULT_WEIGHTS is criteria.DEFAULT_WEIGHTS
