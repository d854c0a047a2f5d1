"""Fixtures for the browser tests: a private JupyterLab server and a headless Chromium.

``make test-browser`` runs these tests (they live outside ``tests/`` so ``make test`` never collects
them). What they need besides the ``browser`` extra (Playwright from PyPI):

* Debian's Chromium at ``/usr/bin/chromium`` (or ``$CHROMIUM``). Playwright is used with
  ``executable_path`` set to it and never downloads a browser of its own.
* The notebooks are copied to ``build/browser/notebooks/`` with ``interactive = True`` in their
  tagged parameters cell and their outputs cleared; ``build/browser/data`` links to ``data/``, so the
  notebooks' relative ``data_dir = "../data/<case>"`` works unchanged.
* JupyterLab is started on 127.0.0.1, a free port and a random token, with its config, runtime and
  settings in a temporary folder. It is stopped whatever happens: fixture teardown, ``atexit`` and a
  SIGTERM handler all end the server's process group and every process below it (the kernels run in
  sessions of their own).
"""
from __future__ import annotations

import atexit
import shutil
import signal
import tempfile
from pathlib import Path

import pytest
from labserver import (
    BUILD,
    CHROMIUM,
    CHROMIUM_ARGS,
    NOTEBOOKS,
    ROOT,
    SCREENSHOTS,
    LabServer,
    edition_paths,
    interactive_copy,
    notebook_paths,
)


@pytest.fixture(scope="session")
def browser_notebooks() -> dict[str, Path]:
    """The interactive copies in build/browser/notebooks/, by file name."""
    if BUILD.exists():
        shutil.rmtree(BUILD)
    (BUILD / "notebooks").mkdir(parents=True)
    (BUILD / "data").symlink_to(ROOT / "data", target_is_directory=True)
    copies = {p.name: interactive_copy(p, BUILD / "notebooks") for p in notebook_paths()}
    assert copies, f"no notebooks in {NOTEBOOKS}"
    # the Bokmål edition one folder deeper, as in the project (its data paths are ../../data/)
    (BUILD / "notebooks" / "nb").mkdir()
    for p in edition_paths("nb"):
        copies[f"nb/{p.name}"] = interactive_copy(p, BUILD / "notebooks" / "nb")
    return copies


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def lab_server(browser_notebooks):
    """JupyterLab serving the copies; stopped on teardown, at exit and on SIGTERM."""
    workdir = Path(tempfile.mkdtemp(prefix="kpi-lab-"))
    server = LabServer(BUILD / "notebooks", workdir)
    atexit.register(server.stop)
    previous = signal.getsignal(signal.SIGTERM)

    def on_sigterm(signum, frame):  # turn SIGTERM into the same clean teardown as Ctrl-C
        raise KeyboardInterrupt("SIGTERM")

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (no browser download)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[browser]'")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium "
                    "(make test-browser does this)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
