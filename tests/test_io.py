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
    assert text.splitlines()[0] == "kpi,scope,period,value,unit,target,status,partial,observations,note"
    assert "account:Ærlig & Sønn <b>" in text
    assert "inf" not in text and "nan" not in text.lower()
    back = pd.read_csv(path, keep_default_na=False, na_values=[""])
    assert back["value"].isna().sum() == 1


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
