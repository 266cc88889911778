"""Plain-text and Markdown tables as tabulate lays them out, mostly without importing it.

Importing tabulate (and the wcwidth it loads for the width of CJK text) takes some 40 ms, more
than the rest of printing a comparison of seven years. The tables gdstat prints are simple: cells
of one line, of characters whose terminal width is certain. Those are laid out here exactly as
tabulate's ``simple``, ``pipe`` and ``plain`` formats lay them out (no number parsing). Any other
table (colour codes, line breaks, control characters, or text beyond ASCII, Latin-1, CJK and the
punctuation and symbols gdstat prints) goes to tabulate itself, so the layout is always tabulate's.
"""

from __future__ import annotations

import re

# Characters whose terminal width (as wcwidth gives it) is one cell, or two for the wide ones,
# whatever their neighbours: no combining marks, joiners or variation selectors among them.
NARROW = ("\x20-\x7e\xa0-\u024f\u2010-\u2027\u2030-\u205e\u20a0-\u20bf\u2100-\u214f\u2190-\u22ff\u2460-\u24ff"
          "\u2500-\u259f\u25a0-\u25fc\u26a0")
WIDE = ("\u3000-\u3029\u3030-\u303e\u3041-\u3096\u30a1-\u30fa\u3105-\u312f\u3200-\u321e\u3220-\u3247"
        "\u3250-\u32fe\u3300-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffe6")
_KNOWN = re.compile(f"[{NARROW}{WIDE}]*")


def width(text: str) -> int:
    """Terminal cells of ``text``, made only of NARROW and WIDE characters (every NARROW one is
    below U+3000, every WIDE one from it on)."""
    return len(text) if text.isascii() else len(text) + sum(ch >= "\u3000" for ch in text)


def table(rows: list[list[str]], headers: list[str] | None = None, align: list[str] | None = None,
          tablefmt: str = "plain") -> str:
    """``tabulate(rows, headers, tablefmt, colalign=align, disable_numparse=True)``; with headers,
    cells keep their leading and trailing spaces (``preserve_whitespace``: row labels are indented
    to show the hierarchy)."""
    if _plain_enough(rows, headers, align, tablefmt):
        return _layout(rows, headers, align, tablefmt)
    from tabulate import tabulate

    if headers:
        return tabulate(rows, headers=headers, tablefmt=tablefmt, colalign=align, disable_numparse=True,
                        preserve_whitespace=True)
    return tabulate(rows, tablefmt=tablefmt, disable_numparse=True)


def _plain_enough(rows, headers, align, tablefmt: str) -> bool:
    """Is the table one ``_layout`` lays out as tabulate would: rows of strings as many as the
    headers (or as each other), one line each, of characters of certain width?"""
    if not rows or tablefmt not in (("simple", "pipe") if headers else ("plain",)):
        return False
    columns = len(headers) if headers else len(rows[0])
    if not columns or headers and (align is None or len(align) != columns or any(a not in ("left", "right") for a in align)):
        return False
    cells = [*(headers or ()), *(cell for row in rows for cell in row)]
    return (all(len(row) == columns for row in rows) and all(type(cell) is str for cell in cells)
            and _KNOWN.fullmatch("".join(cells)) is not None)


def _layout(rows, headers, align, tablefmt: str) -> str:
    if not headers:  # tabulate strips cells unless told to keep their spaces, and aligns text left
        rows = [[cell.strip() for cell in row] for row in rows]
        align = ["left"] * len(rows[0])
    sized = [[(cell, width(cell)) for cell in row] for row in rows]
    head = [(h, width(h)) for h in headers] if headers else None
    least = [size + 2 for _, size in head] if head else [0] * len(align)  # tabulate's MIN_PADDING
    widths = [max(least[i], *(row[i][1] for row in sized)) for i in range(len(align))]

    def padded(cells) -> list[str]:
        return [cell + " " * (w - size) if a == "left" else " " * (w - size) + cell
                for (cell, size), w, a in zip(cells, widths, align)]

    if tablefmt == "pipe":
        def line(cells) -> str:
            return ("|" + "|".join(f" {cell} " for cell in padded(cells)) + "|").rstrip()

        rule = "|" + "|".join("-" * (w + 1) + ":" if a == "right" else ":" + "-" * (w + 1)
                              for w, a in zip(widths, align)) + "|"
    else:
        def line(cells) -> str:
            return "  ".join(padded(cells)).rstrip()

        rule = "  ".join("-" * w for w in widths).rstrip()
    lines = [line(head), rule] if head else []
    return "\n".join(lines + [line(row) for row in sized])
