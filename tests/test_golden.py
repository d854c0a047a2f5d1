"""Golden KPI tables: the public contract of every shipped case, byte for byte.

``tests/golden/<case>_kpis.csv`` is what ``kpi-cases kpis <case>`` writes on the shipped data. Any
change to it must be deliberate: regenerate with ``make golden`` and give the reason for every changed
row in the commit message and the issue's closing note. The failure message lists the rows that
differ, so a reviewer sees the change, not a wall of bytes.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kpi_helpers import cases
from kpi_helpers.cli import main

from conftest import GOLDEN


def _rows(text: str) -> dict[tuple[str, str, str], dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    return {(r["kpi"], r["scope"], r["period"]): r for r in reader}


def _describe(expected: str, actual: str, limit: int = 15) -> str:
    old, new = _rows(expected), _rows(actual)
    lines = [f"- removed {k}" for k in old.keys() - new.keys()]
    lines += [f"+ added {k}: {new[k]}" for k in new.keys() - old.keys()]
    for k in old.keys() & new.keys():
        changed = {c: (old[k][c], new[k].get(c)) for c in old[k] if old[k][c] != new[k].get(c)}
        if changed:
            lines.append(f"~ {k}: " + ", ".join(f"{c} {a!r} -> {b!r}" for c, (a, b) in changed.items()))
    if not lines and expected != actual:
        lines.append("same rows and values, different order or formatting")
    head = sorted(lines)[:limit]
    more = f"\n... and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"{len(lines)} row(s) differ:\n" + "\n".join(head) + more


@pytest.mark.parametrize("case", sorted(cases.CASES))
def test_kpi_table_matches_golden(case: str, tmp_path: Path) -> None:
    assert main(["kpis", case, "--out", str(tmp_path)]) == 0
    actual = (tmp_path / f"{case}_kpis.csv").read_text(encoding="utf-8")
    golden = GOLDEN / f"{case}_kpis.csv"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{case}: the KPI table differs from {golden.relative_to(GOLDEN.parents[1])}. If the change is "
        f"deliberate, run `make golden` and say why in the commit.\n" + _describe(expected, actual))
