"""The text tables of the plain and Markdown outputs: laid out as tabulate lays them out."""

from __future__ import annotations

import unicodedata

import wcwidth
from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from gdstat.render.tables import WIDTHS, _laid_out, table, width


def test_every_measured_character_has_the_width_tabulate_gives_it():
    for first, last, cells in WIDTHS:
        for code in range(first, last + 1):
            char = chr(code)
            assert wcwidth.wcswidth(char) == cells and wcwidth.wcswidth(char * 2) == 2 * cells, hex(code)
            assert unicodedata.category(char)[0] not in "MZ" or char == "\u3000", hex(code)  # no mark, no odd space


def test_text_beyond_the_measured_characters_is_not_measured():
    for text in ("a\tb", "a\nb", "\x1b[1;31m错误\x1b[0m", "e\u0301", "😀", "\u00a0", "\ufe0f", "\u200d"):
        assert width(text) is None


# Report text (CJK, full-width brackets, ≠, indents of U+3000) with what must go to tabulate mixed in.
PIECES = list("ab Z09-=+.|:") + ["\u3000", "中", "（", "）", "≠", "①", "Ⅱ", "，", "—", "é", "ア", "ｱ", "Ａ", "\u0301",
                                 "😀", "\t", "\n", "\x1b[1;31m", "\x1b[0m", "\u200d", "\u00a0"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.data())
def test_tables_are_laid_out_as_tabulate_does(data):
    columns = data.draw(st.integers(1, 4))
    rows = data.draw(st.lists(st.lists(TEXT, min_size=columns, max_size=columns), max_size=4))
    fmt = data.draw(st.sampled_from(["plain", "simple", "pipe"]))
    headers = data.draw(st.lists(TEXT, min_size=columns, max_size=columns)) if fmt != "plain" else []
    align = data.draw(st.none() | st.lists(st.sampled_from(["left", "right"]), min_size=columns, max_size=columns))
    preserve = data.draw(st.booleans())
    assert table(rows, headers, fmt, align, preserve) == tabulate(
        rows, headers=headers, tablefmt=fmt, colalign=align, disable_numparse=True, preserve_whitespace=preserve)


def test_ordinary_report_text_needs_no_tabulate():
    rows = [["（一）予以公开", "27", "≠ 73"], ["\u3000\u3000其中：主动公开", "6", ""]]
    assert _laid_out(rows, ["项目", "数量", "核对"], "simple", ["left", "right", "left"], True) is not None
    assert _laid_out([["文件", "x.xlsx"], ["公式", "34"]], [], "plain", None, False) is not None


def test_a_trend_of_several_years_needs_no_tabulate():
    """diff of three years or more draws a sparkline (▁…█) and marks a broken rule with ⚠."""
    rows = [["政府网站", "▁▃▅█", "⚠ 12"], ["政务微博", "█▅▃▁", ""]]
    laid = _laid_out(rows, ["项目", "趋势", "核对"], "simple", ["left", "left", "left"], True)
    assert laid is not None
    assert laid == tabulate(rows, headers=["项目", "趋势", "核对"], tablefmt="simple",
                            colalign=["left"] * 3, disable_numparse=True, preserve_whitespace=True)
