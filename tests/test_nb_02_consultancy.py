"""The Bokmål edition of notebook 02 (consultancy): its sentences, table words and figure texts in Bokmål.

One test per narrative helper: with ``i18n.using("nb")`` the text is Bokmål (a known word) and its
numbers are Norwegian (decimal comma, no-break space before ``%`` and as thousands separator, ``kr``
before amounts, month names). The English text of the same helpers is tested in
``tests/test_cases_consultancy.py`` and by the English notebook's committed outputs.
"""
from __future__ import annotations

import io
import json
import string
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from kpi_helpers import cases, data, display, i18n, plots

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
NB = "\xa0"  # Bokmål's thousands separator and the space before % and after kr


@pytest.fixture(scope="module")
def run():
    case_data = data.load_case("consultancy", ROOT / "data" / "consultancy")
    result = cases.analyse("consultancy", case_data)
    timing = cases.consultancy.completion_time_summary(result.frames["projects"], case_data.date_range[1])
    staff = cases.consultancy.headcount(result, case_data["consultants"])
    return result, timing, staff, case_data.date_range[1]


def nb(fn, *args, **kwargs) -> str:
    with i18n.using("nb"):
        return fn(*args, **kwargs)


def test_followed_account_text_nb(run):
    text = nb(cases.consultancy.followed_account_text, run[0])
    assert "Denne notatboken følger **Nordic Global Industries ASA**" in text
    assert f"35,6{NB}%" in text and "3,0 ganger" in text
    assert "Sparebanken Fjord og Norrøn Forsikring ASA" in text  # the language's "and"


def test_relationship_text_nb(run):
    text = nb(cases.consultancy.relationship_text, run[0], "Nordic Global Industries ASA")
    assert "prosjekter" in text and "konsulentene" in text
    assert "januar 2024 til desember 2025" in text and "oktober 2023" in text


def test_revenue_per_consultant_text_nb(run):
    result, _, staff, _ = run
    text = nb(cases.consultancy.revenue_per_consultant_text, result, staff)
    assert "**Per måned**" in text and "per konsulent" in text
    assert f"kr{NB}2,25{NB}mill." in text and "14,3" in text and "365,25 dager" in text and "juli 2024" in text
    assert "mill.." not in text


def test_share_intervals_nb(run):
    table = nb(cases.consultancy.share_intervals, run[0], "csat", minimum=10)
    assert table.index[0] == "hele firmaet"
    assert "Sparebanken Fjord (for få)" in table.index


def test_client_vs_others_text_nb(run):
    comparison = cases.consultancy.client_vs_others(run[0], "Nordic Global Industries ASA", "csat")
    text = nb(cases.consultancy.client_vs_others_text, comparison)
    assert "**De andre klientene samlet**" in text and "svar ga 4 eller 5" in text
    assert f"64,5{NB}%" in text and f"95{NB}%-intervall" in text and "\u22125,4 prosentpoeng" in text
    on_time = cases.consultancy.client_vs_others(run[0], "Nordic Global Industries ASA", "on_time_rate")
    assert "avsluttede prosjekter i tide" in nb(cases.consultancy.client_vs_others_text, on_time)


def test_monthly_statuses_text_nb(run):
    text = nb(cases.consultancy.monthly_statuses_text, run[0], min_responses=10, min_finished_projects=3)
    assert text.startswith("Månedlige statuser: CSAT: 17 av 24 måneder har *for lite data*")
    assert "*ikke målbar*" in text and "*For lite data* er ingen dom" in text


def test_data_text_nb(run):
    text = nb(cases.consultancy.data_text, run[0], "data")
    assert f"8{NB}808 timelisterader" in text and "januar 2024 til desember 2025" in text


def test_revenue_text_nb(run):
    text = nb(cases.consultancy.revenue_text, run[0])
    assert text.startswith(f"Fakturert inntekt over hele perioden: **kr{NB}64,2{NB}mill.**")
    assert f"42{NB}096 fakturerbare timer" in text and f"kr{NB}1{NB}525 per fakturerbar time" in text


def test_risk_text_nb(run):
    result, _, staff, _ = run
    text = nb(cases.consultancy.risk_text, result, "Nordic Global Industries ASA", staff)
    assert "Hvis den største nøkkelkunden" in text and f"1{NB}780 (moderat konsentrert)" in text
    assert "**5,1 av 14,3 konsulenter**" in text


def test_csat_text_nb(run):
    text = nb(cases.consultancy.csat_text, run[0])
    assert f"**68,4{NB}%** fra 114 svar (mål 85,0{NB}%: ikke i rute)" in text


def test_completion_text_nb(run):
    result, timing, _, _ = run
    text = nb(cases.consultancy.completion_text, result, timing)
    assert "34 prosjekter ble avsluttet" in text and "**132,3 dager** (mål 120,0 dager)" in text
    assert f"**79,4{NB}%**" in text


def test_ongoing_text_nb(run):
    _, timing, _, as_of = run
    text = nb(cases.consultancy.ongoing_text, timing, as_of)
    assert text.startswith("**6 prosjekter pågår fortsatt** per 31.12.2025")
    assert "1 har passert planlagt slutt" in text and "**136,4 dager**" in text and f"**77,1{NB}%**" in text
    one = dict(timing, ongoing=1, ongoing_longer_than_avg=1, overdue=0)
    assert nb(cases.consultancy.ongoing_text, one, as_of).startswith("**1 prosjekt pågår fortsatt**")


def test_utilization_text_nb(run):
    text = nb(cases.consultancy.utilization_text, run[0])
    assert f"**75,1{NB}%** (mål 75,0{NB}%: i rute)" in text and "Laveste måned er juli 2024" in text


def test_revenue_trend_text_nb(run):
    text = nb(cases.consultancy.revenue_trend_text, run[0], "Nordic Global Industries ASA")
    assert f"kr{NB}10,5{NB}mill. i januar 2025 til desember 2025" in text
    assert f"(vekst \u221215,3{NB}%)" in text and "bølger" in text


def test_summary_text_nb(run):
    result, timing, _, _ = run
    text = nb(cases.consultancy.summary_text, result, threshold=0.1, timing=timing)
    assert f"- **Kundetilfredshet (CSAT):** 68,4{NB}% mot et mål på 85,0{NB}% (ikke i rute)." in text
    assert f"kr{NB}2{NB}245{NB}386 per konsulent per år" in text
    assert "- **Pågående prosjekter:** 6 (1 forsinket)" in text


def test_table_words_nb():
    with i18n.using("nb"):
        # the KPI table's notes and scopes: display's one rule (format_kpi_table uses it)
        assert display.note_text("partial month; 2 observations, fewer than the minimum of 10") == \
            "delvis måned; 2 observasjoner, færre enn minimumet på 10"
        assert display.note_text("1 ongoing project not counted") == "1 pågående prosjekt er ikke medregnet"
        assert display.scope_text("account:A") == "kunde: A"
        assert cases.consultancy.column_labels()["revenue_share"] == "inntektsandel"
        assert display.hhi_band_text("highly concentrated") == "sterkt konsentrert"
        overview = cases.consultancy.kpi_overview(["csat", "revenue_per_consultant"], {"csat": 0.85})
    assert list(overview.columns) == ["KPI", "enhet", "bedre når", "mål"]
    assert overview.iloc[0].tolist() == ["Kundetilfredshet (CSAT)", "andel", "høyere", f"85,0{NB}%"]
    assert overview.iloc[1, -1] == "ingen"
    # English keeps the ids the code uses
    assert cases.consultancy.column_labels()["revenue_share"] == "revenue_share"
    assert display.note_text("1 ongoing project not counted") == "1 ongoing project not counted"


def test_average_plots_nb():
    import matplotlib.pyplot as plt

    frame = pd.DataFrame({"rate": [0.5, 1.0], "low": [0.2, 0.3], "high": [0.8, 1.0], "count": [10, 1]},
                         index=["A", "B"])
    with i18n.using("nb"):
        ax = plots.mean_with_interval(frame, mean="rate", count="count", unit="ratio", limits=(0.0, 1.0),
                                      minimum=3, count_word="avsluttede prosjekter",
                                      count_word_one="avsluttet prosjekt")
        hist = plots.histogram(pd.Series([1.0, 2.0, 3.0]), vline={"average": 2.0, "target": 2.5}, unit="days")
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "(n = 1 avsluttet prosjekt)" in ticks[1] and "(n = 10 avsluttede prosjekter)" in ticks[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "gjennomsnitt" in legend and f"95{NB}%-intervall" in legend
    assert "for få (færre enn 3 avsluttede prosjekter)" in legend
    lines = [t.get_text() for t in hist.get_legend().get_texts()]
    assert lines == ["gjennomsnitt 2,0 dager", "mål 2,5 dager"] and hist.get_ylabel() == "antall observasjoner"
    plt.close("all")


def _msgids(source: str) -> list:
    from babel.messages.extract import extract_python

    found = []
    for _, funcname, message, _ in extract_python(io.BytesIO(source.encode()), ["tr", "trn"], [], {}):
        parts = message if isinstance(message, tuple) else (message,)
        parts = tuple(p for p in parts if p is not None)
        found.append(parts if funcname == "trn" else parts[0])
    return found


def test_every_message_of_02_has_a_bokmal_translation():
    sources = [ROOT / "kpi_helpers" / "cases" / "consultancy" / f for f in ("analysis.py", "narrative.py")]
    sources += [ROOT / "kpi_helpers" / "plots" / "averages.py"]
    ids = [m for path in sources for m in _msgids(path.read_text(encoding="utf-8"))]
    notebook = json.loads((ROOT / "notebooks" / "02_consultancy.ipynb").read_text(encoding="utf-8"))
    ids += [m for c in notebook["cells"] if c["cell_type"] == "code" for m in _msgids("".join(c["source"]))]
    assert len(ids) > 100
    messages = i18n.messages("nb")

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for msgid in ids:
        assert msgid in messages, msgid
        english = msgid if isinstance(msgid, tuple) else (msgid,)
        bokmal = messages[msgid] if isinstance(messages[msgid], tuple) else (messages[msgid],)
        for a, b in zip(english, bokmal):
            assert fields(a) == fields(b), (a, b)
