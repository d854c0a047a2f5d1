"""Tests of kpi_helpers.kpis: worked examples, zero denominators, kinds, invariants."""

import ast
import contextlib
import doctest
import math
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kpi_helpers import kpis

# no example database on disk (keeps the work tree clean); no deadline on a slow 2-core CI box
PROPERTY = settings(deadline=None, max_examples=100)


@contextlib.contextmanager
def no_warnings():
    """Every warning (RuntimeWarning from a division above all) becomes an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def is_nan(x) -> bool:
    return isinstance(x, float) and math.isnan(x)


# ---------------------------------------------------------------------------
# published worked examples (one test each)
# ---------------------------------------------------------------------------
def test_published_ctr_5_clicks_per_100_impressions():
    assert kpis.ctr(5, 100) == pytest.approx(0.05)


def test_published_average_cpc_of_a_020_and_a_040_click():
    # (0.20 + 0.40) / 2 clicks = 0.30
    assert kpis.cpc(0.60, 2) == pytest.approx(0.30)
    assert kpis.cpc(0.20 + 0.40, 2) == pytest.approx(0.30)


CSAT_ANSWERS_107 = [5] * 42 + [4] * 32 + [3] * 10 + [2] * 9 + [1] * 14


def test_published_csat_74_of_107_from_counts():
    # satisfied = 42 fives + 32 fours = 74; responses = 42 + 32 + 10 + 9 + 14 = 107
    assert kpis.csat(74, 107) == pytest.approx(0.6916, abs=5e-5)


def test_published_csat_74_of_107_from_expanded_answers():
    assert len(CSAT_ANSWERS_107) == 107
    assert kpis.csat_from_scores(CSAT_ANSWERS_107) == pytest.approx(74 / 107)
    assert kpis.csat_from_scores(CSAT_ANSWERS_107) == pytest.approx(0.6916, abs=5e-5)


def test_published_csat_10_20_10_5_5_is_060():
    # counts for scores 5,4,3,2,1: satisfied 10 + 20 = 30 of 10+20+10+5+5 = 50 -> 0.60
    answers = [5] * 10 + [4] * 20 + [3] * 10 + [2] * 5 + [1] * 5
    assert kpis.csat(30, 50) == pytest.approx(0.60)
    assert kpis.csat_from_scores(answers) == pytest.approx(0.60)


def test_published_nps_30_percent_promoters_20_percent_detractors_is_plus_10():
    # (30 - 20) / 100 * 100 = +10
    assert kpis.nps(30, 20, 100) == pytest.approx(10.0)
    answers = [10] * 15 + [9] * 15 + [8] * 25 + [7] * 25 + [6] * 10 + [0] * 10
    assert kpis.nps_from_scores(answers) == pytest.approx(10.0)


def test_published_hhi_30_30_20_20_is_2600():
    # 30^2 + 30^2 + 20^2 + 20^2 = 900 + 900 + 400 + 400 = 2600
    assert kpis.hhi([0.30, 0.30, 0.20, 0.20]) == pytest.approx(2600)


def test_published_revpash_15000_over_50_seats_8_hours_1_day():
    # 15000 / (50 * 8 * 1) = 15000 / 400 = 37.50
    assert kpis.revpash(15000, 50, 8, 1) == pytest.approx(37.50)


def test_published_rolled_throughput_yield_is_about_070():
    # 0.9 * 0.8889 = 0.80001; * 0.9375 = 0.750009; * 0.9333 = 0.69998
    assert kpis.rolled_throughput_yield([0.9000, 0.8889, 0.9375, 0.9333]) == pytest.approx(
        0.70, abs=0.005
    )


def test_published_cmgr_1000_to_2000_over_6_monthly_steps():
    # 2 ** (1/6) - 1 = 0.12246 (about 12.2 % a month)
    assert kpis.cmgr(1000, 2000, 6) == pytest.approx(0.1225, abs=5e-5)
    assert kpis.cmgr_from_series([1000, 1100, 1300, 1400, 1600, 1800, 2000]) == pytest.approx(
        0.1225, abs=5e-5
    )


def test_published_utilization_60_billable_of_40_available_is_150():
    # 60 / 40 = 1.50 (overtime: above 1 is allowed)
    assert kpis.utilization(60, 40) == pytest.approx(1.50)


# ---------------------------------------------------------------------------
# hand-computed worked example of every function
# ---------------------------------------------------------------------------
def test_safe_ratio_worked():
    # 3 / 12 = 0.25; 7 / 0 undefined
    assert kpis.safe_ratio(3, 12) == 0.25
    assert is_nan(kpis.safe_ratio(7, 0))


def test_revenue_worked():
    # 1200 + 800.5 + 0 (missing skipped) = 2000.5
    assert kpis.revenue([1200, 800.5, None]) == pytest.approx(2000.5)
    assert kpis.revenue(pd.Series([1200.0, 800.5, np.nan])) == pytest.approx(2000.5)
    assert kpis.revenue([]) == 0.0
    assert kpis.revenue(pd.Series([], dtype="float64")) == 0.0


def test_growth_worked():
    # (150 - 120) / 120 = 30 / 120 = 0.25; (90 - 120) / 120 = -0.25
    assert kpis.growth(150, 120) == pytest.approx(0.25)
    assert kpis.growth(90, 120) == pytest.approx(-0.25)


def test_mom_growth_worked():
    # Jan 100; Feb (120-100)/100 = 0.2; Mar (90-120)/120 = -0.25; Apr (0-90)/90 = -1; May prev 0 -> NaN
    idx = pd.Index(["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"], name="period")
    monthly = pd.Series([100.0, 120.0, 90.0, 0.0, 50.0], index=idx, name="revenue")
    got = kpis.mom_growth(monthly)
    assert isinstance(got, pd.Series)
    assert got.index.equals(idx)
    assert got.name == "revenue"
    np.testing.assert_allclose(got.to_numpy(), [np.nan, 0.2, -0.25, -1.0, np.nan])
    np.testing.assert_allclose(kpis.mom_growth(np.array([100.0, 120.0])), [np.nan, 0.2])
    assert is_nan(kpis.mom_growth(100.0))


def test_cmgr_worked():
    # (121 / 100) ** (1/2) - 1 = 1.1 - 1 = 0.10; last 0 -> -1 (revenue vanished)
    assert kpis.cmgr(100, 121, 2) == pytest.approx(0.10)
    assert kpis.cmgr(100, 0, 3) == pytest.approx(-1.0)
    assert is_nan(kpis.cmgr(-100, 121, 2))
    assert is_nan(kpis.cmgr(100, -121, 2))
    assert is_nan(kpis.cmgr(100, 121, -2))


def test_cmgr_from_series_worked():
    # first 200, last 450, 3 steps: (450/200) ** (1/3) - 1 = 2.25 ** (1/3) - 1 = 0.31037
    assert kpis.cmgr_from_series(pd.Series([200, 300, 250, 450])) == pytest.approx(
        2.25 ** (1 / 3) - 1
    )
    assert kpis.cmgr_from_series(pd.Series([200, 300, 250, 450])) == pytest.approx(0.31037, abs=1e-5)
    assert is_nan(kpis.cmgr_from_series([200]))
    assert is_nan(kpis.cmgr_from_series([]))
    assert is_nan(kpis.cmgr_from_series([0, 100]))


def test_customer_churn_rate_worked():
    # 6 lost of 120 at start: 6 / 120 = 0.05
    assert kpis.customer_churn_rate(6, 120) == pytest.approx(0.05)


def test_net_revenue_retention_worked():
    # base paid 400 000; now the same customers pay 460 000: 460 / 400 = 1.15
    assert kpis.net_revenue_retention(460_000, 400_000) == pytest.approx(1.15)


def test_csat_worked():
    # 18 of 24 answers were 4 or 5: 18 / 24 = 0.75
    assert kpis.csat(18, 24) == pytest.approx(0.75)


def test_csat_from_scores_worked():
    # valid answers 5, 4, 4, 2, 1 (None and out-of-scale 0 and 7 ignored): 3 of 5 = 0.6
    assert kpis.csat_from_scores([5, 4, 4, 2, 1, None, 0, 7]) == pytest.approx(0.6)
    scores = pd.Series([5, 4, 4, 2, 1, None], dtype="Int64")
    assert kpis.csat_from_scores(scores) == pytest.approx(0.6)


def test_nps_worked():
    # 12 promoters, 18 detractors of 40: (12 - 18) / 40 * 100 = -15
    assert kpis.nps(12, 18, 40) == pytest.approx(-15.0)


def test_nps_from_scores_worked():
    # 10, 9 promoters (2); 8, 7 passives; 6, 0 detractors (2); 11 and None ignored:
    # (2 - 2) / 6 * 100 = 0; then one more 9: (3 - 2) / 7 * 100 = 14.2857
    assert kpis.nps_from_scores([10, 9, 8, 7, 6, 0, 11, None]) == pytest.approx(0.0)
    assert kpis.nps_from_scores([10, 9, 8, 7, 6, 0, 9]) == pytest.approx(100 / 7)


def test_utilization_worked():
    # 30 billable of 37.5 available: 30 / 37.5 = 0.8
    assert kpis.utilization(30, 37.5) == pytest.approx(0.8)


def test_realization_worked():
    # billed 85 000 of a standard value 100 h x 1000 = 100 000: 0.85
    assert kpis.realization(85_000, 100 * 1000) == pytest.approx(0.85)


def test_on_time_rate_worked():
    # 7 of 8 finished on time: 0.875
    assert kpis.on_time_rate(7, 8) == pytest.approx(0.875)


def test_avg_completion_days_worked():
    # P1 2024-01-01 -> 2024-01-31 = 30 days; P2 2024-02-01 -> 2024-02-11 = 10 days; P3 ongoing
    # (30 + 10) / 2 = 20 days
    start = pd.Series(pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]))
    end = pd.Series(pd.to_datetime(["2024-01-31", "2024-02-11", None]))
    assert kpis.avg_completion_days(start, end) == pytest.approx(20.0)
    assert kpis.avg_completion_days(["2024-01-01", "2024-02-01"], ["2024-01-31", "2024-02-11"]) == (
        pytest.approx(20.0)
    )
    assert kpis.avg_completion_days("2024-01-01", "2024-01-31") == pytest.approx(30.0)


def test_avg_completion_days_none_finished_is_nan():
    start = pd.Series(pd.to_datetime(["2024-01-01", "2024-02-01"]))
    end = pd.Series([pd.NaT, pd.NaT])
    with no_warnings():
        assert is_nan(kpis.avg_completion_days(start, end))
        assert is_nan(kpis.avg_completion_days([], []))


def test_avg_completion_days_pairs_series_by_index():
    # same pairs, end listed in reverse order: the index pairs them, not the position
    start = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-01"]), index=["p1", "p2"])
    end = pd.Series(pd.to_datetime(["2024-01-21", "2024-01-11"]), index=["p2", "p1"])
    # p1: 10 days, p2: 20 days -> 15
    assert kpis.avg_completion_days(start, end) == pytest.approx(15.0)


def test_revenue_per_consultant_worked():
    # 1 500 h x 1 200 NOK = 1 800 000 over 6 consultants = 300 000
    assert kpis.revenue_per_consultant(1500 * 1200, 6) == pytest.approx(300_000)


def test_ctr_worked():
    # 42 clicks of 1 400 impressions = 0.03
    assert kpis.ctr(42, 1400) == pytest.approx(0.03)


def test_cvr_worked():
    # 9 conversions of 150 clicks = 0.06
    assert kpis.cvr(9, 150) == pytest.approx(0.06)


def test_cpc_worked():
    # 1 250 NOK over 500 clicks = 2.50 per click
    assert kpis.cpc(1250, 500) == pytest.approx(2.50)


def test_cpa_worked():
    # 1 250 NOK over 25 conversions = 50 per conversion
    assert kpis.cpa(1250, 25) == pytest.approx(50.0)


def test_roas_worked():
    # 5 000 NOK of conversion value for 1 250 spent = 4.0
    assert kpis.roas(5000, 1250) == pytest.approx(4.0)


def test_roi_worked():
    # (5 000 - 1 250) / 1 250 = 3.0 = roas - 1; losing money: (800 - 1000) / 1000 = -0.2
    assert kpis.roi(5000, 1250) == pytest.approx(3.0)
    assert kpis.roi(800, 1000) == pytest.approx(-0.2)


def test_avg_check_worked():
    # 9 600 NOK for 24 covers = 400 per guest
    assert kpis.avg_check(9600, 24) == pytest.approx(400.0)


def test_revenue_per_table_worked():
    # 84 000 NOK / (12 tables x 7 open days = 84) = 1 000
    assert kpis.revenue_per_table(84_000, 12, 7) == pytest.approx(1000.0)


def test_table_turnover_worked():
    # 210 parties / (12 tables x 7 days = 84) = 2.5 turns per table per day
    assert kpis.table_turnover(210, 12, 7) == pytest.approx(2.5)


def test_revpash_worked():
    # 48 000 NOK / (40 seats x 6 h x 5 days = 1 200 seat-hours) = 40
    assert kpis.revpash(48_000, 40, 6, 5) == pytest.approx(40.0)


def test_seat_occupancy_worked():
    # 720 seat-hours used / (40 x 6 x 5 = 1 200 available) = 0.6
    assert kpis.seat_occupancy(720, 40, 6, 5) == pytest.approx(0.6)


def test_avg_rating_worked():
    # ratings 5, 4, 4, 3 (two guests gave none): 16 / 4 = 4.0
    assert kpis.avg_rating(pd.Series([5, None, 4, 4, None, 3], dtype="Int64")) == pytest.approx(4.0)
    with no_warnings():
        assert is_nan(kpis.avg_rating([]))
        assert is_nan(kpis.avg_rating(pd.Series([np.nan, np.nan])))


def test_rating_count_worked():
    # 6 visits, 2 without a rating: 4
    count = kpis.rating_count(pd.Series([5, None, 4, 4, None, 3], dtype="Int64"))
    assert count == 4
    assert isinstance(count, int)
    assert kpis.rating_count([]) == 0


def test_defect_rate_worked():
    # 12 defective of 480 = 0.025
    assert kpis.defect_rate(12, 480) == pytest.approx(0.025)


def test_defect_free_share_worked():
    # 1 - 12 / 480 = 1 - 0.025 = 0.975
    assert kpis.defect_free_share(12, 480) == pytest.approx(0.975)


def test_first_pass_yield_worked():
    # 450 good first time of 500 in = 0.9
    assert kpis.first_pass_yield(450, 500) == pytest.approx(0.9)


def test_rolled_throughput_yield_worked():
    # 0.95 x 0.90 x 0.80 = 0.684
    assert kpis.rolled_throughput_yield([0.95, 0.90, 0.80]) == pytest.approx(0.684)
    assert kpis.rolled_throughput_yield(pd.Series([0.95, 0.90, 0.80])) == pytest.approx(0.684)
    assert is_nan(kpis.rolled_throughput_yield([]))
    assert is_nan(kpis.rolled_throughput_yield([0.9, None]))


def test_avg_time_per_unit_worked():
    # 960 minutes for 64 units = 15 minutes per unit
    assert kpis.avg_time_per_unit(960, 64) == pytest.approx(15.0)


def test_hhi_worked():
    # one customer 100 %: 100^2 = 10 000; five equal 20 %: 5 x 20^2 = 2 000
    assert kpis.hhi([1.0]) == pytest.approx(10_000)
    assert kpis.hhi(pd.Series([0.2] * 5)) == pytest.approx(2000)
    # missing shares skipped: 50^2 + 50^2 = 5 000
    assert kpis.hhi([0.5, None, 0.5]) == pytest.approx(5000)
    with no_warnings():
        assert is_nan(kpis.hhi([]))
        assert is_nan(kpis.hhi([np.nan, np.nan]))


def test_top_n_share_worked():
    # amounts 500, 300, 100, 60, 40 (total 1 000): top 2 = 800 / 1 000 = 0.8
    amounts = pd.Series([100, 500, 40, 300, 60])
    assert kpis.top_n_share(amounts, 2) == pytest.approx(0.8)
    assert kpis.top_n_share(amounts, 10) == pytest.approx(1.0)
    assert kpis.top_n_share(amounts, 0) == pytest.approx(0.0)


def test_top20_share_worked():
    # 10 customers: n = ceil(0.2 x 10) = 2; top two 400 + 200 = 600 of 1 000 = 0.6
    amounts = [400, 200] + [50] * 8
    assert kpis.top20_share(amounts) == pytest.approx(0.6)
    # 15 customers: n = ceil(3.0) = 3 (not 4 from 0.2 * 15 = 3.0000000000000004)
    fifteen = [10.0] * 15
    assert kpis.top20_share(fifteen) == pytest.approx(3 / 15)
    # 6 customers: n = ceil(1.2) = 2
    assert kpis.top20_share([50, 20, 10, 10, 5, 5]) == pytest.approx(0.7)


def test_rates_over_groups_are_ratios_of_sums_worked():
    # campaign A: 1 click / 10 impressions = 0.10; B: 10 / 1 000 = 0.01
    # mean of rates (0.10 + 0.01) / 2 = 0.055; the group's CTR is 11 / 1 010 = 0.010891
    df = pd.DataFrame({"campaign": ["A", "B"], "clicks": [1, 10], "impressions": [10, 1000]})
    group = kpis.ctr(df["clicks"].sum(), df["impressions"].sum())
    assert group == pytest.approx(11 / 1010)
    assert kpis.ctr(df["clicks"], df["impressions"]).mean() == pytest.approx(0.055)
    assert group != pytest.approx(0.055)
    # per client: a groupby sum then one call, Series in, Series out
    stats = pd.DataFrame(
        {"client": ["x", "x", "y"], "clicks": [1, 10, 0], "impressions": [10, 1000, 0]}
    )
    sums = stats.groupby("client")[["clicks", "impressions"]].sum()
    with no_warnings():
        per_client = kpis.ctr(sums["clicks"], sums["impressions"])
    assert per_client.index.equals(sums.index)
    assert per_client["x"] == pytest.approx(11 / 1010)
    assert math.isnan(per_client["y"])


# ---------------------------------------------------------------------------
# zero and missing denominators of every ratio function
# ---------------------------------------------------------------------------
# name -> (function, number of arguments, positions of the denominators)
RATIO_FUNCTIONS = {
    "safe_ratio": (kpis.safe_ratio, 2, (1,)),
    "growth": (kpis.growth, 2, (1,)),
    "cmgr": (kpis.cmgr, 3, (0, 2)),
    "customer_churn_rate": (kpis.customer_churn_rate, 2, (1,)),
    "net_revenue_retention": (kpis.net_revenue_retention, 2, (1,)),
    "csat": (kpis.csat, 2, (1,)),
    "nps": (kpis.nps, 3, (2,)),
    "utilization": (kpis.utilization, 2, (1,)),
    "realization": (kpis.realization, 2, (1,)),
    "on_time_rate": (kpis.on_time_rate, 2, (1,)),
    "revenue_per_consultant": (kpis.revenue_per_consultant, 2, (1,)),
    "ctr": (kpis.ctr, 2, (1,)),
    "cvr": (kpis.cvr, 2, (1,)),
    "cpc": (kpis.cpc, 2, (1,)),
    "cpa": (kpis.cpa, 2, (1,)),
    "roas": (kpis.roas, 2, (1,)),
    "roi": (kpis.roi, 2, (1,)),
    "avg_check": (kpis.avg_check, 2, (1,)),
    "revenue_per_table": (kpis.revenue_per_table, 3, (1, 2)),
    "table_turnover": (kpis.table_turnover, 3, (1, 2)),
    "revpash": (kpis.revpash, 4, (1, 2, 3)),
    "seat_occupancy": (kpis.seat_occupancy, 4, (1, 2, 3)),
    "defect_rate": (kpis.defect_rate, 2, (1,)),
    "defect_free_share": (kpis.defect_free_share, 2, (1,)),
    "first_pass_yield": (kpis.first_pass_yield, 2, (1,)),
    "avg_time_per_unit": (kpis.avg_time_per_unit, 2, (1,)),
}
DENOMINATOR_CASES = [
    pytest.param(name, pos, id=f"{name}-arg{pos}")
    for name, (_, _, positions) in RATIO_FUNCTIONS.items()
    for pos in positions
]


def _args(nargs, pos, den, fill=2.0):
    args = [fill] * nargs
    args[pos] = den
    return args


@pytest.mark.parametrize(("name", "pos"), DENOMINATOR_CASES)
@pytest.mark.parametrize("numerator", [2.0, 0.0])
def test_zero_denominator_scalar_is_nan_without_warning(name, pos, numerator):
    func, nargs, _ = RATIO_FUNCTIONS[name]
    args = _args(nargs, pos, 0, fill=numerator)
    with no_warnings():
        got = func(*args)
    assert is_nan(got)


@pytest.mark.parametrize(("name", "pos"), DENOMINATOR_CASES)
@pytest.mark.parametrize("missing", [np.nan, None, pd.NA])
def test_missing_denominator_scalar_is_nan(name, pos, missing):
    func, nargs, _ = RATIO_FUNCTIONS[name]
    with no_warnings():
        got = func(*_args(nargs, pos, missing))
    assert is_nan(got)


@pytest.mark.parametrize(("name", "pos"), DENOMINATOR_CASES)
def test_zero_denominator_in_series_is_nan_at_that_spot_only(name, pos):
    func, nargs, _ = RATIO_FUNCTIONS[name]
    index = pd.Index(["a", "b", "c", "d"], name="k")
    den = pd.Series([2.0, 0.0, 4.0, np.nan], index=index)
    other = pd.Series([3.0, 5.0, 1.5, 1.0], index=index)  # no zero: only `den` makes NaN
    args = [other.copy() for _ in range(nargs)]
    args[pos] = den
    with no_warnings():
        got = func(*args)
    assert isinstance(got, pd.Series)
    assert got.index.equals(index)
    assert got.dtype == np.float64
    assert np.isnan(got["b"]) and np.isnan(got["d"])
    assert np.isfinite(got[["a", "c"]]).all()
    assert not np.isinf(got.to_numpy()).any()


@pytest.mark.parametrize(("name", "pos"), DENOMINATOR_CASES)
def test_zero_denominator_in_array_is_nan_at_that_spot_only(name, pos):
    func, nargs, _ = RATIO_FUNCTIONS[name]
    den = np.array([2.0, 0.0, 4.0])
    with no_warnings():
        got = func(*_args(nargs, pos, den))
    assert isinstance(got, np.ndarray)
    assert np.isnan(got[1])
    assert np.isfinite(got[[0, 2]]).all()


def test_zero_denominator_pytest_warns_nothing():
    # the same check spelled with pytest: recording shows no warning at all
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kpis.ctr(pd.Series([1, 0, 3]), pd.Series([0, 0, 0]))
        kpis.ctr(np.array([1, 0]), np.array([0, 0]))
        kpis.ctr(1, 0)
    assert caught == []


def test_mom_growth_zero_previous_month_no_warning():
    # Feb: previous 0 -> NaN (not inf); Mar: (10 - 5) / 5 = 1.0
    with no_warnings():
        got = kpis.mom_growth(pd.Series([0.0, 5.0, 10.0]))
    np.testing.assert_allclose(got.to_numpy(), [np.nan, np.nan, 1.0])


@pytest.mark.parametrize(
    ("func", "empty"),
    [
        (kpis.csat_from_scores, []),
        (kpis.nps_from_scores, []),
        (kpis.avg_rating, []),
        (kpis.hhi, []),
        (kpis.top20_share, []),
        (kpis.rolled_throughput_yield, []),
        (kpis.cmgr_from_series, []),
        (lambda a: kpis.top_n_share(a, 3), []),
        (lambda a: kpis.top_n_share(a, 3), [0, 0, 0]),
        (kpis.csat_from_scores, pd.Series([None, None], dtype="Int64")),
        (kpis.nps_from_scores, pd.Series([np.nan])),
        (kpis.top20_share, pd.Series([0.0, 0.0])),
    ],
)
def test_aggregates_without_data_are_nan_without_warning(func, empty):
    with no_warnings():
        assert is_nan(func(empty))


# ---------------------------------------------------------------------------
# kinds: scalar -> float, array -> ndarray, Series -> Series
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(RATIO_FUNCTIONS))
def test_scalar_in_python_float_out(name):
    func, nargs, _ = RATIO_FUNCTIONS[name]
    got = func(*([3] * nargs))
    assert type(got) is float
    got = func(*([np.int64(3)] * nargs))
    assert type(got) is float


@pytest.mark.parametrize("name", list(RATIO_FUNCTIONS))
def test_series_in_series_out(name):
    func, nargs, _ = RATIO_FUNCTIONS[name]
    index = pd.Index([10, 20, 30], name="month")
    values = pd.Series([1, 2, 4], index=index, name="x")
    got = func(*([values] * nargs))
    assert isinstance(got, pd.Series)
    assert got.index.equals(index)
    assert got.dtype == np.float64
    # elementwise: each spot equals the scalar call
    for label in index:
        assert got[label] == pytest.approx(func(*([float(values[label])] * nargs)), nan_ok=True)


@pytest.mark.parametrize("name", list(RATIO_FUNCTIONS))
def test_series_mixed_with_scalars_keeps_series(name):
    func, nargs, positions = RATIO_FUNCTIONS[name]
    values = pd.Series([1.0, 2.0], index=["p", "q"])
    args = [3.0] * nargs
    args[positions[-1]] = values
    got = func(*args)
    assert isinstance(got, pd.Series)
    assert list(got.index) == ["p", "q"]


@pytest.mark.parametrize("name", list(RATIO_FUNCTIONS))
def test_array_and_list_in_array_out(name):
    func, nargs, _ = RATIO_FUNCTIONS[name]
    got = func(*([np.array([1, 2, 4])] * nargs))
    assert isinstance(got, np.ndarray) and got.dtype == np.float64 and got.shape == (3,)
    got_list = func(*([[1, 2, 4]] * nargs))
    assert isinstance(got_list, np.ndarray)
    np.testing.assert_allclose(got, got_list)


def test_nullable_integer_series_gives_float_nan():
    clicks = pd.Series([5, None, 3], dtype="Int64")
    impressions = pd.Series([100, 50, 0], dtype="Int64")
    with no_warnings():
        got = kpis.ctr(clicks, impressions)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got.to_numpy(), [0.05, np.nan, np.nan])


def test_series_are_aligned_on_index():
    clicks = pd.Series([5, 10], index=["b", "a"])
    impressions = pd.Series([100, 50], index=["a", "b"])
    got = kpis.ctr(clicks, impressions)
    # a: 10 / 100 = 0.1; b: 5 / 50 = 0.1
    assert got["a"] == pytest.approx(0.1)
    assert got["b"] == pytest.approx(0.1)


def test_aggregates_return_python_numbers():
    amounts = pd.Series([3.0, 1.0, 1.0])
    for got in (
        kpis.revenue(amounts),
        kpis.hhi(amounts / amounts.sum()),
        kpis.top_n_share(amounts, 1),
        kpis.top20_share(amounts),
        kpis.avg_rating(amounts),
        kpis.csat_from_scores(amounts),
        kpis.nps_from_scores(amounts),
        kpis.rolled_throughput_yield(amounts / 3),
        kpis.cmgr_from_series(amounts),
    ):
        assert type(got) is float
    assert type(kpis.rating_count(amounts)) is int


# ---------------------------------------------------------------------------
# properties (hypothesis)
# ---------------------------------------------------------------------------
@st.composite
def campaign_rows(draw, min_size=1):
    impressions = draw(st.lists(st.integers(1, 1_000_000), min_size=min_size, max_size=30))
    clicks = [draw(st.integers(0, n)) for n in impressions]
    return np.array(clicks, dtype=float), np.array(impressions, dtype=float)


@PROPERTY
@given(campaign_rows())
def test_group_ctr_is_impression_weighted_mean_of_row_ctrs(rows):
    clicks, impressions = rows
    group = kpis.ctr(clicks.sum(), impressions.sum())
    row_rates = kpis.ctr(clicks, impressions)
    assert group == pytest.approx(np.average(row_rates, weights=impressions), rel=1e-9, abs=1e-12)


@PROPERTY
@given(campaign_rows(min_size=2))
def test_group_ctr_differs_from_mean_of_row_ctrs_by_their_covariance(rows):
    # ratio of sums = mean(r) + cov(r, w) / mean(w)  (w = impressions, population covariance):
    # equal only when rates do not co-vary with impressions, different in general
    clicks, impressions = rows
    group = kpis.ctr(clicks.sum(), impressions.sum())
    row_rates = kpis.ctr(clicks, impressions)
    cov = np.mean((row_rates - row_rates.mean()) * (impressions - impressions.mean()))
    assert group - row_rates.mean() == pytest.approx(cov / impressions.mean(), abs=1e-9)
    if abs(cov / impressions.mean()) > 1e-6:
        assert group != pytest.approx(row_rates.mean(), abs=1e-9)


@PROPERTY
@given(st.integers(1, 10_000), st.lists(st.integers(0, 10_000), min_size=1, max_size=20))
def test_group_ctr_equals_mean_of_row_ctrs_when_impressions_are_equal(n, clicks_raw):
    clicks = np.array([min(c, n) for c in clicks_raw], dtype=float)
    impressions = np.full(len(clicks), float(n))
    group = kpis.ctr(clicks.sum(), impressions.sum())
    assert group == pytest.approx(kpis.ctr(clicks, impressions).mean(), rel=1e-9, abs=1e-12)


positive_amounts = st.lists(
    st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=40,
)


@PROPERTY
@given(positive_amounts)
def test_hhi_between_10000_over_n_and_10000(amounts):
    shares = pd.Series(amounts) / sum(amounts)
    h = kpis.hhi(shares)
    n = len(amounts)
    assert 10_000 / n - 1e-6 <= h <= 10_000 + 1e-6


@PROPERTY
@given(positive_amounts)
def test_top20_share_in_unit_interval_and_at_least_020(amounts):
    share = kpis.top20_share(pd.Series(amounts))
    assert 0.0 <= share <= 1.0 + 1e-12
    assert share >= 0.2 - 1e-12


@PROPERTY
@given(
    st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=40).filter(
        lambda xs: sum(xs) > 0
    ),
    st.integers(0, 50),
)
def test_top_n_share_in_unit_interval_for_nonnegative_amounts(amounts, n):
    share = kpis.top_n_share(amounts, n)
    assert 0.0 <= share <= 1.0 + 1e-12


any_float = st.floats(allow_nan=True, allow_infinity=True)
small_or_zero = st.one_of(st.just(0.0), st.just(-0.0), st.floats(-1e6, 1e6))


@PROPERTY
@given(st.lists(st.tuples(any_float, any_float), min_size=1, max_size=20))
def test_safe_ratio_never_inf_never_warns(pairs):
    num = np.array([p[0] for p in pairs])
    den = np.array([p[1] for p in pairs])
    with no_warnings():
        arr = kpis.safe_ratio(num, den)
        ser = kpis.safe_ratio(pd.Series(num), pd.Series(den))
        scalars = [kpis.safe_ratio(a, b) for a, b in pairs]
    assert not np.isinf(arr).any()
    assert not np.isinf(ser.to_numpy()).any()
    assert not any(math.isinf(s) for s in scalars)
    assert np.isnan(arr[den == 0]).all()


@PROPERTY
@given(st.lists(st.tuples(small_or_zero, small_or_zero), min_size=1, max_size=20))
@example([(4.0, 2.2250738585072014e-308)])  # overflows to inf in plain numpy: NaN here
def test_safe_ratio_is_plain_division_where_defined(pairs):
    num = np.array([p[0] for p in pairs])
    den = np.array([p[1] for p in pairs])
    got = kpis.safe_ratio(pd.Series(num), pd.Series(den)).to_numpy()
    with np.errstate(all="ignore"):
        plain = num / den
    # defined: a non-zero denominator and a finite quotient (4 / 2.2e-308 overflows to inf -> NaN)
    defined = (den != 0) & np.isfinite(plain)
    np.testing.assert_allclose(got[defined], plain[defined], rtol=1e-12)
    assert np.isnan(got[~defined]).all()


# ---------------------------------------------------------------------------
# no function mutates its input
# ---------------------------------------------------------------------------
def _series_calls():
    """(id, callable taking a list of Series) for every public function."""
    calls = [
        pytest.param(lambda ss, f=func, n=nargs: f(*ss[:n]), id=name)
        for name, (func, nargs, _) in RATIO_FUNCTIONS.items()
    ]
    one_series = [
        kpis.revenue,
        kpis.mom_growth,
        kpis.cmgr_from_series,
        kpis.csat_from_scores,
        kpis.nps_from_scores,
        kpis.avg_rating,
        kpis.rating_count,
        kpis.rolled_throughput_yield,
        kpis.hhi,
        kpis.top20_share,
    ]
    calls += [pytest.param(lambda ss, f=f: f(ss[0]), id=f.__name__) for f in one_series]
    calls.append(pytest.param(lambda ss: kpis.top_n_share(ss[0], 2), id="top_n_share"))
    return calls


series_values = st.lists(
    st.one_of(st.just(0.0), st.just(np.nan), st.floats(-1e3, 1e3)), min_size=1, max_size=8
)


@pytest.mark.parametrize("call", _series_calls())
@settings(deadline=None, max_examples=25)
@given(st.lists(series_values, min_size=4, max_size=4))
def test_no_function_mutates_its_series_input(call, columns):
    size = min(len(c) for c in columns)
    inputs = [pd.Series(c[:size], index=[f"r{i}" for i in range(size)]) for c in columns]
    before = [s.copy(deep=True) for s in inputs]
    with no_warnings():
        call(inputs)
    for s, b in zip(inputs, before):
        pd.testing.assert_series_equal(s, b)


def test_no_function_mutates_arrays_or_nullable_series():
    arr = np.array([1.0, 0.0, np.nan])
    nullable = pd.Series([1, 0, None], dtype="Int64")
    arr_before, nullable_before = arr.copy(), nullable.copy()
    for name, (func, nargs, _) in RATIO_FUNCTIONS.items():
        func(*([arr] * nargs))
        func(*([nullable] * nargs))
    kpis.mom_growth(arr)
    kpis.mom_growth(nullable)
    kpis.avg_completion_days(
        pd.Series(pd.to_datetime(["2024-01-01", None])), pd.Series(pd.to_datetime([None, None]))
    )
    np.testing.assert_array_equal(arr, arr_before)
    pd.testing.assert_series_equal(nullable, nullable_before)


# ---------------------------------------------------------------------------
# module hygiene
# ---------------------------------------------------------------------------
PLANNED_PUBLIC = [
    "safe_ratio", "revenue", "growth", "mom_growth", "cmgr", "cmgr_from_series",
    "customer_churn_rate", "net_revenue_retention", "csat", "csat_from_scores", "nps",
    "nps_from_scores", "utilization", "realization", "on_time_rate", "avg_completion_days",
    "revenue_per_consultant", "ctr", "cvr", "cpc", "cpa", "roas", "roi", "avg_check",
    "revenue_per_table", "table_turnover", "revpash", "seat_occupancy", "avg_rating",
    "rating_count", "defect_rate", "defect_free_share", "first_pass_yield",
    "rolled_throughput_yield", "avg_time_per_unit", "hhi", "top_n_share", "share_of_total", "concentration_base", "top_customer_share", "top20_share",
]  # fmt: skip


def test_public_api_is_the_planned_one():
    assert sorted(kpis.__all__) == sorted(PLANNED_PUBLIC)
    for name in PLANNED_PUBLIC:
        assert callable(getattr(kpis, name))


@pytest.mark.parametrize("name", PLANNED_PUBLIC)
def test_docstring_has_formula_unit_undefined_and_example(name):
    doc = getattr(kpis, name).__doc__
    assert doc
    for needle in ("Formula:", "Unit:", "Undefined", ">>> "):
        assert needle in doc, f"{name}: docstring lacks {needle!r}"


def test_doctests_pass():
    result = doctest.testmod(kpis, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted >= 2 * len(PLANNED_PUBLIC)


def test_module_docstring_states_ratio_of_sums_rule():
    assert "ratios of sums" in kpis.__doc__
    assert "never the" in kpis.__doc__


def test_imports_only_numpy_pandas_math():
    tree = ast.parse(Path(kpis.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"math", "typing", "numpy", "pandas"}  # typing: the Values alias


def test_importing_kpis_loads_no_plotting_or_notebook_tooling():
    code = (
        "import sys, kpi_helpers.kpis; "
        "print(sorted(m for m in ('matplotlib', 'seaborn', 'ipywidgets', 'papermill') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"
