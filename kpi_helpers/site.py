"""The lessons site (``make site``): every notebook as a page, from its committed outputs, offline.

``python -m kpi_helpers.site [--out build/site]`` writes

* ``index.html``: the roadmap (the lessons in order, what each one covers, its reading time, a
  download link for the ``.ipynb``), the article the lessons build on, and a search box;
* one page per notebook (code, Markdown and the committed outputs; nothing is re-executed), with
  formulas as MathML and figures embedded (:func:`kpi_helpers.report.render_notebook`);
* ``search.html``: search over every section of every lesson, with the index inline;
* ``notebooks/``: the ``.ipynb`` files to download, byte for byte the committed ones.

The English edition is ``notebooks/NN_*.ipynb``; a Bokmål edition in ``notebooks/nb/`` is built
beside it when present. No page loads anything from another host and the builder fetches nothing.
"""
from __future__ import annotations

import argparse
import html
import json
import math
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import i18n, report
from .i18n import tr

__all__ = ["ARTICLE", "WORDS_PER_MINUTE", "Lesson", "reading_minutes", "find_lessons", "build_site", "main"]

#: The article the lessons build on.
ARTICLE = "Nøkkelkunde vs. nøkkelprestasjon indikator (KPI): Hva er forskjellen?"
#: Reading speed for prose; each code cell adds :data:`MINUTES_PER_CODE_CELL` (reading code and output).
WORDS_PER_MINUTE = 200
MINUTES_PER_CODE_CELL = 0.5

_EDITIONS = {"en": ("English", ""), "nb": ("Bokmål", "nb")}

SITE_CSS = """
body.site { max-width: 58rem; margin: 0 auto; padding: 1.5rem 1rem 3rem 1rem;
  font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; line-height: 1.5; color: #1a1a1a; }
.site-nav { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center; padding: .6rem 1rem;
  border-bottom: 1px solid #ddd; font-family: system-ui, "DejaVu Sans", sans-serif; font-size: .95rem; }
.site-nav a { color: #0b57d0; text-decoration: none; }
.site-nav form { margin-left: auto; }
.roadmap { list-style: none; padding: 0; counter-reset: step; }
.roadmap li { border: 1px solid #ddd; border-radius: 6px; padding: .8rem 1rem; margin: .7rem 0; }
.roadmap h3 { margin: 0 0 .3rem 0; font-size: 1.1rem; }
.roadmap .meta { color: #555; font-size: .9rem; }
.search-results li { margin: .6rem 0; }
.search-results .where { color: #555; font-size: .9rem; }
input[type=search] { font: inherit; padding: .25rem .5rem; }
"""

_SEARCH_JS = """
(function () {
  var index = JSON.parse(document.getElementById('search-index').textContent);
  var box = document.getElementById('q'), out = document.getElementById('results'),
      count = document.getElementById('count');
  function esc(s) { return s.replace(/[&<>"]/g, function (c) {
    return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]; }); }
  function run() {
    var q = box.value.trim().toLowerCase(), terms = q.split(/\\s+/).filter(Boolean), hits = [];
    out.innerHTML = '';
    if (!terms.length) { count.textContent = ''; return; }
    index.forEach(function (e) {
      var hay = (e.heading + ' ' + e.text).toLowerCase(), score = 0;
      for (var i = 0; i < terms.length; i++) {
        if (hay.indexOf(terms[i]) < 0) { return; }
        score += (e.heading.toLowerCase().indexOf(terms[i]) >= 0 ? 5 : 1);
      }
      hits.push([score, e]);
    });
    hits.sort(function (a, b) { return b[0] - a[0]; });
    count.textContent = hits.length + (hits.length === 1 ? ' section' : ' sections');
    hits.slice(0, 50).forEach(function (h) {
      var e = h[1], at = e.text.toLowerCase().indexOf(terms[0]), start = Math.max(0, at - 80);
      var li = document.createElement('li');
      li.innerHTML = '<a href="' + esc(e.url) + '">' + esc(e.heading) + '</a> <span class="where">' +
        esc(e.lesson) + '</span><br>' + esc((start ? '... ' : '') + e.text.substr(start, 220)) + ' ...';
      out.appendChild(li);
    });
  }
  var params = new URLSearchParams(window.location.search);
  if (params.get('q')) { box.value = params.get('q'); }
  box.addEventListener('input', run);
  run();
})();
"""


@dataclass
class Lesson:
    """One notebook of the site."""

    source: Path
    edition: str
    title: str
    blurb: str
    minutes: int

    @property
    def page(self) -> str:
        """The page's path inside the site (``01_startup.html``, ``nb/01_startup.html``)."""
        prefix = _EDITIONS[self.edition][1]
        return f"{prefix}/{self.source.stem}.html" if prefix else f"{self.source.stem}.html"

    @property
    def download(self) -> str:
        """The downloadable notebook's path inside the site."""
        prefix = _EDITIONS[self.edition][1]
        return f"notebooks/{prefix}/{self.source.name}" if prefix else f"notebooks/{self.source.name}"


def _plain(markdown: str) -> str:
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", " ", markdown, flags=re.S)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`#>|]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def reading_minutes(nb: Any) -> int:
    """Minutes to work through a notebook: its prose at :data:`WORDS_PER_MINUTE`, plus
    :data:`MINUTES_PER_CODE_CELL` per code cell; rounded up, at least 1."""
    words = sum(len(_plain(str(c.source)).split()) for c in nb.cells if c.cell_type == "markdown")
    code = sum(1 for c in nb.cells if c.cell_type == "code" and str(c.source).strip())
    return max(1, math.ceil(words / WORDS_PER_MINUTE + code * MINUTES_PER_CODE_CELL))


def _title_and_blurb(nb: Any, fallback: str) -> tuple[str, str]:
    title, blurb = fallback, ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = str(cell.source).strip().splitlines()
        if lines and lines[0].startswith("# "):
            title = _plain(lines[0][2:])
            paragraphs = [p for p in "\n".join(lines[1:]).split("\n\n") if p.strip()]
            if paragraphs:
                blurb = _plain(paragraphs[0])
            break
    if len(blurb) > 320:
        blurb = blurb[:320].rsplit(" ", 1)[0] + " ..."
    return title, blurb


def find_lessons(notebooks: Path) -> list[Lesson]:
    """The notebooks of every edition present, in roadmap order (by their number)."""
    import nbformat

    lessons: list[Lesson] = []
    for edition, (_, sub) in _EDITIONS.items():
        folder = notebooks / sub if sub else notebooks
        for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            title, blurb = _title_and_blurb(nb, path.stem)
            lessons.append(Lesson(path, edition, title, blurb, reading_minutes(nb)))
    return lessons


def _nav(lesson: Lesson | None, lessons: list[Lesson], depth: int) -> str:
    """The navigation bar, in the lesson's language (English on the index and search pages)."""
    with i18n.using(lesson.edition if lesson is not None else "en"):
        return _nav_words(lesson, lessons, depth)


def _nav_words(lesson: Lesson | None, lessons: list[Lesson], depth: int) -> str:
    up = "../" * depth
    e = html.escape
    links = [f'<a href="{up}index.html">{e(tr("Lessons"))}</a>']
    if lesson is not None:
        same = [x for x in lessons if x.edition == lesson.edition]
        i = same.index(lesson)
        if i > 0:
            links.append(f'<a href="{up}{e(same[i - 1].page)}" rel="prev">&larr; {e(same[i - 1].title)}</a>')
        if i + 1 < len(same):
            links.append(f'<a href="{up}{e(same[i + 1].page)}" rel="next">{e(same[i + 1].title)} &rarr;</a>')
        links.append(f'<a href="{up}{e(lesson.download)}" download>'
                     f'{e(tr("Download {name}", name=lesson.source.name))}</a>')
        links.append(f'<span class="meta">{e(tr("{minutes} min", minutes=lesson.minutes))}</span>')
    search = e(tr("Search the lessons"))
    links.append(f'<form action="{up}search.html" method="get" role="search"><input type="search" name="q" '
                 f'placeholder="{search}" aria-label="{search}"></form>')
    return '<nav class="site-nav">' + " ".join(links) + "</nav>"


def _sections(page: str, lesson: Lesson) -> list[dict[str, str]]:
    """Search entries: one per h1-h3 of a rendered page, with the text up to the next heading."""
    heads = list(re.finditer(r'<h([1-3])[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', page, re.S))
    out = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(page)
        heading = re.sub(r"<[^>]+>", "", m.group(3)).replace("¶", "").strip()
        text = re.sub(r"\s+", " ", report.visible_text(page[m.end():end])).strip()
        out.append({"lesson": lesson.title, "heading": html.unescape(heading),
                    "url": f"{lesson.page}#{html.unescape(m.group(2))}", "text": text[:4000]})
    return out


def _shell(title: str, body: str, depth: int = 0, script: str = "") -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{SITE_CSS}</style></head>"
            f'<body class="site">{body}{script}</body></html>\n')


def _index(lessons: list[Lesson]) -> str:
    e = html.escape
    parts = [_nav(None, lessons, 0).replace('class="site-nav"', 'class="site-nav" style="padding-left:0"'),
             "<h1>Key accounts vs KPIs: the lessons</h1>",
             "<p>A <strong>key account</strong> (<em>nøkkelkunde</em>) is one specific customer that matters "
             "disproportionately; a <strong>KPI</strong> (<em>nøkkelprestasjonsindikator</em>) is a measurable "
             "value that shows how well the whole business meets a goal. These lessons teach the difference, "
             "and where the two meet, with four cases and your own data. They build on the article "
             f"<cite>{e(ARTICLE)}</cite>.</p>"]
    for edition, (label, sub) in _EDITIONS.items():
        mine = [x for x in lessons if x.edition == edition]
        if not mine:
            continue
        total = sum(x.minutes for x in mine)
        with i18n.using(edition):
            parts.append(f'<section lang="{edition}">')
            if edition != "en":
                parts.append("<p>" + e(tr(
                    "A key account is one specific customer that matters disproportionately; a KPI is a "
                    "measurable value that shows how well the whole business meets a goal. The same lessons, "
                    "with the same code, in {language}.", language=label)) + "</p>")
            parts.append("<h2>" + e(tr("Roadmap ({language}): {n} lessons, about {minutes} minutes",
                                       language=label, n=len(mine), minutes=total)) + "</h2>")
            parts.append('<ol class="roadmap">')
            for n, x in enumerate(mine, 1):
                parts.append(f'<li><h3>{n}. <a href="{e(x.page)}">{e(x.title)}</a></h3>'
                             f'<div class="meta">{e(tr("about {minutes} min", minutes=x.minutes))} &middot; '
                             f'<a href="{e(x.download)}" download>{e(tr("download {name}", name=x.source.name))}'
                             f"</a></div><p>{e(x.blurb)}</p></li>")
            parts.append("</ol>")
            folder = f"notebooks/{sub}/" if sub else "notebooks/"
            data = "../../data/" if sub else "../data/"
            parts.append('<p class="meta">' + tr(
                "Reading times: prose at 200 words a minute plus half a minute per code cell. The pages show "
                "the committed outputs; to run a lesson, download it into the project's {folder} folder (the "
                "cases read {data}) and open it in JupyterLab.",
                folder=f"<code>{e(folder)}</code>", data=f"<code>{e(data)}</code>") + "</p>")
            parts.append("</section>")
    return _shell("Key accounts vs KPIs: the lessons", "\n".join(parts))


def _search(entries: list[dict[str, str]], lessons: list[Lesson]) -> str:
    data = json.dumps(entries, ensure_ascii=False).replace("</", "<\\/")
    body = (_nav(None, lessons, 0) + "<h1>Search the lessons</h1>"
            '<p><input id="q" type="search" size="40" placeholder="e.g. HHI, churn, CSAT" autofocus> '
            '<span id="count" class="meta"></span></p><ol id="results" class="search-results"></ol>'
            f'<script id="search-index" type="application/json">{data}</script>')
    return _shell("Search the lessons", body, script=f"<script>{_SEARCH_JS}</script>")


def build_site(out: Path, notebooks: Path | None = None) -> dict[str, Any]:
    """Build the site into ``out`` (emptied first) from the committed notebooks; return what was built:
    ``pages`` (site paths), ``seconds`` and ``bytes``. Raises ``RuntimeError`` when a page would load
    anything from another host."""
    import nbformat

    from .cli import project_root

    t0 = time.perf_counter()
    notebooks = Path(notebooks) if notebooks else project_root() / "notebooks"
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    lessons = find_lessons(notebooks)
    if not lessons:
        raise FileNotFoundError(f"no notebooks (NN_*.ipynb) in {notebooks}")
    entries: list[dict[str, str]] = []
    pages = ["index.html", "search.html"]
    for lesson in lessons:
        nb = nbformat.read(lesson.source, as_version=4)
        depth = lesson.page.count("/")
        page = report.render_notebook(nb, lesson.title, show_code=True, lang=lesson.edition,
                                      header=_nav(lesson, lessons, depth), footer=_nav(lesson, lessons, depth),
                                      extra_css=SITE_CSS.replace("body.site", "body.site-unused"))
        target = out / lesson.page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        download = out / lesson.download
        download.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(lesson.source, download)
        entries += _sections(page, lesson)
        pages.append(lesson.page)
    (out / "index.html").write_text(_index(lessons), encoding="utf-8")
    (out / "search.html").write_text(_search(entries, lessons), encoding="utf-8")
    for name in ("index.html", "search.html"):
        remote = report.external_resources((out / name).read_text(encoding="utf-8"))
        if remote:
            raise RuntimeError(f"{name} would load from another host: {remote[:3]}")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"pages": pages, "seconds": time.perf_counter() - t0, "bytes": size, "sections": len(entries)}


def main(argv: list[str] | None = None) -> int:
    """``python -m kpi_helpers.site [--out DIR] [--notebooks DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m kpi_helpers.site", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="build/site", help="output folder, emptied first (default: build/site)")
    parser.add_argument("--notebooks", default=None, help="notebooks folder (default: the project's notebooks/)")
    args = parser.parse_args(argv)
    built = build_site(Path(args.out), Path(args.notebooks) if args.notebooks else None)
    print(f"site: {len(built['pages'])} pages, {built['sections']} searchable sections, "
          f"{built['bytes'] / 1024 ** 2:.1f} MB in {args.out}/ ({built['seconds']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
