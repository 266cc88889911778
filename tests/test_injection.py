"""Untrusted text stays text in every output gdstat writes: no CSV/TSV field starts with a formula
character unless it is a number (OWASP CSV injection), and no xlsx holds a formula unless
--formulas asked for one. The xlsx checks open the files with openpyxl, whatever wrote them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from fuzz import hostile
from gdstat.cli import app
from gdstat.render import FORMULA_START, _PLAIN_NUMBER, defuse

runner = CliRunner()


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("GDSTAT_LANG", "en")  # messages are matched in English
EVIL_AGENCY = '=HYPERLINK("http://example.invalid/x","点击")示范区人民政府'
EVIL_VALUES = {"3.网络申请数": "=1+2", "1.当面申请数": "@SUM(A1)", "2.传真申请数": "+cmd|' /C calc'!A0",
               "4.信函申请数": "-2+3", "2.延期办结数": "\tx"}


def gdstat(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.fixture
def evil(tmp_path, sheet_writer, demo_values):
    """A CSV whose number cells hold formulas, and an xlsx whose agency is one."""
    return (hostile.official_csv(tmp_path, "evil.csv", EVIL_VALUES),
            sheet_writer("2021", demo_values["2021"], agency=EVIL_AGENCY))


def fields(text: str, delimiter: str = ",") -> list[str]:
    return [field for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for field in row]


def assert_defused(text: str, delimiter: str = ",") -> None:
    for field in fields(text, delimiter):
        assert not field.startswith(FORMULA_START) or _PLAIN_NUMBER.match(field), repr(field)


@pytest.mark.parametrize("text, expected", [
    ("=1+2", "'=1+2"), ("@SUM(A1)", "'@SUM(A1)"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("-5", "-5"), ("+1.5", "+1.5"), ("-1e3", "-1e3"), ("申请", "申请"), ("a=b", "a=b"),
])
def test_defuse(text, expected):
    assert defuse(text) == expected


@pytest.mark.parametrize("command", ["summarize", "validate", "extract"])
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_outputs_never_start_a_text_field_with_a_formula(evil, command, fmt):
    for path in evil:
        text = gdstat(command, path, "-f", fmt)
        assert_defused(text, "\t" if fmt == "tsv" else ",")
    assert "'=1+2" in gdstat(command, evil[0], "-f", fmt) or command == "extract"


def test_aggregate_csv_is_defused(evil, tmp_path, sheet_writer, demo_values):
    other = sheet_writer("2021", demo_values["2021"], agency="示范区某局")
    assert_defused(gdstat("aggregate", evil[1], other, "--agency", EVIL_AGENCY, "-f", "csv"))


def test_batch_values_and_findings_are_defused(evil, tmp_path):
    out, findings = tmp_path / "all.csv", tmp_path / "findings.csv"
    gdstat("batch", *evil, "-o", out, "--findings", findings, "-q")
    for path in (out, findings):
        text = path.read_text(encoding="utf-8")
        assert_defused(text)
    assert "'=1+2" in fields(findings.read_text(encoding="utf-8"))
    assert any(f.startswith("'=HYPERLINK") for f in fields(out.read_text(encoding="utf-8")))  # the agency


def test_no_escape_formulas_writes_raw_text(evil, tmp_path):
    assert "=1+2" in fields(gdstat("--no-escape-formulas", "validate", evil[0], "-f", "csv"))
    out = tmp_path / "all.csv"
    gdstat("--no-escape-formulas", "batch", evil[1], "-o", out, "-q")
    assert any(f.startswith("=HYPERLINK") for f in fields(out.read_text(encoding="utf-8")))
    # and the next command escapes again: the switch does not outlive its command
    assert "'=1+2" in fields(gdstat("validate", evil[0], "-f", "csv"))


def test_parquet_keeps_raw_text(evil, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "all.parquet"
    gdstat("batch", evil[1], "-o", out, "-q")
    assert pq.read_table(out).column("agency").to_pylist()[0].startswith("=HYPERLINK")


def formulas_in(path: Path) -> list[str]:
    workbook = openpyxl.load_workbook(path)
    return [f"{sheet.title}!{cell.coordinate}" for sheet in workbook for row in sheet.iter_rows() for cell in row
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")
                                         and cell.data_type != "s")]


def title_of(path: Path) -> str:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return next(c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "统计表" in c.value)


def test_every_xlsx_gdstat_writes_holds_no_formula_unless_asked(evil, tmp_path, sheet_writer, demo_values):
    csv_input, xlsx_input = evil
    other = sheet_writer("2021", demo_values["2021"], agency="示范区某局")
    written = {
        "write": (tmp_path / "w.xlsx", ["write", xlsx_input, "-o", tmp_path / "w.xlsx"]),
        "write --agency": (tmp_path / "wa.xlsx", ["write", csv_input, "-o", tmp_path / "wa.xlsx", "--agency", EVIL_AGENCY]),
        "extract": (tmp_path / "e.xlsx", ["extract", xlsx_input, "-o", tmp_path / "e.xlsx"]),
        "aggregate": (tmp_path / "a.xlsx", ["aggregate", xlsx_input, other, "-o", tmp_path / "a.xlsx",
                                            "--agency", EVIL_AGENCY]),
    }
    for name, (out, args) in written.items():
        gdstat(*args)
        assert formulas_in(out) == [], name
        assert title_of(out).startswith("=HYPERLINK"), name  # the text is there, as text
    out = tmp_path / "f.xlsx"
    gdstat("aggregate", xlsx_input, other, "-o", out, "--agency", EVIL_AGENCY, "--formulas")
    assert formulas_in(out)  # totals as SUM formulas, as asked
    assert title_of(out).startswith("=HYPERLINK")
