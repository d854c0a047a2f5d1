"""Atomic writes and the KPI table's CSV form."""
import math
import os

import pandas as pd
import pytest

from kpi_helpers import _io, scorecard


def test_atomic_write_replaces_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "sub" / "out.csv"
    _io.write_text_atomic(target, "a\n")
    _io.write_text_atomic(target, "b\n")
    assert target.read_text() == "b\n"
    assert sorted(os.listdir(target.parent)) == ["out.csv"]


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(_io.os, "replace", boom)
    with pytest.raises(OSError):
        _io.write_text_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert sorted(os.listdir(tmp_path)) == ["out.csv"]


def _table():
    rows = [
        {"kpi": "ctr", "scope": "all", "period": "all", "value": 0.05},
        {"kpi": "cpa", "scope": "all", "period": "all", "value": math.nan, "note": "no conversions"},
        {"kpi": "revenue", "scope": "account:Ærlig & Sønn <b>", "period": "all", "value": 1234.5},
    ]
    return scorecard.kpi_table(rows, {"ctr": 0.02})


def test_kpi_table_csv_writes_undefined_as_empty_and_names_verbatim(tmp_path):
    t = _table()
    path = scorecard.save_kpi_table(t, tmp_path / "k.csv")
    text = open(path, encoding="utf-8").read()
    assert text.splitlines()[0] == "kpi,scope,period,value,unit,target,status,partial,note"
    assert "account:Ærlig & Sønn <b>" in text
    assert "inf" not in text and "nan" not in text.lower()
    back = pd.read_csv(path, keep_default_na=False, na_values=[""])
    assert back["value"].isna().sum() == 1


def test_format_kpi_table_shows_na_and_percent_without_changing_input():
    t = _table()
    before = t.copy(deep=True)
    f = scorecard.format_kpi_table(t)
    pd.testing.assert_frame_equal(t, before)
    assert set(f.loc[f["kpi"] == "ctr", "value"]) == {"5.0%"}
    assert set(f.loc[f["kpi"] == "cpa", "value"]) == {"n/a"}
    assert set(f.loc[f["kpi"] == "ctr", "status"]) == {"on track"}


def test_data_error_renders_without_traceback_in_ipython():
    from kpi_helpers.data import DataError

    err = DataError("startup/invoices.csv, column 'amount': bad", file="startup/invoices.csv", column="amount")
    assert err._render_traceback_() == ["DataError: startup/invoices.csv, column 'amount': bad"]


def test_atomic_write_gives_the_usual_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        target = _io.write_text_atomic(tmp_path / "out.csv", "x\n")
    finally:
        os.umask(mask)
    assert (target.stat().st_mode & 0o777) == 0o644


def test_format_kpi_table_says_not_measurable_for_undefined_values_with_a_target():
    t = scorecard.kpi_table([{"kpi": "cpa", "scope": "all", "period": "all", "value": math.nan}], {"cpa": 400})
    assert t["status"].iloc[0] == "off_track"  # the CSV contract
    assert scorecard.format_kpi_table(t)["status"].iloc[0] == "not measurable"


def test_small_ratios_keep_two_decimals():
    assert scorecard.format_value(0.0046, "ratio") == "0.46%"
    assert scorecard.format_value(0.0064, "ratio") == "0.64%"
    assert scorecard.format_value(0.05, "ratio") == "5.0%"
    assert scorecard.format_value(0.0, "ratio") == "0.0%"
