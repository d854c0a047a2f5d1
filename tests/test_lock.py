"""The environment is the one the committed notebook outputs were made with.

Committed outputs are compared byte for byte (nbval: text; the repeat tests: PNGs), so a different
pandas, matplotlib, seaborn, Pillow or freetype shows up as a wall of differences. These tests name the
cause instead: ``notebooks/versions.json`` (written by ``tools/refresh_notebooks.py``) against this
environment, and ``requirements.lock`` against what is installed.
"""
from __future__ import annotations

import json
import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import refresh_notebooks  # noqa: E402  (tools/ is no package)


def test_notebook_outputs_were_made_with_the_versions_of_this_environment():
    made_with = json.loads((ROOT / "notebooks" / "versions.json").read_text(encoding="utf-8"))
    here = refresh_notebooks.output_versions()
    differ = [f"{name} {made_with[name]}, this environment has {here.get(name, 'none')}"
              for name in sorted(made_with) if here.get(name) != made_with[name]]
    assert not differ, ("the committed notebook outputs were made with " + "; ".join(differ)
                        + ". Install the lock (`make setup` in a fresh .venv) or, after `make lock`, "
                          "refresh them with `make notebooks`.")


def test_installed_packages_are_the_versions_of_the_lock():
    wrong = []
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)", line)
        if not m:
            continue
        try:
            have = version(m.group(1))
        except PackageNotFoundError:
            have = "not installed"
        if have != m.group(2):
            wrong.append(f"{m.group(1)}: lock {m.group(2)}, installed {have}")
    assert not wrong, "this environment differs from requirements.lock: " + "; ".join(wrong[:10])


def test_versions_file_names_what_the_outputs_depend_on():
    made_with = json.loads((ROOT / "notebooks" / "versions.json").read_text(encoding="utf-8"))
    assert {"pandas", "numpy", "matplotlib", "seaborn", "pillow", "freetype"} <= set(made_with)
    assert all(re.fullmatch(r"\d+(\.\d+)+\S*", v) for v in made_with.values()), made_with
