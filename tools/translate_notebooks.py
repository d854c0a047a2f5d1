"""Build and check the translated editions of the notebooks (``make notebooks-nb``).

The Bokmål edition ``notebooks/nb/`` is made from the English notebooks and the catalogues
``notebooks/i18n/nb/<name>.md`` (format: :mod:`kpi_helpers.i18n.cells`), never edited by hand.

Usage::

    python tools/translate_notebooks.py check [NAME ...]        # list missing, stale, untranslated entries
    python tools/translate_notebooks.py stub NAME [NAME ...]    # add 'todo' entries (English text) for missing cells
    python tools/translate_notebooks.py stamp NAME CELL [CELL ...]  # "this translation is of the current English"
    python tools/translate_notebooks.py build [--no-execute] [NAME ...]  # write and execute notebooks/nb/NAME.ipynb

NAME is a notebook's stem (``01_startup``); without names, every English notebook. ``--lang`` picks
the edition (default ``nb``). ``build`` refuses while ``check`` finds a problem.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from kpi_helpers.i18n import cells  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"


def english(stem: str) -> dict:
    return json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))


def entries(stem: str, lang: str) -> dict[str, cells.Entry]:
    path = cells.catalogue_path(NOTEBOOKS, stem, lang)
    return cells.parse(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))) if path.exists() else {}


def write_entries(stem: str, lang: str, found: dict[str, cells.Entry]) -> Path:
    path = cells.catalogue_path(NOTEBOOKS, stem, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(cells.dump(found, stem), encoding="utf-8")
    return path


def stems(names: list[str]) -> list[str]:
    return names or sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def check(names: list[str], lang: str) -> list[str]:
    out = []
    for stem in stems(names):
        path = cells.catalogue_path(NOTEBOOKS, stem, lang)
        out += cells.problems(english(stem), entries(stem, lang), stem=stem, lang=lang,
                              catalogue=str(path.relative_to(ROOT)))
    return out


def build(names: list[str], lang: str, execute: bool) -> int:
    found = check(names, lang)
    if found:
        print("\n".join(found), file=sys.stderr)
        print(f"{len(found)} problem(s): nothing built", file=sys.stderr)
        return 1
    import nbformat
    from refresh_notebooks import clean, refresh, write_versions

    out_dir = NOTEBOOKS / lang
    out_dir.mkdir(exist_ok=True)
    for stem in stems(names):
        nb = nbformat.from_dict(cells.translate(english(stem), entries(stem, lang), lang))
        path = out_dir / f"{stem}.ipynb"
        nbformat.write(clean(nb), path)
        if execute:
            print(f"{lang}/{path.name}: executing ...", flush=True)
            print(f"{lang}/{path.name}: done in {refresh(path):.1f} s", flush=True)
        else:
            print(f"{lang}/{path.name}: written (not executed)")
    if execute:
        write_versions()
    return 0


def main(argv: list[str]) -> int:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["check", "stub", "stamp", "build"])
    parser.add_argument("names", nargs="*", help="notebook stems (stamp: the stem, then cell ids)")
    parser.add_argument("--lang", default="nb")
    parser.add_argument("--no-execute", action="store_true", help="build: write the notebooks without running them")
    args = parser.parse_args(argv)
    if args.command == "check":
        found = check(args.names, args.lang)
        print("\n".join(found) or f"every {args.lang} catalogue is complete and current")
        return 1 if found else 0
    if args.command == "stub":
        for stem in stems(args.names):
            path = write_entries(stem, args.lang, cells.stub(english(stem), entries(stem, args.lang)))
            todo = sum(e.todo for e in entries(stem, args.lang).values())
            print(f"{path.relative_to(ROOT)}: {todo} entries to translate")
        return 0
    if args.command == "stamp":
        if len(args.names) < 2:
            parser.error("stamp needs a notebook stem and at least one cell id")
        stem, ids = args.names[0], args.names[1:]
        write_entries(stem, args.lang, cells.stamp(english(stem), entries(stem, args.lang), ids))
        print(f"{stem}: stamped {', '.join(ids)}")
        return 0
    return build(args.names, args.lang, execute=not args.no_execute)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
