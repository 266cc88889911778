"""Plain-text and Markdown tables are laid out exactly as tabulate lays them out, whether gdstat
lays them out itself or hands them to tabulate."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import wcwidth
from hypothesis import given, settings, strategies as st
from tabulate import tabulate

from gdstat.render import plain
from gdstat.render.plain import table

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-district"


def tabulated(rows, headers=None, align=None, tablefmt="plain") -> str:
    """What to_plain asked tabulate for before gdstat laid tables out itself."""
    if headers:
        return tabulate(rows, headers=headers, tablefmt=tablefmt, colalign=align, disable_numparse=True,
                        preserve_whitespace=True)
    return tabulate(rows, tablefmt=tablefmt, disable_numparse=True)


def ranges(spec: str):
    """The code points of a regex character class body made of single characters and ranges."""
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            yield from range(ord(spec[i]), ord(spec[i + 2]) + 1)
            i += 3
        else:
            yield ord(spec[i])
            i += 1


@pytest.mark.parametrize("spec, cells", [(plain.NARROW, 1), (plain.WIDE, 2)])
def test_every_character_of_certain_width_has_it_in_wcwidth(spec, cells):
    wrong = [hex(c) for c in ranges(spec) if wcwidth.wcswidth(chr(c)) != cells]
    assert not wrong
    assert all((c >= 0x3000) == (cells == 2) for c in ranges(spec))  # what plain.width counts on


KNOWN = [chr(c) for c in (*ranges(plain.NARROW), *ranges(plain.WIDE))][::37] + list(" \u3000北仑区（）·—⚠▁█−≤≠")
OTHER = ["\n", "\r", "\t", "\x01", "\x1b[31m", "\x1b[0m", "\u0301", "\u200d", "\ufe0f", "☔", "😀", "\u1100", "\U00020000"]
text = st.lists(st.sampled_from(KNOWN + OTHER), max_size=8).map("".join)


@st.composite
def tables(draw):
    columns = draw(st.integers(1, 5))
    row = st.lists(text, min_size=columns, max_size=columns)
    if draw(st.booleans()):
        row = st.lists(text, min_size=1, max_size=5)  # ragged rows
    rows = draw(st.lists(row, max_size=5))
    headers = draw(st.one_of(st.none(), st.lists(text, min_size=columns, max_size=columns)))
    align = [draw(st.sampled_from(["left", "right"])) for _ in range(columns)] if headers else None
    tablefmt = draw(st.sampled_from(["simple", "pipe"])) if headers else "plain"
    return rows, headers, align, tablefmt


@settings(max_examples=300, deadline=None)
@given(tables())
def test_any_table_is_laid_out_as_tabulate_does(case):
    assert table(*case) == tabulated(*case)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.text(st.sampled_from(KNOWN), max_size=6), min_size=n, max_size=n),
             min_size=1, max_size=6),
    st.lists(st.text(st.sampled_from(KNOWN), max_size=6), min_size=n, max_size=n),
    st.lists(st.sampled_from(["left", "right"]), min_size=n, max_size=n),
    st.sampled_from(["simple", "pipe"]))))
def test_tables_of_known_characters_are_laid_out_here_as_tabulate_does(case):
    rows, headers, align, tablefmt = case
    assert plain._plain_enough(rows, headers, align, tablefmt)
    assert table(rows, headers, align, tablefmt) == tabulated(rows, headers, align, tablefmt)
    assert table(rows) == tabulated(rows)


def test_a_comparison_in_plain_text_needs_no_tabulate(monkeypatch):
    from gdstat.diff import diff
    from gdstat.render import diff_views, to_plain

    result = diff([DEMO / f"{year}.xlsx" for year in range(2017, 2024)])
    for lang in ("zh", "en"):
        blocks = diff_views.diff_blocks(result, lang)
        for markdown in (False, True):
            expected = to_plain(blocks, markdown=markdown)
            with monkeypatch.context() as patched:
                patched.setitem(sys.modules, "tabulate", None)  # importing it would fail
                assert to_plain(blocks, markdown=markdown) == expected
            for block in blocks:
                if block.headers:
                    align = ["right" if i in block.right else "left" for i in range(len(block.headers))]
                    for tablefmt in ("simple", "pipe"):
                        assert table(block.rows, block.headers, align, tablefmt) == tabulated(
                            block.rows, block.headers, align, tablefmt)
                elif block.rows:
                    assert table(block.rows) == tabulated(block.rows)
