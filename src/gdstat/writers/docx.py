"""The narrative as an official-style Word document (python-docx, the ``docx`` extra).

Layout after GB/T 9704-2012 (党政机关公文格式): A4, margins 37 mm top, 35 mm bottom, 28 mm left,
26 mm right; body 仿宋_GB2312 三号 (16 pt) on a fixed 28.95 pt line (22 lines a page), first lines
indented two characters; first-level headings 黑体, second-level 楷体_GB2312, the title
方正小标宋简体 二号; page numbers "— 1 —" in 宋体 四号 at the foot. ``with_table`` adds the
statistics table after the prose, one Word table per table of the format.
"""

from __future__ import annotations

from pathlib import Path

from gdstat.narrate import Narrative

BODY, HEADING, SUBHEADING, TITLE, PAGE_NUMBER = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"
SIZE_BODY, SIZE_TITLE, SIZE_PAGE_NUMBER, SIZE_TABLE = 16, 22, 14, 10.5  # 三号, 二号, 四号, 五号
LINE = 28.95  # points: 22 lines in the 225 mm type area
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TYPE_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156 mm


def _font(run, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _paragraph(document, text: str, font: str, size: float = SIZE_BODY, indent: bool = False,
               center: bool = False, exact: bool = True):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _font(paragraph.add_run(text), font, size)
    return paragraph


def _page_numbers(section) -> None:
    """"— N —" centred in the footer (a PAGE field)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), PAGE_NUMBER, SIZE_PAGE_NUMBER)
    run = paragraph.add_run()
    _font(run, PAGE_NUMBER, SIZE_PAGE_NUMBER)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _font(paragraph.add_run(" —"), PAGE_NUMBER, SIZE_PAGE_NUMBER)


def _tables(document, narrative: Narrative) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from gdstat.catalog import load_format
    from gdstat.render.views import table_blocks

    zh = narrative.lang == "zh"
    report = narrative.report
    document.add_page_break()
    heading = "附件：统计表" if zh else "Annex: the statistics table"
    _paragraph(document, heading, HEADING, indent=True)
    fmt = load_format(report.format)
    _paragraph(document, fmt.title.format(agency=report.agency or "", year=report.year or "") if zh else fmt.name_en,
               TITLE, SIZE_BODY + 2, center=True)
    for block in table_blocks(fmt, report.values, {}, narrative.lang):
        keep = [i for i in range(len(block.headers)) if block.headers[i] or any(row[i] for row in block.rows)]
        if block.title:
            _paragraph(document, block.title, SUBHEADING, indent=True)
        table = document.add_table(rows=1 + len(block.rows), cols=len(keep))
        table.style = "Table Grid"
        table.autofit = False
        number = min(30, 90 / max(len(keep) - 1, 1))  # mm: the label column takes the rest of the type area
        widths = [Mm(TYPE_WIDTH_MM - number * (len(keep) - 1))] + [Mm(number)] * (len(keep) - 1)
        for column, width in zip(table.columns, widths):  # the grid (LibreOffice) and each cell (Word)
            column.width = width
        for r, (row, cells) in enumerate(zip([block.headers, *block.rows], table.rows)):
            for cell, i, width in zip(cells.cells, keep, widths):  # row by row: table.cell(r, c) walks the table
                cell.width = width
                paragraph = cell.paragraphs[0]
                if i in block.right and r:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _font(paragraph.add_run(row[i].replace("\u3000", "  ")), BODY, SIZE_TABLE, bold=r == 0)


def _mark(properties) -> None:
    """Say in the document's properties that gdstat narrate wrote it, so that a folder scan passes it
    over instead of reading its statistics table as a second copy of the report (gdstat.io.own)."""
    from gdstat import __version__
    from gdstat.io.own import NARRATE_MARK

    properties.author = "gdstat"
    properties.comments = f"{NARRATE_MARK} {__version__}"


def write_docx(narrative: Narrative, out: str | Path, force: bool = False, with_table: bool = False) -> Path:
    """Write ``narrative`` to ``out`` (.docx), atomically; the statistics table after it if asked."""
    from docx import Document
    from docx.shared import Mm

    from gdstat.outputs import atomic

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    _page_numbers(section)
    _mark(document.core_properties)
    _paragraph(document, narrative.title, TITLE, SIZE_TITLE, center=True, exact=False)
    _paragraph(document, "", BODY)
    for part in narrative.sections:
        _paragraph(document, part.heading, HEADING, indent=True)
        _paragraph(document, part.paragraph, BODY, indent=True)
    for note in narrative.notes:
        _paragraph(document, note, SUBHEADING, indent=True)
    if with_table:
        _tables(document, narrative)
    with atomic(out, force) as temp:
        document.save(str(temp))
    return Path(out)
