"""The translation catalogue of the notebooks: English notebook + catalogue -> translated notebook.

One source for the text: the Bokmål edition ``notebooks/nb/<name>.ipynb`` is *built* from the English
notebook ``notebooks/<name>.ipynb`` and the catalogue ``notebooks/i18n/nb/<name>.md``; its code is
never copied by hand (``python tools/translate_notebooks.py build``, ``make notebooks-nb``).

The catalogue file
==================
Markdown, readable and reviewable as it is: one entry per cell, keyed by the cell's id, each opened
by a marker line with a hash of the English source the translation was made from::

    <!-- cell cell-009 en:4f1c0a9d2b7e -->
    ## 1. Virksomheten i tall
    ...

- every Markdown cell of the English notebook has an entry (its translation);
- the parameters cell has an entry: the same assignments in the same order, comments translated;
  only ``lang`` and relative data paths may differ (``"nb"``; the notebook lives one folder deeper,
  so ``"../data/..."`` becomes ``"../../data/..."``);
- any other code cell *may* have an entry that translates its comments; its code (every token but
  comments) must be the English cell's;
- a marker ending in ``todo`` (``<!-- cell cell-009 en:... todo -->``) is an entry not translated yet
  (``stub`` writes them); it fails the check like a missing one.

:func:`problems` lists what is wrong (a missing, stale or untranslated entry, an entry for a cell that
is gone, code that differs), each naming the notebook, the cell id and the cell's first line; the
tests fail on any. The hash is the first 12 hex digits of SHA-256 of the English cell source.

Standard library only (notebooks are read as JSON).
"""
from __future__ import annotations

import ast
import copy
import hashlib
import io
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Length of the hash beside each translation (hex digits of SHA-256).
HASH_LENGTH = 12

#: A marker line: ``<!-- cell ID en:HASH -->`` or ``<!-- cell ID en:HASH todo -->``.
MARKER = re.compile(r"^<!-- cell (?P<id>\S+) en:(?P<hash>[0-9a-f]{%d})(?P<todo> todo)? -->$" % HASH_LENGTH)

#: The parameters whose value the translated parameters cell may change.
LANGUAGE_PARAMETER = "lang"


@dataclass(frozen=True)
class Entry:
    """One cell's translation: the hash of the English it was made from, its text, and ``todo``."""

    cell_id: str
    english_hash: str
    text: str
    todo: bool = False


def source_hash(source: str) -> str:
    """The hash written beside a translation: SHA-256 of the English cell source, first 12 hex digits.

    >>> source_hash("# Title")
    '79aeaf7ba450'
    """
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def cell_source(cell: Mapping[str, Any]) -> str:
    """A notebook cell's source as one string (nbformat stores a string or a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def first_line(text: str, width: int = 60) -> str:
    """The first non-empty line of a cell, shortened: how a message names a cell for a person."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "(empty)")
    return line if len(line) <= width else line[: width - 1] + "…"


def parse(text: str, name: str = "catalogue") -> dict[str, Entry]:
    """The entries of a catalogue file, by cell id; ``ValueError`` for a repeated id or text before the first marker."""
    entries: dict[str, Entry] = {}
    current: dict[str, Any] | None = None
    lines: list[str] = []

    def close() -> None:
        if current is not None:
            body = "\n".join(lines).strip("\n")
            entries[current["id"]] = Entry(current["id"], current["hash"], body, bool(current["todo"]))

    in_header = True
    for number, line in enumerate(text.splitlines(), 1):
        m = MARKER.match(line)
        if m:
            close()
            if m["id"] in entries:
                raise ValueError(f"{name}, line {number}: cell {m['id']} has two entries")
            current, lines, in_header = m.groupdict(), [], False
        elif in_header:
            if line.strip() and not (line.startswith("<!--") or line.startswith("     ") or line.endswith("-->")):
                raise ValueError(f"{name}, line {number}: text before the first '<!-- cell ... -->' marker")
        else:
            lines.append(line)
    close()
    return entries


HEADER = ("<!-- {language} translation of notebooks/{stem}.ipynb, one entry per cell: a line\n"
          "     '<!-- cell ID en:HASH -->' (HASH: of the English source translated), then the text.\n"
          "     Check and build: python tools/translate_notebooks.py check|build (kpi_helpers/i18n/cells.py). -->\n")


def dump(entries: Mapping[str, Entry], stem: str, language: str = "Bokmål") -> str:
    """A catalogue file's text for ``entries`` (in the given order)."""
    parts = [HEADER.format(language=language, stem=stem)]
    for e in entries.values():
        parts.append(f"<!-- cell {e.cell_id} en:{e.english_hash}{' todo' if e.todo else ''} -->\n{e.text}\n")
    return "\n".join(parts)


def is_parameters(cell: Mapping[str, Any]) -> bool:
    return cell.get("cell_type") == "code" and "parameters" in (cell.get("metadata", {}).get("tags") or [])


def code_tokens(source: str) -> list[tuple[int, str]] | None:
    """The tokens of Python code without comments and layout (``None`` if it does not tokenize)."""
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENDMARKER}
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]  # IPython magics
    try:
        return [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline)
                if t.type not in skip]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None


def translated_value(name: str, value: Any, lang: str) -> Any:
    """A parameter's value in the translated notebook: ``lang`` is the language's code; a relative
    ``../`` path gains one ``../`` (the edition lives in ``notebooks/<lang>/``)."""
    if name == LANGUAGE_PARAMETER:
        return lang
    if isinstance(value, str) and value.startswith("../"):
        return "../" + value
    return value


def _assignments(source: str) -> list[tuple[str, Any]] | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    found = []
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            return None
        try:
            found.append((node.targets[0].id, ast.literal_eval(node.value)))
        except ValueError:
            return None
    return found


def parameters_problem(english: str, translated: str, lang: str) -> str | None:
    """Why a translated parameters cell is not the English one (``None`` when it is, up to comments
    and the values :func:`translated_value` changes)."""
    en, tr = _assignments(english), _assignments(translated)
    if en is None:
        return "the English parameters cell is not plain assignments of literals"
    if tr is None:
        return "the translated parameters cell is not plain assignments of literals"
    expected = [(name, translated_value(name, value, lang)) for name, value in en]
    if [n for n, _ in expected] != [n for n, _ in tr]:
        return f"its parameters are {[n for n, _ in tr]}, the English cell's {[n for n, _ in en]}"
    for (name, want), (_, got) in zip(expected, tr):
        if want != got:
            return f"parameter {name} is {got!r}, expected {want!r}"
    return None


def problems(english_nb: Mapping[str, Any], entries: Mapping[str, Entry], *, stem: str, lang: str,
             catalogue: str = "the catalogue") -> list[str]:
    """Everything that keeps ``entries`` from translating the English notebook, one message each.

    Each message names the notebook, the cell id and the cell's first line, and says what to do.
    """
    out: list[str] = []
    cells = english_nb.get("cells", [])
    ids = [c.get("id") for c in cells]
    where = f"notebooks/{stem}.ipynb"
    for cell in cells:
        cid, src = cell.get("id"), cell_source(cell)
        name = f"{where} cell {cid} ({first_line(src)!r})"
        entry = entries.get(cid)
        kind = cell.get("cell_type")
        needed = kind == "markdown" or is_parameters(cell)
        if entry is None:
            if needed:
                out.append(f"{name} has no {lang} translation in {catalogue}: add an entry "
                           f"(python tools/translate_notebooks.py stub {stem})")
            continue
        if entry.todo:
            out.append(f"{name} is not translated yet in {catalogue} (its marker ends in 'todo')")
        elif entry.english_hash != source_hash(src):
            out.append(f"{name} changed since its {lang} translation in {catalogue} (en:{entry.english_hash}, "
                       f"now en:{source_hash(src)}): update the translation, then "
                       f"python tools/translate_notebooks.py stamp {stem} {cid}")
        if kind == "code" and not entry.todo:
            if is_parameters(cell):
                why = parameters_problem(src, entry.text, lang)
                if why:
                    out.append(f"{name}: the translated parameters cell differs: {why}")
            elif code_tokens(src) != code_tokens(entry.text):
                out.append(f"{name}: the translated code cell differs from the English code "
                           f"(only comments may be translated)")
        if kind == "raw":
            out.append(f"{name} is a raw cell; raw cells are not translated")
    for cid in entries:
        if cid not in ids:
            out.append(f"{catalogue} has an entry for cell {cid}, which {where} no longer has: remove it")
    return out


def translate(english_nb: Mapping[str, Any], entries: Mapping[str, Entry], lang: str) -> dict[str, Any]:
    """The translated notebook: every cell replaced by its entry (same ids, types, tags); code cells
    without an entry are the English ones; the parameters cell's values per :func:`translated_value`.

    Outputs and execution counts are cleared (the build executes the result). Call :func:`problems`
    first; this does not check.
    """
    nb = copy.deepcopy(dict(english_nb))
    for cell in nb["cells"]:
        entry = entries.get(cell.get("id"))
        if entry is not None:
            cell["source"] = entry.text
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    nb.setdefault("metadata", {})["language"] = lang
    return nb


def stub(english_nb: Mapping[str, Any], entries: Mapping[str, Entry]) -> dict[str, Entry]:
    """``entries`` plus a ``todo`` entry (the English text) for every cell that needs a translation and
    has none, in the notebook's cell order (the translator's starting point)."""
    out: dict[str, Entry] = {}
    for cell in english_nb.get("cells", []):
        cid, src = cell.get("id"), cell_source(cell)
        if cid in entries:
            out[cid] = entries[cid]
        elif cell.get("cell_type") == "markdown" or is_parameters(cell):
            out[cid] = Entry(cid, source_hash(src), src, todo=True)
    for cid, e in entries.items():
        out.setdefault(cid, e)
    return out


def stamp(english_nb: Mapping[str, Any], entries: Mapping[str, Entry], cell_ids: list[str]) -> dict[str, Entry]:
    """``entries`` with the hashes of ``cell_ids`` set to the English source now and ``todo`` cleared:
    say "this translation is of the current English". ``KeyError`` for an id without an entry."""
    by_id = {c.get("id"): c for c in english_nb.get("cells", [])}
    out = dict(entries)
    for cid in cell_ids:
        if cid not in out or cid not in by_id:
            raise KeyError(f"cell {cid} has no entry or no English cell")
        out[cid] = Entry(cid, source_hash(cell_source(by_id[cid])), out[cid].text, todo=False)
    return out


def catalogue_path(notebooks: Path, stem: str, lang: str) -> Path:
    """Where a notebook's catalogue lives: ``notebooks/i18n/<lang>/<stem>.md``."""
    return notebooks / "i18n" / lang / f"{stem}.md"
