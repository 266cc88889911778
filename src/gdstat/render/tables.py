"""Text tables in tabulate's ``simple``, ``plain`` and ``pipe`` layouts, for the plain and Markdown
renderers.

Importing tabulate costs about as much as starting gdstat (it imports importlib.metadata and
wcwidth) for tables of a few lines. So a table whose characters each have a width of their own
(ASCII, Latin-1, common punctuation and symbols, CJK, full-width forms) is laid out here exactly as
tabulate lays it out; any other text (combining marks, emoji, controls, colour codes, several lines),
whose width on a terminal follows grapheme rules, is left to tabulate.
"""

from __future__ import annotations

from bisect import bisect_right

# (first, last, width): code points whose terminal width is ``width`` alone and next to anything.
# Each agrees with wcwidth, tabulate's measure (tests/test_render.py checks every one).
WIDTHS = (
    (0x00A1, 0x00AC, 1), (0x00AE, 0x02FF, 1), (0x2010, 0x2027, 1), (0x2030, 0x205E, 1),
    (0x2100, 0x218B, 1), (0x2190, 0x22FF, 1), (0x2460, 0x24FF, 1), (0x2500, 0x259F, 1),
    (0x25A0, 0x25FC, 1), (0x26A0, 0x26A0, 1), (0x3000, 0x3029, 2), (0x3030, 0x303E, 2),
    (0x3041, 0x3096, 2), (0x309B, 0x30FF, 2), (0x3400, 0x4DBF, 2), (0x4E00, 0x9FFF, 2),
    (0xF900, 0xFAFF, 2), (0xFE30, 0xFE4F, 2), (0xFE50, 0xFE52, 2), (0xFE54, 0xFE66, 2),
    (0xFE68, 0xFE6B, 2), (0xFF01, 0xFF60, 2), (0xFF61, 0xFF9F, 1), (0xFFE0, 0xFFE6, 2),
)
_FIRSTS = [first for first, _, _ in WIDTHS]
MIN_PADDING = 2  # tabulate's room beside each header
# tabulate's layouts done here: (row's first and last, between cells, padding inside a cell).
LAYOUTS = {"plain": ("", "  ", ""), "simple": ("", "  ", ""), "pipe": ("|", "|", " ")}


def width(text: str) -> int | None:
    """Terminal cells of ``text``, or None when some character is outside ``WIDTHS`` and printable ASCII."""
    if text.isascii():
        return len(text) if text.isprintable() else None
    total = 0
    for char in text:
        code = ord(char)
        if 0x20 <= code <= 0x7E:
            total += 1
            continue
        first, last, cells = WIDTHS[bisect_right(_FIRSTS, code) - 1] if code >= 0xA1 else (0, -1, 0)
        if code > last:
            return None
        total += cells
    return total


def table(rows: list[list[str]], headers: list[str] | None = None, fmt: str = "plain",
          align: list[str] | None = None, preserve_whitespace: bool = False) -> str:
    """``tabulate(rows, headers, tablefmt=fmt, colalign=align, disable_numparse=True,
    preserve_whitespace=...)``, byte for byte."""
    laid = _laid_out(rows, headers or [], fmt, align, preserve_whitespace)
    if laid is not None:
        return laid
    from tabulate import tabulate

    return tabulate(rows, headers=headers or (), tablefmt=fmt, colalign=align, disable_numparse=True,
                    preserve_whitespace=preserve_whitespace)


def _laid_out(rows, headers, fmt, align, preserve_whitespace) -> str | None:
    """The table, or None when it needs tabulate: text that ``width`` does not measure, cells that
    are not strings, rows of another length than the first, no rows, a layout or alignment not here."""
    columns = len(headers) if headers else len(rows[0]) if rows else 0
    aligns = list(align) if align else ["left"] * columns
    if (fmt not in LAYOUTS or (fmt != "plain" and not headers) or not rows or not columns
            or any(len(row) != columns for row in rows) or len(aligns) != columns
            or not set(aligns) <= {"left", "right"}):
        return None
    cells = [list(row) for row in rows]
    if any(type(cell) is not str for row in cells for cell in row) or any(type(h) is not str for h in headers):
        return None
    widths = [[width(cell) for cell in row] for row in cells]
    header_widths = [width(header) for header in headers]
    if None in header_widths or any(None in row for row in widths):
        return None
    if not preserve_whitespace:
        cells = [[cell.strip() for cell in row] for row in cells]
        widths = [[width(cell) for cell in row] for row in cells]
    least = [w + MIN_PADDING for w in header_widths] if headers else [0] * columns
    column_widths = [max([least[i], *(row[i] for row in widths)]) for i in range(columns)]
    edge, separator, padding = LAYOUTS[fmt]
    texts, measured = ([headers, *cells], [header_widths, *widths]) if headers else (cells, widths)
    lines = []
    for row, row_widths in zip(texts, measured):
        padded = [_pad(cell, w, column_widths[i], aligns[i]) for i, (cell, w) in enumerate(zip(row, row_widths))]
        lines.append((edge + separator.join(f"{padding}{cell}{padding}" for cell in padded) + edge).rstrip())
    if fmt == "simple":
        lines.insert(1, "  ".join("-" * w for w in column_widths))
    elif fmt == "pipe":
        lines.insert(1, "|" + "|".join(_pipe_rule(aligns[i], w + 2) for i, w in enumerate(column_widths)) + "|")
    return "\n".join(lines)


def _pad(text: str, text_width: int, column_width: int, align: str) -> str:
    room = " " * (column_width - text_width)
    return room + text if align == "right" else text + room


def _pipe_rule(align: str, cells: int) -> str:
    """A dash line under a Markdown header, with a colon on the side the column is aligned to."""
    return "-" * (cells - 1) + ":" if align == "right" else ":" + "-" * (cells - 1)
