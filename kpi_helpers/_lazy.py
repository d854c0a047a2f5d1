"""numpy and pandas, imported when first used: the computing modules' ``np`` and ``pd``.

``from ._lazy import np, pd`` gives two stand-ins that import the real numpy and pandas at their
first attribute look-up and hand every look-up on to them (so a test that patches ``pandas.x`` is
seen; a look-up costs a fraction of a microsecond more). Code that only describes the cases
(``kpi-cases list``, ``kpi-cases --help``, the case registry and the table schemas) never looks
anything up on them and so never pays the ~0.4 s import of pandas.
"""
from __future__ import annotations

import importlib
import types
from typing import Any

__all__ = ["np", "pd"]


class _Deferred(types.ModuleType):
    """A stand-in for a module that is imported on first use (then it behaves as the module)."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.__dict__["_deferred_target"] = target

    def _load(self) -> types.ModuleType:
        real = self.__dict__.get("_deferred_module")
        if real is None:
            real = importlib.import_module(self.__dict__["_deferred_target"])
            self.__dict__["_deferred_module"] = real
        return real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._load(), name)

    def __dir__(self) -> list[str]:
        return dir(self._load())

    def __repr__(self) -> str:
        return f"<deferred module {self.__dict__['_deferred_target']!r}>"


np: Any = _Deferred("numpy")
pd: Any = _Deferred("pandas")
