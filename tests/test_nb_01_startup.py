"""The Bokmål edition of notebook 01: the startup's narrative helpers, its plots and widgets in Bokmål.

One test per helper: with ``i18n.using("nb")`` the text is Bokmål (a known word) and its numbers are
Norwegian-formatted (decimal comma, ``%`` after a space, ``kr`` before the amount, month names).
The English words are checked by the other tests (and the English notebook's stored outputs).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from kpi_helpers import cases, data, display, i18n, plots, widgets

STARTUP = Path(__file__).resolve().parents[1] / "data" / "startup"


def _plain(text: str) -> str:
    """Bokmål numbers use no-break spaces ("48,0\xa0%", "kr\xa023,8\xa0mill."): compare with plain ones."""
    return text.replace("\xa0", " ").replace("\u2212", "-")


@pytest.fixture(scope="module")
def run():
    case = data.load_case("startup", STARTUP)
    result = cases.analyse("startup", case)
    a, _ = cases.startup.key_pair(result)
    return result, cases.startup.scenario_without(result, a)


def test_largest_share_text_nb(run):
    result, _ = run
    a, _ = cases.startup.key_pair(result)
    with i18n.using("nb"):
        text = _plain(cases.startup.largest_share_text(result.frames["revenue_by_month"], a, runner_up_share=0.114))
    assert text.startswith("Over hele perioden sto **Aurora Shipping AS** for **48,0 %** av inntekten")
    assert "(den nest største kunden står for 11,4 %)" in text
    assert "Per år: 2024: 60,1 % (mer enn halvparten i 12 av 12 måneder)" in text


def test_key_pair_text_nb(run):
    result, _ = run
    with i18n.using("nb"):
        text = _plain(cases.startup.key_pair_text(result, threshold=0.1))
    assert text.startswith("I denne notatboken er **kunde A** **Aurora Shipping AS**: den største kunden")
    assert "en storkunde (48,0 % av inntekten over hele perioden, minst 10,0 %)" in text
    assert "strategisk verdi 5 av 5, vekstpotensial 5 av 5, engasjement 5 av 5" in text
    assert "Bs inntekt *vokste* med 11,41 % i måneden (CMGR)" in text


def test_scenario_text_nb(run):
    _, scenario = run
    with i18n.using("nb"):
        text = _plain(cases.startup.scenario_text(scenario))
    assert "- **Inntekten** over perioden faller fra kr 23,8 mill. til kr 12,4 mill. (-48,0 %)" in text
    assert "**Veksten** øker: CMGR 3,0 % med A, 6,5 % uten" in text
    assert "HHI 2 539 (sterkt konsentrert) blir 878 (ikke konsentrert)" in text


def test_summary_text_nb(run):
    result, scenario = run
    with i18n.using("nb"):
        text = _plain(cases.startup.summary_text(result, scenario))
    assert "- **KPI-en** gjelder hele selskapet: CMGR mot målet er **2,998 % mot 3,000 %** (ikke i rute)" in text
    assert "13 av 23 måneder nådde MoM-målet" in text
    assert "*andelen* av inntekten er 11,38 %" in text


def test_growth_summary_nb(run):
    result, _ = run
    with i18n.using("nb"):
        text = _plain(cases.startup.growth_summary(result))
    assert "- **CMGR** over 23 månedssteg (januar 2024 til desember 2025), mot målet: **2,998 % mot 3,000 %**" in text
    assert "gjennomsnittet av de månedlige ratene** er 3,8 %" in text
    assert "- **13 av 23** måneder nådde MoM-målet på 3,0 %." in text


def test_concentration_title_nb(run):
    result, _ = run
    with i18n.using("nb"):
        title = _plain(cases.startup.concentration_title(result.frames["pareto"]))
    assert title == "8 av 27 kunder (29,6 %) står for 80,8 % av inntekten (ABC-klasse A)"
    # English: the words of display.abc_title, the Pareto chart's default title
    from kpi_helpers import accounts, display
    assert cases.startup.concentration_title(result.frames["pareto"]) == \
        display.abc_title(*accounts.abc_a_summary(result.frames["pareto"]))


def test_words_of_bands_quadrants_criteria_and_notes_nb():
    with i18n.using("nb"):
        assert display.hhi_band_text("highly concentrated") == "sterkt konsentrert"
        assert display.hhi_band_text("n/a") == "i.a."
        assert display.quadrant_text("key account") == "nøkkelkunde"
        assert display.label("revenue_growth") == "inntektsvekst"
        assert display.label("strategic_value") == "strategisk verdi"
        assert display.note_text("partial month; no customer with revenue > 0 in this month") == \
            "delvis måned; ingen kunde med inntekt > 0 denne måneden"
    assert display.hhi_band_text("highly concentrated") == "highly concentrated"
    assert display.note_text("partial month") == "partial month"


def test_analysis_notes_nb(tmp_path):
    folder = tmp_path / "startup"
    folder.mkdir()
    shutil.copy(STARTUP / "invoices.csv", folder / "invoices.csv")  # no customers.csv
    with i18n.using("nb"):
        result = cases.analyse("startup", data.load_case("startup", folder))
    assert result.notes[0].startswith("Ingen kundetabell: scoren bruker bare inntektsandel og vekst")


def test_trend_plots_nb():
    m = pd.DataFrame({"A": [5.0, 6.0, 7.0], "B": [1.0, 2.0, 3.0], "C": [1.0, 1.0, 1.0], "D": [0.5, 0.5, 0.5]},
                     index=pd.Index(["2025-01", "2025-02", "2025-03"], name="period"))
    with i18n.using("nb"):
        ax = plots.stacked_area_by_account(m, highlight=["A"], top=2, partial=[False, False, True])
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert "Andre" in legend and "delvis måned (ufullstendige data)" in legend
        assert ax.get_legend().get_title().get_text() == "kunde"
        assert ax.get_ylabel() == "inntekt (kr)" and ax.get_xlabel() == "periode"
        assert ax.get_title() == "Inntekt per kunde"
        monthly = pd.DataFrame({"period": ["2025-01", "2025-02"], "mom_growth": [0.01, 0.02]})
        ax2 = plots.line_with_target(monthly, "period", "mom_growth", target=0.03, unit="ratio")
        assert ax2.get_title() == "Månedlig vekst per periode"
        assert _plain(ax2.get_legend().get_texts()[-1].get_text()) == "mål 3,0 %"
    plt.close("all")


def test_widgets_nb():
    features = pd.DataFrame({"revenue": [60.0, 30.0, 10.0], "revenue_share": [0.6, 0.3, 0.1],
                             "revenue_growth": [0.0, 0.3, 0.1], "strategic_value": [2, 5, 1],
                             "growth_potential": [2, 5, 1], "engagement": [3, 5, 1]},
                            index=pd.Index(["A", "B", "C"], name="customer"))
    monthly = pd.DataFrame({"period": ["2025-01", "2025-02", "2025-03"], "partial": [False, False, True],
                            "mom_growth": [0.01, 0.05, 0.04], "revenue": [1e5, 1.2e5, 0.4e5],
                            "open_days": [26.0, 24.0, 10.0]})
    with i18n.using("nb"):
        box = widgets.key_account_explorer(features, top=3)
        assert box.sliders["revenue_share"].description == "inntektsandel"
        assert box.sliders["revenue_growth"].description == "inntektsvekst"
        assert box.key_label.value == "Nøkkelkunder: B, A, C (høyest score: B)"  # C: 10 % is a major share
        assert "<th style=\"text-align:right\">rangering</th>" in box.table_html and ">kunde</th>" in box.table_html
        target = widgets.target_explorer(monthly, "period", "mom_growth", initial_target=0.03)
        assert target.slider.description == "mål"
        assert _plain(target.summary.value) == "1 av 2 perioder når målet 3,0 % (delvise måneder telles ikke)"
        rev = widgets.revpash_explorer(monthly, seats=40, hours=6.5)
        assert rev.slider.description == "åpningstimer/dag"
        assert _plain(rev.summary.value).startswith("RevPASH over hele perioden med 6,5 åpningstimer om dagen: kr ")
        table = pd.DataFrame({"csat": [0.8, 0.9]}, index=["all", "Kunde AS"])
        comp = widgets.client_comparison_explorer(table, units={"csat": "ratio"})
        assert comp.dropdown.description == "klient"
        assert _plain(comp.summary.value).count("(hele firmaet 80,0 %)") == 1
    assert np.isfinite(rev.revpash)
    plt.close("all")
