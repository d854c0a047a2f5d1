"""kpi_helpers.stats: Student's t quantiles against printed tables, and the t interval of a mean by hand."""
from __future__ import annotations

import doctest
import math

import pytest

from kpi_helpers import stats


def test_doctests():
    result = doctest.testmod(stats)
    assert result.failed == 0 and result.attempted >= 10


@pytest.mark.parametrize("p, df, expected", [
    # textbook t table values
    (0.975, 1, 12.706), (0.975, 2, 4.303), (0.975, 3, 3.182), (0.975, 8, 2.306), (0.975, 9, 2.262),
    (0.975, 30, 2.042), (0.95, 4, 2.132), (0.995, 10, 3.169), (0.975, 1000, 1.962),
])
def test_t_quantile_matches_tables(p, df, expected):
    assert stats.t_quantile(p, df) == pytest.approx(expected, abs=5e-4)


def test_t_quantile_symmetry_and_undefined():
    assert stats.t_quantile(0.025, 8) == pytest.approx(-stats.t_quantile(0.975, 8))
    assert stats.t_quantile(0.5, 3) == 0.0
    for p, df in [(0.0, 5), (1.0, 5), (0.9, 0), (float("nan"), 3)]:
        assert math.isnan(stats.t_quantile(p, df))


def test_mean_interval_by_hand():
    # values 4, 5, 5, 3, 4: mean 4.2, sample sd sqrt(2.8/4) = 0.83666, se = 0.37417,
    # t(0.975, 4) = 2.7764 -> half width 1.0389 -> [3.161, 5.239]
    r = stats.mean_interval([4, 5, 5, 3, 4])
    assert r["n"] == 5 and r["mean"] == pytest.approx(4.2)
    assert r["std"] == pytest.approx(math.sqrt(0.7))
    assert r["low"] == pytest.approx(3.1611, abs=1e-3) and r["high"] == pytest.approx(5.2389, abs=1e-3)
    clipped = stats.mean_interval([4, 5, 5, 3, 4], bounds=(1, 5))
    assert clipped["high"] == 5.0 and clipped["low"] == pytest.approx(3.1611, abs=1e-3)


def test_mean_interval_few_values_and_missing():
    assert stats.mean_interval([])["n"] == 0 and math.isnan(stats.mean_interval([])["mean"])
    one = stats.mean_interval([float("nan"), 4.0, None])
    assert one["n"] == 1 and one["mean"] == 4.0 and math.isnan(one["low"]) and math.isnan(one["high"])
    same = stats.mean_interval([4, 4, 4])  # no spread: the interval is the point
    assert same["low"] == same["high"] == 4.0


def test_interval_narrows_with_more_ratings():
    few = stats.mean_interval([3, 5, 4, 5, 4, 5, 4, 5, 5])
    many = stats.mean_interval([3, 5, 4, 5, 4, 5, 4, 5, 5] * 50)
    assert (many["high"] - many["low"]) < (few["high"] - few["low"]) / 5


# ------------------------------------------------------------------ shares: Wilson and Newcombe
@pytest.mark.parametrize("k, n, low, high", [
    # Newcombe (1998a), Statistics in Medicine 17: 857-872, Table II, method 3 (Wilson score, no correction)
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718),
])
def test_wilson_interval_matches_published_values(k, n, low, high):
    r = stats.proportion_interval(k, n)
    assert r["share"] == pytest.approx(k / n)
    assert r["low"] == pytest.approx(low, abs=1e-4) and r["high"] == pytest.approx(high, abs=1e-4)


def test_wilson_interval_stays_wide_where_the_t_interval_collapses():
    # 3 answers, all satisfied: the t interval of the 0/1 answers is the point 100 %, Wilson's is not
    t = stats.mean_interval([1, 1, 1])
    w = stats.proportion_interval(3, 3)
    assert t["low"] == t["high"] == 1.0
    assert w["high"] == 1.0 and w["low"] == pytest.approx(0.4385, abs=1e-3)
    assert 0.0 <= stats.proportion_interval(0, 3)["low"] <= stats.proportion_interval(0, 3)["high"] < 0.6


def test_wilson_interval_undefined_and_narrowing():
    for k, n in [(0, 0), (5, 3), (-1, 4), (float("nan"), 4)]:
        r = stats.proportion_interval(k, n)
        assert math.isnan(r["share"]) and math.isnan(r["low"]) and math.isnan(r["high"])
    few, many = stats.proportion_interval(7, 10), stats.proportion_interval(700, 1000)
    assert (many["high"] - many["low"]) < (few["high"] - few["low"]) / 5
    assert stats.proportion_interval(7, 10, level=0.99)["low"] < few["low"]


@pytest.mark.parametrize("k1, n1, k2, n2, low, high", [
    # Newcombe (1998b), Statistics in Medicine 17: 873-890, Table II, method 10
    (56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090),
])
def test_newcombe_difference_matches_published_values(k1, n1, k2, n2, low, high):
    r = stats.proportion_difference(k1, n1, k2, n2)
    assert r["difference"] == pytest.approx(k1 / n1 - k2 / n2)
    assert r["low"] == pytest.approx(low, abs=1e-4) and r["high"] == pytest.approx(high, abs=1e-4)
    assert r["distinguishable"] is True


def test_newcombe_difference_within_noise_and_undefined():
    r = stats.proportion_difference(20, 31, 58, 83)  # one client's CSAT against the other clients'
    assert r["low"] < 0 < r["high"] and r["distinguishable"] is False
    swapped = stats.proportion_difference(58, 83, 20, 31)
    assert swapped["low"] == pytest.approx(-r["high"]) and swapped["high"] == pytest.approx(-r["low"])
    empty = stats.proportion_difference(3, 4, 0, 0)
    assert math.isnan(empty["difference"]) and empty["distinguishable"] is False
