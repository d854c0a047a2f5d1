"""Bokmål output (lang="nb"): kpi_helpers.i18n and the nb style of display and exercises.

Exact strings. NBSP is U+00A0 NO-BREAK SPACE, CLDR's thousands separator for nb_NO (not the narrow
U+202F), also before "%" and after "kr"; MINUS is U+2212, CLDR's minus sign for nb.
"""
from __future__ import annotations

import copy
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from kpi_helpers import display, exercises, i18n, scorecard
from kpi_helpers.display import (
    format_against_target,
    format_frame,
    format_kpi_table,
    format_value,
    key_accounts_text,
    kpi_name,
    label,
    status_text,
    unit_label,
)

NBSP, MINUS = "\u00a0", "\u2212"


def nb(text: str) -> str:
    """Expected text written with "␣" for the no-break space and "~" for the minus sign."""
    return text.replace("␣", NBSP).replace("~", MINUS)


# ---------------------------------------------------------------------------------------------
# the catalogue
# ---------------------------------------------------------------------------------------------
def test_languages_are_english_and_bokmal():
    assert i18n.LANGUAGES == ("en", "nb") and display.LANGUAGES == i18n.LANGUAGES
    assert i18n.language("nb").code == "nb" and i18n.language("nb") is display.language("nb")


@pytest.mark.parametrize("code", ["de", "NB", "no", "nn", "", 3])
def test_an_unknown_language_is_a_value_error_listing_the_known_ones(code):
    with pytest.raises(ValueError, match=re.escape("lang must be one of ['en', 'nb']")):
        i18n.language(code)
    with pytest.raises(ValueError, match=re.escape("['en', 'nb']")):
        format_value(1, "count", lang=code)


def test_the_style_is_cldrs_for_nb_no():
    from babel import numbers

    lg = i18n.language("nb")
    assert (lg.thousands, lg.decimal, lg.minus) == (NBSP, ",", MINUS)
    assert lg.thousands == numbers.get_group_symbol("nb_NO") and lg.minus == numbers.get_minus_sign_symbol("nb_NO")
    # the same digits as Babel's own formatting, for whole numbers and money
    for x in (0, 100, 999, 1000, 1234, 14_914_109, 1_000_000_000):
        assert format_value(x, "count", lang="nb") == numbers.format_decimal(x, locale="nb_NO")
        assert format_value(x, "currency", lang="nb") == "kr" + NBSP + numbers.format_decimal(x, locale="nb_NO")
    assert format_value(0.823, "ratio", lang="nb") == numbers.format_percent(0.823, "#,##0.0\u00a0%", locale="nb_NO")


def test_the_texts_of_both_languages_have_the_same_keys_and_placeholders():
    en, nb_ = i18n.language("en"), i18n.language("nb")
    assert set(en.texts) - {"noun.many", "noun.largest", "noun.major"} == set(nb_.texts)

    def fields(template: str) -> set[str]:
        return set(re.findall(r"{(\w+)", template))

    for key, template in nb_.texts.items():
        assert fields(template) == fields(en.texts[key]), key
    assert set(en.nouns) == set(nb_.nouns) and set(en.measures) == set(nb_.measures)


def test_kpi_names_and_labels_are_complete_for_the_catalogue():
    lg = i18n.language("nb")
    assert lg.kpi_names is not None
    assert set(scorecard.KPI_CATALOGUE) == set(lg.kpi_names)
    assert set(scorecard.KPI_CATALOGUE) <= set(lg.labels)
    assert set(i18n.language("en").labels) <= set(lg.labels)
    names = [kpi_name(k, "nb") for k in scorecard.KPI_CATALOGUE]
    assert len(set(names)) == len(names) and all(n and n[0].isupper() for n in names)
    # the article's vocabulary
    assert kpi_name("csat", "nb") == "Kundetilfredshet (CSAT)"
    assert kpi_name("avg_completion_days", "nb") == "Gjennomsnittlig prosjektgjennomføringstid"
    assert kpi_name("revenue_per_consultant", "nb") == "Inntekt per konsulent"
    assert kpi_name("cvr", "nb") == "Konverteringsrate (CVR)"
    assert kpi_name("ctr", "nb") == "Klikkfrekvens (CTR)"
    assert kpi_name("roas", "nb") == "Avkastning på annonsekostnader (ROAS)"
    assert kpi_name("avg_rating", "nb") == "Gjennomsnittlig kundevurdering"
    assert kpi_name("revenue_per_table", "nb") == "Inntekt per bord"
    assert kpi_name("table_turnover", "nb") == "Omsetningshastighet (bord)"
    assert kpi_name("made_up", "nb") == "made_up"
    assert kpi_name("made_up", "nb", names={"made_up": "Oppdiktet"}) == "Oppdiktet"


# ---------------------------------------------------------------------------------------------
# format_value: worked examples of every unit
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, unit, kwargs, expected", [
    # ratio: percent, a no-break space before %
    (0.823, "ratio", {}, "82,3␣%"),
    (0.1234, "ratio", {}, "12,3␣%"),
    (0.0064, "ratio", {}, "0,64␣%"),
    (4.0, "ratio", {}, "400,0␣%"),
    (0.0, "ratio", {}, "0,0␣%"),
    (-0.25, "ratio", {}, "~25,0␣%"),
    (-0.0001, "ratio", {"decimals": 1}, "0,0␣%"),            # rounds to zero: no minus
    (0.25, "ratio", {"decimals": 0}, "25␣%"),
    (12.345, "ratio", {}, "1␣234,5␣%"),
    # currency: kr before the amount
    (14_914_109.4, "currency", {}, "kr␣14␣914␣109"),
    (1234.4, "currency", {}, "kr␣1␣234"),
    (-1234.4, "currency", {}, "kr␣~1␣234"),
    (3.456, "currency", {}, "kr␣3,46"),
    (0, "currency", {}, "kr␣0"),
    (3.456, "currency", {"currency": "EUR"}, "€␣3,46"),
    (1234, "currency", {"currency": "SEK"}, "SEK␣1␣234"),
    (1234, "currency", {"currency": ""}, "1␣234"),
    (1_234_567, "currency", {"compact": True}, "kr␣1,23␣mill."),
    (350_000, "currency", {"compact": True}, "kr␣350k"),
    (2.3e9, "currency", {"compact": True}, "kr␣2,3␣mrd."),
    (999_999, "currency", {"compact": True}, "kr␣1␣mill."),
    (512, "currency", {"compact": True}, "kr␣512"),
    # days, score, count, index, multiple, number
    (12.25, "days", {}, "12,2 dager"),
    (120, "days", {}, "120,0 dager"),
    (4.267, "score", {}, "4,27"),
    (4.2, "score", {}, "4,20"),
    (1234, "count", {}, "1␣234"),
    (2.345, "count", {}, "2,35"),
    (np.int64(7), "count", {}, "7"),
    (2600.0, "index", {}, "2␣600"),
    (23.46, "index", {}, "23,5"),
    (9.17, "multiple", {}, "9,2x"),
    (1234.5, "number", {}, "1␣234"),
    (0.5, "number", {}, "0,5"),
    (-2.25, "number", {}, "~2,25"),
    # dates and months
    ("2025-01-31", "month", {}, "januar 2025"),
    (pd.Timestamp("2025-12-27"), "month", {}, "desember 2025"),
    ("2025-05-17", "month", {}, "mai 2025"),
    ("2025-12-27", "date", {}, "27.12.2025"),
    (pd.Timestamp("2025-03-04 10:30"), "date", {}, "04.03.2025"),
    # text as it is
    ("Ærlig & Sønn", "text", {}, "Ærlig & Sønn"),
])
def test_format_value_in_bokmal(value, unit, kwargs, expected):
    assert format_value(value, unit, lang="nb", **kwargs) == nb(expected)


def test_every_month_has_its_bokmal_name():
    months = [format_value(f"2025-{m:02d}-01", "month", lang="nb") for m in range(1, 13)]
    assert months == [f"{name} 2025" for name in (
        "januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
        "november", "desember")]


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, pd.NaT, float("inf"), -np.inf, "abc", True])
@pytest.mark.parametrize("unit", ["ratio", "currency", "days", "score", "count", "index", "multiple", "number",
                                  "date", "month"])
def test_undefined_is_i_a(value, unit):
    assert format_value(value, unit, lang="nb") == "i.a."


def test_the_same_number_in_both_languages():
    """The digits are rounded once, the English way; only the symbols around them differ."""
    en_to_nb = str.maketrans({",": NBSP, ".": ",", "-": MINUS})
    rng = np.random.default_rng(13)
    for x in np.concatenate([rng.normal(0, 1e6, 200), rng.normal(0, 1, 200), [2.675, 0.125, 1e-7]]):
        for unit in ("score", "count", "index", "number"):
            assert format_value(x, unit, lang="nb") == format_value(x, unit).translate(en_to_nb)
        assert format_value(x, "ratio", lang="nb") == format_value(x, "ratio")[:-1].translate(en_to_nb) + NBSP + "%"


# ---------------------------------------------------------------------------------------------
# names, statuses, against target, frames
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("status, words", [
    ("on_track", "i rute"), ("off_track", "ikke i rute"), ("no_target", "uten mål"),
    ("not_measurable", "ikke målbar"), ("insufficient_data", "for lite data"), ("paused", "paused"),
])
def test_status_words(status, words):
    assert status_text(status, lang="nb") == words


def test_labels_and_units():
    assert label("revenue", "nb") == "inntekt" and label("cmgr", "nb") == "CMGR"
    assert label("avg_check", "nb") == "gjennomsnittlig regning" and label("customer", "nb") == "kunde"
    assert label("some_column", "nb") == "some column"  # not in the table: as in English
    assert unit_label("currency", lang="nb") == "kr" and unit_label("currency", "EUR", lang="nb") == "€"
    assert unit_label("ratio", lang="nb") == "%" and unit_label("days", lang="nb") == "dager"
    assert unit_label("count", lang="nb") == "antall" and unit_label("m2", lang="nb") == "m2"


def test_against_target_in_bokmal():
    assert format_against_target(0.025, 0.03, "ratio", "off_track", lang="nb") == nb("2,5␣% mot 3,0␣%")
    assert format_against_target(0.02996, 0.03, "ratio", "off_track", lang="nb") == nb("2,996␣% mot 3,000␣%")
    assert format_against_target(4.2, None, "score", lang="nb") == "4,20"
    assert format_against_target(float("nan"), 0.03, "ratio", "not_measurable", lang="nb") == nb("i.a. mot 3,0␣%")


def _kpi_table() -> pd.DataFrame:
    rows = [
        {"kpi": "revenue", "scope": "all", "period": "2025-01", "value": 1_234_567.0},
        {"kpi": "cmgr", "scope": "all", "period": "all", "value": 0.02996},
        {"kpi": "roas", "scope": "all", "period": "all", "value": 9.17},
        {"kpi": "mom_growth", "scope": "all", "period": "2025-01", "value": float("nan")},
    ]
    return scorecard.kpi_table(rows, targets={"cmgr": 0.03, "roas": 4.0})


def test_kpi_table_shown_in_bokmal_and_the_file_unchanged():
    table = _kpi_table()
    before = table.copy(deep=True)
    csv_before = scorecard.kpi_table_csv(table)
    shown = format_kpi_table(table, lang="nb")
    assert shown["kpi"].tolist() == ["revenue", "mom_growth", "cmgr", "roas"]  # ids stay
    assert shown["name"].tolist() == ["Inntekt", "Inntektsvekst fra måned til måned",
                                      "Sammensatt månedlig vekstrate (CMGR)", "Avkastning på annonsekostnader (ROAS)"]
    assert shown["value"].tolist() == [nb("kr␣1␣234␣567"), "i.a.", nb("2,996␣%"), "9,2x"]
    assert shown["target"].tolist() == ["", "", nb("3,000␣%"), "4,0x"]
    assert shown["status"].tolist() == ["uten mål", "ikke målbar", "ikke i rute", "i rute"]
    pd.testing.assert_frame_equal(table, before)                 # no mutation
    assert scorecard.kpi_table_csv(table) == csv_before          # the file: English ids, "." decimals
    assert "0.02996" in csv_before and "ikke" not in csv_before and NBSP not in csv_before


def test_partial_month_word():
    table = _kpi_table().assign(partial=[True, True, False, False])
    assert format_kpi_table(table, lang="nb")["partial"].tolist() == ["delvis", "delvis", "", ""]
    assert format_kpi_table(table)["partial"].tolist() == ["partial", "partial", "", ""]


def test_format_frame_in_bokmal_does_not_change_its_input():
    f = pd.DataFrame({"client": ["Ærlig"], "share": [0.25], "spend": [1234.5], "month": ["2025-02-01"]})
    before = f.copy(deep=True)
    out = format_frame(f, {"share": "ratio", "spend": "currency", "month": "month"}, lang="nb")
    assert out.iloc[0].tolist() == ["Ærlig", nb("25,0␣%"), nb("kr␣1␣234"), "februar 2025"]
    pd.testing.assert_frame_equal(f, before)


# ---------------------------------------------------------------------------------------------
# the key-account sentence
# ---------------------------------------------------------------------------------------------
def _key_accounts() -> pd.DataFrame:
    return pd.DataFrame({"revenue": [60.0, 25.0], "share": [0.6, 0.25], "score": [0.4, 0.9],
                         "largest": [True, False], "major": [True, True], "best_scored": [False, True]},
                        index=pd.Index(["A", "B"], name="account"))


def test_key_accounts_text_in_bokmal():
    t = _key_accounts()
    before = t.copy(deep=True)
    assert key_accounts_text(t, threshold=0.10, lang="nb", noun="customer") == nb(
        "Nøkkelkunderegelen valgte **2 kunder**: **A** (den største kunden; en storkunde: 60,0␣% av inntekten, "
        "minst 10,0␣%) og **B** (en storkunde: 25,0␣% av inntekten, minst 10,0␣%; den beste flerkriteriescoren, "
        "0,90).")
    assert key_accounts_text(t.iloc[:1], threshold=0.10, lang="nb", noun="client") == nb(
        "Nøkkelkunderegelen valgte **1 klient**: **A** (den største klienten; en stor klient: 60,0␣% av inntekten, "
        "minst 10,0␣%).")
    assert key_accounts_text(t.iloc[1:], threshold=0.10, lang="nb", noun="guest", measure="spend") == nb(
        "Nøkkelkunderegelen valgte **1 gjest**: **B** (en gjest med stor andel: 25,0␣% av forbruket, minst 10,0␣%; "
        "den beste flerkriteriescoren, 0,90).")
    assert key_accounts_text(None, threshold=0.10, lang="nb", noun="client") == (
        "Nøkkelkunderegelen valgte **ingen klient**: ingen klient har inntekt over null.")
    assert key_accounts_text(t.iloc[:0], threshold=0.1, lang="nb", noun="account", measure="media spend") == (
        "Nøkkelkunderegelen valgte **ingen kunde**: ingen kunde har annonsekostnader over null.")
    pd.testing.assert_frame_equal(t, before)


def test_a_case_names_its_noun_once_for_both_languages():
    t = _key_accounts()
    for noun, en_many, nb_many in [("account", "accounts", "kunder"), ("customer", "customers", "kunder"),
                                   ("client", "clients", "klienter"), ("guest", "guests", "gjester")]:
        assert f"**2 {en_many}**" in key_accounts_text(t, threshold=0.1, noun=noun)
        assert f"**2 {nb_many}**" in key_accounts_text(t, threshold=0.1, noun=noun, lang="nb")


def test_english_takes_any_noun_bokmal_only_its_own():
    t = _key_accounts()
    assert key_accounts_text(t.iloc[:1], threshold=0.1, noun="supplier", measure="purchases") == (
        "The key-account rule picked **1 supplier**: **A** (the largest supplier; a major supplier: 60.0% of "
        "purchases, at least 10.0%).")
    with pytest.raises(ValueError, match=re.escape("noun must be one of ['account', 'client', 'customer', 'guest']")):
        key_accounts_text(t, threshold=0.1, noun="supplier", lang="nb")
    with pytest.raises(ValueError, match="measure must be one of"):
        key_accounts_text(t, threshold=0.1, measure="purchases", lang="nb")


# ---------------------------------------------------------------------------------------------
# exercise feedback
# ---------------------------------------------------------------------------------------------
def test_exercise_feedback_in_bokmal():
    check = exercises.check_answer
    assert check(None, 0.5, variable="answer_2", lang="nb").message == (
        "Ikke svar ennå: sett `answer_2 = ...` i cellen over og kjør den igjen.")
    assert check(42, 0.4213, unit="ratio", lang="nb").message == nb("Riktig: 42,0␣% (lest som prosent).")
    assert check(0.42, 0.4213, unit="ratio", lang="nb").message == nb("Riktig: 42,0␣%.")
    assert check(0.9, 0.4213, unit="ratio", variable="answer_2", lang="nb").message == nb(
        "Ikke ennå: `answer_2` = 90,0␣% er for høyt.")
    r = check(1_000_000, 14_914_109.4, unit="currency", hint="Summer alle fakturaer.", lang="nb")
    assert r.ok is False and r.message == nb("Ikke ennå: `answer` = 1␣000␣000 er for lavt. Tips: Summer alle fakturaer.")
    assert check(True, 1.0, lang="nb").message == "`answer` skal være et tall, ikke True."
    assert check("mye", 1.0, lang="nb").message == "`answer` skal være et tall; 'mye' er ikke et tall."
    assert check(1.0, float("nan"), lang="nb").message == (
        "Denne verdien er ikke definert (i.a.) for disse dataene, så det er ingenting å sjekke.")
    assert check(1.0, float("nan")).message == (
        "This value is undefined (n/a) for these data, so there is nothing to check.")


def test_choice_feedback_in_bokmal():
    options = ("nøkkelkunde", "KPI")
    choice = exercises.check_choice
    assert choice(None, "KPI", options=options, variable="svar_1", lang="nb").message == (
        "Ikke svar ennå: sett `svar_1` til en av 'nøkkelkunde', 'KPI'.")
    assert choice(" kpi ", "KPI", options=options, why="Klikkfrekvens er en målbar rate.", lang="nb").message == (
        "Riktig: KPI. Klikkfrekvens er en målbar rate.")
    assert choice("KPI", "nøkkelkunde", options=options, lang="nb").message == (
        "Ikke helt: svaret er nøkkelkunde, ikke KPI.")
    assert choice("kunde", "KPI", options=options, lang="nb").message == (
        "`answer` skal være en av 'nøkkelkunde', 'KPI', ikke 'kunde'.")
    with pytest.raises(ValueError, match="lang"):
        choice("KPI", "KPI", options=options, lang="sv")


# ---------------------------------------------------------------------------------------------
# light imports
# ---------------------------------------------------------------------------------------------
def test_babel_is_imported_only_when_bokmal_is_used():
    code = (
        "import sys\n"
        "import kpi_helpers.i18n\n"
        "print(sorted(m for m in ('babel', 'numpy', 'pandas') if m in sys.modules))\n"
        "import kpi_helpers.display as d, kpi_helpers.exercises as e\n"
        "d.format_value(1234.5, 'currency'); d.key_accounts_text(None, threshold=0.1); e.check_answer(1, 1)\n"
        "print('babel' in sys.modules)\n"
        "print(d.format_value(1234.5, 'currency', lang='nb').replace('\\xa0', ' '), 'babel' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "False", "kr 1 234 True"]


def test_a_language_is_built_once_and_its_tables_are_not_shared_by_mistake():
    lg = i18n.language("nb")
    assert i18n.language("nb") is lg
    snapshot = copy.deepcopy(dict(lg.texts))
    key_accounts_text(_key_accounts(), threshold=0.1, lang="nb")
    exercises.check_answer(0.1, 0.2, lang="nb")
    assert dict(lg.texts) == snapshot
    with pytest.raises(Exception):
        lg.code = "xx"  # type: ignore[misc]  # frozen
    for lang in i18n.LANGUAGES:
        with pytest.raises(TypeError):
            i18n.language(lang).statuses["on_track"] = "?"  # type: ignore[index]  # read-only tables
