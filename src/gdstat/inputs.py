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


def expand(paths: str | Path | Iterable[str | Path], passed: list[tuple[str, str]] | None = None) -> list[str]:
    """The files to read, in the order given: a file as named, and the reports (by suffix, not
    hidden, not Excel lock files) under a folder, recursively, or matching a glob, sorted. A name
    that matches nothing is kept, so that reading it says why; a file reached twice is read once.
    Files a folder or a glob reaches that gdstat wrote (an earlier dataset, findings, a cell
    table, a page of report, a document of narrate) are passed over, and listed in ``passed`` as
    (path, what it is).
    """
    from gdstat.io.own import describe, what, wrote_docx
    from gdstat.io.read import SUFFIXES

    found: list[str] = []
    seen: set[str] = set()

    def add(path: str, named: bool = True, key: str | None = None) -> None:
        key = key or os.path.realpath(path)
        if key in seen:
            return
        seen.add(key)
        kind = None
        if not named and path.lower().endswith((".csv", ".tsv", ".txt", ".html", ".htm")):
            kind = what(path)
        elif not named and path.lower().endswith(".docx"):
            kind = wrote_docx(path)
        if kind is None:
            found.append(path)
        elif passed is not None:
            passed.append((path, describe(kind)))

    for arg in map(str, as_list(paths)):
        if os.path.isdir(arg):
            for path, key in _walk(arg, SUFFIXES):
                add(path, False, key)
        elif not os.path.exists(arg) and any(ch in arg for ch in "*?["):
            matches = sorted(glob.glob(arg, recursive=True))
            for match in matches:
                if os.path.isdir(match):
                    for path, key in _walk(match, SUFFIXES):
                        add(path, False, key)
                elif _is_report(os.path.basename(match), SUFFIXES):
                    add(match, named=False)
            if not matches:
                add(arg)
        else:
            add(arg)
    return found


def _is_report(name: str, suffixes) -> bool:
    # Hidden files and Excel's ~$ lock files are not reports.
    return not name.startswith((".", "~$")) and os.path.splitext(name)[1].lower() in suffixes


def _walk(folder: str, suffixes) -> Iterator[tuple[str, str]]:
    """(path, real path) of each report under ``folder``, sorted. A file's real path is its folder's
    and its name unless it is a link itself: one lstat, where resolving each path in full took a
    few for every file (a tenth of a second for 2,000 files)."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        real = os.path.realpath(root)
        for name in sorted(files):
            if _is_report(name, suffixes):
                path = os.path.join(root, name)
                yield path, os.path.realpath(path) if os.path.islink(path) else os.path.join(real, name)
