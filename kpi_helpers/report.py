"""Client reports from executed notebooks: self-contained HTML that loads nothing from another host.

``kpi-cases run`` executes a case notebook and hands it to :func:`notebook_to_html`, which

* keeps what a client reads: Markdown and outputs, no code, no widgets, no exercises or solutions,
  no notebook mechanics (the parameters section, "run this cell", sliders);
* typesets every formula (``$...$``, ``$$...$$``) as MathML when the report is built
  (:func:`latex_to_mathml`, through ``latex2mathml``), so it renders in any current browser with no
  script;
* shows data folders by their name, never by their absolute path (:func:`redact_paths`);
* starts with a short summary built from the KPI table (:func:`summary_html`): the key accounts
  and the KPIs against their targets;
* uses nbconvert's "lab" template with the blocks that load require.js, MathJax and mermaid from a
  CDN emptied, figures embedded as data URIs, and a print stylesheet (A4, sections on new pages,
  figures and tables never split, no dark backgrounds).

:func:`external_resources` lists what an HTML page would fetch from another host; the tests and the
builder itself use it (:func:`notebook_to_html` raises when the list is not empty).

This module imports nbconvert, latex2mathml and pandas only inside the functions that need them.
"""
from __future__ import annotations

import copy
import html as html_lib
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from . import i18n
from ._io import set_usual_mode
from .i18n import tr, trn

__all__ = ["PRINT_CSS", "SCREEN_CSS", "WIDGET_MIME", "without_exercises", "without_mechanics",
           "client_cells", "latex_to_mathml", "math_to_placeholders", "redact_paths", "summary_html",
           "notebook_to_html", "render_notebook", "folder_names", "external_resources", "find_chromium",
           "output_set", "write_pdf", "pdf_pages", "visible_text", "raw_latex", "MathSpans"]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

#: Headings of sections that explain how to operate the notebook, not the business.
_MECHANICS_HEADING = re.compile(r"\b(parameters?|parametere|how to use|slik bruker|settings|innstillinger)\b",
                                re.I)
#: Sentences about operating the notebook ("run the cell", sliders, the parameters cell, the CLI).
_MECHANICS_SENTENCE = re.compile(
    r"\brun (the|this|it|each|all)\b|\bthis cell\b|\bthe cell\b|\bparameters cell\b|interactive\s*=\s*True"
    r"|\bsliders?\b|\bkpi-cases (run|kpis|template)\b|\bself-check|\bkjør (cellen|den)\b|\bglidebryter"
    r"|\bdenne cellen\b|\bcellen (over|under|nedenfor|ovenfor)\b|\bparametercellen\b|\bselvsjekk",
    re.I)
#: Student-facing blocks of a notebook's introduction: the label paragraph and the list after it.
_STUDENT_BLOCK = re.compile(r"^\s*\**\s*(learning goals|prerequisites|reading time|læringsmål|forkunnskaper"
                            r"|lesetid)\b", re.I)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(*`\"'ÆØÅ])")

PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
@media print {
  html, body { background: #fff !important; color: #000 !important; }
  body, .jp-Notebook, .jp-Cell, .jp-OutputArea, .jp-RenderedHTMLCommon, pre, code, table, th, td {
    background: transparent !important; color: #000 !important; box-shadow: none !important; }
  .jp-Notebook { padding: 0 !important; }
  h2 { break-before: page; page-break-before: always; }
  .kpi-summary h2, .kpi-summary + .jp-Cell h2 { break-before: auto; page-break-before: auto; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  img, svg, figure, table, tr, math[display="block"], .jp-OutputArea-output {
    break-inside: avoid; page-break-inside: avoid; }
  img { max-width: 100% !important; height: auto !important; }
  table { font-size: 9pt; }
  a { color: #000; text-decoration: underline; }
  p, li { orphans: 3; widows: 3; }
}
"""

SCREEN_CSS = """
.kpi-summary { max-width: 60rem; margin: 1.5rem auto 2rem auto; padding: 0 1rem;
  font-family: var(--jp-content-font-family, system-ui, sans-serif); line-height: 1.45; }
.kpi-summary table { border-collapse: collapse; margin: .5rem 0 1rem 0; }
section.kpi-summary th, section.kpi-summary td { border-bottom: 1px solid #ccc; padding: .25rem .75rem;
  text-align: left; }
section.kpi-summary td.num { text-align: right; font-variant-numeric: tabular-nums; }
.kpi-summary .status-on_track { color: #1b6e20; font-weight: 600; }
.kpi-summary .status-off_track { color: #b3261e; font-weight: 600; }
.kpi-summary .muted { color: #555; }
math[display="block"] { display: block; margin: .6em 0; }
"""

# The report template: nbconvert's lab template without the CDN scripts, with our styles.
_TEMPLATE_NAME = "kpi_report.html.j2"
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}
{{ super() }}
<style type="text/css">{{ resources.kpi_report_css }}</style>
{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.kpi_page_header | default('') }}
{%- endblock body_header -%}
{%- block body_footer -%}
{{ resources.kpi_page_footer | default('') }}
{{ super() }}
{%- endblock body_footer -%}
"""


# ------------------------------------------------------------------------------------------------
# which cells a client reads
# ------------------------------------------------------------------------------------------------
def _heading(cell: Any) -> tuple[int, str]:
    """(level, text) of a Markdown cell that starts with a heading, else (0, "")."""
    if cell.get("cell_type") != "markdown":
        return 0, ""
    first = str(cell.get("source", "")).lstrip().split("\n", 1)[0]
    level = len(first) - len(first.lstrip("#"))
    if 0 < level <= 6 and first[level:level + 1] == " ":
        return level, first[level:].strip()
    return 0, ""


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def without_exercises(cells: list[Any]) -> list[Any]:
    """The cells a client report keeps: exercise sections and solution cells left out.

    A section starts at a Markdown heading that names an exercise ("## 7. Exercises",
    "### Exercise 2: ...") and runs to the next heading of the same or a higher level; cells
    tagged ``solution`` are dropped wherever they are. Students keep them in the notebook.
    """
    kept: list[Any] = []
    skip_level = 0
    for cell in cells:
        level, text = _heading(cell)
        if skip_level and level and level <= skip_level:
            skip_level = 0
        if not skip_level and level and re.search(r"exercise|oppgave", text, re.I):
            skip_level = level
        if skip_level or "solution" in _tags(cell):
            continue
        kept.append(cell)
    return kept


def _strip_sentences(markdown: str) -> str:
    """``markdown`` without the sentences about operating the notebook (code blocks kept as they are)."""
    out: list[str] = []
    in_fence = skip_list = False
    for block in re.split(r"(\n\s*\n)", markdown):
        if not block.strip():
            out.append(block)
            continue
        if _STUDENT_BLOCK.match(block):
            skip_list = True
            continue
        if skip_list and re.match(r"\s*(?:[-*+]|\d+\.)\s", block):
            continue
        skip_list = False
        if block.strip().startswith("```") or in_fence:
            in_fence ^= block.count("```") % 2 == 1
            out.append(block)
            continue
        first = block.lstrip()
        if not block.strip() or first.startswith(("#", "|", "<", "$$")):
            out.append(block)
            continue
        items = re.split(r"(\n(?=\s*(?:[-*+]|\d+\.)\s))", block)  # list items one by one
        kept_items = []
        for item in items:
            if item.startswith("\n") and not item.strip():
                kept_items.append(item)
                continue
            sentences = _SENTENCE_SPLIT.split(item)
            kept = [s for s in sentences if not _MECHANICS_SENTENCE.search(s)]
            kept_items.append(" ".join(kept) if len(kept) != len(sentences) else item)
        text = "".join(kept_items)
        text = re.sub(r"\n\s*(?:[-*+]|\d+\.)\s*(?=\n|$)", "", text)  # list items left empty
        out.append(text if re.sub(r"^\s*(?:[-*+]|\d+\.)\s*$", "", text, flags=re.M).strip() else "")
    return re.sub(r"\n{3,}", "\n\n", "".join(out)).strip("\n")


def without_mechanics(cells: list[Any]) -> list[Any]:
    """The cells without notebook mechanics: the parameters section and how-to-use sections.

    Left out: the code cell tagged ``parameters`` and papermill's ``injected-parameters`` cell; any
    section (a heading of level 2 or deeper to the next heading of the same or a higher level) whose
    heading names parameters, settings or how to use the notebook, or that holds the parameters cell;
    and, in the Markdown that stays, the sentences about running cells, sliders, the parameters cell
    and the command line.
    """
    params_at = next((i for i, c in enumerate(cells) if "parameters" in _tags(c)), None)
    drop: set[int] = set()
    section_start: int | None = None
    section_level = 0
    for i, cell in enumerate(cells):
        level, text = _heading(cell)
        if level and section_start is not None and level <= section_level:
            section_start = None
        if level >= 2 and section_start is None:
            body_end = next((j for j in range(i + 1, len(cells)) if 0 < _heading(cells[j])[0] <= level),
                            len(cells))
            holds_params = params_at is not None and i < params_at < body_end
            if _MECHANICS_HEADING.search(text) or holds_params:
                section_start, section_level = i, level
        if section_start is not None:
            drop.add(i)
    kept: list[Any] = []
    for i, cell in enumerate(cells):
        tags = _tags(cell)
        if i in drop or "parameters" in tags or "injected-parameters" in tags:
            continue
        if cell.get("cell_type") == "markdown":
            cell = copy.deepcopy(cell)
            cell["source"] = _strip_sentences(str(cell.get("source", "")))
            if not cell["source"].strip():
                continue
        kept.append(cell)
    return kept


def client_cells(cells: list[Any]) -> list[Any]:
    """What a client report shows: :func:`without_exercises`, then :func:`without_mechanics`,
    and no widget outputs."""
    kept = without_mechanics(without_exercises(list(cells)))
    out = []
    for cell in kept:
        if "outputs" in cell:
            cell = copy.deepcopy(cell)
            cell["outputs"] = [o for o in cell["outputs"] if WIDGET_MIME not in o.get("data", {})]
        out.append(cell)
    return out


# ------------------------------------------------------------------------------------------------
# math
# ------------------------------------------------------------------------------------------------
def latex_to_mathml(tex: str, display: bool = False) -> str:
    """One LaTeX formula as a MathML ``<math>`` element (block when ``display``), via latex2mathml."""
    from latex2mathml.converter import convert

    return convert(tex.strip(), display="block" if display else "inline")


# $$...$$ (may span lines), then $...$ as pandoc reads it: no space after the opening $, none before
# the closing $, and the closing $ not followed by a digit (so "$5 and $6" is no formula).
_MATH = re.compile(r"(?<![\\$])\$\$(?P<block>.+?)\$\$|(?<![\\$\w])\$(?P<inline>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?![\d$])",
                   re.S)
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]+`)", re.S)


@dataclass
class MathSpans:
    """Formulas taken out of Markdown: placeholder -> MathML, to put back into the rendered HTML."""

    token: str
    mathml: dict[str, str]

    def restore(self, html: str) -> str:
        """``html`` with every placeholder replaced by its MathML."""
        if not self.mathml:
            return html
        return re.sub(re.escape(self.token) + r"\d+X", lambda m: self.mathml.get(m.group(0), m.group(0)), html)


def math_to_placeholders(markdown: str, spans: MathSpans) -> str:
    """``markdown`` with each formula outside code replaced by a placeholder recorded in ``spans``.

    Placeholders are letters and digits only, so the Markdown renderer leaves them alone; the MathML
    goes in after rendering (:meth:`MathSpans.restore`).
    """
    def convert(m: re.Match[str]) -> str:
        block = m.group("block")
        key = f"{spans.token}{len(spans.mathml)}X"
        spans.mathml[key] = latex_to_mathml(block if block is not None else m.group("inline"),
                                            display=block is not None)
        return key

    parts = _CODE.split(markdown)
    return "".join(p if i % 2 else _MATH.sub(convert, p) for i, p in enumerate(parts))


# ------------------------------------------------------------------------------------------------
# paths
# ------------------------------------------------------------------------------------------------
def redact_paths(cells: list[Any], paths: Mapping[str, str]) -> list[Any]:
    """Cells whose outputs and Markdown show ``paths`` keys as their values (e.g. folder -> its name).

    Longer paths are replaced first, so ``/x/data/startup`` wins over ``/x``.
    """
    order = sorted((k for k in paths if k), key=len, reverse=True)
    if not order:
        return cells
    pattern = re.compile("|".join(re.escape(k) for k in order))

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            return pattern.sub(lambda m: paths[m.group(0)], value)
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    out = []
    for cell in cells:
        cell = copy.deepcopy(cell)
        if cell.get("cell_type") == "markdown":
            cell["source"] = fix(cell.get("source", ""))
        for o in cell.get("outputs", []):
            if "text" in o:
                o["text"] = fix(o["text"])
            for mime, value in list(o.get("data", {}).items()):
                if mime.startswith("text/") or mime == "image/svg+xml":
                    o["data"][mime] = fix(value)
        out.append(cell)
    return out


# ------------------------------------------------------------------------------------------------
# the summary
# ------------------------------------------------------------------------------------------------
def summary_html(kpis: Any, currency: str = "NOK", *, major_threshold: float | None = 0.10,
                 max_accounts: int = 5, data_checks: Iterable[str] | None = None, lang: str | None = None) -> str:
    """The summary that opens a report, from a KPI table (the contract's columns).

    First the data checks, when given (``data_checks``: the warnings reading the data gave, e.g.
    duplicate rows or names that differ only in case; "No problems found." when there are none), so a
    client's reader sees what the numbers rest on before the numbers. Then it lists the key accounts (the ``account:<name>`` scopes, in the table's order) with what makes each
    one matter (its revenue share, revenue, visits ... for the whole period), then every KPI of the
    whole business over the whole period that has a target, with value, target and status, and how
    many are on track. Any status string is shown (``not_measurable`` as "not measurable").
    ``kpis`` is a KPI table or the path of its CSV; ``major_threshold`` the revenue share from which
    a customer is a major customer (None: not said). ``lang`` (default: the language now, see
    :func:`kpi_helpers.i18n.set_language`) is the language of every word and number.
    """
    if lang is not None:
        with i18n.using(lang):
            return summary_html(kpis, currency, major_threshold=major_threshold, max_accounts=max_accounts,
                                data_checks=data_checks)
    import pandas as pd

    from .display import format_kpi_table, format_value, language, status_text

    table = kpis if isinstance(kpis, pd.DataFrame) else pd.read_csv(kpis, dtype={"scope": str, "status": str})
    shown = format_kpi_table(table, currency=currency)
    raw_status = table["status"].astype(str).reset_index(drop=True)
    e = html_lib.escape
    whole = (table["period"].astype(str) == "all").reset_index(drop=True)
    months = sorted(p for p in table["period"].astype(str).unique() if p != "all")
    na = language().not_available
    parts = ['<section class="kpi-summary" id="summary">', f"<h2>{e(tr('Summary'))}</h2>"]
    if data_checks is not None:
        checks = [str(w) for w in data_checks]
        parts.append(f"<h3>{e(tr('Data checks'))}</h3>")
        parts.append("<ul>" + "".join(f"<li>{e(w)}</li>" for w in checks) + "</ul>" if checks
                     else f"<p>{e(tr('No problems found in reading the data.'))}</p>")
    if months:
        parts.append('<p class="muted">' + e(trn("Period: {first} to {last} ({n} month).",
                                                 "Period: {first} to {last} ({n} months).", len(months),
                                                 first=format_value(months[0], "month"),
                                                 last=format_value(months[-1], "month"))) + "</p>")

    scopes = [s for s in dict.fromkeys(table["scope"].astype(str)) if s.startswith("account:")]
    parts.append(f"<h3>{e(tr('Key accounts'))}</h3>")
    if scopes:
        parts.append("<ul>")
        for scope in scopes[:max_accounts]:
            mask = (table["scope"].astype(str) == scope).to_numpy() & whole.to_numpy()
            rows = shown[mask]
            order = sorted(range(len(rows)), key=lambda i: rows["kpi"].iloc[i] != "revenue_share")
            facts = [f"{e(str(rows['name'].iloc[i]))} {e(str(rows['value'].iloc[i]))}" for i in order
                     if str(rows["value"].iloc[i]) not in ("", na)]
            share = table.loc[mask & (table["kpi"] == "revenue_share").to_numpy(), "value"]
            why = ""
            if major_threshold is not None and len(share) and pd.notna(share.iloc[0]):
                why = (" " + tr("(a major customer: at least {threshold} of revenue)",
                                threshold=format_value(major_threshold, "ratio", decimals=0))
                       if share.iloc[0] >= major_threshold
                       else " " + tr("(below the major-customer share: chosen by its score)"))
            name = scope.split(":", 1)[1]
            parts.append(f"<li><strong>{e(name)}</strong>{e(why)}" + (f": {'; '.join(facts)}" if facts else "") + "</li>")
        parts.append("</ul>")
        parts.append('<p class="muted">' + e(tr(
            "Why these: every customer with a revenue share at or above the threshold is a key account, plus "
            "the best scored on what matters beyond revenue (strategic value, growth potential, engagement; "
            "for a restaurant: visits, spend, recency); the largest is always one. The sections below show "
            "the evidence.")) + "</p>")
    else:
        parts.append('<p class="muted">' + e(tr("No key account was identified in these data.")) + "</p>")

    company = (table["scope"].astype(str) == "all").reset_index(drop=True) & whole
    with_target = company & table["target"].notna().reset_index(drop=True)
    parts.append(f"<h3>{e(tr('KPIs against targets'))}</h3>")
    rows = shown[with_target.to_numpy()]
    if len(rows):
        statuses = raw_status[with_target]
        on = int((statuses == "on_track").sum())
        parts.append("<p>" + e(trn("{on} of {n} KPI with a target is on track over the whole period.",
                                   "{on} of {n} KPIs with a target are on track over the whole period.",
                                   len(rows), on=on)) + "</p>")
        heads = (tr("KPI"), tr("value"), tr("target"), tr("status"))
        parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in heads) + "</tr></thead><tbody>")
        for (_, r), status in zip(rows.iterrows(), statuses):
            css = re.sub(r"[^a-z0-9_]+", "_", str(status).lower())
            parts.append(f"<tr><td>{e(str(r['name']))}</td><td class=\"num\">{e(str(r['value']))}</td>"
                         f"<td class=\"num\">{e(str(r['target']))}</td>"
                         f"<td class=\"status-{css}\">{e(status_text(status))}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append("<p>" + e(tr("No KPI of the whole business has a target in this run.")) + "</p>")
    others = int((company & ~with_target).sum())
    if others:
        parts.append('<p class="muted">' + e(trn("{n} more KPI without a target is in the KPI table at the end.",
                                                 "{n} more KPIs without a target are in the KPI table at the end.",
                                                 others)) + "</p>")
    parts.append("</section>")
    return "\n".join(parts)


# ------------------------------------------------------------------------------------------------
# checks: what a page would load, what LaTeX is left
# ------------------------------------------------------------------------------------------------
_URL_ATTRS = {"src", "srcset", "poster", "data", "background", "action", "formaction", "xlink:href"}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")\s]+)|@import\s+['\"]([^'\"]+)", re.I)
_JS_IMPORT = re.compile(r"\bimport\s*(?:[^'\"()]*?\bfrom\s*)?\(?\s*['\"]([^'\"]+)['\"]|\bfetch\(\s*['\"]([^'\"]+)")


def _remote(url: str) -> bool:
    u = url.strip().lower()
    return u.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:"))


class _ResourceParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        for k, v in a.items():
            if k in _URL_ATTRS:
                urls = [p.strip().split(" ")[0] for p in v.split(",")] if k == "srcset" else [v]
                self.found += [f"<{tag} {k}={u}>" for u in urls if _remote(u)]
        if tag == "link" and _remote(a.get("href", "")):
            self.found.append(f"<link href={a['href']}>")
        if "style" in a:
            self._css(a["style"], tag)
        self._in = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def _css(self, text: str, where: str) -> None:
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        for m in _CSS_URL.finditer(text):
            url = m.group(1) or m.group(2)
            if _remote(url):
                self.found.append(f"{where} css {url}")

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self._css(data, "style")
        elif self._in == "script":
            code = re.sub(r"/\*.*?\*/|(?<![:\"'])//[^\n]*", "", data, flags=re.S)
            for m in _JS_IMPORT.finditer(code):
                url = m.group(1) or m.group(2)
                if _remote(url):
                    self.found.append(f"script import {url}")


def external_resources(page: str) -> list[str]:
    """What ``page`` (HTML text) would load from another host: scripts, styles, fonts, images, frames,
    CSS ``url()``/``@import`` and module imports. Plain links (``<a href>``) do not count."""
    p = _ResourceParser()
    p.feed(page)
    p.close()
    return p.found


class _TextParser(HTMLParser):
    _SKIP = {"script", "style", "code", "pre", "math", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.chunks.append(data)


def visible_text(page: str) -> str:
    """The prose of ``page``: text outside scripts, styles, code, preformatted blocks and MathML."""
    p = _TextParser()
    p.feed(page)
    p.close()
    return " ".join(p.chunks)


_RAW_LATEX = re.compile(r"\$\$|\\(?:frac|sum|mathrm|text|cdot|times|le|ge|sqrt|left|right|bar|hat)\b"
                        r"|\\[a-zA-Z]+\{|(?<![\w$])\$[^\s$][^$\n]{0,200}?[^\s$]\$(?!\d)")


def raw_latex(page: str) -> list[str]:
    """Pieces of LaTeX left visible in ``page`` (``$$``, ``$x$``, ``\\frac`` ...), outside code and math."""
    return [m.group(0) for m in _RAW_LATEX.finditer(visible_text(page))]


# ------------------------------------------------------------------------------------------------
# the report
# ------------------------------------------------------------------------------------------------
def _with_summary(cells: list[Any], summary: str) -> list[Any]:
    """``cells`` with ``summary`` (HTML) right after the report's title (the first heading), else first."""
    import nbformat

    box = nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output("display_data", data={"text/html": summary})])
    if cells and _heading(cells[0])[0] == 1:
        first = copy.deepcopy(cells[0])
        head, _, rest = str(first["source"]).lstrip().partition("\n")
        first["source"] = head
        out = [first, box]
        if rest.strip():
            out.append(nbformat.v4.new_markdown_cell(rest.strip("\n")))
        return out + list(cells[1:])
    return [box, *cells]


def render_notebook(nb: Any, title: str, *, show_code: bool = False, header: str = "", footer: str = "",
                    extra_css: str = "", lang: str | None = None) -> str:
    """``nb`` as one self-contained HTML page: formulas as MathML, figures embedded, no CDN script.

    ``show_code`` keeps the code cells (lessons) or leaves them out with all prompts (reports);
    ``header`` and ``footer`` (HTML) open and close the body. Cells tagged ``remove-cell`` are left out
    and cells tagged ``remove-output`` lose their outputs; widget views fall back to their text.
    ``<html lang>`` is ``lang`` (default: the language now, :func:`kpi_helpers.i18n.get_language`).
    Raises ``RuntimeError`` when the page would still load anything from another host.
    """
    import jinja2
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = copy.deepcopy(nb)
    spans = MathSpans(token=f"KPIMATH{secrets.token_hex(4).upper()}N", mathml={})
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            cell["source"] = math_to_placeholders(str(cell["source"]), spans)
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            data.pop(WIDGET_MIME, None)
            if "text/markdown" in data:
                md = data["text/markdown"]
                data["text/markdown"] = math_to_placeholders("".join(md) if isinstance(md, list) else md, spans)
    nb.metadata.pop("widgets", None)
    nb.metadata["title"] = title
    exporter = HTMLExporter(template_name="lab", template_file=_TEMPLATE_NAME,
                            extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
                            exclude_input=not show_code, exclude_input_prompt=not show_code,
                            exclude_output_prompt=not show_code, embed_images=True,
                            language_code=i18n.language(lang).code)
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={"remove-cell", "remove_cell"},
                              remove_all_outputs_tags={"remove-output", "remove_output"}, enabled=True),
        enabled=True)
    resources = {"metadata": {"name": title}, "kpi_report_css": SCREEN_CSS + PRINT_CSS + extra_css,
                 "kpi_page_header": header, "kpi_page_footer": footer}
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    page = spans.restore(page)
    remote = external_resources(page)
    if remote:
        raise RuntimeError(f"the page would load {len(remote)} resource(s) from another host: "
                           + ", ".join(remote[:5]))
    return page


def notebook_to_html(nb: Any, title: str, *, summary: str = "", paths: Mapping[str, str] | None = None,
                     extra_css: str = "", lang: str | None = None) -> str:
    """A client report: outputs and Markdown only (no code, no prompts), ``<title>`` set.

    Cells: :func:`client_cells` (no exercises, solutions, widgets or notebook mechanics), then
    :func:`render_notebook`. ``paths`` maps texts to show differently (an absolute folder -> its
    name, :func:`redact_paths`). ``summary`` (HTML, e.g. :func:`summary_html`) follows the title.
    ``lang``: the page's ``<html lang>`` (default: the notebook's ``metadata.language``, which the
    translated editions carry, else the language now).
    """
    nb = copy.deepcopy(nb)
    lang = lang or nb.metadata.get("language") or None
    cells = client_cells(nb.cells)
    if paths:
        cells = redact_paths(cells, paths)
    nb.cells = _with_summary(cells, summary) if summary else cells
    return render_notebook(nb, title, show_code=False, extra_css=extra_css, lang=lang)


def folder_names(folders: Iterable[Path]) -> dict[str, str]:
    """Each folder (as given and resolved) -> its name."""
    out: dict[str, str] = {}
    for f in folders:
        f = Path(f)
        for form in {str(f), str(f.resolve())}:
            if form not in ("", ".", "/"):
                out[form] = f.resolve().name or form
    return out


# ------------------------------------------------------------------------------------------------
# PDF through Debian's Chromium
# ------------------------------------------------------------------------------------------------
DEFAULT_CHROMIUM = "/usr/bin/chromium"


def find_chromium() -> str | None:
    """The Chromium to print with: ``$CHROMIUM`` when set (and only that), else /usr/bin/chromium, else
    ``chromium`` on PATH; None when there is none (``make test-browser`` or ``apt-get install chromium``
    installs it)."""
    import os
    import shutil

    chosen = os.environ.get("CHROMIUM")
    for candidate in ([chosen] if chosen else [DEFAULT_CHROMIUM, shutil.which("chromium")]):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def write_pdf(html_path: Path, pdf_path: Path, chromium: str | None = None, timeout: float = 180) -> Path:
    """Print ``html_path`` to ``pdf_path`` (A4, the report's print stylesheet) with headless Chromium.

    Chromium runs with every host name unresolvable, so the PDF shows only what the report holds.
    Written through a temporary file and renamed. Raises ``FileNotFoundError`` without Chromium and
    ``RuntimeError`` when Chromium fails or writes nothing.
    """
    import os
    import subprocess
    import tempfile

    exe = chromium or find_chromium()
    if exe is None:
        raise FileNotFoundError(f"Chromium not found ({DEFAULT_CHROMIUM}); install it with "
                                "`apt-get install chromium` or `make test-browser`")
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=pdf_path.parent, prefix=f".{pdf_path.stem}.", suffix=".tmp.pdf")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with tempfile.TemporaryDirectory(prefix="kpi-cases-chromium-") as profile:
            cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
                   "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
                   "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
                   f"--print-to-pdf={tmp}", Path(html_path).resolve().as_uri()]
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or tmp.stat().st_size == 0:
            detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise RuntimeError(f"Chromium could not print {html_path} (exit {done.returncode}): {detail}")
        set_usual_mode(tmp)  # mkstemp made it 0600; the PDF sits beside 0644 reports
        os.replace(tmp, pdf_path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return pdf_path


def pdf_pages(data: bytes) -> list[dict[str, int]]:
    """Per page of a PDF (as Chromium writes them: plain objects, Flate-compressed content streams):
    how many text-showing operators (``text``) and drawn images or forms (``images``) it has."""
    import zlib

    objects = {int(m.group(1)): m.group(2) for m in
               re.finditer(rb"(?s)(\d+) 0 obj\s*(.*?)endobj", data)}

    def stream(num: int) -> bytes:
        body = objects.get(num, b"")
        m = re.search(rb"(?s)stream\r?\n(.*?)\r?\nendstream", body)
        if not m:
            return b""
        raw = m.group(1)
        # a direct /Length is exact: compressed bytes may end in \r, which the pattern above would eat
        length = re.search(rb"/Length (\d+)(?! \d+ R)", body[:m.start()])
        if length is not None:
            start = m.start(1)
            raw = body[start:start + int(length.group(1))]
        return zlib.decompressobj().decompress(raw) if b"/FlateDecode" in body[:m.start()] else raw

    pages = []
    for num in sorted(objects):
        body = objects[num]
        if not re.search(rb"/Type\s*/Page(?![a-zA-Z])", body):
            continue
        m = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", body)
        refs = [int(r) for r in re.findall(rb"(\d+) 0 R", m.group(1))] if m else []
        content = b"\n".join(stream(r) for r in refs)
        pages.append({"text": len(re.findall(rb"\bT[Jj]\b", content)),
                      "images": len(re.findall(rb"\bDo\b", content))})
    return pages


@contextmanager
def output_set(paths: Iterable[Path]) -> Iterator[None]:
    """The files of one run (notebook, HTML, KPI table, PDF) are replaced together or not at all.

    On entry the existing files step aside (renamed to hidden ``.NAME.previous`` files in the same
    folder); when the block fails, whatever it wrote of the set is removed and the previous files
    come back; when it succeeds, the previous files are deleted (so an old PDF does not stay beside a
    new report). A crash between the two leaves the previous files in their hidden names.
    """
    import os

    paths = [Path(p) for p in paths]
    saved: dict[Path, Path] = {}
    for p in paths:
        if p.exists():
            aside = p.with_name(f".{p.name}.previous")
            os.replace(p, aside)
            saved[p] = aside
    try:
        yield
    except BaseException:
        for p in paths:
            p.unlink(missing_ok=True)
        for p, aside in saved.items():
            os.replace(aside, p)
        raise
    for aside in saved.values():
        aside.unlink(missing_ok=True)
