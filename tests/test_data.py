"""Tests of kpi_helpers.data: dialects, formats, column maps, validation messages, month_table."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi_helpers.periods import month_table
from kpi_helpers.data import (
    TABLES,
    CaseData,
    DataError,
    Dialect,
    describe_tables,
    load_case,
    parse_column_map,
    read_table,
    table_spec,
    write_template,
)
from kpi_helpers.data import errors as data_errors

from conftest import ROOT as REPO  # noqa: E402

# A small valid data set per case (canonical names, ISO dates, ',' separated, UTF-8).
VALID: dict[str, dict[str, str]] = {
    "startup": {
        "invoices": "date,customer,amount\n2024-01-01,A,1000\n2024-01-15,B,250.5\n2024-02-29,A,1200\n",
        "customers": "customer,strategic_value,growth_potential,engagement\nA,3,2,4\nB,5,5,3\n",
    },
    "consultancy": {
        "projects": (
            "project_id,client,start_date,planned_end,actual_end,hourly_rate\n"
            "P01,Globex,2024-01-02,2024-03-31,2024-03-15,1500\n"
            "P02,Initech,2024-02-01,2024-04-30,,1200\n"
        ),
        "timesheets": (
            "date,consultant,project_id,hours\n"
            "2024-01-03,Kari,P01,7.5\n2024-02-05,Ola,P02,6\n2024-02-06,Kari,P01,0\n"
        ),
        "consultants": "consultant,start_date,end_date,weekly_hours\nKari,2020-01-01,,37.5\nOla,2023-05-01,2024-06-30,30\n",
        "surveys": "project_id,date,score\nP01,2024-03-20,5\nP02,2024-04-01,3\n",
    },
    "marketing_agency": {
        "campaign_stats": (
            "date,client,campaign,channel,impressions,clicks,conversions,spend,conversion_value\n"
            "2024-01-01,Acme,Spring,search,1000,50,5,200.0,900\n"
            "2024-01-02,Acme,Spring,social,2000,40,0,150.5,0\n"
            "2024-01-02,Beta,Launch,,0,0,0,0,0\n"
        ),
    },
    "restaurant": {
        "visits": (
            "date,seated_at,left_at,table,guest_id,covers,bill,rating\n"
            "2024-01-05,18:00,19:30,T1,G007,2,1450,5\n"
            "2024-01-05,23:15,00:40,T2,,4,2900.5,\n"
            "2024-01-06,19:00,21:00,T1,G007,2,1600,4\n"
        ),
        "tables": "table,seats\nT1,2\nT2,4\n",
    },
    "your_data": {
        "transactions": "date,customer,amount\n2024-03-01,Nordic AS,500\n2024-03-31,Fjord AB,700\n",
        "customers": "customer,strategic_value,growth_potential,engagement\nNordic AS,4,4,4\nFjord AB,2,3,\n",
    },
    "concepts": {
        "production": (
            "step,units_in,good_first_pass,defective,minutes\n"
            "cutting,1000,970,12,480\nwelding,988,950,20,600\n"
        ),
        "bank_client": (
            "month,revenue,support_tickets,tickets_resolved_in_sla,csat_responses,csat_satisfied,"
            "nps_promoters,nps_detractors,nps_responses\n"
            "2025-01,1186811.00,49,42,25,20,8,3,17\n2025-02,1143134.00,53,45,30,24,12,4,25\n"
        ),
    },
}


def write_case(tmp_path: Path, case: str, override: dict[str, str | None] | None = None,
               folder: str | None = None) -> Path:
    """Write the valid files of ``case`` into tmp_path/<folder>; override[table] = text (None = leave out)."""
    d = tmp_path / (folder or case)
    d.mkdir(parents=True, exist_ok=True)
    tables = dict(VALID[case])
    tables.update(override or {})
    for name, text in tables.items():
        if text is not None:
            (d / f"{name}.csv").write_text(text, encoding="utf-8")
    return d


def assert_error(exc: DataError, file: str, column: str | None, rows: list[int] | None, *snippets: str) -> None:
    msg = str(exc)
    assert "\n" not in msg
    assert file in msg, msg
    assert exc.file is not None and file in exc.file
    if column is not None:
        assert f"column '{column}'" in msg, msg
        assert exc.column == column
    if rows is not None:
        assert exc.rows[: len(rows)] == rows, (exc.rows, msg)
        for r in rows[:5]:
            assert str(r) in msg
    assert "expected" in msg and exc.expected
    for s in snippets:
        assert s in msg, (s, msg)


# --------------------------------------------------------------------------- the valid cases
@pytest.mark.parametrize("case", sorted(VALID))
def test_every_case_loads_with_canonical_dtypes(tmp_path, case):
    d = write_case(tmp_path, case)
    cd = load_case(case, d)
    assert isinstance(cd, CaseData)
    assert set(cd.tables) == set(TABLES[case])
    assert cd.missing_tables == ()
    for name, spec in TABLES[case].items():
        frame = cd[name]
        assert list(frame.columns) == list(spec.column_names)
        for col in spec.columns:
            assert str(frame[col.name].dtype) == col.dtype, (name, col.name, frame[col.name].dtype)
        assert isinstance(frame.index, pd.RangeIndex)


def test_dtypes_per_kind(tmp_path):
    cd = load_case("restaurant", write_case(tmp_path, "restaurant"))
    v = cd["visits"]
    assert v["date"].dtype == "datetime64[us]"
    assert v["seated_at"].dtype == "datetime64[us]"
    assert v["table"].dtype == "str" and v["guest_id"].dtype == "str"
    assert v["covers"].dtype == "int64"
    assert v["bill"].dtype == "float64"
    assert v["rating"].dtype == "float64"  # nullable integer
    assert np.isnan(v.loc[1, "rating"])
    assert pd.isna(v.loc[1, "guest_id"])
    assert (v["date"] == v["date"].dt.normalize()).all()
    assert cd["tables"]["seats"].dtype == "int64"


def test_past_midnight_visit(tmp_path):
    cd = load_case("restaurant", write_case(tmp_path, "restaurant"))
    v = cd["visits"]
    assert v.loc[0, "seated_at"] == pd.Timestamp("2024-01-05 18:00")
    assert v.loc[0, "left_at"] == pd.Timestamp("2024-01-05 19:30")
    assert v.loc[1, "seated_at"] == pd.Timestamp("2024-01-05 23:15")
    assert v.loc[1, "left_at"] == pd.Timestamp("2024-01-06 00:40")
    assert (v["left_at"] > v["seated_at"]).all()


def test_times_with_seconds_and_dots(tmp_path):
    text = "date,seated_at,left_at,table,covers,bill\n2024-01-05,18.00,19:30:15,T1,2,100\n"
    cd = load_case("restaurant", write_case(tmp_path, "restaurant", {"visits": text}))
    v = cd["visits"]
    assert v.loc[0, "seated_at"] == pd.Timestamp("2024-01-05 18:00")
    assert v.loc[0, "left_at"] == pd.Timestamp("2024-01-05 19:30:15")


def test_actual_end_empty_is_ongoing(tmp_path):
    cd = load_case("consultancy", write_case(tmp_path, "consultancy"))
    p = cd["projects"]
    assert p.loc[0, "actual_end"] == pd.Timestamp("2024-03-15")
    assert pd.isna(p.loc[1, "actual_end"])
    assert pd.isna(cd["consultants"].loc[0, "end_date"])


# --------------------------------------------------------------------------- dialects
def test_semicolon_decimal_comma_dotted_dates(tmp_path):
    text = (
        "date;customer;amount\n"
        "05.01.2024;A;1234,50\n"
        "06.01.2024;B;1 234,50\n"
        "07.01.2024;C;1.234,50\n"
        "08.01.2024;D;-12,5\n"
        "9.1.2024;E;7\n"
    )
    d = write_case(tmp_path, "startup", {"invoices": text, "customers": None})
    cd = load_case("startup", d)
    inv = cd["invoices"]
    assert inv["amount"].tolist() == [1234.5, 1234.5, 1234.5, -12.5, 7.0]
    assert inv["date"].tolist()[0] == pd.Timestamp("2024-01-05")
    assert inv["date"].tolist()[-1] == pd.Timestamp("2024-01-09")
    assert cd.dialects["invoices"].sep == ";"
    assert cd.dialects["invoices"].decimal == ","


def test_semicolon_with_decimal_point_stays_point(tmp_path):
    text = "date;customer;amount\n2024-01-05;A;12.50\n2024-01-06;B;1,234.50\n"
    cd = load_case("startup", write_case(tmp_path, "startup", {"invoices": text}))
    assert cd["invoices"]["amount"].tolist() == [12.5, 1234.5]
    assert cd.dialects["invoices"].decimal == "."


def test_comma_separated_thousands_with_decimal_point(tmp_path):
    text = 'date,customer,amount\n2024-01-05,A,"1,234.50"\n2024-01-06,B,"1 000"\n2024-01-07,C,1e3\n'
    cd = load_case("startup", write_case(tmp_path, "startup", {"invoices": text}))
    assert cd["invoices"]["amount"].tolist() == [1234.5, 1000.0, 1000.0]


def test_quoted_decimal_comma_in_comma_file_is_an_error_with_hint(tmp_path):
    text = 'date,customer,amount\n2024-01-05,A,"12,5"\n2024-01-06,B,3\n'
    with pytest.raises(DataError) as ei:
        load_case("startup", write_case(tmp_path, "startup", {"invoices": text}))
    assert_error(ei.value, "startup/invoices.csv", "amount", [2], "'12,5'", "--decimal ,")
    # and told explicitly, it reads
    cd = load_case("startup", tmp_path / "startup", dialect=Dialect(decimal=","))
    assert cd["invoices"]["amount"].tolist() == [12.5, 3.0]


def test_unquoted_decimal_comma_in_comma_file_names_the_row(tmp_path):
    text = "date,customer,amount\n2024-01-05,A,12\n2024-01-06,B,12,50\n"
    with pytest.raises(DataError) as ei:
        load_case("startup", write_case(tmp_path, "startup", {"invoices": text}))
    msg = str(ei.value)
    assert "startup/invoices.csv" in msg and "row 3" in msg and "4 fields" in msg and "3" in msg
    assert ei.value.rows == [3]


def test_iso_compact_and_datetime_dates(tmp_path):
    text = "date,customer,amount\n20240105,A,1\n2024-01-06,B,1\n2024-01-07 13:45:00,C,1\n2024/1/8,D,1\n"
    cd = load_case("startup", write_case(tmp_path, "startup", {"invoices": text}))
    assert cd["invoices"]["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-05", "2024-01-06", "2024-01-07", "2024-01-08"]


def test_dayfirst_slash_dates(tmp_path):
    text = "date;customer;amount\n31/01/2024;A;1\n01/02/2024;B;1\n"
    d = write_case(tmp_path, "startup", {"invoices": text})
    cd = load_case("startup", d, dialect=Dialect(dayfirst=True))
    assert cd["invoices"]["date"].tolist() == [pd.Timestamp("2024-01-31"), pd.Timestamp("2024-02-01")]
    # without a flag, 31/01/2024 can only be day first: read so, with a warning naming both flags
    cd = load_case("startup", d)
    assert cd["invoices"]["date"].tolist() == [pd.Timestamp("2024-01-31"), pd.Timestamp("2024-02-01")]
    assert any("day first" in w and "'31/01/2024'" in w and "--monthfirst" in w for w in cd.warnings)
    with pytest.raises(DataError) as ei:
        load_case("startup", d, dialect=Dialect(monthfirst=True))
    assert_error(ei.value, "startup/invoices.csv", "date", [2], "'31/01/2024'", "not a date", "--dayfirst")


def test_month_first_slash_without_dayfirst(tmp_path):
    text = "date,customer,amount\n01/31/2024,A,1\n"
    cd = load_case("startup", write_case(tmp_path, "startup", {"invoices": text}))
    assert cd["invoices"].loc[0, "date"] == pd.Timestamp("2024-01-31")
    assert any("month first" in w and "--monthfirst" in w for w in cd.warnings)
    cd = load_case("startup", write_case(tmp_path, "startup", {"invoices": text}), dialect=Dialect(monthfirst=True))
    assert not any("month first" in w for w in cd.warnings)


def test_impossible_dates_are_errors(tmp_path):
    text = "date,customer,amount\n2024-02-30,A,1\n2024-13-01,B,1\n20241301,C,1\nyesterday,D,1\n2024-01-01,E,1\n"
    with pytest.raises(DataError) as ei:
        load_case("startup", write_case(tmp_path, "startup", {"invoices": text}))
    assert_error(ei.value, "startup/invoices.csv", "date", [2, 3, 4, 5], "4 values are not dates", "'yesterday'",
                 "2024-01-31")


def test_utf8_with_and_without_bom(tmp_path):
    text = "date,customer,amount\n2024-01-05,Ærlig Øl Å/S,10\n"
    d = write_case(tmp_path, "startup", {"customers": None})
    (d / "invoices.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    cd = load_case("startup", d)
    assert cd["invoices"].loc[0, "customer"] == "Ærlig Øl Å/S"
    assert not any("Windows-1252" in w for w in cd.warnings)
    (d / "invoices.csv").write_bytes(text.encode("utf-8"))
    cd = load_case("startup", d)
    assert list(cd["invoices"].columns) == ["date", "customer", "amount"]
    assert cd["invoices"].loc[0, "customer"] == "Ærlig Øl Å/S"


def test_windows_1252_fallback_is_a_warning(tmp_path):
    text = "date;customer;amount\n05.01.2024;Blåbær Kafé;12,50\n06.01.2024;Søstrene Ødegård;3\n"
    d = write_case(tmp_path, "startup", {"customers": None})
    (d / "invoices.csv").write_bytes(text.encode("cp1252"))
    cd = load_case("startup", d)
    assert cd["invoices"]["customer"].tolist() == ["Blåbær Kafé", "Søstrene Ødegård"]
    assert cd["invoices"]["amount"].tolist() == [12.5, 3.0]
    assert any("startup/invoices.csv" in w and "Windows-1252" in w for w in cd.warnings)
    assert cd.dialects["invoices"].encoding == "cp1252"
    # told the encoding: no warning
    cd = load_case("startup", d, dialect=Dialect(encoding="cp1252"))
    assert cd["invoices"]["customer"].tolist() == ["Blåbær Kafé", "Søstrene Ødegård"]
    assert not any("Windows-1252" in w for w in cd.warnings)


def test_wrong_explicit_encoding_is_a_data_error(tmp_path):
    d = write_case(tmp_path, "startup", {"customers": None})
    (d / "invoices.csv").write_bytes("date,customer,amount\n2024-01-05,Blåbær,1\n".encode("cp1252"))
    with pytest.raises(DataError) as ei:
        load_case("startup", d, dialect=Dialect(encoding="utf-8"))
    assert "startup/invoices.csv" in str(ei.value) and "utf-8" in str(ei.value)


def test_utf16_with_bom_tab_separated(tmp_path):
    d = write_case(tmp_path, "startup", {"invoices": None, "customers": None})
    text = "date\tcustomer\tamount\r\n05.01.2024\tÅsa\t12,50\r\n"
    (d / "invoices.txt").write_bytes(text.encode("utf-16"))
    cd = load_case("startup", d)
    assert cd["invoices"].loc[0, "customer"] == "Åsa"
    assert cd["invoices"].loc[0, "amount"] == 12.5


def test_tsv_and_explicit_tab(tmp_path):
    d = write_case(tmp_path, "startup", {"invoices": None})
    (d / "invoices.tsv").write_text("date\tcustomer\tamount\n2024-01-05\tA\t1.5\n", encoding="utf-8")
    assert load_case("startup", d)["invoices"].loc[0, "amount"] == 1.5
    # an explicit separator applies to every text file: the comma-separated customers.csv then fails
    with pytest.raises(DataError, match="customers.csv.*separator"):
        load_case("startup", d, dialect=Dialect(sep="tab"))
    (d / "customers.csv").unlink()
    assert load_case("startup", d, dialect=Dialect(sep="tab"))["invoices"].loc[0, "amount"] == 1.5


def test_excel_sep_hint_line_and_blank_lines(tmp_path):
    text = "sep=;\ndate;customer;amount\n2024-01-05;A;1,5\n\n;;\n2024-01-06;B;x\n"
    with pytest.raises(DataError) as ei:
        load_case("startup", write_case(tmp_path, "startup", {"invoices": text}))
    # header is spreadsheet row 2 here, so the bad value sits in row 6
    assert_error(ei.value, "startup/invoices.csv", "amount", [6], "'x'")


def test_ids_keep_leading_zeros(tmp_path):
    d = write_case(tmp_path, "consultancy", {
        "projects": ("project_id,client,start_date,planned_end,actual_end,hourly_rate\n"
                     "007,0042,2024-01-02,2024-03-31,,1500\n"),
        "timesheets": "date,consultant,project_id,hours\n2024-01-03,Kari,007,7.5\n",
        "surveys": "project_id,date,score\n007,2024-03-20,4\n",
    })
    cd = load_case("consultancy", d)
    assert cd["projects"].loc[0, "project_id"] == "007"
    assert cd["projects"].loc[0, "client"] == "0042"
    assert cd["timesheets"].loc[0, "project_id"] == "007"


def test_ids_are_stripped(tmp_path):
    text = "date,customer,amount\n2024-01-05,  A  ,1\n2024-01-06,A,2\n"
    cd = load_case("startup", write_case(tmp_path, "startup", {"invoices": text}))
    assert cd["invoices"]["customer"].tolist() == ["A", "A"]


def test_extra_columns_ignored_and_order_canonical(tmp_path):
    text = "note,amount,Customer , DATE,vat\nhi,10,A,2024-01-05,2.5\n"
    cd = load_case("startup", write_case(tmp_path, "startup", {"invoices": text}))
    assert list(cd["invoices"].columns) == ["date", "customer", "amount"]
    assert cd["invoices"].loc[0, "customer"] == "A"


# --------------------------------------------------------------------------- Excel and Parquet
def test_excel_native_and_text_cells(tmp_path):
    import datetime as dt

    import openpyxl

    d = write_case(tmp_path, "startup", {"invoices": None, "customers": None})
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Fakturaer"
    ws.append(["Dato", "Kunde", "Beløp", "Kommentar"])
    ws.append([dt.datetime(2024, 1, 5), "007", 1234.5, "x"])
    ws.append([])  # blank row, skipped
    ws.append(["06.01.2024", 42, "12,50", None])
    ws.append([20240107, "Ærlig", 3, None])
    wb.save(d / "invoices.xlsx")
    cmap = {"invoices": {"Dato": "date", "Kunde": "customer", "Beløp": "amount"}}
    cd = load_case("startup", d, cmap)
    inv = cd["invoices"]
    assert inv["customer"].tolist() == ["007", "42", "Ærlig"]
    assert inv["amount"].tolist() == [1234.5, 12.5, 3.0]
    assert inv["date"].tolist() == [pd.Timestamp("2024-01-05"), pd.Timestamp("2024-01-06"),
                                    pd.Timestamp("2024-01-07")]
    assert inv["date"].dtype == "datetime64[us]" and inv["customer"].dtype == "str"
    assert cd.files["invoices"].name == "invoices.xlsx"


def test_excel_error_rows_are_sheet_rows(tmp_path):
    import openpyxl

    d = write_case(tmp_path, "startup", {"invoices": None, "customers": None})
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["date", "customer", "amount"])
    ws.append(["2024-01-05", "A", 1])
    ws.append([])
    ws.append(["2024-01-06", "B", "abc"])
    wb.save(d / "invoices.xlsx")
    with pytest.raises(DataError) as ei:
        load_case("startup", d)
    assert_error(ei.value, "startup/invoices.xlsx", "amount", [4], "'abc'", "not a number")


def test_excel_times_for_visits(tmp_path):
    import datetime as dt

    import openpyxl

    d = write_case(tmp_path, "restaurant", {"visits": None})
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["date", "seated_at", "left_at", "table", "covers", "bill", "rating"])
    ws.append([dt.date(2024, 1, 5), dt.time(22, 30), dt.time(0, 15), "T1", 2, 900, None])
    ws.append([dt.date(2024, 1, 6), "19:00", "20:10", "T2", 3, 1200.5, 4])
    wb.save(d / "visits.xlsx")
    cd = load_case("restaurant", d)
    v = cd["visits"]
    assert v.loc[0, "left_at"] == pd.Timestamp("2024-01-06 00:15")
    assert v.loc[1, "seated_at"] == pd.Timestamp("2024-01-06 19:00")
    assert np.isnan(v.loc[0, "rating"]) and v.loc[1, "rating"] == 4.0
    assert cd.missing_columns["visits"] == ("guest_id",)


def test_parquet(tmp_path):
    d = write_case(tmp_path, "marketing_agency", {"campaign_stats": None})
    df = pd.DataFrame({
        "date": pd.to_datetime(["2024-01-01", "2024-01-02"]),
        "client": ["Acme", "Acme"],
        "campaign": ["007", "008"],
        "impressions": np.array([1000, 2000], dtype="int64"),
        "clicks": np.array([10, 20], dtype="int32"),
        "conversions": [1.0, 2.0],
        "spend": [10.5, 20.25],
        "extra": ["a", "b"],
    })
    df.to_parquet(d / "campaign_stats.parquet", engine="pyarrow")
    cd = load_case("marketing_agency", d)
    cs = cd["campaign_stats"]
    assert list(cs.columns) == ["date", "client", "campaign", "impressions", "clicks", "conversions", "spend"]
    assert cs["campaign"].tolist() == ["007", "008"]
    assert cs["clicks"].dtype == "int64" and cs["conversions"].dtype == "int64"
    assert cs["spend"].tolist() == [10.5, 20.25]
    assert cd.missing_columns["campaign_stats"] == ("channel", "conversion_value")
    assert not cd.has("campaign_stats", "conversion_value")


def test_parquet_error_rows(tmp_path):
    d = write_case(tmp_path, "marketing_agency", {"campaign_stats": None})
    df = pd.DataFrame({
        "date": ["2024-01-01", "2024-01-02", "2024-01-03"], "client": ["A"] * 3, "campaign": ["c"] * 3,
        "impressions": [10, 10, 10], "clicks": [1, 2, 3], "conversions": [0, -1, 0], "spend": [1.0, 1.0, 1.0],
    })
    df.to_parquet(d / "campaign_stats.parquet")
    with pytest.raises(DataError) as ei:
        load_case("marketing_agency", d)
    assert_error(ei.value, "marketing_agency/campaign_stats.parquet", "conversions", [3], "out of range", ">= 0")


def test_two_files_for_one_table_is_an_error(tmp_path):
    d = write_case(tmp_path, "startup")
    (d / "invoices.txt").write_text(VALID["startup"]["invoices"], encoding="utf-8")
    with pytest.raises(DataError) as ei:
        load_case("startup", d)
    assert "invoices.csv" in str(ei.value) and "invoices.txt" in str(ei.value)


def test_files_override(tmp_path):
    d = write_case(tmp_path, "startup", {"invoices": None})
    (d / "Fakturaer 2024.csv").write_text(VALID["startup"]["invoices"], encoding="utf-8")
    cd = load_case("startup", d, files={"invoices": "Fakturaer 2024.csv"})
    assert len(cd["invoices"]) == 3


# --------------------------------------------------------------------------- column maps
def test_column_map_per_table_and_star(tmp_path):
    inv = "Dato;Kunde;Beløp;Mva\n05.01.2024;A;100,00;25\n"
    cust = "Kunde;strategic_value;growth_potential;engagement\nA;5;4;3\n"
    d = write_case(tmp_path, "startup", {"invoices": inv, "customers": cust})
    cmap = {"*": {"Kunde": "customer"}, "invoices": {"Dato": "date", "Beløp": "amount"}}
    before = {k: dict(v) for k, v in cmap.items()}
    cd = load_case("startup", d, cmap)
    assert cmap == before  # not mutated
    assert cd["invoices"].loc[0, "amount"] == 100.0
    assert cd["customers"].loc[0, "customer"] == "A"


def test_column_map_wins_over_a_same_named_column(tmp_path):
    text = "date,Fakturadato,customer,amount\n2024-12-31,2024-01-05,A,1\n"
    d = write_case(tmp_path, "startup", {"invoices": text})
    cd = load_case("startup", d, {"invoices": {"Fakturadato": "date"}})
    assert cd["invoices"].loc[0, "date"] == pd.Timestamp("2024-01-05")


def test_column_map_source_missing_lists_columns(tmp_path):
    d = write_case(tmp_path, "startup")
    with pytest.raises(DataError) as ei:
        load_case("startup", d, {"invoices": {"Dato": "date"}})
    e = ei.value
    assert e.file == "startup/invoices.csv" and e.column == "Dato"
    assert "'Dato'" in str(e) and "'date', 'customer', 'amount'" in str(e)


def test_column_map_bad_target_and_table(tmp_path):
    d = write_case(tmp_path, "startup")
    with pytest.raises(DataError, match="not a column of invoices"):
        load_case("startup", d, {"invoices": {"customer": "kunde"}})
    with pytest.raises(DataError, match="invoice'.*invoices, customers"):
        load_case("startup", d, {"invoice": {"a": "date"}})
    with pytest.raises(DataError, match="no column of case startup"):
        load_case("startup", d, {"*": {"a": "dato"}})


def test_missing_required_column_suggests_map(tmp_path):
    d = write_case(tmp_path, "startup", {"invoices": "date,kunde,amount\n2024-01-01,A,1\n"})
    with pytest.raises(DataError) as ei:
        load_case("startup", d)
    assert_error(ei.value, "startup/invoices.csv", None, None, "'customer'", "'kunde'", "--map")
    assert ei.value.column == "customer"


def test_parse_column_map():
    assert parse_column_map(["invoices.Dato=date", "*.Kunde=customer", "invoices.Beløp (kr.)=amount"]) == {
        "invoices": {"Dato": "date", "Beløp (kr.)": "amount"}, "*": {"Kunde": "customer"}}
    with pytest.raises(ValueError, match="TABLE.SOURCE=TARGET"):
        parse_column_map(["Dato=date"])


# --------------------------------------------------------------------------- one DataError per table
BAD = [
    # (case, table, bad text, column, rows, snippets)
    ("startup", "invoices",
     "date,customer,amount\n2024-01-01,A,1\n2024-01-02,B,12,5x\n2024-01-03,C,abc\n2024-01-04,D,n/a\n",
     None, None, ()),  # replaced below: ragged line
    ("startup", "customers",
     "customer,strategic_value,growth_potential,engagement\nA,3,2,4\nB,6,5,0\n",
     "strategic_value", [3], ("out of range", "from 1 to 5", "'6'")),
    ("consultancy", "projects",
     "project_id,client,start_date,planned_end,actual_end,hourly_rate\n"
     "P01,Globex,2024-01-02,2024-03-31,,1500\nP01,Initech,2024-02-01,2024-04-30,,1200\n",
     "project_id", [2, 3], ("appear more than once", "'P01'", "each project_id only once")),
    ("consultancy", "timesheets",
     "date,consultant,project_id,hours\n2024-01-03,Kari,P01,7.5\n2024-01-04,Kari,P01,-2\n",
     "hours", [3], ("out of range", ">= 0", "'-2'")),
    ("consultancy", "consultants",
     "consultant,start_date,end_date,weekly_hours\nKari,2020-01-01,,0\nOla,2023-05-01,2024-06-30,30\n",
     "weekly_hours", [2], ("out of range", "> 0")),
    ("consultancy", "surveys",
     "project_id,date,score\nP01,2024-03-20,4.5\nP02,2024-04-01,3\n",
     "score", [2], ("not a whole number", "'4.5'", "whole number from 1 to 5")),
    ("marketing_agency", "campaign_stats",
     "date,client,campaign,channel,impressions,clicks,conversions,spend,conversion_value\n"
     "2024-01-01,Acme,Spring,search,100,120,5,200.0,900\n",
     "clicks", [2], ("above impressions", "120 > 100", "clicks <= impressions")),
    ("restaurant", "visits",
     "date,seated_at,left_at,table,guest_id,covers,bill,rating\n"
     "2024-01-05,18:00,19:30,T1,G1,0,100,5\n",
     "covers", [2], ("out of range", "whole number >= 1")),
    ("restaurant", "tables",
     "table,seats\nT1,2\nT2,\n",
     "seats", [3], ("empty", "in every row")),
    ("your_data", "transactions",
     "date,customer,amount\n2024-03-01,,500\n2024-03-02,B,1\n",
     "customer", [2], ("1 value is empty", "identifier in every row")),
    ("your_data", "customers",
     "customer,strategic_value,growth_potential,engagement\nA,high,3,3\n",
     "strategic_value", [2], ("not a number", "'high'")),
    ("concepts", "production",
     "step,units_in,good_first_pass,defective,minutes\ncutting,100,120,0,10\n",
     "good_first_pass", [2], ("above units_in", "good_first_pass <= units_in")),
    ("concepts", "bank_client",
     "month,revenue,support_tickets,tickets_resolved_in_sla,csat_responses,csat_satisfied,"
     "nps_promoters,nps_detractors,nps_responses\n2025-01,100,10,8,5,6,1,1,3\n2025-01,100,10,8,5,4,1,1,3\n",
     "month", [2, 3], ("appear more than once", "'2025-01'", "Further problems", "csat_satisfied")),
]
BAD[0] = ("startup", "invoices",
          "date,customer,amount\n2024-01-01,A,1\n2024-01-02,B,12.5x\n2024-01-03,C,abc\n2024-01-04,D,n/a\n",
          "amount", [3, 4, 5], ("3 values are not numbers", "'12.5x', 'abc', 'n/a'",
                                "expected a number such as 1234.50 or 1234,50 with --decimal ,."))


def test_bad_cases_cover_every_table():
    assert {(c, t) for c, t, *_ in BAD} == {(c, t) for c in TABLES for t in TABLES[c]}


@pytest.mark.parametrize("case,table,text,column,rows,snippets", BAD, ids=[f"{c}.{t}" for c, t, *_ in BAD])
def test_data_error_per_table(tmp_path, case, table, text, column, rows, snippets):
    d = write_case(tmp_path, case, {table: text})
    with pytest.raises(DataError) as ei:
        load_case(case, d)
    assert_error(ei.value, f"{case}/{table}.csv", column, rows, *snippets)


def test_example_message_exact(tmp_path):
    d = write_case(tmp_path, "startup", {"invoices": BAD[0][2]})
    with pytest.raises(DataError) as ei:
        load_case("startup", d)
    assert str(ei.value) == (
        "startup/invoices.csv, column 'amount': 3 values are not numbers (rows 3, 4, 5: '12.5x', 'abc', 'n/a'); "
        "expected a number such as 1234.50 or 1234,50 with --decimal ,.")
    assert ei.value.rows == [3, 4, 5] and ei.value.column == "amount"
    assert isinstance(ei.value, ValueError)


def test_many_rows_are_abbreviated(tmp_path):
    rows = "".join(f"2024-01-{i:02d},A,x{i}\n" for i in range(1, 10))
    d = write_case(tmp_path, "startup", {"invoices": "date,customer,amount\n" + rows})
    with pytest.raises(DataError) as ei:
        load_case("startup", d)
    msg = str(ei.value)
    assert "9 values are not numbers (rows 2, 3, 4, 5, 6 and 4 more: 'x1'" in msg
    assert ei.value.rows == list(range(2, 11))


def test_several_problems_in_one_file(tmp_path):
    text = "date,customer,amount\nsoon,A,1\n2024-01-02,,x\n"
    d = write_case(tmp_path, "startup", {"invoices": text})
    with pytest.raises(DataError) as ei:
        load_case("startup", d)
    e = ei.value
    assert e.column == "date" and len(e.problems) == 3
    assert {p.column for p in e.problems} == {"date", "customer", "amount"}
    assert "Further problems in this file: column 'customer'" in str(e)


def test_reference_errors(tmp_path):
    d = write_case(tmp_path, "consultancy", {
        "timesheets": "date,consultant,project_id,hours\n2024-01-03,Kari,P01,7.5\n2024-01-04,Kari,P99,1\n"})
    with pytest.raises(DataError) as ei:
        load_case("consultancy", d)
    assert_error(ei.value, "consultancy/timesheets.csv", "project_id", [3], "'P99'", "consultancy/projects.csv")

    d = write_case(tmp_path, "consultancy", {"consultants": None, "surveys": "project_id,date,score\nX,2024-01-01,3\n"},
                   folder="c2")
    with pytest.raises(DataError) as ei:
        load_case("consultancy", d)
    assert_error(ei.value, "c2/surveys.csv", "project_id", [2], "'X'")

    d = write_case(tmp_path, "restaurant", {
        "visits": "date,table,covers,bill\n2024-01-05,T9,2,100\n2024-01-05,T1,2,100\n"})
    with pytest.raises(DataError) as ei:
        load_case("restaurant", d)
    assert_error(ei.value, "restaurant/visits.csv", "table", [2], "'T9'", "restaurant/tables.csv")


def test_references_skipped_when_optional_table_missing(tmp_path):
    d = write_case(tmp_path, "restaurant", {
        "tables": None, "visits": "date,table,covers,bill\n2024-01-05,T9,2,100\n"})
    cd = load_case("restaurant", d)
    assert cd.missing_tables == ("tables",)
    assert cd["visits"].loc[0, "table"] == "T9"


def test_consultant_not_in_consultants_is_an_error(tmp_path):
    d = write_case(tmp_path, "consultancy", {
        "timesheets": "date,consultant,project_id,hours\n2024-01-03,Per,P01,7.5\n"})
    with pytest.raises(DataError) as ei:
        load_case("consultancy", d)
    assert_error(ei.value, "consultancy/timesheets.csv", "consultant", [2], "'Per'")


def test_dates_in_wrong_order(tmp_path):
    d = write_case(tmp_path, "consultancy", {
        "projects": ("project_id,client,start_date,planned_end,actual_end,hourly_rate\n"
                     "P01,Globex,2024-03-01,2024-03-31,2024-02-01,1500\nP02,I,2024-02-01,2024-04-30,,1\n")})
    with pytest.raises(DataError) as ei:
        load_case("consultancy", d)
    assert_error(ei.value, "consultancy/projects.csv", "actual_end", [2], "before start_date",
                 "2024-02-01 < 2024-03-01", "actual_end >= start_date")


def test_covers_above_seats_is_a_warning(tmp_path):
    d = write_case(tmp_path, "restaurant", {
        "visits": "date,table,covers,bill\n2024-01-05,T1,3,100\n2024-01-05,T2,4,100\n2024-01-06,T1,5,1\n"})
    cd = load_case("restaurant", d)
    w = [x for x in cd.warnings if "seats" in x]
    assert len(w) == 1 and "2 visits" in w[0] and "rows 2, 4" in w[0] and "walk-ins" in w[0]
    assert cd["visits"]["covers"].tolist() == [3, 4, 5]


def test_unscored_customers_warn(tmp_path):
    d = write_case(tmp_path, "startup", {"customers": "customer,strategic_value,growth_potential,engagement\nA,1,2,3\n"})
    cd = load_case("startup", d)
    assert any("1 of 2 customers have no row in startup/customers.csv ('B')" in w for w in cd.warnings)


# --------------------------------------------------------------------------- empty, header-only, missing
def test_empty_file(tmp_path):
    d = write_case(tmp_path, "startup", {"invoices": ""})
    with pytest.raises(DataError) as ei:
        load_case("startup", d)
    assert "startup/invoices.csv" in str(ei.value) and "empty" in str(ei.value)
    assert "date, customer, amount" in str(ei.value)


def test_header_only_required_table(tmp_path):
    d = write_case(tmp_path, "startup", {"invoices": "date,customer,amount\n\n"})
    with pytest.raises(DataError, match="no data rows") as ei:
        load_case("startup", d)
    assert ei.value.file == "startup/invoices.csv"


def test_header_only_optional_table_is_treated_as_missing(tmp_path):
    d = write_case(tmp_path, "startup", {"customers": "customer,strategic_value,growth_potential,engagement\n"})
    cd = load_case("startup", d)
    assert cd.missing_tables == ("customers",)
    assert not cd.has("customers")
    assert any("customers.csv" in w and "no data rows" in w for w in cd.warnings)


def test_missing_required_table_names_expected_files(tmp_path):
    d = write_case(tmp_path, "consultancy", {"timesheets": None})
    with pytest.raises(DataError) as ei:
        load_case("consultancy", d)
    msg = str(ei.value)
    assert "timesheets.csv" in msg and "timesheets.xlsx" in msg and "timesheets.parquet" in msg
    assert "date, consultant, project_id, hours" in msg


def test_missing_data_folder(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_case("startup", tmp_path / "nope")


def test_unknown_case():
    with pytest.raises(ValueError, match="unknown case 'shop'"):
        load_case("shop", ".")


def test_missing_optional_tables_and_columns_recorded(tmp_path):
    d = write_case(tmp_path, "consultancy", {"consultants": None, "surveys": None})
    cd = load_case("consultancy", d)
    assert cd.missing_tables == ("consultants", "surveys")
    assert cd.has("projects") and not cd.has("surveys")
    with pytest.raises(KeyError, match="surveys"):
        cd["surveys"]

    d = write_case(tmp_path, "restaurant", {"visits": "date,table,covers,bill\n2024-01-05,T1,2,100\n"})
    cd = load_case("restaurant", d)
    assert cd.missing_columns["visits"] == ("seated_at", "left_at", "guest_id", "rating")
    assert not cd.has("visits", "rating") and cd.has("visits", "bill")
    assert "rating" not in cd["visits"].columns
    s = cd.summary()
    assert s.set_index("table").loc["visits", "missing_columns"] == "seated_at, left_at, guest_id, rating"


def test_load_case_returns_frames_the_caller_cannot_corrupt(tmp_path):
    cd = load_case("startup", write_case(tmp_path, "startup"))
    inv = cd["invoices"]
    inv.loc[0, "amount"] = -1.0
    inv["new"] = 1
    assert cd["invoices"].loc[0, "amount"] == 1000.0
    assert "new" not in cd["invoices"].columns
    with pytest.raises(TypeError):
        cd.tables["x"] = inv  # read-only mapping


# --------------------------------------------------------------------------- date range and months
def test_date_range_and_partial_month_warning(tmp_path):
    cd = load_case("startup", write_case(tmp_path, "startup"))
    assert cd.date_range == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-29"))
    assert not any("partial" in w for w in cd.warnings)
    m = cd.months()
    assert m["period"].tolist() == ["2024-01", "2024-02"] and not m["partial"].any()

    cd = load_case("restaurant", write_case(tmp_path, "restaurant"))
    assert any("2024-01 is a partial month" in w for w in cd.warnings)
    assert load_case("concepts", write_case(tmp_path, "concepts")).date_range is None


def test_month_table_partial_flags():
    m = month_table(pd.Timestamp("2024-01-15"), pd.Timestamp("2024-04-30"))
    assert m["period"].tolist() == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert m["partial"].tolist() == [True, False, False, False]
    assert m["period"].dtype == "str" and m["partial"].dtype == bool
    m = month_table("2024-01-01", "2024-03-30")
    assert m["partial"].tolist() == [False, False, True]
    m = month_table("2024-02-01", "2024-02-29")  # leap year: complete
    assert m["partial"].tolist() == [False]
    m = month_table("2024-02-03", "2024-02-10")
    assert m["period"].tolist() == ["2024-02"] and m["partial"].tolist() == [True]
    m = month_table("2023-12-31 18:00", "2024-01-31 23:59")  # times are ignored
    assert m["partial"].tolist() == [True, False]
    assert month_table(None, pd.NaT).empty
    with pytest.raises(ValueError):
        month_table("2024-02-01", "2024-01-01")


# --------------------------------------------------------------------------- schema as data
def test_schema_declared_as_data():
    assert set(TABLES) == {"startup", "consultancy", "marketing_agency", "restaurant", "your_data", "concepts"}
    assert TABLES["consultancy"]["projects"].column("project_id").unique
    assert TABLES["restaurant"]["tables"].column("table").unique
    assert TABLES["consultancy"]["consultants"].column("consultant").unique
    assert not TABLES["restaurant"]["tables"].required
    assert TABLES["restaurant"]["visits"].optional_columns == ("seated_at", "left_at", "guest_id", "rating")
    assert TABLES["marketing_agency"]["campaign_stats"].optional_columns == ("channel", "conversion_value")
    assert table_spec("startup", "invoices").file_names[0] == "invoices.csv"
    desc = describe_tables()
    assert {"case", "table", "column", "kind", "dtype", "required", "range"} <= set(desc.columns)
    assert len(desc) == sum(len(t.columns) for c in TABLES.values() for t in c.values())


def test_template_round_trip(tmp_path):
    written = write_template("startup", tmp_path / "tpl")
    assert sorted(p.name for p in written) == ["customers.csv", "invoices.csv"]
    assert (tmp_path / "tpl" / "invoices.csv").read_text() == "date,customer,amount\n"
    with pytest.raises(DataError, match="no data rows"):
        load_case("startup", tmp_path / "tpl")
    assert write_template("startup", tmp_path / "tpl") == []  # leaves existing files alone


def test_dialect_validation():
    assert Dialect(sep="\\t").sep == "\t"
    with pytest.raises(ValueError):
        Dialect(decimal=";")
    with pytest.raises(ValueError):
        Dialect(sep=";;")


def test_read_table_directly(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("date;customer;amount\n05.01.2024;A;1,5\n", encoding="utf-8")
    res = read_table(p, TABLES["your_data"]["transactions"])
    assert res.frame.loc[0, "amount"] == 1.5
    assert res.rows.tolist() == [2]
    assert res.dialect.sep == ";" and res.dialect.decimal == ","


def test_import_is_light():
    code = ("import sys, kpi_helpers.data; "
            "bad = [m for m in ('matplotlib', 'seaborn', 'ipywidgets', 'papermill', 'pandera', 'openpyxl') "
            "if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- shipped data
@pytest.mark.parametrize("case", sorted(TABLES))
def test_shipped_case_data_loads(case):
    d = REPO / "data" / case
    cd = load_case(case, d)
    for name, spec in TABLES[case].items():
        if spec.required:
            assert len(cd[name]) > 0


@pytest.mark.parametrize("name", ["invoices.xlsx", "invoices.parquet"])
def test_unreadable_binary_files_are_data_errors(tmp_path, name):
    d = write_case(tmp_path, "startup", {"invoices": None})
    (d / name).write_bytes(b"this is not a real file")
    with pytest.raises(DataError) as ei:
        load_case("startup", d)
    assert f"startup/{name}" in str(ei.value) and ei.value.file == f"startup/{name}"


# --------------------------------------------------------------------------- DataError.kind
KIND_CASES = [
    # (name, case, override, extra files, column map, expected kind, expected column)
    ("required table missing", "startup", {"invoices": None}, {}, None, "missing_file", None),
    ("required column missing", "startup", {"invoices": "date,amount\n2024-01-01,5\n"}, {}, None,
     "missing_column", "customer"),
    ("not a number", "startup", {"invoices": "date,customer,amount\n2024-01-01,A,abc\n"}, {}, None,
     "bad_value", "amount"),
    ("key not in the other table", "consultancy",
     {"timesheets": "date,consultant,project_id,hours\n2024-01-03,Kari,P99,7.5\n"}, {}, None,
     "bad_reference", "project_id"),
    ("ragged row", "startup", {"invoices": "date,customer,amount\n2024-01-01,A,1,2\n"}, {}, None,
     "unreadable", None),
    ("required file empty", "startup", {"invoices": ""}, {}, None, "empty_file", None),
    ("required file header only", "startup", {"invoices": "date,customer,amount\n"}, {}, None, "no_rows", None),
    ("two files for a table", "startup", {}, {"invoices.txt": "date,customer,amount\n2024-01-01,A,1\n"}, None,
     "ambiguous", None),
    ("map source not in the file", "startup", {}, {}, {"invoices": {"Dato": "date"}}, "bad_map", "Dato"),
    ("map names an unknown table", "startup", {}, {}, {"bills": {"Dato": "date"}}, "bad_map", "bills"),
]


@pytest.mark.parametrize("name, case, override, extra, cmap, kind, column", KIND_CASES,
                         ids=[c[0] for c in KIND_CASES])
def test_data_error_kind(tmp_path, name, case, override, extra, cmap, kind, column):
    d = write_case(tmp_path, case, override)
    for fname, text in extra.items():
        (d / fname).write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as ei:
        load_case(case, d, cmap)
    assert ei.value.kind == kind, str(ei.value)
    assert ei.value.column == column
    assert all(p.kind in data_errors.KINDS for p in ei.value.problems)


def test_data_error_kind_of_a_missing_folder(tmp_path):
    with pytest.raises(DataError) as ei:
        load_case("startup", tmp_path / "nowhere")
    assert ei.value.kind == "missing_file"


def test_data_error_kinds_are_a_fixed_vocabulary():
    assert DataError("x").kind == "bad_value"
    with pytest.raises(ValueError, match="unknown DataError kind"):
        DataError("x", kind="oops")


@pytest.mark.parametrize("text, warning", [("", "is empty"), ("customer,strategic_value\n", "has a header but no data rows")])
def test_an_empty_optional_table_is_missing_with_a_warning(tmp_path, text, warning):
    cd = load_case("startup", write_case(tmp_path, "startup", {"customers": text}))
    assert "customers" in cd.missing_tables
    assert any(f"startup/customers.csv {warning}; it is treated as missing." == w for w in cd.warnings)


def test_limit_rule_warns_and_names_the_rows(tmp_path):
    visits = ("date,seated_at,left_at,table,guest_id,covers,bill,rating\n"
              "2024-01-05,18:00,19:30,T1,G1,2,500,5\n2024-01-05,19:00,21:00,T2,,6,900,\n")
    cd = load_case("restaurant", write_case(tmp_path, "restaurant", {"visits": visits, "tables": "table,seats\nT1,2\nT2,4\n"}))
    assert ("restaurant/visits.csv: 1 visit has more covers than the table's seats (row 3); kept as they are "
            "(walk-ins squeeze in), but seat occupancy can exceed 100%.") in cd.warnings
    cd = load_case("restaurant", write_case(tmp_path, "restaurant", {"visits": visits, "tables": None}, folder="r2"))
    assert not any("seats" in w for w in cd.warnings)  # no tables.csv: the rule has nothing to compare with


def test_schemas_errors_and_dialect_import_neither_numpy_nor_pandas():
    code = ("import sys; import kpi_helpers.data as d; from kpi_helpers.data import TABLES, DataError, Dialect, "
            "table_spec, write_template; import kpi_helpers.data.schemas, kpi_helpers.data.errors, "
            "kpi_helpers.data.dialect; print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_package_lists_and_gives_every_public_name():
    import kpi_helpers.data as d

    assert sorted(dir(d)) == sorted(d.__all__)
    for name in d.__all__:
        assert getattr(d, name) is not None
    with pytest.raises(AttributeError):
        d.no_such_name  # noqa: B018


def test_an_empty_optional_workbook_is_missing_like_an_empty_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    d = write_case(tmp_path, "startup", {"customers": None})
    openpyxl.Workbook().save(d / "customers.xlsx")
    cd = load_case("startup", d)
    assert "customers" in cd.missing_tables
    assert "startup/customers.xlsx is empty; it is treated as missing." in cd.warnings


@pytest.mark.parametrize("items, words", [
    (["invoices.Dato=date", "invoices.Dato=amount"], "map column 'Dato' of invoices twice"),
    (["invoices.Dato=date", "invoices.Dag=date"], "both name the column 'date' of invoices"),
    (["*.Dato=date", "invoices.Dag=date"], "a * entry applies to every table"),
])
def test_parse_column_map_refuses_a_guess(items, words):
    """The library's rule is the command line's: a conflicting map is refused, never the last entry kept."""
    with pytest.raises(ValueError, match=re.escape(words)):
        parse_column_map(items)
    assert parse_column_map(["invoices.Dato=date", "invoices.Dato=date"]) == {"invoices": {"Dato": "date"}}
