"""The notebooks run headless with other parameters and on other data (papermill).

nbval (``make test`` runs ``pytest --nbval``) checks the committed outputs against a fresh run with
the default parameters; these tests check what nbval cannot: other targets and weights, the widget
path (``interactive=True``), a smaller data set written by a fixture, and that the notebook's KPI
table is byte-identical to the one ``cases.analyse`` gives the ``kpis`` command.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kpi_helpers import cases, data, scorecard
from kpi_helpers.cli import _parameters_cell
from kpi_helpers.cli_options import NOTEBOOK_PARAMETERS

pm = pytest.importorskip("papermill")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DATA = ROOT / "data"
CASE_NOTEBOOKS = {name: NOTEBOOKS / case.notebook for name, case in cases.CASES.items()}
ALL_NOTEBOOKS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
DATA_PARAMS = {"data_dir", "column_map", *NOTEBOOK_PARAMETERS}  # sep, decimal, dayfirst, ..., strict
RUN_PARAMS = {"interactive", "kpi_table_path"}

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


@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS, ids=lambda p: p.stem)
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
    assert defaults["interactive"] is False and defaults["kpi_table_path"] is None
    assert defaults["data_dir"] == f"../data/{case}"


@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS, ids=lambda p: p.stem)
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


@pytest.mark.parametrize("case", sorted(CASE_NOTEBOOKS))
def test_notebook_kpi_table_equals_the_kpis_path_and_outputs_repeat(case, tmp_path):
    """The table a notebook saves is byte-identical to what cases.analyse gives `kpi-cases kpis`,
    and a second run of the notebook (the first is the committed one) gives identical outputs."""
    saved = tmp_path / f"{case}_kpis.csv"
    nb = _execute(CASE_NOTEBOOKS[case], tmp_path / "out.ipynb", {"kpi_table_path": str(saved)})
    assert not _errors(nb)
    direct = cases.analyse(case, data.load_case(case, DATA / case)).kpis
    assert saved.read_text(encoding="utf-8") == scorecard.kpi_table_csv(direct)
    _assert_same_outputs(nb, json.loads(CASE_NOTEBOOKS[case].read_text(encoding="utf-8")))


def test_concepts_notebook_outputs_repeat(tmp_path):
    nb = _execute(NOTEBOOKS / "00_concepts.ipynb", tmp_path / "out.ipynb", {})
    _assert_same_outputs(nb, json.loads((NOTEBOOKS / "00_concepts.ipynb").read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", sorted(CASE_NOTEBOOKS))
def test_notebook_runs_with_other_parameters_and_widgets(case, tmp_path):
    saved = tmp_path / "kpis.csv"
    params = {**OTHER_PARAMETERS[case], "interactive": True, "kpi_table_path": str(saved)}
    nb = _execute(CASE_NOTEBOOKS[case], tmp_path / "out.ipynb", params)
    assert not _errors(nb)
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


def test_concepts_notebook_runs_interactively(tmp_path):
    nb = _execute(NOTEBOOKS / "00_concepts.ipynb", tmp_path / "out.ipynb", {"interactive": True})
    assert not _errors(nb)


@pytest.mark.parametrize("case,drop,expect", [
    ("startup", "customers.csv", "customers"),
    ("consultancy", "surveys.csv", "surveys"),
    ("restaurant", "tables.csv", "tables"),
])
def test_missing_optional_table_skips_its_section_with_a_note(case, drop, expect, tmp_path):
    folder = tmp_path / case
    shutil.copytree(DATA / case, folder)
    (folder / drop).unlink()
    nb = _execute(CASE_NOTEBOOKS[case], tmp_path / "out.ipynb", {"data_dir": str(folder)})
    assert not _errors(nb)
    assert expect in _text(nb).lower()
