"""kpi_helpers.stats: Student's t quantiles against printed tables, and the t interval of a mean by hand."""
from __future__ import annotations

import doctest
import math

import pytest

from kpi_helpers import stats


def test_doctests():
    result = doctest.testmod(stats)
    assert result.failed == 0 and result.attempted >= 5


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
