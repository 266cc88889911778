"""Renderers: the same result as a Rich table, plain text, Markdown, CSV/TSV or JSON.

A command's result is turned into ``Block``s (titled tables of strings) for people and into
records or ``to_dict()`` for machines; the renderers here know nothing about reports.

Its dataclasses are made without ``from __future__ import annotations`` and with docstrings, which
spares ``dataclass`` work at every start (see ``gdstat.catalog.model``).
"""

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
    """A titled table of strings for people, with its right-aligned columns and a note."""

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
    import csv

    escape = escape_formulas if escape is None else escape
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        texts = [cell_text(v) for v in row]
        writer.writerow([defuse(t) if escape and type(v) is str else t for t, v in zip(texts, row)])
    return out.getvalue()


def to_jsonl(headers: list[str], rows: list[list]) -> str:
    """One JSON object a line, keyed by the headers: the rows of CSV, for tools that stream."""
    return "".join(json.dumps(dict(zip(headers, row)), ensure_ascii=False, default=_jsonable) + "\n" for row in rows)


# Colour on a terminal (or with --color always / FORCE_COLOR): severities, and totals that do not add up.
_STYLES = {"错误": "bold red", "error": "bold red", "警告": "yellow", "warning": "yellow"}
_ANSI = {"bold red": "\x1b[1;31m", "yellow": "\x1b[33m"}


def cell_style(text: str) -> str | None:
    if text in _STYLES:
        return _STYLES[text]
    return "bold red" if "≠" in text else None


def _painted(rows: list[list[str]]) -> list[list[str]]:
    return [[f"{_ANSI[style]}{cell}\x1b[0m" if (style := cell_style(cell)) else cell for cell in row] for row in rows]


def to_plain(blocks: list[Block], markdown: bool = False, color: bool = False) -> str:
    from gdstat.render.tables import table

    parts = []
    for block in blocks:
        if block.title:
            parts.append(f"### {block.title}" if markdown else block.title)
        if block.headers:
            align = ["right" if i in block.right else "left" for i in range(len(block.headers))]
            rows = _painted(block.rows) if color and not markdown else block.rows
            parts.append(table(rows, block.headers, "pipe" if markdown else "simple", align,
                               preserve_whitespace=True))  # row labels are indented to show the hierarchy
        elif block.rows and markdown:  # key-value lines: a list, since a GFM table needs a header row
            parts.append("\n".join(f"- **{key}**: {value}" for key, value in block.rows) + "\n")
        elif block.rows:
            parts.append(table(block.rows))
        if block.note:
            parts.append(f"> {block.note}" if markdown else block.note)
        parts.append("")
    return "\n".join(parts)


# Where a label may break on a narrow terminal: after Chinese punctuation, before an opening bracket.
_BREAK_AFTER = set("，、。；：）)」”/")
_BREAK_BEFORE = set("（(「“")
MIN_LABEL = 12  # cells of a label column below which a table is stacked instead


def wrap_label(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` terminal cells, broken at punctuation where that keeps
    the line at least half full (a label reads ``（二）部分公开`` / ``（区分处理的，…``, not four
    characters a line)."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    lines, line, last_break = [], "", -1
    for ch in text:
        if ch in _BREAK_BEFORE and line.strip("\u3000"):
            last_break = len(line)
        if cell_len(line + ch) > width:
            cut = last_break if cell_len(line[:max(last_break, 0)]) * 2 >= width else len(line)
            lines.append(line[:cut])
            line, last_break = line[cut:], -1
        line += ch
        if ch in _BREAK_AFTER:
            last_break = len(line)
    return "\n".join([*lines, line])


def _rigid(cells: list[str]) -> bool:
    """Numbers, codes and ids: never split."""
    return all(cell.isascii() and " " not in cell.strip() for cell in cells)


def _stacked(block: Block) -> list[str]:
    """A table too wide for the terminal, one row after another: its label, then header: value."""
    lines = [block.title] if block.title else []
    for row in block.rows:
        lines.append(row[0].strip("\u3000") or "")
        lines += [f"  {header or '—'}: {cell}" for header, cell in zip(block.headers[1:], row[1:]) if cell]
    if block.note:
        lines.append(block.note)
    return lines


def _fitted(block: Block, width: int):
    """Column widths for a terminal ``width`` wide, with labels and headers pre-wrapped; None when
    even the narrowest labels do not fit (the block is then stacked)."""
    from rich.cells import cell_len

    headers = block.headers or [""] * len(block.rows[0])
    columns = list(zip(*block.rows))
    rigid = {i: max([4, *(cell_len(c) for c in columns[i])]) for i in range(1, len(headers)) if _rigid(columns[i])}
    flexible = [i for i in range(len(headers)) if i not in rigid]
    room = width - sum(rigid.values()) - 3 * len(headers) - 1  # padding and a rule between columns
    if flexible and room // len(flexible) < MIN_LABEL:
        return None
    share = {i: room // len(flexible) for i in flexible}
    widths = {**rigid, **share}
    headers = [wrap_label(h, widths[i]) for i, h in enumerate(headers)]
    rows = [[cell if i in rigid else wrap_label(cell, widths[i]) for i, cell in enumerate(row)] for row in block.rows]
    return headers, rows, widths, rigid


def to_rich(blocks: list[Block], color: bool, width: int | None = None) -> str:
    """Rich tables. On a terminal (``width`` given) numbers and codes are never split, labels wrap
    at punctuation, and a table too wide even so is stacked row by row."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    out = io.StringIO()
    console = Console(file=out, force_terminal=color, no_color=not color, width=width or 100_000,
                      highlight=False, soft_wrap=False)
    for block in blocks:
        if block.rows:
            headers, rows, widths, rigid = block.headers or [""] * len(block.rows[0]), block.rows, {}, {}
            if width is not None and block.headers:
                fitted = _fitted(block, width)
                if fitted is None:
                    console.print("\n".join(_stacked(block)), markup=False)
                    console.print()
                    continue
                headers, rows, widths, rigid = fitted
            table = Table(title=block.title, show_header=bool(block.headers), box=box.SIMPLE_HEAVY, title_justify="left", title_style="bold",
                          caption=block.note, caption_justify="left", expand=False)
            for i, header in enumerate(headers):
                table.add_column(header, justify="right" if i in block.right else "left", overflow="fold",
                                 width=widths.get(i))
            for row in rows:
                table.add_row(*(Text(cell, style=cell_style(cell) or "") if color else cell for cell in row))
            console.print(table)
        else:
            if block.title:
                console.print(block.title, style="bold")
            if block.note:
                console.print(block.note)
            console.print()
    return out.getvalue()


def render(fmt: str, *, blocks=None, data=None, records=None, color: bool = False, width: int | None = None) -> str:
    """Render in one of ``table plain markdown csv tsv json jsonl`` (``auto`` resolved by the caller)."""
    if fmt == "json":
        return to_json(data)
    if fmt == "jsonl":
        return to_jsonl(*records)
    if fmt in ("csv", "tsv"):
        headers, rows = records
        return to_delimited(headers, rows, "\t" if fmt == "tsv" else ",")
    if fmt == "markdown":
        return to_plain(blocks, markdown=True)
    if fmt == "plain":
        return to_plain(blocks, color=color)
    return to_rich(blocks, color, width)
