"""Issue 11, notebooks 03 and 04: the helpers their new text and tables come from, and the claims
their Markdown makes about the shipped data (numbers written in prose, checked here)."""
from __future__ import annotations

import doctest
import math

import pandas as pd
import pytest

from conftest import DATA
from kpi_helpers import cases, data

AGENCY_HELPERS = (cases.marketing_agency.followed_key_account, cases.marketing_agency.key_account_choice_text,
                  cases.marketing_agency.channel_comparison, cases.marketing_agency.mix_adjusted_rate,
                  cases.marketing_agency.months_against_target_text, cases.marketing_agency.mix_adjusted_text,
                  cases.marketing_agency.mean_of_rates_text, cases.marketing_agency.largest_client_weight_text,
                  cases.marketing_agency.case_summary_text, cases.marketing_agency.data_text,
                  cases.marketing_agency.months_on_target_text)
RESTAURANT_HELPERS = (cases.restaurant.vip_choice_text, cases.restaurant.monthly_rating_text,
                      cases.restaurant.rating_verdict_text, cases.restaurant.data_text,
                      cases.restaurant.case_summary_text)


@pytest.mark.parametrize("fn", [*AGENCY_HELPERS, *RESTAURANT_HELPERS], ids=lambda f: f.__name__)
def test_doctests_of_the_issue11_helpers(fn):
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    module = __import__(fn.__module__, fromlist=["_"])
    for test in doctest.DocTestFinder().find(fn, fn.__name__, globs={"pd": pd, **vars(module)}):
        runner.run(test)
    assert runner.tries > 0 and runner.failures == 0


@pytest.fixture(scope="module")
def agency():
    return cases.analyse("marketing_agency", data.load_case("marketing_agency", DATA / "marketing_agency"))


@pytest.fixture(scope="module")
def restaurant():
    cd = data.load_case("restaurant", DATA / "restaurant")
    return cd, cases.analyse("restaurant", cd)


def test_the_mix_adjusted_rate_is_the_client_rate_at_the_agency_channel_rates(agency):
    f = agency.frames
    key = cases.marketing_agency.followed_key_account(agency.key_account_table, f["by_client"])
    cmp_ = cases.marketing_agency.channel_comparison(f["by_channel"], f["by_client_channel"], key)
    assert cmp_["mix"].sum() == pytest.approx(1.0)
    # worked by hand: each channel's impressions of the key account at the agency's CTR there
    mine = f["by_client_channel"][f["by_client_channel"]["client"] == key].set_index("channel")
    expected = sum(mine.at[c, "impressions"] * f["by_channel"].at[c, "clicks"] / f["by_channel"].at[c, "impressions"]
                   for c in mine.index) / mine["impressions"].sum()
    assert cases.marketing_agency.mix_adjusted_rate(cmp_) == pytest.approx(expected)
    # the key account's own rate is recovered from its mix and its own channel rates
    assert (cmp_["mix"] * cmp_[key]).sum() == pytest.approx(f["by_client"].at[key, "ctr"])


def test_the_agency_notebook_follows_the_rules_only_pick(agency):
    table = agency.key_account_table
    assert list(table.index) == ["Fjordline Travel ASA"]
    assert bool(table.iloc[0]["largest"]) and bool(table.iloc[0]["major"])
    assert round(float(table.iloc[0]["share"]), 3) == 0.536
    text = cases.marketing_agency.key_account_choice_text(table, agency.frames["by_client"], 0.25,
                                                          "Fjordline Travel ASA")
    assert "the rule's only pick" in text and "Polar Outdoor AS, has 15.3%" in text


def test_months_against_target_counts_the_off_track_months(agency):
    rows = agency.kpis[(agency.kpis["kpi"] == "cvr") & (agency.kpis["scope"] == "account:Fjordline Travel ASA")
                       & (agency.kpis["period"] != "all")]
    off = int((rows["status"] == "off_track").sum())
    text = cases.marketing_agency.months_against_target_text(agency.kpis, "cvr", "account:Fjordline Travel ASA",
                                                             "K", "CVR")
    assert f"**{off} of {len(rows)} months**" in text
    assert off == 6


def test_the_restaurant_rule_picks_the_best_scored_guest_and_the_largest_spender(restaurant):
    cd, r = restaurant
    t = r.key_account_table
    assert list(t.index) == ["G0354", "G0042"]
    assert bool(t.at["G0354", "best_scored"]) and bool(t.at["G0042", "largest"])
    assert not t["major"].any()
    text = cases.restaurant.vip_choice_text(t, r.frames["guests"], r.key_accounts[0], 0.1, float(cd["visits"]["bill"].sum()))
    assert "follows **G0354** as *the VIP*" in text and "the largest spender has 5.1%" in text


def test_the_restaurant_notebooks_claim_about_the_startup_is_true():
    """04_restaurant says: the rule picks two key accounts in the startup case, and the larger,
    Aurora Shipping AS, brings 48.0 % of the startup's revenue; no restaurant guest comes near."""
    s = cases.analyse("startup", data.load_case("startup", DATA / "startup"))
    t = s.key_account_table
    assert len(t) == 2
    largest = t.index[t["largest"].astype(bool)][0]
    assert largest == "Aurora Shipping AS"
    assert f"{float(t.at[largest, 'share']):.1%}" == "48.0%"
    cd = data.load_case("restaurant", DATA / "restaurant")
    guests = cases.analyse("restaurant", cd).frames["guests"]
    assert guests["revenue"].max() / cd["visits"]["bill"].sum() < 0.05


def test_revenue_per_table_by_hand_equals_the_helper(restaurant):
    cd, r = restaurant
    v = cd["visits"]
    by_hand = v["bill"].sum() / (len(cd["tables"]) * v["date"].nunique())
    assert math.isclose(by_hand, r.frames["all"]["revenue_per_table"], rel_tol=1e-12)
