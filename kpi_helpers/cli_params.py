"""``-p NAME=VALUE``: notebook parameters typed by their defaults (standard library only).

:func:`parse_param_items` turns ``["targets.csat=0.9", "max_key_accounts=3"]`` into typed values (a
dotted name updates one entry of a dict parameter); :func:`coerce_value` types one value; the
parameters the command line sets itself (:data:`RESERVED_PARAMETERS`) are refused with the option to use.
"""
from __future__ import annotations

import ast
from typing import Any, Iterable, Mapping

from . import cli_options
from .cli_options import UsageError

__all__ = ["RESERVED_PARAMETERS", "literal", "coerce_value", "parse_param_items"]

#: Notebook parameters that the command line sets itself, and the option that sets each.
RESERVED_PARAMETERS: dict[str, str] = {
    "data_dir": "--data",
    "column_map": "--map",
    **cli_options.NOTEBOOK_PARAMETERS,
    "kpi_table_path": "--out",
    "interactive": "nothing: it is always False on the command line",
    "lang": "--lang",
}
_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}
_NONE = {"none", "null"}


def literal(raw: str) -> tuple[bool, Any]:
    """``(True, value)`` when ``raw`` is a Python literal (``0.9``, ``{"csat": 0.9}``), else ``(False, None)``."""
    try:
        return True, ast.literal_eval(raw.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def coerce_value(raw: str, default: Any, name: str) -> Any:
    """Parse a ``-p`` value as the type of the parameter's ``default``.

    Booleans take true/false/yes/no/1/0 (and on/off); ints and floats a number; a str parameter the
    text as given; dicts and lists a Python literal (``{"csat": 0.9}``); a parameter whose default is
    None (or unknown) a literal when the text is one, else the text. Raises :class:`UsageError`.
    """
    text = raw.strip()
    if isinstance(default, bool):
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise UsageError(f"-p {name}: expected true or false (yes/no, 1/0), not {raw!r}")
    ok, value = literal(text)
    if isinstance(default, int):
        if ok and isinstance(value, int) and not isinstance(value, bool):
            return value
        if ok and isinstance(value, float) and value.is_integer():
            return int(value)
        raise UsageError(f"-p {name}: expected a whole number, not {raw!r}")
    if isinstance(default, float):
        if ok and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise UsageError(f"-p {name}: expected a number such as 0.9, not {raw!r}")
    if isinstance(default, str):
        return value if ok and isinstance(value, str) else raw
    if isinstance(default, dict):
        if ok and isinstance(value, dict):
            return value
        raise UsageError(f"-p {name}: expected a dict such as {{\"csat\": 0.9}}, not {raw!r} "
                         f"(or set one entry with -p {name}.KEY=VALUE)")
    if isinstance(default, (list, tuple)):
        if ok and isinstance(value, (list, tuple)):
            return type(default)(value)
        raise UsageError(f"-p {name}: expected a list such as [\"a\", \"b\"], not {raw!r}")
    return value if ok else raw


def parse_param_items(items: Iterable[str], defaults: Mapping[str, Any], *, context: str = "",
                      dict_keys: Mapping[str, Iterable[str] | None] | None = None,
                      strict: bool = True) -> tuple[dict[str, Any], set[str]]:
    """Turn ``["targets.csat=0.9", "max_key_accounts=3"]`` into typed parameter values.

    Parameters
    ----------
    items : the ``NAME=VALUE`` texts, in order (later ones win; dotted ones update one dict entry).
    defaults : name -> default value: gives the type of each parameter and the dict that a dotted
        name updates (``targets.csat=0.9`` returns the whole default ``targets`` with csat = 0.9).
    dict_keys : name -> the keys a dotted name may add to that dict (None: any key); a key already in
        the default dict is always allowed. Without an entry only existing keys may be set.
    strict : an unknown name raises :class:`UsageError`; otherwise it is returned in the second set.

    Returns
    -------
    (values, unknown names)
    """
    dict_keys = dict_keys or {}
    values: dict[str, Any] = {}
    unknown: set[str] = set()
    known_list = ", ".join(sorted(defaults)) or "(none)"
    for item in items:
        name, eq, raw = str(item).partition("=")
        name = name.strip()
        if not eq or not name:
            raise UsageError(f"-p expects NAME=VALUE (e.g. -p targets.csat=0.9), not {item!r}")
        base, dot, key = name.partition(".")
        for reserved, option in RESERVED_PARAMETERS.items():
            if base == reserved:
                raise UsageError(f"-p {base}: set by the command line; use {option}"
                                 if option.startswith("--") else f"-p {base}: cannot be set ({option})")
        if base not in defaults:
            if strict:
                raise UsageError(f"unknown parameter {base!r}{context}; known: {known_list}")
            unknown.add(base)
            continue
        default = defaults[base]
        if not dot:
            values[base] = coerce_value(raw, default, base)
            continue
        if not key or "." in key:
            raise UsageError(f"-p {name}: expected NAME.KEY=VALUE with one dot (e.g. targets.csat=0.9)")
        current = values.get(base, default)
        if not isinstance(current, dict) or not isinstance(default, dict):
            raise UsageError(f"-p {name}: {base!r} is not a dict parameter, so it has no entries; "
                             f"use -p {base}=VALUE")
        if key not in current and key not in default:
            allowed = dict_keys.get(base, ())
            if allowed is not None and key not in set(allowed):
                choices = sorted(set(current) | set(default) | set(allowed))
                raise UsageError(f"-p {name}: {base} has no entry {key!r}; known: {', '.join(choices)}")
        if raw.strip().lower() in _NONE:
            entry = None  # e.g. targets.csat=None removes the target
        else:
            entry = coerce_value(raw, current.get(key, default.get(key)), name)
        updated = dict(current)
        updated[key] = entry
        values[base] = updated
    return values, unknown
