"""Each catalogue against itself and against the official row lists of the format specification."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import ROOT
from gdstat.catalog import format_ids, load_format

FORMATS = format_ids()
RULE_KINDS = {"sum", "row_total", "balance", "le", "bounds", "values", "zero_unless", "unit", "cross_year"}

# Table A and Table C labels as printed (formats.md §2.3, §2.5, §3.2).
TABLE_A = {
    "2019": {
        "第二十条第（一）项": (["本年新制作数量", "本年新公开数量", "对外公开总数量"], ["规章", "规范性文件"]),
        "第二十条第（五）项": (["上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", "其他对外管理服务事项"]),
        "第二十条第（六）项": (["上一年项目数量", "本年增/减", "处理决定数量"], ["行政处罚", "行政强制"]),
        "第二十条第（八）项": (["上一年项目数量", "本年增/减"], ["行政事业性收费"]),
        "第二十条第（九）项": (["采购项目数量", "采购总金额"], ["政府集中采购"]),
    },
    "2021": {
        "第二十条第（一）项": (["本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"]),
        "第二十条第（五）项": (["本年处理决定数量"], ["行政许可"]),
        "第二十条第（六）项": (["本年处理决定数量"], ["行政处罚", "行政强制"]),
        "第二十条第（八）项": (["本年收费金额（单位：万元）"], ["行政事业性收费"]),
    },
}
TABLE_B_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
TABLE_C_COLUMNS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def official_rows():
    """{format: [(code, label)]} from the row tables of the specification (docs/formats.md §1.3
    legacy, §2.4 Table B of 2019 and 2021, §3.3 the 2021 （六）其他处理 rows)."""
    rows: dict[str, list[tuple[str, str]]] = {}
    section = None
    for line in (ROOT / "docs" / "formats.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            section = {"### 1.3": "legacy", "### 2.4": "2019", "### 3.3": "2021"}.get(line[:7])
        elif section and line.startswith("| ") and not line.startswith(("| id", "|---")):
            code, label = [cell.strip() for cell in line.strip("|").split("|")][:2]
            if re.fullmatch(r"[LB][0-9.a-f]*", code):
                rows.setdefault(section, []).append((code, label))
    return rows


def operands(fmt, rule):
    keys = ("total", "parts", "left", "right", "cells")
    for key in keys:
        value = rule.get(key)
        for item in ([value] if isinstance(value, str) else value or []):
            yield item


@pytest.mark.parametrize("format_id", FORMATS)
def test_ids_are_unique_and_ascii(format_id):
    fmt = load_format(format_id)
    row_ids = [row.id for table in fmt.tables for row in table.rows]
    assert len(row_ids) == len(set(row_ids))
    assert len({t.id for t in fmt.tables}) == len(fmt.tables)
    assert len({r.id for r in fmt.rules}) == len(fmt.rules)
    assert len({m.id for m in fmt.metrics}) == len(fmt.metrics)
    for cell_id in fmt.cells:
        assert cell_id.isascii() and " " not in cell_id


@pytest.mark.parametrize("format_id", FORMATS)
def test_every_rule_operand_and_metric_term_exists(format_id):
    fmt = load_format(format_id)
    for rule in fmt.rules:
        assert rule.kind in RULE_KINDS, rule.id
        assert rule.severity in {"error", "warning", "info"}
        assert rule.text and rule.text_en
        if rule.get("table"):
            table = fmt.table(rule.get("table"))
        for name in operands(fmt, rule):
            if rule.get("each_column"):
                assert name in fmt.rows and fmt.rows[name].is_data, (rule.id, name)
                for column in table.columns:
                    assert f"{name}@{column.id}" in fmt.cells, (rule.id, name, column.id)
            else:
                assert name in fmt.cells, (rule.id, name)
        for name in rule.get("tables") or []:
            fmt.table(name)
        if rule.kind == "row_total":
            assert rule.get("total_column") in {c.id for c in table.columns}
    for metric in fmt.metrics:
        for term in metric.numerator + metric.denominator:
            assert term.lstrip("-") in fmt.cells, (metric.id, term)


@pytest.mark.parametrize("format_id", FORMATS)
def test_rule_ids_are_those_of_the_specification(format_id):
    prefix = "LG-" if format_id == "legacy" else "N-"
    for rule in load_format(format_id).rules:
        assert rule.id.rstrip("abcdefgh").startswith(prefix) and rule.id.rstrip("abcdefgh")[len(prefix):].isdigit()


def test_every_legacy_rule_of_the_specification_is_present():
    ids = {r.id.rstrip("ab") for r in load_format("legacy").rules}
    assert ids == {f"LG-{i:02d}" for i in range(1, 15)}


@pytest.mark.parametrize("format_id", ["2019", "2021"])
def test_arithmetic_rules_of_the_new_formats_are_present(format_id):
    ids = {r.id.rstrip("abcde") for r in load_format(format_id).rules}
    assert {"N-01", "N-02", "N-03", "N-05", "N-06", "N-07", "N-08", "N-11"} <= ids


def test_legacy_rows_are_the_official_rows_in_order():
    official = official_rows()["legacy"]
    rows = [(row.code, row.label) for row in load_format("legacy").tables[0].rows]
    assert rows == official


@pytest.mark.parametrize("format_id", ["2019", "2021"])
def test_table_b_rows_are_the_official_rows(format_id):
    official = dict(official_rows()["2019"])
    if format_id == "2021":
        official.update(dict(official_rows()["2021"]))
    table = load_format(format_id).table("requests")
    got = {row.code: row.label for row in table.rows}
    expected = {code: label for code, label in official.items() if format_id == "2021" or not code.startswith("B3.6.")}
    assert got == expected
    assert [c.label for c in table.columns] == TABLE_B_COLUMNS
    assert table.note == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert load_format(format_id).rows["outcome.other"].is_data is (format_id == "2019")


@pytest.mark.parametrize("format_id", ["2019", "2021"])
def test_table_a_and_c_labels(format_id):
    fmt = load_format(format_id)
    blocks = {t.caption: t for t in fmt.tables if t.caption}
    assert set(blocks) == set(TABLE_A[format_id])
    for caption, (columns, rows) in TABLE_A[format_id].items():
        assert [c.label for c in blocks[caption].columns] == columns
        assert [r.label for r in blocks[caption].data_rows] == rows
    review = fmt.table("review")
    assert [c.label for c in review.columns] == TABLE_C_COLUMNS
    assert [review.row_path(r) for r in review.data_rows] == [
        ("行政复议",), ("行政诉讼", "未经复议直接起诉"), ("行政诉讼", "复议后起诉")]


def test_units_and_number_kinds():
    legacy = load_format("legacy")
    assert legacy.cells["legacy.fees"].number == "decimal" and legacy.cells["legacy.fees"].unit == "万元"
    assert legacy.cells["legacy.capacity.budget"].number == "decimal"
    assert legacy.cells["legacy.meetings.trainees"].unit == "人次"
    assert load_format("2021").cells["fees.admin@amount"].unit == "万元"
    assert load_format("2019").cells["licensing.permits@change"].number == "signed"


def test_the_signatures_file_agrees_with_the_catalogues():
    """Detection reads catalog/signatures.toml; it must hold each format's signatures exactly."""
    from gdstat.catalog.model import load_signatures

    assert load_signatures() == {format_id: load_format(format_id).signatures for format_id in format_ids()}


def test_parsed_catalogue_files_are_kept_and_used_only_while_the_file_is_unchanged(tmp_path, monkeypatch):
    import tomllib

    from gdstat.catalog.model import CATALOG, read_toml

    monkeypatch.setattr(sys, "dont_write_bytecode", False)

    for source in [CATALOG / "signatures.toml", *sorted((CATALOG / "formats").glob("*.toml"))]:
        copy = tmp_path / source.name
        copy.write_bytes(source.read_bytes())
        want = tomllib.loads(source.read_text(encoding="utf-8"))
        assert read_toml(copy) == want and read_toml(copy) == want  # parsed, then kept
    copy = tmp_path / "x.toml"
    copy.write_text('a = "1"\n', encoding="utf-8")
    assert read_toml(copy) == {"a": "1"}
    copy.write_text('a = "2"\n', encoding="utf-8")  # same length, other bytes
    assert read_toml(copy) == {"a": "2"}
    kept = next((tmp_path / "__pycache__").glob("x.toml.*"))
    damaged = bytearray(kept.read_bytes())
    damaged[-2] ^= 1
    kept.write_bytes(bytes(damaged))
    assert read_toml(copy) == {"a": "2"}


def test_nothing_is_kept_where_python_writes_no_bytecode(tmp_path, monkeypatch):
    from gdstat.catalog.model import read_toml

    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # PYTHONDONTWRITEBYTECODE, python -B
    (tmp_path / "x.toml").write_text('a = ["b"]\n', encoding="utf-8")
    assert read_toml(tmp_path / "x.toml") == {"a": ["b"]}
    assert [p.name for p in tmp_path.iterdir()] == ["x.toml"]


def test_a_catalogue_whose_data_cannot_be_kept_is_parsed_each_time(tmp_path):
    from gdstat.catalog.model import read_toml

    (tmp_path / "x.toml").write_text('a = ["b"]\n', encoding="utf-8")
    (tmp_path / "__pycache__").write_bytes(b"")  # not a folder: nothing can be kept in it (even as root)
    assert read_toml(tmp_path / "x.toml") == read_toml(tmp_path / "x.toml") == {"a": ["b"]}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["__pycache__", "x.toml"]
