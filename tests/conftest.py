"""Shared test setup: project paths, small case folders, the hypothesis profile, the markers, and the
one default run of every notebook that all notebook checks read.

Markers (registered in pyproject.toml): ``notebook`` = the test executes a notebook in a kernel (nbval
items get it too), ``slow`` = more than a few seconds without a kernel. ``make test-fast`` leaves both
out; ``make test`` runs everything.

``KPI_COUNT_EXECUTIONS=1 pytest ...`` prints how many notebooks were executed (papermill runs of the
shipped notebooks, and notebooks nbval ran) at the end of the session.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import textwrap
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
GOLDEN = ROOT / "tests" / "golden"


# ------------------------------------------------------------------------------------------------
# hypothesis: a failure can always be replayed
# ------------------------------------------------------------------------------------------------
# Locally, failing examples are stored under .hypothesis/ and tried first on the next run; every
# failure prints a @reproduce_failure blob. In CI (CI=true) the examples are derandomized: a failure
# there happens the same way on every machine. HYPOTHESIS_PROFILE=dev|ci picks one explicitly.
settings.register_profile("dev", print_blob=True, derandomize=False,
                          database=DirectoryBasedExampleDatabase(str(ROOT / ".hypothesis" / "examples")))
settings.register_profile("ci", print_blob=True, derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI", "").lower() not in ("", "0", "false") else "dev"))


# ------------------------------------------------------------------------------------------------
# small case folders written to tmp_path
# ------------------------------------------------------------------------------------------------
def write_csv(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` (dedented, leading blank lines dropped) as ``folder/name`` in UTF-8."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.fixture
def case_dir(tmp_path):
    """Factory: ``case_dir("startup", invoices='''date,customer,amount ...''')`` writes one CSV per
    keyword (table name = file stem) into ``tmp_path/<case>/`` and returns that folder."""
    def make(case: str, **tables: str) -> Path:
        folder = tmp_path / case
        folder.mkdir(parents=True, exist_ok=True)
        for table, text in tables.items():
            write_csv(folder, f"{table}.csv", text)
        return folder
    return make


# ------------------------------------------------------------------------------------------------
# markers: nbval's items execute notebooks
# ------------------------------------------------------------------------------------------------
def pytest_collection_modifyitems(config, items):
    for item in items:
        if type(item).__module__.startswith("nbval"):
            item.add_marker(pytest.mark.notebook)


# ------------------------------------------------------------------------------------------------
# counting notebook executions (KPI_COUNT_EXECUTIONS=1)
# ------------------------------------------------------------------------------------------------
EXECUTIONS: Counter[str] = Counter()


def _counting() -> bool:
    return os.environ.get("KPI_COUNT_EXECUTIONS", "") not in ("", "0")


def pytest_configure(config):
    if not _counting():
        return
    import papermill
    import papermill.execute

    real = papermill.execute.execute_notebook

    def counted(input_path, *args, **kwargs):
        path = Path(str(input_path)).resolve()
        # a shipped notebook, or a copy of one with the exercise solutions' checks (test_notebooks.py)
        shipped = path.parent == NOTEBOOKS or path.parent.name == "with_solution_checks"
        EXECUTIONS[f"papermill {path.name}" if shipped else "papermill (stand-in)"] += 1
        return real(input_path, *args, **kwargs)

    papermill.execute_notebook = counted
    papermill.execute.execute_notebook = counted


def pytest_terminal_summary(terminalreporter):
    if not _counting():
        return
    # nbval: one kernel run per notebook file with a cell that ran (its items live outside tests/,
    # where this conftest's per-item hooks are not called)
    ran = {r.nodeid.split("::", 1)[0] for reports in terminalreporter.stats.values() for r in reports
           if getattr(r, "when", None) == "call" and r.nodeid.split("::", 1)[0].endswith(".ipynb")}
    for path in ran:
        EXECUTIONS[f"nbval {Path(path).name}"] += 1
    shipped = {k: v for k, v in EXECUTIONS.items() if "stand-in" not in k}
    terminalreporter.section("notebook executions")
    for key, n in sorted(EXECUTIONS.items()):
        terminalreporter.write_line(f"{n:3d}  {key}")
    terminalreporter.write_line(f"{sum(shipped.values()):3d}  executions of the shipped notebooks "
                                f"({sum(EXECUTIONS.values())} with stand-ins)")


# ------------------------------------------------------------------------------------------------
# the one default run of every notebook
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DefaultRun:
    """``kpi-cases run all --out DIR`` (the case notebooks: .ipynb, .html, _kpis.csv) plus the concepts
    notebook executed with its default parameters into the same folder."""

    out: Path
    code: int
    stdout: str
    stderr: str

    def notebook(self, stem: str) -> dict:
        return json.loads((self.out / f"{stem}.ipynb").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def default_run(tmp_path_factory) -> DefaultRun:
    """Every shipped notebook executed once with its default parameters, for every check that needs
    that run: the repeat (PNG included) checks, the KPI-table-equals-kpis-path checks, the CLI checks."""
    import papermill as pm

    from kpi_helpers.cli import main

    out = tmp_path_factory.mktemp("default_run")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["run", "all", "--out", str(out)])
    pm.execute_notebook(str(NOTEBOOKS / "00_concepts.ipynb"), str(out / "00_concepts.ipynb"), parameters={},
                        kernel_name="python3", language="python", cwd=str(NOTEBOOKS), progress_bar=False,
                        log_output=False, execution_timeout=600)
    return DefaultRun(out, code, stdout.getvalue(), stderr.getvalue())
