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
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*(.*)$", spec)  # extras [duckdb] left out
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


def _lock() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)", line)
        if m:
            pins[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return pins


def test_environment_and_pyproject_name_the_same_packages():
    py, env = _pyproject_deps(), _environment_deps()
    assert sorted(py) == sorted(env), (
        f"only in pyproject: {sorted(set(py) - set(env))}; only in environment.yml: {sorted(set(env) - set(py))}"
    )


def test_environment_pins_the_versions_of_the_lock_within_pyprojects_ranges():
    from packaging.specifiers import SpecifierSet

    py, env, lock = _pyproject_deps(), _environment_deps(), _lock()
    missing = sorted(set(py) - set(lock))
    assert not missing, f"requirements.lock lacks {missing}: run `make lock`"
    for name, spec in env.items():
        assert spec == f"=={lock[name]}", (f"environment.yml: {name}{spec}, requirements.lock: {name}=={lock[name]} "
                                           "(python tools/pin_environment.py pins it)")
        assert lock[name] in SpecifierSet(py[name]), f"lock {name}=={lock[name]} is outside pyproject's {py[name]}"


def test_lock_pins_every_package_exactly_and_nothing_machine_specific():
    text = (ROOT / "requirements.lock").read_text()
    lines = [ln.split("#", 1)[0].strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    assert lines and all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[^\s=]+", ln) for ln in lines), \
        [ln for ln in lines if "==" not in ln][:5]
    assert "file://" not in text and "--find-links" not in text and "-e " not in text
    assert {"pandas", "numpy", "matplotlib", "seaborn", "pillow"} <= set(_lock())


def test_extras_are_test_bench_browser_and_spark_and_only_test_and_bench_are_in_the_conda_environment():
    # "test" is part of every set-up (conda included), and so is "bench" (DuckDB, for `make bench`);
    # "browser" (Playwright) serves only `make test-browser`, which needs Debian's chromium as well,
    # so it stays out of environment.yml.
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert sorted(extras) == ["bench", "browser", "spark", "test"]
    browser = dict(_split(s) for s in extras["browser"])
    assert "playwright" in browser
    assert not set(browser) & set(_environment_deps()), "the browser extra belongs to pip only"
    # "spark" (PySpark, for `--engine spark` / `make test-spark`, which installs a JRE too) is pip-only;
    # its exact versions are in requirements-spark.lock, within pyproject's range
    from packaging.specifiers import SpecifierSet

    spark = dict(_split(s) for s in extras["spark"])
    assert "pyspark" in spark and not set(spark) & set(_environment_deps())
    pins = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", (ROOT / "requirements-spark.lock").read_text(), re.M))
    assert pins["pyspark"] in SpecifierSet(spark["pyspark"])


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
     "kpi_helpers.data", "kpi_helpers.stats", "kpi_helpers.cases", "kpi_helpers.cases.startup",
     "kpi_helpers.cases.consultancy", "kpi_helpers.cases.marketing_agency", "kpi_helpers.cases.restaurant",
     "kpi_helpers.cases.your_data"],
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


@pytest.mark.parametrize("module", sorted(str(p.relative_to(ROOT / "kpi_helpers"))
                                          for p in (ROOT / "kpi_helpers").rglob("*.py")))
def test_no_module_defines_a_top_level_name_twice(module):
    """A second ``def f`` silently replaces the first (it happened once in cases.py)."""
    import ast
    from collections import Counter

    tree = ast.parse((ROOT / "kpi_helpers" / module).read_text(encoding="utf-8"))
    names = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    twice = sorted(k for k, v in Counter(names).items() if v > 1)
    assert not twice, f"{module} defines {twice} more than once"


@pytest.mark.parametrize("module", ["kpis", "accounts", "scoring", "criteria", "scorecard", "data", "stats", "cases", "cases.startup",
                                    "cases.consultancy", "cases.marketing_agency", "cases.restaurant",
                                    "cases.your_data", "plots", "widgets"])
def test_public_functions_are_listed_in_all(module):
    import ast
    import importlib

    package = ROOT / "kpi_helpers" / module.replace(".", "/")
    if package.is_dir():  # a package: its __init__ and every public module list their own public names
        names = [module] + [f"{module}.{p.stem}" for p in sorted(package.glob("[!_]*.py"))]
    else:
        names = [module]
    for name in names:
        path = ROOT / "kpi_helpers" / f"{name.replace('.', '/')}.py"
        if not path.is_file():
            path = path.with_suffix("") / "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        public = {n.name for n in tree.body
                  if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")}
        listed = set(importlib.import_module(f"kpi_helpers.{name}").__all__)
        assert not public - listed, f"kpi_helpers.{name}.__all__ misses {sorted(public - listed)}"


def test_plots_re_exports_every_public_name_of_its_modules():
    """``plots.<name>`` is the one way the notebooks, widgets and tests call a chart."""
    import ast
    import importlib

    plots = importlib.import_module("kpi_helpers.plots")
    for path in sorted((ROOT / "kpi_helpers" / "plots").glob("*.py")):
        if path.stem == "__init__":
            continue
        module = importlib.import_module(f"kpi_helpers.plots.{path.stem}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        public = {n.name for n in tree.body
                  if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")}
        assert public <= set(module.__all__), f"plots.{path.stem}.__all__ misses {sorted(public - set(module.__all__))}"
        for name in module.__all__:
            assert name in plots.__all__, f"plots.__all__ misses {name} (from plots.{path.stem})"
            assert getattr(plots, name) is getattr(module, name)


def test_no_private_name_is_imported_across_modules():
    """``_x`` is used only inside its module, or comes from its own package's private ``_name.py``."""
    import ast

    bad = []
    for path in sorted((ROOT / "kpi_helpers").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                private_module = (node.module or "").split(".")[-1].startswith("_")
                same_package = node.level == 1
                for alias in node.names:
                    if alias.name.startswith("_") and not (private_module and same_package) \
                            and alias.name != "__version__":
                        bad.append(f"{path.relative_to(ROOT)}: from {'.' * node.level}{node.module} import {alias.name}")
    assert not bad, bad


def test_every_subpackage_is_shipped():
    """A wheel holds kpi_helpers and all its subpackages (plots/, synth/, data/, cases/, ...)."""
    from fnmatch import fnmatch

    from setuptools import find_packages

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    include = config["packages"]["find"]["include"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "kpi_helpers").rglob("__init__.py")}
    shipped = {name for name in find_packages(str(ROOT), include=include)}
    assert on_disk <= shipped, f"not shipped: {sorted(on_disk - shipped)}"
    assert all(any(fnmatch(name, pattern) for pattern in include) for name in on_disk)


def test_the_translation_catalogues_are_shipped():
    """The .po files are package data: an installed kpi-cases shows Bokmål too."""
    from fnmatch import fnmatch

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["kpi_helpers"]
    catalogues = [p.relative_to(ROOT / "kpi_helpers").as_posix() for p in (ROOT / "kpi_helpers").rglob("*.po")]
    assert len(catalogues) >= 2
    assert all(any(fnmatch(c, pat) for pat in patterns) for c in catalogues), (catalogues, patterns)
