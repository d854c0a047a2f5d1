"""Seeded transaction logs for the benchmarks: ``date, customer, amount`` like a consultant's export.

    python benchmarks/generate.py --rows 1000000              # -> benchmarks/.cache/tx_1m/transactions.csv
    python benchmarks/generate.py --rows 10000000 --out DIR   # any folder
    python benchmarks/generate.py --rows 10000000 --shape even  # 200,000 even customers

The shape (the same for every size, only the row count changes):

* about 200,000 customers with zero-padded numeric ids (``0012345``: ids must stay text);
* heavy-tailed spend (``--shape mixed``, the default): half of the rows go to customers chosen
  uniformly, half by a Pareto(1.1) weight, and each customer has its own typical ticket
  (log-normal), so a few hundred customers hold a large share of revenue and the long tail buys
  rarely; ``--shape even``: every row goes to a customer chosen uniformly (200,000 customers of
  about the same activity, written to ``tx_<rows>_even/``);
* dates from 2023-01-01 to 2025-01-15 (24 complete months and a partial one), sorted, with
  business growing over time (the density of sales rises by about half over the period);
* about 0.5 % credit notes (negative amounts); amounts with two decimals.

Files are written to a temporary name and renamed, with a small ``.meta.json`` beside them; an
existing file with the same parameters is reused (``--force`` writes it anew). Nothing here is
committed: ``benchmarks/.cache/`` is in ``.gitignore``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
FIRST, LAST = "2023-01-01", "2025-01-15"
DEFAULT_CUSTOMERS = 200_000
DEFAULT_SEED = 20240501
CHUNK = 2_000_000  # rows generated and written at a time (keeps the generator's memory small)


def label(rows: int) -> str:
    """``1000000 -> '1m'``, ``20000 -> '20k'``, other sizes verbatim."""
    if rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}m"
    if rows % 1_000 == 0:
        return f"{rows // 1_000}k"
    return str(rows)


#: The customer bases: ``mixed`` (heavy customers and a long tail) and ``even`` (uniform).
SHAPES = ("mixed", "even")


def default_dir(rows: int, shape: str = "mixed") -> Path:
    return CACHE / (f"tx_{label(rows)}" if shape == "mixed" else f"tx_{label(rows)}_{shape}")


def _customer_model(rng: np.random.Generator, n_customers: int,
                    shape: str = "mixed") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ids = np.char.zfill(np.arange(1, n_customers + 1).astype(str), 7).astype(object)
    pareto = rng.pareto(1.1, n_customers) + 1.0
    if shape == "even":
        p = np.full(n_customers, 1.0 / n_customers)
    else:
        p = 0.5 / n_customers + 0.5 * pareto / pareto.sum()
    p /= p.sum()
    ticket = np.exp(rng.normal(np.log(400.0), 0.8, n_customers))  # each customer's typical ticket
    return ids, p, ticket


def generate(rows: int, out_dir: Path, *, customers: int = DEFAULT_CUSTOMERS, seed: int = DEFAULT_SEED,
             force: bool = False, shape: str = "mixed") -> Path:
    """Write ``out_dir/transactions.csv`` (unless an identical one is there) and return its path."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "transactions.csv"
    meta_path = out_dir / ".meta.json"
    if shape not in SHAPES:
        raise ValueError(f"shape {shape!r}: one of {', '.join(SHAPES)}")
    meta = {"rows": int(rows), "customers": int(customers), "seed": int(seed), "first": FIRST, "last": LAST,
            "version": 1, **({"shape": shape} if shape != "mixed" else {})}
    if not force and path.is_file() and meta_path.is_file():
        try:
            if json.loads(meta_path.read_text()) == meta:
                return path
        except ValueError:
            pass

    rng = np.random.default_rng(seed)
    ids, p, ticket = _customer_model(rng, customers, shape)
    days = np.arange(np.datetime64(FIRST), np.datetime64(LAST) + 1)
    ramp = np.linspace(1.0, 1.5, len(days))
    # rows per day: a sorted log; the count per day follows the ramp and a weekly pattern
    weekday = (days.astype("int64") + 3) % 7  # 0 = Monday
    weight = ramp * np.where(weekday >= 5, 0.6, 1.0)
    per_day = rng.multinomial(rows, weight / weight.sum())
    day_of_row = np.repeat(np.arange(len(days)), per_day)
    day_text = np.datetime_as_string(days, unit="D").astype(object)

    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    write_opts = pacsv.WriteOptions(include_header=False, quoting_style="none")
    schema = pa.schema([("date", pa.string()), ("customer", pa.string()), ("amount", pa.float64())])
    try:
        with open(tmp, "wb") as fh, pacsv.CSVWriter(fh, schema, write_options=write_opts) as w:
            fh.write(b"date,customer,amount\n")
            for start in range(0, rows, CHUNK):
                stop = min(rows, start + CHUNK)
                n = stop - start
                cust = rng.choice(customers, size=n, p=p)
                amount = ticket[cust] * np.exp(rng.normal(0.0, 0.6, n))
                credit = rng.random(n) < 0.005
                amount = np.round(np.where(credit, -0.5 * amount, amount), 2)
                amount[amount == 0] = 0.01
                table = pa.table({
                    "date": pa.array(day_text[day_of_row[start:stop]], type=pa.string()),
                    "customer": pa.array(ids[cust], type=pa.string()),
                    "amount": pa.array(amount, type=pa.float64()),
                })
                w.write_table(table)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    meta_path.write_text(json.dumps(meta))
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, action="append", help="rows (repeatable; default 1M and 10M)")
    ap.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--shape", choices=SHAPES, default="mixed", help="customer base (default mixed)")
    ap.add_argument("--out", type=Path, help="folder (only with one --rows); default benchmarks/.cache/tx_<rows>")
    ap.add_argument("--force", action="store_true", help="write anew even if an identical file exists")
    args = ap.parse_args(argv)
    sizes = args.rows or [1_000_000, 10_000_000]
    if args.out and len(sizes) > 1:
        ap.error("--out takes one --rows")
    for rows in sizes:
        path = generate(rows, args.out or default_dir(rows, args.shape), customers=args.customers,
                        seed=args.seed, force=args.force, shape=args.shape)
        print(f"{path} ({path.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
