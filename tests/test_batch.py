"""gdstat batch and to_frame: many inputs into one tidy dataset, bad files as findings, exit codes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BEILUN, DEMO, EXAMPLES, ROOT
from gdstat import batch, load, validate
from gdstat.inputs import expand
from gdstat.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def expected_rows(path) -> dict[str, object]:
    """{cell id: value} for every official cell of a file, as the loader reads it."""
    from gdstat.catalog import load_format

    report = load(path)
    return {cid: (report.values[cid].value if cid in report.values else None)
            for cid in load_format(report.format).cells}


@pytest.fixture
def mixed(tmp_path):
    """A folder of good sheets (one in a subfolder), a broken and an empty file, and things that are not reports."""
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(DEMO / "2022.xlsx", folder / "2022.xlsx")
    shutil.copy(BEILUN, folder / "sub" / "beilun.xlsx")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 this is not a zip archive")
    (folder / "empty.csv").write_bytes(b"")
    (folder / "notes.md").write_text("not a report", encoding="utf-8")  # not an input suffix: skipped
    (folder / "~$2022.xlsx").write_bytes(b"lock")  # Excel's lock file: skipped
    (folder / ".hidden.xlsx").write_bytes(b"hidden")  # skipped
    return folder


def test_expand_folders_globs_and_duplicates(mixed):
    files = expand([mixed])
    names = sorted(p.rsplit("/", 1)[-1] for p in files)
    assert names == ["2022.xlsx", "beilun.xlsx", "broken.xlsx", "empty.csv"]
    # a glob, a file already reached through the folder, and a name that matches nothing
    files = expand([f"{mixed}/*.xlsx", mixed / "2022.xlsx", f"{mixed}/**/beil*.xlsx", f"{mixed}/none-*.xlsx"])
    names = [p.rsplit("/", 1)[-1] for p in files]
    assert names == ["2022.xlsx", "broken.xlsx", "beilun.xlsx", "none-*.xlsx"]


def test_a_file_reached_through_links_is_read_once(mixed, tmp_path):
    """A folder's files are known by their real paths: a link to a file, a folder reached through a
    link, and the file named itself are one file."""
    (mixed / "sub" / "again.xlsx").symlink_to(mixed / "2022.xlsx")
    (tmp_path / "linked").symlink_to(mixed, target_is_directory=True)
    files = expand([mixed, tmp_path / "linked", tmp_path / "linked" / "sub" / "beilun.xlsx", mixed / "2022.xlsx"])
    assert [p.rsplit("/", 1)[-1] for p in files] == ["2022.xlsx", "broken.xlsx", "empty.csv", "beilun.xlsx"]


def test_mixed_good_and_bad_files_finish_with_findings_and_the_worst_code(mixed, tmp_path, english):
    out, found = tmp_path / "all.csv", tmp_path / "findings.csv"
    result = run("batch", mixed, tmp_path / "missing.xlsx", "-o", out, "--findings", found, "-j", "2")
    assert result.exit_code == 3, result.output
    with found.open(encoding="utf-8") as handle:
        findings = list(csv.DictReader(handle))
    bad = {r["path"].rsplit("/", 1)[-1] for r in findings if r["code"] == "input-unreadable"}
    assert bad == {"broken.xlsx", "empty.csv", "missing.xlsx"}
    assert {r["severity"] for r in findings if r["code"] == "input-unreadable"} == {"error"}
    # the good files' own findings are there too: the LG-10 warnings of the 北仑 sheet
    assert any(r["rule"] == "LG-10" and r["path"].endswith("beilun.xlsx") for r in findings)
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["path"].rsplit("/", 1)[-1] for r in rows} == {"2022.xlsx", "beilun.xlsx"}
    assert "3 unreadable" in result.stderr and "broken.xlsx" in result.stderr


def test_exit_code_is_the_worst_seen(tmp_path):
    assert run("batch", DEMO / "2022.xlsx", BEILUN, "-o", tmp_path / "a.csv").exit_code == 0  # warnings only
    assert run("batch", DEMO / "2022.xlsx", BEILUN, "-o", tmp_path / "b.csv", "--fail-on", "warning").exit_code == 1
    assert run("batch", BEILUN, tmp_path / "nope.xlsx", "-o", tmp_path / "c.csv", "--fail-on", "warning").exit_code == 3


def test_parquet_keeps_text_that_looks_like_a_missing_value(tmp_path):
    """Rows reach the Parquet writer as CSV text: only an empty field is missing there, as in the
    CSV and JSONL outputs; NA, N/A, null and NaN are text (an agency, a cell's raw text)."""
    pq = pytest.importorskip("pyarrow.parquet")
    sink = batch.Sink(tmp_path / "s.parquet", "parquet", batch.COLUMNS)
    row = ("a.xlsx", "NA", 2022, "2021", "x@y", "t", "r", None, "件", 1.5, "number", "null", "a.xlsx!S!B2")
    assert len(row) == len(batch.COLUMNS)
    sink.write([row, (*row[:9], None, "missing", "", None), (*row[:11], "N/A", "NaN")])
    sink.commit()
    rows = [tuple(r.values()) for r in pq.read_table(tmp_path / "s.parquet").to_pylist()]
    assert rows == [row, (*row[:9], None, "missing", None, None), (*row[:11], "N/A", "NaN")]


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet"])
def test_each_output_kind_reads_back(tmp_path, suffix):
    if suffix == "parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / f"all.{suffix}"
    result = run("batch", DEMO / "2021.xlsx", DEMO / "2023.xlsx", BEILUN, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    if suffix == "csv":
        with out.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    elif suffix == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
    assert list(rows[0]) == list(batch.COLUMNS)
    for path in (DEMO / "2021.xlsx", DEMO / "2023.xlsx", BEILUN):
        mine = {r["id"]: r for r in rows if r["path"] == str(path)}
        for cell_id, value in expected_rows(path).items():
            got = mine[cell_id]["value"]
            if value is None:
                assert got in (None, ""), cell_id
            else:  # CSV holds text, JSONL and Parquet numbers; all equal the value read
                assert Decimal(str(got)) == value, cell_id
    fee = next(r for r in rows if r["path"] == str(DEMO / "2023.xlsx") and r["id"] == "fees.admin@amount")
    assert fee["unit"] == "万元" and fee["table"] == "fees" and fee["format"] == "2021"
    assert str(fee["year"]) == "2023" and fee["agency"] == "示范市示范区人民政府"
    assert fee["location"].endswith("!统计表!" + load(DEMO / "2023.xlsx").values["fees.admin@amount"].location.cell)
    legacy = next(r for r in rows if r["id"] == "legacy.apply.received.online")
    assert legacy["row"] == "3.网络申请数" and legacy["column"] in (None, "")


def test_processes_give_the_same_dataset_as_one(tmp_path):
    files = [DEMO / f"{year}.xlsx" for year in range(2017, 2024)] + [BEILUN]
    assert run("batch", *files, "-o", tmp_path / "one.jsonl", "-j", "1").exit_code == 0
    assert run("batch", *files, "-o", tmp_path / "two.jsonl", "-j", "2").exit_code == 0
    one = (tmp_path / "one.jsonl").read_text(encoding="utf-8")
    assert one == (tmp_path / "two.jsonl").read_text(encoding="utf-8")
    assert len(one.splitlines()) == sum(len(expected_rows(f)) for f in files)


def test_existing_output_is_refused_and_nothing_is_left_behind(tmp_path, english):
    out = tmp_path / "all.csv"
    out.write_text("keep", encoding="utf-8")
    result = run("batch", BEILUN, "-o", out)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep"
    assert run("batch", BEILUN, "-o", out, "--force", "-q").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("path,agency,year")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.csv"]  # no temporary files


def test_a_parquet_dataset_is_named_as_one_not_as_a_binary_file(tmp_path, english):
    """A dataset batch wrote, given where a report belongs: said to be a dataset, with where it is read."""
    pytest.importorskip("pyarrow.parquet")
    dataset = tmp_path / "one.parquet"
    assert run("batch", BEILUN, "-o", dataset, "-q").exit_code in (0, 1)
    result = run("summarize", dataset)
    assert result.exit_code == 3
    assert "a Parquet file (a dataset such as gdstat batch writes), not a report" in result.stderr
    assert "gdstat report reads a whole dataset" in result.stderr


def test_usage_errors(tmp_path, english):
    assert run("batch", BEILUN, "-o", tmp_path / "all.xlsx").exit_code == 2  # unknown dataset kind
    assert run("batch", BEILUN, "-f", "parquet").exit_code == 2  # Parquet needs a file
    same = tmp_path / "x.csv"
    assert run("batch", BEILUN, "-o", same, "--findings", same).exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("batch", empty, "-o", tmp_path / "e.csv")
    assert result.exit_code == 3 and "no input files" in result.stderr


def test_a_bug_on_one_file_is_recorded_and_the_others_run(tmp_path, monkeypatch):
    import gdstat.rules

    real = gdstat.rules.check

    def check(report):
        if report.year == 2018:
            raise RuntimeError("boom")
        return real(report)

    monkeypatch.setattr(gdstat.rules, "check", check)
    result = run("batch", BEILUN, DEMO / "2022.xlsx", "-o", tmp_path / "a.csv", "--findings", tmp_path / "f.jsonl",
                 "-j", "1")
    assert result.exit_code == 4
    findings = [json.loads(line) for line in (tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(f["code"], f["path"]) for f in findings] == [("internal-error", str(BEILUN))]
    assert "RuntimeError: boom" in findings[0]["message"]
    assert "2022.xlsx" in (tmp_path / "a.csv").read_text(encoding="utf-8")


def test_quiet_and_summary_line(tmp_path, english):
    result = run("batch", BEILUN, "-o", tmp_path / "a.csv")
    assert result.stderr.startswith("gdstat: 1 file, 0 unreadable; 58 values")
    quiet = run("batch", BEILUN, "-o", tmp_path / "b.csv", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_subprocess_streams_csv_to_stdout_from_a_glob(english):
    proc = subprocess.run([sys.executable, "-m", "gdstat", "batch", "examples/demo-district/202*.xlsx", "-j", "2"],
                          capture_output=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    rows = list(csv.DictReader(proc.stdout.decode("utf-8").splitlines()))
    assert {r["year"] for r in rows} == {"2020", "2021", "2022", "2023"}
    assert len(rows) == sum(len(expected_rows(DEMO / f"{y}.xlsx")) for y in (2020, 2021, 2022, 2023))
    err = proc.stderr.decode("utf-8")
    assert err.count("\n") == 1 and err.startswith("gdstat: 4 files")  # no progress bar in a pipe


def test_examples_folder(tmp_path):
    out = tmp_path / "all.csv"
    result = run("batch", EXAMPLES, "-o", out)
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        paths = {r["path"] for r in csv.DictReader(handle)}
    assert len(paths) == 1 + 7 + 6 + 3  # 北仑, the district's years, its 2023 units and its published reports


def test_to_frame(tmp_path):
    pd = pytest.importorskip("pandas")
    import gdstat

    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    frame = gdstat.to_frame([DEMO / "2022.xlsx", BEILUN, tmp_path / "bad.xlsx"], jobs=1)
    assert list(frame.columns) == list(batch.COLUMNS)
    assert frame["value"].dtype == "float64" and str(frame["year"].dtype) == "Int64"
    assert list(frame.attrs["unreadable"]) == [str(tmp_path / "bad.xlsx")]
    for path in (DEMO / "2022.xlsx", BEILUN):
        part = frame[frame["path"] == str(path)].set_index("id")["value"]
        for cell_id, value in expected_rows(path).items():
            if value is None:
                assert pd.isna(part[cell_id])
            else:
                assert part[cell_id] == float(value)
    # the README's pivot: share of 予以公开 by year
    by_year = frame[frame["id"].isin(["outcome.disclosed@total", "outcome.total@total"])].pivot_table(
        index="year", columns="id", values="value", aggfunc="sum")
    report = load(DEMO / "2022.xlsx")
    share = 100 * by_year.loc[2022, "outcome.disclosed@total"] / by_year.loc[2022, "outcome.total@total"]
    assert share == pytest.approx(100 * report.number("outcome.disclosed@total") / report.number("outcome.total@total"))


@pytest.mark.parametrize("path", [BEILUN, DEMO / "2019.xlsx", DEMO / "2023.xlsx"])
def test_value_rows_hold_the_fields_of_value_records(path):
    from gdstat.api import value_records

    report = load(path)
    rows = batch.value_rows(report, str(path))
    records = value_records(report)
    assert len(rows) == len(records)
    for row, rec in zip(rows, records):
        row = dict(zip(batch.COLUMNS, row))
        assert (row["path"], row["agency"], row["year"], row["format"]) == (str(path), report.agency, report.year, report.format)
        for key in ("table", "id", "row", "column", "unit", "value", "kind"):
            assert row[key] == rec[key], key
        loc = rec["location"]
        assert row["location"] == (None if loc is None else f"{loc['path']}!{loc['sheet']}!{loc['cell']}")


class Text(str):
    """A str subclass: csv.writer writes its characters, not its str()."""

    def __str__(self):
        return "not this"


# Fields of every kind csv.writer and render.defuse treat apart: commas, quotes, CR, LF, formula
# starts (= + - @ tab), numbers written as text (-5, +1.5E3), empty text, None, ints, Decimals
# (plain, tiny, NaN, infinite), bools, floats, a str subclass, and Chinese text.
_TEXT = st.text(st.sampled_from([",", '"', "\r", "\n", "=", "+", "-", "@", "\t", " ", "'", "1", "5", ".", "E",
                                 "a", "件", "统", "!"]), max_size=6)
_FIELD = st.one_of(st.none(), _TEXT, st.integers(-10**20, 10**20), st.decimals(), st.booleans(),
                   st.floats(allow_nan=False), st.builds(Text, _TEXT))
_ROWS = st.lists(st.lists(_FIELD, max_size=6).map(tuple), max_size=6)


@settings(max_examples=1000, deadline=None)
@given(_ROWS, st.booleans())
def test_csv_lines_are_what_csv_writer_writes(rows, escape):
    def written(row):
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(batch._csv_fields(escape)(row))
        return out.getvalue()

    assert [line + "\n" for line in batch._csv_lines(rows, escape)] == [written(row) for row in rows]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_TEXT, st.integers(-9, 10**6)), min_size=1, max_size=40), st.booleans())
def test_csv_lines_of_mostly_plain_rows(fields, escape):
    """Rows like a report's: most plain, some needing quotes or defusing among them."""
    rows = [(text, number, "number", str(number), None) for text, number in fields]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(map(batch._csv_fields(escape), rows))
    assert "".join(line + "\n" for line in batch._csv_lines(rows, escape)) == out.getvalue()


@pytest.mark.parametrize("source", [DEMO / "2019.xlsx", BEILUN])
@pytest.mark.parametrize("name", ["plain.xlsx", '=a,b"c.xlsx', "-1 line\nbreak.xlsx", "@x\r\\u.xlsx"])
@pytest.mark.parametrize("kind", ["csv", "jsonl"])
@pytest.mark.parametrize("escape", [False, True])
def test_encoded_values_are_the_value_rows_encoded(tmp_path, source, name, kind, escape):
    """Paths and locations that need quoting, escaping or defusing, in the head and in each row's
    own fields; missing cells, Decimals and subtotals on group rows among the rows."""
    path = tmp_path / name
    shutil.copy(source, path)
    report = load(path)
    for given_path in (str(path), "plain.xlsx"):
        rows = batch.value_rows(report, given_path)
        assert batch.encode_values(report, given_path, escape, kind) == (
            batch.encode_rows(rows, kind, batch.COLUMNS, escape), len(rows))


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
@pytest.mark.parametrize("escape", [False, True])
def test_encoded_values_of_every_kind_of_value(kind, escape):
    """Missing cells, blanks, text with a comma, a dash, a tiny Decimal, a negative number, a unit
    in the cell, a line of a text file, no location, no agency or year, and a subtotal."""
    from gdstat.report import Location, Report, Source, Value

    where = Location("=r,1.txt", line=7)
    values = {
        "regulations.rules@issued": Value("regulations.rules@issued", None, "blank", "", where),
        "regulations.rules@repealed": Value("regulations.rules@repealed", None, "text", "见附件, 第2页", where),
        "regulations.rules@in_force": Value("regulations.rules@in_force", None, "not-applicable", "-", None),
        "litigation.after_review@other": Value("litigation.after_review@other", Decimal("1E-7"), "number", "1E-7",
                                               Location("a.xlsx", "表\"1", "C5"), unit="万元"),
        "litigation.after_review@pending": Value("litigation.after_review@pending", -5, "number", "-5", where),
        "outcome.other@total": Value("outcome.other@total", 3, "number", "@3", Location("r.csv", None, "H30")),
    }
    report = Report(Source("r.csv", "csv"), "2021", None, None, values)
    rows = batch.value_rows(report, "r.csv")
    assert batch.encode_values(report, "r.csv", escape, kind) == (
        batch.encode_rows(rows, kind, batch.COLUMNS, escape), len(rows))


def test_findings_as_parquet_read_back(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    result = run("batch", BEILUN, DEMO / "2022.xlsx", "-o", tmp_path / "v.csv", "--findings", tmp_path / "f.parquet")
    assert result.exit_code == 0, result.output
    rows = pq.read_table(tmp_path / "f.parquet").to_pylist()
    assert [(r["rule"], r["severity"], r["expected"], r["actual"]) for r in rows] == [
        (f.rule, f.severity, str(f.expected), str(f.actual)) for f in validate([BEILUN]).findings]
    assert list(rows[0]) == list(batch.FINDING_COLUMNS) and rows[0]["year"] == 2018
    # a run without findings still writes a valid, empty file
    assert run("batch", DEMO / "2022.xlsx", "-o", tmp_path / "w.csv", "--findings", tmp_path / "none.parquet").exit_code == 0
    assert pq.read_table(tmp_path / "none.parquet").num_rows == 0


def test_published_reports_in_a_folder_are_read_too(tmp_path):
    from conftest import FIXTURES

    shutil.copy(FIXTURES / "reports" / "beilun-2018-report.txt", tmp_path / "report.txt")
    shutil.copy(BEILUN, tmp_path / "sheet.xlsx")
    out = tmp_path / "all.csv"
    assert run("batch", tmp_path, "-o", out, "-j", "1").exit_code == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_file = {}
    for r in rows:
        by_file.setdefault(r["path"].rsplit("/", 1)[-1], {})[r["id"]] = r["value"]
    assert set(by_file) == {"report.txt", "sheet.xlsx"}
    # the report's table as printed is the sheet's: the same numbers, cell by cell
    assert by_file["report.txt"] == by_file["sheet.xlsx"]


def test_sheets_without_formulas_are_not_parsed_for_them(monkeypatch, tmp_path):
    """Reading thousands of sheets: the XML pass for uncached formulas runs only where a formula
    is, not for every sheet that has a print header (<firstHeader>) or a validation (<formula1>)."""
    import zipfile

    import openpyxl

    from gdstat.io import formulas

    calls = []
    real = formulas.ElementTree.iterparse
    monkeypatch.setattr(formulas.ElementTree, "iterparse", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert b"<firstHeader" in zipfile.ZipFile(DEMO / "2022.xlsx").read("xl/worksheets/sheet1.xml")
    assert formulas.uncached_formulas(DEMO / "2022.xlsx") == {} and calls == []
    book = openpyxl.Workbook()
    book.active["A1"], book.active["A2"], book.active["A3"] = 1, 2, "=A1+A2"
    book.save(tmp_path / "f.xlsx")
    assert formulas.uncached_formulas(tmp_path / "f.xlsx") == {"Sheet": {(2, 0): "A1+A2"}} and calls == [1]


def test_a_reader_that_stops_early_ends_the_run_quietly():
    proc = subprocess.Popen([sys.executable, "-m", "gdstat", "batch", "examples/", "-j", "2"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"path,agency,year")
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in err and "error" not in err


def test_library_run_counts(tmp_path):
    (tmp_path / "bad.csv").write_text("nothing here", encoding="utf-8")
    seen = []
    result = batch.run([BEILUN, DEMO / "2022.xlsx", tmp_path / "bad.csv"], output=str(tmp_path / "v.jsonl"),
                       jobs=1, on_file=lambda r: seen.append(r.path))
    data = result.to_dict()
    assert seen == [str(BEILUN), str(DEMO / "2022.xlsx"), str(tmp_path / "bad.csv")]
    assert (data["files"], data["unreadable"], data["exit_code"]) == (3, 1, 3)
    assert data["values"] == len(expected_rows(BEILUN)) + len(expected_rows(DEMO / "2022.xlsx"))
    assert data["summary"] == {"errors": 1, "warnings": 2, "info": 0}  # the unreadable file; LG-10 twice
    assert data["schema_version"] == "1"


def test_subtotals_on_group_rows_are_rows_of_the_dataset(tmp_path):
    """A 2021 report that keeps the 2019-style （六）其他处理 row: its numbers reach the dataset."""
    from gdstat.batch import value_rows
    from gdstat.report import Location, Report, Source, Value

    values = {"outcome.other@total": Value("outcome.other@total", 3, "number", "3", Location("r.csv", None, "H30"))}
    rows = value_rows(Report(Source("r.csv", "csv"), "2021", None, 2023, values), "r.csv")
    subtotal = [dict(zip(batch.COLUMNS, r)) for r in rows if r[4] == "outcome.other@total"]
    assert len(subtotal) == 1 and subtotal[0]["row"] == "（六）其他处理" and subtotal[0]["value"] == 3
