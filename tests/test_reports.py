"""Published reports as input: text copies in every layout, HTML pages, Word documents; values
placed only when certain, cut-off and table-less reports, metadata, the narrative check."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest
from typer.testing import CliRunner

import reportdocs as docs
from gdstat import load
from gdstat.catalog import load_format
from gdstat.cli import app
from gdstat.errors import InputError
from gdstat.rules import check

from conftest import FIXTURES

REPORTS = FIXTURES / "reports"
BEILUN = REPORTS / "beilun-2018-report.txt"


def values(report) -> dict:
    return {cell: v.value for cell, v in report.values.items() if v.kind == "number"}


def codes(report) -> list[str]:
    return [n.code for n in report.notes]


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# ----------------------------------------------------------------------------- the sample report


def test_beilun_report_is_read_completely():
    report = load(BEILUN)
    assert (report.format, report.agency, report.year) == ("legacy", "宁波市北仑区（开发区）", 2018)
    printed = [int(line.rsplit("\t", 1)[1]) for line in (FIXTURES / "beilun-2018-table.tsv").read_text("utf-8").splitlines()
               if line and not line.startswith("#")]
    table = load_format("legacy").tables[0]
    read = [report.values[row.id].value for row in table.data_rows]
    assert read == printed  # every value of the nine sections, in official order
    assert len(read) == 58
    assert report.source.kind == "text"


def test_beilun_locations_are_lines_of_the_file():
    report = load(BEILUN)
    lines = BEILUN.read_text("utf-8").splitlines()
    for cell in ("legacy.active.total", "legacy.apply.received", "legacy.apply.replies.not_exist"):
        value = report.values[cell]
        assert lines[value.location.line - 1].strip() == str(value.value)


def test_beilun_prose_agrees_with_its_table():
    report = load(BEILUN)
    assert "narrative-mismatch" not in codes(report)
    assert not [f for f in check(report) if f.severity == "error"]


def test_beilun_prose_mismatch_is_a_warning_quoting_the_sentence(tmp_path):
    text = BEILUN.read_text("utf-8").replace("有效政府信息公开申请72件", "有效政府信息公开申请75件")
    report = load(write(tmp_path, "beilun.txt", text))
    notes = [n for n in report.notes if n.code == "narrative-mismatch"]
    assert len(notes) == 1
    assert "75" in notes[0].message and "72" in notes[0].message and "有效政府信息公开申请75件" in notes[0].message
    assert notes[0].cells == ("legacy.apply.received",)
    assert text.splitlines()[notes[0].location.line - 1].count("75件") == 1
    finding = next(f for f in check(report) if f.code == "narrative-mismatch")
    assert finding.severity == "warning" and finding.where.endswith(f":{notes[0].location.line}")


# ----------------------------------------------------------------------------- text layouts


@pytest.mark.parametrize("layout", sorted(docs.LAYOUTS))
def test_every_layout_puts_every_value_in_its_cell(tmp_path, layout):
    report = load(write(tmp_path, f"{layout}.txt", docs.layout_text(layout)))
    assert report.format == "2021"
    assert values(report) == docs.expected()
    assert (report.agency, report.year) == ("来凤县政务服务和大数据管理局", 2021)
    assert not report.notes, report.notes


def test_traditional_characters_with_pinyin_glosses(tmp_path):
    import opencc

    text = opencc.OpenCC("s2t").convert(docs.layout_text("cell-per-line"))
    text = text.replace("數", "數(shù)").replace("據", "據(jù)").replace("處", "處(chù)")
    assert "數(shù)量" in text
    report = load(write(tmp_path, "traditional.txt", text))
    assert values(report) == docs.expected()


def test_question_marks_for_non_breaking_spaces(tmp_path):
    text = docs.layout_text("pipe-rows").replace(" | ", "?|??").replace("商业 企业", "商业?企业")
    text = "\n".join("??" + line for line in text.splitlines())
    report = load(write(tmp_path, "marks.txt", text))
    assert values(report) == docs.expected()


def test_a_label_replaced_by_spam_is_placed_by_its_neighbours(tmp_path):
    text = docs.layout_text("cell-per-line").replace("5.属于三类内部事务信息", "5.beat365官方网站大全信息")
    text = text.replace("2.重复申请", "2.重复申请体育官网")  # spam added to a label
    report = load(write(tmp_path, "spam.txt", text))
    assert values(report) == docs.expected()


def test_gbk_text_is_read(tmp_path):
    report = load(write(tmp_path, "gbk.txt", docs.layout_text("tab-rows"), "gbk"))
    assert values(report) == docs.expected() and report.source.encoding == "gb18030"


# ----------------------------------------------------------------------------- placing numbers


def _with_row(cells_of_row: dict[str, list[str]]) -> list[list[str]]:
    rows = docs.printed()
    for row in rows:
        if row[0] in cells_of_row:
            row[-7:] = cells_of_row[row[0]]
    return rows


def test_dropped_empty_cells_make_an_ambiguous_row_quoting_its_numbers(tmp_path):
    rows = _with_row({"2.重复申请": ["1", "", "", "", "", "", "1"]})
    text = docs._text(rows, lambda row: [c for c in row if c])  # a copy that drops empty cells
    report = load(write(tmp_path, "dropped.txt", text))
    notes = [n for n in report.notes if n.code == "ambiguous-row"]
    assert len(notes) == 1
    assert "1、1" in notes[0].message and "重复申请" in notes[0].message
    assert set(notes[0].cells) == {f"outcome.not_processed.repeated@{c.id}" for c in load_format("2021").table("requests").columns}
    got = values(report)
    assert not any(cell.startswith("outcome.not_processed.repeated@") for cell in got)  # nothing guessed
    others = {k: v for k, v in docs.expected().items() if not k.startswith("outcome.not_processed.repeated@")}
    assert {k: got[k] for k in others} == others
    lines = text.splitlines()
    assert "重复申请" in lines[notes[0].location.line - 1]


def test_kept_empty_cells_are_placed_as_blanks(tmp_path):
    rows = _with_row({"2.重复申请": ["1", "", "", "", "", "", "1"]})
    report = load(write(tmp_path, "kept.txt", docs._text(rows, lambda row: [" | ".join(row)])))
    assert "ambiguous-row" not in codes(report)
    assert report.values["outcome.not_processed.repeated@natural_person"].value == 1
    assert report.values["outcome.not_processed.repeated@total"].value == 1
    assert report.values["outcome.not_processed.repeated@business"].kind == "blank"


def test_columns_follow_the_printed_header_order(tmp_path):
    rows = docs.printed()
    for row in rows:  # Table A printed with its columns in another order
        if row[0] == "信息内容" and len(row) == 4:
            row[1:] = ["现行有效件数", "本年制发件数", "本年废止件数"]
        if row[0] == "行政规范性文件":
            row[1:] = ["5", "2", "1"]
    report = load(write(tmp_path, "order.txt", docs._text(rows, lambda row: [" | ".join(row)])))
    assert report.values["regulations.normative@issued"].value == 2
    assert report.values["regulations.normative@repealed"].value == 1
    assert report.values["regulations.normative@in_force"].value == 5


# ----------------------------------------------------------------------------- partial and missing tables


def test_page_cut_off_mid_table_gives_what_is_there():
    report = load(REPORTS / "yanliang-2021-cut.txt")
    assert (report.format, report.agency, report.year) == ("2021", "阎良区信访局", 2021)
    got = values(report)
    assert got["requests.new@total"] == 0 and got["regulations.rules@issued"] == 0
    assert not any(c.startswith(("requests.carried_over", "outcome.", "review@")) for c in report.values)
    incomplete = [n for n in report.notes if n.code == "table-incomplete"]
    assert len(incomplete) == 1
    assert "二、上年结转政府信息公开申请数量" in incomplete[0].message and "行政复议" in incomplete[0].message
    assert "requests.carried_forward@total" in incomplete[0].cells
    assert "missing-row" not in codes(report) and "missing-table" not in codes(report)
    assert report.values["enforcement.coercion@decisions"].kind == "blank"  # printed empty


def test_page_cut_off_between_tables_names_the_tables_never_reached():
    report = load(REPORTS / "dttz-2021-cut.txt")
    assert len(values(report)) == 9
    notes = [n for n in report.notes if n.code == "table-incomplete"]
    assert len(notes) == 1 and "收到和处理政府信息公开申请情况" in notes[0].message


def test_cut_inside_a_row_keeps_the_numbers_printed(tmp_path):
    text = docs.layout_text("pipe-rows")
    cut = text.index("二、上年结转政府信息公开申请数量")
    text = text[:cut] + "二、上年结转政府信息公开申请数量 | 1 | 0"
    report = load(write(tmp_path, "cut.txt", text))
    assert report.values["requests.carried_over@natural_person"].value == 1
    assert report.values["requests.carried_over@business"].value == 0
    assert "requests.carried_over@research" not in report.values
    assert codes(report).count("table-incomplete") == 2


@pytest.mark.parametrize("name", ["shpt-2022h1-no-table.txt", "laifeng-2021-head.txt", "hadhgd-2021-spam-head.txt"])
def test_report_without_a_table_is_refused(name):
    with pytest.raises(InputError, match="no statistics table found"):
        load(REPORTS / name)


def test_table_less_report_exits_3_through_the_cli(english):
    result = CliRunner().invoke(app, ["summarize", str(REPORTS / "shpt-2022h1-no-table.txt")])
    assert result.exit_code == 3
    assert "no statistics table found" in result.stderr and result.stdout == ""


# ----------------------------------------------------------------------------- HTML and Word


def test_html_page_with_spans_layout_tables_and_gbk(tmp_path):
    path = tmp_path / "report.html"
    path.write_bytes(docs.html_page(charset="gbk"))
    report = load(path)
    assert report.source.kind == "html" and report.source.encoding == "gb18030"
    assert values(report) == docs.expected()
    assert (report.agency, report.year) == ("来凤县政务服务和大数据管理局", 2021)
    assert not report.notes
    # locations are lines of the page: the line of the row's <tr>
    value = report.values["outcome.total@total"]
    assert "（七）总计" in path.read_bytes().decode("gbk").splitlines()[value.location.line - 1]


def test_html_page_in_utf8_with_a_flattened_table(tmp_path):
    """A page whose table was pasted as paragraphs, one cell per <p>: read from the page's text."""
    cells = "".join(f"<p>{cell}</p>" for row in docs.printed() for cell in row if not cell.startswith("#"))
    page = (f"<html><head><meta charset='utf-8'><title>{''.join(docs.TITLE)}</title></head><body>"
            f"{''.join(f'<p>{p}</p>' for p in docs.PROSE)}{cells}</body></html>")
    report = load(write(tmp_path, "flat.htm", page))
    assert values(report) == docs.expected()
    assert report.source.kind == "html"


def test_html_page_without_a_table_is_refused(tmp_path):
    page = "<html><body><p>2021年政府信息公开工作年度报告</p><p>本年度无依申请公开事项。</p></body></html>"
    with pytest.raises(InputError, match="no statistics table found"):
        load(write(tmp_path, "none.html", page))


def test_word_document_tables_with_merged_cells(tmp_path):
    report = load(docs.docx_file(tmp_path / "report.docx"))
    assert report.source.kind == "docx"
    assert values(report) == docs.expected()
    assert (report.agency, report.year) == ("来凤县政务服务和大数据管理局", 2021)
    assert not report.notes


def test_word_document_narrative_mismatch(tmp_path, monkeypatch):
    monkeypatch.setattr(docs, "PROSE", [p.replace("予以公开3件", "予以公开4件") for p in docs.PROSE])
    report = load(docs.docx_file(tmp_path / "report.docx"))
    notes = [n for n in report.notes if n.code == "narrative-mismatch"]
    assert len(notes) == 1 and "予以公开4件" in notes[0].message and notes[0].cells == ("outcome.disclosed@total",)


# ----------------------------------------------------------------------------- metadata and narrative


def test_metadata_from_a_spam_mirror_title_is_not_invented():
    from gdstat.io.textreport import title_metadata

    agency, year = title_metadata((REPORTS / "hadhgd-2021-spam-head.txt").read_text("utf-8"))
    assert year == 2021 and agency is None
    agency, year = title_metadata((REPORTS / "bjtchw-2019-spam-head.txt").read_text("utf-8"))
    assert year == 2019


@pytest.mark.parametrize("sentence, mismatch", [
    ("共收到政府信息公开申请9件。", False),          # 新收 (B1)
    ("共收到政府信息公开申请10件。", False),         # 新收 + 上年结转 (B1 + B2), formats.md E7b
    ("共收到政府信息公开申请12件。", True),
    ("予以公开及部分公开5件。", False),              # B3.1 + B3.2
    ("予以公开及部分公开3件。", True),               # one cell quoted as the pair (the 上海 2019 error)
    ("行政诉讼1件。", False),
    ("行政诉讼3件。", True),
    ("其中，本级收到申请2件。", False),              # a part: passed over
])
def test_narrative_readings(tmp_path, sentence, mismatch):
    text = docs.layout_text("pipe-rows").replace(docs.PROSE[2], sentence)
    report = load(write(tmp_path, "n.txt", text))
    assert ("narrative-mismatch" in codes(report)) is mismatch


# ----------------------------------------------------------------------------- the CLI


def test_validate_reports_the_new_findings_as_json(tmp_path):
    text = docs.layout_text("cell-per-line").replace("予以公开3件", "予以公开8件")
    path = write(tmp_path, "r.txt", text)
    result = CliRunner().invoke(app, ["validate", str(path), "-f", "json", "--fail-on", "warning"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    (finding,) = [f for f in data["files"][0]["findings"] if f["code"] == "narrative-mismatch"]
    assert finding["severity"] == "warning" and finding["location"]["path"] == str(path)
    assert finding["location"]["line"] > 0


def test_summarize_a_report_through_a_subprocess():
    out = subprocess.run([sys.executable, "-m", "gdstat", "summarize", str(BEILUN), "-f", "json"],
                         capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    assert data["report"] == {"format": "legacy", "agency": "宁波市北仑区（开发区）", "year": 2018}
    assert data["source"]["kind"] == "text"


# ----------------------------------------------------------------------------- extract


def test_extract_writes_the_official_xlsx_which_reads_back(tmp_path):
    out = tmp_path / "beilun.xlsx"
    result = CliRunner().invoke(app, ["extract", str(BEILUN), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    back = load(out)
    assert back.source.kind == "xlsx" and (back.format, back.year) == ("legacy", 2018)
    assert values(back) == values(load(BEILUN))


def test_extract_refuses_to_replace_an_output_without_force(tmp_path, english):
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"keep")
    result = CliRunner().invoke(app, ["extract", str(BEILUN), "-o", str(out)])
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert out.read_bytes() == b"keep"
    assert CliRunner().invoke(app, ["extract", str(BEILUN), "-o", str(out), "--force"]).exit_code == 0
    assert load(out).format == "legacy"


def test_extract_tidy_csv_and_json_have_every_official_cell(tmp_path):
    import csv

    path = tmp_path / "r.html"
    path.write_bytes(docs.html_page())
    out = tmp_path / "r.csv"
    assert CliRunner().invoke(app, ["extract", str(path), "-o", str(out)]).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == len(load_format("2021").cells)
    assert {r["id"]: int(r["value"]) for r in rows} == docs.expected()
    result = CliRunner().invoke(app, ["extract", str(path), "-f", "json"])
    data = json.loads(result.stdout)
    assert data["report"]["agency"] == "来凤县政务服务和大数据管理局"
    assert {v["id"]: v["value"] for v in data["values"]} == docs.expected()


def test_extract_tells_what_loading_noticed_on_stderr():
    result = CliRunner().invoke(app, ["extract", str(REPORTS / "yanliang-2021-cut.txt"), "-f", "csv"])
    assert result.exit_code == 0
    assert "gdstat: 警告:" in result.stderr and "中断" in result.stderr
    assert result.stdout.startswith("id,table,row,column")


def test_extract_of_a_table_less_report_exits_3(tmp_path, english):
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(app, ["extract", str(REPORTS / "shpt-2022h1-no-table.txt"), "-o", str(out)])
    assert result.exit_code == 3 and "no statistics table found" in result.stderr and not out.exists()


def test_extract_through_a_subprocess(tmp_path):
    out = tmp_path / "o.json"
    subprocess.run([sys.executable, "-m", "gdstat", "extract", str(BEILUN), "-o", str(out)], check=True,
                   capture_output=True)
    data = json.loads(out.read_text("utf-8"))
    assert next(v for v in data["values"] if v["id"] == "legacy.active.total")["value"] == 12683


# ----------------------------------------------------------------------------- PDF


def test_pdf_with_a_text_layer_is_read_cell_by_cell():
    pytest.importorskip("pdfplumber")
    from decimal import Decimal

    report = load(REPORTS / "hongze-2023.pdf")
    assert report.source.kind == "pdf" and (report.format, report.year) == ("2021", 2023)
    assert report.agency == "洪泽区人民政府"
    got = values(report)
    # as printed on pages 3 and 4 of the PDF
    assert got["licensing.permits@decisions"] == 550 and got["enforcement.penalties@decisions"] == 4119
    assert got["fees.admin@amount"] == Decimal("7730.28")
    assert got["requests.new@total"] == 21 and got["outcome.partial@natural_person"] == 4
    # rows whose label wraps: the numbers are printed on the line above the label
    assert got["outcome.withheld.state_secret@natural_person"] == 1
    assert got["outcome.withheld.prohibited_by_law@total"] == 0  # the typo "其他法律行政止公开"
    assert got["outcome.unavailable.not_held@total"] == 10 and got["outcome.unavailable.needs_creation@total"] == 3
    assert got["outcome.not_processed.excessive@total"] == 0 and got["outcome.not_processed.confirmation@total"] == 0
    assert got["outcome.total@total"] == 21
    # Table C as printed, with the report's own wrong totals (0) that validation then flags
    assert [got[f"review@{c}"] for c in ("upheld", "corrected", "other", "pending", "total")] == [10, 1, 0, 0, 0]
    assert got["litigation.after_review@upheld"] == 5
    findings = check(report)
    assert {f.code for f in findings if f.severity == "error"} == {"column-total-mismatch"}
    # the 2019-style single （六）其他处理 row: its numbers are the group's subtotal (all 0 as
    # printed), never put into the three 2021 rows, and N-03 is checked with them
    assert codes(report) == ["group-subtotal"]
    assert [got[f"outcome.other@{c}"] for c in ("natural_person", "total")] == [0, 0]
    assert not any(c.startswith("outcome.other.") for c in report.values)
    assert not [f for f in findings if f.rule == "N-03"]


def test_pdf_without_text_is_refused(tmp_path):
    pytest.importorskip("pdfplumber")
    path = tmp_path / "scan.pdf"
    # a one-page PDF with no text objects
    path.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                     b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    with pytest.raises(InputError, match="no text layer"):
        load(path)


@pytest.mark.parametrize("layout", ["cell-per-line", "pipe-rows", "word-indented", "bar-lines"])
@pytest.mark.parametrize("year, format_id", [(2018, "legacy"), (2020, "2019"), (2022, "2021")])
def test_every_format_read_back_from_its_official_sheet_copied_as_text(tmp_path, year, format_id, layout):
    """The official sheet of each format (drawn by the writer with the demo district's values),
    copied as text cell by cell, reads back to the same values."""
    from conftest import DEMO
    from gdstat.writers.layout import build
    from gdstat.writers.xlsx import draw

    sheet = load(DEMO / f"{year}.xlsx")
    numbers = {cell: v.value for cell, v in sheet.values.items()}
    draw(build(load_format(format_id), "示范市示范区人民政府", year), numbers).save(tmp_path / "sheet.xlsx")
    drawn = openpyxl.load_workbook(tmp_path / "sheet.xlsx").active
    printed = [[str(c) for c in row if c is not None and str(c).strip()] for row in drawn.iter_rows(values_only=True)]
    lines = [line for row in printed if row for line in docs.LAYOUTS[layout](row)]
    report = load(write(tmp_path, "copy.txt", "\n".join(lines)))
    assert report.format == format_id and report.year == year
    assert values(report) == {cell: n for cell, n in numbers.items() if n is not None}


def test_a_label_in_the_prose_does_not_take_the_tables_row(tmp_path):
    text = docs.layout_text("cell-per-line").replace(
        docs.PROSE[1], "一、总体情况\n行政许可\n严格落实行政许可公开要求")
    assert values(load(write(tmp_path, "p.txt", text))) == docs.expected()
