"""Static SVG charts through matplotlib's SVG backend, with text kept as text.

``svg.fonttype = 'none'`` writes every label as an SVG ``<text>`` in the page's font stack, so the
Chinese labels of a chart are selectable and searchable like the rest of the page. Label widths are
worked out from the characters (a CJK character is one em), not from whatever font matplotlib finds
on the machine, so a chart lays out the same everywhere.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import warnings
from decimal import Decimal

from gdstat.render import cell_text
from gdstat.writers.layout import text_width

# The page's font stack (Windows, macOS, Linux), then matplotlib's own font for measuring.
FONTS = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "SimSun", "DejaVu Sans"]
PALETTE = ["#1f5fa8", "#5b9bd5", "#2e8b57", "#9acd84", "#e0a030", "#c0504d", "#8064a2", "#7f7f7f", "#4bacc6",
           "#d98c5f"]
FONT_SIZE = 9.0  # points
_ids = itertools.count(1)


def _matplotlib():
    from gdstat.htmlreport.deps import require

    require()
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "gdstat", "font.family": ["sans-serif"], "font.sans-serif": FONTS,
        "font.size": FONT_SIZE,
        "axes.spines.top": False, "axes.spines.right": False, "axes.edgecolor": "#888888",
        "xtick.color": "#444444", "ytick.color": "#444444", "axes.titlesize": FONT_SIZE + 1,
    })
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # the stack is for browsers
    return Figure


def _inches(text: str, size: float = FONT_SIZE) -> float:
    """Width of a label in inches: one em a CJK character, half an em anything else."""
    return text_width(text) * size / 2 / 72


def _svg(fig) -> str:
    """The figure as inline SVG: no XML prolog, ids unique in the page, scaling with its box."""
    out = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # missing glyphs: the browser draws the text
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    prefix = f"g{next(_ids)}-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', lambda m: f'xlink:href="#{prefix}{m.group(1)}"', svg)
    svg = svg.replace("<svg ", '<svg class="chart" ', 1)
    return svg


def stacked_bar(parts: list[tuple[str, Decimal]], width: float = 10.5) -> str:
    """One bar of 100 %: each part a segment with its share, the labels in a legend below."""
    Figure = _matplotlib()
    shown = [(label, value) for label, value in parts if value]
    height = 0.75 + 0.22 * max(1, -(-len(shown) // 3))  # the bar, and the legend in rows of three
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0.01, 1 - 0.55 / height, 0.98, 0.4 / height))
    left = 0.0
    for i, (label, value) in enumerate(shown):
        ax.barh([0], [float(value)], left=left, color=PALETTE[i % len(PALETTE)], edgecolor="white", linewidth=0.8,
                label=f"{label} {cell_text(value)}%")
        if value >= 6:  # room for the figure inside the segment
            ax.text(left + float(value) / 2, 0, f"{cell_text(value)}%", ha="center", va="center", color="white",
                    fontsize=FONT_SIZE)
        left += float(value)
    ax.set_xlim(0, max(100.0, left))
    ax.set_axis_off()
    fig.legend(loc="lower left", ncol=3, frameon=False, fontsize=FONT_SIZE, bbox_to_anchor=(0.0, 0.0),
               handlelength=1.0, columnspacing=1.2)
    return _svg(fig)


def bars(items: list[tuple[str, Decimal | None]], unit: str = "%", width: float = 10.5) -> str:
    """Horizontal bars, one a label, the value written at its end; a value not defined is named so."""
    Figure = _matplotlib()
    labels = [label for label, _ in items]
    room = max((_inches(label) for label in labels), default=1.0) + 0.2
    height = 0.35 + 0.26 * len(items)
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((room / width, 0.25 / height, 1 - room / width - 0.6 / width, 1 - 0.35 / height))
    values = [float(v) if v is not None else 0.0 for _, v in items]
    ys = list(range(len(items)))[::-1]
    ax.barh(ys, values, color=PALETTE[0], height=0.62)
    top = max([100.0 if unit == "%" else 0.0, *values]) or 1.0
    for y, (_, value) in zip(ys, items):
        text = f"{cell_text(value)}{unit}" if value is not None else "—"
        ax.text(float(value or 0) + top * 0.01, y, text, va="center", fontsize=FONT_SIZE, color="#222222")
    ax.set_yticks(ys, labels)
    ax.set_xlim(0, top * 1.08)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 1)
    return _svg(fig)


def lines(title: str, years: list[str], values: list, marks: list[tuple[int, str]], unit: str = "",
          width: float = 3.6) -> str:
    """A line over the years, a dot a reported value, a gap where none; ``marks`` are dashed lines
    before the index of a year whose format changed, with their text."""
    Figure = _matplotlib()
    fig = Figure(figsize=(width, 2.1))
    ax = fig.add_axes((0.16, 0.16, 0.8, 0.66))
    xs = list(range(len(years)))
    ys = [float(v) if v is not None else float("nan") for v in values]
    ax.plot(xs, ys, color=PALETTE[0], marker="o", markersize=3.5, linewidth=1.6)
    for x, v in zip(xs, values):
        if v is not None:
            ax.annotate(f"{cell_text(v)}{unit}", (x, float(v)), textcoords="offset points", xytext=(0, 5),
                        ha="center", fontsize=FONT_SIZE - 1.5, color="#333333")
    numbers = [y for y in ys if y == y]
    top = max(numbers, default=1.0) or 1.0
    ax.set_ylim(min(0.0, *numbers) if numbers else 0.0, top * 1.4)
    for x, text in marks:
        ax.axvline(x - 0.5, color="#c0504d", linestyle="--", linewidth=1)
        ax.text(x - 0.45, top * 1.38, text, color="#c0504d", fontsize=FONT_SIZE - 1.5, va="top")
    ax.set_xticks(xs, years)
    ax.tick_params(labelsize=FONT_SIZE - 1)
    ax.set_title(title, loc="left", fontsize=FONT_SIZE + 1)
    return _svg(fig)


def dots(rows: list[tuple[str, list[tuple[float, bool]]]], width: float = 10.5) -> str:
    """One line per share: a dot per agency, outliers as red diamonds."""
    Figure = _matplotlib()
    room = max((_inches(label) for label, _ in rows), default=1.0) + 0.2
    height = 0.7 + 0.34 * len(rows)
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((room / width, 0.55 / height, 1 - room / width - 0.2 / width, 1 - 0.65 / height))
    ys = list(range(len(rows)))[::-1]
    for y, (_, points) in zip(ys, rows):
        plain = [x for x, out in points if not out]
        outliers = [x for x, out in points if out]
        ax.scatter(plain, [y] * len(plain), s=30, color=PALETTE[0], alpha=0.55, linewidths=0)
        ax.scatter(outliers, [y] * len(outliers), s=48, color="#c0504d", marker="D", linewidths=0)
    ax.set_yticks(ys, [label for label, _ in rows])
    ax.set_xlim(-2, 102)
    ax.set_xlabel("%", fontsize=FONT_SIZE - 1)
    ax.grid(axis="x", color="#eeeeee")
    ax.tick_params(axis="y", length=0)
    return _svg(fig)
