"""The notebooks run headless with other parameters and on other data (papermill).

nbval (``make test`` runs ``pytest --nbval``) checks the committed outputs against a fresh run with
the default parameters; these tests check what nbval cannot: other targets and weights, the widget
path (``interactive=True``), a smaller data set written by a fixture, and that the notebook's KPI
table is byte-identical to the one ``cases.analyse`` gives the ``kpis`` command.

Every notebook is executed once per parameter set: the default run is the session fixture
``default_run`` (tests/conftest.py: ``kpi-cases run all`` plus the concepts notebook), shared with
tests/test_cli.py. The exercise solutions are fed to their own checks in the other-parameters run.
"""
from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import pytest
from conftest import DATA, NOTEBOOKS

from kpi_helpers import cases, data, scorecard
from kpi_helpers.cli_notebook import parameters_cell as _parameters_cell
from kpi_helpers.cli_options import NOTEBOOK_PARAMETERS

CASE_NOTEBOOKS = {name: NOTEBOOKS / case.notebook for name, case in cases.CASES.items()}
ALL_NOTEBOOKS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
#: Every edition's notebooks: the English ones and the Bokmål edition built from them (notebooks/nb/).
EDITIONS = ALL_NOTEBOOKS + sorted((NOTEBOOKS / "nb").glob("[0-9][0-9]_*.ipynb"))
DATA_PARAMS = {"data_dir", "column_map", *NOTEBOOK_PARAMETERS}  # sep, decimal, dayfirst, ..., strict
RUN_PARAMS = {"interactive", "kpi_table_path", "lang"}

# Other parameters per case: other targets and weights, the widget path.
OTHER_PARAMETERS = {
    "startup": {"targets": {"mom_growth": 0.05, "cmgr": 0.01},
                "weights": {"revenue_share": 0.7, "revenue_growth": 0.1, "strategic_value": 0.1,
                            "growth_potential": 0.05, "engagement": 0.05},
                "max_key_accounts": 3},
    "consultancy": {"targets": {"csat": 0.6, "utilization": 0.9}, "major_threshold": 0.2},
    "marketing_agency": {"targets": {"ctr": 0.005, "roas": 12.0}},
    "restaurant": {"targets": {"avg_rating": 4.0}, "open_hours_per_day": 5.0, "n_vip": 1},
    "your_data": {"targets": {"mom_growth": 0.0}, "abc_a": 0.7, "abc_b": 0.9},
}


def _execute(notebook: Path, out: Path, parameters: dict) -> dict:
    pm.execute_notebook(str(notebook), str(out), parameters=parameters, kernel_name="python3",
                        language="python", cwd=str(NOTEBOOKS), progress_bar=False, log_output=False,
                        execution_timeout=600)
    return json.loads(out.read_text(encoding="utf-8"))


def _errors(nb: dict) -> list[str]:
    return [f"{o.get('ename')}: {o.get('evalue')}" for c in nb["cells"] if c["cell_type"] == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "error"]


def _text(nb: dict) -> str:
    parts = []
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            if "text" in o:
                parts.append("".join(o["text"]))
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in o.get("data", {}):
                    parts.append("".join(o["data"][mime]))
    return "\n".join(parts)


def test_every_notebook_is_there_and_in_reading_order():
    names = [p.stem for p in ALL_NOTEBOOKS]
    assert names == ["00_concepts", "01_startup", "02_consultancy", "03_marketing_agency",
                     "04_restaurant", "05_your_data"]


@pytest.mark.parametrize("notebook", EDITIONS, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_committed_notebook_is_fully_executed_with_clean_metadata(notebook):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] is not None for c in code), "unexecuted cells are never compared"
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "run top to bottom in a fresh kernel"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert not _errors(nb)
    assert "papermill" not in nb["metadata"]
    assert not any("papermill" in c.get("metadata", {}) or "execution" in c.get("metadata", {})
                   for c in nb["cells"]), "volatile cell metadata (timestamps) left in"
    outputs = json.dumps([c.get("outputs", []) for c in code])
    assert "/tmp/" not in outputs and "0x7f" not in outputs and "/work/" not in outputs
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one parameters cell"


@pytest.mark.parametrize("case", sorted(CASE_NOTEBOOKS))
def test_parameters_cell_defaults_equal_the_case_defaults(case):
    """`kpi-cases kpis` uses cases.known_parameters: the notebook must start from the same values."""
    parsed = _parameters_cell(CASE_NOTEBOOKS[case])
    assert parsed and all(ok for ok, _, _ in parsed.values()), "every default is a literal"
    defaults = {k: v for k, (_, v, _) in parsed.items()}
    expected = cases.known_parameters(case)
    assert DATA_PARAMS | RUN_PARAMS <= set(defaults), sorted(DATA_PARAMS | RUN_PARAMS - set(defaults))
    analysis = {k: v for k, v in defaults.items() if k not in DATA_PARAMS | RUN_PARAMS}
    assert analysis == expected
    assert defaults["interactive"] is False and defaults["kpi_table_path"] is None and defaults["lang"] == "en"
    assert defaults["data_dir"] == f"../data/{case}"


@pytest.mark.parametrize("notebook", EDITIONS, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_papermill_sees_every_parameter(notebook):
    """papermill's inspection skips a parameter line with a second "=" (e.g. in its comment)."""
    seen = set(pm.inspect_notebook(str(notebook)))
    assert seen == set(_parameters_cell(notebook))


def _outputs(nb: dict) -> list[tuple[str, list]]:
    """(source, outputs) of each code cell, without the injected-parameters cell and volatile fields."""
    out = []
    for c in nb["cells"]:
        if c["cell_type"] != "code" or "injected-parameters" in c.get("metadata", {}).get("tags", []):
            continue
        outputs: list[dict] = []
        for o in c.get("outputs", []):
            o = {k: v for k, v in o.items() if k not in ("execution_count", "metadata")}
            if o.get("output_type") == "stream":
                o["text"] = "".join(o["text"])
                prev = outputs[-1] if outputs else {}
                if prev.get("output_type") == "stream" and prev.get("name") == o["name"]:
                    prev["text"] += o["text"]  # two prints may arrive as one message or as two
                    continue
            outputs.append(o)
        out.append(("".join(c["source"]), outputs))
    return out


def _assert_same_outputs(fresh: dict, committed: dict, skip: str = "kpi_table_path") -> None:
    """Every output, PNG figures included (nbval skips those), equals the committed one."""
    a, b = _outputs(fresh), _outputs(committed)
    assert [s for s, _ in a] == [s for s, _ in b]
    for (src, fresh_out), (_, committed_out) in zip(a, b):
        if skip in src:
            continue  # the cell that saves the table prints where it saved it
        assert fresh_out == committed_out, f"output differs from the committed one in cell:\n{src[:300]}"


def _as_run_by_default(nb: dict, case: str) -> dict:
    """`kpi-cases run` passes the data folder as an absolute path, where the notebook's default is
    ``../data/<case>``; some notebooks print it. Put the default back, nothing else."""
    injected = nb["metadata"]["papermill"]["parameters"]["data_dir"]
    assert injected == str((DATA / case).resolve())
    return json.loads(json.dumps(nb).replace(json.dumps(injected)[1:-1], f"../data/{case}"))


@pytest.mark.notebook
@pytest.mark.parametrize("case", sorted(CASE_NOTEBOOKS))
def test_notebook_kpi_table_equals_the_kpis_path_and_outputs_repeat(case, default_run):
    """The table a notebook saves is byte-identical to what cases.analyse gives `kpi-cases kpis`,
    and a second run of the notebook (the first is the committed one) gives identical outputs."""
    assert default_run.code == 0, default_run.stderr
    saved = default_run.out / f"{case}_kpis.csv"
    nb = default_run.notebook(case)
    assert not _errors(nb)
    direct = cases.analyse(case, data.load_case(case, DATA / case)).kpis
    assert saved.read_text(encoding="utf-8") == scorecard.kpi_table_csv(direct)
    _assert_same_outputs(_as_run_by_default(nb, case), json.loads(CASE_NOTEBOOKS[case].read_text(encoding="utf-8")))


@pytest.mark.notebook
def test_concepts_notebook_outputs_repeat(default_run):
    nb = default_run.notebook("00_concepts")
    assert not _errors(nb)
    _assert_same_outputs(nb, json.loads((NOTEBOOKS / "00_concepts.ipynb").read_text(encoding="utf-8")))


@pytest.mark.notebook
@pytest.mark.parametrize("case", sorted(CASE_NOTEBOOKS))
def test_notebook_runs_with_other_parameters_and_widgets(case, tmp_path):
    """Other parameters and the widgets; each exercise's solution passes its own check here too."""
    saved = tmp_path / "kpis.csv"
    params = {**OTHER_PARAMETERS[case], "interactive": True, "kpi_table_path": str(saved)}
    nb = _execute(_with_solution_checks(CASE_NOTEBOOKS[case], tmp_path), tmp_path / "out.ipynb", params)
    assert not _errors(nb), _errors(nb)
    _assert_solution_checks_ran(nb, CASE_NOTEBOOKS[case])
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs), \
        "interactive=True shows at least one widget"
    table = pd.read_csv(saved, keep_default_na=False, na_values=[""])
    direct = cases.analyse(case, data.load_case(case, DATA / case), **OTHER_PARAMETERS[case]).kpis
    assert len(table) == len(direct)
    for kpi, target in OTHER_PARAMETERS[case].get("targets", {}).items():
        rows = table[(table["kpi"] == kpi) & table["target"].notna()]
        assert not rows.empty and (rows["target"] == target).all()


# ------------------------------------------------------------------ a smaller data set
def _small_copy(case: str, dest: Path) -> Path:
    """Two months of the shipped data (and the rows of other tables they refer to)."""
    src = DATA / case
    dest.mkdir(parents=True)
    cd = data.load_case(case, src)
    first = cd.date_range[0]
    cut = (first + pd.offsets.MonthEnd(2)).strftime("%Y-%m-%d")
    read = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in src.glob("*.csv")}
    main = data.MAIN_TABLE[case]
    read[main] = read[main][read[main]["date"] <= cut]
    if case in ("startup", "your_data"):
        top = read[main].groupby("customer")["amount"].apply(lambda s: s.astype(float).sum())
        keep = set(top.sort_values(ascending=False).index[:6])
        read[main] = read[main][read[main]["customer"].isin(keep)]
        if "customers" in read:
            read["customers"] = read["customers"][read["customers"]["customer"].isin(keep)]
    if case == "consultancy":
        used = set(read["timesheets"]["project_id"])
        read["projects"] = read["projects"][read["projects"]["project_id"].isin(used)]
        read["surveys"] = read["surveys"][read["surveys"]["project_id"].isin(used)]
    for name, frame in read.items():
        frame.to_csv(dest / f"{name}.csv", index=False)
    return dest


@pytest.mark.notebook
@pytest.mark.parametrize("case", sorted(CASE_NOTEBOOKS))
def test_notebook_runs_on_a_small_data_set(case, tmp_path):
    small = _small_copy(case, tmp_path / case)
    saved = tmp_path / "kpis.csv"
    nb = _execute(CASE_NOTEBOOKS[case], tmp_path / "out.ipynb",
                  {"data_dir": str(small), "kpi_table_path": str(saved)})
    assert not _errors(nb), _errors(nb)
    direct = cases.analyse(case, data.load_case(case, small)).kpis
    assert saved.read_text(encoding="utf-8") == scorecard.kpi_table_csv(direct)
    assert set(pd.read_csv(saved)["period"]) <= {"all"} | set(direct["period"])


@pytest.mark.notebook
def test_concepts_notebook_runs_interactively(tmp_path):
    """The widget path; each exercise's solution passes its own check here too."""
    concepts = NOTEBOOKS / "00_concepts.ipynb"
    nb = _execute(_with_solution_checks(concepts, tmp_path), tmp_path / "out.ipynb", {"interactive": True})
    assert not _errors(nb), _errors(nb)
    _assert_solution_checks_ran(nb, concepts)


# Each note appears only when the table is missing: the test checks it is absent from the full run
# (the committed outputs, which nbval keeps equal to a fresh default run).
@pytest.mark.notebook
@pytest.mark.parametrize("case,drop,expect", [
    ("startup", "customers.csv", "no customers table (customers.csv"),
    ("consultancy", "surveys.csv", "skipped:** no surveys table, so client satisfaction (csat) cannot be measured"),
    ("restaurant", "tables.csv", "revpash needs the number of seats (tables.csv)"),
])
def test_missing_optional_table_skips_its_section_with_a_note(case, drop, expect, tmp_path):
    full = json.loads(CASE_NOTEBOOKS[case].read_text(encoding="utf-8"))
    assert expect not in _text(full).lower(), "the note must be specific to the missing table"
    folder = tmp_path / case
    shutil.copytree(DATA / case, folder)
    (folder / drop).unlink()
    nb = _execute(CASE_NOTEBOOKS[case], tmp_path / "out.ipynb", {"data_dir": str(folder)})
    assert not _errors(nb)
    assert expect in _text(nb).lower()


# ------------------------------------------------------------------ exercise solutions
def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _check_call(source: str) -> ast.Call | None:
    """The ``check_answer(...)`` call a cell ends with, if it does."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return None
    last = body[-1] if body else None
    if (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)
            and isinstance(last.value.func, ast.Name) and last.value.func.id == "check_answer"):
        return last.value
    return None


def _answer_expression(source: str, answer: str) -> str:
    """What a solution cell computes as the answer: ``answer_N`` when it sets it; else the value the
    cell ends with (``round(...)``); else the last name it assigns (``share_a = ...``)."""
    tree = ast.parse(source)
    assigned = [t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                for t in node.targets if isinstance(t, ast.Name)]
    if answer in assigned:
        return answer
    last = tree.body[-1]
    if isinstance(last, ast.Expr) and not (isinstance(last.value, ast.Call) and isinstance(last.value.func, ast.Name)
                                           and last.value.func.id in ("display", "print")):
        return ast.get_source_segment(source, last)
    order = sorted((node.lineno, node.col_offset, t.id) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                   for t in node.targets if isinstance(t, ast.Name))
    assert order, f"no answer found in the solution cell:\n{source}"
    return order[-1][2]


def _exercises(notebook: Path) -> list[tuple[int, str, str, str]]:
    """(index of the solution cell, answer variable, answer expression, source of the check cell) of
    every solution cell whose exercise is checked with ``check_answer(answer_N, ...)``."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found, check = [], None
    for i, c in enumerate(cells):
        if c["cell_type"] != "code":
            continue
        src = "".join(c["source"])
        call = _check_call(src)
        if call is not None and "solution" not in _tags(c):
            assert isinstance(call.args[0], ast.Name), src
            check = (call.args[0].id, src)
        elif "solution" in _tags(c) and check is not None:
            answer, check_src = check
            found.append((i, answer, _answer_expression(src, answer), check_src))
            check = None
    return found


def _with_solution_checks(notebook: Path, tmp_path: Path) -> Path:
    """A copy of the notebook with a cell after each solution: the solution's answer goes through the
    exercise's own check cell, which must say it is correct."""
    nb = nbformat.read(str(notebook), as_version=4)
    for i, answer, expr, check_src in reversed(_exercises(notebook)):
        body = ast.parse(check_src).body
        before = "".join(ast.get_source_segment(check_src, n) + "\n" for n in body[:-1])
        code = (f"{answer} = {expr}\n"
                f"if hasattr({answer}, '__len__') and not isinstance({answer}, str):\n"
                f"    {answer} = len({answer})  # rows counted by the solution\n"
                f"{before}"
                f"_solution_check = {ast.get_source_segment(check_src, body[-1])}\n"
                f"assert _solution_check.ok is True, f'{answer} = {{{answer}!r}}: {{_solution_check.message}}'\n"
                f"print('solution check passed: {answer}')")
        nb.cells.insert(i + 1, nbformat.v4.new_code_cell(code, metadata={"tags": ["solution-check"]}))
    path = tmp_path / "with_solution_checks" / notebook.name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def _assert_solution_checks_ran(nb: dict, notebook: Path) -> None:
    expected = [f"solution check passed: {answer}" for _, answer, _, _ in _exercises(notebook)]
    seen = [line for c in nb["cells"] if "solution-check" in _tags(c)
            for line in "".join("".join(o.get("text", "")) for o in c.get("outputs", [])).splitlines()]
    assert seen == expected


@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_checked_exercise_has_a_solution_with_an_answer(notebook):
    """Every ``check_answer(answer_N, ...)`` exercise is followed by a solution cell the tests can
    feed to that check (the notebook runs that do so: the other-parameters and interactive runs)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    checks = [_check_call("".join(c["source"])).args[0].id for c in cells if c["cell_type"] == "code"
              and "solution" not in _tags(c) and _check_call("".join(c["source"])) is not None]
    found = _exercises(notebook)
    assert [answer for _, answer, _, _ in found] == checks
    assert len(checks) >= 3
