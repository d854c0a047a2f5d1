"""The data check (issue 15): no silently wrong number.

One test (or a few) per item of the issue, each on small files written here: readings that differ
stop with an ``ambiguous`` DataError naming both readings and the option that picks one; what is
probably a mistake but may be real is a warning naming rows and the option; ``--strict`` makes the
warnings errors; a failed ``run`` leaves the previous set of outputs as it was; a conflicting
``--map`` is a usage error. The eleven consultant trials are in tests/test_malformed.py's catalogue.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi_helpers import cli, cli_notebook, kpis, report
from kpi_helpers.cli import main
from kpi_helpers.cli_options import NOTEBOOK_PARAMETERS, UsageError, parse_map_items
from kpi_helpers.data import Checks, DataError, Dialect, checks_markdown, load_case, read_table, table_spec

REPO = Path(__file__).resolve().parents[1]
INVOICES = table_spec("startup", "invoices")


def folder(tmp_path: Path, invoices: str | bytes, name: str = "invoices.csv", **more: str) -> Path:
    d = tmp_path / "startup"
    d.mkdir(parents=True, exist_ok=True)
    data = invoices.encode("utf-8") if isinstance(invoices, str) else invoices
    (d / name).write_bytes(data)
    for table, text in more.items():
        (d / f"{table}.csv").write_text(text, encoding="utf-8")
    return d


def run_main(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- 1. thousands or decimals
@pytest.mark.parametrize("sep, mark, other", [(";", ",", "."), (",", ".", ",")])
def test_three_digits_after_the_only_separator_is_ambiguous(tmp_path, sep, mark, other):
    text = f"date{sep}customer{sep}amount\n2024-01-05{sep}A{sep}16{mark}760\n2024-01-20{sep}B{sep}500\n" \
           f"2024-01-31{sep}C{sep}-1{mark}250\n"
    d = folder(tmp_path, text)
    for fast in (True, False):
        with pytest.raises(DataError) as ei:
            read_table(d / "invoices.csv", INVOICES, fast=fast)
        e = ei.value
        assert e.kind == "ambiguous" and e.column == "amount" and e.rows == [2, 4]
        msg = str(e)
        assert f"'16{mark}760' can be 16760 ('{mark}' groups thousands) or 16.76 ('{mark}' is the decimal mark)" in msg
        assert f"--decimal {other} reads '16{mark}760' as 16760" in msg and f"--decimal {mark} as 16.76" in msg
    whole = load_case("startup", d, dialect=Dialect(decimal=other))["invoices"]["amount"].tolist()
    assert whole == [16760.0, 500.0, -1250.0]
    small = load_case("startup", d, dialect=Dialect(decimal=mark))["invoices"]["amount"].tolist()
    assert small == [16.76, 500.0, -1.25]


def test_a_value_that_rules_one_reading_out_is_not_ambiguous(tmp_path):
    d = folder(tmp_path, "date;customer;amount\n2024-01-05;A;16,760\n2024-01-06;B;12,5\n")
    assert load_case("startup", d)["invoices"]["amount"].tolist() == [16.76, 12.5]
    d = folder(tmp_path / "b", "date,customer,amount\n2024-01-05,A,16.760\n2024-01-06,B,1234.50\n")
    assert load_case("startup", d)["invoices"]["amount"].tolist() == [16.76, 1234.5]


# --------------------------------------------------------------------------- 2. two sheets
def _workbook(path: Path, sheets: dict[str, list[list]]) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(path)


def test_two_sheets_with_the_table_are_ambiguous_and_sheet_picks(tmp_path):
    d = tmp_path / "startup"
    d.mkdir()
    head = ["date", "customer", "amount"]
    _workbook(d / "invoices.xlsx", {"2024": [head, ["2024-01-05", "A", 100], ["2024-02-05", "B", 50]],
                                    "2025": [head, ["2025-01-05", "A", 70]],
                                    "Notes": [["text"], ["not a table"]]})
    with pytest.raises(DataError) as ei:
        load_case("startup", d)
    e = ei.value
    assert e.kind == "ambiguous" and "'2024', '2025'" in str(e)
    assert "--sheet all" in str(e) and "--sheet '2024'" in str(e) and e.file == "startup/invoices.xlsx"
    cd = load_case("startup", d, dialect=Dialect(sheet="all"))
    assert cd["invoices"]["amount"].tolist() == [100.0, 50.0, 70.0]
    assert any("read as one table (--sheet all)" in w for w in cd.warnings)
    assert load_case("startup", d, dialect=Dialect(sheet="2025"))["invoices"]["amount"].tolist() == [70.0]
    with pytest.raises(DataError, match="no sheet named 'nope'"):
        load_case("startup", d, dialect=Dialect(sheet="nope"))


def test_the_sheet_named_like_the_table_wins_with_a_warning(tmp_path):
    d = tmp_path / "startup"
    d.mkdir()
    head = ["date", "customer", "amount"]
    _workbook(d / "invoices.xlsx", {"Old": [head, ["2023-01-05", "A", 1]], "Invoices": [head, ["2024-01-05", "A", 2]]})
    cd = load_case("startup", d)
    assert cd["invoices"]["amount"].tolist() == [2.0]
    assert any("sheets 'Old' also have the columns" in w and "--sheet all" in w for w in cd.warnings)


# --------------------------------------------------------------------------- 3. currencies
def test_two_currencies_are_a_data_error_unless_currency_picks_one(tmp_path, capsys):
    text = ("date,customer,amount,currency\n2024-01-05,A,100,NOK\n2024-01-06,B,50,EUR\n"
            "2024-01-31,A,30,nok\n")
    d = folder(tmp_path, text)
    with pytest.raises(DataError) as ei:
        load_case("startup", d)
    e = ei.value
    assert e.kind == "ambiguous" and e.column == "currency" and e.rows == [3]
    assert "NOK: 2 rows" in str(e) and "EUR: 1 row (row 3)" in str(e) and "--currency NOK" in str(e)
    cd = load_case("startup", d, checks=Checks(currency="nok"))
    assert cd["invoices"]["amount"].tolist() == [100.0, 30.0] and cd.currency == "NOK"
    assert any("1 row is not in NOK and is left out (row 3; --currency NOK)" in w for w in cd.warnings)
    # the command line: exit 3 without --currency; with it, the table and a note
    out = tmp_path / "k.csv"
    assert run_main(capsys, "kpis", "startup", "--data", d, "--out", out)[0] == 3 and not out.exists()
    code, _, err = run_main(capsys, "kpis", "startup", "--data", d, "--out", out, "--currency", "NOK")
    assert code == 0 and "left out" in err
    assert run_main(capsys, "kpis", "startup", "--data", d, "--out", out, "--currency", "N0K!")[0] == 2


def test_one_currency_column_names_the_case_currency(tmp_path):
    d = folder(tmp_path, "date;customer;amount;Valuta\n2024-01-05;A;100;EUR\n2024-01-06;B;50;EUR\n")
    cd = load_case("startup", d)
    assert cd.currency == "EUR" and cd.warnings == () or all("partial" in w for w in cd.warnings)
    # a mapped column counts too, and is not a frame column
    d = folder(tmp_path / "m", "date,customer,amount,Mynt\n2024-01-05,A,100,SEK\n")
    cd = load_case("startup", d, {"invoices": {"Mynt": "currency"}})
    assert cd.currency == "SEK" and list(cd["invoices"].columns) == ["date", "customer", "amount"]
    assert load_case("startup", folder(tmp_path / "n", "date,customer,amount\n2024-01-05,A,1\n")).currency is None


# --------------------------------------------------------------------------- 4. duplicate rows
def test_exact_duplicate_rows_warn_and_drop_duplicates_drops_them(tmp_path):
    text = "date,customer,amount\n2024-01-05,A,100\n2024-01-06,B,50\n2024-01-05,A,100\n2024-01-06,B,50\n"
    d = folder(tmp_path, text)
    cd = load_case("startup", d)
    assert cd["invoices"]["amount"].sum() == 300
    [w] = [w for w in cd.warnings if "repeat" in w]
    assert "2 rows repeat an earlier row" in w and "rows 4, 5" in w and "rows 2, 3" in w and "--drop-duplicates" in w
    cd = load_case("startup", d, checks=Checks(drop_duplicates=True))
    assert cd["invoices"]["amount"].sum() == 150 and any("dropped (--drop-duplicates)" in w for w in cd.warnings)
    assert cd.factorize("invoices", "customer")[0].tolist() == [0, 1]


# --------------------------------------------------------------------------- 5. similar names
def test_names_equal_but_for_case_and_spaces_warn_and_merge(tmp_path):
    text = ("date,customer,amount\n2024-01-05,Aurora AS,100\n2024-01-06,AURORA AS,50\n2024-01-07,Aurora  AS,10\n"
            "2024-01-08,Aurora AS,5\n2024-01-09,Bergen AS,1\n")
    d = folder(tmp_path, text, customers="customer,strategic_value\nAurora AS,5\nBergen AS,3\n")
    cd = load_case("startup", d)
    [w] = [w for w in cd.warnings if "case or spaces" in w]
    assert "'AURORA AS' / 'Aurora  AS' / 'Aurora AS'" in w and "rows 2, 3, 4, 5" in w and "--merge-similar-names" in w
    assert cd["invoices"]["customer"].nunique() == 4
    cd = load_case("startup", d, checks=Checks(merge_similar_names=True))
    inv = cd["invoices"]
    assert inv["customer"].tolist() == ["Aurora AS"] * 4 + ["Bergen AS"]
    assert inv.groupby("customer")["amount"].sum().to_dict() == {"Aurora AS": 165.0, "Bergen AS": 1.0}
    codes, uniques = cd.factorize("invoices", "customer")
    assert list(uniques) == ["Aurora AS", "Bergen AS"]


# --------------------------------------------------------------------------- 6. slash dates
def test_slash_dates_with_no_day_above_12_are_ambiguous(tmp_path):
    d = folder(tmp_path, "date,customer,amount\n03/04/2025,A,1\n05/06/2025,B,2\n")
    for fast in (True, False):
        with pytest.raises(DataError) as ei:
            read_table(d / "invoices.csv", INVOICES, fast=fast)
        e = ei.value
        assert e.kind == "ambiguous" and e.column == "date"
        assert "'03/04/2025' = 3 April 2025" in str(e) and "(4 March 2025)" in str(e)
        assert "--dayfirst or --monthfirst" in str(e)
    assert load_case("startup", d, dialect=Dialect(dayfirst=True))["invoices"]["date"].iloc[0] == pd.Timestamp("2025-04-03")
    assert load_case("startup", d, dialect=Dialect(monthfirst=True))["invoices"]["date"].iloc[0] == pd.Timestamp("2025-03-04")
    with pytest.raises(ValueError, match="exclude each other"):
        Dialect(dayfirst=True, monthfirst=True)


# --------------------------------------------------------------------------- 7. total rows
def test_a_total_row_warns_and_drop_total_rows_drops_it(tmp_path):
    text = "date,customer,amount\n2024-01-05,A,100\n2024-01-06,B,50\n2024-01-31,TOTAL,150\n"
    d = folder(tmp_path, text)
    cd = load_case("startup", d)
    [w] = [w for w in cd.warnings if "total row" in w]
    assert "row 4" in w and "customer 'TOTAL'" in w and "--drop-total-rows" in w
    cd = load_case("startup", d, checks=Checks(drop_total_rows=True))
    assert cd["invoices"]["customer"].tolist() == ["A", "B"]
    # named otherwise but equal to the sum of all others; and Norwegian names
    d = folder(tmp_path / "b", "date,customer,amount\n2024-01-05,A,100\n2024-01-06,B,50\n2024-01-31,Diverse,150\n")
    assert any("equal to the sum of all other rows" in w and "row 4" in w for w in load_case("startup", d).warnings)
    for name in ("Sum", "totalt", "SUM ALLE", "Total:"):
        d = folder(tmp_path / name.strip(":"), f"date,customer,amount\n2024-01-05,A,100\n2024-01-06,{name},7\n")
        assert any("total row" in w for w in load_case("startup", d).warnings), name


# --------------------------------------------------------------------------- 8. growth and shares
def test_growth_and_share_are_undefined_on_a_base_at_or_below_zero():
    assert kpis.growth(125, 100) == 0.25
    assert all(math.isnan(kpis.growth(50, base)) for base in (0, -20))
    assert all(math.isnan(kpis.share_of_total(30, total)) for total in (0, -10))
    assert kpis.share_of_total(30, 120) == 0.25


# --------------------------------------------------------------------------- 9. mojibake
def test_utf8_read_as_cp1252_is_named_with_the_fix(tmp_path):
    text = "date,customer,amount\n2024-01-05,Bjørk & Sønn AS,100\n2024-01-06,Ås AS,50\n"
    d = folder(tmp_path, text)
    cd = load_case("startup", d, dialect=Dialect(encoding="cp1252"))
    [w] = [w for w in cd.warnings if "mojibake" in w or "read as" in w and "UTF-8" in w]
    assert "'BjÃ¸rk & SÃ¸nn AS' -> 'Bjørk & Sønn AS'" in w and "--encoding utf-8" in w and "rows 2, 3" in w
    assert load_case("startup", d).warnings == () or not any("UTF-8 text" in w for w in load_case("startup", d).warnings)


# --------------------------------------------------------------------------- 10. ="000101"
def test_excel_guarded_ids_are_unwrapped_with_a_warning(tmp_path):
    d = folder(tmp_path, 'date,customer,amount\n2024-01-05,"=""000101""",100\n2024-01-06,000102,50\n')
    for fast in (True, False):
        res = read_table(d / "invoices.csv", INVOICES, fast=fast)
        assert res.frame["customer"].tolist() == ["000101", "000102"]
        [w] = res.warnings
        assert "column 'customer'" in w and "row 2" in w and "'=\"000101\"' -> '000101'" in w


# --------------------------------------------------------------------------- strict and the verdict list
def test_strict_makes_every_warning_a_data_error(tmp_path, capsys):
    d = folder(tmp_path, "date,customer,amount\n2024-01-01,A,100\n2024-01-01,A,100\n2024-01-31,B,5\n")
    with pytest.raises(DataError) as ei:
        load_case("startup", d, checks=Checks(strict=True))
    assert ei.value.kind == "strict" and "repeats an earlier row" in str(ei.value) and "--strict" in str(ei.value)
    out = tmp_path / "k.csv"
    code, _, err = run_main(capsys, "kpis", "startup", "--data", d, "--out", out, "--strict")
    assert code == 3 and err.startswith("kpi-cases: data error: startup: 1 data check failed") and not out.exists()
    assert run_main(capsys, "kpis", "startup", "--data", d, "--out", out, "--strict", "--drop-duplicates")[0] == 3


def test_checks_markdown():
    assert checks_markdown([]) == "No problems found."
    assert checks_markdown(["a *b* row 2", "c"]) == "- a \\*b\\* row 2\n- c"


# --------------------------------------------------------------------------- 5. outputs and --map
@pytest.mark.parametrize("items, both", [
    (["*.X=date", "invoices.Y=date"], ("*.X=date", "invoices.Y=date")),
    (["invoices.Dato=date", "invoices.Dato=customer"], ("invoices.Dato=date", "invoices.Dato=customer")),
    (["invoices.A=date", "invoices.B=date"], ("invoices.A=date", "invoices.B=date")),
])
def test_conflicting_map_entries_are_a_usage_error_naming_both(capsys, tmp_path, items, both):
    with pytest.raises(UsageError) as ei:
        parse_map_items(items)
    assert all(b in str(ei.value) for b in both)
    argv = [a for i in items for a in ("--map", i)]
    code, _, err = run_main(capsys, "kpis", "startup", "--out", tmp_path / "k.csv", *argv)
    assert code == 2 and all(b in err for b in both)
    assert parse_map_items(["invoices.Dato=date", "invoices.Dato=date"]) == {"invoices": {"Dato": "date"}}


def test_output_set_restores_the_previous_set_on_failure(tmp_path):
    paths = [tmp_path / "c.ipynb", tmp_path / "c.html", tmp_path / "c_kpis.csv", tmp_path / "c.pdf"]
    for p in paths[:3]:
        p.write_text("old " + p.name)
    with pytest.raises(RuntimeError):
        with report.output_set(paths):
            paths[2].write_text("new kpis")  # the notebook wrote its table, then the report failed
            raise RuntimeError("boom")
    assert [p.read_text() for p in paths[:3]] == ["old c.ipynb", "old c.html", "old c_kpis.csv"]
    assert not paths[3].exists() and sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths[:3])
    (tmp_path / "c.pdf").write_text("old pdf")
    with report.output_set(paths):
        for p in paths[:3]:
            p.write_text("new")
    assert [p.read_text() for p in paths[:3]] == ["new"] * 3
    assert not paths[3].exists(), "an old PDF does not stay beside a new report"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths[:3])


# --------------------------------------------------------------------------- 4. the notebooks
@pytest.mark.parametrize("nb", sorted((REPO / "notebooks").glob("0[1-5]_*.ipynb")), ids=lambda p: p.stem)
def test_case_notebooks_declare_the_options_and_show_the_data_checks(nb):
    declared = cli_notebook.parameters_cell(nb)
    assert set(NOTEBOOK_PARAMETERS) <= set(declared), set(NOTEBOOK_PARAMETERS) - set(declared)
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    load = next(i for i, c in enumerate(cells) if "data.load_case(" in "".join(c["source"]))
    src = "".join(cells[load]["source"])
    for name in ("monthfirst=monthfirst", "sheet=sheet", "currency=keep_currency", "strict=strict"):
        assert name in src, name
    assert "checks_markdown(case_data.warnings)" in "".join(cells[load + 1]["source"])
    # the warnings are shown once: in the Data checks section
    later = "".join("".join(c["source"]) for c in cells[load + 2:] if c["cell_type"] == "code")
    assert "case_data.warnings" not in later


def test_run_checks_the_data_first_and_keeps_the_previous_outputs(capsys, tmp_path):
    """Trial 11: the problems combined in `run`: exit 3 before the notebook, the old set untouched."""
    text = ("Dato;Kunde;Beløp\n03/04/2025;Aurora AS;16,760\n05/06/2025;AURORA AS;3,500\n"
            "05/06/2025;AURORA AS;3,500\n06/06/2025;TOTAL;23,760\n")
    d = folder(tmp_path, text)
    rep = tmp_path / "rep"
    rep.mkdir()
    for name in ("startup.html", "startup.ipynb", "startup_kpis.csv"):
        (rep / name).write_text("previous")
    argv = ["run", "startup", "--data", d, "--out", rep, "--map", "invoices.Dato=date", "--map", "invoices.Kunde=customer",
            "--map", "invoices.Beløp=amount"]
    code, out, err = run_main(capsys, *argv)
    assert code == 3 and "executing" not in out
    assert err.startswith("kpi-cases: data error: startup/invoices.csv, column 'amount'") and "--decimal" in err
    assert sorted(p.name for p in rep.iterdir()) == ["startup.html", "startup.ipynb", "startup_kpis.csv"]
    assert all(p.read_text() == "previous" for p in rep.iterdir())
    # with the amounts said, the dates are the next question
    code, _, err = run_main(capsys, *argv, "--decimal", ".")
    assert code == 3 and "column 'date'" in err and "--dayfirst or --monthfirst" in err
    # with both said, kpis reads it and names the duplicate, the similar names and the total row
    maps = argv[6:]
    code, _, err = run_main(capsys, "kpis", "startup", "--data", d, "--out", tmp_path / "k.csv", *maps,
                            "--decimal", ".", "--dayfirst")
    assert code == 0
    for snippet in ("repeats an earlier row", "case or spaces", "total row"):
        assert snippet in err, snippet


@pytest.mark.notebook
def test_report_of_a_messy_file_shows_its_data_checks_first(capsys, tmp_path):
    """Trial 11 read with its options said: the report opens with the data checks, before any number."""
    from bs4 import BeautifulSoup

    text = ("Dato;Kunde;Beløp\n03/04/2025;Aurora AS;16,760\n05/06/2025;AURORA AS;3,500\n"
            "05/06/2025;AURORA AS;3,500\n06/06/2025;TOTAL;23,760\n")
    d = folder(tmp_path, text)
    rep = tmp_path / "rep"
    code, _, err = run_main(capsys, "run", "startup", "--data", d, "--out", rep, "--map", "invoices.Dato=date",
                            "--map", "invoices.Kunde=customer", "--map", "invoices.Beløp=amount",
                            "--decimal", ".", "--dayfirst")
    assert code == 0, err
    soup = BeautifulSoup((rep / "startup.html").read_text(encoding="utf-8"), "html.parser")
    summary = soup.find(id="summary")
    assert summary is not None and summary.find("h3").get_text() == "Data checks"
    checks = " ".join(li.get_text() for li in summary.find("ul").find_all("li"))
    for snippet in ("repeats an earlier row", "case or spaces", "total row"):
        assert snippet in checks, snippet


def test_whole_number_columns_are_not_asked_about_thousands(tmp_path):
    """16.760 clicks has one reading (16760): no question, and the whole-number check stays in force."""
    from kpi_helpers.data import read_table

    spec = table_spec("marketing_agency", "campaign_stats")
    path = tmp_path / "campaign_stats.csv"
    path.write_text("date;client;campaign;impressions;clicks;conversions;spend\n"
                    "2024-01-05;A;C1;16.760;1.250;3;100,50\n", encoding="utf-8")
    frame = read_table(path, spec).frame
    assert frame[["impressions", "clicks"]].iloc[0].tolist() == [16760, 1250]


def test_date_order_flags_exclude_each_other_and_sheet_reaches_the_reader(capsys, tmp_path):
    d = folder(tmp_path, "date,customer,amount\n2024-01-05,A,1\n")
    code, _, err = run_main(capsys, "kpis", "startup", "--data", d, "--out", tmp_path / "k.csv", "--dayfirst",
                            "--monthfirst")
    assert code == 2 and "--dayfirst and --monthfirst exclude each other" in err
    code, _, err = run_main(capsys, "kpis", "startup", "--data", d, "--out", tmp_path / "k.csv", "--sheet", "2025")
    assert code == 0  # a CSV has no sheets: --sheet is for workbooks only
