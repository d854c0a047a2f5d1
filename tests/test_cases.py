"""cases.analyse on tiny data sets whose KPIs are computed by hand in the comments."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from kpi_helpers import cases, data, scorecard


from conftest import write_csv as _write  # noqa: E402


def _value(table, kpi, scope="all", period="all"):
    sel = table[(table["kpi"] == kpi) & (table["scope"] == scope) & (table["period"] == period)]
    assert len(sel) == 1, (kpi, scope, period, len(sel))
    return sel["value"].iloc[0]


@pytest.fixture
def startup_dir(case_dir):
    return case_dir("startup", invoices="""
        date,customer,amount
        2024-01-01,A,100
        2024-01-15,B,50
        2024-02-01,A,110
        2024-02-20,B,90
        2024-03-31,A,121
    """)


def test_startup_kpis_by_hand(startup_dir):
    cd = data.load_case("startup", startup_dir)
    r = cases.analyse("startup", cd)
    t = r.kpis
    # monthly revenue: Jan 100+50 = 150, Feb 110+90 = 200, Mar 121
    assert _value(t, "revenue", period="2024-01") == 150
    assert _value(t, "revenue", period="2024-03") == 121
    assert _value(t, "revenue") == 471
    # MoM growth: Feb (200-150)/150 = 1/3; Mar (121-200)/200 = -0.395
    assert _value(t, "mom_growth", period="2024-02") == pytest.approx(1 / 3)
    assert _value(t, "mom_growth", period="2024-03") == pytest.approx(-0.395)
    assert math.isnan(_value(t, "mom_growth", period="2024-01"))
    # CMGR over two steps: (121/150)^(1/2) - 1 = -0.10186
    assert _value(t, "cmgr") == pytest.approx((121 / 150) ** 0.5 - 1)
    # March: B is lost (churn 1 of 2 = 0.5); revenue kept from February's customers 121/200
    assert _value(t, "customer_churn", period="2024-03") == pytest.approx(0.5)
    assert _value(t, "net_revenue_retention", period="2024-03") == pytest.approx(121 / 200)
    # shares: A 331/471, B 140/471; HHI = (100*331/471)^2 + (100*140/471)^2
    assert _value(t, "top_customer_share") == pytest.approx(331 / 471)
    assert _value(t, "hhi") == pytest.approx((100 * 331 / 471) ** 2 + (100 * 140 / 471) ** 2)
    # A reaches 80%? 331/471 = 70.3% < 80%, so B is needed too: two A-class customers
    assert _value(t, "abc_a_count") == 2
    # both are >= 10% of revenue, so both are key accounts; the largest comes first in the table
    assert set(r.key_accounts) == {"A", "B"}
    assert _value(t, "revenue_share", scope="account:B") == pytest.approx(140 / 471)
    assert _value(t, "revenue", scope="account:A", period="2024-02") == 110
    assert r.notes and "customers" in r.notes[0]


def test_startup_partial_months_are_flagged_and_left_out_of_growth(tmp_path):
    d = tmp_path / "startup"
    _write(d, "invoices.csv", """
        date,customer,amount
        2024-01-15,A,100
        2024-02-10,A,200
        2024-03-10,A,400
    """)
    r = cases.analyse("startup", data.load_case("startup", d))
    t = r.kpis
    jan = t[(t["period"] == "2024-01") & (t["kpi"] == "revenue") & (t["scope"] == "all")].iloc[0]
    assert bool(jan["partial"]) is True
    assert "partial" in jan["note"]
    # only February is complete: no growth can be computed
    assert math.isnan(_value(t, "mom_growth", period="2024-02"))
    assert math.isnan(_value(t, "cmgr"))
    r2 = cases.analyse("startup", data.load_case("startup", d), include_partial_months=True)
    assert _value(r2.kpis, "mom_growth", period="2024-02") == pytest.approx(1.0)
    assert _value(r2.kpis, "cmgr") == pytest.approx(1.0)  # (400/100)^(1/2) - 1


def test_targets_set_status_and_monthly_targets_skip_the_all_row(startup_dir):
    cd = data.load_case("startup", startup_dir)
    t = cases.analyse("startup", cd, targets={"mom_growth": 0.30, "revenue": 160}).kpis
    row = t[(t["kpi"] == "mom_growth") & (t["period"] == "2024-02") & (t["scope"] == "all")].iloc[0]
    assert row["status"] == "on_track"  # 33% >= 30%
    row = t[(t["kpi"] == "mom_growth") & (t["period"] == "2024-03") & (t["scope"] == "all")].iloc[0]
    assert row["status"] == "off_track"
    assert t[(t["kpi"] == "revenue") & (t["period"] == "2024-02") & (t["scope"] == "all")]["status"].iloc[0] == "on_track"
    total = t[(t["kpi"] == "revenue") & (t["period"] == "all") & (t["scope"] == "all")].iloc[0]
    assert total["status"] == "no_target" and "per month" in total["note"]


def test_unknown_parameter_lists_the_known_ones(startup_dir):
    cd = data.load_case("startup", startup_dir)
    with pytest.raises(TypeError, match="known: .*abc_a"):
        cases.analyse("startup", cd, wieghts={})


def test_consultancy_kpis_by_hand(tmp_path):
    d = tmp_path / "consultancy"
    _write(d, "projects.csv", """
        project_id,client,start_date,planned_end,actual_end,hourly_rate
        P1,Multi,2024-01-01,2024-01-20,2024-01-18,1000
        P2,Small,2024-01-08,2024-01-19,2024-01-26,1500
        P3,Multi,2024-01-15,2024-03-01,,1000
    """)
    _write(d, "timesheets.csv", """
        date,consultant,project_id,hours
        2024-01-02,Kari,P1,8
        2024-01-09,Kari,P2,4
        2024-01-16,Ola,P3,6
        2024-01-31,Ola,P3,6
    """)
    _write(d, "consultants.csv", """
        consultant,start_date,end_date,weekly_hours
        Kari,2023-01-01,,40
        Ola,2024-01-16,,37.5
    """)
    _write(d, "surveys.csv", """
        project_id,date,score
        P1,2024-01-19,5
        P1,2024-01-20,3
        P2,2024-01-29,4
        P2,2024-01-30,2
    """)
    r = cases.analyse("consultancy", data.load_case("consultancy", d))
    t = r.kpis
    # revenue = 8*1000 + 4*1500 + 12*1000 = 26,000
    assert _value(t, "revenue") == 26000
    # CSAT: 2 of 4 answers are 4 or 5
    assert _value(t, "csat") == pytest.approx(0.5)
    # finished: P1 17 days (on time), P2 18 days (late); P3 ongoing and not counted
    assert _value(t, "avg_completion_days") == pytest.approx(17.5)
    assert _value(t, "on_time_rate") == pytest.approx(0.5)
    # available hours, data range 2024-01-02..2024-01-31: Kari 22 weekdays * 8 h = 176;
    # Ola from 2024-01-16: 12 weekdays * 7.5 h = 90; billable 24 h -> 24/266
    assert _value(t, "utilization") == pytest.approx(24 / 266)
    # average headcount over the 30 days 2024-01-02..2024-01-31: Kari 30/30 + Ola 16/30 (from the 16th)
    # = 1.5333 FTE; 26,000 / 1.5333 = 16,956.52 in 30 days, per year x 365.25 / 30 = 206,445.65
    assert _value(t, "revenue_per_consultant") == pytest.approx(26000 / (1 + 16 / 30) * 365.25 / 30)
    assert _value(t, "revenue_per_consultant", period="2024-01") == pytest.approx(26000 / (1 + 16 / 30))
    # key account: Multi has 20,000 of 26,000
    assert r.key_accounts[0] == "Multi"
    assert _value(t, "revenue_share", scope="account:Multi") == pytest.approx(20000 / 26000)
    assert _value(t, "csat", scope="account:Multi") == pytest.approx(0.5)
    assert _value(t, "on_time_rate", scope="account:Multi") == pytest.approx(1.0)


def test_marketing_agency_rates_are_ratios_of_sums(tmp_path):
    d = tmp_path / "marketing_agency"
    _write(d, "campaign_stats.csv", """
        date,client,campaign,channel,impressions,clicks,conversions,spend,conversion_value
        2024-01-01,Big,B1,Search,100000,1000,50,5000,20000
        2024-01-01,Tiny,T1,Social,100,20,0,40,0
        2024-01-31,Big,B1,Search,0,0,0,0,0
    """)
    r = cases.analyse("marketing_agency", data.load_case("marketing_agency", d))
    t = r.kpis
    # CTR = 1020/100100, not the mean of 1% and 20%
    assert _value(t, "ctr") == pytest.approx(1020 / 100100)
    assert _value(t, "cvr") == pytest.approx(50 / 1020)
    assert _value(t, "cpc") == pytest.approx(5040 / 1020)
    assert _value(t, "cpa") == pytest.approx(5040 / 50)
    assert _value(t, "roas") == pytest.approx(20000 / 5040)
    assert _value(t, "roi") == pytest.approx((20000 - 5040) / 5040)
    # Tiny has no conversions: CPA undefined (NaN), never inf
    by_client = r.frames["by_client"]
    assert math.isnan(by_client.loc["Tiny", "cpa"])
    assert not t["value"].isin([math.inf, -math.inf]).any()
    assert r.key_accounts == ["Big"]


def test_restaurant_kpis_by_hand(tmp_path):
    d = tmp_path / "restaurant"
    _write(d, "visits.csv", """
        date,seated_at,left_at,table,guest_id,covers,bill,rating
        2024-01-05,18:00,20:00,T1,G1,2,1000,5
        2024-01-05,20:30,00:30,T2,,4,2000,
        2024-01-06,19:00,21:00,T1,G1,2,800,4
    """)
    _write(d, "tables.csv", """
        table,seats
        T1,2
        T2,4
    """)
    r = cases.analyse("restaurant", data.load_case("restaurant", d), open_hours_per_day=5)
    t = r.kpis
    # revenue 3800; covers 8 -> average check 475
    assert _value(t, "revenue") == 3800
    assert _value(t, "avg_check") == pytest.approx(475)
    # 2 open days, 2 tables: revenue per table 3800/4 = 950; turnover 3 parties / 4 = 0.75
    assert _value(t, "revenue_per_table") == pytest.approx(950)
    assert _value(t, "table_turnover") == pytest.approx(0.75)
    # RevPASH = 3800 / (6 seats * 5 h * 2 days) = 63.33
    assert _value(t, "revpash") == pytest.approx(3800 / 60)
    # seat hours: 2*2 + 4*4 (past midnight) + 2*2 = 24 of 60 available
    assert _value(t, "seat_occupancy") == pytest.approx(24 / 60)
    assert _value(t, "avg_rating") == pytest.approx(4.5)
    assert _value(t, "rating_count") == 2
    # the VIP is the only known guest
    assert r.key_accounts == ["G1"]
    assert _value(t, "visits", scope="account:G1") == 2
    assert _value(t, "avg_check", scope="account:G1") == pytest.approx(450)


@pytest.mark.parametrize("case", ["startup", "consultancy", "marketing_agency", "restaurant", "your_data"])
def test_shipped_cases_give_complete_tables_without_inf(case):
    cd = data.load_case(case, f"{cases.__file__.rsplit('/kpi_helpers/', 1)[0]}/data/{case}")
    r = cases.analyse(case, cd)
    t = r.kpis
    assert list(t.columns[:7]) == ["kpi", "scope", "period", "value", "unit", "target", "status"]
    assert not t["value"].isin([math.inf, -math.inf]).any()
    assert set(t["status"]) <= set(scorecard.STATUSES)
    # an undefined value is never on or off track; a defined one is never "not measurable"
    assert (t["status"] == "not_measurable").tolist() == t["value"].isna().tolist()
    assert r.key_accounts and len(r.key_accounts) <= 5
    assert not t.duplicated(["kpi", "scope", "period"]).any()
    # same input, same table (determinism)
    pd.testing.assert_frame_equal(t, cases.analyse(case, cd).kpis)


def test_consultancy_project_ending_after_the_data_is_still_ongoing(tmp_path):
    d = tmp_path / "consultancy"
    _write(d, "projects.csv", """
        project_id,client,start_date,planned_end,actual_end,hourly_rate
        P1,Multi,2024-01-01,2024-01-20,2024-01-18,1000
        P2,Multi,2024-01-08,2024-03-01,2024-02-26,1000
    """)
    _write(d, "timesheets.csv", """
        date,consultant,project_id,hours
        2024-01-02,Kari,P1,8
        2024-01-31,Kari,P2,4
    """)
    r = cases.analyse("consultancy", data.load_case("consultancy", d))
    # the data end on 2024-01-31: P2's end date lies in the future, so only P1 (17 days) is finished
    assert _value(r.kpis, "avg_completion_days") == pytest.approx(17)
    assert r.frames["projects"].set_index("project_id").at["P2", "status"] == "ongoing"


def test_the_registry_imports_neither_numpy_nor_pandas():
    import subprocess
    import sys

    code = ("import sys; from kpi_helpers import cases; cases.known_parameters('startup'); dir(cases); "
            "print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_case_modules_load_on_first_use():
    assert set(cases.CASE_MODULES) == set(cases.CASES)
    assert set(cases.CASE_MODULES) <= set(dir(cases)) and set(cases.CASE_MODULES) <= set(cases.__all__)
    for name in cases.CASE_MODULES:
        module = getattr(cases, name)
        assert module.__name__ == f"kpi_helpers.cases.{name}" and callable(module.run)
    with pytest.raises(AttributeError):
        cases.no_such_case  # noqa: B018



@pytest.mark.parametrize("name", cases.CASE_MODULES)
def test_doctests_of_the_case_modules(name):
    import doctest

    result = doctest.testmod(getattr(cases, name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
