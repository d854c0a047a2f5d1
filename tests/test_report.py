"""Client reports: self-contained (nothing from another host), formulas as MathML, no absolute paths,
no notebook mechanics, a summary first (kpi_helpers/report.py, ``kpi-cases run``).

The end-to-end tests run ``kpi-cases run all`` once per session (about a minute on two cores) into a
temporary folder and check every report of every case.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from kpi_helpers import cases, i18n, report

ROOT = Path(__file__).resolve().parents[1]
v4 = nbformat.v4


# ------------------------------------------------------------------------------------------------
# an independent check of what a page loads (BeautifulSoup, not the module's own parser)
# ------------------------------------------------------------------------------------------------
REMOTE = re.compile(r"^\s*(https?:|//|ftp:|wss?:)", re.I)


def remote_loads(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    found = []
    for tag in soup.find_all(True):
        for attr in ("src", "srcset", "poster", "data", "background"):
            value = tag.get(attr)
            if value and any(REMOTE.match(part.strip()) for part in str(value).split(",")):
                found.append(f"{tag.name}[{attr}]={value}")
        if tag.name == "link" and REMOTE.match(str(tag.get("href", ""))):
            found.append(f"link[href]={tag['href']}")
        css = tag.get("style", "") + (tag.string or "" if tag.name == "style" else "")
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
        found += [f"css {u}" for u in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^'\")]+)", css)]
        found += [f"css @import {u}" for u in re.findall(r"@import\s+(?:url\()?['\"]?((?:https?:)?//[^'\")]+)", css)]
        if tag.name == "script":
            found += [f"script import {u}" for u in re.findall(r"""(?:from|import)\s*\(?\s*['"]((?:https?:)?//[^'"]+)""",
                                                             tag.string or "")]
    return found


# ------------------------------------------------------------------------------------------------
# unit tests
# ------------------------------------------------------------------------------------------------
def test_resource_checks_find_every_kind_of_remote_load():
    page = """<html><head>
      <script src="https://cdn.example/x.js"></script>
      <link rel="stylesheet" href="//fonts.example/css">
      <style>/* https://in.a.comment/ is fine */ @import "https://x.example/a.css";
             body { background: url(https://img.example/bg.png) }</style>
      <script type="module">import mermaid from "https://cdn.example/mermaid.mjs";</script>
      </head><body><img src="http://img.example/a.png"><a href="https://plain.link/">a link</a>
      <img src="data:image/png;base64,AAAA"></body></html>"""
    ours, theirs = report.external_resources(page), remote_loads(page)
    assert len(ours) == 6, ours
    assert len(theirs) == 6, theirs
    assert not any("plain.link" in f or "comment" in f for f in ours + theirs)


def test_formulas_become_mathml_outside_code_only():
    spans = report.MathSpans(token="TOKX", mathml={})
    md = ("Share $$s_i = \\frac{R_i}{\\sum_j R_j}$$ and $N$ customers, but `$not math$` and "
          "prices $5 and $6 stay text.\n```\n$$code$$\n```")
    out = report.math_to_placeholders(md, spans)
    assert len(spans.mathml) == 2
    assert "`$not math$`" in out and "$5 and $6" in out and "$$code$$" in out
    html = spans.restore(out)
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in html
    assert "<mfrac>" in html and 'display="inline"><mrow><mi>N</mi>' in html


def test_raw_latex_is_found_in_prose_but_not_in_code_or_mathml():
    assert report.raw_latex("<p>HHI: $$\\sum_i s_i^2$$</p>")
    assert report.raw_latex("<p>the share $s_i$ of revenue</p>")
    assert not report.raw_latex("<p>NOK 5 and $6</p><pre>$$x$$</pre><code>\\frac{a}{b}</code>"
                                "<math><mi>x</mi></math>")


def test_mechanics_sections_and_sentences_are_left_out():
    cells = [
        v4.new_markdown_cell("# Title\n\nIntro. Run the cells from top to bottom.\n\n**Learning goals**\n\n- a\n- b"),
        v4.new_markdown_cell("## Parameters\n\nChange these to run the notebook."),
        v4.new_code_cell("data_dir = '../data'", metadata={"tags": ["parameters"]}),
        v4.new_code_cell("data_dir = '/abs'", metadata={"tags": ["injected-parameters"]}),
        v4.new_markdown_cell("## How to use this notebook with your own file\n\nSteps."),
        v4.new_markdown_cell("## 1. Revenue\n\nShares matter. With `interactive=True` a slider moves it. "
                             "The chart shows it."),
    ]
    kept = report.without_mechanics(cells)
    text = "\n".join(str(c.source) for c in kept)
    assert [c.cell_type for c in kept] == ["markdown", "markdown"]
    assert "Parameters" not in text and "How to use" not in text and "Steps." not in text
    assert "Run the cells" not in text and "slider" not in text and "Learning goals" not in text
    assert "Intro." in text and "Shares matter." in text and "The chart shows it." in text


def test_paths_are_shown_by_folder_name(tmp_path):
    data = tmp_path / "clients" / "acme_2025"
    cells = [v4.new_code_cell("", outputs=[
        v4.new_output("display_data", data={"text/markdown": f"**Data** `{data}`: 3 files",
                                            "text/plain": f"{data}"}),
        v4.new_output("stream", name="stdout", text=f"read {data}/sales.csv\n")])]
    fixed = report.redact_paths(cells, report.folder_names([data]))
    outputs = fixed[0].outputs
    assert outputs[0].data["text/markdown"] == "**Data** `acme_2025`: 3 files"
    assert outputs[1].text == "read acme_2025/sales.csv\n"
    assert str(tmp_path) not in str(fixed)


def _kpis(rows: list[tuple]) -> pd.DataFrame:
    cols = ["kpi", "scope", "period", "value", "unit", "target", "status"]
    return pd.DataFrame(rows, columns=cols)


def test_summary_lists_accounts_and_kpis_with_any_status():
    table = _kpis([
        ("revenue", "all", "all", 1000.0, "currency", None, "no_target"),
        ("csat", "all", "all", 0.9, "ratio", 0.85, "on_track"),
        ("avg_rating", "all", "all", float("nan"), "score", 4.2, "not_measurable"),
        ("roas", "all", "all", 2.0, "ratio", 3.0, "insufficient_data"),
        ("csat", "all", "2025-01", 0.5, "ratio", 0.85, "off_track"),
        ("revenue_share", "account:Big & Co", "all", 0.4, "ratio", None, "no_target"),
        ("revenue_share", "account:Small", "all", 0.05, "ratio", None, "no_target"),
    ])
    html = report.summary_html(table, currency="EUR", major_threshold=0.1)
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert "Big &amp; Co" in html and "Small" in text
    assert "a major customer: at least 10% of revenue" in text and "chosen by its score" in text
    assert "1 of 3 KPIs with a target are on track" in text
    for label in ("on track", "not measurable", "insufficient data"):
        assert label in text
    assert "Period: 2025-01 to 2025-01" in text
    assert "1 more KPI without a target is" in text


def test_summary_starts_with_the_data_checks():
    table = _kpis([("revenue", "all", "all", 1000.0, "currency", None, "no_target"),
                   ("revenue_share", "account:Big", "all", 0.4, "ratio", None, "no_target")])
    warning = "shop/sales.csv: 2 rows repeat an earlier row (rows 5, 9); counted as given; <b>"
    soup = BeautifulSoup(report.summary_html(table, data_checks=[warning]), "html.parser")
    headings = [h.get_text() for h in soup.find_all("h3")]
    assert headings[0] == "Data checks" and headings.index("Data checks") < headings.index("Key accounts")
    assert soup.find("li").get_text() == warning  # escaped, verbatim
    clean = BeautifulSoup(report.summary_html(table, data_checks=[]), "html.parser").get_text(" ")
    assert "No problems found in reading the data." in clean
    assert "Data checks" not in report.summary_html(table)  # not said when not given


def test_report_of_a_small_notebook_is_self_contained_with_summary_after_title():
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("# Report title\n\nIntro text."),
        v4.new_markdown_cell("## Growth\n\n$$g_t = \\frac{R_t - R_{t-1}}{R_{t-1}}$$ for month $t$."),
    ])
    summary = report.summary_html(_kpis([("csat", "all", "all", 0.9, "ratio", 0.85, "on_track")]))
    page = report.notebook_to_html(nb, "Report title", summary=summary)
    assert report.external_resources(page) == [] and remote_loads(page) == []
    assert report.raw_latex(page) == []
    assert page.count("<math") == 2
    soup = BeautifulSoup(page, "html.parser")
    headings = [h.get_text(strip=True).rstrip("¶") for h in soup.find_all(["h1", "h2"])]
    assert headings[:3] == ["Report title", "Summary", "Growth"]
    assert "@page" in page and "A4" in page and "break-inside: avoid" in page


# ------------------------------------------------------------------------------------------------
# every report of every case, from `kpi-cases run all`
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports") / "client_reports"
    exe = Path(sys.executable).with_name("kpi-cases")
    done = subprocess.run([str(exe), "run", "all", "--out", str(out)], capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


CASE_NAMES = list(cases.CASES)


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("case", CASE_NAMES)
def test_every_report_is_self_contained(reports: Path, case: str):
    page = (reports / f"{case}.html").read_text(encoding="utf-8")
    assert remote_loads(page) == [], f"{case}.html loads from another host"
    assert report.external_resources(page) == []
    assert "cdnjs" not in page and "unpkg" not in page and "mathjax" not in page.lower()
    leftover = report.raw_latex(page)
    assert leftover == [], f"{case}.html shows raw LaTeX: {leftover[:5]}"
    notebook = ROOT / "notebooks" / cases.CASES[case].notebook
    if "$" in "".join(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "markdown"):
        assert "<math " in page, f"{case}.html: formulas were not typeset as MathML"
    assert "data:image/png;base64," in page, "figures are embedded"


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("case", CASE_NAMES)
def test_every_report_hides_absolute_paths_and_mechanics_and_starts_with_a_summary(reports: Path, case: str):
    page = (reports / f"{case}.html").read_text(encoding="utf-8")
    for path in {str(reports), str(reports.resolve()), str(ROOT), str(ROOT / "data" / case)}:
        assert path not in page, f"{case}.html shows {path}"
    assert f"<code>{case}</code>" in page or f"<code>{case}/" in page or case in page
    soup = BeautifulSoup(page, "html.parser")
    text = soup.get_text(" ")
    for phrase in ("Change these to run", "parameters cell", "run the cell", "Learning goals", "kpi-cases run"):
        assert phrase.lower() not in text.lower(), f"{case}.html: notebook mechanics {phrase!r}"
    assert not [h for h in soup.find_all(["h2", "h3"]) if h.get_text(strip=True).startswith("Parameters")]
    h2 = [h.get_text(strip=True).rstrip("¶") for h in soup.find_all("h2")]
    assert h2[0] == "Summary", h2[:3]
    summary = soup.find("section", class_="kpi-summary")
    kpis = pd.read_csv(reports / f"{case}_kpis.csv", dtype={"scope": str})
    accounts = [s.split(":", 1)[1] for s in dict.fromkeys(kpis["scope"]) if s.startswith("account:")]
    assert accounts, f"{case}: the KPI table names no key account"
    assert all(a in summary.get_text() for a in accounts[:5])
    targets = kpis[(kpis["scope"] == "all") & (kpis["period"] == "all") & kpis["target"].notna()]
    assert len(summary.find_all("tr")) == len(targets) + 1


# ------------------------------------------------------------------------------------------------
# --pdf
# ------------------------------------------------------------------------------------------------
def test_pdf_without_chromium_is_one_clear_line_and_exit_2(tmp_path, monkeypatch, capsys):
    from kpi_helpers import cli

    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-chromium-here"))
    code = cli.main(["run", "startup", "--out", str(tmp_path / "rep"), "--pdf"])
    err = capsys.readouterr().err
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "--pdf needs Chromium" in lines[0] and "apt-get install chromium" in lines[0]
    assert not (tmp_path / "rep" / "startup.html").exists(), "nothing runs before the check"


def test_pdf_pages_counts_text_and_images_per_page():
    import zlib

    def obj(n: int, body: bytes) -> bytes:
        return b"%d 0 obj\n" % n + body + b"\nendobj\n"

    full, empty = zlib.compress(b"BT /F1 12 Tf (Hi) Tj ET /Im1 Do"), zlib.compress(b"q Q")
    pdf = (b"%PDF-1.4\n" + obj(1, b"<< /Type /Pages /Kids [2 0 R 3 0 R] >>")
           + obj(2, b"<< /Type /Page /Contents 4 0 R >>") + obj(3, b"<< /Type /Page /Contents 5 0 R >>")
           + obj(4, b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(full) + full + b"\nendstream")
           + obj(5, b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(empty) + empty + b"\nendstream"))
    assert report.pdf_pages(pdf) == [{"text": 1, "images": 1}, {"text": 0, "images": 0}]


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.skipif(report.find_chromium() is None,
                    reason="Chromium is not installed (/usr/bin/chromium; `make test-browser` installs it)")
def test_run_pdf_writes_an_a4_pdf_whose_every_page_has_content(tmp_path):
    exe = Path(sys.executable).with_name("kpi-cases")
    done = subprocess.run([str(exe), "run", "restaurant", "--out", str(tmp_path), "--pdf"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    pdf = (tmp_path / "restaurant.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert "restaurant: wrote" in done.stdout and "restaurant.pdf" in done.stdout
    pages = report.pdf_pages(pdf)
    assert 5 <= len(pages) <= 60, len(pages)
    blank = [i + 1 for i, p in enumerate(pages) if p["text"] == 0 and p["images"] == 0]
    assert not blank, f"blank pages: {blank} of {len(pages)}"
    assert sum(p["images"] for p in pages) >= 3, "the figures are in the PDF"
    sizes = {tuple(round(float(x)) for x in m.groups())
             for m in re.finditer(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)}
    assert sizes == {(595, 842)}, f"A4 is 595 x 842 pt, not {sizes}"
    # the PDF has the permissions of the files beside it (not mkstemp's 0600)
    html_mode = (tmp_path / "restaurant.html").stat().st_mode & 0o777
    assert (tmp_path / "restaurant.pdf").stat().st_mode & 0o777 == html_mode


def _report_messages() -> list[str]:
    """Every English message of the report template: the tr()/trn() msgids of report.py."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(report))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("tr", "trn"):
            found += [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return found


def test_a_bokmal_summary_has_no_english_word_of_the_template():
    table = _kpis([
        ("revenue", "all", "all", 1000.0, "currency", None, "no_target"),
        ("csat", "all", "all", 0.9, "ratio", 0.85, "on_track"),
        ("roas", "all", "all", 2.0, "ratio", 3.0, "off_track"),
        ("csat", "all", "2025-01", 0.5, "ratio", 0.85, "off_track"),
        ("csat", "all", "2025-02", 0.5, "ratio", 0.85, "off_track"),
        ("revenue_share", "account:Big & Co", "all", 0.4, "ratio", None, "no_target"),
        ("revenue_share", "account:Small", "all", 0.05, "ratio", None, "no_target"),
    ])
    text = BeautifulSoup(report.summary_html(table, major_threshold=0.1, data_checks=[], lang="nb"),
                         "html.parser").get_text(" ")
    messages = _report_messages()
    assert len(messages) >= 15, "the scan finds the template's messages"
    # the words of the English template: none may stay (KPI and status are the same word in Bokmål)
    english = {w for m in messages for w in re.findall(r"[A-Za-z]{3,}", re.sub(r"\{\w+\}", " ", m))}
    # words the Bokmål translations use too are Bokmål ("for", "over", "best", "score", "restaurant")
    nb_words = {w for t in i18n.messages("nb").values()
                for w in re.findall(r"[A-Za-zæøåÆØÅ]{3,}", " ".join(t) if isinstance(t, tuple) else t)}
    english -= nb_words
    left = sorted(w for w in english if re.search(rf"\b{w}\b", text))
    assert not left, f"English words of the report template in a Bokmål report: {left}\n{text}"
    assert "Sammendrag" in text and "januar 2025 til februar 2025 (2 måneder)" in text
    assert "1 av 2 KPI-er med mål er i rute" in text and "ikke i rute" in text and "minst 10\u00a0%" in text
    assert i18n.get_language() == "en", "lang= does not change the language of later calls"


def test_a_report_page_says_its_language():
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# Tittel\n\nTekst.")])
    assert '<html lang="en">' in report.notebook_to_html(nb, "T")
    assert '<html lang="nb">' in report.notebook_to_html(nb, "T", lang="nb")
    nb.metadata["language"] = "nb"  # a translated edition's notebook says its language
    assert '<html lang="nb">' in report.notebook_to_html(nb, "T")
