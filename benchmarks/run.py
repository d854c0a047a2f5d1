"""The performance benchmarks of kpi-cases (``make bench``): time and memory, measured side by side.

    python benchmarks/run.py                       # everything: KPI path, notebooks, start-up
    python benchmarks/run.py --only kpis --sizes 1m --rounds 3
    python benchmarks/run.py --only kpis --sizes 10m --shapes mixed,even --variants a   # (a) against (b)
    python benchmarks/run.py --only notebooks --rounds 3
    python benchmarks/run.py --only startup

Sections
--------
kpis       Seeded transaction logs of 1M and 10M rows (``generate.py``, cached in
           ``benchmarks/.cache/``), and on each, in alternating order, round after round:
           (a) ``kpi-cases kpis your_data`` on the file, (b) the same figures from DuckDB SQL on the
           same CSV, (c) a straightforward pandas version (``variants.py``). Every run is a fresh
           process; its wall time is measured from start to exit (imports included, as a user waits
           for them) and its peak memory is the child's maximum resident set size (``os.wait4``).
           Then the three outputs are compared figure by figure (``variants.compare``).
notebooks  Each notebook executed with papermill (``interactive=False``, as ``kpi-cases run`` and
           CI do) against a *floor* notebook that only imports the same libraries, alternating.
startup    ``kpi-cases --help`` and ``kpi-cases list`` wall times, and which heavy modules
           ``import kpi_helpers`` (and its computing modules) load.

Medians over the rounds are reported with min-max; ratios are medians over medians. The machine is
described in the output (cores, memory, load average before and after: other work on the machine
shows there). Results go to stdout and to ``benchmarks/.cache/results.md`` (and ``.json``).
Exit status 1 when the three variants disagree on any figure.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import variants  # noqa: E402

VARIANTS = {
    "a": "kpi-cases kpis",
    "b": "DuckDB SQL",
    "c": "pandas (student)",
    "p": "kpis --engine pandas",
}
KPI_VARIANTS = ("a", "p")  # write a KPI table (CSV); the others write figures (JSON)
HEAVY = ("matplotlib", "seaborn", "ipywidgets", "papermill", "IPython", "nbconvert", "nbformat", "jupyter_client")


# ------------------------------------------------------------------------------------------------ running
def run_measured(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
                 timeout: float = 3600.0) -> dict[str, Any]:
    """Run ``cmd`` in a fresh process; wall seconds, peak RSS (MB) of that process, exit code, output.

    ``os.wait4`` gives the resource usage of exactly this child (``RUSAGE_CHILDREN`` would give the
    largest of all children so far).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"wall": wall, "peak_mb": usage.ru_maxrss / 1024.0, "returncode": proc.returncode,
                "stdout": out.read().decode(errors="replace"), "stderr": err.read().decode(errors="replace")}


def kpi_cases_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("kpi-cases")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "import sys; from kpi_helpers.cli import main; sys.exit(main())"]


def variant_cmd(variant: str, csv: Path, out: Path) -> list[str]:
    if variant == "a":  # the default engine (DuckDB)
        return kpi_cases_cmd() + ["kpis", "your_data", "--data", str(csv.parent), "--out", str(out)]
    if variant == "p":
        return kpi_cases_cmd() + ["kpis", "your_data", "--engine", "pandas", "--data", str(csv.parent), "--out", str(out)]
    kind = {"b": "duckdb", "c": "pandas"}[variant]
    return [sys.executable, str(HERE / "variants.py"), kind, str(csv), str(out)]


def figures_of(variant: str, out: Path) -> dict[str, Any]:
    if variant in KPI_VARIANTS:
        return variants.from_kpi_table(out)
    return json.loads(out.read_text())


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


# ------------------------------------------------------------------------------------------------ machine
def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        m = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        mem_gb = round(int(m.group(1)) / 1024 / 1024, 1) if m else None
    except OSError:
        pass
    versions = {}
    for mod in ("pandas", "numpy", "pyarrow", "duckdb"):
        try:
            versions[mod] = __import__(mod).__version__
        except ImportError:
            versions[mod] = "not installed"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem_gb, "os": platform.platform(),
            "python": platform.python_version(), **versions}


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# ------------------------------------------------------------------------------------------------ scale
def bench_scale(sizes: list[int], work: Path, log, spark_master: str = "local[2]") -> dict[str, Any]:
    """One fresh run each: ``kpi-cases kpis`` (default engine) on the big sizes, and ``--engine spark``.

    ``scale`` sizes (e.g. 100m: ~2.2 GB) show that DuckDB aggregates past memory (peak RSS of the
    process); ``spark`` times Spark in local mode (the JVM is a child of the timed process: its memory
    is not in the peak RSS).
    """
    out: dict[str, Any] = {}
    for rows in sizes:
        label = generate.label(rows)
        csv = generate.generate(rows, generate.default_dir(rows))
        for name, extra in (("kpis (DuckDB)", []), ("kpis --engine spark", ["--engine", "spark",
                                                                              "--spark-master", spark_master])):
            if rows >= 50_000_000 and extra:
                continue  # Spark in local mode on 2 cores: the 1M figure says enough
            if rows < 50_000_000 and not extra:
                continue
            res = run_measured(kpi_cases_cmd() + ["kpis", "your_data", "--data", str(csv.parent),
                                                  "--out", str(work / f"{label}_scale.csv"), *extra])
            if res["returncode"] != 0:
                raise SystemExit(f"{name} failed on {label}:\n{res['stderr'][-3000:]}")
            log(f"[scale {label}] {name}: {res['wall']:.1f} s, peak {res['peak_mb']:.0f} MB")
            out[f"{label} {name}"] = {"rows": rows, "file_mb": round(csv.stat().st_size / 1e6, 1),
                                      "wall_s": round(res["wall"], 2), "peak_mb": round(res["peak_mb"])}
    return out


# ------------------------------------------------------------------------------------------------ kpis
def bench_kpis(sizes: list[int], rounds: int, work: Path, log, shapes: tuple[str, ...] = ("mixed",),
               only_variants: tuple[str, ...] = tuple(VARIANTS)) -> dict[str, Any]:
    results: dict[str, Any] = {}
    ok = True
    for rows, shape in [(r, s) for r in sizes for s in shapes]:
        label = generate.label(rows) + ("" if shape == "mixed" else f" {shape}")
        csv = generate.generate(rows, generate.default_dir(rows, shape), shape=shape)
        log(f"[kpis {label}] {csv} ({csv.stat().st_size / 1e6:.0f} MB)")
        names = {v: VARIANTS[v] for v in VARIANTS if v in only_variants or v == "b"}
        runs: dict[str, list[dict[str, Any]]] = {v: [] for v in names}
        outs: dict[str, Path] = {}
        order = list(names)
        for r in range(rounds):
            for v in order[r % len(order):] + order[: r % len(order)]:  # rotate: nobody always goes first
                out = work / f"{label.replace(' ', '_')}_{v}_{r}.{'csv' if v in KPI_VARIANTS else 'json'}"
                res = run_measured(variant_cmd(v, csv, out))
                if res["returncode"] != 0:
                    raise SystemExit(f"variant {v} ({VARIANTS[v]}) failed on {label}:\n{res['stderr'][-3000:]}")
                runs[v].append({"wall": res["wall"], "peak_mb": res["peak_mb"]})
                outs[v] = out
                log(f"  round {r + 1} {v} {VARIANTS[v]:<18} {res['wall']:7.2f} s  {res['peak_mb']:7.0f} MB")
        figs = {v: figures_of(v, outs[v]) for v in names}
        problems = []
        for v in [x for x in ("a", "c", "p") if x in names]:
            problems += [f"{v} vs b: {d}" for d in variants.compare(figs["b"], figs[v], ref_name="b", other_name=v)]
            problems += [f"{v} vs b: {d}" for d in variants.compare(figs[v], figs["b"], ref_name=v, other_name="b")
                         if "account" in d]
        n_figures = len(figs["b"]["months"]) * len(variants.MONTH_FIELDS) + len(variants.ALL_FIELDS)
        ok &= not problems
        b_med = median([x["wall"] for x in runs["b"]])
        results[label] = {
            "rows": rows, "file_mb": round(csv.stat().st_size / 1e6, 1),
            "variants": {v: {"name": VARIANTS[v], "walls": [round(x["wall"], 3) for x in runs[v]],
                             "median_s": round(median([x["wall"] for x in runs[v]]), 3),
                             "ratio_to_duckdb": round(median([x["wall"] for x in runs[v]]) / b_med, 2),
                             "peak_mb": round(max(x["peak_mb"] for x in runs[v]))} for v in names},
            "agree": not problems, "figures_compared": n_figures,
            "accounts_compared": len(figs["b"]["top_accounts"]), "problems": problems[:20],
        }
        log(f"  check: {'all agree' if not problems else 'DIFFERENCES: ' + '; '.join(problems[:5])}")
    return {"sizes": results, "agree": ok}


# ------------------------------------------------------------------------------------------------ notebooks
def floor_notebook(nb: dict[str, Any]) -> dict[str, Any]:
    """A notebook with one code cell: the notebook's own import statements (same libraries, no work).

    Statements are taken whole (``ast``), so an import that spans lines stays valid.
    """
    import ast

    lines: list[str] = []
    for c in nb["cells"]:
        if c["cell_type"] != "code":
            continue
        src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        try:
            tree = ast.parse(src)
        except SyntaxError:  # cell magics and the like: no imports taken from it
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                text = ast.get_source_segment(src, node) or ""
                if text and text not in lines:
                    lines.append(text)
    return {"cells": [{"cell_type": "code", "execution_count": None, "id": "floor", "metadata": {},
                       "outputs": [], "source": "\n".join(lines)}],
            "metadata": nb.get("metadata", {}), "nbformat": nb.get("nbformat", 4),
            "nbformat_minor": nb.get("nbformat_minor", 5)}


#: How papermill writes the executed notebook: its default (the whole notebook before and after every
#: cell) and one write at the end (``papermill --no-request-save-on-cell-execute``, what ``kpi-cases
#: run`` does).
PM_MODES = {"per cell": "1", "once": "0"}


def bench_notebooks(rounds: int, work: Path, log) -> dict[str, Any]:
    """Per notebook and per papermill write mode (:data:`PM_MODES`): medians of the notebook and of its
    floor, alternating (floor first in even rounds): each run is the ``papermill`` command line in a
    fresh process, timed from start to exit (Python, papermill's imports and the kernel included)."""
    nb_dir = ROOT / "notebooks"
    papermill = Path(sys.executable).with_name("papermill")
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    results: dict[str, Any] = {}
    for path in sorted(nb_dir.glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        floor = work / f"floor_{path.name}"
        floor.write_text(json.dumps(floor_notebook(nb)), encoding="utf-8")
        params = {"interactive": False} if "interactive" in _parameter_names(nb) else {}
        times: dict[tuple[str, str], list[float]] = {(m, w): [] for m in PM_MODES for w in ("notebook", "floor")}
        for r in range(rounds):
            for mode, save in PM_MODES.items():
                order = ["floor", "notebook"] if r % 2 == 0 else ["notebook", "floor"]
                for which in order:
                    src = floor if which == "floor" else path
                    # the papermill command line, as the issue measures it: the process's wall time
                    cmd = [str(papermill), str(src), str(work / f"out_{which}_{path.name}"), "--cwd", str(nb_dir),
                           "--log-level", "ERROR", "--no-progress-bar", "-k", "python3"]
                    if which == "notebook":
                        cmd += [arg for k, v in params.items() for arg in ("-y", json.dumps({k: v}))]
                    if save == "0":
                        cmd.append("--no-request-save-on-cell-execute")
                    res = run_measured(cmd, env=env)
                    if res["returncode"] != 0:
                        raise SystemExit(f"{path.name} ({which}) failed:\n{res['stderr'][-3000:]}")
                    secs = res["wall"]
                    times[(mode, which)].append(secs)
                    log(f"  round {r + 1} {path.stem:<20} {mode:<8} {which:<8} {secs:6.2f} s")
        results[path.stem] = {}
        for mode in PM_MODES:
            med_nb, med_floor = median(times[(mode, "notebook")]), median(times[(mode, "floor")])
            results[path.stem][mode] = {"notebook_s": round(med_nb, 2), "floor_s": round(med_floor, 2),
                                        "ratio": round(med_nb / med_floor, 2),
                                        "notebook_runs": [round(x, 2) for x in times[(mode, "notebook")]],
                                        "floor_runs": [round(x, 2) for x in times[(mode, "floor")]]}
    return results


def _parameter_names(nb: dict[str, Any]) -> set[str]:
    for c in nb["cells"]:
        if c["cell_type"] == "code" and "parameters" in c.get("metadata", {}).get("tags", []):
            src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            return set(re.findall(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=", src, re.M))
    return set()


# ------------------------------------------------------------------------------------------------ startup
def bench_startup(rounds: int, log) -> dict[str, Any]:
    cmds = {"kpi-cases --help": kpi_cases_cmd() + ["--help"], "kpi-cases list": kpi_cases_cmd() + ["list"],
            "python -c pass": [sys.executable, "-c", "pass"]}
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for r in range(max(rounds, 5)):
        for k, cmd in cmds.items():
            res = run_measured(cmd)
            if res["returncode"] != 0:
                raise SystemExit(f"{k} failed:\n{res['stderr'][-2000:]}")
            times[k].append(res["wall"])
    out: dict[str, Any] = {k: {"median_s": round(median(v), 3), "max_s": round(max(v), 3)} for k, v in times.items()}
    code = ("import sys, kpi_helpers, kpi_helpers.kpis, kpi_helpers.accounts, kpi_helpers.scorecard, "
            "kpi_helpers.data, kpi_helpers.cases, kpi_helpers.cli; "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    res = run_measured([sys.executable, "-c", code])
    out["heavy_modules_on_import"] = res["stdout"].strip()
    for k, v in out.items():
        log(f"  {k}: {v}")
    return out


# ------------------------------------------------------------------------------------------------ report
def report(m: dict[str, Any], before: str, after: str, kp: dict[str, Any] | None, nbs: dict[str, Any] | None,
           st: dict[str, Any] | None, rounds: int) -> str:
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {m['os']}; Python {m['python']}, "
             f"pandas {m['pandas']}, numpy {m['numpy']}, pyarrow {m['pyarrow']}, duckdb {m['duckdb']}. "
             f"Load average before {before}, after {after}. {rounds} rounds, alternating; medians.", ""]
    if kp:
        lines += ["| rows | variant | median s (min-max) | ratio to DuckDB | peak MB |", "|---|---|---|---|---|"]
        for label, r in kp["sizes"].items():
            for v, x in r["variants"].items():
                lo, hi = min(x["walls"]), max(x["walls"])
                lines.append(f"| {label} | ({v}) {x['name']} | {x['median_s']:.2f} ({lo:.2f}-{hi:.2f}) | "
                             f"{x['ratio_to_duckdb']:.2f}x | {x['peak_mb']:.0f} |")
        checks = "; ".join(f"{label}: {'all agree' if r['agree'] else 'DIFFER'} "
                           f"({r['figures_compared']} figures, {r['accounts_compared']} key account(s))"
                           for label, r in kp["sizes"].items())
        lines += ["", f"Same numbers: {checks}.", ""]
    if nbs:
        lines += ["| notebook | papermill writes | notebook s | floor s (imports only) | ratio |",
                  "|---|---|---|---|---|"]
        for name, by_mode in nbs.items():
            for mode, x in by_mode.items():
                lines.append(f"| {name} | {mode} | {x['notebook_s']:.2f} | {x['floor_s']:.2f} | {x['ratio']:.2f}x |")
        lines.append("")
    if st:
        lines += ["| start-up | median s | max s |", "|---|---|---|"]
        for k in ("kpi-cases --help", "kpi-cases list", "python -c pass"):
            lines.append(f"| `{k}` | {st[k]['median_s']:.3f} | {st[k]['max_s']:.3f} |")
        lines += ["", f"Heavy modules loaded by `import kpi_helpers` and its computing modules: "
                      f"{st['heavy_modules_on_import']}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="kpis,notebooks,startup",
                    help="comma list of kpis, notebooks, startup, scale (100M rows on DuckDB, 1M on Spark)")
    ap.add_argument("--scale-sizes", default="1m,100m", help="sizes for scale: 1m runs Spark, 100m DuckDB")
    ap.add_argument("--sizes", default="1m,10m", help="comma list of row counts (1m, 10m, 20k, 500000)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds per variant (at least 3 for the table)")
    ap.add_argument("--shapes", default="mixed",
                    help="comma list of customer bases for kpis: mixed (heavy customers), even (200,000 alike)")
    ap.add_argument("--variants", default="a,b,c,p",
                    help="comma list of kpis variants (b, the DuckDB SQL baseline, always runs)")
    ap.add_argument("--out", type=Path, default=generate.CACHE / "results.md")
    args = ap.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    sizes = [_rows(s) for s in args.sizes.split(",") if s.strip()]
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    work = Path(tempfile.mkdtemp(prefix="kpi-bench-"))
    try:
        m = machine()
        before = loadavg()
        log(f"machine: {m}; load {before}")
        kp = bench_kpis(sizes, args.rounds, work, log, tuple(s.strip() for s in args.shapes.split(",") if s.strip()),
                        tuple(v.strip() for v in args.variants.split(",") if v.strip())) if "kpis" in only else None
        nbs = bench_notebooks(args.rounds, work, log) if "notebooks" in only else None
        st = bench_startup(args.rounds, log) if "startup" in only else None
        sc = bench_scale([_rows(x) for x in args.scale_sizes.split(",") if x.strip()], work, log) \
            if "scale" in only else None
        after = loadavg()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(m, before, after, kp, nbs, st, args.rounds)
    if sc:
        text += "\n| rows | run | s | peak MB |\n|---|---|---|---|\n" + "\n".join(
            f"| {k.split()[0]} | {' '.join(k.split()[1:])} | {x['wall_s']:.1f} | {x['peak_mb']} |" for k, x in sc.items())
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(
        {"machine": m, "load_before": before, "load_after": after, "kpis": kp, "notebooks": nbs, "startup": st,
         "scale": sc},
        indent=1), encoding="utf-8")
    log(f"written: {args.out} and {args.out.with_suffix('.json')}")
    return 0 if (kp is None or kp["agree"]) else 1


def _rows(text: str) -> int:
    t = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if mult > 1 else t) * mult)


if __name__ == "__main__":
    sys.exit(main())
