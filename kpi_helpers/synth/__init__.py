"""Seeded generators for the shipped case data in ``data/``.

Every case has one function that returns ``{table name: DataFrame}`` with exactly the canonical
columns of ``DESIGN.md`` in that order. The numbers are synthetic: fixed seeds, fictitious
companies and people. ``write_all()`` writes them as CSV files that are byte-for-byte
reproducible (UTF-8 without BOM, ``\\n`` line endings, ``,`` separator, ISO dates, money with two
decimals, empty string for a missing value), and ``tests/test_synth.py`` proves that ``data/``
equals a fresh run.

Run ``python -m kpi_helpers.synth [--out DIR]`` (or ``make data``) to regenerate.

Layout: one module per case generator (:mod:`.startup`, :mod:`.consultancy`, :mod:`.marketing_agency`,
:mod:`.restaurant`, :mod:`.your_data`, :mod:`.concepts`), the seeds, columns and shared helpers in
``_common`` (private), the CSV contract in :mod:`.writing`; this module re-exports their public names
(``synth.startup`` is the generator function) and runs them all.

Design notes
------------
* Only numpy's ``default_rng`` with a fixed seed per case is used, and every random draw happens
  in a fixed loop order (lists, never sets), so the output does not depend on the clock, on hash
  seeds or on dict/set ordering.
* All generators use whole calendar months: every case's main table has rows on the first and on
  the last day of its period, so no month in the shipped data is partial.
* Pure numpy/pandas; no plotting imports.
"""
from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from ._common import (SEEDS, COLUMNS, MONEY_COLUMNS, DATE_COLUMNS, HOURS_COLUMNS, NORWEGIAN_HOLIDAYS,
                      B2B_SEASON)
from .concepts import concepts
from .startup import STARTUP_A, STARTUP_B, startup
from .consultancy import CONSULTANCY_KEY_CLIENT, consultancy
from .marketing_agency import MARKETING_KEY_CLIENT, marketing_agency
from .restaurant import RESTAURANT_VIP, restaurant
from .your_data import your_data
from .writing import to_csv_text, write_csv

__all__ = [
    "SEEDS",
    "COLUMNS",
    "GENERATORS",
    "startup",
    "consultancy",
    "marketing_agency",
    "restaurant",
    "your_data",
    "concepts",
    "generate_all",
    "to_csv_text",
    "write_csv",
    "write_all",
    "main",
    "MONEY_COLUMNS",
    "DATE_COLUMNS",
    "HOURS_COLUMNS",
    "NORWEGIAN_HOLIDAYS",
    "B2B_SEASON",
    "STARTUP_A",
    "STARTUP_B",
    "CONSULTANCY_KEY_CLIENT",
    "MARKETING_KEY_CLIENT",
    "RESTAURANT_VIP",
]

#: case name -> generator (in the order of the notebooks)
GENERATORS: dict[str, Callable[..., dict[str, pd.DataFrame]]] = {
    "concepts": concepts,
    "startup": startup,
    "consultancy": consultancy,
    "marketing_agency": marketing_agency,
    "restaurant": restaurant,
    "your_data": your_data,
}


def generate_all() -> dict[str, dict[str, pd.DataFrame]]:
    """All cases: ``{case: {table: DataFrame}}`` with the default seeds."""
    return {case: gen() for case, gen in GENERATORS.items()}


def write_all(out_dir: str | Path = "data", cases: Sequence[str] | None = None) -> list[Path]:
    """Generate every case (or the given ones) and write ``out_dir/<case>/<table>.csv``.

    Returns the written paths in a stable order. Existing files with the same names are
    overwritten; other files (such as ``data/README.md``) are left alone.
    """
    out = Path(out_dir)
    names = list(GENERATORS) if cases is None else list(cases)
    written: list[Path] = []
    for case in names:
        tables = GENERATORS[case]()
        for table, df in tables.items():
            written.append(write_csv(df, out / case / f"{table}.csv"))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kpi_helpers.synth [--out DIR] [--case CASE ...]``."""
    parser = argparse.ArgumentParser(
        prog="python -m kpi_helpers.synth",
        description="Write the seeded synthetic case data (CSV) used by the notebooks.",
    )
    parser.add_argument("--out", default="data", help="output folder (default: data)")
    parser.add_argument("--case", action="append", choices=list(GENERATORS),
                        help="only this case (repeatable; default: all)")
    args = parser.parse_args(argv)
    paths = write_all(args.out, args.case)
    total = sum(p.stat().st_size for p in paths)
    for p in paths:
        print(f"{p}  {p.stat().st_size:>9,d} bytes")
    print(f"{len(paths)} files, {total:,d} bytes")
    return 0
