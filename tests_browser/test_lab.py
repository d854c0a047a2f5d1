"""The students' view: every notebook opened in JupyterLab in a real (headless) Chromium.

For each ``notebooks/[0-9][0-9]_*.ipynb`` (an interactive copy, see ``conftest.py``): open it in
JupyterLab, run all cells, check that every code cell ran and that no cell shows an error, a stderr
stream, a broken image or a widget that did not render, and save screenshots of the whole notebook,
screen by screen, in ``reports/screenshots/<notebook>/`` (with an ``index.html`` to page through).
In ``01_*`` the key-account explorer's "revenue share" slider is moved with the keyboard and the
ranking table must change.

Run with ``make test-browser`` (installs Chromium and Playwright first).
"""
from __future__ import annotations

import html
import json
import re
import time
from pathlib import Path

import pytest
from labserver import SCREENSHOTS, notebook_paths

VIEWPORT = {"width": 1440, "height": 900}
RUN_TIMEOUT_MS = 240_000
MAX_SCREENS = 60
NAMES = [p.name for p in notebook_paths()]
STARTUP = next((n for n in NAMES if n.startswith("01_")), None)

# Runs every cell of the open notebook through JupyterLab's own command and waits for the result.
RUN_ALL_JS = """
async ([name, timeoutMs]) => {
  const app = window.jupyterapp;
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const deadline = Date.now() + timeoutMs;
  await app.restored;
  let panel = null;
  while (!panel && Date.now() < deadline) {
    for (const w of app.shell.widgets('main')) {
      if (w.context && w.context.path === name && w.content && w.content.model) { panel = w; }
    }
    if (!panel) { await sleep(100); }
  }
  if (!panel) { throw new Error(`JupyterLab did not open ${name}`); }
  await panel.context.ready;
  await panel.sessionContext.ready;
  app.shell.activateById(panel.id);
  const timer = sleep(Math.max(0, deadline - Date.now())).then(() => 'timeout');
  const outcome = await Promise.race([app.commands.execute('notebook:run-all-cells'), timer]);
  if (outcome === 'timeout') { return {outcome: 'timeout'}; }
  while (Date.now() < deadline) {  // widgets still talk to the kernel after the last reply
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    if (!kernel || kernel.status === 'idle') { break; }
    await sleep(100);
  }
  return {outcome: String(outcome)};
}
"""

# What the notebook's model holds after the run: per code cell its count, errors, stderr, widgets.
CELLS_JS = """
(name) => {
  const WIDGET_MIME = 'application/vnd.jupyter.widget-view+json';
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === name);
  const cells = [];
  const model = panel.content.model;
  for (let i = 0; i < model.cells.length; i++) {
    const cell = model.cells.get(i);
    if (cell.type !== 'code') { continue; }
    const outputs = cell.outputs.toJSON();
    cells.push({
      index: i,
      count: cell.executionCount,
      source: cell.sharedModel.getSource().slice(0, 120),
      errors: outputs.filter(o => o.output_type === 'error')
                     .map(o => `${o.ename}: ${o.evalue}`),
      stderr: outputs.filter(o => o.output_type === 'stream' && o.name === 'stderr')
                     .map(o => Array.isArray(o.text) ? o.text.join('') : o.text),
      widgets: outputs.filter(o => o.data && o.data[WIDGET_MIME]).length,
    });
  }
  return cells;
}
"""

# What the page shows: rendered widgets, widget errors, broken images, outputs wider than the notebook.
PAGE_JS = """
() => {
  const outputs = Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output'));
  const cellOf = e => {
    const cell = e.closest('.jp-Cell');
    if (!cell) { return 'cell ?'; }
    const index = Array.from(cell.parentElement.children).filter(c => c.classList.contains('jp-Cell')).indexOf(cell);
    const prompt = cell.querySelector('.jp-InputPrompt');
    const count = prompt ? prompt.innerText.trim().replace(/:$/, '') : '';
    return `cell ${index}` + (count ? ` ${count}` : '');
  };
  return {
    widgetViews: document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output > .jupyter-widgets').length,
    widgetErrors: outputs.filter(e => /Error displaying widget|Error rendering output/.test(e.innerText))
                         .map(e => `${cellOf(e)}: ${e.innerText.slice(0, 160)}`),
    brokenImages: Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output img'))
                       .filter(img => !img.complete || img.naturalWidth === 0).map(img => cellOf(img)),
    wide: outputs.filter(e => e.scrollWidth > e.clientWidth + 2)
                 .map(e => `${cellOf(e)}: ${e.scrollWidth}px content in ${e.clientWidth}px`),
  };
}
"""

# Scrolls the notebook to y (when given); returns [scrollTop, visible height, bottom of the last cell].
SCROLLER_JS = """
(y) => {
  const s = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
  if (y !== null) { s.scrollTop = y; }
  const cells = s.querySelectorAll('.jp-Cell');
  const last = cells.length ? cells[cells.length - 1] : s;
  const end = last.getBoundingClientRect().bottom - s.getBoundingClientRect().top + s.scrollTop;
  return [s.scrollTop, s.clientHeight, Math.min(end, s.scrollHeight)];
}
"""


class OpenNotebook:
    """One notebook open and run in its own browser context."""

    def __init__(self, server, browser, name: str) -> None:
        self.server, self.name = server, name
        self.context = browser.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.run_seconds = 0.0

    def run_all(self) -> None:
        t0 = time.monotonic()
        workspace = re.sub(r"\W", "-", Path(self.name).stem)
        self.page.goto(f"{self.server.url}/lab/workspaces/{workspace}/tree/{self.name}"
                       f"?reset&token={self.server.token}")
        self.page.wait_for_function("window.jupyterapp !== undefined", timeout=60_000)
        self.server.remember_children()
        result = self.page.evaluate(RUN_ALL_JS, [self.name, RUN_TIMEOUT_MS])
        self.server.remember_children()
        assert result["outcome"] != "timeout", f"{self.name}: run-all did not finish in {RUN_TIMEOUT_MS / 1000:.0f} s"
        self.run_seconds = time.monotonic() - t0

    def cells(self) -> list[dict]:
        return self.page.evaluate(CELLS_JS, self.name)

    def page_state(self, expected_widgets: int) -> dict:
        """The page's state once every widget view the model holds is drawn (or 30 s have passed)."""
        deadline = time.monotonic() + 30
        while True:
            state = self.page.evaluate(PAGE_JS)
            if state["widgetViews"] >= expected_widgets or state["widgetErrors"] or time.monotonic() > deadline:
                return state
            time.sleep(0.25)

    def screenshots(self, folder: Path) -> list[Path]:
        """The notebook screen by screen, top to bottom (screens overlap a little)."""
        folder.mkdir(parents=True, exist_ok=True)
        self.page.mouse.move(0, 0)  # no hover effects in the pictures
        top, height, total = self.page.evaluate(SCROLLER_JS, 0)
        step = max(100, int(height * 0.92))
        paths, y = [], 0
        while len(paths) < MAX_SCREENS:
            top, height, total = self.page.evaluate(SCROLLER_JS, y)
            self.page.wait_for_timeout(150)
            path = folder / f"{len(paths) + 1:02d}.png"
            self.page.screenshot(path=str(path))
            paths.append(path)
            if top + height >= total - 1:
                break
            y += step
        self.page.evaluate(SCROLLER_JS, 0)
        return paths

    def close(self) -> None:
        try:
            self.context.close()
        finally:
            self.server.close_sessions(self.name)


@pytest.fixture(scope="session")
def opened(lab_server, chromium, screenshots_dir):
    """Notebooks run so far, by name; only the one the slider test needs stays open."""
    runs: dict[str, OpenNotebook] = {}
    yield runs
    for nb in runs.values():
        nb.close()
    _write_index(screenshots_dir)


def _run(name: str, lab_server, chromium, opened) -> OpenNotebook:
    if name not in opened:
        nb = OpenNotebook(lab_server, chromium, name)
        opened[name] = nb
        nb.run_all()
    return opened[name]


def _write_index(folder: Path) -> None:
    """reports/screenshots/index.html: every screen of every notebook, for humans."""
    style = "body{font-family:sans-serif;margin:1em}img{width:100%;max-width:1440px;border:1px solid #ccc;margin:4px 0}"
    parts = ["<!doctype html><meta charset='utf-8'><title>Notebooks in JupyterLab</title>",
             f"<style>{style}</style><h1>Notebooks in JupyterLab (make test-browser)</h1>"]
    notes = folder / "notes.json"
    info = json.loads(notes.read_text()) if notes.exists() else {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        parts.append(f"<h2 id='{html.escape(sub.name)}'>{html.escape(sub.name)}</h2>")
        for line in info.get(sub.name, []):
            parts.append(f"<p>{html.escape(line)}</p>")
        parts += [f"<img src='{html.escape(sub.name)}/{p.name}' alt='{p.name}'>" for p in sorted(sub.glob("*.png"))]
    (folder / "index.html").write_text("\n".join(parts), encoding="utf-8")


def _note(name: str, lines: list[str]) -> None:
    notes = SCREENSHOTS / "notes.json"
    info = json.loads(notes.read_text()) if notes.exists() else {}
    info[name] = lines
    notes.write_text(json.dumps(info, indent=1, ensure_ascii=False))


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_in_jupyterlab_without_errors(name, lab_server, chromium, opened, screenshots_dir):
    nb = _run(name, lab_server, chromium, opened)
    try:
        cells = nb.cells()
        expected_widgets = sum(c["widgets"] for c in cells)
        state = nb.page_state(expected_widgets)
        shots = nb.screenshots(screenshots_dir / Path(name).stem)
        problems = []
        for c in cells:
            where = f"cell {c['index']} ({c['source'].splitlines()[0] if c['source'] else ''!r})"
            if c["count"] is None:
                problems.append(f"{where} did not run")
            problems += [f"{where} shows an error: {e}" for e in c["errors"]]
            problems += [f"{where} writes to stderr: {s.strip()[:300]}" for s in c["stderr"]]
        problems += [f"widget not rendered: {e}" for e in state["widgetErrors"]]
        problems += [f"image not shown: {e}" for e in state["brokenImages"]]
        if state["widgetViews"] < expected_widgets:
            problems.append(f"{expected_widgets} widget outputs but {state['widgetViews']} drawn")
        summary = (f"run all: {nb.run_seconds:.1f} s; {len(shots)} screens; "
                   f"{expected_widgets} widget(s) drawn: {state['widgetViews']}")
        _note(Path(name).stem, [summary]
              + [f"wider than the notebook (scrolls sideways): {w}" for w in state["wide"]]
              + [f"browser console error: {e[:200]}" for e in nb.console_errors[:5]]
              + [f"problem: {p}" for p in problems])
        assert not problems, f"{name} in JupyterLab:\n  " + "\n  ".join(problems)
    finally:
        if name != STARTUP:
            opened.pop(name).close()


#: The explorer's words in each edition: (name of the notebook, language).
EDITIONS = [(STARTUP, "en"), (f"nb/{STARTUP}", "nb")]


def _words(lang: str) -> dict[str, str]:
    """The explorer's label, slider and table words in ``lang``, as kpi_helpers writes them."""
    from kpi_helpers import display, i18n

    with i18n.using(lang):
        return {"key": i18n.tr("Key accounts: ").strip(), "best": i18n.tr("Key accounts: {accounts} (best score: {best})",
                                                                         accounts="\x00", best="\x00").split("\x00")[1],
                "share": display.label("revenue_share"), "decimal": i18n.language().decimal}


@pytest.mark.skipif(STARTUP is None, reason="no 01_* notebook")
@pytest.mark.parametrize("name, lang", EDITIONS, ids=["en", "nb"])
def test_startup_key_account_slider_changes_the_ranking(name, lang, lab_server, chromium, opened, screenshots_dir):
    """English and Bokmål: the same code, the explorer in the notebook's language."""
    if lang != "en" and not (SCREENSHOTS.parents[1] / "notebooks" / name).is_file():
        pytest.fail(f"notebooks/{name} is missing: make notebooks-nb")
    words = _words(lang)
    nb = _run(name, lab_server, chromium, opened)
    if lang != "en":  # the English one is checked by test_notebook_runs_in_jupyterlab_without_errors
        problems = [f"cell {c['index']}: {e}" for c in nb.cells() for e in c["errors"] + c["stderr"]]
        assert not problems, f"{name} in JupyterLab:\n  " + "\n  ".join(problems)
    page = nb.page
    explorer = page.locator(".jp-OutputArea-output", has=page.locator(".widget-slider")).filter(
        has_text=words["key"]).first
    explorer.wait_for(timeout=30_000)
    explorer.evaluate("e => e.scrollIntoView({block: 'start'})")
    label = explorer.locator(".widget-label", has_text=words["key"]).first
    table = explorer.locator("table.kpi-ranking").first
    slider = explorer.locator(".widget-slider", has_text=words["share"]).first
    before_label, before_table = label.inner_text(), table.inner_text()
    readout = slider.locator(".widget-readout")
    start = float(readout.inner_text().replace(",", "."))
    assert start > 0, "the revenue-share weight starts at 0: nothing to move"
    folder = screenshots_dir / f"{Path(name).stem}-{lang}-explorer"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "01-before.png"))

    handle = slider.locator(".noUi-handle").first
    handle.focus()
    for _ in range(round(start / 0.05)):  # step 0.05: down to 0
        page.keyboard.press("ArrowLeft")
    page.wait_for_function("(el) => parseFloat(el.innerText.replace(',', '.')) === 0",
                           arg=readout.element_handle(), timeout=15_000)
    # The kernel re-scores and replaces the table; wait until it stops changing.
    deadline, last, stable_since = time.monotonic() + 30, None, time.monotonic()
    while time.monotonic() < deadline:
        now = table.inner_text()
        if now != last:
            last, stable_since = now, time.monotonic()
        elif now != before_table and time.monotonic() - stable_since > 1.0:
            break
        time.sleep(0.2)
    after_table, after_label = table.inner_text(), label.inner_text()
    explorer.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(folder / "02-after.png"))

    assert after_table != before_table, "moving the revenue-share slider did not change the ranking"
    header = [h.strip() for h in after_table.splitlines()[0].split("\t")]
    rows = [r.split("\t") for r in after_table.splitlines()[1:] if r.strip()]
    assert words["share"] in header and rows, after_table
    col = header.index(words["share"])
    assert all(float(r[col].replace(words["decimal"], ".")) == 0 for r in rows), \
        f"revenue-share contributions are not 0 at weight 0:\n{after_table}"
    # the rule's key accounts and the best-scored one (which the weights move) are named
    assert after_label.startswith(words["key"] + " ") and words["best"] in after_label, after_label
    if name != STARTUP:
        opened.pop(name).close()
