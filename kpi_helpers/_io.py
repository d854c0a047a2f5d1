"""Atomic file writing: a reader never sees a half-written report or KPI table."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def set_usual_mode(path: str | os.PathLike[str]) -> None:
    """Give a file made by ``mkstemp`` (0600) the permissions a new file usually gets (0666 & ~umask)."""
    os.chmod(path, 0o666 & ~_umask())


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    The folder is created when missing. On any failure the temporary file is removed and an existing
    ``path`` is left untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        set_usual_mode(tmp)  # mkstemp creates 0600
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Text version of :func:`write_bytes_atomic` (UTF-8, newlines kept as given)."""
    return write_bytes_atomic(path, text.encode(encoding))
