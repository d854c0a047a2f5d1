"""`kpi-cases` end to end: commands, options, exit statuses, parameter typing and speed.

Most tests call ``main([...])`` in-process (fast); a few run the installed console script in a
subprocess. The ``run`` machinery is tested on a small stand-in notebook written into tmp_path; the
real case notebooks are checked on the session's one ``kpi-cases run all`` (``default_run`` in
tests/conftest.py), which tests/test_notebooks.py reads too. Timings belong in ``make bench``.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi_helpers import cases, cli, data, scorecard
from kpi_helpers.cli import UsageError, coerce_value, main, parse_param_items

from conftest import DATA

EXE = Path(sys.executable).with_name("kpi-cases")
CASE_NAMES = list(cases.CASES)
STRING_COLUMNS = ["kpi", "scope", "period", "unit", "status", "note"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def read_kpi_csv(path: Path) -> pd.DataFrame:
    """Read a KPI CSV back: text columns as text ('' for empty), value/target as floats."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for c in ("value", "target", "observations"):
        if c in df:
            df[c] = pd.to_numeric(df[c].replace("", np.nan))
    if "partial" in df:
        df["partial"] = df["partial"].map({"True": True, "False": False})
    return df


def assert_same_table(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same columns, same rows in the same order, same values (as the CSV writes them: cents for
    currency, 12 significant digits otherwise; NaN = NaN)."""
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)
    for c in expected.columns:
        e = expected[c]
        if c in ("value", "target"):
            written = [float(t) if t else np.nan for t in map(scorecard.csv_number, e, expected["unit"])]
            np.testing.assert_allclose(got[c].to_numpy(float), written, rtol=1e-12, atol=0,
                                       equal_nan=True, err_msg=c)
            np.testing.assert_allclose(got[c].to_numpy(float), e.to_numpy(float), rtol=1e-4, atol=0.005,
                                       equal_nan=True, err_msg=c)
        elif c == "partial":
            assert got[c].tolist() == e.astype(bool).tolist()
        elif c == "observations":
            np.testing.assert_array_equal(got[c].to_numpy(float), e.astype("Float64").to_numpy(float, na_value=np.nan))
        else:
            assert got[c].tolist() == e.astype(object).where(e.notna(), "").astype(str).tolist(), c


def assert_report_without_code(html: str) -> None:
    """The HTML body has no code cells' input: no editor, no prompts, no highlighted source, no widgets."""
    body = html.split("<body", 1)[1]
    assert "jp-InputArea-editor" not in body and "jp-InputPrompt" not in body
    assert "hl-ipython3" not in body and "In&nbsp;[" not in body and "Out[" not in body
    code_cells = re.findall(r'<div class="(jp-Cell jp-CodeCell[^"]*)"', body)
    assert code_cells and all("jp-mod-noInput" in c for c in code_cells)
    assert "application/vnd.jupyter.widget-view+json" not in html
    assert "application/vnd.jupyter.widget-state+json" not in html


# ------------------------------------------------------------------------------------------------
# a consultant's folder: a small startup log written both canonically and "as exported"
# ------------------------------------------------------------------------------------------------
CUSTOMERS = [("007 Ås AS", 5, 4, 5), ("Bergen Bygg", 2, 5, 4), ("Fjord Fisk", 3, 2, 2), ("Lille Kafé", 1, 1, 3)]


def _startup_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for m in range(1, 9):  # Jan..Aug 2024, whole months
        for i, (cust, *_rest) in enumerate(CUSTOMERS):
            for day in (1, 13, 28):
                amount = round((4000 - 900 * i) * (1 + 0.04 * m * (i % 2 + 1)) + day * 1.25, 2)
                rows.append((pd.Timestamp(2024, m, day), cust, amount))
    rows.append((pd.Timestamp(2024, 8, 31), "Lille Kafé", 99.5))  # data end on a month end
    inv = pd.DataFrame(rows, columns=["date", "customer", "amount"])
    cus = pd.DataFrame(CUSTOMERS, columns=["customer", "strategic_value", "growth_potential", "engagement"])
    return inv, cus


def write_canonical_startup(folder: Path) -> Path:
    inv, cus = _startup_frames()
    folder.mkdir(parents=True, exist_ok=True)
    out = inv.assign(date=inv["date"].dt.strftime("%Y-%m-%d"))
    out.to_csv(folder / "invoices.csv", index=False, encoding="utf-8")
    cus.to_csv(folder / "customers.csv", index=False, encoding="utf-8")
    return folder


def write_consultant_startup(folder: Path) -> Path:
    """``;`` separator, decimal commas, dd/mm/yyyy dates, Norwegian headers, Windows-1252, an extra column."""
    inv, cus = _startup_frames()
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["Fakturadato;Kunde;Beløp (NOK);Kommentar"]
    for d, c, a in inv.itertuples(index=False):
        lines.append(f"{d:%d/%m/%Y};{c};{a:.2f}".replace(".", ",") + ";ok")
    (folder / "invoices.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    lines = ["Kunde;Strategisk verdi;Vekstpotensial;Engasjement"]
    lines += [f"{c};{s};{g};{e}" for c, s, g, e in CUSTOMERS]
    (folder / "customers.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return folder


CONSULTANT_OPTIONS = [
    "--sep", ";", "--decimal", ",", "--dayfirst", "--encoding", "cp1252",
    "--map", "invoices.Fakturadato=date", "--map", "*.Kunde=customer", "--map", "invoices.Beløp (NOK)=amount",
    "--map", "customers.Strategisk verdi=strategic_value", "--map", "customers.Vekstpotensial=growth_potential",
    "--map", "customers.Engasjement=engagement",
]


# ------------------------------------------------------------------------------------------------
# --help
# ------------------------------------------------------------------------------------------------
def test_help_names_every_command(capsys):
    code, out, _ = run_main(capsys, "--help")
    assert code == 0
    for command in ("list", "kpis", "run", "template"):
        assert command in out
    assert "exit status" in out


@pytest.mark.parametrize("command", ["kpis", "run", "template", "list"])
def test_subcommand_help(capsys, command):
    code, out, _ = run_main(capsys, command, "--help")
    assert code == 0
    assert f"kpi-cases {command}" in out


def test_help_and_list_import_no_notebook_machinery():
    code = (
        "import sys; from kpi_helpers.cli import main; import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])\n"
        "heavy = ('pandas', 'numpy', 'papermill', 'nbconvert', 'matplotlib', 'ipywidgets', 'nbformat', 'ftfy',\n"
        "         'ibis', 'duckdb', 'pyspark', 'babel')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['list'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    after_help, after_list = out.stdout.strip().splitlines()
    assert after_help == "[]"
    # list reads the case registry (which uses pandas) but never papermill, nbconvert or plotting
    assert "papermill" not in after_list and "nbconvert" not in after_list and "matplotlib" not in after_list
    assert not {"ibis", "duckdb", "pyspark", "babel"} & set(eval(after_list))  # noqa: S307 - our own printed list


def test_installed_script_help():
    assert EXE.exists(), f"console script not installed at {EXE}"
    out = subprocess.run([str(EXE), "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("usage: kpi-cases")


def test_no_command_is_a_usage_error(capsys):
    code, _, err = run_main(capsys)
    assert code == 2
    assert "command is required" in err


# ------------------------------------------------------------------------------------------------
# list
# ------------------------------------------------------------------------------------------------
def test_list_shows_cases_notebooks_tables_and_parameters(capsys):
    code, out, _ = run_main(capsys, "list")
    assert code == 0
    for name, case in cases.CASES.items():
        assert f"{name}: {case.title}" in out
        assert case.notebook in out
        for table, spec in data.TABLES[name].items():
            assert f"{table}.csv" in out
            for col in spec.column_names:
                assert col in out
        for param, default in cases.known_parameters(name).items():
            assert f"{param}" in out and repr(default) in out


def test_list_one_case(capsys):
    code, out, _ = run_main(capsys, "list", "restaurant")
    assert code == 0
    assert "restaurant:" in out and "startup:" not in out
    assert "open_hours_per_day" in out
    assert "required" in out and "optional" in out


def test_list_unknown_case_is_a_usage_error(capsys):
    code, _, err = run_main(capsys, "list", "bakery")
    assert code == 2
    assert "unknown case 'bakery'" in err and "startup" in err


# ------------------------------------------------------------------------------------------------
# template
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASE_NAMES)
def test_template_writes_header_only_csvs_and_a_readme(capsys, tmp_path, case):
    folder = tmp_path / "client"
    code, out, _ = run_main(capsys, "template", case, folder)
    assert code == 0
    specs = data.TABLES[case]
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{t}.csv" for t in specs] + ["README.md"])
    for table, spec in specs.items():
        text = (folder / f"{table}.csv").read_text(encoding="utf-8")
        assert text.splitlines() == [",".join(spec.column_names)], table
        assert f"{table}.csv" in out
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for table, spec in specs.items():
        assert f"`{table}.csv`" in readme
        for col in spec.columns:
            line = next(ln for ln in readme.splitlines() if ln.startswith(f"| {col.name} |"))
            assert ("| required |" if col.required else "| optional |") in line
    assert f"kpi-cases kpis {case} --data" in readme and f"kpi-cases run {case} --data" in readme


def test_template_keeps_existing_files_unless_forced(capsys, tmp_path):
    folder = tmp_path / "client"
    folder.mkdir()
    (folder / "invoices.csv").write_text("my,own,data\n1,2,3\n")
    code, out, err = run_main(capsys, "template", "startup", folder)
    assert code == 0
    assert (folder / "invoices.csv").read_text() == "my,own,data\n1,2,3\n"
    assert "kept existing invoices.csv" in err
    assert (folder / "customers.csv").exists() and (folder / "README.md").exists()
    code, _, _ = run_main(capsys, "template", "startup", folder, "--force")
    assert code == 0
    assert (folder / "invoices.csv").read_text() == "date,customer,amount\n"


def test_template_folder_without_rows_is_a_data_error(capsys, tmp_path):
    folder = tmp_path / "client"
    assert run_main(capsys, "template", "startup", folder)[0] == 0
    code, out, err = run_main(capsys, "kpis", "startup", "--data", folder, "--out", tmp_path / "out")
    assert code == 3
    assert err.startswith("kpi-cases: data error: ") and "invoices" in err
    assert "Traceback" not in err


def test_template_unknown_case(capsys, tmp_path):
    assert run_main(capsys, "template", "bakery", tmp_path / "x")[0] == 2
    assert not (tmp_path / "x").exists()


# ------------------------------------------------------------------------------------------------
# kpis
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASE_NAMES)
def test_kpis_equals_analyse_on_the_shipped_data(capsys, tmp_path, case):
    code, out, _ = run_main(capsys, "kpis", case, "--out", tmp_path)
    assert code == 0
    path = tmp_path / f"{case}_kpis.csv"
    assert out.strip() == cli._show(path)
    expected = cases.analyse(case, data.load_case(case, DATA / case)).kpis
    assert_same_table(read_kpi_csv(path), expected)
    raw = path.read_bytes()
    assert raw == scorecard.kpi_table_csv(expected).encode("utf-8")  # the notebooks' writer
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
    assert raw.splitlines()[0].decode() == ",".join(expected.columns)
    for row in csv.DictReader(io.StringIO(raw.decode("utf-8"))):  # NaN written as empty, never inf
        for col in ("value", "target"):
            assert row[col].lower() not in ("nan", "inf", "-inf", "none"), row


def test_kpis_all_writes_one_file_per_case(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_main(capsys, "kpis", "all")
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == sorted(f"{c}_kpis.csv" for c in CASE_NAMES)
    assert out.split() == [f"reports/{c}_kpis.csv" for c in CASE_NAMES]


def test_kpis_all_with_a_data_folder_reads_dir_case(capsys, tmp_path):
    base = tmp_path / "clients"
    write_canonical_startup(base / "startup")
    write_canonical_startup(base / "your_data")
    (base / "your_data" / "invoices.csv").rename(base / "your_data" / "transactions.csv")
    code, out, err = run_main(capsys, "kpis", "all", "--data", base, "--out", tmp_path / "out")
    # the other cases have no folder: data errors for them, the two present ones are written
    assert code == 3
    assert (tmp_path / "out" / "startup_kpis.csv").exists() and (tmp_path / "out" / "your_data_kpis.csv").exists()
    assert "kpi-cases: consultancy: data error:" in err
    assert "3 of 5 cases failed" in err
    assert "Traceback" not in err


def test_kpis_out_file_for_one_case(capsys, tmp_path):
    folder = write_canonical_startup(tmp_path / "startup")
    target = tmp_path / "deep" / "er" / "startup.csv"
    code, out, _ = run_main(capsys, "kpis", "startup", "--data", folder, "--out", target)
    assert code == 0
    assert target.is_file() and out.strip().endswith("startup.csv")
    assert [p.name for p in target.parent.iterdir()] == ["startup.csv"]  # no temp files left behind
    expected = cases.analyse("startup", data.load_case("startup", folder)).kpis
    assert_same_table(read_kpi_csv(target), expected)


def test_kpis_consultant_style_folder_gives_the_same_table(capsys, tmp_path):
    canonical = write_canonical_startup(tmp_path / "canonical")
    exported = write_consultant_startup(tmp_path / "export")
    assert run_main(capsys, "kpis", "startup", "--data", canonical, "--out", tmp_path / "a.csv")[0] == 0
    code, out, err = run_main(capsys, "kpis", "startup", "--data", exported, "--out", tmp_path / "b.csv",
                              *CONSULTANT_OPTIONS)
    assert code == 0, err
    a = (tmp_path / "a.csv").read_text(encoding="utf-8")
    b = (tmp_path / "b.csv").read_text(encoding="utf-8")
    assert a == b
    assert "account:007 Ås AS" in b  # ids verbatim, leading zeros kept, UTF-8 out


def test_kpis_consultant_folder_without_dayfirst_reads_day_first_and_says_so(capsys, tmp_path):
    """dd/mm/yyyy with days above 12 can only be day first: read so, with a note naming the flags."""
    exported = write_consultant_startup(tmp_path / "export")
    assert run_main(capsys, "kpis", "startup", "--data", exported, "--out", tmp_path / "a.csv", *CONSULTANT_OPTIONS)[0] == 0
    options = [o for o in CONSULTANT_OPTIONS if o != "--dayfirst"]
    code, out, err = run_main(capsys, "kpis", "startup", "--data", exported, "--out", tmp_path / "b.csv", *options)
    assert code == 0, err
    assert "slash dates are read day first" in err and "--dayfirst" in err and "--monthfirst" in err
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_kpis_consultant_folder_with_monthfirst_is_a_data_error(capsys, tmp_path):
    exported = write_consultant_startup(tmp_path / "export")
    options = [o if o != "--dayfirst" else "--monthfirst" for o in CONSULTANT_OPTIONS]
    code, out, err = run_main(capsys, "kpis", "startup", "--data", exported, "--out", tmp_path / "b.csv", *options)
    assert code == 3
    assert err.startswith("kpi-cases: data error: ") and "invoices.csv" in err
    assert "Traceback" not in err and out == ""
    assert not (tmp_path / "b.csv").exists()


# ------------------------------------------------------------------------------------------------
# exit statuses
# ------------------------------------------------------------------------------------------------
@pytest.fixture
def startup_folder(tmp_path) -> Path:
    return write_canonical_startup(tmp_path / "startup")


def test_exit_0(capsys, tmp_path, startup_folder):
    assert run_main(capsys, "kpis", "startup", "--data", startup_folder, "--out", tmp_path / "o")[0] == 0


@pytest.mark.parametrize("argv, message", [
    (["kpis", "bakery"], "unknown case 'bakery'"),
    (["run", "bakery"], "unknown case 'bakery'"),
    (["kpis"], "required"),
    (["kpis", "startup", "--bogus"], "unrecognized arguments"),
    (["frobnicate"], "invalid choice"),
    (["kpis", "startup", "-p", "bogus=1"], "unknown parameter 'bogus'"),
    (["kpis", "startup", "-p", "novalue"], "NAME=VALUE"),
    (["kpis", "startup", "-p", "max_key_accounts=many"], "whole number"),
    (["kpis", "startup", "-p", "include_partial_months=perhaps"], "true or false"),
    (["kpis", "startup", "-p", "targets.nonsense=1"], "no entry 'nonsense'"),
    (["kpis", "startup", "-p", "weights.luck=0.5"], "no entry 'luck'"),
    (["kpis", "startup", "-p", "abc_a.x=1"], "not a dict"),
    (["kpis", "startup", "-p", "data_dir=/x"], "use --data"),
    (["kpis", "startup", "-p", "interactive=true"], "cannot be set"),
    (["kpis", "startup", "--map", "invoicesDato=date"], "TABLE.SOURCE=TARGET"),
    (["kpis", "startup", "--map", "invoices.Dato"], "TABLE.SOURCE=TARGET"),
    (["kpis", "startup", "--map", ".Dato=date"], "TABLE.SOURCE=TARGET"),
    (["kpis", "startup", "--map", "bills.Dato=date"], "no table 'bills'"),
    (["kpis", "startup", "--map", "invoices.Dato=datum"], "no column 'datum'"),
    (["kpis", "startup", "--map", "*.Dato=datum"], "no column"),
    (["kpis", "startup", "--encoding", "klingon"], "unknown encoding"),
    (["kpis", "startup", "--decimal", ";"], "--decimal"),
    (["kpis", "startup", "--sep", ";;"], "sep"),
    (["kpis", "all", "--out", "x.csv"], "one case"),
    (["template", "all", "x"], "one case"),
])
def test_exit_2_usage_errors(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(capsys, *argv)
    assert code == 2, err
    assert message in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_exit_2_unknown_parameter_lists_the_known_ones(capsys, startup_folder):
    code, _, err = run_main(capsys, "kpis", "startup", "--data", startup_folder, "-p", "target.csat=0.9")
    assert code == 2
    for name in cases.known_parameters("startup"):
        assert name in err


@pytest.mark.parametrize("where", ["equal", "inside", "file inside"])
def test_exit_2_out_in_the_data_folder(capsys, startup_folder, where):
    out = {"equal": startup_folder, "inside": startup_folder / "reports",
           "file inside": startup_folder / "k.csv"}[where]
    before = sorted(p.name for p in startup_folder.iterdir())
    code, _, err = run_main(capsys, "kpis", "startup", "--data", startup_folder, "--out", out)
    assert code == 2
    assert "data folder" in err
    assert sorted(p.name for p in startup_folder.iterdir()) == before


def test_exit_2_out_inside_default_data_folder(capsys, monkeypatch, tmp_path):
    root = tmp_path / "project"
    (root / "data" / "startup").mkdir(parents=True)
    (root / "notebooks").mkdir()
    monkeypatch.setattr(cli, "project_root", lambda: root)
    code, _, err = run_main(capsys, "kpis", "startup", "--out", root / "data" / "startup" / "r")
    assert code == 2 and "data folder" in err
    code, _, err = run_main(capsys, "kpis", "all", "--out", root / "data")
    assert code == 2 and "data folder" in err


def test_exit_3_bad_file_message_alone(capsys, tmp_path, startup_folder):
    text = (startup_folder / "invoices.csv").read_text().splitlines()
    text[3] = text[3].rsplit(",", 1)[0] + ",abc"
    (startup_folder / "invoices.csv").write_text("\n".join(text) + "\n")
    code, out, err = run_main(capsys, "kpis", "startup", "--data", startup_folder, "--out", tmp_path / "o")
    assert code == 3
    assert out == ""
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert lines[0].startswith("kpi-cases: data error: ")
    assert "invoices.csv" in err and "amount" in err and "abc" in err and "row" in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_exit_3_missing_data_folder(capsys, tmp_path):
    code, _, err = run_main(capsys, "kpis", "restaurant", "--data", tmp_path / "nope", "--out", tmp_path / "o")
    assert code == 3
    assert err.startswith("kpi-cases: data error: ") and "Traceback" not in err


def test_exit_1_unexpected_error(capsys, tmp_path, monkeypatch, startup_folder):
    def boom(*a, **k):
        raise RuntimeError("boom in the analysis")

    monkeypatch.setattr(cases, "analyse", boom)
    code, out, err = run_main(capsys, "kpis", "startup", "--engine", "pandas", "--data", startup_folder,
                              "--out", tmp_path / "o")
    assert code == 1
    assert "RuntimeError: boom in the analysis" in err and "Traceback" not in err
    assert "--debug" in err
    code, out, err = run_main(capsys, "--debug", "kpis", "startup", "--engine", "pandas", "--data", startup_folder,
                              "--out", tmp_path / "o")
    assert code == 1 and "Traceback" in err
    code, out, err = run_main(capsys, "kpis", "startup", "--engine", "pandas", "--debug", "--data", startup_folder,
                              "--out", tmp_path / "o")
    assert code == 1 and "Traceback" in err


def test_exit_statuses_of_the_installed_script(tmp_path, startup_folder):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "invoices.csv").write_text("date,customer,amount\n2024-01-05,A,12x\n", encoding="utf-8")
    res = subprocess.run([str(EXE), "kpis", "startup", "--data", str(bad), "--out", str(tmp_path / "o")],
                         capture_output=True, text=True)
    assert res.returncode == 3
    assert res.stderr.startswith("kpi-cases: data error: ") and "Traceback" not in res.stderr
    assert "12x" in res.stderr
    res = subprocess.run([str(EXE), "kpis", "startup", "--data", str(startup_folder), "--out",
                          str(tmp_path / "o" / "s.csv")], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "o" / "s.csv").is_file()
    res = subprocess.run([sys.executable, "-m", "kpi_helpers.cli", "kpis", "nope"], capture_output=True, text=True)
    assert res.returncode == 2


# ------------------------------------------------------------------------------------------------
# -p typing
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, default, expected", [
    ("true", False, True), ("Yes", False, True), ("1", False, True), ("on", False, True),
    ("false", True, False), ("no", True, False), ("0", True, False),
    ("3", 5, 3), ("3.0", 5, 3), ("0.9", 0.5, 0.9), ("2", 0.5, 2.0), ("1e3", 0.5, 1000.0),
    ("EUR", "NOK", "EUR"), ("'EUR'", "NOK", "EUR"), ("12", "NOK", "12"),
    ('{"csat": 0.9}', {}, {"csat": 0.9}), ("['a', 'b']", [], ["a", "b"]),
    ("0.9", None, 0.9), ("hello", None, "hello"), ("None", None, None),
])
def test_coerce_value(raw, default, expected):
    got = coerce_value(raw, default, "x")
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("raw, default", [("maybe", False), ("2.5", 5), ("x", 0.5), ("True", 0.5),
                                          ("[1]", {}), ("{}", [])])
def test_coerce_value_rejects(raw, default):
    with pytest.raises(UsageError):
        coerce_value(raw, default, "x")


def test_parse_param_items_dotted_names_update_one_key():
    defaults = cases.known_parameters("startup")
    vals, unknown = parse_param_items(
        ["targets.cmgr=0.05", "weights.engagement=0.3", "targets.top_customer_share=None",
         "targets.csat=0.9", "max_key_accounts=3", "include_partial_months=yes"],
        defaults, dict_keys={"targets": list(scorecard.KPI_CATALOGUE)})
    assert unknown == set()
    assert vals["targets"] == {**defaults["targets"], "cmgr": 0.05, "top_customer_share": None, "csat": 0.9}
    assert vals["weights"] == {**defaults["weights"], "engagement": 0.3}
    assert vals["max_key_accounts"] == 3 and vals["include_partial_months"] is True
    vals, _ = parse_param_items(['targets={"csat": 0.8}', "targets.cmgr=0.1"], defaults)
    assert vals["targets"] == {"csat": 0.8, "cmgr": 0.1}  # later items update earlier ones
    vals, unknown = parse_param_items(["n_vip=2"], defaults, strict=False)
    assert vals == {} and unknown == {"n_vip"}


def _csat_rows(path: Path) -> pd.DataFrame:
    df = read_kpi_csv(path)
    return df[df["kpi"] == "csat"].reset_index(drop=True)


def test_p_target_changes_the_status_column(capsys, tmp_path):
    new_target = 0.7  # below the default 0.85: the months with a CSAT in between turn on_track
    assert run_main(capsys, "kpis", "consultancy", "--out", tmp_path / "a.csv")[0] == 0
    code, _, err = run_main(capsys, "kpis", "consultancy", "--out", tmp_path / "b.csv",
                            "-p", f"targets.csat={new_target}")
    assert code == 0, err
    a, b = _csat_rows(tmp_path / "a.csv"), _csat_rows(tmp_path / "b.csv")
    assert len(a) == len(b) > 0
    assert (b["target"] == new_target).all()
    least = cases.known_parameters("consultancy")["min_responses"]
    assert b["status"].tolist() == [scorecard.status(v, new_target, "higher", observations=n, min_observations=least)
                                    for v, n in zip(b["value"], b["observations"])]
    default_target = cases.known_parameters("consultancy")["targets"]["csat"]
    assert a["status"].tolist() == [scorecard.status(v, default_target, "higher", observations=n, min_observations=least)
                                    for v, n in zip(a["value"], a["observations"])]
    between = (a["value"] >= new_target) & (a["value"] < default_target) & (a["observations"] >= least)
    assert between.any(), "the shipped data have no CSAT between the two targets: pick another target"
    assert a["status"].tolist() != b["status"].tolist()
    # the other KPIs' targets are untouched
    other_a = read_kpi_csv(tmp_path / "a.csv").query("kpi != 'csat'")
    other_b = read_kpi_csv(tmp_path / "b.csv").query("kpi != 'csat'")
    assert other_a["status"].tolist() == other_b["status"].tolist()


def test_p_parameters_reach_the_analysis(capsys, tmp_path, startup_folder, monkeypatch):
    seen = {}
    real = cases.analyse

    def spy(case, cd, **params):
        seen.update(params)
        return real(case, cd, **params)

    monkeypatch.setattr(cases, "analyse", spy)
    code, _, err = run_main(capsys, "kpis", "startup", "--engine", "pandas", "--data", startup_folder,
                            "--out", tmp_path / "o",
                            "-p", "max_key_accounts=2", "-p", "weights.engagement=0.5",
                            "-p", 'targets={"cmgr": 0.07}', "-p", "include_partial_months=no")
    assert code == 0, err
    assert seen["max_key_accounts"] == 2 and seen["include_partial_months"] is False
    assert seen["weights"] == {**cases.known_parameters("startup")["weights"], "engagement": 0.5}
    assert seen["targets"] == {"cmgr": 0.07}
    table = read_kpi_csv(tmp_path / "o" / "startup_kpis.csv")
    assert table["scope"].str.startswith("account:").any()
    assert table.loc[table["scope"].str.startswith("account:"), "scope"].nunique() <= 2
    assert (table.loc[table["kpi"] == "cmgr", "target"].dropna() == 0.07).all()


def test_p_for_all_applies_where_known(capsys, tmp_path, monkeypatch):
    """``all``: a parameter known to some cases only is applied there; unknown everywhere is an error."""
    code, _, err = run_main(capsys, "kpis", "all", "--out", tmp_path / "o", "-p", "nonsense=1")
    assert code == 2 and "nonsense" in err
    seen = {}

    def fake_analyse(case, cd, **params):
        seen[case] = params
        return types.SimpleNamespace(notes=[], kpis=None)

    monkeypatch.setattr(cases, "analyse", fake_analyse)
    monkeypatch.setattr(data, "load_case", lambda *a, **k: types.SimpleNamespace(warnings=()))
    monkeypatch.setattr(cli, "write_kpi_csv", lambda table, path: Path(path))
    code, _, err = run_main(capsys, "kpis", "all", "--engine", "pandas", "--out", tmp_path / "o",
                            "-p", "n_vip=1", "-p", "weights.engagement=0.3")
    assert code == 0, err
    assert seen["restaurant"] == {"n_vip": 1}
    assert seen["startup"]["weights"]["engagement"] == 0.3 and "n_vip" not in seen["startup"]
    assert seen["consultancy"] == {}


# ------------------------------------------------------------------------------------------------
# run: machinery on a stand-in notebook (always), and the real notebooks (when they exist)
# ------------------------------------------------------------------------------------------------
def _stand_in_notebook(path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    params = nbformat.v4.new_code_cell(
        'data_dir = "../data/startup"\ncolumn_map = {}\nsep = None\ndecimal = None\ndayfirst = False\n'
        'encoding = None\ninteractive = True\nkpi_table_path = None\n'
        'targets = {"mom_growth": 0.03, "cmgr": 0.03}\nmax_key_accounts = 5  # 0 = none\n'
        'fail = ""  # "zero" = divide by zero')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Stand-in *startup* report [oppstart]\n\nSome text."),
        params,
        nbformat.v4.new_code_cell(
            "from kpi_helpers import cases, data, scorecard\n"
            "cd = data.load_case('startup', data_dir, column_map, data.Dialect(sep, decimal, dayfirst, encoding))\n"
            "result = cases.analyse('startup', cd, targets=targets, max_key_accounts=max_key_accounts)\n"
            "SOURCE_CODE_MARKER = 1\n"
            "if fail == 'zero':\n    1 / 0\n"
            "result.kpis.head(3)"),
        nbformat.v4.new_code_cell("import ipywidgets\nipywidgets.IntSlider(value=3)"),
        nbformat.v4.new_code_cell(
            "if kpi_table_path:\n    scorecard.save_kpi_table(result.kpis, kpi_table_path)\n"
            "print('interactive is', interactive)"),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


@pytest.fixture(scope="module")
def stand_in_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    _stand_in_notebook(root / "notebooks" / cases.CASES["startup"].notebook)
    write_canonical_startup(root / "data" / "startup")
    return root


@pytest.fixture
def stand_in(monkeypatch, stand_in_root) -> Path:
    monkeypatch.setattr(cli, "project_root", lambda: stand_in_root)
    return stand_in_root


@pytest.mark.notebook
def test_run_stand_in_notebook_writes_three_files(capsys, tmp_path, stand_in, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(capsys, "run", "startup", "--out", "rep", "-p", "targets.cmgr=0.06",
                              "-p", "max_key_accounts=4")
    assert code == 0, err
    # papermill's own inspection skips "max_key_accounts = 5  # 0 = none" (two "="): no noise about it
    assert "Unable to parse" not in err and "unknown parameter" not in err.lower()
    rep = tmp_path / "rep"
    assert sorted(p.name for p in rep.iterdir()) == ["startup.html", "startup.ipynb", "startup_kpis.csv"]
    for p in rep.iterdir():  # written through temporary files, but with the usual mode
        assert p.stat().st_mode & 0o777 == 0o666 & ~_umask(), p
    lines = out.strip().splitlines()
    assert lines[0] == f"startup: executing {cases.CASES['startup'].notebook} ..."
    assert lines[-1].startswith("startup: wrote rep/startup.html (") and lines[-1].endswith(" s")
    # the executed notebook: parameters injected, papermill timestamps stripped
    nb = json.loads((rep / "startup.ipynb").read_text())
    injected = nb["metadata"]["papermill"]["parameters"]
    assert injected["interactive"] is False and injected["column_map"] == {}
    assert injected["data_dir"] == str((stand_in / "data" / "startup").resolve())
    assert injected["kpi_table_path"] == str((rep / "startup_kpis.csv").resolve())
    assert injected["targets"] == {"mom_growth": 0.03, "cmgr": 0.06} and injected["max_key_accounts"] == 4
    text = (rep / "startup.ipynb").read_text()
    for key in ('"start_time"', '"end_time"', '"duration"', '"iopub.execute_input"'):
        assert key not in text
    assert any("interactive is False" in "".join(o.get("text", "")) for c in nb["cells"]
               for o in c.get("outputs", []))
    # the report: no code, no prompts, no widgets, titled by the first heading
    html = (rep / "startup.html").read_text(encoding="utf-8")
    assert "<title>Stand-in startup report [oppstart]</title>" in html
    assert "SOURCE_CODE_MARKER" not in html and "load_case" not in html
    assert_report_without_code(html)
    assert "IntSlider" not in html
    assert "Some text." in html
    # the KPI table the notebook wrote equals the kpis command's
    code, _, _ = run_main(capsys, "kpis", "startup", "--out", tmp_path / "k.csv", "-p", "targets.cmgr=0.06",
                          "-p", "max_key_accounts=4")
    assert code == 0
    assert (rep / "startup_kpis.csv").read_bytes() == (tmp_path / "k.csv").read_bytes()


@pytest.mark.notebook
def test_run_stand_in_data_error_in_the_notebook(capsys, tmp_path, stand_in):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "invoices.csv").write_text("date,customer,amount\n2024-01-05,A,12x\n", encoding="utf-8")
    code, out, err = run_main(capsys, "run", "startup", "--data", bad, "--out", tmp_path / "rep")
    assert code == 3
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("kpi-cases: data error: ")
    assert "12x" in err and "Traceback" not in err and "PapermillExecutionError" not in err
    assert not (tmp_path / "rep" / "startup.html").exists()
    assert [p.name for p in (tmp_path / "rep").iterdir()] == []  # no temp files left


@pytest.mark.notebook
def test_run_stand_in_other_failure_is_exit_1(capsys, tmp_path, stand_in):
    code, out, err = run_main(capsys, "run", "startup", "--out", tmp_path / "rep", "-p", "fail=zero")
    assert code == 1
    assert "ZeroDivisionError" in err and "Traceback" not in err
    assert (tmp_path / "rep" / "startup.failed.ipynb").exists()
    assert not (tmp_path / "rep" / "startup.html").exists()


def test_run_stand_in_usage_errors(capsys, tmp_path, stand_in):
    code, _, err = run_main(capsys, "run", "startup", "--out", tmp_path / "rep", "-p", "bogus=1")
    assert code == 2
    assert "unknown parameter 'bogus'" in err and "max_key_accounts" in err and "targets" in err
    code, _, err = run_main(capsys, "run", "startup", "--out", tmp_path / "rep", "-p", "max_key_accounts=x")
    assert code == 2
    code, _, err = run_main(capsys, "run", "startup", "--out", stand_in / "data" / "startup" / "r")
    assert code == 2 and "data folder" in err
    code, _, err = run_main(capsys, "run", "consultancy", "--out", tmp_path / "rep")
    assert code == 1 and "notebook not found" in err
    assert not (tmp_path / "rep").exists()


def test_run_all_runs_every_case_and_says_where_the_reports_are(capsys, tmp_path, monkeypatch):
    root = tmp_path / "project"
    for c in CASE_NAMES:
        _stand_in_notebook(root / "notebooks" / cases.CASES[c].notebook)
    monkeypatch.setattr(cli, "project_root", lambda: root)
    calls = []

    def fake_run_one(case, notebook, data_dir, out_dir, column_map, dialect, params, args, pm, cases_mod):
        calls.append((case, notebook.name, data_dir, column_map, params))
        if case == "restaurant":
            raise cli.CaseFailure(cli.EXIT_DATA, "restaurant/visits.csv: no rows")
        print(f"{case}: wrote {cli._show(out_dir / (case + '.html'))} (1 kB) in 0.1 s")

    monkeypatch.setattr(cli, "_run_one", fake_run_one)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(capsys, "run", "all", "--data", "clients", "--out", "rep",
                              "--map", "invoices.Dato=date", "-p", "max_key_accounts=2")
    assert [c[0] for c in calls] == CASE_NAMES
    assert all(c[2] == Path("clients") / c[0] for c in calls)
    assert dict((c[0], c[3]) for c in calls)["startup"] == {"invoices": {"Dato": "date"}}
    assert dict((c[0], c[3]) for c in calls)["consultancy"] == {}
    assert all(c[4] == {"max_key_accounts": 2} for c in calls)
    assert code == 3
    assert "kpi-cases: restaurant: data error: restaurant/visits.csv: no rows" in err
    assert "1 of 5 cases failed: restaurant" in err
    last = out.strip().splitlines()[-1]
    assert last.startswith("reports in rep/: ") and "startup.html" in last and "restaurant" not in last


def test_run_refuses_a_notebook_without_parameters_cell(capsys, tmp_path, monkeypatch):
    import nbformat

    root = tmp_path / "project"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("data_dir = 'x'")]
    (root / "notebooks").mkdir(parents=True)
    nbformat.write(nb, str(root / "notebooks" / cases.CASES["startup"].notebook))
    monkeypatch.setattr(cli, "project_root", lambda: root)
    code, _, err = run_main(capsys, "run", "startup", "--out", tmp_path / "rep")
    assert code == 1 and "no cell tagged 'parameters'" in err


@pytest.mark.notebook
def test_run_all_real_notebooks_exit_0_and_list_the_reports(default_run):
    assert default_run.code == 0, default_run.stderr
    lines = default_run.stdout.strip().splitlines()
    assert lines[-1] == f"reports in {cli._show(default_run.out)}/: " + ", ".join(f"{c}.html" for c in CASE_NAMES)


@pytest.mark.notebook
@pytest.mark.parametrize("case", CASE_NAMES)
def test_run_real_notebook_end_to_end(capsys, tmp_path, default_run, case):
    out = default_run.out
    assert default_run.code == 0, default_run.stderr
    assert {f"{case}.ipynb", f"{case}.html", f"{case}_kpis.csv"} <= {p.name for p in out.iterdir()}
    html = (out / f"{case}.html").read_text(encoding="utf-8")
    assert_report_without_code(html)
    nb = json.loads((out / f"{case}.ipynb").read_text())
    assert "start_time" not in nb["metadata"]["papermill"]
    assert "injected-parameters" in json.dumps(nb) and "interactive = False" in json.dumps(nb)
    assert_same_table(read_kpi_csv(out / f"{case}_kpis.csv"),
                      cases.analyse(case, data.load_case(case, DATA / case)).kpis)
    assert run_main(capsys, "kpis", case, "--out", tmp_path / "k.csv")[0] == 0
    assert (out / f"{case}_kpis.csv").read_bytes() == (tmp_path / "k.csv").read_bytes()


@pytest.mark.notebook
def test_run_real_notebook_data_error(capsys, tmp_path):
    case = "startup"
    bad = tmp_path / "bad"
    bad.mkdir()
    for table, spec in data.TABLES[case].items():
        if spec.required:
            (bad / f"{table}.csv").write_text(",".join(spec.required_columns) + "\n", encoding="utf-8")
    code, out, err = run_main(capsys, "run", case, "--data", bad, "--out", tmp_path / "rep")
    assert code == 3
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("kpi-cases: data error: ")
    assert "Traceback" not in err


def test_report_leaves_out_exercise_sections_and_solutions():
    import nbformat

    from kpi_helpers.report import notebook_to_html, without_exercises

    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell("# Title"),
        v4.new_markdown_cell("## 1. The business\nText"),
        v4.new_markdown_cell("### Exercise 1: a share\nQuestion one"),
        v4.new_code_cell("answer_1 = None"),
        v4.new_markdown_cell("### Background\nKept text"),
        v4.new_markdown_cell("## 7. Exercises\nIntro"),
        v4.new_code_cell("answer_2 = None"),
        v4.new_markdown_cell("### Exercise 3\nQuestion three"),
        v4.new_code_cell("print(42)", metadata={"tags": ["solution"]}),
        v4.new_markdown_cell("## Summary\nClosing words"),
        v4.new_code_cell("x = 1", metadata={"tags": ["solution"]}),
    ]
    kept = [c.source.split("\n")[0] for c in without_exercises(cells)]
    assert kept == ["# Title", "## 1. The business", "### Background", "## Summary"]
    html = notebook_to_html(v4.new_notebook(cells=cells), "Title")
    assert "Question one" not in html and "Question three" not in html and "Intro" not in html
    assert "Closing words" in html and "Kept text" in html
