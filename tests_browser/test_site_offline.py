"""The lessons site in headless Chromium with every request to another host blocked: figures load,
formulas are drawn as MathML, search finds a section (``make test-browser``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from kpi_helpers import site

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    site.build_site(out)
    return out


def _offline_page(chromium, blocked: list[str]):
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()

    def route(r) -> None:
        if r.request.url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return context, page


@pytest.mark.parametrize("lesson", ["00_concepts", "01_startup"])
def test_lesson_page_renders_figures_and_formulas_offline(chromium, site_dir, lesson):
    blocked: list[str] = []
    context, page = _offline_page(chromium, blocked)
    try:
        page.goto((site_dir / f"{lesson}.html").as_uri(), wait_until="load")
        images = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.complete, e.naturalWidth, e.getBoundingClientRect().height])")
        assert images and all(done and width > 0 and height > 0 for done, width, height in images), images
        maths = page.eval_on_selector_all(
            "math", "els => els.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])")
        assert maths and all(w > 0 and h > 0 for w, h in maths), maths
        # MathML is laid out, not shown as its source: a fraction is taller than one line of text
        tallest = max(h for _, h in maths)
        line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('p')).lineHeight) || 20")
        assert tallest > line, (tallest, line)
        prose = page.eval_on_selector_all(".jp-MarkdownOutput", "els => els.map(e => e.innerText)")
        assert prose and not [t for t in prose if "$$" in t or "\\frac" in t]
    finally:
        context.close()
    assert blocked == [], f"requests to other hosts: {blocked}"


def test_search_finds_sections_offline(chromium, site_dir):
    blocked: list[str] = []
    context, page = _offline_page(chromium, blocked)
    try:
        page.goto((site_dir / "search.html").as_uri() + "?q=herfindahl", wait_until="load")
        page.wait_for_selector("#results li")
        first = page.locator("#results li a").first
        href = first.get_attribute("href")
        assert href and href.split("#")[0].endswith(".html")
        first.click()
        page.wait_for_load_state("load")
        assert page.url.split("#")[0].endswith(href.split("#")[0])
    finally:
        context.close()
    assert blocked == []
