"""Published-report documents built for the tests from tests/fixtures/reports/printed-2021.tsv.

printed-2021.tsv is the 2021 statistics table as a browser copy prints it (one printed row per
line, cells separated by tabs, ``#`` lines are the report's section headings); expected-2021.tsv is
every official cell's value, written by hand. The functions here print that table the many ways
real copies do (see the fixture README), and as HTML and Word files with real spans.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reports"
TITLE = ["来凤县政务服务和大数据管理局", "2021年政府信息公开工作年度报告"]
PROSE = [
    "本年报中所列数据的统计期限从2021年1月1日起至2021年12月31日止。",
    "一、总体情况",
    "2021年，我局共收到政府信息公开申请9件，予以公开3件，全部在法定期限内办结。",
    "全年发生政府信息公开行政复议1件，行政诉讼1件。",
]
CLOSING = ["五、政府信息公开工作存在的主要问题及改进情况", "我局将进一步加强政府信息公开工作，提高公开质量。"]


def printed() -> list[list[str]]:
    """The printed rows; a section heading is a one-cell row starting with '#'."""
    rows = []
    for line in (FIXTURES / "printed-2021.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(line.split("\t"))
    return rows


def expected() -> dict[str, int]:
    out = {}
    for line in (FIXTURES / "expected-2021.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cell, value = line.split("\t")
            out[cell] = int(value)
    return out


def _text(rows: list[list[str]], row_line) -> str:
    lines = [*TITLE, *PROSE, "二、主动公开政府信息情况"]
    for row in rows:
        if row[0].startswith("#"):
            lines.append(row[0][1:])
            continue
        lines.extend(row_line(row))
    lines.extend(CLOSING)
    return "\n".join(lines) + "\n"


LAYOUTS = {
    # one cell per line
    "cell-per-line": lambda row: row,
    # one cell per line, blank lines between
    "cell-per-line-blank": lambda row: [x for cell in row for x in (cell, "")],
    # one row per line, cells separated by " | "
    "pipe-rows": lambda row: [" | ".join(row)],
    # one row per line, cells separated by tabs
    "tab-rows": lambda row: ["\t".join(row)],
    # every cell on its own line ending in "|"
    "cell-bar": lambda row: [f"{cell} |" for cell in row],
    # cell lines each followed by a line holding only "|"
    "bar-lines": lambda row: [x for cell in row for x in (cell, "|")],
    # the Word-table text: cells indented with a tab, rows separated by blank lines
    "word-indented": lambda row: [*(f"\t{cell}" for cell in row), ""],
    # one row per line with empty cells repeated at the end of every row
    "pipe-rows-padded": lambda row: [" | ".join(row) + " | ||"],
}


def layout_text(name: str, rows: list[list[str]] | None = None) -> str:
    return _text(rows or printed(), LAYOUTS[name])


# ----------------------------------------------------------------------------- spans, for HTML and docx


def spanned(rows: list[list[str]] | None = None) -> list[list[tuple[str, int, int]] | str]:
    """The printed table with the spans of the official layout: rows of (text, rowspan, colspan);
    a str item is a section heading outside the tables."""
    rows = rows or printed()
    out: list = []
    i = 0
    while i < len(rows):
        row = rows[i]
        if row[0].startswith("#"):
            out.append(row[0][1:])
        elif row[0].startswith("第二十条"):
            out.append([(row[0], 1, 4)])
        elif row[0].startswith("（本列数据"):
            out.append([(row[0], 3, 3), (row[1], 1, 7)])
        elif row[0] == "自然人":
            out.append([(row[0], 2, 1), (row[1], 1, 5), (row[2], 2, 1)])
        elif row[0] == "行政复议":
            out.append([(row[0], 1, 5), (row[1], 1, 10)])
        elif row[0] == "结果维持" and len(row) == 7:
            out.append([*((c, 2, 1) for c in row[:5]), (row[5], 1, 5), (row[6], 1, 5)])
        elif row[0].startswith("三、本年度办理结果"):
            # the outcome block: a rowspan over its 22 rows, groups spanning their items
            block = [row[1:]] + [r for r in rows[i + 1:i + 22]]
            first = True
            j = 0
            while j < len(block):
                cells = block[j]
                lead = [("三、本年度办理结果", 22, 1)] if first else []
                first = False
                if cells[0][:3] in ("（三）", "（四）", "（五）", "（六）"):
                    size = 1
                    while j + size < len(block) and block[j + size][0][:1].isdigit():
                        size += 1
                    out.append([*lead, (cells[0], size, 1), *((c, 1, 1) for c in cells[1:])])
                else:  # an item inside a group sits in the third column; a lone outcome spans two
                    width = 1 if cells[0][:1].isdigit() else 2
                    out.append([*lead, (cells[0], 1, width), *((c, 1, 1) for c in cells[1:])])
                j += 1
            i += 22
            continue
        elif row[0][:2] in ("一、", "二、", "四、") and len(row) == 8:
            out.append([(row[0], 1, 3), *((c, 1, 1) for c in row[1:])])
        else:
            out.append([(c, 1, 1) for c in row])
        i += 1
    return out


def html_page(rows=None, charset: str = "gbk") -> bytes:
    """A saved page: a layout table around the report, the statistics tables nested in it, &nbsp;."""
    body = []
    table: list[str] = []

    def flush():
        if table:
            body.append('<table border="1" cellspacing="0">' + "".join(table) + "</table>")
            table.clear()

    for item in spanned(rows):
        if isinstance(item, str):
            flush()
            body.append(f"<p><strong>{escape(item)}</strong></p>")
            continue
        if len(item) == 1 and item[0][0].startswith("第二十条"):
            flush()
        cells = "".join(
            f'<td rowspan="{r}" colspan="{c}"><p>&nbsp;{escape(t)}&nbsp;</p></td>' for t, r, c in item)
        table.append(f"<tr>{cells}</tr>\n")
    flush()
    head = "".join(f"<p>{escape(p)}</p>\n" for p in PROSE)
    tail = "".join(f"<p>{escape(p)}</p>\n" for p in CLOSING)
    page = (
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{TITLE[0]}{TITLE[1]}_来凤县人民政府</title><script>var a = '<td>1</td>';</script></head>"
        '<body><div class="nav">首页 &gt; 信息公开 &gt; 年度报告</div>'
        '<table width="100%"><tr><td class="left">栏目导航</td><td class="main">'
        f'<h1>{TITLE[0]}{TITLE[1]}</h1>\n{head}<p><strong>二、主动公开政府信息情况</strong></p>\n'
        + "\n".join(body) + f"\n{tail}</td></tr></table></body></html>"
    )
    return page.encode(charset)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r></w:p>"


def docx_file(path: Path, rows=None) -> Path:
    """A Word document whose tables use gridSpan and vMerge the way Word writes merged cells."""
    parts = [_para(TITLE[0]), _para(TITLE[1]), *(_para(p) for p in PROSE), _para("二、主动公开政府信息情况")]
    table: list[list[tuple[str, int, int]]] = []

    def flush():
        if not table:
            return
        # turn rowspans into vMerge restart/continue cells
        pending: dict[int, list] = {}  # column -> [remaining rows, colspan]
        xml_rows = []
        for item in table:
            cells_xml = []
            col = 0
            queue = list(item)
            while queue or any(k >= col for k in pending):
                if col in pending:
                    left, span = pending[col]
                    cells_xml.append(f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/><w:vMerge/></w:tcPr>{_para("")}</w:tc>')
                    pending[col][0] -= 1
                    if pending[col][0] == 0:
                        del pending[col]
                    col += span
                    continue
                if not queue:
                    break
                text, rowspan, colspan = queue.pop(0)
                merge = '<w:vMerge w:val="restart"/>' if rowspan > 1 else ""
                cells_xml.append(f'<w:tc><w:tcPr><w:gridSpan w:val="{colspan}"/>{merge}</w:tcPr>{_para(text)}</w:tc>')
                if rowspan > 1:
                    pending[col] = [rowspan - 1, colspan]
                col += colspan
            xml_rows.append("<w:tr>" + "".join(cells_xml) + "</w:tr>")
        parts.append("<w:tbl>" + "".join(xml_rows) + "</w:tbl>")
        table.clear()

    for item in spanned(rows):
        if isinstance(item, str):
            flush()
            parts.append(_para(item))
            continue
        if len(item) == 1 and item[0][0].startswith("第二十条"):
            flush()
        table.append(item)
    flush()
    parts.extend(_para(p) for p in CLOSING)
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>{"".join(parts)}</w:body></w:document>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", document)
    return path
