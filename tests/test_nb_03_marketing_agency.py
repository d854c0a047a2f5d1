"""The Bokmål edition of notebook 03: the marketing-agency helpers write Bokmål with ``lang="nb"``.

One test per narrative helper: with ``i18n.using("nb")`` the text has a known Bokmål word and its
numbers in the Norwegian style (decimal comma, no-break space before ``%``, ``kr`` before amounts,
months as "januar 2025"); the English text is unchanged (the doctests of the module).
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from kpi_helpers import display, i18n, plots  # noqa: E402
from kpi_helpers.cases import marketing_agency as ma  # noqa: E402

NBSP = "\xa0"


def _plain(text: str) -> str:
    """Bokmål numbers use no-break spaces (``82,3\xa0%``); tests read them as spaces."""
    return text.replace(NBSP, " ")


def _key_table(major: bool = True, score: float = float("nan")) -> pd.DataFrame:
    return pd.DataFrame({"share": [0.536], "score": [score], "largest": [True], "major": [major],
                         "best_scored": [False]}, index=["Fjordline"])


BY_CLIENT = pd.DataFrame({"spend_share": [0.536, 0.153, 0.311]}, index=["Fjordline", "Polar", "Vestkyst"])


def test_key_account_choice_text_in_bokmal():
    with i18n.using("nb"):
        text = _plain(ma.key_account_choice_text(_key_table(), BY_CLIENT, 0.25, "Fjordline"))
        none = ma.key_account_choice_text(None, BY_CLIENT, 0.25, "Fjordline")
        two = _plain(ma.key_account_choice_text(pd.concat([_key_table(), _key_table().rename(index={"Fjordline": "Vestkyst"})]),
                                                BY_CLIENT, 0.25, "Fjordline"))
    assert text.startswith("Regelen valgte én klient, **Fjordline**: den største klienten, med 53,6 % av")
    assert "terskelen på 25,0 %" in text and "nøkkelkunden" in text and "Polar, har 15,3 %" in text
    assert "flerkriteriescore" in text
    assert none.startswith("Regelen valgte ingen klient")
    assert two.startswith("Regelen valgte 2 klienter: **Fjordline** (53,6 %), **Vestkyst** (31,1 %).")


def _kpi_table() -> pd.DataFrame:
    periods = ["2025-01", "2025-02", "2025-03", "all"]
    return pd.DataFrame({"kpi": ["cpa"] * 4, "scope": ["all"] * 4, "period": periods,
                         "status": ["off_track", "on_track", "not_measurable", "on_track"], "target": [400.0] * 4})


def test_months_against_target_text_in_bokmal():
    with i18n.using("nb"):
        text = _plain(ma.months_against_target_text(_kpi_table(), "cpa", "all", i18n.tr("The agency"), "CPA"))
        none = ma.months_against_target_text(_kpi_table(), "cpa", "account:X", "X", "CPA")
    assert text == ("Byrået: CPA over målet på kr 400 i **1 av 3 måneder** (januar 2025); "
                    "1 måned uten vurdering (ingen aktivitet eller ikke noe mål).")
    assert none == "X: ingen månedlig CPA i KPI-tabellen."


def test_mix_adjusted_text_in_bokmal():
    c = pd.DataFrame({"mix": [0.2, 0.8], "alle klienter": [0.04, 0.01]}, index=["Search", "Display"])
    with i18n.using("nb"):
        text = _plain(ma.mix_adjusted_text(c, 0.015, 0.025, "K"))
    assert "ville K hatt en CTR på **1,60 %**" in text and "byråets **2,50 %**" in text
    assert "80,0 % av volumet ligger i Display" in text and "Kanalmiksen forklarer 90 % av avstanden" in text


def test_mean_of_rates_text_in_bokmal():
    g = pd.DataFrame({"clicks": [1, 10], "impressions": [10, 1000]}, index=["small", "big"])
    ros = ma.mean_of_rates_vs_ratio_of_sums(g, "clicks", "impressions")
    with i18n.using("nb"):
        text = _plain(ma.mean_of_rates_text(ros))
    assert text.startswith("Det enkle gjennomsnittet av de 2 CTR-verdiene per kampanje er **5,50 %**")
    assert "1/2 = 50,0 %" in text and "av alle visninger" in text


def test_largest_client_weight_text_in_bokmal():
    with i18n.using("nb"):
        near_client = _plain(ma.largest_client_weight_text("K", 0.59, 0.0064, 0.0046, 0.0091))
        near_others = ma.largest_client_weight_text("K", 0.4, 0.0064, 0.0046, 0.0091)
    assert near_client.startswith("K kjøpte 59 % av alle visningene, så byråets CTR (0,64 %)")
    assert "ligger nærmere K." in near_client
    assert "ligger nærmere de andre klientene." in near_others


def test_case_summary_text_in_bokmal():
    ov = pd.DataFrame({"spend_share": [0.536], "campaigns": [6]}, index=["K"])
    tot = pd.Series({"ctr": 0.0064, "cpa": 316.2, "roas": 9.17})
    vs = pd.DataFrame({"K": [0.0046, 462.0, 9.12]}, index=["ctr", "cpa", "roas"])
    ros = {"mean_of_rates": 0.0161, "ratio_of_sums": 0.0064}
    with i18n.using("nb"):
        lines = _plain(ma.case_summary_text("K", ov, tot, vs, {"ctr": "ikke i rute"}, ros, 6)).splitlines()
    assert lines[0] == "- **Nøkkelkunde** (nøkkelkunderegelens valg): K, 53,6 % av de forvaltede annonsekostnadene og 6 kampanjer."
    assert lines[1] == "- **Byråets KPI-er:** CTR 0,64 % (ikke i rute), CPA kr 316 (uten mål), ROAS 9,2x (uten mål)."
    assert lines[3] == "- **Forhold mellom summer:** gjennomsnittet av kampanjenes CTR (1,61 %) er 2,5 ganger byråets CTR (0,64 %)."
    assert lines[4] == "- **Udefinerte verdier:** 6 rader uten konverteringer har CPA i.a., aldri uendelig."


def test_data_text_in_bokmal():
    m = pd.DataFrame({"period": ["2025-01", "2025-02"], "partial": [False, True]})
    d = pd.DataFrame({"client": ["A", "B"] * 600, "campaign": ["a", "b"] * 600, "channel": ["Search"] * 1200})
    with i18n.using("nb"):
        text = _plain(ma.data_text(m, d, "data"))
    assert text == ("**Dataene:** `data`: 2 måneder, januar 2025 til februar 2025 (1 ufullstendig), "
                    "1 200 rader med daglig statistikk, 2 klienter, 2 kampanjer, 1 kanal.")


def test_months_on_target_text_in_bokmal():
    t = pd.DataFrame({"kpi": ["ctr", "ctr"], "scope": ["all"] * 2, "period": ["2025-01", "2025-02"],
                      "status": ["on_track", "off_track"]})
    with i18n.using("nb"):
        assert ma.months_on_target_text(t) == "**Måneder i rute:** CTR 1 av 2."
        assert ma.months_on_target_text(t.iloc[:0]) == "**Måneder i rute:** ingen KPI har et mål."


def test_format_ad_frame_headers_and_values_in_bokmal():
    f = pd.DataFrame({"spend": [1234.5], "spend_share": [0.25], "ctr": [0.0123], "cpa": [np.nan], "roas": [9.17]},
                     index=pd.Index(["A"], name="client"))
    with i18n.using("nb"):
        shown = ma.format_ad_frame(f)
    english = ma.format_ad_frame(f)
    assert list(shown.columns) == ["kostnad", "andel av kostnad", "CTR", "CPA", "ROAS"]
    assert shown.index.name == "klient"
    assert [_plain(v) for v in shown.iloc[0]] == ["kr 1 234", "25,0 %", "1,23 %", "i.a.", "9,2x"]
    assert list(english.columns) == ["spend", "spend_share", "ctr", "cpa", "roas"] and english.index.name == "client"


def test_note_text_and_default_labels_in_bokmal():
    with i18n.using("nb"):
        assert display.note_text("partial month; no activity this month") == "delvis måned; ingen aktivitet denne måneden"
        assert display.note_text("something else") == "something else" and display.note_text(None) == ""
        bc = pd.DataFrame({"impressions": [1000, 1000], "clicks": [10, 30], "conversions": [1, 3],
                           "spend": [100.0, 100.0]}, index=["K", "O"])
        assert list(ma.account_vs_all(bc, ["K"]).columns) == ["alle klienter", "K", "alle andre klienter"]
    assert list(ma.account_vs_all(bc, ["K"]).columns) == ["all clients", "K", "all other clients"]


def test_run_notes_in_bokmal():
    with i18n.using("nb"):
        assert i18n.tr("No channel column: the channel breakdown is skipped.").startswith("Ingen kolonne channel")


def test_category_plots_default_texts_in_bokmal():
    s = pd.Series([5.0, 4.0, 3.0, 2.0], index=pd.Index(["a", "b", "c", "d"], name="client"), name="spend")
    with i18n.using("nb"):
        ax = plots.bar_by_category(s, top=2, partial=[False, True, False, False])
        title, ylabel = ax.get_title(), ax.get_ylabel()
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        hm = plots.heatmap(pd.DataFrame([[1.0, 2.0]]), unit="days")
        hm_labels = (hm.get_xlabel(), hm.get_ylabel())
        cells = [t.get_text() for t in hm.texts]
    plt.close("all")
    assert title == "Kostnad etter klient" and ylabel == "klient (topp 2 av 4; resten i Andre)"
    assert "delvis måned (ufullstendige data)" in legend
    assert hm_labels == ("kolonne", "rad") and not any("dager" in c for c in cells)


def test_ratio_of_sums_vs_mean_in_bokmal():
    g = pd.DataFrame({"clicks": [1, 10], "impressions": [10, 1000]}, index=pd.Index(["s", "b"], name="campaign"))
    with i18n.using("nb"):
        ax = plots.ratio_of_sums_vs_mean(g, "clicks", "impressions", rate_name="CTR")
        ticks = [t.get_text() for t in ax.get_xticklabels()]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close("all")
    assert ticks == ["gjennomsnitt av 2\nrater per kampanje\n(misvisende)", "forhold mellom summer\n(KPI-en)"]
    assert legend == ["CTR for én kampanje"]


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_every_message_of_the_module_has_a_bokmal_entry(lang):
    # the display headers: every column id has a header in both languages, and none is empty
    with i18n.using(lang):
        headers = ma._headers()
    assert all(headers.values())
    if lang == "en":
        assert all(k == v for k, v in headers.items())
    else:
        assert headers["spend_share"] == "andel av kostnad" and headers["ctr"] == "CTR"
