"""Pin environment.yml's packages to the versions of requirements.lock (part of ``make lock``).

Every ``  - name<spec>`` entry of environment.yml's dependencies (python and pip excepted) becomes
``  - name==<version in the lock>``; comments and the ``pip:`` section stay as they are.

Usage: python tools/pin_environment.py
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
ENVIRONMENT = ROOT / "environment.yml"


def normal(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: Path = LOCK) -> dict[str, str]:
    """name (normalised) -> exact version, from ``name==version`` lines."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)", line)
        if m:
            pins[normal(m.group(1))] = m.group(2)
    return pins


def pin(text: str, pins: dict[str, str]) -> str:
    """environment.yml ``text`` with its top-level packages pinned to ``pins``; raises KeyError when one is
    not in the lock."""
    def one(m: re.Match[str]) -> str:
        name = m.group(2)
        if name in ("python", "pip"):
            return m.group(0)
        return f"{m.group(1)}{name}=={pins[normal(name)]}"

    head, marker, rest = text.partition("\ndependencies:\n")
    deps, pip_marker, tail = rest.partition("\n  - pip:\n")
    deps = re.sub(r"^(  - )([A-Za-z0-9_.\-]+)([<>=!~,.*0-9a-z]*)$", one, deps, flags=re.M)
    return head + marker + deps + pip_marker + tail


def main() -> int:
    pins = read_lock()
    try:
        ENVIRONMENT.write_text(pin(ENVIRONMENT.read_text(encoding="utf-8"), pins), encoding="utf-8")
    except KeyError as e:
        print(f"environment.yml names {e} but requirements.lock does not", file=sys.stderr)
        return 1
    print("environment.yml pinned to requirements.lock")
    return 0


if __name__ == "__main__":
    sys.exit(main())
