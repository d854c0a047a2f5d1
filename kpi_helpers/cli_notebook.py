"""The papermill side of ``kpi-cases run``: the notebook's parameters, quiet execution, clean metadata.

A notebook's ``parameters`` cell is read with :mod:`ast` (:func:`parameters_cell`), its defaults typed
(:func:`notebook_defaults`), papermill's inspection noise filtered (:class:`QuietPapermill`), its
title found (:func:`first_heading`) and papermill's timestamps removed (:func:`strip_papermill_metadata`).
Standard library only at import; nbformat is imported where it is used.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, Iterable

from .cli_params import literal

__all__ = ["QuietPapermill", "parameters_cell", "notebook_defaults", "first_heading", "strip_papermill_metadata"]

TYPE_EXAMPLES = {"int": 0, "float": 0.0, "bool": False, "str": "", "dict": {}, "list": []}


class QuietPapermill:
    """Drop papermill's inspection noise while we inspect or execute (we check parameters ourselves).

    papermill's parameter inspection skips every line with more than one ``=`` -- including
    ``= `` inside a comment such as ``n_vip = 3  # 0 = none`` -- and logs "Unable to parse line", then
    "Passed unknown parameter" for such parameters although the notebook declares them.
    """

    def __init__(self, declared: Iterable[str] = ()) -> None:
        self.declared = set(declared)

    def filter(self, record: Any) -> bool:
        msg = record.getMessage()
        if msg.startswith("Unable to parse line"):
            return False
        if msg.startswith("Passed unknown parameter: "):
            return msg.split(": ", 1)[1].strip() not in self.declared
        return True

    LOGGERS = ("papermill", "papermill.translators")  # filters do not reach child loggers' records

    def __enter__(self) -> "QuietPapermill":
        import logging

        for name in self.LOGGERS:
            logging.getLogger(name).addFilter(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        import logging

        for name in self.LOGGERS:
            logging.getLogger(name).removeFilter(self)


def parameters_cell(notebook: Path) -> dict[str, tuple[bool, Any, str | None]] | None:
    """Parse the notebook's ``parameters`` cell with :mod:`ast`.

    Returns name -> (default is a literal, its value, annotation type name); ``{}`` without a
    parameters cell; None when the cell is not plain Python (then papermill's inspection is used).
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    cell = next((c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return {}
    try:
        tree = ast.parse(str(cell.source))
    except SyntaxError:
        return None
    out: dict[str, tuple[bool, Any, str | None]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value, ann = [t for t in node.targets if isinstance(t, ast.Name)], node.value, None
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            targets, value = [node.target], node.value
            ann = node.annotation.id if isinstance(node.annotation, ast.Name) else None
        else:
            continue
        try:
            literal = (True, ast.literal_eval(value))
        except (ValueError, SyntaxError, TypeError):
            literal = (False, None)
        for t in targets:
            out[t.id] = (*literal, ann)
    return out


def notebook_defaults(case: str, notebook: Path, pm: Any, cases_mod: Any) -> dict[str, Any]:
    """The notebook's parameters with their default values (literal defaults evaluated).

    The parameters cell is read with :mod:`ast` (papermill's own inspection misses parameters whose
    comment contains ``=``); :func:`papermill.inspect_notebook` is the fallback for cells that are not
    plain Python. A default that is not a literal (or is None) takes the case's default from
    :func:`kpi_helpers.cases.known_parameters` when the case has that parameter, so ``targets.csat=0.9``
    still updates a whole dict; else the annotated or inferred type gives the type.
    """
    case_defaults = cases_mod.known_parameters(case)
    parsed = parameters_cell(notebook)
    if parsed is None:
        with QuietPapermill():
            info = pm.inspect_notebook(str(notebook))
        parsed = {}
        for name, p in info.items():
            ok, value = literal(str(p.get("default", "")))
            parsed[name] = (ok, value, str(p.get("inferred_type_name", "None")))
    out: dict[str, Any] = {}
    for name, (ok, value, type_name) in parsed.items():
        if ok and value is not None:
            out[name] = value
        elif name in case_defaults:
            out[name] = case_defaults[name]
        else:
            out[name] = TYPE_EXAMPLES.get(str(type_name).lower().split("[")[0]) if type_name else None
    return out


def first_heading(nb: Any) -> str | None:
    import re

    for cell in nb.cells:
        if cell.get("cell_type") != "markdown":
            continue
        for line in str(cell.get("source", "")).splitlines():
            m = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
            if m:
                text = re.sub(r"<[^>]+>", "", m.group(1))
                text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
                text = re.sub(r"(\*\*|__|\*|`)", "", text)
                return text.strip() or None
    return None


def strip_papermill_metadata(nb: Any, output_path: Path | None = None) -> Any:
    """Remove papermill's timestamps (notebook and cells) and the cells' execution timings, in place."""
    meta = nb.metadata.get("papermill")
    if meta is not None:
        for k in ("start_time", "end_time", "duration"):
            meta.pop(k, None)
        if output_path is not None:
            meta["output_path"] = str(output_path)
    for cell in nb.cells:
        cmeta = cell.get("metadata", {})
        pm = cmeta.get("papermill")
        if pm is not None:
            for k in ("start_time", "end_time", "duration"):
                pm.pop(k, None)
        cmeta.pop("execution", None)
    return nb
