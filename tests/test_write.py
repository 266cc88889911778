"""The written official sheet and blank templates: layout, types, print setup, round trips, safety.

Expected labels, spans and merges are taken from the official table layout (formats.md §1.2, §2.3–2.5,
§3.2–3.3), written out here, not from the writer. Files are written for real and opened with openpyxl;
round trips read them back through gdstat's own loader.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gdstat import load
from gdstat.catalog import load_format
from gdstat.cli import app
from gdstat.report import Report, Source, Value
from gdstat.rules import sum_relations
from gdstat.writers.xlsx import NOTES_SHEET, write_report, write_template

os.environ.setdefault("NO_COLOR", "1")
ROOT = Path(__file__).resolve().parent.parent
BEILUN = ROOT / "examples" / "beilun-2018.xlsx"
DEMO = ROOT / "examples" / "demo-district"
runner = CliRunner()


def flat(value) -> str | None:
    """A cell's text without the line breaks the writer puts into narrow headers."""
    return value.replace("\n", "") if isinstance(value, str) else value


def find(sheet, text: str, after: int = 0):
    """The first cell (from row ``after`` on) whose text is ``text``."""
    for row in sheet.iter_rows(min_row=after + 1):
        for cell in row:
            if flat(cell.value) == text:
                return cell
    raise AssertionError(f"{text!r} not in the sheet")


def span(sheet, cell) -> tuple[int, int]:
    """(rows, columns) the cell's merged range covers; (1, 1) when it is not merged."""
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == cell.row and merged.min_col == cell.column:
            return merged.max_row - merged.min_row + 1, merged.max_col - merged.min_col + 1
    return 1, 1


def numbers(report: Report) -> dict:
    return {cid: v.value for cid, v in report.values.items() if v.value is not None}


def make_report(format_id: str, values: dict, agency="示范市示范区人民政府", year=2021) -> Report:
    return Report(
        source=Source("memory", "xlsx"), format=format_id, agency=agency, year=year,
        values={cid: Value(cid, v, "number" if v is not None else "blank", str(v) if v is not None else "")
                for cid, v in values.items()},
    )


# ----------------------------------------------------------------------------- the legacy sheet


def test_legacy_sheet_from_the_beilun_example(tmp_path):
    source = load(BEILUN)
    out = tmp_path / "out.xlsx"
    write_report(source, out)
    sheet = openpyxl.load_workbook(out)["统计表"]
    assert sheet["A1"].value == "宁波市北仑区（开发区）2018年度政府信息公开工作情况统计表"
    assert [flat(sheet.cell(3, c).value) for c in (1, 2, 3)] == ["统计指标", "单位", "统计数"]
    fmt = load_format("legacy")
    rows = fmt.tables[0].rows
    for offset, row in enumerate(rows, start=4):  # every official label in its place, in order
        assert sheet.cell(offset, 1).value == row.label
        unit = sheet.cell(offset, 2).value
        value = sheet.cell(offset, 3)
        if row.is_data:
            assert unit == row.unit
            assert value.data_type == "n" and value.value == source.values[row.id].value
        else:
            assert unit == "——" and value.value is None
    # section rows (一、…九、) are flush left, their items indented by depth
    assert sheet.cell(4, 1).alignment.indent == 0 and sheet.cell(4, 1).font.b
    assert sheet.cell(5, 1).alignment.indent == 1
    assert sheet.cell(9, 1).alignment.indent == 2  # 1.政府公报公开政府信息数 under （二）
    assert sheet["A1"].font.sz > sheet["A5"].font.sz and sheet["A5"].font.name == "宋体"
    assert sheet["C20"].alignment.horizontal == "center"
    assert all(sheet.cell(r, c).border.left.style == "thin" for r in range(3, 4 + len(rows)) for c in (1, 2, 3))
    # A4 portrait, fit to one page wide, the header row repeated on every page
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.orientation == "portrait"
    # fitToWidth may be left out: its default is 1 (ECMA-376 Part 1, 18.3.1.63)
    assert (sheet.page_setup.fitToWidth or 1) == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.column_dimensions["A"].width > 2 * sheet.column_dimensions["C"].width


def test_not_reported_stays_empty_and_numbers_are_numbers(tmp_path):
    values = {row.id: None for row in load_format("legacy").tables[0].data_rows}
    values.update({"legacy.apply.received": 72, "legacy.fees": Decimal("1.25"), "legacy.review": 0})
    out = tmp_path / "partial.xlsx"
    written = write_report(make_report("legacy", values), out)
    assert written.numbers == 3 and len(written.not_reported) == 55
    sheet = openpyxl.load_workbook(out).active
    cells = {sheet.cell(r, 1).value: sheet.cell(r, 3) for r in range(4, sheet.max_row + 1)}
    assert cells["（一）收到申请数"].value == 72 and cells["（一）收到申请数"].data_type == "n"
    assert cells["七、依申请公开信息收取的费用"].value == 1.25
    assert cells["四、行政复议数量"].value == 0  # 0 is reported, not blank
    assert cells["六、举报投诉数量"].value is None  # not reported is empty, never 0
    back = load(out)
    assert back.values["legacy.complaints"].kind == "blank"
    assert back.values["legacy.review"].value == 0
    assert back.values["legacy.fees"].value == Decimal("1.25")


# ----------------------------------------------------------------------------- the 2019 and 2021 sheets


@pytest.mark.parametrize("year,format_id,outcome_rows", [(2020, "2019", 20), (2022, "2021", 22)])
def test_tables_headings_and_merges_as_in_the_official_format(tmp_path, year, format_id, outcome_rows):
    out = tmp_path / "demo.xlsx"
    write_report(load(DEMO / f"{year}.xlsx"), out, formulas=True)
    sheet = openpyxl.load_workbook(out)["统计表"]
    assert sheet["A1"].value == f"示范市示范区人民政府{year}年政府信息公开工作年度报告统计表"
    a = find(sheet, "二、主动公开政府信息情况")
    b = find(sheet, "三、收到和处理政府信息公开申请情况")
    c = find(sheet, "四、政府信息公开行政复议、行政诉讼情况")
    assert a.row < b.row < c.row
    width = sheet.max_column
    # Table A: 第二十条 blocks, each caption across the table, then 信息内容 and the columns
    captions = ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    if format_id == "2019":
        captions.append("第二十条第（九）项")
    row = a.row
    for caption in captions:
        cell = find(sheet, caption, row)
        assert span(sheet, cell) == (1, width)
        assert flat(sheet.cell(cell.row + 1, 1).value) == "信息内容"
        row = cell.row
    first_block = ("本年新制作数量", "本年新公开数量", "对外公开总数量") if format_id == "2019" else ("本年制发件数", "本年废止件数", "现行有效件数")
    header = find(sheet, "第二十条第（一）项").row + 1
    assert [flat(v) for v in (c.value for c in sheet[header]) if v] == ["信息内容", *first_block]
    # Table B: the note over 3 label columns x 3 header rows, 申请人情况 over the 7 applicant columns
    note = find(sheet, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", b.row)
    assert note.row == b.row + 1 and span(sheet, note)[0] == 3
    applicants = find(sheet, "申请人情况", b.row)
    assert applicants.row == note.row and applicants.column == note.column + span(sheet, note)[1]
    assert span(sheet, applicants) == (1, 7)
    assert span(sheet, find(sheet, "自然人", b.row)) == (2, 1)
    assert span(sheet, find(sheet, "法人或其他组织", b.row)) == (1, 5)
    assert span(sheet, find(sheet, "总计", b.row)) == (2, 1)
    kinds = [flat(sheet.cell(note.row + 2, applicants.column + k).value) for k in range(1, 6)]
    assert kinds == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert span(sheet, find(sheet, "三、本年度办理结果", b.row)) == (outcome_rows, 1)
    assert span(sheet, find(sheet, "（三）不予公开", b.row))[0] == 8
    assert span(sheet, find(sheet, "（四）无法提供", b.row))[0] == 3
    assert span(sheet, find(sheet, "（五）不予处理", b.row))[0] == 5
    if format_id == "2021":
        assert span(sheet, find(sheet, "（六）其他处理", b.row))[0] == 3
    fmt = load_format(format_id)
    for label in (r.label for r in fmt.table("requests").data_rows):  # every row label, once, in Table B
        assert find(sheet, label, b.row).row < c.row
    # Table C: 行政复议 over 5 columns, 行政诉讼 over 10, two groups of 5, the 15 values below
    review = find(sheet, "行政复议", c.row)
    assert span(sheet, review) == (1, 5)
    assert span(sheet, find(sheet, "行政诉讼", c.row)) == (1, 10)
    assert span(sheet, find(sheet, "未经复议直接起诉", c.row)) == (1, 5)
    assert span(sheet, find(sheet, "复议后起诉", c.row)) == (1, 5)
    assert span(sheet, sheet.cell(review.row + 1, review.column)) == (2, 1)  # 结果维持 under 行政复议
    assert [flat(sheet.cell(review.row + 2, k).value) for k in range(6, 16)] == \
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    values = [sheet.cell(review.row + 3, k) for k in range(1, 16)]
    assert all(v.data_type in ("n", "f") and v.value is not None for v in values)
    # totals are formulas over their parts; other cells numbers; borders everywhere in the tables
    total = values[4]
    run = f"{values[0].coordinate}:{values[3].coordinate}"
    assert total.data_type == "f" and total.value == f'=IF(COUNT({run})=0,"",SUM({run}))'
    covered = {(r, k) for m in sheet.merged_cells.ranges for r in range(m.min_row, m.max_row + 1)
               for k in range(m.min_col, m.max_col + 1) if (r, k) != (m.min_row, m.min_col)}
    for r in range(b.row + 1, c.row - 1):  # every cell of Table B is boxed
        for k in range(1, width + 1):
            if (r, k) not in covered:
                edges = sheet.cell(r, k).border
                assert {edges.left.style, edges.right.style, edges.top.style, edges.bottom.style} == {"thin"}, (r, k)
    assert int(sheet.page_setup.paperSize) == 9 and (sheet.page_setup.fitToWidth or 1) == 1
    widths = [sheet.column_dimensions[openpyxl.utils.get_column_letter(k)].width for k in range(1, width + 1)]
    assert min(widths) >= 6  # a number fits in every column
    assert load(out).format == format_id


# ----------------------------------------------------------------------------- round trips


def report_values(format_id: str):
    """Random values for every official cell of a format: a number of the cell's kind, or not reported."""
    fmt = load_format(format_id)
    kinds = {
        "int": st.integers(0, 10**7),
        "signed": st.integers(-10**5, 10**5),
        "decimal": st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False),
    }
    return st.fixed_dictionaries({cid: st.none() | kinds[cell.number] for cid, cell in fmt.cells.items()})


agency_names = st.text(st.sampled_from("北仑区宁波市人民政府办公室教育局（开发区）示范街道"), min_size=0, max_size=16)


@pytest.mark.parametrize("format_id", ["legacy", "2019", "2021"])
def test_round_trip_of_random_reports(tmp_path_factory, format_id):
    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(values=report_values(format_id), agency=agency_names, year=st.integers(2008, 2030),
           formulas=st.booleans(), consistent=st.booleans())
    def check(values, agency, year, formulas, consistent):
        if consistent:  # totals that add up, so --formulas writes formulas
            for _ in range(3):  # totals of totals settle within three passes
                for total, parts in sum_relations(load_format(format_id)).items():
                    if all(values[p] is not None for p in parts):
                        values[total] = sum(values[p] for p in parts)
        out = tmp_path_factory.mktemp("rt") / "sheet.xlsx"
        report = make_report(format_id, values, agency or None, year)
        write_report(report, out, formulas=formulas)
        back = load(out)
        assert back.format == format_id
        assert (back.agency, back.year) == (agency or None, year)
        assert numbers(back) == numbers(report)
        assert all(back.values[c].kind == "blank" for c, v in values.items() if v is None and c in back.values)

    check()


def test_formulas_only_where_they_keep_the_reported_figure(tmp_path):
    values = dict(numbers(load(DEMO / "2018.xlsx")))
    values["legacy.apply.received"] += 1  # no longer the sum of its channels
    del values["legacy.review.other"]  # a part not reported
    out = tmp_path / "f.xlsx"
    written = write_report(make_report("legacy", values, year=2018), out, formulas=True)
    assert "legacy.apply.received" in written.kept_values and "legacy.review" in written.kept_values
    assert "legacy.apply.replies" in written.formulas
    sheet = openpyxl.load_workbook(out).active
    formulas = {c.value for row in sheet.iter_rows() for c in row if c.data_type == "f"}
    assert len(formulas) == len(written.formulas) == len(sum_relations(load_format("legacy"))) - 2
    back = load(out)  # openpyxl saved no values for the formulas: the loader evaluates them
    assert numbers(back) == values


def test_template_is_blank_validated_and_explained(tmp_path):
    out = tmp_path / "t.xlsx"
    written = write_template("2021", out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["统计表", NOTES_SHEET]
    sheet = book["统计表"]
    assert sheet["A1"].value == "______年政府信息公开工作年度报告统计表"
    shaded = [c for row in sheet.iter_rows() for c in row if c.fill.fgColor.rgb and c.fill.fgColor.rgb.endswith("FFF2CC")]
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    fmt = load_format("2021")
    assert len(formulas) == len(written.formulas) == len(sum_relations(fmt))
    assert not [c for c in shaded if c.value is not None]  # blank
    validated = {}
    for rule in sheet.data_validations.dataValidation:
        for ref in str(rule.sqref).split():
            validated[ref] = (rule.type, rule.operator, rule.formula1)
    starts = {c.coordinate for c in shaded}
    assert set(validated) <= starts and len(validated) == len(fmt.cells) - len(formulas)
    fee = find(sheet, "行政事业性收费")
    fee_cell = next(c for c in sheet[fee.row] if c.coordinate in validated)
    assert validated[fee_cell.coordinate] == ("decimal", "greaterThanOrEqual", "0")
    counts = {v for v in validated.values() if v[0] == "whole"}
    assert counts == {("whole", "greaterThanOrEqual", "0")}
    notes = book[NOTES_SHEET]
    text = "\n".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    for rule in fmt.rules:
        assert rule.text in text
    assert "不填写表示“未填报”，不等于 0" in text
    signed = write_template("2019", tmp_path / "t2019.xlsx")
    rules19 = openpyxl.load_workbook(tmp_path / "t2019.xlsx")["统计表"].data_validations.dataValidation
    # an absent operator is "between", its default (ECMA-376 Part 1, 18.3.1.32)
    assert any(r.type == "whole" and (r.operator or "between") == "between" and r.formula1.startswith("-")
               for r in rules19)
    assert signed.template


@pytest.mark.parametrize("format_id", ["legacy", "2019", "2021"])
def test_template_filled_in_with_openpyxl_reads_back_exactly(tmp_path, format_id):
    out = tmp_path / "t.xlsx"
    write_template(format_id, out, agency="示范区教育局", year=2020)
    book = openpyxl.load_workbook(out)
    sheet = book["统计表"]
    inputs = sorted({ref for rule in sheet.data_validations.dataValidation for ref in str(rule.sqref).split()},
                    key=lambda ref: (sheet[ref].row, sheet[ref].column))
    for k, ref in enumerate(inputs):  # what a user types: whole numbers, one cell left blank
        if k != 3:
            sheet[ref] = (k * 7) % 23
    book.save(out)
    back = load(out)
    assert (back.format, back.agency, back.year) == (format_id, "示范区教育局", 2020)
    slots = {}
    from gdstat.writers.layout import build

    for cid, (r, c) in build(load_format(format_id)).slots().items():
        slots[sheet.cell(r, c).coordinate] = cid
    typed = {slots[ref]: (k * 7) % 23 for k, ref in enumerate(inputs) if k != 3}
    for cid, number in typed.items():
        assert back.values[cid].value == number
    assert back.values[slots[inputs[3]]].value is None
    for total, parts in sum_relations(load_format(format_id)).items():
        got = back.values[total].value
        parts_ = [back.values[p].value for p in parts]
        if all(p is None for p in parts_):
            assert got is None  # nothing typed under it: not reported, not 0
        else:
            assert got == sum(p for p in parts_ if p is not None)


# ----------------------------------------------------------------------------- formulas without values


def test_formula_cells_without_values_are_evaluated_or_marked(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for r, (label, unit) in enumerate([("（一）收到申请数", "件"), ("1.当面申请数", "件"), ("2.传真申请数", "件"),
                                        ("3.网络申请数", "件"), ("4.信函申请数", "件"), ("（二）申请办结数", "件"),
                                        ("1.按时办结数", "件"), ("2.延期办结数", "件"), ("（三）申请答复数", "件")], start=2):
        sheet.cell(r, 1, label)
        sheet.cell(r, 2, unit)
    sheet["A1"], sheet["B1"], sheet["C1"] = "统计指标", "单位", "统计数"
    sheet["C3"], sheet["C4"], sheet["C5"], sheet["C6"] = 1, 2.5, 3, 0
    sheet["C2"] = "=SUM(C3:C6)"
    sheet["C7"] = "=(C2-C8)*1"  # refers to a formula further down
    sheet["C8"] = "=C9"
    sheet["C9"] = "=SUM(D1:D5)"  # only blanks: not reported
    sheet["C10"] = "=VLOOKUP(1,A1:B2,2)"
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    report = load(path, table_format="legacy")
    assert report.values["legacy.apply.received"].value == Decimal("6.5")
    assert report.values["legacy.apply.concluded"].value == Decimal("6.5")
    assert report.values["legacy.apply.concluded.on_time"].value is None
    assert report.values["legacy.apply.concluded.extended"].value is None
    replies = report.values["legacy.apply.replies"]
    assert replies.kind == "text" and replies.raw == "=VLOOKUP(1,A1:B2,2)"  # never a silent blank


# ----------------------------------------------------------------------------- safety and the CLI


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_write_cli_refuses_to_replace_and_never_touches_the_input(tmp_path, english):
    source = tmp_path / "in.xlsx"
    source.write_bytes(BEILUN.read_bytes())
    before = digest(source)
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["write", str(source), "-o", str(out), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["report"] == {"format": "legacy", "agency": "宁波市北仑区（开发区）", "year": 2018}
    assert data["output"]["path"] == str(out) and data["cells"]["numbers"] == 58
    first = digest(out)
    again = runner.invoke(app, ["write", str(source), "-o", str(out), "--agency", "某县", "--year", "2017"])
    assert again.exit_code == 2 and "already exists" in again.stderr and digest(out) == first
    forced = runner.invoke(app, ["write", str(source), "-o", str(out), "--agency", "某县", "--year", "2017", "--force"])
    assert forced.exit_code == 0
    assert (load(out).agency, load(out).year) == ("某县", 2017)
    onto_input = runner.invoke(app, ["write", str(source), "-o", str(source), "--force"])
    assert onto_input.exit_code == 2 and "never modifies an input" in onto_input.stderr
    assert digest(source) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx", "out.xlsx"]  # no temporary files left
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)
    assert runner.invoke(app, ["write", str(source), "-o", str(tmp_path / "x.csv")]).exit_code == 2
    assert runner.invoke(app, ["write", str(tmp_path / "missing.xlsx"), "-o", str(tmp_path / "y.xlsx")]).exit_code == 3


def test_failed_save_leaves_the_existing_file_and_no_temporary(tmp_path, monkeypatch):
    out = tmp_path / "keep.xlsx"
    out.write_bytes(b"old")
    from xlsxwriter import Workbook

    def broken(self):
        Path(self.filename).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "close", broken)
    with pytest.raises(OSError):
        write_template("2021", out, force=True)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.xlsx"]


def test_template_cli_takes_the_table_format_with_t_and_the_output_format_with_f(tmp_path):
    out = tmp_path / "t.xlsx"
    result = runner.invoke(app, ["template", "-t", "2021", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load(out).format == "2021"
    as_json = runner.invoke(app, ["template", "-t", "LEGACY", "-f", "JSON", "-o", str(tmp_path / "l.xlsx")])
    assert json.loads(as_json.stdout)["output"]["template"] is True
    assert load(tmp_path / "l.xlsx").format == "legacy"
    # --format is the output format, as in every command: a table format there points to -t
    old = runner.invoke(app, ["template", "--format", "2021", "-o", str(tmp_path / "c.xlsx")])
    assert old.exit_code == 2 and not (tmp_path / "c.xlsx").exists()
    assert "-t/--table-format" in old.stderr and "gdstat template -t 2021" in old.stderr
    assert runner.invoke(app, ["template", "-o", str(tmp_path / "n.xlsx")]).exit_code == 2
    assert runner.invoke(app, ["template", "-t", "2021", "-o", str(out)]).exit_code == 2  # exists


def test_write_and_template_through_a_subprocess(tmp_path):
    run = lambda *args: subprocess.run([sys.executable, "-m", "gdstat", *args], capture_output=True, text=True,  # noqa: E731
                                       cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"})
    done = run("write", str(BEILUN), "-o", "out.xlsx", "--formulas", "-f", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["cells"]["formulas"] == 7
    assert run("template", "-t", "2021", "-o", "t.xlsx").returncode == 0
    refused = run("template", "-t", "2021", "-o", "t.xlsx")
    assert refused.returncode == 2 and refused.stderr.startswith("gdstat: 错误: t.xlsx：文件已存在")
    english = run("template", "-t", "2021", "-o", "t.xlsx", "--lang", "en")
    assert english.stderr.startswith("gdstat: error: t.xlsx: already exists")
    assert numbers(load(tmp_path / "out.xlsx")) == numbers(load(BEILUN))


def test_guarded_sums_are_blank_until_a_part_is_filled():
    from gdstat.io.formulas import fill_formulas

    guarded = 'IF(COUNT({0}1:{0}2)=0,"",SUM({0}1:{0}2))'
    grid = fill_formulas([[1, None, "/"], [2.5, "", None]],
                         {(2, 0): guarded.format("A"), (2, 1): guarded.format("B"), (2, 2): guarded.format("C")})
    assert grid[2] == [Decimal("3.5"), None, None]


def test_numbers_without_a_cell_in_the_official_sheet_are_listed_not_lost(tmp_path):
    """A 2021 report that kept the 2019 single （六）其他处理 row: the official 2021 sheet has no cell
    for that subtotal, so writing it says so."""
    import csv as csv_module

    from gdstat import load
    from gdstat.catalog import load_format
    from gdstat.writers.xlsx import write_report

    table = load_format("2019").table("requests")
    rows = [["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["行政规范性文件", 2, 0, 9],
            ["", *[c.label for c in table.columns]]]
    rows += [[row.label, *([3] * 7 if row.id == "outcome.other" else [0] * 7)] if row.is_data else [row.label]
             for row in table.rows]
    source = tmp_path / "hybrid.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv_module.writer(handle).writerows(rows)
    written = write_report(load(source), tmp_path / "out.xlsx")
    assert "outcome.other@total=3" in written.unplaced and len(written.unplaced) == 7
    assert written.to_dict()["unplaced"] == list(written.unplaced)
