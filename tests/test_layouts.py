"""The three layouts in which published tables lose their structure (fixtures/layouts, written by
hand after real pages): every value placed is the right one, and every row that cannot be placed
with certainty is an ``ambiguous-row`` quoting its numbers and candidate cells, never a guess."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from gdstat import load
from gdstat.catalog import load_format
from gdstat.cli import app

from conftest import FIXTURES

LAYOUTS = FIXTURES / "layouts"
FMT = load_format("2021")

# The report behind the fixtures: every cell not listed is 0.
ROWS = {
    "regulations.normative": [2, 1, 5], "licensing.permits": [934], "enforcement.penalties": [3],
    "requests.new": [20, 3, 1, 2, 4, 1, 31], "requests.carried_over": [1, 0, 0, 0, 1, 0, 2],
    "outcome.disclosed": [10, 1, 0, 1, 2, 0, 14], "outcome.partial": [3, 1, 0, 0, 1, 0, 5],
    "outcome.withheld.third_party": [1, 0, 0, 0, 0, 0, 1], "outcome.unavailable.not_held": [4, 1, 1, 1, 1, 1, 9],
    "outcome.not_processed.repeated": [1, 0, 0, 0, 0, 0, 1], "outcome.total": [19, 3, 1, 2, 4, 1, 30],
    "requests.carried_forward": [2, 0, 0, 0, 1, 0, 3],
    "review": [1, 0, 0, 0, 1], "litigation.direct": [0, 1, 0, 0, 1],
}


def truth() -> dict[str, int]:
    out = {cell: 0 for cell in FMT.cells}
    for row_id, numbers in ROWS.items():
        table = FMT.table(FMT.rows[row_id].table)
        for column, number in zip(table.columns or (None,), numbers):
            out[table.cell_id(FMT.rows[row_id], column)] = number
    return out


def row_cells(row_id: str) -> tuple[str, ...]:
    table = FMT.table(FMT.rows[row_id].table)
    return tuple(table.cell_id(FMT.rows[row_id], c) for c in table.columns or (None,))


def ambiguous(report) -> dict[str, tuple[str, ...]]:
    return {n.message.split("”")[0].lstrip("“"): n.cells for n in report.notes if n.code == "ambiguous-row"}


def test_html_written_by_a_script_is_read_with_its_spans():
    report = load(LAYOUTS / "script-2021.html")
    assert (report.format, report.agency, report.year, report.source.kind) == ("2021", "示范县司法局", 2021, "html")
    blank = {*row_cells("regulations.rules"), "enforcement.coercion@decisions", *row_cells("outcome.withheld.prohibited_by_law")}
    assert {c for c, v in report.values.items() if v.kind == "blank"} == blank  # &nbsp; is an empty cell
    expected = {c: v for c, v in truth().items() if c not in blank}
    assert {c: v.value for c, v in report.values.items() if v.kind == "number"} == expected
    assert {v.placement for v in report.values.values()} == {"labelled"}
    assert not ambiguous(report)


def test_pseudo_markdown_reads_what_is_certain_and_quotes_the_rest():
    report = load(LAYOUTS / "pdfmd-2021.md")
    assert (report.format, report.agency, report.year) == ("2021", "示范县司法局", 2021)
    notes = ambiguous(report)
    assert notes == {
        "规章": row_cells("regulations.rules"),  # 9 and 120 under three columns: no rule decides
        "行政规范性文件": row_cells("regulations.normative"),  # its 现行有效件数 was pulled out as a loose line
        "3.要求提供公开出版物": row_cells("outcome.not_processed.publications"),  # a zero fits every column
    }
    rules = next(n for n in report.notes if n.message.startswith("“规章”"))
    assert "9、120" in rules.message and "共 3 种" in rules.message
    assert "9→本年制发件数，120→现行有效件数" in rules.message
    unplaced = {*row_cells("regulations.rules"), *row_cells("regulations.normative"),
                *row_cells("outcome.not_processed.publications")}
    assert not unplaced & set(report.values)
    # the split caption, the repeated separators, the footers, the group label split over two rows
    # and the loose label "3.其他" before its bare row are all read past
    got = {c: v.value for c, v in report.values.items() if v.kind == "number"}
    repeated = row_cells("outcome.not_processed.repeated")
    assert got == {c: v for c, v in truth().items() if c not in unplaced and c not in repeated[1:-1]}
    # "| | 2.重复申请 | 1 | 1 |": only 自然人 + 总计 keeps every column sum of the table; the
    # columns between were the empty cells the copy dropped
    placements = {c: v.placement for c, v in report.values.items()}
    assert {placements[c] for c in repeated} == {"arithmetic"}
    assert {report.values[c].kind for c in repeated[1:-1]} == {"blank"}
    assert {p for c, p in placements.items() if c not in repeated} == {"labelled"}


def test_flattened_cells_cut_mid_row_place_nothing_uncertain():
    report = load(LAYOUTS / "flat-2021-cut.txt")
    got = {c: v.value for c, v in report.values.items() if v.kind == "number"}
    table_a = {c: v for c, v in truth().items() if FMT.rows[c.partition("@")[0]].table in
               ("regulations", "licensing", "enforcement", "fees") and c != "enforcement.coercion@decisions"}
    assert got == table_a
    assert report.values["enforcement.coercion@decisions"].kind == "blank"  # a bare "|" where its number was
    notes = ambiguous(report)
    assert notes == {"一、本年新收政府信息公开申请数量": row_cells("requests.new"),
                     "二、上年结转政府信息公开申请数量": row_cells("requests.carried_over")}
    cut = next(n for n in report.notes if n.message.startswith("“二、上年结转"))
    assert "（0）" in cut.message  # the lone 0 after an empty cell: its column is unknown
    new = next(n for n in report.notes if n.message.startswith("“一、本年新收"))
    assert "5、1、6" in new.message and "等 15 种" in new.message  # only alignments keeping 总计 = 5 + 1


def test_placement_is_in_the_json_output():
    result = CliRunner().invoke(app, ["extract", str(LAYOUTS / "pdfmd-2021.md"), "-f", "json"])
    assert result.exit_code == 0, result.output
    records = {r["id"]: r for r in json.loads(result.stdout)["values"]}
    assert records["outcome.not_processed.repeated@total"]["placement"] == "arithmetic"
    assert records["requests.new@total"]["placement"] == "labelled"
    assert records["regulations.rules@issued"]["placement"] is None and records["regulations.rules@issued"]["kind"] == "missing"
    findings = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "ambiguous-row"]
    assert len(findings) == 3


# ----------------------------------------------------------------------------- smaller cases, one rule each


def test_a_label_wrapped_so_that_its_tail_is_another_label_is_read_whole(tmp_path):
    from conftest import FIXTURES as fixtures

    text = (fixtures / "reports" / "beilun-2018-report.txt").read_text(encoding="utf-8")
    wrapped = text.replace("\t　　　　　4.不同意公开答复数\n", "\t　　　　　4.不\n\t同意公开答复数\n")
    assert wrapped != text
    path = tmp_path / "wrapped.txt"
    path.write_text(wrapped, encoding="utf-8")
    report = load(path)
    assert report.number("legacy.apply.replies.refused") == 1  # not 2.同意公开答复数
    assert report.number("legacy.apply.replies.agreed") == 56


def test_a_short_row_of_a_tsv_is_not_shifted_left(tmp_path):
    rows = ["第二十条第（一）项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t9\t120",
            "行政规范性文件\t2\t1\t5", "第二十条第（五）项", "信息内容\t本年处理决定数量", "行政许可\t934",
            "现行有效件数\t逾期不补正\t本年收费金额"]
    path = tmp_path / "short.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = load(path, table_format="2021")
    assert not any(c.startswith("regulations.rules@") for c in report.values)
    assert report.number("regulations.normative@in_force") == 5
    assert ambiguous(report)["规章"] == row_cells("regulations.rules")


def test_the_cells_a_cut_html_row_lacks_are_unknown_not_blank(tmp_path):
    page = ('<table border="1"><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>'
            "<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr><tr><td>行政规范性文件</td><td>2</td>")
    path = tmp_path / "cut.html"
    path.write_text(page, encoding="utf-8")
    report = load(path, table_format="2021")
    assert report.number("regulations.normative@issued") == 2
    assert report.values["regulations.normative@issued"].placement == "labelled"
    assert "regulations.normative@repealed" not in report.values  # the page stops there: not a blank cell
