"""Helpers of the concepts notebook (kpi_helpers.cases.concepts and its widgets), worked by hand."""
from __future__ import annotations

import doctest
import math
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi_helpers import data, scorecard
from kpi_helpers.cases import concepts

from conftest import ROOT


def _bank() -> pd.DataFrame:
    # three months, given out of order; February has no tickets and no NPS answers
    return pd.DataFrame({
        "month": ["2025-03", "2025-01", "2025-02"],
        "revenue": [121.0, 100.0, 110.0],
        "support_tickets": [30, 10, 0],
        "tickets_resolved_in_sla": [21, 9, 0],
        "csat_responses": [6, 4, 10],
        "csat_satisfied": [3, 3, 9],
        "nps_promoters": [2, 5, 0],
        "nps_detractors": [2, 1, 0],
        "nps_responses": [10, 10, 0],
    })


def _line() -> pd.DataFrame:
    # two steps, scrap: 100 in, 80 good -> 80 in, 60 good
    return pd.DataFrame({"step": ["Cut", "Weld"], "units_in": [100, 80], "good_first_pass": [80, 60],
                         "defective": [20, 20], "minutes": [200, 400]})


@pytest.fixture(scope="module")
def shipped() -> data.CaseData:
    return data.load_case("concepts", ROOT / "data" / "concepts")


def test_doctests():
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for name in concepts.__all__:
        obj = getattr(concepts, name)
        if not callable(obj) or isinstance(obj, type):
            continue
        for test in finder.find(obj, name, globs={"pd": pd, "np": np, **vars(concepts)}):
            runner.run(test)
    assert runner.tries > 0, "no examples found: the doctests did not run"
    assert runner.failures == 0


def test_no_plotting_or_widget_imports():
    source = Path(concepts.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|from)\s+(matplotlib|seaborn|ipywidgets|papermill)", source, re.M)
    assert not re.search(r"^\s*from\s+\.\s+import\s+.*\b(plots|widgets)\b", source, re.M)


# ------------------------------------------------------------------ the bank client
def test_bank_client_monthly_by_hand():
    m = concepts.bank_client_monthly(_bank())
    assert m["period"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert m["revenue"].tolist() == [100.0, 110.0, 121.0]
    assert math.isnan(m["mom_growth"].iloc[0])
    assert m["mom_growth"].iloc[1:].tolist() == pytest.approx([0.1, 0.1])
    # SLA: 9/10, no tickets in February (undefined), 21/30
    assert m["sla_rate"].iloc[0] == pytest.approx(0.9)
    assert math.isnan(m["sla_rate"].iloc[1])
    assert m["sla_rate"].iloc[2] == pytest.approx(0.7)
    # CSAT: 3/4, 9/10, 3/6
    assert m["csat"].tolist() == pytest.approx([0.75, 0.9, 0.5])
    # NPS: (5-1)/10*100 = 40, no answers, (2-2)/10*100 = 0
    assert m["nps"].iloc[0] == pytest.approx(40.0)
    assert math.isnan(m["nps"].iloc[1])
    assert m["nps"].iloc[2] == 0.0
    assert list(m.columns) == ["period", "revenue", "mom_growth", "support_tickets", "sla_rate",
                               "csat_responses", "csat", "nps_responses", "nps"]


def test_bank_client_totals_are_ratios_of_sums():
    t = concepts.bank_client_totals(_bank())
    assert t["revenue"] == 331.0
    assert t["cmgr"] == pytest.approx(0.1)  # 100 -> 121 in two steps
    assert t["sla_rate"] == pytest.approx(30 / 40)
    # CSAT over all 20 answers: 15/20 = 0.75, not the mean of the monthly rates (0.7167)
    assert t["csat"] == pytest.approx(15 / 20)
    assert t["nps"] == pytest.approx((7 - 3) / 20 * 100)


def test_bank_client_does_not_mutate_and_checks_columns():
    bank = _bank()
    before = bank.copy()
    concepts.bank_client_monthly(bank)
    concepts.bank_client_totals(bank)
    concepts.bank_client_kpi_table(bank, {"csat": 0.8})
    pd.testing.assert_frame_equal(bank, before)
    with pytest.raises(ValueError, match="nps_responses"):
        concepts.bank_client_monthly(bank.drop(columns=["nps_responses"]))
    with pytest.raises(TypeError):
        concepts.bank_client_totals({"month": ["2025-01"]})


def test_no_warnings_on_empty_months():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = concepts.bank_client_monthly(_bank())
    assert not np.isinf(m.select_dtypes("number").to_numpy()).any()


def test_bank_client_kpi_table():
    t = concepts.bank_client_kpi_table(_bank(), {"revenue": 105.0, "csat": 0.8, "nps": None}, account="Nordbank")
    assert list(t.columns) == scorecard.KPI_TABLE_COLUMNS
    assert set(t["scope"]) == {"account:Nordbank"}
    assert t["kpi"].drop_duplicates().tolist() == ["revenue", "mom_growth", "cmgr", "csat", "nps", "sla_rate"]
    rev = t[t["kpi"] == "revenue"].set_index("period")
    # a revenue target is monthly: not applied to the year's total
    assert math.isnan(rev.at["all", "target"]) and rev.at["all", "status"] == "no_target"
    assert rev.loc[["2025-01", "2025-02", "2025-03"], "status"].tolist() == ["off_track", "on_track", "on_track"]
    assert t[t["kpi"] == "csat"].set_index("period").at["2025-03", "status"] == "off_track"
    nps = t[t["kpi"] == "nps"]
    assert (nps["status"] == np.where(nps["value"].isna(), "not_measurable", "no_target")).all()
    sla = t[t["kpi"] == "sla_rate"].set_index("period")
    assert sla.at["all", "unit"] == "ratio"
    assert math.isnan(sla.at["2025-02", "value"]) and sla.at["2025-02", "note"]
    assert t[t["kpi"] == "mom_growth"]["period"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert t[t["kpi"] == "cmgr"]["period"].tolist() == ["all"]


def test_bank_client_kpi_table_status_of_csat():
    t = concepts.bank_client_kpi_table(_bank(), {"csat": 0.8})
    csat = t[t["kpi"] == "csat"].set_index("period")
    assert csat.at["all", "value"] == pytest.approx(0.75)
    assert csat.at["all", "status"] == "off_track"
    assert csat.loc[["2025-01", "2025-02", "2025-03"], "status"].tolist() == ["off_track", "on_track", "off_track"]


def test_shipped_bank_client_has_the_april_dip(shipped):
    m = concepts.bank_client_monthly(shipped["bank_client"]).set_index("period")
    for kpi in ("sla_rate", "csat", "nps"):
        assert m[kpi].idxmin() == "2025-04", kpi
    assert m.at["2025-04", "nps"] == 0.0  # 6 promoters, 6 detractors of 21
    t = concepts.bank_client_totals(shipped["bank_client"])
    assert t["nps"] == pytest.approx((127 - 36) / 254 * 100)


def test_account_vs_company_and_labels():
    v = concepts.account_vs_company({"csat": 0.8, "nps": 20.0, "revenue": 5.0}, {"nps": 10.0, "csat": 0.7, "x": 1.0},
                                    account="Bank", company_label="all")
    assert list(v.index) == ["nps", "csat"] and list(v.columns) == ["all", "Bank"]
    assert v.loc["csat"].tolist() == [0.7, 0.8]
    shown, units, tg = concepts.with_labels(v, {"csat": 0.85, "revenue": 1.0}, axis="index")
    assert list(shown.index) == ["NPS", "CSAT"]
    assert units == {"CSAT": "ratio", "NPS": "index"} and tg == {"CSAT": 0.85}
    with pytest.raises(ValueError):
        concepts.with_labels(v, axis="rows")


# ------------------------------------------------------------------ the manufacturer
def test_production_steps_by_hand():
    s = concepts.production_steps(_line())
    assert s["first_pass_yield"].tolist() == pytest.approx([0.8, 0.75])
    assert s["defect_free_share"].tolist() == pytest.approx([0.8, 0.75])
    assert s["minutes_per_unit"].tolist() == pytest.approx([2.0, 5.0])
    assert s["cumulative_yield"].tolist() == pytest.approx([0.8, 0.6])


def test_production_summary_by_hand():
    p = concepts.production_summary(_line())
    assert p["units_started"] == 100 and p["good_units_out"] == 60 and p["defective"] == 40
    assert p["defect_free_share"] == pytest.approx(0.6)
    assert p["rolled_throughput_yield"] == pytest.approx(0.6)
    assert p["minutes_per_good_unit"] == pytest.approx(600 / 60)
    assert p["minutes_per_unit_passed"] == pytest.approx(2.0 + 5.0)


def test_rework_separates_defect_free_share_from_rty():
    # step 1: 100 in, 80 good first time, 10 scrapped, 10 reworked and passed on -> 90 enter step 2
    line = pd.DataFrame({"step": ["A", "B"], "units_in": [100, 90], "good_first_pass": [80, 90],
                         "defective": [10, 0], "minutes": [100, 90]})
    p = concepts.production_summary(line)
    assert p["defect_free_share"] == pytest.approx(0.9)
    assert p["rolled_throughput_yield"] == pytest.approx(0.8)


def test_shipped_production_yields(shipped):
    s = concepts.production_steps(shipped["production"])
    assert s["step"].tolist() == ["Cutting", "Welding", "Painting", "Assembly"]
    assert s["first_pass_yield"].round(4).tolist() == [0.9, 0.8889, 0.9375, 0.9333]
    assert s["minutes_per_unit"].tolist() == pytest.approx([2.4, 4.5, 3.4, 4.5])
    p = concepts.production_summary(shipped["production"])
    assert p["rolled_throughput_yield"] == pytest.approx(0.7)
    assert p["defect_free_share"] == pytest.approx(0.7)
    assert p["minutes_per_good_unit"] == pytest.approx(12545 / 700)
    assert p["minutes_per_unit_passed"] == pytest.approx(14.8)
    sens = concepts.rty_sensitivity(s)
    assert sens.loc[sens["gain"].idxmax(), "step"] == "Welding"
    assert sens.set_index("step").at["Welding", "rty_if_perfect"] == pytest.approx(0.7875)


def test_zero_units_gives_nan_not_errors():
    line = pd.DataFrame({"step": ["A", "B"], "units_in": [10, 0], "good_first_pass": [0, 0],
                         "defective": [10, 0], "minutes": [5, 0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = concepts.production_steps(line)
        p = concepts.production_summary(line)
    assert s["first_pass_yield"].iloc[0] == 0.0 and math.isnan(s["first_pass_yield"].iloc[1])
    assert math.isnan(s["cumulative_yield"].iloc[1])
    assert math.isnan(p["rolled_throughput_yield"]) and math.isnan(p["minutes_per_good_unit"])
    empty = concepts.production_summary(line.iloc[:0])
    assert math.isnan(empty["defect_free_share"])


def test_rty_with():
    s = pd.DataFrame({"step": ["Cut", "Weld", "Paint"], "first_pass_yield": [0.8, 0.5, 1.0]})
    assert concepts.rty_with(s, "Weld", 1.0) == pytest.approx(0.8)
    assert concepts.rty_with(s, "Cut", 0.4) == pytest.approx(0.2)
    assert s["first_pass_yield"].tolist() == [0.8, 0.5, 1.0]
    with pytest.raises(KeyError, match="Paint"):
        concepts.rty_with(s, "Drill", 1.0)


# ------------------------------------------------------------------ SMART
def test_smart_table_and_doran():
    good = scorecard.kpi_from_catalogue("csat", target=0.85, period="monthly")
    t = concepts.smart_table({"good": good}, variant="doran")
    assert t.index.tolist() == ["Specific", "Measurable", "Assignable", "Realistic", "Time-related"]
    assert t.at["Assignable", "good"] == "❌ missing" and t.at["Realistic", "good"] == "✅ written down"


def test_smart_self_check_states():
    assert concepts.smart_self_check(None).ok is None
    assert concepts.smart_self_check("csat").ok is False
    incomplete = scorecard.KPI("repeat", "Repeat rate", "repeat buyers / buyers", "ratio", "higher")
    r = concepts.smart_self_check(incomplete)
    assert r.ok is False and "2 of 5" in r.message and "Time-bound" in r.message
    done = scorecard.KPI("repeat", "Repeat rate", "repeat buyers / buyers", "ratio", "higher", target=0.4,
                         period="quarterly", description="Goal: customers come back.")
    r = concepts.smart_self_check(done)
    assert r.ok is True and "owner" in r.message
    assert concepts.smart_self_check(done, variant="doran").ok is False
    owned = scorecard.KPI("repeat", "Repeat rate", "repeat buyers / buyers", "ratio", "higher", target=0.4,
                          period="quarterly", owner="sales lead")
    assert concepts.smart_self_check(owned, variant="doran").ok is True
    assert "owner" not in concepts.smart_self_check(owned).message


def test_catalogue_frame_and_status_pivot():
    f = concepts.catalogue_frame(["nps", "sla_rate"])
    assert list(f.columns) == ["id", "name", "formula", "unit", "direction"]
    assert f["unit"].tolist() == ["index", "ratio"]
    t = concepts.bank_client_kpi_table(_bank(), {"csat": 0.8})
    p = concepts.kpi_status_pivot(t)
    assert p.index.tolist() == ["all", "2025-01", "2025-02", "2025-03"]
    assert p.at["2025-01", "Customer satisfaction (CSAT)"] == "75.0% ✗"
    assert p.at["2025-02", "Customer satisfaction (CSAT)"] == "90.0%"
    assert p.at["all", "Month-over-month revenue growth"] == ""
    assert p.at["2025-02", "Tickets resolved within SLA"] == "n/a"
    f = concepts.format_kpi_table(t)
    assert f.loc[f["kpi"] == "sla_rate", "name"].iloc[0] == "Tickets resolved within SLA"
    assert f.loc[(f["kpi"] == "csat") & (f["period"] == "all"), "value"].iloc[0] == "75.0%"
    assert t["value"].dtype == float  # the input is not changed


# ------------------------------------------------------------------ widgets
def test_parse_target():
    from kpi_helpers.widgets import _parse_target

    assert _parse_target("") is None and _parse_target("  ") is None
    assert _parse_target("0.85") == 0.85 and _parse_target("0,85") == 0.85
    assert _parse_target("85 %") == pytest.approx(0.85)
    assert _parse_target("lots") == "lots"


def test_smart_checker_widget():
    from kpi_helpers import widgets

    w = widgets.smart_checker(scorecard.kpi_from_catalogue("csat", target=0.85, period="monthly"))
    assert w.texts["target"].value == "0.85" and w.unit.value == "ratio"
    assert bool(w.check["ok"].all()) and "5 of 5" in w.summary.value
    w.variant.value = "doran"
    assert "4 of 5" in w.summary.value and "Assignable" in w.table.value
    w.texts["owner"].value = "account manager <Kari>"
    assert "5 of 5" in w.summary.value and "&lt;Kari&gt;" in w.table.value
    w.texts["period"].value = ""
    assert not w.check.set_index("criterion").at["Time-related", "ok"]
    w.unit.value = "(none)"
    assert w.kpi.unit == "" and not w.check.set_index("criterion").at["Measurable", "ok"]
    with pytest.raises(ValueError):
        widgets.smart_checker(variant="x")
    empty = widgets.smart_checker()
    assert "0 of 5" in empty.summary.value


def test_yield_explorer_widget(shipped):
    from kpi_helpers import widgets

    steps = concepts.production_steps(shipped["production"])
    w = widgets.yield_explorer(steps, step="Welding")
    assert w.rty == pytest.approx(0.7) and w.png.startswith(b"\x89PNG")
    w.slider.value = 1.0
    assert w.rty == pytest.approx(0.7875)
    assert w.frame["share still good"].iloc[-1] == pytest.approx(0.7875)
    w.dropdown.value = "Cutting"
    assert w.slider.value == pytest.approx(0.9) and w.rty == pytest.approx(0.7)
    assert steps["first_pass_yield"].round(4).tolist() == [0.9, 0.8889, 0.9375, 0.9333]
    with pytest.raises(ValueError):
        widgets.yield_explorer(steps.iloc[:0])


def test_concepts_sits_beside_the_cases_but_is_no_case():
    from kpi_helpers import cases

    assert "concepts" not in cases.CASES and "concepts" not in cases.CASE_MODULES
    assert cases.concepts is concepts and concepts.__name__ == "kpi_helpers.cases.concepts"
    assert "concepts" in dir(cases) and "concepts" in cases.__all__
