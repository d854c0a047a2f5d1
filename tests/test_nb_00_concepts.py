"""The Bokmål edition of 00_concepts: every narrative helper it calls writes Bokmål with Norwegian numbers.

One test per helper: inside ``i18n.using("nb")`` the text has a known Bokmål word and its numbers are
formatted the Norwegian way (decimal comma, no-break space before %, ``kr 1 234``, U+2212 minus);
outside it the same call is English (the language now is restored).
"""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from conftest import ROOT

from kpi_helpers import data, i18n, kpis, lessons, plots, scorecard, widgets
from kpi_helpers.cases import concepts

NB = i18n.using


def _plain(text: str) -> str:
    """No-break spaces as spaces, so the assertions read naturally."""
    return str(text).replace("\xa0", " ")


@pytest.fixture(scope="module")
def shipped() -> data.CaseData:
    return data.load_case("concepts", ROOT / "data" / "concepts")


@pytest.fixture(scope="module")
def monthly(shipped) -> pd.DataFrame:
    return concepts.bank_client_monthly(shipped["bank_client"])


# ------------------------------------------------------------------ the concept check (exercise 2)
def test_concept_check_in_bokmal_items_choices_and_feedback():
    model = {k: v[0] for k, v in lessons.CONCEPT_ITEMS.items()}
    with NB("nb"):
        keyed = {i18n.tr(k): i18n.tr(v) for k, v in model.items()}  # what the nb notebook's solution builds
        assert "nøkkelkunde" in keyed.values() and "ingen av delene" in keyed.values()
        r = lessons.check_key_account_or_kpi(keyed, variable="answer_2")
        assert r.ok is True and r.message.startswith("Alle 20 riktige.")
        assert "*oppstartsselskapets kunde A*: Riktig: nøkkelkunde." in r.message
        assert "*bankklientens kontoadministrator (kundeansvarlig)*: Riktig: ingen av delene." in r.message
        # English keys and English choices are understood in the Bokmål edition too
        r = lessons.check_key_account_or_kpi({"the restaurant's VIP guest": "key account",
                                              i18n.tr("average customer rating"): "nøkkelkunde"})
        assert r.ok is False and r.message.startswith("2 av 20 besvart, 1 riktige så langt.")
        assert "Ikke helt: svaret er KPI, ikke nøkkelkunde." in r.message
        assert lessons.check_key_account_or_kpi(None).message.startswith("Ingen svar ennå")
        assert "er ikke ett av elementene" in lessons.check_key_account_or_kpi({"en skrivefeil": "KPI"}).message
    assert lessons.check_key_account_or_kpi(None).message.startswith("No answers yet")


def test_check_above_below_in_bokmal():
    with NB("nb"):
        r = lessons.check_above_below("over", 0.885, 0.88, unit="ratio", what="SLA-andelen", reference_name="selskapets",
                                      variable="answer_3_decision")
        assert r.ok is True
        assert _plain(r.message) == "Riktig: over. SLA-andelen er 88,5 %, mot selskapets 88,0 %."
        assert lessons.check_above_below("below", 0.885, 0.88, unit="ratio", what="x", reference_name="y",
                                         variable="v").ok is False  # English choice understood, and wrong


# ------------------------------------------------------------------ tables
def test_kpi_definitions_in_bokmal():
    with NB("nb"):
        t = lessons.kpi_definitions({"csat": "kundetilfredshet", "nps": "kundelojalitet"})
        assert t.columns.tolist() == ["type", "id", "navn", "formel", "enhet", "udefinert når"]
        assert t.loc[0, "navn"] == "Kundetilfredshet (CSAT)"
        assert "fornøyde svar" in t.loc[0, "formel"] and "indeks" in t.loc[1, "enhet"]
        # every KPI the notebook defines has a Bokmål definition (the docstrings are messages)
        ids = ["revenue", "mom_growth", "csat", "nps", "utilization", "avg_time_per_unit", "defect_free_share",
               "first_pass_yield", "rolled_throughput_yield"]
        shown = lessons.kpi_definitions(ids)
    english = lessons.kpi_definitions(ids)
    for col_nb, col_en in (("formel", "formula"), ("udefinert når", "undefined when")):
        same = shown[col_nb] == english[col_en]
        assert not same.any(), english.loc[same, col_en].tolist()


def test_smart_limits_and_smart_check_in_bokmal():
    with NB("nb"):
        limits = lessons.smart_limits()
        check = scorecard.smart_check(scorecard.KPI("x", "X", "", "", "higher"))
        reasons = concepts.smart_reasons("csat", variant="doran")
    assert limits.columns.tolist() == ["kriterium", "smart_check ser", "bare mennesker kan vurdere"]
    assert limits["kriterium"].tolist() == check["criterion"].tolist() == [
        "Spesifikk", "Målbar", "Oppnåelig", "Relevant", "Tidsbundet"]
    assert check["reason"].iloc[2].startswith("Ikke noe mål")
    assert reasons.columns.tolist() == ["kriterium", "ok", "begrunnelse"]
    assert reasons["kriterium"].tolist()[2] == "Tildelbar"


def test_smart_table_and_self_check_in_bokmal():
    good = scorecard.kpi_from_catalogue("csat", target=0.85, period="monthly", owner="kundeansvarlig")
    with NB("nb"):
        table = concepts.smart_table({"god": good, "vag": scorecard.KPI("h", "Flere fornøyde kunder", "", "", "higher")})
        assert table.index.name == "kriterium" and set(table["god"]) == {"✅ skrevet ned"}
        assert set(table["vag"]) == {"❌ mangler"}
        assert concepts.smart_self_check(good).message.startswith("Alle 5 SMART-delene er skrevet ned for")
        missing = concepts.smart_self_check(scorecard.kpi_from_catalogue("csat"))
        assert missing.message.startswith("Ikke ennå: 3 av 5 deler er skrevet ned.")


def test_kpi_status_pivot_and_kpi_table_in_bokmal(shipped):
    table = concepts.bank_client_kpi_table(shipped["bank_client"], {"csat": 0.85, "revenue": 1.2e6})
    with NB("nb"):
        pivot = concepts.kpi_status_pivot(table)
        shown = concepts.translated(concepts.format_kpi_table(table))
    assert pivot.index.name == "periode" and "Saker løst innenfor SLA" in pivot.columns
    assert _plain(pivot.loc["all", "Inntekt"]) == "kr 14 914 109"
    assert _plain(pivot.loc["2025-04", "Kundetilfredshet (CSAT)"]) == "58,3 % ✗"
    assert {"navn", "verdi", "enhet", "merknad"} <= set(shown.columns)
    assert "valuta" in set(shown["enhet"]) and shown["merknad"].str.startswith("målet gjelder per måned").any()
    assert "note" in concepts.format_kpi_table(table).columns  # English (and the data) unchanged


def test_translated_steps_and_headers(shipped):
    steps = concepts.production_steps(shipped["production"])
    with NB("nb"):
        kept = concepts.translated(steps, headers=False)
        sens = concepts.translated(concepts.rty_sensitivity(steps))
        labels = concepts.bank_kpis()
    assert kept.columns.tolist() == steps.columns.tolist()
    assert kept["step"].tolist() == ["Kapping", "Sveising", "Lakkering", "Montering"]
    assert sens.columns.tolist()[:2] == ["trinn", "andel feilfri første gang"]
    assert labels["sla_rate"] == ("Saker innenfor SLA", "ratio") and labels["revenue"][0] == "Inntekt"
    assert concepts.translated(steps).equals(steps)  # English: the same table


# ------------------------------------------------------------------ sentences about the bank client
def test_bank_client_overview_in_bokmal(shipped, monthly):
    with NB("nb"):
        text = lessons.bank_client_overview(shipped["bank_client"], monthly)
    assert text == "12 måneder med bankklienten, 2025-01 til 2025-12; 657 supportsaker, 356 CSAT- og 254 NPS-svar."


def test_target_pattern_in_bokmal(monthly):
    with NB("nb"):
        text = _plain(lessons.target_pattern_markdown(monthly, {"revenue": 1.2e6, "csat": 0.85},
                                                      concepts.bank_kpis()))
        one = lessons.target_pattern_text(pd.DataFrame({"period": ["2025-01"], "x": [0.5]}), "x", 0.9,
                                          label="X", unit="ratio")
    assert text.startswith("- Inntekt nådde målet sitt på kr 1 200 000 i 8 av 12 måneder: under det 2025-01 til 2025-04")
    assert "Verste måned 2025-04 (58,3 %); siste måned 2025-12 (96,0 %), på mål." in text
    assert _plain(one).startswith("X bommet på målet sitt på 90,0 % i sin eneste måned.")


def test_trend_title_in_bokmal(monthly):
    with NB("nb"):
        title = lessons.trend_title(monthly, {"csat": 0.85, "nps": 30.0}, {"csat": "CSAT", "nps": "NPS"})
    assert title == "Bankklienten, 2025-01 til 2025-12\nmåneder på eller over målet: CSAT 7 av 12, NPS 9 av 12"


def test_worst_month_and_revenue_change_in_bokmal(shipped, monthly):
    with NB("nb"):
        worst = _plain(lessons.worst_month_text(shipped["bank_client"], monthly, "2025-04"))
        change = _plain(lessons.revenue_change_text(monthly, "2025-04"))
    assert worst.startswith("I 2025-04 opprettet klienten 84 supportsaker (flest av alle måneder; median 53); "
                            "64,3 % av dem ble løst innenfor SLA.")
    assert "NPS 0,0 (6 promotører, 6 kritikere av 21 svar)" in worst
    assert change.startswith("Inntekt i 2025-04: kr 1 111 382, \u22122,2 % fra måneden før; 84 supportsaker")
    assert "2025-10 (\u22128,6 %, 45 supportsaker)" in change and "kontraktsvilkår" in change


def test_after_month_text_in_bokmal(monthly):
    with NB("nb"):
        text = lessons.after_month_text(monthly, {"revenue": 1.2e6, "sla_rate": 0.9}, concepts.bank_kpis(), "2025-04")
    assert text == ("Etter 2025-04: Inntekt på eller over målet i alle 8 månedene; Saker innenfor SLA på eller over "
                    "målet i 5 av 8 måneder, og i hver måned fra og med 2025-08.")


def test_account_vs_company_text_in_bokmal(shipped):
    totals = concepts.bank_client_totals(shipped["bank_client"])
    with NB("nb"):
        versus = concepts.account_vs_company(totals, {"sla_rate": 0.88, "csat": 0.80, "nps": 28.0},
                                             account=i18n.tr("bank client"))
        labels = {k: label for k, (label, _) in concepts.bank_kpis().items()}
        units = {k: unit for k, (_, unit) in concepts.bank_kpis().items()}
        text = _plain(lessons.account_vs_company_text(versus, labels=labels, units=units))
    assert versus.columns.tolist() == ["hele selskapet", "bankklienten"]
    assert text == ("Bankklienten er bedre enn hele selskapet på CSAT (82,3 % mot 80,0 %) og NPS (35,8 mot 28,0) "
                    "og dårligere på Saker innenfor SLA (85,4 % mot 88,0 %).")


def test_line_summary_in_bokmal(shipped):
    steps = concepts.production_steps(shipped["production"])
    line = concepts.production_summary(shipped["production"])
    with NB("nb"):
        text = _plain(lessons.line_summary_markdown(steps, line))
    assert "- påbegynte enheter: 1 000; gode enheter ut: 700" in text
    assert "- andel uten feil: 1 - 300 / 1 000 = 70,0 %" in text
    assert "12 545 minutter / 700 gode enheter = 17,92 minutter" in text
    assert "RTY er lik andelen uten feil her" in text
    assert not math.isnan(kpis.rolled_throughput_yield(steps["first_pass_yield"]))


# ------------------------------------------------------------------ figures and widgets
def test_compare_account_vs_all_in_bokmal():
    values = pd.DataFrame({"hele selskapet": [0.8], "bankklienten": [0.82]}, index=["CSAT"])
    with NB("nb"):
        fig = plots.compare_account_vs_all(values, units={"CSAT": "ratio"}, targets={"CSAT": 0.85})
    try:
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        assert legend == ["hele selskapet", "bankklienten", "mål"]
        assert fig.get_suptitle() == "bankklienten mot alle kunder"
        assert _plain(fig.axes[0].get_title()) == "CSAT\n(mål 85,0 %)"
    finally:
        plt.close(fig)


def test_share_bar_and_portfolio_in_bokmal():
    revenue = pd.Series([50.0, 30.0, 20.0], index=pd.Index(["A", "B", "C"], name="customer"))
    with NB("nb"):
        ax = plots.share_bar(revenue, threshold=0.25, highlight="A")
        texts = [t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else []
        title = ax.get_title()
        plt.close(ax.figure)
        portfolio = pd.DataFrame({"attractiveness": [0.8, 0.2], "strength": [0.7, 0.3]}, index=["A", "B"])
        ax2 = plots.portfolio_chart(portfolio, highlight="A")
        quadrants = {t.get_text() for t in ax2.texts}
        plt.close(ax2.figure)
    assert title == "Andel av inntekten per kunde"
    assert any(_plain(t) == "storkunde: 25 % eller mer" for t in texts), texts
    assert {"nøkkelkunde", "utvikle", "vedlikeholde", "effektivisere"} <= quadrants


def test_smart_checker_and_yield_explorer_in_bokmal(shipped):
    steps = concepts.production_steps(shipped["production"])
    with NB("nb"):
        checker = widgets.smart_checker(scorecard.kpi_from_catalogue("csat", target=0.85, period="monthly"))
        explorer = widgets.yield_explorer(steps, step="Welding")
    assert checker.summary.value.startswith("<b>✅ 5 av 5 deler skrevet ned</b>")
    assert checker.texts["owner"].description == "eier" and "Spesifikk" in checker.table.value
    assert _plain(explorer.summary.value).startswith("Samlet gjennomløpsutbytte: <b>70,0 %</b> med Sveising på 88,9 %")
    assert explorer.dropdown.value == "Welding" and ("Sveising", "Welding") in explorer.dropdown.options
    assert explorer.frame.index.name == "trinn"
