"""A corpus of generated reports, to measure how faithfully gdstat reads every layout.

``report(rng, format_id)`` draws a random report whose every equality of the format holds (row
totals, column sums, the table's balance); ``render(truth, layout, knob, rng, folder)`` prints it
the way one class of published copy does and returns the file. The truth of each cell is
``("number", n)`` or ``("blank", None)`` (a cell printed empty).

Layouts: ``xlsx`` (the official sheet), ``html``, ``script`` (the HTML in a JavaScript string
literal), ``docx``, and the text copies ``pipe``, ``tab``, ``cells`` (a cell per line), ``bars``
(a cell per line ending in `` |``) and ``markdown`` (pipe tables split by repeated captions).
Knobs degrade a copy: ``empty`` (zeros printed as empty cells), ``drop`` (empty cells dropped
from text), ``detach`` (labels on their own line above a bare row of numbers), ``split`` (a label
split over two cells), ``wrap`` (labels hard-wrapped), ``footers`` (page footers inside tables),
``cut`` (the page cut off inside a row).
"""

from __future__ import annotations

import random
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from gdstat.catalog import Table, format_ids, load_format

LAYOUTS = {
    "xlsx": ("none", "empty"),
    "html": ("none", "empty", "cut"),
    "script": ("none", "empty", "cut"),
    "docx": ("none", "empty"),
    "pipe": ("none", "empty", "drop", "detach", "split", "wrap", "footers", "cut"),
    "tab": ("none", "empty", "drop", "detach", "split", "wrap", "footers", "cut"),
    "cells": ("none", "empty", "drop", "detach", "wrap", "footers", "cut"),
    "bars": ("none", "empty", "drop", "detach", "wrap", "footers", "cut"),
    "markdown": ("none", "empty", "drop", "detach", "split", "wrap", "footers", "cut"),
}
CLASSES = {"xlsx": "spreadsheet", "html": "HTML", "script": "HTML in a script", "docx": "Word",
           "pipe": "text", "tab": "text", "cells": "text", "bars": "flattened HTML text", "markdown": "pseudo-Markdown"}
AGENCIES = ["示范县司法局", "示范市示范区人民政府", "示范市交通运输局", "示范镇人民政府", "示范市生态环境局"]
YEARS = {"legacy": range(2014, 2019), "2019": range(2019, 2021), "2021": range(2021, 2025)}


# ----------------------------------------------------------------------------- consistent values


def _equations(fmt):
    from gdstat.io.placement import _equations as equations

    return equations(fmt.id)


def _draw(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.5:
        return 0
    if roll < 0.9:
        return rng.randint(1, 12)
    return rng.randint(13, 600)


def report(rng: random.Random, format_id: str) -> dict[str, int | Decimal]:
    """Every official cell with a value; every equality of the format holds, no value is negative.
    Cells are drawn in a random order, leaves before totals; an equality left with one unknown
    cell fixes it; a draw that breaks one is drawn again."""
    fmt = load_format(format_id)
    equations = _equations(fmt)
    totals = {plus[0] for plus, minus in equations if len(plus) == 1}
    late = {plus[0] for plus, minus in equations if len(plus) > 1}  # 本年新收: what the balance leaves over
    cells = list(fmt.cells)
    for _ in range(1000):
        rng.shuffle(cells)
        cells.sort(key=lambda c: (c in totals, c in late))
        values: dict[str, int] = {}
        if _fill(rng, cells, equations, values):
            return {c: _decimal(fmt, c, v, rng) for c, v in values.items()}
    raise RuntimeError(f"no consistent report of {format_id} drawn")


def _fill(rng, cells, equations, values) -> bool:
    for cell in cells:
        if cell in values:
            continue
        values[cell] = _draw(rng)
        changed = True
        while changed:
            changed = False
            for plus, minus in equations:
                unknown = [c for c in (*plus, *minus) if c not in values]
                if len(unknown) > 1:
                    continue
                balance = sum(values.get(c, 0) for c in plus) - sum(values.get(c, 0) for c in minus)
                if not unknown:
                    if balance:
                        return False
                    continue
                value = -balance if unknown[0] in plus else balance
                if value < 0:
                    return False
                values[unknown[0]] = value
                changed = True
    return True


def _decimal(fmt, cell_id: str, value: int, rng: random.Random):
    cell = fmt.cells[cell_id]
    if cell.column is not None and cell.column.number == "decimal" and value and rng.random() < 0.5:
        return Decimal(value) + Decimal(rng.randint(1, 9)) / 10
    return value


# ----------------------------------------------------------------------------- the printed tables


class Rows(list):
    """A table's printed rows; ``spans`` gives (row, cell) -> (rowspan, colspan) where a grid merges cells."""

    spans: dict[tuple[int, int], tuple[int, int]]


def _table_rows(table: Table, text) -> Rows:
    """The printed rows of one table: caption, header, data rows (a group row as its label alone)."""
    rows = Rows()
    rows.spans = {}
    width = len(table.columns)
    if table.layout == "strip":
        tops = [row for row in table.rows if row.parent is None]
        r1, r2, r3 = [], [], []
        for row in tops:
            children = [r for r in table.rows if r.parent == row.id]
            rows.spans[(0, len(r1))] = (1, width * max(1, len(children)))
            r1.append(row.label)
            if children:
                for child in children:
                    rows.spans[(1, len(r2))] = (1, width)
                    r2.append(child.label)
                r3.extend(col.label for _ in children for col in table.columns)
            else:
                rows.spans.update({(1, len(r2) + i): (2, 1) for i in range(width)})
                r2.extend(col.label for col in table.columns)
        rows.extend([r1, r2, r3, [text(f"{row.id}@{col.id}") for row in table.data_rows for col in table.columns]])
        return rows
    if table.caption:
        rows.append([table.caption])
    if table.columns:
        rows.append([table.row_header or "项目", *(col.label for col in table.columns)])
    else:
        rows.append([table.row_header or "统计指标", table.unit_header or "单位", table.value_header or "统计数"])
    for row in table.rows:
        if not row.is_data:
            rows.append([row.label])
        elif table.columns:
            rows.append([row.label, *(text(table.cell_id(row, col)) for col in table.columns)])
        else:
            rows.append([row.label, row.unit or "——", text(row.id)])
    full = max(len(r) for r in rows)
    rows.spans.update({(r, 0): (1, full) for r, row in enumerate(rows) if len(row) == 1})
    return rows


def document(fmt, agency: str, year: int, text) -> list:
    """The report as blocks: a str is a line of prose or a heading, a list a table's rows."""
    blocks: list = [f"{agency}{year}年政府信息公开工作年度报告",
                    f"本年报中所列数据的统计期限从{year}年1月1日起至{year}年12月31日止。",
                    "一、总体情况", f"{year}年，本机关认真贯彻落实政府信息公开各项工作要求。"]
    section = None
    for table in fmt.tables:
        if table.section and table.section != section:
            section = table.section
            blocks.append(section)
        blocks.append(_table_rows(table, text))
    blocks.extend(["五、政府信息公开工作存在的主要问题及改进情况", "本机关将进一步加强政府信息公开工作。"])
    return blocks


# ----------------------------------------------------------------------------- layouts


def render(values: dict, format_id: str, layout: str, knob: str, rng: random.Random, folder: Path,
           name: str) -> tuple[Path, dict[str, tuple[str, object]]]:
    """The file of one generated document, and the truth of every cell as printed."""
    fmt = load_format(format_id)
    agency, year = rng.choice(AGENCIES), rng.choice(YEARS[format_id])
    empty = knob in ("empty", "drop") or (knob != "none" and rng.random() < 0.3)

    def text(cell_id: str) -> str:
        value = values[cell_id]
        return "" if empty and value == 0 else str(value)

    truth = {c: ("blank", None) if text(c) == "" else ("number", v) for c, v in values.items()}
    blocks = document(fmt, agency, year, text)
    path = folder / name
    if layout == "xlsx":
        from gdstat.writers.layout import build
        from gdstat.writers.xlsx import draw

        numbers = {c: v for c, v in values.items() if truth[c][0] == "number"}
        draw(build(fmt, agency, year), numbers).save(path.with_suffix(".xlsx"))
        return path.with_suffix(".xlsx"), truth
    if layout == "docx":
        return _docx(path.with_suffix(".docx"), blocks), truth
    if layout in ("html", "script"):
        page = _html(blocks, rng, layout == "script")
        if knob == "cut":
            page = _cut_html(page, rng)
        path = path.with_suffix(".html")
        path.write_text(page, encoding="utf-8")
        return path, truth
    lines = _text(blocks, layout, knob, rng)
    path = path.with_suffix(".md" if layout == "markdown" else ".txt")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, truth


def _numeric(text: str) -> bool:
    from gdstat.cells import parse

    return parse(text)[0] in ("number", "blank")


def _is_data(row: list[str]) -> bool:
    """A labelled row of values (not a caption, a header or Table C's bare row of numbers)."""
    return len(row) > 1 and not _numeric(row[0]) and _numeric(row[-1])


def _text(blocks: list, layout: str, knob: str, rng: random.Random) -> list[str]:
    lines: list[str] = []
    footer = iter(range(2, 100))
    cut_table = rng.randrange(sum(1 for b in blocks if isinstance(b, list))) if knob == "cut" else None
    tables = 0
    for block in blocks:
        if isinstance(block, str):
            lines.append(f"## {block}" if layout == "markdown" and len(block) < 30 else block)
            continue
        rows = block
        if layout == "markdown":
            lines.append("")
        for i, row in enumerate(rows):
            if knob == "footers" and i and i % 7 == 0:
                lines.append(f"— {next(footer)} —")
                if layout == "markdown":
                    lines.extend(["", f"## {rows[0][0]}", "", "|---" * max(2, len(row)) + "|"])
            label, cells = row[0], row[1:]
            data = _is_data(row)
            if knob == "drop":
                cells = [c for c in cells if c != ""]
            pieces = [label, *cells]
            if data and knob == "wrap" and len(label) > 6:
                cut = rng.randrange(3, len(label) - 2)
                lines.append(label[:cut])
                pieces = [label[cut:], *cells]
            if data and knob == "detach":
                lines.append(_line(layout, [label]))
                pieces = cells
            if data and knob == "split" and len(label) > 6:
                cut = rng.randrange(3, len(label) - 2)
                pieces = [label[:cut], label[cut:], *cells]
            if cut_table == tables and _numeric(row[-1]) and i >= len(rows) // 2:
                kept = rng.randrange(1, max(2, len(pieces)))
                lines.extend(_cells_out(layout, pieces[:kept]))
                return lines
            lines.extend(_cells_out(layout, pieces))
            if layout == "markdown" and i == 0:
                lines.append("|---" * max(2, len(row)) + "|")
        tables += 1
    return lines


def _line(layout: str, pieces: list[str]) -> str:
    if layout == "tab":
        return "\t".join(pieces)
    if layout == "markdown":
        return "| " + " | ".join(pieces) + " |"
    return " | ".join(pieces)


def _cells_out(layout: str, pieces: list[str]) -> list[str]:
    if layout == "cells":
        return [p for p in pieces if p] or [""]
    if layout == "bars":
        return [f"{p} |" if p else "|" for p in pieces]
    return [_line(layout, pieces)]


def _html(blocks: list, rng: random.Random, script: bool) -> str:
    body = []
    for block in blocks:
        if isinstance(block, str):
            body.append(f"<p>{escape(block)}</p>")
            continue
        rows = []
        for r, row in enumerate(block):
            cells = []
            for c, cell in enumerate(row):
                rowspan, colspan = block.spans.get((r, c), (1, 1))
                spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
                cells.append(f"<td{spans}>{escape(cell) if cell else '&nbsp;'}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        body.append('<table border="1" cellspacing="0">' + "".join(rows) + "</table>")
    markup = "".join(body)
    head = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>年度报告</title></head><body>'
    if not script:
        return head + "\n" + markup.replace("</tr>", "</tr>\n") + "\n</body></html>\n"
    literal = markup.replace("\\", "\\\\").replace('"', '\\"')
    return (head + '<div class="menu">首页 领导信息 机构职能</div>\n<script>\n'
            'var leaders = [{"name": "张三", "rank": 1}];\n'
            f'let content = "{literal}";\n'
            'document.getElementById("zoom").innerHTML = content;\n</script><div id="zoom"></div></body></html>\n')


def _cut_html(page: str, rng: random.Random) -> str:
    """A page saved before it finished loading: it stops inside a row of a later table."""
    marks = [i for i in range(len(page)) if page.startswith("<td>", i)]
    at = marks[rng.randrange(len(marks) // 2, len(marks))]
    return page[:at]


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _para(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _docx(path: Path, blocks: list) -> Path:
    parts = []
    for block in blocks:
        if isinstance(block, str):
            parts.append(_para(block))
            continue
        covered: dict[int, set[int]] = {}  # row -> grid columns a cell above spans down into
        rows = []
        for r, row in enumerate(block):
            cells, column = [], 0
            for c, cell in enumerate(row):
                while column in covered.get(r, ()):
                    cells.append(f'<w:tc><w:tcPr><w:vMerge/></w:tcPr>{_para("")}</w:tc>')
                    column += 1
                rowspan, colspan = block.spans.get((r, c), (1, 1))
                merge = '<w:vMerge w:val="restart"/>' if rowspan > 1 else ""
                cells.append(f'<w:tc><w:tcPr><w:gridSpan w:val="{colspan}"/>{merge}</w:tcPr>{_para(cell)}</w:tc>')
                for below in range(r + 1, r + rowspan):
                    covered.setdefault(below, set()).update(range(column, column + colspan))
                column += colspan
            rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
        parts.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
    document_xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>{"".join(parts)}</w:body></w:document>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         '<Default Extension="xml" ContentType="application/xml"/></Types>')
        archive.writestr("word/document.xml", document_xml)
    return path


# ----------------------------------------------------------------------------- scoring


def score(truth: dict[str, tuple[str, object]], read) -> dict[str, int]:
    """right / wrong / ambiguous / missing over the truth's cells. ``read`` is the Report, or None
    when the document was refused. A cell read with another value or kind is wrong; a cell an
    ``ambiguous-row`` note names and nothing read is ambiguous."""
    counts = {"right": 0, "wrong": 0, "ambiguous": 0, "missing": 0}
    values = read.values if read is not None else {}
    named = {c for n in (read.notes if read is not None else ()) if n.code == "ambiguous-row" for c in n.cells}
    for cell, (kind, number) in truth.items():
        value = values.get(cell)
        if value is None:
            counts["ambiguous" if cell in named else "missing"] += 1
        elif value.kind == kind and (kind != "number" or value.value == number):
            counts["right"] += 1
        else:
            counts["wrong"] += 1
    return counts


def documents(seed: int, count: int):
    """(format, layout, knob, rng) for ``count`` documents, every layout and knob in turn."""
    rng = random.Random(seed)
    combos = [(layout, knob) for layout, knobs in LAYOUTS.items() for knob in knobs]
    formats = list(format_ids())
    for i in range(count):
        layout, knob = combos[i % len(combos)]
        yield formats[(i // len(combos)) % len(formats)], layout, knob, random.Random(rng.random())
