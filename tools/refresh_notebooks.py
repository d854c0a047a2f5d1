"""Re-execute notebooks in place and strip volatile metadata (``make notebooks``).

Committed outputs are the reference nbval compares against, so every notebook whose code or data
changed must be refreshed with this script before committing. It runs each notebook in a fresh kernel
with the notebooks folder as working directory, then removes execution timestamps and other
volatile metadata, and normalises the kernelspec.

It also writes ``notebooks/versions.json``: the versions of the packages whose output the
notebooks embed (pandas prints dtypes, matplotlib, seaborn, freetype and Pillow draw and encode the
PNGs), so a test can say "outputs were made with matplotlib X, this environment has Y" instead of
showing a wall of PNG differences.

Usage: python tools/refresh_notebooks.py [--versions-only] [notebooks/01_startup.ipynb ...]
"""
from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3",
                 "codemirror_mode": {"name": "ipython", "version": 3},
                 "file_extension": ".py", "mimetype": "text/x-python", "nbconvert_exporter": "python"}


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip volatile metadata; keep each cell's id (the translation catalogues are keyed by it) and
    give a cell without one, or with an id an earlier cell has, the next free ``cell-NNN``."""
    language = nb.metadata.get("language")
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
    if language:
        nb.metadata["language"] = language  # the edition's language (kpi_helpers.i18n.cells.translate)
    taken = {c.get("id") for c in nb.cells}
    seen: set[str] = set()
    free = (f"cell-{i:03d}" for i in range(10_000) if f"cell-{i:03d}" not in taken)
    for cell in nb.cells:
        if not cell.get("id") or cell.id in seen:
            cell.id = next(free)
        seen.add(cell.id)
        for key in ("execution", "papermill", "collapsed", "scrolled", "ExecuteTime"):
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("papermill", None)
    return nb


def refresh(path: Path) -> float:
    """Execute ``path`` in a fresh kernel, in its own folder (as JupyterLab does), and write it back cleaned."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = KERNELSPEC
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(Path(path).resolve().parent)}}).execute()
    elapsed = time.perf_counter() - start
    nbformat.write(clean(nb), path)
    return elapsed


VERSIONS = NOTEBOOKS / "versions.json"
#: Distributions whose versions shape the committed outputs (text and PNG bytes).
OUTPUT_PACKAGES = ("pandas", "numpy", "matplotlib", "seaborn", "pillow", "ipykernel")


def output_versions() -> dict[str, str]:
    """The versions the notebooks' outputs depend on, in this environment (freetype through matplotlib)."""
    from importlib.metadata import version

    import matplotlib.ft2font

    found = {name: version(name) for name in OUTPUT_PACKAGES}
    found["freetype"] = str(matplotlib.ft2font.__freetype_version__)
    found["python"] = platform.python_version_tuple()[0] + "." + platform.python_version_tuple()[1]
    return found


def write_versions(path: Path = VERSIONS) -> dict[str, str]:
    """Record :func:`output_versions` in ``path`` (sorted JSON, one key a line)."""
    found = output_versions()
    path.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return found


def main(argv: list[str]) -> int:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if "--versions-only" in argv:
        print(f"{VERSIONS.relative_to(ROOT)}: {write_versions()}")
        return 0
    paths = [Path(a) for a in argv] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    for p in paths:
        print(f"{p.name}: executing ...", flush=True)
        print(f"{p.name}: done in {refresh(p):.1f} s", flush=True)
    write_versions()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
