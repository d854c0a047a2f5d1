"""The Bokmål edition of notebook 05 (your_data): its narrative helpers speak Bokmål with lang="nb".

One test per helper changed for the edition: with ``i18n.using("nb")`` the text is Bokmål (a known
word) and its numbers are Norwegian (decimal comma, no-break space before %, thousands with a
no-break space); the English text and the KPI table file stay as they were.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import DATA

from kpi_helpers import cases, data, display, i18n, scorecard

NBSP = "\xa0"


@pytest.fixture(scope="module")
def result():
    return cases.analyse("your_data", data.load_case("your_data", DATA / "your_data"))


def _pareto(shares, names=None):
    names = names or [f"c{i}" for i in range(len(shares))]
    classes = ["A" if s >= 0.1 else "B" for s in shares]
    return pd.DataFrame({"customer": names, "revenue": [s * 1000 for s in shares], "share": shares,
                         "abc_class": classes})


def test_abc_title_in_bokmal():
    assert display.abc_title(8, 27, 0.808) == "8 of 27 customers (29.6%) bring 80.8% of revenue (ABC class A)"
    with i18n.using("nb"):
        text = display.abc_title(1234, 5000, 0.808)
        assert display.abc_title(0, 0, float("nan")) == "Ingen kunde med inntekt over null"
    assert text == f"1{NBSP}234 av 5{NBSP}000 kunder (24,7{NBSP}%) står for 80,8{NBSP}% av inntekten (ABC-klasse A)"
    assert display.abc_title(8, 27, 0.808, lang="nb").startswith("8 av 27 kunder (29,6")


def test_spread_text_in_bokmal():
    p = _pareto([0.3, 0.3, 0.25, 0.15], list("abcd"))
    concentration = {"top_customer": "a", "top_customer_share": 0.3}
    english = cases.your_data.spread_text(concentration, p, None, threshold=0.1)
    assert english.startswith("The largest customer, **a**, brings 30.0% of revenue")
    assert "4 customers reach the major-customer threshold of 10.0%" in english
    with i18n.using("nb"):
        text = cases.your_data.spread_text(concentration, p, None, threshold=0.1)
        small = cases.your_data.spread_text(concentration, p, None, threshold=0.5)
    assert text.startswith(f"Den største kunden, **a**, står for 30,0{NBSP}% av inntekten")
    assert f"4 kunder når storkundegrensen på 10,0{NBSP}%" in text and "nøkkelkundearbeidet" in text
    assert "ved navn" in small


def test_spread_text_of_a_wide_base_speaks_of_segments_in_bokmal(result):
    c, p = result.frames["concentration"], result.frames["pareto"]
    with i18n.using("nb"):
        text = cases.your_data.spread_text(c, p, result.key_account_table, threshold=0.1)
    assert "**segmenter**" in text and f"3{NBSP}000 kunder" in text and "Regelen velger likevel" in text


def test_account_overview_counts_months_in_bokmal(result):
    assert cases.your_data.account_overview(result, recent_months=6).at["all", "months_with_revenue"] == "24 of 24"
    with i18n.using("nb"):
        overview = cases.your_data.account_overview(result, recent_months=6)
    assert overview.at["all", "months_with_revenue"] == "24 av 24"


def test_kpi_table_notes_are_shown_in_bokmal_and_stored_in_english(result):
    kt = result.kpis
    english = display.format_kpi_table(kt)
    with i18n.using("nb"):
        shown = display.format_kpi_table(kt)
    undefined = kt["note"].str.startswith("undefined: ").to_numpy()
    assert undefined.any()
    assert all(n.startswith("udefinert: ") and "undefined" not in n for n in shown.loc[undefined, "note"])
    assert "udefinert: inntekten i den første måneden er 0, eller det er færre enn to hele måneder" in set(shown["note"])
    assert list(english["note"]) == list(kt["note"])
    assert list(kt["note"]) == list(result.kpis["note"])  # the table itself is not changed
    with i18n.using("nb"):
        csv_nb = scorecard.kpi_table_csv(kt)
    assert csv_nb == scorecard.kpi_table_csv(kt)  # the file is the same in both languages


def test_note_text_parts_and_counts():
    assert display.note_text("partial month; no customer with revenue > 0 in this month", lang="nb") == \
        "delvis måned; ingen kunde med inntekt > 0 denne måneden"
    assert display.note_text("3 observations, fewer than the minimum of 5", lang="nb") == \
        "3 observasjoner, færre enn minimumet på 5"
    assert display.note_text("1 ongoing project not counted", lang="nb") == "1 pågående prosjekt er ikke medregnet"
    assert display.note_text("something new; partial month", lang="nb") == "something new; delvis måned"
    assert display.note_text("partial month") == "partial month"
    assert display.note_text(float("nan"), lang="nb") == "" and display.note_text(None) == ""


def test_every_undefined_reason_of_the_catalogue_has_a_bokmal_note():
    reasons = {w for w in scorecard.UNDEFINED_WHEN.values() if w}
    with i18n.using("nb"):
        for reason in reasons:
            assert display.note_text(f"undefined: {reason}") != f"undefined: {reason}", reason


def test_checks_markdown_and_the_missing_scores_warning_in_bokmal(tmp_path):
    assert data.checks_markdown([]) == "No problems found."
    with i18n.using("nb"):
        assert data.checks_markdown([]) == "Ingen problemer funnet."
        loaded = data.load_case("your_data", DATA / "your_data")
    warning = next(w for w in loaded.warnings if "kvalitative" in w)
    assert "2950 av 3000 kunder har ingen rad i your_data/customers.csv" in warning and "med flere" in warning
    english = data.load_case("your_data", DATA / "your_data")
    assert any("2950 of 3000 customers have no row" in w for w in english.warnings)


def test_count_text_takes_its_words_from_a_plural_message(monkeypatch):
    assert display.count_text(1, "finished projects") == "1 finished project"
    messages = dict(i18n.messages("nb"))
    messages[("{n} finished project", "{n} finished projects")] = ("{n} ferdig prosjekt", "{n} ferdige prosjekter")
    monkeypatch.setitem(i18n._MESSAGES, "nb", messages)
    with i18n.using("nb"):
        assert display.count_text(1, "finished projects") == "1 ferdig prosjekt"
        assert display.count_text(1234, "finished projects") == f"1{NBSP}234 ferdige prosjekter"
        assert display.count_text(2, "answers") == "2 answers"  # no message: the English words



def test_data_check_warnings_in_bokmal(tmp_path):
    folder = tmp_path / "log"
    folder.mkdir()
    rows = ["date,customer,amount", "2025-01-15,A,100", "2025-01-15,A,100", "2025-02-10,B,50",
            "2025-03-05,a ,20", "2025-03-20,TOTAL,270"]
    (folder / "transactions.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    english = data.load_case("your_data", folder).warnings
    with i18n.using("nb"):
        warnings = data.load_case("your_data", folder).warnings
    assert len(warnings) == len(english) >= 4
    text = "\n".join(warnings)
    assert "1 rad gjentar en tidligere rad" in text and "Den telles slik den står" in text
    assert "ser ut som en sumrad" in text and "navngitt som en sum" in text
    assert "bare skiller seg i store/små bokstaver" in text and "rader 2, 3, 5" in text
    assert "2025-01 og 2025-03 er delvise måneder" in text
    assert any("2025-01 and 2025-03 are partial months" in w for w in english)
