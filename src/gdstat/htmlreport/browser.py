"""Headless Chromium, to check written pages as a browser renders them (the tests and
``docs/screenshots.py`` use it; gdstat itself never starts a browser)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")


def find() -> str | None:
    """The browser to run: $CHROMIUM, else the first of NAMES on PATH."""
    given = os.environ.get("CHROMIUM")
    if given:
        return given
    return next((found for found in map(shutil.which, NAMES) if found), None)


def run(binary: str, page: Path, *args: str, timeout: float = 120) -> str:
    """Open ``page`` headless with ``args`` (``--dump-dom``, ``--screenshot=...``); its stdout.

    ``--no-sandbox`` because tests may run as root; a fresh profile each time so runs never share state.
    """
    with tempfile.TemporaryDirectory(prefix="gdstat-chromium-") as profile:
        proc = subprocess.run(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
             "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}", *args,
             Path(page).resolve().as_uri()],
            capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{binary} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return proc.stdout
