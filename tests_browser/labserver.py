"""A private JupyterLab server for the browser tests, and the interactive notebook copies it serves."""
from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build" / "browser"
SCREENSHOTS = ROOT / "reports" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Flags that work on these machines (no GPU, small /dev/shm, no network besides the registries).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_TIMEOUT = 90.0

# JupyterLab settings for the test server only: every cell drawn (no windowing, so the whole notebook
# is in the page), no news or update toasts, no autosave of the copies.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                       "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def notebook_paths() -> list[Path]:
    """Whatever case notebooks exist now (``notebooks/[0-9][0-9]_*.ipynb``)."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def edition_paths(lang: str) -> list[Path]:
    """The notebooks of a translated edition (``notebooks/<lang>/[0-9][0-9]_*.ipynb``)."""
    return sorted((NOTEBOOKS / lang).glob("[0-9][0-9]_*.ipynb"))


def interactive_copy(src: Path, dest_dir: Path) -> Path:
    """Copy a notebook with ``interactive = True`` in its parameters cell and no stored outputs."""
    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if "parameters" in cell.metadata.get("tags", []):
                cell.source, n = re.subn(r"^interactive\s*=\s*False\b", "interactive = True", cell.source,
                                         flags=re.MULTILINE)
                assert n <= 1, f"{src.name}: several 'interactive = False' lines in the parameters cell"
    dest = dest_dir / src.name
    nbformat.write(nb, dest)
    return dest


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """A JupyterLab process on loopback; :meth:`stop` ends it and everything it started."""

    def __init__(self, root_dir: Path, workdir: Path) -> None:
        self.root_dir, self.workdir = root_dir, workdir
        self.port = _free_port()
        self.token = secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "jupyterlab.log"
        self.proc: subprocess.Popen | None = None
        self._known: dict[int, psutil.Process] = {}

    def start(self) -> None:
        config = self.workdir / "config"
        for rel, value in LAB_SETTINGS.items():
            path = config / "lab" / "user-settings" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config),
               "JUPYTER_RUNTIME_DIR": str(self.workdir / "runtime"),
               "IPYTHONDIR": str(self.workdir / "ipython"),
               "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        env.pop("JUPYTER_DATA_DIR", None)
        exe = Path(sys.executable).with_name("jupyter-lab")  # so `pgrep -f jupyter-lab` finds it
        start = [str(exe)] if exe.exists() else [sys.executable, "-m", "jupyterlab"]
        cmd = [*start, "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.root_dir}", "--LabApp.expose_app_in_browser=True",
               "--ServerApp.open_browser=False"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        # Own session and process group: Ctrl-C in the terminal reaches pytest, whose teardown stops it.
        self.proc = subprocess.Popen(cmd, cwd=self.root_dir, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if self.api("GET", "/api/status") is not None:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not answer within {SERVER_START_TIMEOUT:.0f} s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def api(self, method: str, path: str) -> object:
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else {}

    def remember_children(self) -> None:
        """Note the server's descendants (kernels live in sessions of their own, not in its group)."""
        if self.proc is None:
            return
        try:
            for child in psutil.Process(self.proc.pid).children(recursive=True):
                self._known[child.pid] = child
        except psutil.NoSuchProcess:
            pass

    def close_sessions(self, path: str) -> None:
        """End the kernel sessions of one notebook through the REST API (frees memory between notebooks)."""
        try:
            for session in self.api("GET", "/api/sessions") or []:
                if session.get("path") == path:
                    self.api("DELETE", f"/api/sessions/{session['id']}")
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass

    def stop(self) -> None:
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        self._known.update({c.pid: c for c in _descendants(proc.pid)})
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=10)
        # Kernels and anything else the server started: end them if they outlived it.
        survivors = [p for p in self._known.values() if _alive(p)]
        for p in survivors:
            try:
                p.terminate()
            except psutil.NoSuchProcess:
                pass
        _, still = psutil.wait_procs(survivors, timeout=5)
        for p in still:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        self._log.close()


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _alive(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


