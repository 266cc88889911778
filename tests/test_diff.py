"""gdstat diff: year resolution, changes and their rounding, not-reported cells, cross-year findings, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gdstat import load
from gdstat.catalog import load_format
from gdstat.cli import app
from gdstat.diff import (Threshold, compare, cross_year_findings, diff, find_data_dir, resolve_inputs, resolve_year,
                         sparkline, step)
from gdstat.errors import UsageError
from gdstat.report import Report, Source, Value


ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-district"
runner = CliRunner()


def value(cid, v) -> Value:
    if v is None:
        return Value(cid, None, "blank", "")
    if isinstance(v, str):
        return Value(cid, None, "not-applicable", v)
    return Value(cid, v, "number", str(v))


def report(format_id: str, values: dict, year: int | None, path: str | None = None) -> Report:
    return Report(Source(path or f"{format_id}-{year}.xlsx", "xlsx"), format_id, "示范区", year,
                  {cid: value(cid, v) for cid, v in values.items()})


def write_sheet(path: Path, format_id: str, values: dict, year: int) -> Path:
    from gdstat.writers.layout import build
    from gdstat.writers.xlsx import draw

    draw(build(load_format(format_id), "示范市示范区人民政府", year), values).save(path)
    return path


def demo_values(year: int) -> dict:
    return {cid: v.value for cid, v in load(DEMO / f"{year}.xlsx").values.items() if v.kind == "number"}


# ----------------------------------------------------------------------------- year resolution


@pytest.fixture
def data_folder(tmp_path):
    folder = tmp_path / "data"
    (folder / "2019").mkdir(parents=True)
    for name in ("2017.xlsx", "北仑区2018年度统计表.xlsx", "2019/统计表.xlsx", "2020.xlsx", "2020年报告.csv",
                 "notes-2021.md", "20221.xlsx", "~$2017.xlsx"):
        (folder / name).write_bytes(b"x")
    return folder


@pytest.mark.parametrize("year, name", [("2017", "2017.xlsx"), ("2018", "北仑区2018年度统计表.xlsx"),
                                        ("2019", "2019/统计表.xlsx")])
def test_a_year_resolves_to_the_one_file_that_names_it(data_folder, year, name):
    assert resolve_year(year, data_folder) == data_folder / name


def test_a_year_with_no_file_is_a_usage_error(data_folder):
    # notes-2021.md is not a data file and 20221.xlsx holds no 2022; 2021 and 2022 find nothing.
    for year in ("2021", "2022"):
        with pytest.raises(UsageError) as info:
            resolve_year(year, data_folder)
        assert info.value.exit_code == 2 and "no data file" in str(info.value)


def test_an_ambiguous_year_lists_the_candidates(data_folder):
    with pytest.raises(UsageError) as info:
        resolve_year("2020", data_folder)
    assert "2020.xlsx" in str(info.value) and "2020年报告.csv" in str(info.value)


def test_data_dir_from_gdstat_toml_in_a_parent(data_folder, tmp_path):
    (tmp_path / "gdstat.toml").write_text('data_dir = "data"\n', encoding="utf-8")
    deep = tmp_path / "work" / "here"
    deep.mkdir(parents=True)
    assert find_data_dir(deep) == data_folder.resolve()
    assert resolve_inputs(["2017"], cwd=deep) == [data_folder.resolve() / "2017.xlsx"]


def test_dir_option_wins_and_files_pass_through(data_folder, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = resolve_inputs(["2017", "data/2020.xlsx"], data_dir="data")
    assert paths == [Path("data/2017.xlsx"), Path("data/2020.xlsx")]


def test_without_config_the_current_folder_is_searched(data_folder):
    assert find_data_dir(data_folder) == data_folder.resolve()


def test_cli_ambiguity_and_miss_exit_2(data_folder, monkeypatch, english):
    monkeypatch.chdir(data_folder)
    result = runner.invoke(app, ["diff", "2020", "2017"])
    assert result.exit_code == 2
    assert "2020.xlsx" in result.stderr and "hint" in result.stderr
    result = runner.invoke(app, ["diff", "2030", "2017"])
    assert result.exit_code == 2 and "2030" in result.stderr


@pytest.fixture
def agencies(tmp_path, monkeypatch):
    """A district's yearly sheets beside its units' sheets in units-2023/, and a reader that only
    tells the agency of each (by name) and records what it read."""
    folder = tmp_path / "district"
    names = {"2022.xlsx": "示范区", "2023.xlsx": "示范区", "units-2023/东湖街道.xlsx": "东湖街道",
             "units-2023/教育局.xlsx": "教育局"}
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"x")
    monkeypatch.chdir(folder)
    read: list[str] = []

    def reader(path: Path):
        read.append(str(path))
        return Report(Source(str(path), "xlsx"), "2021", names[str(path)], None, {})

    return folder, names, read, reader


def test_a_year_resolves_to_the_sheet_of_the_same_agency_reading_no_deeper_one(agencies):
    folder, names, read, reader = agencies
    assert resolve_inputs(["2022", "2023"], read=reader) == [Path("2022.xlsx"), Path("2023.xlsx")]
    assert sorted(read) == ["2022.xlsx", "2023.xlsx"]  # the units' sheets cannot change the answer


def test_a_year_resolves_to_a_deeper_sheet_of_the_same_agency(agencies):
    folder, names, read, reader = agencies
    names["2023.xlsx"] = "东湖街道"  # a unit's sheet at the top...
    (folder / "units-2023" / "示范区.xlsx").write_bytes(b"x")  # ...and the district's among the units'
    names["units-2023/示范区.xlsx"] = "示 范 区"
    assert resolve_inputs(["2022", "2023"], read=reader) == [Path("2022.xlsx"), Path("units-2023/示范区.xlsx")]


def test_two_sheets_of_the_agency_at_one_depth_are_a_usage_error_naming_them(agencies):
    folder, names, read, reader = agencies
    (folder / "2023年报告.xlsx").write_bytes(b"x")
    names["2023年报告.xlsx"] = "示范区"
    with pytest.raises(UsageError) as info:
        resolve_inputs(["2022", "2023"], read=reader)
    assert "2023.xlsx" in str(info.value) and "2023年报告.xlsx" in str(info.value)
    assert "units-2023" not in str(info.value)


def test_one_input_is_a_usage_error():
    with pytest.raises(UsageError):
        diff(["2017"])


# ----------------------------------------------------------------------------- changes


def test_percent_change_is_rounded_half_up():
    assert step(16, 17, Threshold()).percent == Decimal("6.3")  # 6.25: round() would give 6.2
    assert step(8, 9, Threshold(), precision=0).percent == Decimal("13")  # 12.5
    assert step(3, 2, Threshold()).percent == Decimal("-33.3")
    assert step(Decimal("1.5"), Decimal("2.25"), Threshold(), precision=2).percent == Decimal("50.00")


def test_changes_from_and_to_zero():
    new = step(0, 5, Threshold())
    assert new.new and new.percent is None and new.change == 5
    gone = step(5, 0, Threshold())
    assert not gone.new and gone.percent == Decimal("-100.0")
    nothing = step(0, 0, Threshold())
    assert not nothing.new and nothing.percent is None and nothing.change == 0
    negative_base = step(-4, 2, Threshold())  # 本年增/减 may be negative: the percentage is of |A|
    assert negative_base.percent == Decimal("150.0")


def test_not_reported_is_no_change():
    assert step(None, 5, Threshold()) == step(5, None, Threshold())
    assert step(None, 5, Threshold()).change is None


def test_threshold_flags_large_moves_only():
    th = Threshold()
    assert step(10, 21, th).flagged  # +110 %, +11
    assert not step(2, 9, th).flagged  # +350 % but only 7 units
    assert step(0, 12, th).flagged  # new, 12 units
    assert not step(0, 9, th).flagged
    assert not step(100, 140, th).flagged  # 40 %
    assert step(100, 40, th).flagged  # -60 %
    assert step(10, 16, Threshold.parse("30%,5")).flagged
    assert Threshold.parse("20") == Threshold(Decimal(20), Decimal(10))
    with pytest.raises(UsageError):
        Threshold.parse("lots")


def test_shares_change_in_percentage_points():
    a = {"outcome.disclosed@total": 1, "outcome.total@total": 8}
    b = {"outcome.disclosed@total": 3, "outcome.total@total": 8}
    result = compare([report("2021", a, 2021), report("2021", b, 2022)])
    row = next(r for r in result.rows if r.id == "share.disclosed")
    assert row.values == [Decimal("12.5"), Decimal("37.5")]
    assert row.steps[0].change == Decimal("25.0") and row.steps[0].percent is None


def test_not_reported_cells_are_kept_apart_from_zero():
    cid = "licensing.permits@decisions"
    other = "enforcement.penalties@decisions"
    a = report("2021", {cid: "/", other: 0, "fees.admin@amount": None}, 2021)
    b = report("2021", {cid: 30, other: 0, "fees.admin@amount": None}, 2022)
    result = compare([a, b])
    row = next(r for r in result.rows if r.id == cid)
    assert row.entries[0].status == "not-reported" and row.entries[0].raw == "/"
    assert row.values == [None, 30] and row.steps[0].change is None
    shown = {r.id for r in result.shown()}
    assert cid in shown and other not in shown and "fees.admin@amount" not in shown
    everything = compare([a, b], show_all=True)
    assert {other, "fees.admin@amount"} <= {r.id for r in everything.shown()}
    assert result.hidden == len(result.rows) - len(result.shown())


def test_changed_shows_only_rows_that_moved():
    a = report("2021", {"licensing.permits@decisions": 5, "enforcement.penalties@decisions": 7}, 2021)
    b = report("2021", {"licensing.permits@decisions": 5, "enforcement.penalties@decisions": 9}, 2022)
    ids = {r.id for r in compare([a, b], changed_only=True).shown()}
    assert "enforcement.penalties@decisions" in ids and "licensing.permits@decisions" not in ids


def test_reports_are_put_in_year_order():
    a = report("2021", {"licensing.permits@decisions": 5}, 2022)
    b = report("2021", {"licensing.permits@decisions": 9}, 2021)
    result = compare([a, b])
    assert result.labels == ["2021", "2022"]


def test_sparkline():
    assert sparkline([0, 7, 14]) == "▁▅█"
    assert sparkline([5, None, 5]) == "█ █"  # bars start at 0
    assert sparkline([0, 0]) == "▁▁"
    assert sparkline([None, None]) == "  "


# ----------------------------------------------------------------------------- the demo district


def test_demo_2017_2018_values_are_those_read():
    result = diff([DEMO / "2017.xlsx", DEMO / "2018.xlsx"])
    a, b = demo_values(2017), demo_values(2018)
    for row in result.shown("compared"):
        cid = row.cells[0]
        assert row.values == [a.get(cid), b.get(cid)]
        assert row.quality == "same"
    received = next(r for r in result.rows if r.id == "legacy.apply.received")
    expected = (Decimal(b["legacy.apply.received"]) - a["legacy.apply.received"]) * 100 / a["legacy.apply.received"]
    assert abs(received.steps[0].percent - expected) <= Decimal("0.05")


def test_demo_trend_has_every_year_and_no_cross_year_error():
    years = [str(y) for y in range(2017, 2024)]
    result = diff([DEMO / f"{y}.xlsx" for y in years])
    assert result.labels == years
    assert not [f for f in result.findings if f.severity != "info"]
    row = next(r for r in result.rows if r.id == "requests.new@total")
    v = [demo_values(y) for y in range(2017, 2024)]
    assert row.values == [v[0]["legacy.apply.received"], v[1]["legacy.apply.received"],
                          *(x["requests.new@total"] for x in v[2:])]
    assert row.quality == "close"


# ----------------------------------------------------------------------------- cross-year findings


def requests_2021(carried_over: int, carried_forward: int) -> dict:
    return {"requests.carried_over@natural_person": carried_over,
            "requests.carried_forward@natural_person": carried_forward}


def test_carryover_mismatch_per_column():
    before = report("2021", requests_2021(1, 4), 2021)
    after = report("2021", requests_2021(3, 2), 2022)
    findings = cross_year_findings(before, after)
    found = [f for f in findings if f.code == "carryover-mismatch"]
    assert len(found) == 1
    assert found[0].rule == "N-08" and found[0].severity == "warning"
    assert (found[0].expected, found[0].actual) == (4, 3)
    assert "自然人" in found[0].message
    ok = cross_year_findings(before, report("2021", requests_2021(4, 2), 2022))
    assert not [f for f in ok if f.code == "carryover-mismatch"]


def test_carryover_from_2019_format_to_2021():
    before = report("2019", requests_2021(1, 4), 2020)
    after = report("2021", requests_2021(5, 2), 2021)
    assert [f.expected for f in cross_year_findings(before, after) if f.code == "carryover-mismatch"] == [4]


def test_carryover_after_legacy_says_there_is_nothing_to_compare():
    before = report("legacy", {"legacy.apply.received": 5}, 2018)
    after = report("2019", requests_2021(3, 2), 2019)
    findings = cross_year_findings(before, after)
    assert [(f.code, f.severity, f.rule) for f in findings] == [("no-previous-counterpart", "info", "N-08")]


def regulations(in_force, issued, repealed) -> dict:
    return {"regulations.normative@in_force": in_force, "regulations.normative@issued": issued,
            "regulations.normative@repealed": repealed}


def test_in_force_continuity():
    before = report("2021", regulations(50, 3, 1), 2021)
    good = report("2021", regulations(55, 7, 2), 2022)
    assert not [f for f in cross_year_findings(before, good) if f.rule in ("N-12", "N-13")]
    bad = report("2021", regulations(60, 7, 2), 2022)
    found = [f for f in cross_year_findings(before, bad) if f.code == "in-force-continuity"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert (found[0].expected, found[0].actual) == (55, 60)


def test_repeal_exceeding_the_stock():
    before = report("2021", regulations(5, 3, 1), 2021)
    after = report("2021", regulations(0, 2, 9), 2022)
    found = [f for f in cross_year_findings(before, after) if f.code == "repeal-exceeds-stock"]
    assert len(found) == 1 and found[0].rule == "N-13" and found[0].actual == 9


def test_not_consecutive_years_are_not_cross_checked():
    before = report("2021", requests_2021(1, 4), 2020)
    after = report("2021", requests_2021(3, 2), 2022)
    assert [f.code for f in cross_year_findings(before, after)] == ["not-consecutive"]


def test_identical_table_is_an_error(tmp_path, monkeypatch):
    values = demo_values(2022)
    write_sheet(tmp_path / "2022.xlsx", "2021", values, 2022)
    changed = dict(values)
    changed["requests.new@natural_person"] += 1
    changed["requests.new@total"] += 1
    write_sheet(tmp_path / "2023.xlsx", "2021", {**changed, **{k: v for k, v in values.items()
                                                            if not k.startswith("requests.")}}, 2023)
    result = diff([tmp_path / "2022.xlsx", tmp_path / "2023.xlsx"])
    identical = [f for f in result.findings if f.code == "identical-to-previous-year"]
    tables = {f.message_en.split("“")[1].split("”")[0] for f in identical}
    assert identical and all(f.severity == "error" for f in identical)
    assert load_format("2021").table("requests").label_en not in tables
    assert load_format("2021").table("review").label_en in tables
    # A one-cell table repeating its value is too little to call a copy (fewer than three non-zero numbers).
    assert load_format("2021").table("licensing").label_en not in tables
    monkeypatch.chdir(tmp_path)
    cli = runner.invoke(app, ["diff", "2022", "2023", "-f", "json"])
    assert cli.exit_code == 1
    assert {f["code"] for f in json.loads(cli.stdout)["findings"]} >= {"identical-to-previous-year", "carryover-mismatch"}
    assert runner.invoke(app, ["diff", "2022", "2023", "--fail-on", "never"]).exit_code == 0


def test_a_table_of_zeros_is_not_called_a_copy():
    zeros = {cid: 0 for cid in load_format("2021").cells if cid.startswith("review@")}
    findings = cross_year_findings(report("2021", zeros, 2021), report("2021", zeros, 2022))
    assert not [f for f in findings if f.code == "identical-to-previous-year"]


# ----------------------------------------------------------------------------- the command


def test_cli_json_is_the_library_result(monkeypatch):
    monkeypatch.chdir(DEMO)
    result = runner.invoke(app, ["diff", "2017", "2018", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    expected = json.loads(json.dumps(diff(["2017", "2018"]).to_dict(), ensure_ascii=False,
                                     default=lambda d: int(d) if d == d.to_integral_value() and d.as_tuple().exponent >= 0 else float(d)))
    assert data == expected
    assert data["schema_version"] == "1" and data["gdstat_version"]
    assert [r["label"] for r in data["reports"]] == ["2017", "2018"]
    assert data["rows"] and all(len(r["values"]) == 2 for r in data["rows"])


def test_cli_across_formats_has_qualities_and_unmatched_rows(monkeypatch):
    monkeypatch.chdir(DEMO)
    result = runner.invoke(app, ["diff", "2018", "2019", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["basis"] == "2019"
    assert {r["quality"] for r in data["rows"]} <= {"close", "approximate"}
    assert all(r["notes"] for r in data["rows"])
    assert data["unmatched"] and all(r["quality"] == "none" for r in data["unmatched"])
    assert any(f["code"] == "no-previous-counterpart" for f in data["findings"])


def test_cli_trend_plain_and_csv(monkeypatch):
    monkeypatch.chdir(DEMO)
    years = [str(y) for y in range(2017, 2024)]
    plain = runner.invoke(app, ["diff", *years, "-f", "plain"])
    assert plain.exit_code == 0, plain.stderr
    assert any(ch in plain.stdout for ch in "▁▂▃▄▅▆▇█")
    csv_out = runner.invoke(app, ["diff", *years, "-f", "csv"])
    header = csv_out.stdout.splitlines()[0].split(",")
    assert header[5:12] == years and "change 2022→2023" in header
    assert not any(ch in csv_out.stdout for ch in "▁▂▃▄▅▆▇█")


def test_cli_writes_a_file_and_refuses_to_replace_it(monkeypatch, tmp_path):
    monkeypatch.chdir(DEMO)
    out = tmp_path / "diff.csv"
    assert runner.invoke(app, ["diff", "2020", "2021", "-f", "csv", "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("section,id,label")
    again = runner.invoke(app, ["diff", "2020", "2021", "-f", "csv", "-o", str(out)])
    assert again.exit_code == 2


def test_cli_english_labels(monkeypatch):
    monkeypatch.chdir(DEMO)
    result = runner.invoke(app, ["diff", "2021", "2022", "--lang", "en", "-f", "plain", "--changed"])
    assert result.exit_code == 0 and "Change %" in result.stdout


def test_cli_unreadable_file_exits_3(tmp_path):
    bad = tmp_path / "2020.xlsx"
    bad.write_text("not a sheet", encoding="utf-8")
    result = runner.invoke(app, ["diff", str(bad), str(DEMO / "2021.xlsx")])
    assert result.exit_code == 3


def test_subprocess_diff_across_the_2019_change():
    result = subprocess.run([sys.executable, "-m", "gdstat", "diff", "2018", "2019", "-f", "json"], cwd=DEMO,
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    row = next(r for r in data["rows"] if r["id"] == "requests.new@total")
    assert row["values"] == [demo_values(2018)["legacy.apply.received"], demo_values(2019)["requests.new@total"]]
    assert row["quality"] == "close"


def test_row_ids_are_unique_across_formats():
    result = diff([DEMO / f"{y}.xlsx" for y in range(2017, 2024)], show_all=True)
    ids = [r.id for r in result.rows]
    assert len(ids) == len(set(ids))
    separate = [r for r in result.rows if r.id.startswith("outcome.total@total~")]
    assert [r.label for r in separate] == ["申请办结数"]
