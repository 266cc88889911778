"""Inputs as the user names them: files, folders and globs, expanded the same way for every
command and library call (Windows shells do not expand ``*``, so gdstat does)."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path


def as_list(paths: str | Path | Iterable[str | Path]) -> list[str | Path]:
    """One path is one input, never a sequence of characters."""
    if isinstance(paths, (str, Path)):
        return [paths]
    return list(paths)


def expand(paths: str | Path | Iterable[str | Path]) -> list[str]:
    """The files to read, in the order given: a file as named, and the reports (by suffix, not
    hidden, not Excel lock files) under a folder, recursively, or matching a glob, sorted. A name
    that matches nothing is kept, so that reading it says why; a file reached twice is read once.
    """
    from gdstat.io.read import SUFFIXES

    found: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            found.append(path)

    for arg in map(str, as_list(paths)):
        if os.path.isdir(arg):
            for path in _walk(arg, SUFFIXES):
                add(path)
        elif not os.path.exists(arg) and any(ch in arg for ch in "*?["):
            matches = sorted(glob.glob(arg, recursive=True))
            for match in matches:
                if os.path.isdir(match):
                    for path in _walk(match, SUFFIXES):
                        add(path)
                elif _is_report(os.path.basename(match), SUFFIXES):
                    add(match)
            if not matches:
                add(arg)
        else:
            add(arg)
    return found


def _is_report(name: str, suffixes) -> bool:
    # Hidden files and Excel's ~$ lock files are not reports.
    return not name.startswith((".", "~$")) and os.path.splitext(name)[1].lower() in suffixes


def _walk(folder: str, suffixes) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if _is_report(name, suffixes):
                yield os.path.join(root, name)
