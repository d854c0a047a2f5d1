"""The Bokmål edition of notebook 04 (restaurant): its narrative helpers and display names write
Bokmål with Norwegian numbers under ``i18n.using("nb")`` (and English, as before, otherwise)."""
from __future__ import annotations


import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from kpi_helpers import accounts, i18n  # noqa: E402
from kpi_helpers.cases import restaurant  # noqa: E402
from kpi_helpers.plots import concentration  # noqa: E402

NBSP = "\xa0"


def plain(text: str) -> str:
    """Bokmål text with its no-break spaces as ordinary ones, for readable expectations."""
    return text.replace(NBSP, " ")


@pytest.fixture
def guests():
    return pd.DataFrame({"visits": [14, 25], "revenue": [37_770.0, 102_705.0], "recency_days": [0, 4],
                         "rfm_score": [1.0, 0.98], "avg_check": [787.0, 1407.0], "ratings": [6, 9],
                         "avg_rating": [4.1667, 4.5556]}, index=pd.Index(["G0354", "G0042"], name="guest_id"))


@pytest.fixture
def key_table():
    return pd.DataFrame({"share": [0.0186, 0.0506], "score": [1.0, 0.98], "largest": [False, True],
                         "major": [False, False], "best_scored": [True, False]}, index=["G0354", "G0042"])


def test_vip_choice_text_in_bokmal(guests, key_table):
    with i18n.using("nb"):
        text = plain(restaurant.vip_choice_text(key_table, guests, "G0354", 0.1, 5_881_127.0))
    assert text.startswith("Regelen valgte **2 gjester**: **G0354** (best RFM-score, 1,00: 14 besøk, kr 37 770, "
                           "sist sett 0 dager før slutten av dataene) og **G0042**")
    assert "terskelen for stor andel på 10,0 %" in text and "har 5,1 %" in text
    assert "kr 37 770 er bare 0,64 % av restaurantens inntekt" in text
    assert text.endswith("Det andre valget, G0042, får egne rader i KPI-tabellen og er med i sammenligningene nedenfor.")
    with i18n.using("nb"):
        assert restaurant.vip_choice_text(None, guests, None, 0.1, 1.0).startswith("Regelen valgte ingen gjest")
    # English as before
    assert restaurant.vip_choice_text(key_table, guests, "G0354", 0.1, 5_881_127.0).startswith(
        "The rule picked **2 guests**: **G0354** (the best RFM score, 1.00: 14 visits, NOK 37,770, last seen 0 days")


def test_monthly_rating_text_in_bokmal():
    m = pd.DataFrame({"ratings": [74, 1103], "low": [3.8, 3.9], "high": [4.2, 4.2]})
    with i18n.using("nb"):
        text = plain(restaurant.monthly_rating_text(m, {"low": 3.99, "high": 4.12}, 4.3))
        empty = restaurant.monthly_rating_text(m.iloc[:0], {}, 4.3)
    assert text.startswith("Hver måneds gjennomsnittlige vurdering bygger på 74 til 1 103 vurderinger, så den er "
                           "usikker med omtrent ±0,18 poeng")
    assert text.endswith("Hele periodens 95 %-intervall, 3,99 til 4,12, ligger under målet, så avstanden til målet "
                         "er reell.")
    assert empty.startswith("Ingen måned har noen vurdering")


def test_rating_verdict_text_in_bokmal():
    t = pd.DataFrame({"ratings": [1525, 6], "avg_rating": [4.06, 4.1667], "low": [3.99, 3.7], "high": [4.12, 4.6]},
                     index=["all guests", "G0354"])
    with i18n.using("nb"):
        text = plain(restaurant.rating_verdict_text(t, "G0354"))
    assert text.startswith("Gjest G0354: snitt 4,17 fra **6 vurderinger**; alle gjester: snitt 4,06 fra "
                           "**1 525 vurderinger**. De to intervallene overlapper")
    t.loc["G0354", ["low", "high"]] = [4.5, 4.9]
    with i18n.using("nb"):
        assert "Intervallene overlapper ikke" in restaurant.rating_verdict_text(t, "G0354")


def test_data_text_in_bokmal():
    f = {"months": 6, "first": "2025-07-01", "last": "2025-12-31", "visits": 3004, "covers": 8710,
         "open_days": 156, "tables": 12, "seats": 44.0, "closed_weekdays": ["Monday", "Tuesday"]}
    with i18n.using("nb"):
        text = plain(restaurant.data_text(f, True))
        unknown = restaurant.data_text(f, False)
    assert text == ("**Dataene:** 6 måneder, 01.07.2025 til 31.12.2025: 3 004 bordselskaper (8 710 kuverter) på "
                    "156 åpningsdager, 12 bord med 44 seter. Stengt mandag og tirsdag.")
    assert "(antall seter ukjent: ingen tables.csv)" in unknown


def test_case_summary_text_in_bokmal(guests):
    w = pd.Series({"table_turnover": 1.6, "revpash": 143.0, "avg_rating": 4.06, "ratings": 1525})
    with i18n.using("nb"):
        text = plain(restaurant.case_summary_text(w, {"table_turnover": "ikke i rute"}, 6.5, has_seats=True,
                                                  has_rating=True, vip="G0354", guests=guests,
                                                  vip_status="for lite data"))
    lines = text.splitlines()
    assert lines[0] == ("- Omsetningshastighet 1,60 bordselskaper per bord per åpningsdag (ikke i rute); RevPASH kr 143 "
                        "ved 6,5 åpningstimer per dag (uten mål).")
    assert lines[1] == "- Gjennomsnittlig kundevurdering 4,06 fra 1 525 vurderinger (uten mål)."
    assert lines[2] == ("- VIP-gjesten, gjest G0354: 14 besøk, gjennomsnittlig regning kr 787, vurdering 4,17 fra "
                        "6 vurderinger (for lite data).")


def test_weekdays_and_display_names_in_bokmal():
    frame = pd.DataFrame({"visits": [1011], "visit_share": [0.337]},
                         index=pd.Index(["known guests"], name="guest type"))
    with i18n.using("nb"):
        shown = restaurant.for_display(frame)
        assert restaurant.weekday_name("Monday") == "mandag"
    assert list(shown.columns) == ["besøk", "besøksandel"]
    assert list(shown.index) == ["kjente gjester"] and shown.index.name == "gjestetype"
    # English: the ids themselves, so English tables read as before
    assert restaurant.for_display(frame).equals(frame) and restaurant.weekday_name("Monday") == "Monday"


def test_run_notes_in_bokmal(tmp_path):
    from conftest import write_csv
    from kpi_helpers import cases, data

    d = tmp_path / "restaurant"
    write_csv(d, "visits.csv", """
        date,table,covers,bill
        2025-01-03,T1,2,1000
        2025-01-04,T2,3,1500
    """)
    with i18n.using("nb"):
        result = cases.analyse("restaurant", data.load_case("restaurant", d))
    assert any(n.startswith("Ingen bordtabell") for n in result.notes)
    assert "Ingen guest_id-kolonne: VIP-analysen hoppes over." in result.notes


def test_customer_share_curve_in_bokmal():
    revenue = pd.Series([float(x) for x in range(1200, 0, -1)], index=[f"C{i:04d}" for i in range(1200)])
    pareto = accounts.pareto_table(revenue)
    with i18n.using("nb"):
        ax = concentration.customer_share_curve(pareto, highlight=["C0000"])
    legend = [plain(t.get_text()) for t in ax.get_legend().get_texts()]
    assert ax.get_title() == "Andel av inntekten etter andel av kundene"
    assert ax.get_xlabel() == "andel av kundene, største først (%)"
    assert legend[0] == "de 1 200 kundene, største først"
    assert any(t.startswith("de største 20 % av kundene: ") and t.endswith(" av inntekten") for t in legend)
    assert "nøkkelkunde" in legend and "alle kunder kjøper like mye" in legend
    plt.close("all")
