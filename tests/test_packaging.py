"""The set-up files agree with each other, and the computing layers stay light."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT


def _split(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    assert m, spec
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _pyproject_deps() -> dict[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = meta["optional-dependencies"]
    specs = list(meta["dependencies"]) + list(extras["test"]) + list(extras.get("bench", []))
    return dict(_split(s) for s in specs)


def _environment_deps() -> dict[str, str]:
    deps: dict[str, str] = {}
    in_deps = in_pip = False
    for raw in (ROOT / "environment.yml").read_text().splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if not line.startswith(" "):
            in_deps = line.strip() == "dependencies:"
            continue
        if not in_deps:
            continue
        if line.strip() == "- pip:":
            in_pip = True
            continue
        m = re.match(r"^(\s*)- (.+)$", line)
        if not m or in_pip and len(m.group(1)) > 2:
            continue  # entries under "pip:" install the project itself
        name, spec = _split(m.group(2))
        if name in {"python", "pip"}:
            continue
        deps[name] = spec
    return deps


def test_environment_and_pyproject_name_the_same_packages():
    py, env = _pyproject_deps(), _environment_deps()
    assert sorted(py) == sorted(env), (
        f"only in pyproject: {sorted(set(py) - set(env))}; only in environment.yml: {sorted(set(env) - set(py))}"
    )
    assert py == env, "version ranges differ: " + str(
        {k: (py[k], env[k]) for k in py if py[k] != env[k]}
    )


def test_extras_are_test_bench_and_browser_and_only_test_and_bench_are_in_the_conda_environment():
    # "test" is part of every set-up (conda included), and so is "bench" (DuckDB, for `make bench`);
    # "browser" (Playwright) serves only `make test-browser`, which needs Debian's chromium as well,
    # so it stays out of environment.yml.
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert sorted(extras) == ["bench", "browser", "test"]
    browser = dict(_split(s) for s in extras["browser"])
    assert "playwright" in browser
    assert not set(browser) & set(_environment_deps()), "the browser extra belongs to pip only"


def test_environment_installs_the_project_itself():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s+- -e \.\s*$", text, re.M)
    assert "conda-forge" in text


def test_python_version_agrees():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert meta["requires-python"] == ">=3.11"
    assert re.search(r"^\s+- python>=3\.11\s*$", (ROOT / "environment.yml").read_text(), re.M)


HEAVY = ("matplotlib", "seaborn", "ipywidgets", "papermill", "IPython", "pandera")


@pytest.mark.parametrize(
    "module",
    ["kpi_helpers", "kpi_helpers.kpis", "kpi_helpers.accounts", "kpi_helpers.scorecard",
     "kpi_helpers.data", "kpi_helpers.cases"],
)
def test_computing_layers_import_no_plotting_widget_or_papermill(module):
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"{module} pulls in {out.stdout.strip()}"


def test_console_script_answers_help():
    exe = Path(sys.executable).with_name("kpi-cases")
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "kpi-cases" in out.stdout


@pytest.mark.parametrize("module", sorted(p.name for p in (ROOT / "kpi_helpers").glob("*.py")))
def test_no_module_defines_a_top_level_name_twice(module):
    """A second ``def f`` silently replaces the first (it happened once in cases.py)."""
    import ast
    from collections import Counter

    tree = ast.parse((ROOT / "kpi_helpers" / module).read_text(encoding="utf-8"))
    names = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    twice = sorted(k for k, v in Counter(names).items() if v > 1)
    assert not twice, f"{module} defines {twice} more than once"


@pytest.mark.parametrize("module", ["kpis", "accounts", "scorecard", "data", "cases", "plots", "widgets"])
def test_public_functions_are_listed_in_all(module):
    import ast
    import importlib

    tree = ast.parse((ROOT / "kpi_helpers" / f"{module}.py").read_text(encoding="utf-8"))
    public = {n.name for n in tree.body
              if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")}
    listed = set(importlib.import_module(f"kpi_helpers.{module}").__all__)
    assert not public - listed, f"kpi_helpers.{module}.__all__ misses {sorted(public - listed)}"
