"""Tests of kpi_helpers.display: THE text form of a value, frames, the KPI table as shown, names."""
from __future__ import annotations

import ast
import dataclasses
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi_helpers import cases, display, scorecard
from kpi_helpers.display import (
    format_against_target,
    format_frame,
    format_kpi_table,
    format_value,
    kpi_name,
    label,
    status_text,
    unit_label,
)

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------------------------------------
# format_value: worked examples of every unit
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, unit, expected",
    [
        # ratio: percent with one decimal
        (0.123, "ratio", "12.3%"),
        (0.05, "ratio", "5.0%"),
        (4.0, "ratio", "400.0%"),
        (0.0, "ratio", "0.0%"),
        (-0.25, "ratio", "-25.0%"),
        # ratio below 1 %: two decimals (a CTR)
        (0.0064, "ratio", "0.64%"),
        (0.0046, "ratio", "0.46%"),
        (-0.005, "ratio", "-0.50%"),
        # currency
        (14_914_109.4, "currency", "NOK 14,914,109"),
        (1234.4, "currency", "NOK 1,234"),
        (-1234.4, "currency", "NOK -1,234"),
        (3.456, "currency", "NOK 3.46"),
        (0, "currency", "NOK 0"),
        # days, score, count, index
        (12.25, "days", "12.2 days"),
        (120, "days", "120.0 days"),
        (4.267, "score", "4.27"),
        (4.2, "score", "4.20"),
        (1234, "count", "1,234"),
        (2.345, "count", "2.35"),
        (np.int64(7), "count", "7"),
        (2600.0, "index", "2,600"),
        (23.46, "index", "23.5"),
        # display-only units
        (9.17, "multiple", "9.2x"),
        (0.85, "multiple", "0.8x"),
        (1234.5, "number", "1,234"),
        (3.14159, "number", "3.14"),
        (0.5, "number", "0.5"),
        (2.0, "number", "2"),
        (pd.Timestamp("2025-12-27 18:30"), "date", "2025-12-27"),
        ("2024-03-05", "month", "2024-03"),
        ("Ærlig & Sønn <b>", "text", "Ærlig & Sønn <b>"),
    ],
)
def test_format_value_worked_examples(value, unit, expected):
    assert format_value(value, unit) == expected


@pytest.mark.parametrize("unit", display.DISPLAY_UNITS)
@pytest.mark.parametrize("value", [None, float("nan"), float("inf"), -float("inf"), pd.NA, np.nan, pd.NaT])
def test_undefined_values_are_n_a_in_every_unit(value, unit):
    assert format_value(value, unit) == "n/a"


def test_things_that_are_not_numbers_are_n_a():
    assert format_value("lots", "ratio") == "n/a"
    assert format_value(True, "count") == "n/a"
    assert format_value(3, "date") == "n/a"  # a number is not a date
    assert format_value("not a date", "month") == "n/a"


def test_small_ratios_never_print_the_same():
    # 0.16 % and 0.21 % would both be "0.2%" with one decimal
    assert format_value(0.0016, "ratio") == "0.16%"
    assert format_value(0.0021, "ratio") == "0.21%"
    assert format_value(0.01, "ratio") == "1.0%"


def test_nothing_that_rounds_to_zero_shows_a_minus_sign():
    assert format_value(-0.00001, "ratio") == "0.00%"
    assert format_value(-0.0001, "ratio", decimals=0) == "0%"
    assert format_value(-0.001, "currency") == "NOK 0.00"
    assert format_value(-0.04, "index") == "0.0"
    assert format_value(-0.001, "currency", compact=True) == "NOK 0"


def test_decimals_override_the_rule():
    assert format_value(0.25, "ratio", decimals=0) == "25%"
    assert format_value(0.0123, "ratio", decimals=2) == "1.23%"
    assert format_value(1234.5, "currency", decimals=2) == "NOK 1,234.50"
    assert format_value(4.0, "number", decimals=2) == "4.00"  # asked for: not trimmed
    assert format_value(12.25, "days", decimals=0) == "12 days"


def test_currency_code_and_no_code():
    assert format_value(1500, "currency", currency="EUR") == "EUR 1,500"
    assert format_value(1500, "currency", currency="") == "1,500"


@pytest.mark.parametrize("value, text", [
    (1_200_000, "NOK 1.2M"), (350_000, "NOK 350k"), (0, "NOK 0"), (950, "NOK 950"), (0.5, "NOK 0.5"),
    (1_000_000, "NOK 1M"), (999_999, "NOK 1M"), (1_234_567, "NOK 1.23M"), (12_500, "NOK 12.5k"),
    (2.5e9, "NOK 2.5bn"), (-2_500, "NOK -2.5k"), (float("nan"), "n/a"), (float("inf"), "n/a"),
])
def test_compact_money_for_figures_and_prose(value, text):
    assert format_value(value, "currency", compact=True) == text


def test_compact_changes_only_money():
    assert format_value(350_000, "currency", currency="", compact=True) == "350k"
    assert format_value(12_345, "count", compact=True) == "12,345"
    assert format_value(0.034, "ratio", compact=True) == "3.4%"


def test_unknown_unit_and_language_are_errors():
    with pytest.raises(ValueError, match="unit"):
        format_value(1.0, "percent")
    with pytest.raises(ValueError, match=r"lang must be one of \['en', 'nb'\], got 'de'"):
        format_value(1.0, "ratio", lang="de")
    with pytest.raises(ValueError, match="lang"):
        status_text("on_track", lang="de")
    with pytest.raises(ValueError, match="lang"):
        format_frame(pd.DataFrame({"a": [1]}), {"a": "count"}, lang="NB")
    with pytest.raises(ValueError, match="lang"):
        format_kpi_table(_kpi_table(), lang="sv")
    with pytest.raises(ValueError, match="unit"):
        format_frame(pd.DataFrame({"a": [1]}), {"a": "percent"})


def test_a_language_is_a_table_of_words_and_a_number_style(monkeypatch):
    """A language is one Language entry, no new branches (kpi_helpers.i18n keeps the built ones)."""
    from kpi_helpers import i18n

    xx = dataclasses.replace(display.language("en"), code="xx", thousands="\u00a0", decimal=",",
                             not_available="i.t.", percent="{number} %", currency="{currency} {number}",
                             days="{number} dager", multiple="{number}x", versus="{value} mot {target}",
                             statuses={"on_track": "i rute"})
    monkeypatch.setitem(i18n._LOADED, "xx", xx)
    assert format_value(0.1234, "ratio", lang="xx") == "12,3 %"
    assert format_value(1234567.8, "currency", lang="xx") == "NOK 1\u00a0234\u00a0568"
    assert format_value(12.25, "days", lang="xx") == "12,2 dager"
    assert format_value(float("nan"), "score", lang="xx") == "i.t."
    assert format_value(1_234_567, "currency", compact=True, lang="xx") == "NOK 1,23M"
    assert status_text("on_track", lang="xx") == "i rute"
    assert format_against_target(0.02996, 0.03, "ratio", "off_track", lang="xx") == "2,996 % mot 3,000 %"


# ---------------------------------------------------------------------------------------------
# value against target
# ---------------------------------------------------------------------------------------------
def test_against_target_shows_why_when_both_would_print_the_same():
    # CMGR 2.996 % against a target of 3.0 %: off track, yet both are "3.0%" with one decimal
    assert format_value(0.02996, "ratio") == format_value(0.03, "ratio") == "3.0%"
    assert format_against_target(0.02996, 0.03, "ratio", "off_track") == "2.996% vs 3.000%"
    assert format_against_target(0.030004, 0.03, "ratio", "on_track") == "3.0004% vs 3.0000%"
    assert format_against_target(99.996, 100, "currency", "off_track", currency="EUR") == "EUR 99.996 vs EUR 100.000"
    assert format_against_target(4.496, 4.5, "score", "off_track") == "4.496 vs 4.500"
    assert format_against_target(2.999, 3, "count", "off_track") == "2.999 vs 3.000"
    assert format_against_target(50, 1000, "currency", "off_track") == "NOK 50.00 vs NOK 1,000"


def test_against_target_plain_when_the_difference_shows_or_there_is_nothing_to_explain():
    assert format_against_target(0.025, 0.03, "ratio", "off_track") == "2.5% vs 3.0%"
    assert format_against_target(0.03, 0.03, "ratio", "on_track") == "3.0% vs 3.0%"  # at target
    assert format_against_target(0.02996, 0.03, "ratio", "no_target") == "3.0% vs 3.0%"
    assert format_against_target(4.2, None, "score") == "4.20"
    assert format_against_target(4.2, float("nan"), "score", "no_target") == "4.20"
    assert format_against_target(float("nan"), 0.03, "ratio", "not_measurable") == "n/a vs 3.0%"


# ---------------------------------------------------------------------------------------------
# names
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("status, words", [
    ("on_track", "on track"), ("off_track", "off track"), ("no_target", "no target"),
    ("not_measurable", "not measurable"), ("insufficient_data", "insufficient data"), ("paused", "paused"),
])
def test_status_text(status, words):
    assert status_text(status) == words


def test_every_status_of_the_table_has_words():
    for lang in display.LANGUAGES:
        assert set(scorecard.STATUSES) <= set(display.language(lang).statuses)


def test_names_and_labels():
    assert kpi_name("ctr") == "Click-through rate (CTR)"
    assert kpi_name("made_up") == "made_up"
    assert kpi_name("made_up", names={"made_up": "Made up"}) == "Made up"
    assert label("cmgr") == "CMGR" and label("mom_growth") == "month-over-month growth"
    assert label("revenue_share") == "revenue share"
    assert unit_label("currency", "EUR") == "EUR" and unit_label("ratio") == "%"
    assert unit_label("days") == "days" and unit_label("m2") == "m2"


# ---------------------------------------------------------------------------------------------
# frames
# ---------------------------------------------------------------------------------------------
def test_format_frame_keeps_other_columns_and_never_changes_its_input():
    f = pd.DataFrame({"client": ["A", "B"], "share": [0.25, float("nan")], "spend": [1234.5, 50.0],
                      "ctr": [0.0123, 0.004]}, index=pd.Index(["x", "y"], name="id"))
    before = f.copy(deep=True)
    out = format_frame(f, {"share": "ratio", "spend": "currency", "ctr": "ratio", "missing": "count"},
                       currency="EUR", decimals={"ctr": 2})
    pd.testing.assert_frame_equal(f, before)
    assert list(out.columns) == ["client", "share", "spend", "ctr"]
    assert out["share"].tolist() == ["25.0%", "n/a"]
    assert out["spend"].tolist() == ["EUR 1,234", "EUR 50.00"]
    assert out["ctr"].tolist() == ["1.23%", "0.40%"]
    assert out["client"].tolist() == ["A", "B"]
    assert out.index.equals(f.index) and out.index.name == "id"
    assert out is not f


def test_format_frame_can_drop_other_columns_in_the_order_of_the_units():
    f = pd.DataFrame({"a": [1.0], "b": [0.5], "c": ["x"]})
    out = format_frame(f, {"b": "ratio", "a": "count"}, others="drop")
    assert list(out.columns) == ["b", "a"]
    assert out.iloc[0].tolist() == ["50.0%", "1"]
    with pytest.raises(ValueError, match="others"):
        format_frame(f, {"a": "count"}, others="hide")


def test_format_frame_of_an_empty_frame():
    out = format_frame(pd.DataFrame({"a": pd.Series([], dtype=float)}), {"a": "ratio"})
    assert list(out.columns) == ["a"] and len(out) == 0


# The frame formatters that the cases had (format_restaurant_table, format_columns) are format_frame
# calls now; format_ad_frame is format_frame with the ad unit map.
def test_format_frame_drops_other_columns_with_others_drop():
    f = pd.DataFrame({"revenue": [1234.5, float("nan")], "last_visit": pd.to_datetime(["2025-12-27", None]),
                      "share": [0.25, 0.5], "name": ["Kari", "Ola"], "other": [1, 2]},
                     index=pd.Index(["G1", "G2"], name="guest_id"))
    units = {"share": "ratio", "revenue": "currency", "last_visit": "date", "name": "text", "missing": "count"}
    mine = format_frame(f, units, currency="EUR", others="drop")
    assert mine.loc["G1"].tolist() == ["25.0%", "EUR 1,234", "2025-12-27", "Kari"]
    assert mine.loc["G2"].tolist() == ["50.0%", "n/a", "n/a", "Ola"]
    assert mine.index.name == "guest_id" and list(mine.columns) == ["share", "revenue", "last_visit", "name"]
    assert f["revenue"].iloc[0] == 1234.5  # input unchanged
    # a missing text reads "n/a"
    assert format_frame(pd.DataFrame({"t": [None]}), {"t": "text"})["t"].tolist() == ["n/a"]


def test_format_ad_frame_is_format_frame_with_the_ad_units():
    daily = pd.DataFrame({
        "date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-01"]),
        "client": ["K", "K", "L"], "campaign": ["a", "a", "b"], "channel": ["Search", "Search", "Social"],
        "impressions": [30_000, 20_000, 1_000], "clicks": [60, 40, 50], "conversions": [0, 0, 5],
        "spend": [600.0, 400.0, 75.5], "conversion_value": [0.0, 0.0, 990.0],
    })
    t = cases.marketing_agency.ad_kpis_by(daily, ["campaign"])
    before = t.copy(deep=True)
    mine = format_frame(t, cases.marketing_agency.AD_UNITS, currency="NOK", decimals=dict.fromkeys(cases.marketing_agency.AD_TWO_DECIMALS, 2))
    theirs = cases.marketing_agency.format_ad_frame(t, "NOK")
    pd.testing.assert_frame_equal(mine, theirs, check_dtype=False)
    assert mine.at[0, "ctr"] == "0.20%" and mine.at[0, "cpa"] == "n/a" and mine.at[0, "spend"] == "NOK 1,000"
    pd.testing.assert_frame_equal(t, before)


def test_format_frame_months_and_kept_columns():
    f = pd.DataFrame({"share": [0.25, float("nan")], "money": [1234.4, 5.0],
                      "start": pd.to_datetime(["2024-03-05", None]), "other": [1, 2]})
    units = {"share": "ratio", "money": "currency", "start": "month", "missing": "ratio"}
    mine = format_frame(f, units, currency="EUR")
    assert mine["share"].tolist() == ["25.0%", "n/a"]
    assert mine["money"].tolist() == ["EUR 1,234", "EUR 5.00"]
    assert mine["start"].tolist() == ["2024-03", "n/a"]
    assert mine["other"].tolist() == [1, 2]
    assert f["share"].iloc[0] == 0.25  # input unchanged


# ---------------------------------------------------------------------------------------------
# the KPI table as shown
# ---------------------------------------------------------------------------------------------
def _kpi_table() -> pd.DataFrame:
    rows = [
        {"kpi": "ctr", "scope": "all", "period": "all", "value": 0.05},
        {"kpi": "cpa", "scope": "all", "period": "all", "value": math.inf},
        {"kpi": "cmgr", "scope": "all", "period": "all", "value": 0.02996},
        {"kpi": "roas", "scope": "all", "period": "all", "value": 9.17},
        {"kpi": "revenue", "scope": "all", "period": "2025-01", "value": 14_914_109.4, "partial": True},
    ]
    return scorecard.kpi_table(rows, {"ctr": 0.02, "cpa": 400, "cmgr": 0.03, "roas": 4.0})


def test_format_kpi_table_values_targets_status_and_names():
    t = _kpi_table()
    before = t.copy(deep=True)
    f = format_kpi_table(t).set_index("kpi")
    pd.testing.assert_frame_equal(t, before)  # the input is not changed
    assert list(format_kpi_table(t).columns[:2]) == ["kpi", "name"]
    assert f.at["ctr", "name"] == "Click-through rate (CTR)"
    assert (f.at["ctr", "value"], f.at["ctr", "target"], f.at["ctr", "status"]) == ("5.0%", "2.0%", "on track")
    # undefined with a target: n/a and "not measurable", never "off track"
    assert (f.at["cpa", "value"], f.at["cpa", "status"]) == ("n/a", "not measurable")
    # value and target that would print the same: enough decimals to see why it is off track
    assert (f.at["cmgr", "value"], f.at["cmgr", "target"], f.at["cmgr", "status"]) == ("2.996%", "3.000%", "off track")
    # ROAS is stored as a ratio and shown as a multiple
    assert (f.at["roas", "value"], f.at["roas", "target"]) == ("9.2x", "4.0x")
    # no target: an empty cell; partial months say so; notes are never missing
    assert f.at["revenue", "value"] == "NOK 14,914,109" and f.at["revenue", "target"] == ""
    assert f.at["revenue", "partial"] == "partial" and f.at["ctr", "partial"] == ""
    assert not format_kpi_table(t)["note"].isna().any()


def test_format_kpi_table_names_and_currency():
    t = scorecard.kpi_table([{"kpi": "sla_rate", "scope": "all", "period": "all", "value": 0.9},
                             {"kpi": "revenue", "scope": "all", "period": "all", "value": 1500.0}],
                            catalogue={**scorecard.KPI_CATALOGUE,
                                       "sla_rate": dataclasses.replace(scorecard.KPI_CATALOGUE["csat"], id="sla_rate")})
    f = format_kpi_table(t, currency="EUR", names={"sla_rate": "Tickets within SLA"}).set_index("kpi")
    assert f.loc[["sla_rate", "revenue"], "name"].tolist() == ["Tickets within SLA", "Revenue"]
    assert f.loc[["sla_rate", "revenue"], "value"].tolist() == ["90.0%", "EUR 1,500"]
    assert format_kpi_table(t).set_index("kpi").at["sla_rate", "name"] == "sla_rate"


def test_format_kpi_table_words_for_every_status_and_a_table_without_targets():
    t = pd.DataFrame({"kpi": ["avg_rating", "csat", "revenue"], "scope": "all", "period": "all",
                      "value": [4.6, math.nan, 10.0], "unit": ["score", "ratio", "currency"],
                      "target": [4.5, 0.8, math.nan], "status": ["insufficient_data", "not_measurable", "no_target"]})
    f = format_kpi_table(t)
    assert f["status"].tolist() == ["insufficient data", "not measurable", "no target"]
    assert f["value"].tolist() == ["4.60", "n/a", "NOK 10.00"]
    g = format_kpi_table(t.drop(columns=["target", "status"]))
    assert g["value"].tolist() == ["4.60", "n/a", "NOK 10.00"] and "target" not in g


def test_the_kpi_csv_stays_machine_text():
    t = _kpi_table()
    assert "%" not in scorecard.kpi_table_csv(t)
    assert "on_track" in scorecard.kpi_table_csv(t)


# ---------------------------------------------------------------------------------------------
# the module itself
# ---------------------------------------------------------------------------------------------
def test_display_imports_no_plotting_or_widgets():
    code = ("import sys, kpi_helpers.display; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('matplotlib', 'seaborn', 'ipywidgets', 'papermill', 'IPython')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_functions_are_listed_in_all():
    tree = ast.parse((ROOT / "kpi_helpers" / "display.py").read_text(encoding="utf-8"))
    public = {n.name for n in tree.body
              if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")}
    assert public <= set(display.__all__)


def test_names_from_the_data_are_escaped_once_everywhere_in_markdown():
    """One escaping rule (display.markdown_text) for sentences and the Data checks list."""
    from kpi_helpers.data import checks_markdown

    t = pd.DataFrame({"revenue": [60.0], "share": [0.6], "score": [float("nan")], "largest": [True],
                      "major": [True], "best_scored": [False]}, index=pd.Index(["$5 *Deli*"], name="account"))
    assert "**\\$5 \\*Deli\\***" in display.key_accounts_text(t, threshold=0.10)
    assert checks_markdown(["a_b.csv: [x]"]) == "- a\\_b.csv: \\[x\\]"
