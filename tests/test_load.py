"""Loading: the real example, sheets laid out in different ways, every spreadsheet and CSV kind."""

from __future__ import annotations

import csv
from decimal import Decimal

import openpyxl
import pytest

from conftest import BEILUN, FIXTURES
from gdstat import load
from gdstat.catalog import load_format
from gdstat.metrics import derive
from gdstat.rules import check


def printed_beilun():
    rows = []
    for line in (FIXTURES / "beilun-2018-table.tsv").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            label, unit, value = line.split("\t")
            rows.append((label, unit, int(value)))
    return rows


def test_beilun_example_reads_every_published_value_in_place():
    report = load(BEILUN)
    assert report.format == "legacy"
    assert report.agency == "宁波市北仑区（开发区）"
    assert report.year == 2018
    fmt = load_format("legacy")
    data_rows = [row for row in fmt.tables[0].rows if row.is_data]
    printed = printed_beilun()
    assert len(data_rows) == len(printed) == 58
    for row, (label, unit, value) in zip(data_rows, printed):
        got = report.values[row.id]
        assert got.value == value, (row.code, label)
        assert row.unit == unit
        assert got.location.sheet and got.location.cell.startswith("C")
    assert report.values["legacy.apply.received.online"].value == 58


def legacy_rows_as_printed():
    fmt = load_format("legacy")
    printed = iter(printed_beilun())
    rows = []
    for row in fmt.tables[0].rows:
        if row.is_data:
            label, unit, value = next(printed)
            rows.append((label, unit, value))
        else:
            rows.append((row.label, "——", None))
    return rows


def test_legacy_sheet_laid_out_differently(tmp_path):
    """Offset start, title and note rows, a 序号 column, spacer rows, half-width and spaced labels,
    numbers stored as text with separators and full-width digits, and the '/' marker."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附表2"
    ws["C2"] = "填报单位：某某县人民政府办公室"
    ws["C3"] = "2017年度政府信息公开工作情况统计表"
    ws.append([])
    start = 6
    ws.cell(start, 2, "序号")
    ws.cell(start, 3, "统 计 指 标")
    ws.cell(start, 4, "单位")
    ws.cell(start, 5, "统计数")
    r = start + 1
    for i, (label, unit, value) in enumerate(legacy_rows_as_printed(), start=1):
        if i == 20:
            r += 1  # a blank spacer row
        label = label.replace("（", "(").replace("）", ")").replace("其中：", "其中:")
        if i % 7 == 0:
            label = " " + label.replace(".", "．") + "  "
        ws.cell(r, 2, i)
        ws.cell(r, 3, label)
        ws.cell(r, 4, unit)
        if value is not None:
            if label.startswith("2.政府网站"):
                ws.cell(r, 5, f"{value:,}")
            elif i == 30:
                ws.cell(r, 5, "７２")
            else:
                ws.cell(r, 5, value)
        r += 1
    ws.cell(r + 1, 3, "说明：本表数据统计时间为2017年1月1日至12月31日。")
    path = tmp_path / "offset.xlsx"
    wb.save(path)
    report = load(path)
    assert report.format == "legacy"
    assert report.year == 2017
    assert report.agency == "某某县人民政府办公室"
    printed = [v for _, _, v in printed_beilun()]
    fmt = load_format("legacy")
    got = [report.values[row.id].value for row in fmt.tables[0].rows if row.is_data]
    assert got == printed
    assert report.values["legacy.active.channels.website"].location.cell.startswith("E")
    assert not [n for n in report.notes if n.code != "unknown-row"]


def test_unknown_rows_are_noted_not_dropped(tmp_path, demo_values, sheet_writer):
    path = sheet_writer("legacy", demo_values["legacy"])
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "六、举报投诉数量")
    ws.insert_rows(row)
    ws.cell(row, 1, "（四）其他依申请公开事项数")
    ws.cell(row, 2, "件")
    ws.cell(row, 3, 9)
    wb.save(path)
    report = load(path)
    notes = [n for n in report.notes if n.code == "unknown-row"]
    assert len(notes) == 1 and "其他依申请公开事项数" in notes[0].message
    assert report.values["legacy.complaints"].value == demo_values["legacy"]["legacy.complaints"]


def test_not_reported_markers_are_kept_apart_from_zero(tmp_path, demo_values, sheet_writer):
    values = dict(demo_values["legacy"])
    values["legacy.review.upheld"] = None
    path = sheet_writer("legacy", values)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == "（二）被依法纠错数":
            ws.cell(r, 3, "/")
            break
    wb.save(path)
    report = load(path)
    assert report.values["legacy.review.upheld"].kind == "blank"
    assert report.values["legacy.review.corrected"].kind == "not-applicable"
    assert report.values["legacy.review.corrected"].value is None
    assert report.values["legacy.litigation.corrected"].kind == "number"  # the same label under 五、


def test_2021_sheet_with_merged_headers_round_trips(demo_values, sheet_writer):
    values = demo_values["2021"]
    report = load(sheet_writer("2021", values))
    assert report.format == "2021"
    assert {k: v.value for k, v in report.values.items()} == values
    assert report.notes == ()


def test_2019_sheet_reads_every_cell(demo_values, sheet_writer):
    values = demo_values["2019"]
    report = load(sheet_writer("2019", values, year=2020))
    assert report.format == "2019" and report.year == 2020
    assert {k: v.value for k, v in report.values.items()} == values
    assert report.values["procurement.central@amount"].value == values["procurement.central@amount"]


def test_traditional_characters(tmp_path, demo_values, sheet_writer):
    from opencc import OpenCC

    to_trad = OpenCC("s2t").convert
    path = sheet_writer("2021", demo_values["2021"])
    wb = openpyxl.load_workbook(path)
    for row in wb.active.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = to_trad(cell.value)
    wb.save(path)
    report = load(path)
    assert report.format == "2021"
    assert {k: v.value for k, v in report.values.items()} == demo_values["2021"]


def test_format_is_detected_from_content_not_the_name(tmp_path, demo_values, sheet_writer):
    path = sheet_writer("2019", demo_values["2019"], year=2023)
    renamed = path.rename(tmp_path / "2023年统计表.xlsx")
    assert load(renamed).format == "2019"


def test_explicit_table_format_overrides_detection(demo_values, sheet_writer):
    path = sheet_writer("2021", demo_values["2021"])
    report = load(path, table_format="2019")
    assert report.format == "2019"
    # the 2019 reading still finds Table B, which both formats share
    assert report.values["requests.new@total"].value == demo_values["2021"]["requests.new@total"]


def test_a_workbook_beyond_the_sniffed_head_reads_as_one_within_it(tmp_path, demo_values, sheet_writer):
    """A zip shorter than the head read to sniff it is read from those bytes, a longer one from the
    disk: the same workbook either way (here made longer by an incompressible part)."""
    import os
    import zipfile

    from gdstat.io.sniff import HEAD

    small = sheet_writer("2021", demo_values["2021"])
    large = tmp_path / "large.xlsx"
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(large, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/media/image1.bin", os.urandom(HEAD))
    assert small.stat().st_size < HEAD < large.stat().st_size
    read = [{cid: (v.value, v.location.cell) for cid, v in load(path).values.items()} for path in (small, large)]
    assert read[0] == read[1] and len(read[0]) == len(demo_values["2021"])


def test_xls_written_by_xlwt(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("统计表")
    sheet.write(0, 0, "2016年度政府信息公开工作情况统计表")
    sheet.write(1, 0, "统计指标")
    sheet.write(1, 1, "单位")
    sheet.write(1, 2, "统计数")
    for r, (label, unit, value) in enumerate(legacy_rows_as_printed(), start=2):
        sheet.write(r, 0, label)
        sheet.write(r, 1, unit)
        if value is not None:
            sheet.write(r, 2, value)
    path = tmp_path / "old.xls"
    book.save(str(path))
    report = load(path)
    assert report.source.kind == "xls"
    assert report.year == 2016
    assert report.values["legacy.apply.replies"].value == 72
    position = [row.id for row in load_format("legacy").tables[0].rows].index("legacy.apply.replies")
    assert report.values["legacy.apply.replies"].location.cell == f"C{position + 3}"  # title, header, 1-based


def test_ods_written_by_odfpy(tmp_path):
    pytest.importorskip("odf")
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="统计表")
    for label, unit, value in [("统计指标", "单位", "统计数"), *legacy_rows_as_printed()]:
        tr = TableRow()
        for item in (label, unit, value):
            if isinstance(item, int):
                cell = TableCell(valuetype="float", value=item)
            else:
                cell = TableCell(valuetype="string")
            if item is not None:
                cell.addElement(P(text=str(item)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    path = tmp_path / "table.ods"
    doc.save(str(path))
    report = load(path)
    assert report.source.kind == "ods"
    assert report.values["legacy.active.total"].value == 12683
    assert report.values["legacy.capacity.staff.part_time"].value == 62


def legacy_csv_rows():
    return [["统计指标", "单位", "统计数"]] + [[label, unit, "" if value is None else str(value)]
                                       for label, unit, value in legacy_rows_as_printed()]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_in_every_encoding(tmp_path, encoding):
    path = tmp_path / f"table-{encoding}.csv"
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(legacy_csv_rows())
    report = load(path)
    assert report.source.kind == "csv"
    assert report.values["legacy.apply.received.online"].value == 58
    assert report.values["legacy.apply.received.online"].location.cell == "C26"
    assert report.source.encoding


def test_tsv(tmp_path):
    path = tmp_path / "table.tsv"
    path.write_text("\n".join("\t".join(r) for r in legacy_csv_rows()), encoding="gbk")
    report = load(path)
    assert report.source.kind == "tsv"
    assert report.values["legacy.fees"].value == 0


def test_explicit_encoding_overrides_detection(tmp_path):
    path = tmp_path / "table.csv"
    with path.open("w", encoding="gbk", newline="") as handle:
        csv.writer(handle).writerows(legacy_csv_rows())
    assert load(path, encoding="gbk").source.encoding == "gbk"


def test_decimal_money_and_units_in_cells(tmp_path, demo_values, sheet_writer):
    values = dict(demo_values["2021"])
    path = sheet_writer("2021", values)
    where = load(path).values["fees.admin@amount"].location.cell
    wb = openpyxl.load_workbook(path)
    wb.active[where] = "12.35万元"
    wb.save(path)
    value = load(path).values["fees.admin@amount"]
    assert value.value == Decimal("12.35") and value.unit == "万元"


def test_numbers_on_a_group_row_are_a_checked_subtotal(demo_values, sheet_writer):
    """A 2021 sheet that adds a （六）其他处理 line with numbers above its three rows: the numbers
    are kept as the group's subtotal and checked against the rows."""
    from openpyxl.utils import column_index_from_string
    from openpyxl.utils.cell import coordinate_from_string

    path = sheet_writer("2021", demo_values["2021"])
    first = load(path).values
    value_columns = [column_index_from_string(coordinate_from_string(
        first[f"outcome.other.no_correction@{col.id}"].location.cell)[0])
        for col in load_format("2021").table("requests").columns]
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for merged in list(ws.merged_cells.ranges):
        if str(ws.cell(merged.min_row, merged.min_col).value).replace("\n", "") == "（六）其他处理":
            ws.unmerge_cells(str(merged))
            row, label_column = merged.min_row, merged.min_col
    ws.insert_rows(row)
    ws.cell(row, label_column, "（六）其他处理")
    for col in value_columns:
        ws.cell(row, col, 1)
    wb.save(path)
    report = load(path)
    assert [n.code for n in report.notes] == ["group-subtotal"]
    assert "1 1 1 1 1 1 1" in report.notes[0].message
    assert report.values["outcome.other@total"].value == 1
    expected = sum(demo_values["2021"][f"outcome.other.{r}@total"] for r in ("no_correction", "fee_unpaid", "other"))
    mismatches = [f for f in check(report) if f.code == "subtotal-mismatch"]
    total = next(f for f in mismatches if f.cells[0].id == "outcome.other@total")
    assert (total.expected, total.actual) == (expected, 1)


def test_a_2019_style_other_row_in_a_2021_report_stands_in_for_its_rows(demo_values, tmp_path):
    """Published 2021-format reports that keep the 2019 single （六）其他处理 row (Table A of 2021,
    Table B of 2019): the row's numbers are the subtotal, N-03 is checked with it, nothing is lost."""
    fmt2019 = load_format("2019")
    values = demo_values["2019"]
    table = fmt2019.table("requests")
    rows = [["2022年度政府信息公开工作年度报告"], ["第二十条第（一）项"],
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", 0, 0, 0], ["行政规范性文件", 6, 1, 40],
            [], ["", *[c.label for c in table.columns]]]
    for row in table.rows:
        if row.is_data:
            rows.append([row.label, *[values[table.cell_id(row, c)] for c in table.columns]])
        else:
            rows.append([row.label])
    path = tmp_path / "hybrid.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    report = load(path)
    assert report.format == "2021"
    assert [n.code for n in report.notes if n.code != "missing-table"] == ["group-subtotal"]
    for column in table.columns:
        assert report.values[f"outcome.other@{column.id}"].value == values[f"outcome.other@{column.id}"]
    findings = check(report)
    assert not [f for f in findings if f.rule == "N-03"]
    assert not [f for f in findings if f.severity == "error"]
    from gdstat import api

    record = next(r for r in api.value_records(report) if r["id"] == "outcome.other@total")
    assert record["subtotal"] is True and record["value"] == values["outcome.other@total"]
    other = next(d for d in derive(report) if d.id == "share.other")
    assert other.numerator == values["outcome.other@total"]


def test_several_value_columns_are_named_not_dropped_silently(tmp_path):
    """A town-level legacy variant with one 统计数 column per kind of body: the first is read and the
    others are named in a warning."""
    rows = [["序号", "统计指标", "单位", "区政府统计数", "区直单位统计数", "乡镇街道统计数"]]
    for i, (label, unit, value) in enumerate(legacy_rows_as_printed(), start=1):
        rows.append([i, label, unit, *([] if value is None else [value, value + 1, value + 2])])
    path = tmp_path / "town.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    report = load(path)
    assert report.values["legacy.apply.received"].value == 72
    notes = [n for n in report.notes if n.code == "extra-value-columns"]
    assert len(notes) == 1 and "区直单位统计数" in notes[0].message and "乡镇街道统计数" in notes[0].message


def test_tables_on_separate_sheets_are_read_together(tmp_path, demo_values, sheet_writer):
    """表一, 表二, 表三: a 2021 workbook with each official table on its own sheet."""
    whole = openpyxl.load_workbook(sheet_writer("2021", demo_values["2021"])).active
    starts = [r for r in range(1, whole.max_row + 1) if str(whole.cell(r, 1).value or "").startswith(("三、收到", "四、政府"))]
    bounds = [(1, starts[0]), (starts[0], starts[1]), (starts[1], whole.max_row + 1)]
    split = openpyxl.Workbook()
    split.remove(split.active)
    for name, (first, stop) in zip(("表一", "表二", "表三"), bounds):
        sheet = split.create_sheet(name)
        for r in range(first, stop):
            for c in range(1, whole.max_column + 1):
                sheet.cell(r - first + 1, c, whole.cell(r, c).value)
    path = tmp_path / "split.xlsx"
    split.save(path)
    report = load(path)
    assert {k: v.value for k, v in report.values.items()} == demo_values["2021"]
    assert report.values["review@total"].location.sheet == "表三"
    assert report.values["requests.new@total"].location.sheet == "表二"
    assert set(report.source.sheet.split("、")) == {"表一", "表二", "表三"}
    assert not [n for n in report.notes if n.code in ("missing-table", "missing-row")]
    assert not [f for f in check(report) if f.severity != "info"]
