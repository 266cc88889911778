"""gdstat aggregate: units of one format and year summed cell by cell, each unit and the sum checked."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import DEMO, ROOT
from gdstat import load
from gdstat.aggregate import aggregate
from gdstat.cli import app

runner = CliRunner()
UNITS = DEMO / "units-2023"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def numbers(report) -> dict:
    return {cid: v.value for cid, v in report.values.items()}


def test_the_demo_units_add_up_to_the_district():
    result = aggregate([UNITS])
    district = load(DEMO / "2023.xlsx")
    assert len(result.units) == 6
    assert numbers(result.report) == numbers(district)
    assert (result.report.format, result.report.year, result.report.agency) == ("2021", 2023, "汇总")
    assert result.findings == []
    # every unit keeps every rule, and none is the district itself
    assert all(not u.findings and u.report.agency != district.agency for u in result.units)


def test_cli_writes_the_official_sheet(tmp_path, english):
    out = tmp_path / "district.xlsx"
    result = run("aggregate", UNITS, "-o", out, "--agency", "示范市示范区人民政府")
    assert result.exit_code == 0, result.output
    written = load(out)
    assert numbers(written) == numbers(load(DEMO / "2023.xlsx"))
    assert (written.agency, written.year) == ("示范市示范区人民政府", 2023)
    assert "6 units" in result.stderr
    assert run("aggregate", UNITS, "-o", out).exit_code == 2  # not replaced without --force
    with_formulas = tmp_path / "formulas.xlsx"
    assert run("aggregate", UNITS, "-o", with_formulas, "--formulas").exit_code == 0
    assert numbers(load(with_formulas)) == numbers(written)
    sheet = openpyxl.load_workbook(with_formulas).active
    assert any(isinstance(c.value, str) and "SUM(" in c.value for row in sheet.iter_rows() for c in row)


def test_subprocess_from_the_project_root(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "gdstat", "aggregate", "examples/demo-district/units-2023/", "-f", "json"],
                          capture_output=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    district = numbers(load(DEMO / "2023.xlsx"))
    assert {v["id"]: v["value"] for v in data["values"]} == {k: (float(v) if v != int(v) else v) for k, v in district.items()}
    assert [u["agency"] for u in data["units"]][:1] == ["示范区发展和改革局"]
    assert data["source"]["kind"] == "aggregate" and data["report"]["agency"] == "汇总"


def test_not_reported_cells(tmp_path, sheet_writer, demo_values):
    base = demo_values["2021"]
    blank_in_a = "outcome.disclosed@business"  # blank in A, reported in B
    blank_everywhere = "outcome.other.no_correction@other_org"
    dash_everywhere = "fees.admin@amount"
    a = {**base, blank_in_a: None, blank_everywhere: None, dash_everywhere: None}
    b = {**base, blank_everywhere: None, dash_everywhere: None}
    paths = [sheet_writer("2021", a, agency="甲街道办事处", year=2022),
             sheet_writer("2021", b, agency="乙街道办事处", year=2022)]
    for path in paths:  # write "/" into the fee cell of both
        cell = load(path).values[dash_everywhere].location.cell
        book = openpyxl.load_workbook(path)
        book.active[cell] = "/"
        book.save(path)
    result = aggregate(paths)
    values = result.report.values
    assert base[blank_in_a] > 0
    assert values[blank_in_a].value == base[blank_in_a]  # not reported + n = n
    assert values[blank_everywhere].value is None and values[blank_everywhere].kind == "blank"  # never 0
    assert values[dash_everywhere].value is None and values[dash_everywhere].kind == "not-applicable"
    other = "outcome.disclosed@natural_person"
    assert values[other].value == 2 * base[other]
    # A left a part blank but counted it in its totals: A's sum is only incomplete, the district's
    # no longer adds up, and the check of the sum says so rather than papering over the blank.
    unit_a = result.units[0]
    assert {f.code for f in unit_a.findings if blank_in_a in {c.id for c in f.cells}} == {"incomplete-sum"}
    mismatches = [f for f in result.summary.findings if f.code == "sum-mismatch"]
    assert mismatches and all(blank_in_a in {c.id for c in f.cells} for f in mismatches)


def test_findings_name_their_unit(tmp_path, sheet_writer, demo_values):
    good = dict(demo_values["2021"])
    bad = {**good, "outcome.disclosed@natural_person": good["outcome.disclosed@natural_person"] + 5}
    paths = [sheet_writer("2021", good, agency="甲街道办事处"), sheet_writer("2021", bad, agency="乙街道办事处")]
    result = run("aggregate", *paths, "-f", "json", "--agency", "示范区")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    by_unit = {}
    for finding in data["findings"]:
        if finding["severity"] == "error":
            by_unit.setdefault(finding["unit"], set()).add(finding["path"])
    assert by_unit == {"乙街道办事处": {str(paths[1])}, "示范区": {data["source"]["path"]}}
    assert [u["summary"]["errors"] for u in data["units"]] == [0, 2]  # N-03 and N-02 in that column
    plain = run("aggregate", *paths, "-f", "plain")
    assert "乙街道办事处" in plain.stdout and "汇总单位" in plain.stdout


def test_mixed_formats_or_years_are_refused(tmp_path, sheet_writer, demo_values):
    a = sheet_writer("2021", demo_values["2021"], year=2022)
    b = sheet_writer("2019", demo_values["2019"], year=2020)
    c = sheet_writer("2021", demo_values["2021"], year=2021)
    for pair in ((a, b), (a, c)):
        result = run("aggregate", *pair, "-o", tmp_path / "sum.xlsx")
        assert result.exit_code == 2
        assert str(pair[0]) in result.stderr and str(pair[1]) in result.stderr
    assert not (tmp_path / "sum.xlsx").exists()


def test_an_unreadable_unit_stops_the_sum(tmp_path, english):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nothing")
    result = run("aggregate", DEMO / "2022.xlsx", bad, "-o", tmp_path / "sum.xlsx")
    assert result.exit_code == 3 and "bad.xlsx" in result.stderr and "nothing was summed" in result.stderr
    assert not (tmp_path / "sum.xlsx").exists()


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_other_output_formats(tmp_path, fmt):
    out = tmp_path / f"sum.{fmt}"
    result = run("aggregate", UNITS, "-f", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if fmt == "csv":  # the sum's values, as summarize writes them
        assert "outcome.total@total" in text
    else:  # the sum's tables, then the units (which have no findings)
        assert "汇总单位" in text and "示范区东湖街道办事处" in text and "各单位检查结果" not in text


def test_a_unit_in_two_files_is_a_warning(tmp_path, sheet_writer, demo_values):
    paths = [sheet_writer("2021", demo_values["2021"], agency="甲街道办事处"),
             sheet_writer("2021", demo_values["2021"], agency="甲街道办事处"),
             sheet_writer("2021", demo_values["2021"], agency="乙街道办事处")]
    result = aggregate(paths)
    duplicates = [f for f in result.summary.findings if f.code == "duplicate-unit"]
    assert len(duplicates) == 1 and duplicates[0].severity == "warning"
    assert "甲街道办事处" in duplicates[0].message and str(paths[1]) in duplicates[0].location
    assert result.report.number("outcome.total@total") == 3 * demo_values["2021"]["outcome.total@total"]  # kept
    # the same file reached twice is read once, so it is no duplicate
    assert not [f for f in aggregate([paths[2], paths[2].parent / "*2.xlsx"]).summary.findings
                if f.code == "duplicate-unit"]


def test_the_units_folder_leaves_a_year_resolving_to_the_district(tmp_path):
    from gdstat.diff import resolve_year
    from gdstat.errors import UsageError

    assert resolve_year("2023", DEMO) == DEMO / "2023.xlsx"
    # one file at the top wins over deeper ones; two at the same depth stay ambiguous
    (tmp_path / "units-2023").mkdir()
    for name in ("2023.xlsx", "units-2023/a.xlsx", "units-2023/b.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    assert resolve_year("2023", tmp_path) == tmp_path / "2023.xlsx"
    (tmp_path / "2023.xlsx").unlink()
    with pytest.raises(UsageError) as info:
        resolve_year("2023", tmp_path)
    assert "a.xlsx" in str(info.value) and "b.xlsx" in str(info.value)


def test_a_unit_with_only_a_group_subtotal_makes_the_sum_a_subtotal():
    """One unit reports （六）其他处理 as a single 2019-style row, the other its three rows: the sum
    can only hold the group's subtotal, and it holds all of both units' numbers."""
    from gdstat.aggregate import sum_reports
    from gdstat.report import Report, Source, Value

    def v(cell_id, n):
        return Value(cell_id, n, "number", str(n))

    a = Report(Source("a.csv", "csv"), "2021", "甲", 2023, {"outcome.other@total": v("outcome.other@total", 4),
                                                          "outcome.disclosed@total": v("outcome.disclosed@total", 5)})
    b = Report(Source("b.csv", "csv"), "2021", "乙", 2023, {
        "outcome.other.no_correction@total": v("outcome.other.no_correction@total", 1),
        "outcome.other.fee_unpaid@total": v("outcome.other.fee_unpaid@total", 2),
        "outcome.other.other@total": v("outcome.other.other@total", 3),
        "outcome.disclosed@total": v("outcome.disclosed@total", 7)})
    total = sum_reports([a, b])
    assert total.values["outcome.other@total"].value == 4 + 1 + 2 + 3
    assert "outcome.other.no_correction@total" not in total.values
    assert total.values["outcome.disclosed@total"].value == 12
    plain = sum_reports([b, b])
    assert plain.values["outcome.other.other@total"].value == 6 and "outcome.other@total" not in plain.values
