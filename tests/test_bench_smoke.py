"""The benchmark's comparison logic, on a tiny generated log (the timing runs are ``make bench``).

The three variants of ``benchmarks/variants.py`` -- (a) ``kpi-cases kpis your_data``, (b) DuckDB SQL,
(c) the student's pandas -- must give the same figures; and ``compare`` must notice when they do not.
"""
from __future__ import annotations

import copy
import sys

import pytest

from conftest import ROOT  # noqa: E402
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402
import run  # noqa: E402
import variants  # noqa: E402

from kpi_helpers import cli  # noqa: E402


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    csv = generate.generate(20_000, folder / "tx", customers=2_000, seed=7)
    out = folder / "a_kpis.csv"
    assert cli.main(["kpis", "your_data", "--data", str(csv.parent), "--out", str(out)]) == 0
    return csv, variants.from_kpi_table(out)


def test_generator_is_seeded_and_cached(tmp_path):
    a = generate.generate(2_000, tmp_path / "a", customers=300, seed=1)
    b = generate.generate(2_000, tmp_path / "b", customers=300, seed=1)
    assert a.read_bytes() == b.read_bytes()
    lines = a.read_text().splitlines()
    assert lines[0] == "date,customer,amount" and len(lines) == 2_001
    assert lines[1].split(",")[1].startswith("0")  # ids keep their leading zeros
    mtime = a.stat().st_mtime_ns
    assert generate.generate(2_000, tmp_path / "a", customers=300, seed=1).stat().st_mtime_ns == mtime


def test_even_customer_base(tmp_path):
    even = generate.generate(20_000, tmp_path / "even", customers=300, seed=1, shape="even")
    mixed = generate.generate(20_000, tmp_path / "mixed", customers=300, seed=1)
    assert generate.default_dir(10_000_000, "even").name == "tx_10m_even"
    top = {}
    for name, path in (("even", even), ("mixed", mixed)):
        customers = [line.split(",")[1] for line in path.read_text().splitlines()[1:]]
        top[name] = max(customers.count(c) for c in set(customers)) / len(customers)
    assert top["even"] < 0.01 < top["mixed"]  # no heavy customer in the even base


def test_pandas_variant_agrees_with_kpi_cases(tiny):
    csv, a = tiny
    c = variants.pandas_figures(csv)
    assert variants.compare(c, a, ref_name="c", other_name="a") == []
    assert len(a["months"]) == 25 and a["months"]["2025-01"]["partial"]
    assert a["top_accounts"] and a["top_accounts"][0]["customer"] == c["top_accounts"][0]["customer"]


def test_duckdb_variant_agrees_with_kpi_cases(tiny):
    pytest.importorskip("duckdb")
    csv, a = tiny
    b = variants.duckdb_figures(csv, threads=1)
    assert variants.compare(b, a, ref_name="b", other_name="a") == []
    assert variants.compare(b, variants.pandas_figures(csv), ref_name="b", other_name="c") == []


def test_compare_notices_a_difference(tiny):
    _, a = tiny
    other = copy.deepcopy(a)
    month = next(iter(other["months"]))
    other["months"][month]["hhi"] *= 1.001
    other["all"]["abc_a_count"] += 1
    problems = variants.compare(a, other)
    assert any("hhi" in p and month in p for p in problems) and any("abc_a_count" in p for p in problems)


def test_runner_measures_a_child_process():
    res = run.run_measured([sys.executable, "-c", "x = bytearray(50_000_000); print('ok')"])
    assert res["returncode"] == 0 and res["stdout"].strip() == "ok"
    assert res["peak_mb"] > 50 and res["wall"] > 0


def test_floor_notebook_keeps_only_the_imports():
    nb = {"cells": [{"cell_type": "code", "source": ["import pandas as pd\n", "x = 1\n", "from a import b\n"]},
                    {"cell_type": "markdown", "source": "import nothing"},
                    {"cell_type": "code", "source": "import pandas as pd\nprint(x)"}],
          "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
    floor = run.floor_notebook(nb)
    assert [c["source"] for c in floor["cells"]] == ["import pandas as pd\nfrom a import b"]


def test_floor_notebook_keeps_imports_that_span_lines():
    """The notebooks import from kpi_helpers.display over two lines: the floor must stay valid Python."""
    nb = {"cells": [{"cell_type": "code", "source": "from kpi_helpers.display import (format_frame,\n"
                                                    "                                 format_value)\nx = 1\n"},
                    {"cell_type": "code", "source": "%matplotlib inline\nimport os"}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    src = run.floor_notebook(nb)["cells"][0]["source"]
    compile(src, "floor", "exec")
    assert src == "from kpi_helpers.display import (format_frame,\n                                 format_value)"
