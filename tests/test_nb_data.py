"""The data package in Bokmål: DataError messages, data-check warnings and CaseData.summary().

With ``i18n.using("nb")`` every message of ``kpi_helpers/data/`` is a Bokmål sentence that still
names the file, the column, the rows and the values as they are; with ``i18n.using("en")`` (the
command line, the English notebooks) the message is the English one, unchanged. What code decides
on (``kind``, ``file``, ``column``, ``rows``, ``expected``) is the same in both languages.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest

from kpi_helpers import i18n
from kpi_helpers.data import Checks, DataError, Dialect, load_case

INVOICES = "date,customer,amount\n2024-01-05,A,100\n2024-01-20,B,50\n2024-02-03,A,70\n"

#: English words that are no Bokmål words: one of them outside quotes, option names and file names
#: is a piece of the message left in English.
_ENGLISH = re.compile(r"\b(the|is|are|was|were|expected|column|columns|row|rows|value|values|file|not|of|with|"
                      r"and|or|found|missing|empty|number|sheet|sheets|separator|encoding|read|kept|"
                      r"visit|visits|cell|cells|than|one|each)\b")


def _words(message: str) -> str:
    """The message without quoted values, option names, file names and placeholders of the CLI."""
    message = re.sub(r"'[^']*'", " ", message)
    message = re.sub(r"--[\w-]+( [\w.,'=-]+)?", " ", message)
    return re.sub(r"\S*/\S*|[\w.-]+\.(csv|xlsx|xlsm|txt|tsv|parquet)\b|\b\w+_\w+\b", " ", message)


def assert_bokmal(message: str, *snippets: str) -> None:
    left = _ENGLISH.findall(_words(message))
    assert not left, f"English words {left} in: {message}"
    for s in snippets:
        assert s in message, (s, message)


def both(load: Callable[[], object]) -> tuple[DataError, DataError]:
    """The DataError ``load()`` raises in English and in Bokmål."""
    errors = []
    for lang in ("en", "nb"):
        with i18n.using(lang), pytest.raises(DataError) as ei:
            load()
        errors.append(ei.value)
    en, nb = errors
    # what code decides on does not depend on the language
    assert (en.kind, en.file, en.column, en.rows, en.expected, en.path) == \
           (nb.kind, nb.file, nb.column, nb.rows, nb.expected, nb.path)
    assert [(p.kind, p.column, p.rows) for p in en.problems] == [(p.kind, p.column, p.rows) for p in nb.problems]
    assert "\n" not in str(nb)
    return en, nb


def warnings_in(lang: str, load: Callable[[], object]) -> tuple[str, ...]:
    with i18n.using(lang):
        return load().warnings  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- DataErrors
def test_a_missing_column_in_bokmal(case_dir):
    d = case_dir("startup", invoices="date,customer\n2024-01-05,A\n")
    en, nb = both(lambda: load_case("startup", d))
    assert str(en).startswith("startup/invoices.csv: required column 'amount' is missing (columns found: 'date', "
                              "'customer'); expected columns date, customer, amount.")
    assert str(nb) == ("startup/invoices.csv: den påkrevde kolonnen 'amount' mangler (kolonner funnet: 'date', "
                       "'customer'); forventet kolonnene date, customer, amount. Gi kolonnen nytt navn, eller koble "
                       "ditt eget navn til den (--map invoices.DITT_NAVN=amount).")
    assert nb.kind == "missing_column"


def test_two_missing_columns_and_a_header_read_as_one_column_in_bokmal(case_dir):
    d = case_dir("startup", invoices="date;customer;amount\n2024-01-05;A;100\n")
    en, nb = both(lambda: load_case("startup", d, dialect=Dialect(sep=",")))
    assert "is the separator right (--sep)?" in str(en)
    assert_bokmal(str(nb), "de påkrevde kolonnene 'date', 'customer', 'amount' mangler",
                  "Overskriftsraden ble lest som én kolonne: er skilletegnet riktig (--sep)?")


def test_a_malformed_number_in_bokmal(case_dir):
    d = case_dir("startup", invoices="date,customer,amount\n2024-01-05,A,100\n2024-01-06,B,12.5x\n")
    en, nb = both(lambda: load_case("startup", d))
    assert str(en) == ("startup/invoices.csv, column 'amount': 1 value is not a number (row 3: '12.5x'); expected a "
                       "number such as 1234.50 or 1234,50 with --decimal ,.")
    assert str(nb) == ("startup/invoices.csv, kolonne 'amount': 1 verdi er ikke et tall (rad 3: '12.5x'); forventet "
                       "et tall som 1234.50, eller 1234,50 med --decimal ,.")
    assert nb.expected == en.expected  # DataError.expected keeps the English words


def test_several_problems_in_one_file_in_bokmal(case_dir):
    d = case_dir("startup", invoices="date,customer,amount\n2024-01-05,A,abc\n31-31-2024,B,def\n")
    en, nb = both(lambda: load_case("startup", d))
    assert "Further problems in this file: column 'amount' (2 values are not numbers)." in str(en)
    assert_bokmal(str(nb), "startup/invoices.csv, kolonne 'date': 1 verdi er ikke en dato (rad 3: '31-31-2024'); "
                           "forventet en dato som 2024-01-31, 20240131 eller 31.01.2024 (31/01/2024 med --dayfirst).",
                  "Flere problemer i denne filen: kolonne 'amount' (2 verdier er ikke tall).")


def test_an_unreadable_file_in_bokmal(case_dir, tmp_path):
    d = case_dir("startup")
    (d / "invoices.csv").write_bytes("date,customer,amount\n".encode("utf-16-le"))
    en, nb = both(lambda: load_case("startup", d))
    assert "row 1 contains NUL bytes" in str(en) and nb.kind == "unreadable"
    assert_bokmal(str(nb), "startup/invoices.csv: rad 1 inneholder NUL-byte", "--encoding utf-16",
                  "forventet en tekstfil lagret som UTF-8 eller Windows-1252.")


def test_a_ragged_row_and_an_unclosed_quote_in_bokmal(case_dir):
    d = case_dir("startup", invoices="date,customer,amount\n2024-01-05,A,100\n2024-01-06,B,12,50\n")
    en, nb = both(lambda: load_case("startup", d))
    assert "row 3 has 4 fields but the header has 3 (separator ',')" in str(en)
    assert_bokmal(str(nb), "rad 3 har 4 felt, men overskriftsraden har 3 (skilletegn ',')", "desimalkomma",
                  "Forventet 3 felt i hver rad.")
    d = case_dir("startup", invoices='date,customer,amount\n2024-01-05,"A,100\n2024-01-06,B,50\n')
    en, nb = both(lambda: load_case("startup", d))
    assert_bokmal(str(nb), "rad 2 åpner et anførselstegn (\") som aldri lukkes")


def test_an_empty_file_and_a_missing_table_in_bokmal(case_dir, tmp_path):
    d = case_dir("startup", invoices="\n\n")
    en, nb = both(lambda: load_case("startup", d))
    assert str(en) == ("startup/invoices.csv: the file is empty; expected a header row (date, customer, amount) and "
                       "data rows below it.")
    assert str(nb) == ("startup/invoices.csv: filen er tom; forventet en overskriftsrad (date, customer, amount) og "
                       "datarader under den.")
    d = case_dir("your_data", customers="customer\nA\n")
    en, nb = both(lambda: load_case("your_data", d))
    assert "your_data/transactions.csv: no file for the required table 'transactions'" in str(en)
    assert_bokmal(str(nb), "your_data/transactions.csv: ingen fil for den påkrevde tabellen 'transactions' i ",
                  "transactions.xlsm eller transactions.parquet med kolonnene date, customer, amount.")
    en, nb = both(lambda: load_case("startup", tmp_path / "nowhere"))
    assert_bokmal(str(nb), "startup: datamappen ", " finnes ikke; forventet en mappe med invoices.csv.")


def test_an_ambiguous_slash_date_in_bokmal(case_dir):
    d = case_dir("startup", invoices="date,customer,amount\n03/04/2024,A,100\n05/06/2024,B,50\n")
    en, nb = both(lambda: load_case("startup", d))
    assert "('03/04/2024' = 3 April 2024) or month first (4 March 2024)" in str(en)
    assert_bokmal(str(nb), "startup/invoices.csv, kolonne 'date': ingen dato med skråstrek har et tall over 12 "
                           "(rad 2: '03/04/2024')", "('03/04/2024' = 3. april 2024)", "(4. mars 2024)")


def test_thousands_or_decimals_in_bokmal(case_dir):
    d = case_dir("startup", invoices='date,customer,amount\n2024-01-05,A,"16,760"\n2024-01-06,B,"1,250"\n')
    en, nb = both(lambda: load_case("startup", d))
    assert "so '16,760' can be 16760 (',' groups thousands) or 16.76" in str(en)
    assert_bokmal(str(nb), "så '16,760' kan være 16760 (',' skiller tusener) eller 16.76 (',' er desimaltegnet)",
                  "--decimal . leser '16,760' som 16760")


def test_a_value_out_of_range_and_a_duplicate_header_in_bokmal(case_dir):
    d = case_dir("restaurant", visits="date,table,covers,bill,rating\n2024-01-05,T1,2,100,7\n")
    en, nb = both(lambda: load_case("restaurant", d))
    assert str(en) == ("restaurant/visits.csv, column 'rating': 1 value is out of range (row 2: '7'); expected a whole "
                       "number from 1 to 5.")
    assert str(nb) == ("restaurant/visits.csv, kolonne 'rating': 1 verdi er utenfor det gyldige området (rad 2: '7'); "
                       "forventet et heltall fra 1 til 5.")
    d = case_dir("startup", invoices="date,customer,amount,amount\n2024-01-05,A,100,100\n")
    en, nb = both(lambda: load_case("startup", d))
    assert_bokmal(str(nb), "kolonnen 'amount' står 2 ganger i overskriftsraden (kolonne nr. 3, 4)")


def test_a_broken_reference_and_row_rule_in_bokmal(case_dir):
    d = case_dir("consultancy",
                 projects="project_id,client,start_date,planned_end,actual_end,hourly_rate\n"
                          "P1,C,2024-01-01,2023-12-01,,100\n",
                 timesheets="date,consultant,project_id,hours\n2024-01-05,X,P1,8\n")
    en, nb = both(lambda: load_case("consultancy", d))
    assert "1 value is before start_date" in str(en)
    assert_bokmal(str(nb), "consultancy/projects.csv, kolonne 'planned_end': 1 verdi er før start_date",
                  "forventet planned_end >= start_date.")
    d = case_dir("consultancy",
                 projects="project_id,client,start_date,planned_end,actual_end,hourly_rate\n"
                          "P1,C,2024-01-01,2024-12-01,,100\n",
                 timesheets="date,consultant,project_id,hours\n2024-01-05,X,P9,8\n")
    en, nb = both(lambda: load_case("consultancy", d))
    assert str(nb) == ("consultancy/timesheets.csv, kolonne 'project_id': 1 verdi finnes ikke i "
                       "consultancy/projects.csv (rad 2: 'P9'); forventet en project_id som står i "
                       "consultancy/projects.csv.")
    assert nb.kind == "bad_reference"


def test_column_map_and_currency_errors_in_bokmal(case_dir):
    d = case_dir("startup", invoices="Dato,customer,amount\n2024-01-05,A,100\n")
    en, nb = both(lambda: load_case("startup", d, {"invoices": {"Dato": "day"}}))
    assert_bokmal(str(nb), "startup/invoices.csv: kolonnekoblingen sender 'Dato' til 'day', som ikke er en kolonne "
                           "i invoices; forventet en av date, customer, amount.")
    d = case_dir("startup", invoices="date,customer,amount,currency\n2024-01-05,A,100,NOK\n2024-01-06,B,5,EUR\n")
    en, nb = both(lambda: load_case("startup", d))
    assert "the amounts are in 2 currencies (EUR: 1 row; NOK: 1 row (row 2))" in str(en) or \
           "the amounts are in 2 currencies" in str(en)
    assert_bokmal(str(nb), "startup/invoices.csv, kolonne 'currency': beløpene er i 2 valutaer (", ": 1 rad",
                  "forventet én valuta")
    en, nb = both(lambda: load_case("startup", d, checks=Checks(currency="SEK")))
    assert_bokmal(str(nb), "ingen rad har valutaen SEK (valutaer funnet: ", "NOK: 1 rad")


def test_strict_in_bokmal(case_dir):
    d = case_dir("startup", invoices=INVOICES + "2024-02-03,A,70\n")
    en, nb = both(lambda: load_case("startup", d, checks=Checks(strict=True)))
    assert "data check" in str(en) and "--strict makes" in str(en)
    assert str(nb).startswith("startup: 2 datakontroller slo ut, og --strict gjør dem til feil: startup/invoices.csv: "
                              "1 rad gjentar en tidligere rad")  # and the partial months
    assert str(nb).endswith("Forventet data uten advarsler, eller valgene som advarslene nevner.")
    assert nb.kind == "strict"


# --------------------------------------------------------------------------- warnings
def test_covers_above_seats_in_bokmal(case_dir):
    d = case_dir("restaurant", visits="date,table,covers,bill\n2024-01-05,T1,6,100\n2024-01-06,T1,2,50\n",
                 tables="table,seats\nT1,4\n")
    en = warnings_in("en", lambda: load_case("restaurant", d))
    nb = warnings_in("nb", lambda: load_case("restaurant", d))
    assert "restaurant/visits.csv: 1 visit has more covers than the table's seats (row 2); kept as they are " \
           "(walk-ins squeeze in), but seat occupancy can exceed 100%." in en
    assert "restaurant/visits.csv: 1 besøk har flere kuverter enn bordet har seter (rad 2); besøket beholdes som det " \
           "er (drop-in-gjester presses inn), men setebelegget kan bli over 100 %." in nb


def test_encoding_excel_guard_and_mojibake_warnings_in_bokmal(case_dir):
    d = case_dir("startup")
    (d / "invoices.csv").write_bytes('date,customer,amount\n2024-01-05,="0042",100\n2024-01-06,Bjørk,5\n'
                                     .encode("cp1252"))
    en = warnings_in("en", lambda: load_case("startup", d))
    nb = warnings_in("nb", lambda: load_case("startup", d))
    assert en[0].startswith("startup/invoices.csv is not UTF-8; it was read as Windows-1252 (cp1252).")
    assert nb[0] == ("startup/invoices.csv er ikke UTF-8; filen ble lest som Windows-1252 (cp1252). Hvis bokstaver som "
                     "æ ø å ser feil ut, oppgi riktig tegnkoding (--encoding).")
    assert "1 cell is written as =\"...\" (Excel's guard for leading zeros) and was read" in en[1]
    assert nb[1] == ("startup/invoices.csv, kolonne 'customer': 1 celle er skrevet som =\"...\" (Excels vern av "
                     "innledende nuller) og ble lest som teksten inni (rad 2; '=\"0042\"' -> '0042').")
    d = case_dir("startup", invoices="date,customer,amount\n2024-01-05,BjÃ¸rk,100\n")
    nb = warnings_in("nb", lambda: load_case("startup", d))
    assert_bokmal(nb[0], "startup/invoices.csv, kolonne 'customer': 1 verdi ser ut som UTF-8-tekst lest med en annen "
                         "tegnkoding (rad 2; 'BjÃ¸rk' -> 'Bjørk'); filen ble lest som utf-8")


def test_slash_dates_and_currency_warnings_in_bokmal(case_dir):
    d = case_dir("startup", invoices="date,customer,amount,currency\n13/01/2024,A,100,NOK\n05/02/2024,B,50,EUR\n")
    en = warnings_in("en", lambda: load_case("startup", d, checks=Checks(currency="NOK")))
    nb = warnings_in("nb", lambda: load_case("startup", d, checks=Checks(currency="NOK")))
    assert en[0] == ("startup/invoices.csv, column 'date': slash dates are read day first, as row 2: '13/01/2024' can "
                     "only be (13 January 2024); --dayfirst says so and silences this, --monthfirst reads them month "
                     "first.")
    assert nb[0] == ("startup/invoices.csv, kolonne 'date': datoer med skråstrek leses med dagen først, siden rad 2: "
                     "'13/01/2024' bare kan være (13. januar 2024); --dayfirst sier det samme og fjerner denne "
                     "advarselen, --monthfirst leser dem med måneden først.")
    assert "1 row is not in NOK and is left out (row 3; --currency NOK)." in en[1]
    assert nb[1] == ("startup/invoices.csv, kolonne 'currency': 1 rad har ikke valutaen NOK og holdes utenfor (rad 3; "
                     "--currency NOK).")


def test_sheet_warnings_in_bokmal(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    d = tmp_path / "startup"
    d.mkdir()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title in ("2023", "2024"):
        ws = wb.create_sheet(title)
        ws.append(["date", "customer", "amount"])
        ws.append([f"{title}-01-05", "A", 100])
    wb.save(d / "invoices.xlsx")
    en, nb = both(lambda: load_case("startup", d))
    assert "2 sheets have the columns of invoices ('2023', '2024')" in str(en)
    assert_bokmal(str(nb), "startup/invoices.xlsx: 2 ark har kolonnene til invoices ('2023', '2024')",
                  "--sheet NAVN (f.eks. --sheet '2023')")
    en_w = warnings_in("en", lambda: load_case("startup", d, dialect=Dialect(sheet="all")))
    nb_w = warnings_in("nb", lambda: load_case("startup", d, dialect=Dialect(sheet="all")))
    assert en_w[0] == ("startup/invoices.xlsx: sheets '2023', '2024' are read as one table (--sheet all); row numbers "
                       "in messages are those of each sheet.")
    assert nb_w[0] == ("startup/invoices.xlsx: arkene '2023', '2024' leses som én tabell (--sheet all); radnumrene i "
                       "meldingene er radnumrene i hvert ark.")
    en, nb = both(lambda: load_case("startup", d, dialect=Dialect(sheet="2025")))
    assert_bokmal(str(nb), "startup/invoices.xlsx: ingen ark med navnet '2025' (ark: '2023', '2024')")


# --------------------------------------------------------------------------- summary()
def test_summary_in_bokmal(case_dir):
    d = case_dir("startup", invoices="date;customer;amount\n13/01/2024;A;100,50\n20/01/2024;B;50,25\n")
    cd = load_case("startup", d)
    english = cd.summary()
    assert list(english.columns) == ["table", "required", "file", "rows", "missing_columns", "read_as"]
    assert english["required"].tolist() == [True, False]
    assert english.loc[0, "read_as"] == "sep ';', decimal ',', utf-8, day first"
    with i18n.using("nb"):
        shown = cd.summary()
    assert list(shown.columns) == ["tabell", "påkrevd", "fil", "rader", "manglende kolonner", "lest som"]
    assert shown["tabell"].tolist() == ["invoices", "customers"]  # table names stay ids
    assert shown["påkrevd"].tolist() == ["ja", "nei"]
    assert shown.loc[0, "lest som"] == "skilletegn ';', desimaltegn ',', utf-8, dagen først"
    assert shown.loc[0, "rader"] == 2 and shown.loc[0, "fil"] == "invoices.csv"
    with i18n.using("en"):
        assert cd.summary().equals(english)


def test_dialect_words_name_a_tab_in_bokmal():
    from kpi_helpers.data.dialect import dialect_words

    d = Dialect(sep="tab", decimal=".", encoding="cp1252", monthfirst=True)
    assert dialect_words(d) == "sep tab, decimal '.', cp1252, month first"
    with i18n.using("nb"):
        assert dialect_words(d) == "skilletegn tabulator, desimaltegn '.', cp1252, måneden først"


def test_the_english_messages_do_not_load_babel():
    """English output never needs the catalogues: tr() for English reads no .po file."""
    import subprocess
    import sys

    code = ("import sys; from kpi_helpers.data import schemas, dialect; from kpi_helpers.data.dialect import "
            "dialect_words, Dialect; dialect_words(Dialect(sep=',', decimal='.', encoding='utf-8')); "
            "schemas.TABLES['startup']['invoices'].columns[2].expectation(); "
            "print(any(m == 'babel' or m.startswith('babel.') or m == 'pandas' for m in sys.modules))")
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root,
                         env={"PYTHONPATH": str(root), "PATH": ""}, check=True)
    assert out.stdout.strip() == "False"
