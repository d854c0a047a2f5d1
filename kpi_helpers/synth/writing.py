"""How a generated table is written: the CSV contract of ``data/`` (UTF-8 without BOM, ``\\n`` line
endings, ``,`` separator, ISO dates, money with two decimals, hours with one, empty for missing).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ._common import DATE_COLUMNS, HOURS_COLUMNS, MONEY_COLUMNS

__all__ = ["to_csv_text", "write_csv"]


def _format_column(s: pd.Series, name: str) -> list[str]:
    """Text of one column as written to CSV (missing -> empty string)."""
    if name in DATE_COLUMNS and pd.api.types.is_datetime64_any_dtype(s):
        text = s.dt.strftime("%Y-%m-%d")
        return ["" if pd.isna(v) else str(v) for v in text]
    if name in MONEY_COLUMNS:
        return ["" if pd.isna(v) else f"{float(v):.2f}" for v in s]
    if name in HOURS_COLUMNS:
        return ["" if pd.isna(v) else f"{float(v):.1f}" for v in s]
    if pd.api.types.is_integer_dtype(s):
        return ["" if pd.isna(v) else str(int(v)) for v in s]
    if pd.api.types.is_float_dtype(s):  # pragma: no cover - no other float columns today
        return ["" if pd.isna(v) else repr(float(v)) for v in s]
    return ["" if pd.isna(v) else str(v) for v in s]


def to_csv_text(df: pd.DataFrame) -> str:
    """The exact CSV text written for a table (header + rows, ``\\n`` line endings)."""
    cols = [_format_column(df[c], c) for c in df.columns]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=",", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(df.columns))
    writer.writerows(zip(*cols))
    return buf.getvalue()


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write one table as UTF-8 (no BOM) CSV with ``\\n`` line endings; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_csv_text(df).encode("utf-8"))
    return path
