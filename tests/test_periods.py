"""The one calendar: month labels, month codes and partial months (kpi_helpers.periods)."""
from __future__ import annotations

import doctest

import pandas as pd
import pytest

from kpi_helpers import periods


def test_doctests_run_and_pass():
    result = doctest.testmod(periods)
    assert result.attempted >= 6 and result.failed == 0


def test_labels_and_codes_agree():
    d = pd.Series(pd.to_datetime(["1999-12-31", "2000-01-01", "2024-02-29", "2024-02-01"]), index=[7, 3, 5, 1])
    labels = periods.period_labels(d)
    assert labels.index.tolist() == [7, 3, 5, 1]
    assert labels.tolist() == ["1999-12", "2000-01", "2024-02", "2024-02"]
    assert [periods.code_label(c) for c in periods.month_codes(d)] == labels.tolist()
    assert [periods.code_label(c) for c in periods.months_present(d)] == ["1999-12", "2000-01", "2024-02"]


@pytest.mark.parametrize("text, ok", [("2024-01", True), ("2024-12", True), ("2024-00", False),
                                      ("2024-13", False), ("all", False), ("2024-1", False), (None, False)])
def test_is_month_label(text, ok):
    assert periods.is_month_label(text) is ok


def test_month_table_partial_rule():
    m = periods.month_table("2024-02-01", "2024-02-29")  # leap year: February complete
    assert m.to_dict("records") == [{"period": "2024-02", "partial": False}]
    m = periods.month_table("2023-12-31 18:00", "2024-01-30")  # times ignored; Jan 31 missing
    assert m["partial"].tolist() == [True, True]
    assert periods.month_table(None, "2024-01-01").empty
    with pytest.raises(ValueError, match="before"):
        periods.month_table("2024-02-01", "2024-01-01")
