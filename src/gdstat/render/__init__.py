"""Renderers: the same result as a Rich table, plain text, Markdown, CSV/TSV or JSON.

A command's result is turned into ``Block``s (titled tables of strings) for people and into
records or ``to_dict()`` for machines; the renderers here know nothing about reports.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Block:
    title: str | None
    headers: list[str]
    rows: list[list[str]]
    right: set[int] = field(default_factory=set)  # columns aligned right (numbers)
    note: str | None = None


def resolve(fmt: str, stream=None) -> str:
    """``auto`` is a Rich table on a terminal and plain text anywhere else."""
    if fmt != "auto":
        return fmt
    stream = stream or sys.stdout
    return "table" if hasattr(stream, "isatty") and stream.isatty() else "plain"


def color_wanted(choice: str, stream=None) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def _jsonable(value):
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
            return int(value)
        number = float(value)
        # Beyond a float's range a JSON number would be written as Infinity, which is not JSON.
        return number if math.isfinite(number) else format(value, "f")
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data) -> str:
    """UTF-8 JSON with real characters; Decimals become JSON numbers."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable, allow_nan=False) + "\n"


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


# CSV injection (OWASP): a spreadsheet that opens a CSV runs a field starting with one of these as a
# formula (=HYPERLINK(...), @SUM(...), +cmd|...). Agency names, labels and raw cells come from the web.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# Whether CSV/TSV text fields are escaped; `gdstat --no-escape-formulas` turns it off for pipelines.
escape_formulas = True


def defuse(text: str) -> str:
    """``text`` as a CSV field that no spreadsheet runs: prefixed with ``'`` when it starts with
    ``= + - @``, a tab or a CR and is not a number (``-5`` stays ``-5``)."""
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def restored(rows) -> list[dict]:
    """Rows (dicts) read from a CSV/TSV gdstat wrote, each text field as it was before ``defuse``:
    ``'=x`` is ``=x`` and ``'-`` is ``-``; any other text is kept (``'-5`` too: ``defuse`` leaves the
    number ``-5`` alone, so its quote was there before)."""
    def restore(text):
        return text[1:] if isinstance(text, str) and text.startswith("'") and defuse(text[1:]) == text else text

    return [{key: restore(text) for key, text in row.items()} for row in rows]


def to_delimited(headers: list[str], rows: list[list], delimiter: str = ",", escape: bool | None = None) -> str:
    """CSV or TSV; text fields defused (see ``defuse``) unless ``escape`` (default:
    ``escape_formulas``) is false."""
    escape = escape_formulas if escape is None else escape
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        texts = [cell_text(v) for v in row]
        writer.writerow([defuse(t) if escape and type(v) is str else t for t, v in zip(texts, row)])
    return out.getvalue()


def to_plain(blocks: list[Block], markdown: bool = False) -> str:
    from tabulate import tabulate

    parts = []
    for block in blocks:
        if block.title:
            parts.append(f"### {block.title}" if markdown else block.title)
        if block.headers:
            align = ["right" if i in block.right else "left" for i in range(len(block.headers))]
            parts.append(tabulate(block.rows, headers=block.headers, tablefmt="pipe" if markdown else "simple",
                                  colalign=align, disable_numparse=True,
                                  preserve_whitespace=True))  # row labels are indented to show the hierarchy
        elif block.rows:  # key-value lines
            parts.append(tabulate(block.rows, tablefmt="pipe" if markdown else "plain", disable_numparse=True))
        if block.note:
            parts.append(f"> {block.note}" if markdown else block.note)
        parts.append("")
    return "\n".join(parts)


def to_rich(blocks: list[Block], color: bool, width: int | None = None) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    out = io.StringIO()
    console = Console(file=out, force_terminal=color, no_color=not color, width=width or 100_000,
                      highlight=False, soft_wrap=False)
    for block in blocks:
        if block.rows:
            table = Table(title=block.title, show_header=bool(block.headers), box=box.SIMPLE_HEAVY, title_justify="left", title_style="bold",
                          caption=block.note, caption_justify="left", expand=False)
            for i, header in enumerate(block.headers or [""] * len(block.rows[0])):
                table.add_column(header, justify="right" if i in block.right else "left", overflow="fold")
            for row in block.rows:
                table.add_row(*row)
            console.print(table)
        else:
            if block.title:
                console.print(block.title, style="bold")
            if block.note:
                console.print(block.note)
            console.print()
    return out.getvalue()


def render(fmt: str, *, blocks=None, data=None, records=None, color: bool = False, width: int | None = None) -> str:
    """Render in one of ``table plain markdown csv tsv json`` (``auto`` resolved by the caller)."""
    if fmt == "json":
        return to_json(data)
    if fmt in ("csv", "tsv"):
        headers, rows = records
        return to_delimited(headers, rows, "\t" if fmt == "tsv" else ",")
    if fmt == "markdown":
        return to_plain(blocks, markdown=True)
    if fmt == "plain":
        return to_plain(blocks)
    return to_rich(blocks, color, width)
