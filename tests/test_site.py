"""The lessons site (``make site``, kpi_helpers/site.py): built offline from the committed outputs.

The browser half (figures and formulas drawn with every request to another host blocked) is in
tests_browser/test_site.py.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from kpi_helpers import report, site

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: The Bokmål edition (notebooks/nb/), built beside the English one under nb/.
BOKMAL = sorted((ROOT / "notebooks" / "nb").glob("[0-9][0-9]_*.ipynb"))
#: (notebook, its page, its download) of both editions.
EDITIONS = ([(nb, f"{nb.stem}.html", f"notebooks/{nb.name}") for nb in NOTEBOOKS]
            + [(nb, f"nb/{nb.stem}.html", f"notebooks/nb/{nb.name}") for nb in BOKMAL])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("site") / "site"
    before = {p: p.read_bytes() for p in NOTEBOOKS}
    info = site.build_site(out)
    assert {p: p.read_bytes() for p in NOTEBOOKS} == before, "building the site changed a notebook"
    return out, info


def test_reading_minutes_count_prose_and_code():
    v4 = nbformat.v4
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("word " * 400), v4.new_code_cell("x = 1"),
                                v4.new_code_cell("y = 2"), v4.new_code_cell("")])
    assert site.reading_minutes(nb) == 3  # 400 words / 200 + 2 code cells x 0.5
    assert site.reading_minutes(v4.new_notebook()) == 1


@pytest.mark.slow
def test_site_has_a_page_per_notebook_built_in_under_a_minute(built):
    out, info = built
    assert info["seconds"] < 60
    assert len(BOKMAL) == len(NOTEBOOKS), "both editions"
    for nb, page, download in EDITIONS:
        assert (out / page).is_file()
        assert (out / download).read_bytes() == nb.read_bytes(), "downloads are the committed files"
    assert (out / "index.html").is_file() and (out / "search.html").is_file()


@pytest.mark.slow
def test_index_gives_roadmap_reading_times_article_and_downloads(built):
    out, _ = built
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    text = soup.get_text(" ")
    assert site.ARTICLE in text
    items = soup.select("ol.roadmap > li")
    assert len(items) == len(EDITIONS)
    for li, (nb, page, download) in zip(items, EDITIONS):
        links = [a["href"] for a in li.find_all("a")]
        assert page in links and download in links
        minutes = int(re.search(r"(?:about|omtrent) (\d+) min", li.get_text()).group(1))
        assert minutes == site.reading_minutes(nbformat.read(nb, as_version=4))
    bokmal = soup.find("section", lang="nb")
    assert bokmal is not None and "Veikart (bokmål)" in bokmal.get_text() and "last ned" in bokmal.get_text()
    assert soup.find("form", attrs={"action": "search.html"})


@pytest.mark.slow
def test_every_page_is_offline_with_mathml_and_embedded_figures(built):
    out, _ = built
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == len(EDITIONS) + 2
    for page in pages:
        doc = page.read_text(encoding="utf-8")
        assert report.external_resources(doc) == [], page.name
        assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", doc), page.name
        assert report.raw_latex(doc) == [], page.name
    for nb, page, _ in EDITIONS:
        doc = (out / page).read_text(encoding="utf-8")
        assert f'<html lang="{"nb" if page.startswith("nb/") else "en"}">' in doc, page
        source = nbformat.read(nb, as_version=4)
        if any("$" in c.source for c in source.cells if c.cell_type == "markdown"):
            assert "<math " in doc, nb.name
        pngs = sum("image/png" in o.get("data", {}) for c in source.cells for o in c.get("outputs", []))
        assert len(re.findall(r'<img[^>]+src="data:image/png;base64,', doc)) == pngs, nb.name


@pytest.mark.slow
def test_search_index_covers_every_lesson_and_its_links_resolve(built):
    out, _ = built
    soup = BeautifulSoup((out / "search.html").read_text(encoding="utf-8"), "html.parser")
    entries = json.loads(soup.find("script", id="search-index").string)
    assert {e["url"].split("#")[0] for e in entries} == {page for _, page, _ in EDITIONS}
    ids: dict[str, set[str]] = {}
    for e in entries:
        page, anchor = e["url"].split("#", 1)
        if page not in ids:
            doc = BeautifulSoup((out / page).read_text(encoding="utf-8"), "html.parser")
            ids[page] = {t["id"] for t in doc.find_all(id=True)}
        assert anchor in ids[page], e["url"]
    assert any("herfindahl" in e["text"].lower() for e in entries)
