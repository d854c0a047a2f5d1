"""The Bokmål edition: catalogues complete and current, notebooks/nb/ built from them, every message
of the code translated, and no English left in what the Bokmål notebooks show.

The catalogue format and its checks are :mod:`kpi_helpers.i18n.cells`; the build is
``tools/translate_notebooks.py`` (``make notebooks-nb``).
"""
from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

from kpi_helpers import i18n
from kpi_helpers.i18n import cells

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ENGLISH = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
LANG = "nb"


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _entries(stem: str) -> dict[str, cells.Entry]:
    path = cells.catalogue_path(NOTEBOOKS, stem, LANG)
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: python tools/translate_notebooks.py stub {stem}"
    return cells.parse(path.read_text(encoding="utf-8"), str(path))


# ------------------------------------------------------------------------------------------------
# the catalogues and the built edition
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_every_cell_has_a_current_translation(english):
    found = cells.problems(_load(english), _entries(english.stem), stem=english.stem, lang=LANG,
                           catalogue=f"notebooks/i18n/{LANG}/{english.stem}.md")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_the_bokmal_notebook_is_built_from_the_english_one_and_the_catalogue(english):
    """Same cells (ids, types, tags), the catalogue's text, the English code: rebuild with
    ``make notebooks-nb`` after changing either."""
    built = NOTEBOOKS / LANG / english.name
    assert built.is_file(), f"{built.relative_to(ROOT)} is missing: make notebooks-nb"
    expected = cells.translate(_load(english), _entries(english.stem), LANG)["cells"]
    actual = _load(built)["cells"]
    assert [c["id"] for c in actual] == [c["id"] for c in expected]
    for want, got in zip(expected, actual):
        where = f"{built.relative_to(ROOT)} cell {got['id']} ({cells.first_line(cells.cell_source(got))!r})"
        assert got["cell_type"] == want["cell_type"], where
        assert cells.cell_source(got) == cells.cell_source(want), f"{where} is out of date: make notebooks-nb"
        assert got.get("metadata", {}).get("tags") == want.get("metadata", {}).get("tags"), where
    assert _load(built)["metadata"].get("language") == LANG


def _markdown_english() -> dict:
    return {"cells": [
        {"id": "a", "cell_type": "markdown", "metadata": {}, "source": "# Title\n\nText."},
        {"id": "p", "cell_type": "code", "metadata": {"tags": ["parameters"]}, "outputs": [],
         "source": 'lang = "en"  # language\ndata_dir = "../data/x"  # folder\nn = 3  # count'},
        {"id": "c", "cell_type": "code", "metadata": {}, "outputs": [], "source": "x = n + 1  # add one\nx"},
    ]}


def _catalogue(**texts: str) -> dict[str, cells.Entry]:
    nb = _markdown_english()
    by_id = {c["id"]: c for c in nb["cells"]}
    return {cid: cells.Entry(cid, cells.source_hash(by_id[cid]["source"]), text) for cid, text in texts.items()}


GOOD_PARAMS = 'lang = "nb"  # språk\ndata_dir = "../../data/x"  # mappe\nn = 3  # antall'


def test_a_complete_catalogue_has_no_problem_and_translates():
    entries = _catalogue(a="# Tittel\n\nTekst.", p=GOOD_PARAMS, c="x = n + 1  # legg til én\nx")
    assert cells.problems(_markdown_english(), entries, stem="x", lang="nb") == []
    out = cells.translate(_markdown_english(), entries, "nb")
    assert [c["source"] for c in out["cells"]] == ["# Tittel\n\nTekst.", GOOD_PARAMS, "x = n + 1  # legg til én\nx"]
    assert out["metadata"]["language"] == "nb"


def test_an_english_cell_changed_without_its_translation_fails_naming_the_cell():
    entries = _catalogue(a="# Tittel\n\nTekst.", p=GOOD_PARAMS)
    changed = _markdown_english()
    changed["cells"][0]["source"] = "# Title\n\nText, rewritten."
    found = cells.problems(changed, entries, stem="01_x", lang="nb", catalogue="notebooks/i18n/nb/01_x.md")
    assert len(found) == 1
    assert "notebooks/01_x.ipynb cell a ('# Title')" in found[0] and "changed since its nb translation" in found[0]
    assert "stamp 01_x a" in found[0]
    # stamping says the translation is of the new English: no problem left
    assert cells.problems(changed, cells.stamp(changed, entries, ["a"]), stem="01_x", lang="nb") == []


def test_a_missing_or_untranslated_cell_fails_naming_the_cell():
    found = cells.problems(_markdown_english(), _catalogue(p=GOOD_PARAMS), stem="01_x", lang="nb")
    assert found == ["notebooks/01_x.ipynb cell a ('# Title') has no nb translation in the catalogue: add an "
                     "entry (python tools/translate_notebooks.py stub 01_x)"]
    stubbed = cells.stub(_markdown_english(), _catalogue(p=GOOD_PARAMS))
    assert list(stubbed) == ["a", "p"] and stubbed["a"].todo and stubbed["a"].text == "# Title\n\nText."
    assert "cell a ('# Title') is not translated yet" in cells.problems(
        _markdown_english(), stubbed, stem="01_x", lang="nb")[0]


@pytest.mark.parametrize("params, why", [
    ('lang = "nb"\ndata_dir = "../../data/x"\nn = 4', "parameter n is 4, expected 3"),
    ('lang = "en"\ndata_dir = "../../data/x"\nn = 3', "parameter lang is 'en', expected 'nb'"),
    ('lang = "nb"\ndata_dir = "../data/x"\nn = 3', "parameter data_dir is '../data/x', expected '../../data/x'"),
    ('lang = "nb"\nn = 3\ndata_dir = "../../data/x"', "its parameters are ['lang', 'n', 'data_dir']"),
])
def test_a_translated_parameters_cell_may_differ_only_in_comments_and_language(params, why):
    found = cells.problems(_markdown_english(), _catalogue(a="# Tittel", p=params), stem="01_x", lang="nb")
    assert len(found) == 1 and "the translated parameters cell differs" in found[0] and why in found[0]


def test_translated_code_may_differ_only_in_comments():
    found = cells.problems(_markdown_english(), _catalogue(a="# T", p=GOOD_PARAMS, c="x = n + 2  # to\nx"),
                           stem="01_x", lang="nb")
    assert len(found) == 1 and "cell c ('x = n + 1  # add one')" in found[0]
    assert "differs from the English code (only comments may be translated)" in found[0]


def test_an_entry_for_a_cell_that_is_gone_fails():
    entries = _catalogue(a="# T", p=GOOD_PARAMS)
    entries["old"] = cells.Entry("old", "0" * 12, "Gammel tekst.")
    found = cells.problems(_markdown_english(), entries, stem="01_x", lang="nb", catalogue="cat.md")
    assert found == ["cat.md has an entry for cell old, which notebooks/01_x.ipynb no longer has: remove it"]


def test_the_catalogue_file_round_trips_and_refuses_a_repeated_cell():
    entries = _catalogue(a="# Tittel\n\nTekst med <!-- en kommentar -->.", p=GOOD_PARAMS)
    assert cells.parse(cells.dump(entries, "01_x")) == entries
    text = cells.dump(entries, "01_x") + "\n<!-- cell a en:" + "0" * 12 + " -->\nIgjen.\n"
    with pytest.raises(ValueError, match="cell a has two entries"):
        cells.parse(text)


# ------------------------------------------------------------------------------------------------
# the messages of the code (tr/trn)
# ------------------------------------------------------------------------------------------------
def _calls(tree: ast.AST, where: str) -> list[tuple[str, object]]:
    """(where, msgid) of every tr()/trn() call; a non-literal message is reported as such."""
    found: list[tuple[str, object]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (getattr(node.func, "id", None) in ("tr", "trn")
                                           or getattr(node.func, "attr", None) in ("tr", "trn")):
            n = 1 if (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == "tr" else 2
            args = node.args[:n]
            if len(args) == n and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                values = [a.value for a in args]  # type: ignore[attr-defined]
                found.append((f"{where}:{node.lineno}", values[0] if n == 1 else tuple(values)))
            else:
                found.append((f"{where}:{node.lineno}", None))
    return found


def _all_calls() -> list[tuple[str, object]]:
    found = []
    for path in sorted((ROOT / "kpi_helpers").rglob("*.py")):
        found += _calls(ast.parse(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT)))
    for nb in ENGLISH:
        for cell in _load(nb)["cells"]:
            if cell["cell_type"] == "code":
                src = "\n".join(ln for ln in cells.cell_source(cell).splitlines() if not ln.lstrip().startswith(("%", "!")))
                found += _calls(ast.parse(src), f"{nb.relative_to(ROOT)} cell {cell['id']}")
    return found


def test_every_message_of_the_code_has_a_bokmal_translation():
    calls = _all_calls()
    assert len(calls) >= 20, "the scan finds the messages"
    # tr(variable) translates data-driven words (an item of a list of English texts): those are checked
    # where they show, by test_a_bokmal_notebook_shows_no_english
    known = i18n.messages(LANG)
    missing = sorted({f"{m!r} ({w})" for w, m in calls if m is not None and m not in known})
    assert not missing, f"{len(missing)} message(s) without a Bokmål translation in kpi_helpers/i18n/locale/nb/*.po:\n" \
                        + "\n".join(missing)


def test_no_message_is_both_singular_and_plural():
    """gettext tools (Babel, msgfmt) key a plural message by its singular: the two would collide."""
    known = i18n.messages(LANG)
    plurals = {m[0] for m in known if isinstance(m, tuple)}
    assert not plurals & {m for m in known if isinstance(m, str)}


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_translation_fills_in_the_same_values():
    for msgid, msgstr in i18n.messages(LANG).items():
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strs = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        want = set().union(*(_fields(t) for t in ids))
        for s in strs:
            assert _fields(s) <= want | {"n"}, f"{msgid!r} -> {s!r} uses values the code does not give"


# ------------------------------------------------------------------------------------------------
# what the Bokmål notebooks show
# ------------------------------------------------------------------------------------------------
#: English words that are not Bokmål words: one of these in a Bokmål notebook's output is a text
#: that was not translated.
ENGLISH_WORDS = ("the", "and", "with", "which", "revenue", "customer", "customers", "month", "months",
                 "growth", "share", "average", "guest", "guests", "client", "clients", "account",
                 "accounts", "target", "targets", "Other", "than", "from", "this", "that",
                 "these", "not", "none", "only", "Correct", "Hint", "Note", "track", "of", "is", "are")
_WORD = re.compile(r"\b(" + "|".join(ENGLISH_WORDS) + r")\b")


def _shown_texts(nb: dict) -> list[tuple[str, str]]:
    out = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            texts = ["".join(o["text"])] if "text" in o else []
            data = o.get("data", {})
            for mime in ("text/markdown", "text/html"):
                if mime in data:
                    texts.append("".join(data[mime]))
            if "text/plain" in data and not ({"text/markdown", "text/html", "image/png"} & set(data)):
                texts.append("".join(data["text/plain"]))
            out += [(cell["id"], t) for t in texts]
    return out


def _ids() -> set[str]:
    """What stays English because code and files use it: KPI ids, table and column names, ``all``."""
    from kpi_helpers import data, scorecard

    found = set(scorecard.KPI_CATALOGUE) | {"all"}
    for tables in data.TABLES.values():
        for name, spec in tables.items():
            found |= {name, *spec.required_columns, *spec.optional_columns}
    return found


IDS = _ids()


def _visible(text: str) -> str:
    """Text without HTML tags, code spans and identifiers (`kpi_id`, snake_case names, file names, and a
    table cell or header that is exactly an id of :data:`IDS`: a KPI id, a table's column name)."""
    text = re.sub(r"(<t[dh][^>]*>)\s*([^<]*?)\s*(</t[dh]>)",
                  lambda m: m.group(1) + ("" if m.group(2) in IDS else m.group(2)) + m.group(3), text)
    text = re.sub(r"<style.*?</style>|<[^>]+>", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    return re.sub(r"\b\w+_\w+\b|\b[\w./-]+\.(csv|ipynb|py|xlsx|html)\b", " ", text)


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_a_bokmal_notebook_shows_no_english(english):
    built = NOTEBOOKS / LANG / english.name
    assert built.is_file(), f"{built.relative_to(ROOT)} is missing: make notebooks-nb"
    left = []
    for cid, text in _shown_texts(_load(built)):
        for m in _WORD.finditer(_visible(text)):
            snippet = _visible(text)[max(0, m.start() - 40): m.end() + 40].replace("\n", " ")
            left.append(f"cell {cid}: {m.group(0)!r} in ...{snippet}...")
    assert not left, f"{built.relative_to(ROOT)} shows English:\n" + "\n".join(left[:40])


# ------------------------------------------------------------------------------------------------
# kpi-cases run CASE --lang nb
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bokmal_run(tmp_path_factory):
    """``kpi-cases run all --lang nb``: every case's Bokmål notebook into a report."""
    import contextlib
    import io

    from kpi_helpers.cli import main

    out = tmp_path_factory.mktemp("bokmal_run")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["run", "all", "--lang", "nb", "--out", str(out)])
    return out, code, stderr.getvalue()


CASES = ["consultancy", "marketing_agency", "restaurant", "startup", "your_data"]


@pytest.mark.notebook
@pytest.mark.parametrize("case", CASES)
def test_a_bokmal_report_is_norwegian_and_its_kpi_table_is_the_english_one(bokmal_run, default_run, case):
    out, code, err = bokmal_run
    assert code == 0, err
    assert i18n.get_language() == "en", "a run in Bokmål leaves the language of the process as it was"
    # the KPI table is for machines: byte for byte the English run's
    assert (out / f"{case}_kpis.csv").read_bytes() == (default_run.out / f"{case}_kpis.csv").read_bytes()
    page = (out / f"{case}.html").read_text(encoding="utf-8")
    assert '<html lang="nb">' in page
    from bs4 import BeautifulSoup

    summary = BeautifulSoup(page, "html.parser").find("section", class_="kpi-summary").get_text(" ")
    assert "Sammendrag" in summary and "Nøkkelkunder" in summary and "KPI-er mot mål" in summary
    assert not re.search(r"\b(Summary|Key accounts|against targets|Period|on track|months)\b", summary), summary
    nb = json.loads((out / f"{case}.ipynb").read_text(encoding="utf-8"))
    injected = [cells.cell_source(c) for c in nb["cells"]
                if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
    assert injected and 'lang = "nb"' in injected[0], "the run passes lang to the notebook"


def test_list_shows_the_languages(capsys):
    from kpi_helpers.cli import main

    assert main(["list", "startup"]) == 0
    assert "languages:  en (English), nb (Bokmål)  (run --lang)" in capsys.readouterr().out
