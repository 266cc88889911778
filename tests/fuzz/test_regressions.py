"""Every hostile input once found kept as a regression test: each is
read by the real CLI and must end with exit 0, 1 or 3, one line on stderr and no traceback.

The bombs are built smaller here and met with a lowered limit, so the suite stays fast;
``benchmarks/fuzz.py --bombs`` measures the full-size ones.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fuzz import hostile
from gdstat.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def gdstat(*args) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def refused(code: int, err: str, *words: str) -> None:
    """Exit 3 with one error line (and its hint) naming the problem; never a traceback."""
    assert code == 3, err
    assert "Traceback" not in err and "panicked" not in err
    lines = err.strip().splitlines()
    assert len(lines) <= 2 and lines[0].startswith("gdstat: error: "), err
    for word in words:
        assert word in lines[0], err


# ----------------------------------------------------------------------------- item 1: cells far away


@pytest.mark.parametrize("build", [hostile.far_cell, hostile.far_rectangle])
def test_a_cell_at_xfd1048576_is_refused_by_the_area_limit(tmp_path, build):
    code, _, err = gdstat("summarize", build(tmp_path))
    refused(code, err, "area limit", "far-")
    assert "--limit area=" in err


@pytest.mark.parametrize("ref", ["XFD" + "1" * 5000, "K0000001048576", "XFDA" * 4000 + "1"])
def test_a_reference_longer_than_any_sheet_has_is_refused_by_the_area_limit(tmp_path, ref):
    """calamine reads leading zeros and long references (and aborted on these): they are measured
    too, without converting thousands of digits or letters."""
    path = hostile.write(tmp_path, "far-ref.xlsx", hostile.xlsx_bytes(
        f'<row r="1">{hostile.cell("A1", text="申请")}</row><row r="2">{hostile.cell(ref, 7)}</row>'))
    code, _, err = gdstat("summarize", path)
    refused(code, err, "area limit", "far-ref")


@pytest.mark.parametrize("one_chunk", [True, False])
def test_the_sheet_measure_decides_as_the_exact_count_whatever_its_bounds(one_chunk):
    """A small sheet is first measured by bounds (every reference within Z999): a limit lower than
    those bounds is decided by the exact count, with the exact amount in the message."""
    import zipfile

    from gdstat import limits
    from gdstat.io.sniff import CHUNK
    from gdstat.io.spreadsheet import SheetScan

    xml = "".join(hostile.cell(f"B{r}", r) for r in range(1, 6)).encode()  # 5 cells, 5 rows x 2 columns

    def measure() -> None:
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.file_size = len(xml) if one_chunk else CHUNK + 1
        seen = SheetScan().watch(info)
        seen(xml)
        seen(b"")

    measure()  # default limits: within them
    limits.configure({"area": 10, "cells": 5})
    measure()  # within the exact limits, beyond the bounds
    limits.configure({"area": 9})
    with pytest.raises(limits.TooLarge, match=r"\(10\) exceeds the area limit"):
        measure()
    limits.configure({"area": 10, "cells": 4})
    with pytest.raises(limits.TooLarge, match=r"\(5\) exceeds the cells limit"):
        measure()


def test_a_far_cell_panics_calamine_when_the_limit_is_raised_and_still_exits_3(tmp_path):
    """Past the limit calamine itself is reached, and panics: its PanicException (a BaseException)
    is an unreadable file, in a separate process so that the Rust message cannot reach our stderr."""
    path = hostile.far_cell(tmp_path)
    done = subprocess.run([sys.executable, "-m", "gdstat", "--limit", "area=20000000000", "summarize", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    assert "could not be read" in done.stderr and "PanicException" in done.stderr
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr and "backtrace" not in done.stderr


def test_validate_keeps_the_good_file_beside_a_far_cell(tmp_path):
    good = tmp_path / "good.xlsx"
    shutil.copy(ROOT / "examples" / "beilun-2018.xlsx", good)
    code, out, err = gdstat("validate", good, hostile.far_rectangle(tmp_path), "-f", "json")
    assert code == 3, err
    files = json.loads(out)["files"]
    assert files[0]["report"]["agency"] and "findings" in files[0]
    assert "area limit" in files[1]["error"]


# ----------------------------------------------------------------------------- item 2: a damaged xls


def test_a_truncated_xls_exits_3(tmp_path):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("统计表")
    for r in range(300):
        sheet.write(r, 0, f"本年新收政府信息公开申请数量 {r}")
        sheet.write(r, 1, r)
    good = tmp_path / "good.xls"
    book.save(str(good))
    code, _, err = gdstat("summarize", hostile.truncated_xls(tmp_path, good))
    refused(code, err, "truncated.xls")


# ----------------------------------------------------------------------------- item 3: formulas


def test_a_sum_over_the_whole_sheet_reads_only_the_cells_there(tmp_path):
    from gdstat.io.formulas import fill_formulas

    grid = fill_formulas([["申请", None], [None, 5], [None, 7]], {(0, 1): "SUM(B2:XFD1048576)"})
    assert grid[0][1] == 12
    code, _, err = gdstat("summarize", hostile.huge_sum(tmp_path))
    refused(code, err, "no statistics table")


def test_a_chain_of_200_formulas_is_left_as_text_not_a_recursion_error(tmp_path):
    from gdstat.io.formulas import MAX_DEPTH, fill_formulas

    formulas = {(i, 0): f"A{i + 2}+1" for i in range(200)}
    grid = fill_formulas([[None]] * 200 + [[1]], formulas)
    assert grid[199][0] == 2  # the end of the chain is within reach
    assert grid[0][0] == "=A2+1"  # the top of it is not
    assert MAX_DEPTH < 200
    code, _, err = gdstat("summarize", hostile.formula_chain(tmp_path))
    refused(code, err, "no statistics table")


@pytest.mark.parametrize("xml", [b"<f>A1</f>", b'<f t="shared"/>', b"<f\n>", b"<x:f>A1</x:f>", b"<x:f/>", b"<firstHeader/>",
                                 b"<formula1>1</formula1>", b"<x:family/>", b"a:f b", b"<x:fx>", b"<t>if />", b""])
def test_the_quick_formula_test_agrees_with_the_formula_pattern(xml):
    from gdstat.io.spreadsheet import FORMULA, has_formula

    for data in (xml, b"<c>" + xml + b"</c>"):
        assert has_formula(data) == bool(FORMULA.search(data))


@pytest.mark.parametrize(("xml", "far"), [
    (b'<c r="A1"/>', False), (b'<c r="Z999"/>', False), (b'<row r="1000">', False), (b'r="a1000"', False), (b"", False),
    (b'<c r="AA1"/>', True), (b'<c r="A1000"/>', True), (b'<c r="A0001"/>', True), (b'<x:c r="XFD1048576"/>', True),
    (b'r="AB"', True), (b'r="A12345', True)])  # the last two: no reference, only its start (findall decides)
def test_the_quick_far_reference_search_misses_none_the_far_reference_pattern_finds(xml, far):
    """The sheet measure collects far references only where the quick search found one."""
    from gdstat.io.spreadsheet import _ANY_FAR_REF, _FAR_REF

    for data in (xml, b'<c r="B2"/>' + xml + b'<c r="C3"/>'):
        assert bool(_ANY_FAR_REF.search(data)) == far
        assert far or not _FAR_REF.findall(data)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Rows of one formula cell each (and a few without), as Excel saves them and as they may differ.
_FORMULA_ROWS = [
    '<c r="A{r}"><f>1+1</f><v>7</v></c>', '<c r="A{r}" s="2"><f t="shared" ref="A1:A9" si="0"/><v>7</v></c>',
    '<c r="A{r}" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>', '<c r="A{r}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    '<c r="A{r}">\n  <f>1+1</f>\n  <v>7</v>\n</c>', '<c r="A{r}"><x:f>1+1</x:f><x:v>7</x:v></c>',
    '<x:c r="A{r}"><x:f>1+1</x:f><x:v>7</x:v></x:c>', '<c r="A{r}"><v>5</v></c>', '<c r="A{r}"/>',
    '<c r="A{r}" t="inlineStr"><is><t>f </t></is></c>',
    '<c r="A{r}"><f>1+1</f></c>', '<c r="A{r}"><f>1+1</f><v></v></c>', '<c r="A{r}"><f>1+1</f><v> </v></c>',
    '<c r="A{r}"><f>1+1</f><v>&#32;</v></c>', '<c r="A{r}"><f>1+1</f><v>\u3000</v></c>',
    '<c r="A{r}"><v></v><f>1+1</f><v>7</v></c>', '<c r="A{r}"><is><t>x</t></is><f>1+1</f><v>7</v><v/></c>',
    '<c r="A{r}"><x:f>1+1</x:f><v>7</v><x:v></x:v></c>', '<c r="A{r}"><f>1+1</f><!-- --><v>7</v></c>',
    '<c r="A{r}"><f>1+1</f><v><![CDATA[ ]]></v></c>', '<c r="A{r}"/><f>1+1</f><v>7</v>',
    '<c r="A{r}"><f xmlns="urn:other">1+1</f><v>7</v><v/></c>',
    '<c r="A{r}"><ns0:f xmlns:ns0="urn:other">1</ns0:f><ns0:v>7</ns0:v><v/></c>',
    '<x:c r="A{r}"><f xmlns="' + _MAIN + '">1+1</f><v>7</v><x:v></x:v></x:c>',
    '<c r="A{r}"><x:f>1+1</x:f><y:v>7</y:v><x:v/></c>', '<c r="B{r}"><v/><c r="A{r}"/><f>1+1</f><v>7</v></c>',
    '<c r="A{r}"><my-ns:f>1+1</my-ns:f></c>',
]


def test_a_workbook_whose_formulas_all_keep_their_value_reads_as_when_parsed(monkeypatch):
    """A sheet whose every formula keeps its value beside it (as Excel and WPS save them) is not
    parsed for uncached formulas: whatever the sheet, the answer is the parse's."""
    import io
    import random
    import zipfile

    from gdstat.io import formulas

    rng, skipped = random.Random(7), 0
    for _ in range(400):
        rows = rng.choices(_FORMULA_ROWS, k=rng.randint(1, 4))
        default = rng.choice(["", ' xmlns="urn:other"'])  # the rows' own default namespace, sometimes
        body = "".join(f'<row r="{r}" xmlns:x="{_MAIN}" xmlns:my-ns="{_MAIN}" xmlns:y="urn:other"'
                       f'{default if "<x:c" in row else ""}>{row.format(r=r)}</row>'
                       for r, row in enumerate(rows, start=1))
        archive = zipfile.ZipFile(io.BytesIO(hostile.xlsx_bytes(body, rng.choice(["UTF-8", "utf-8", "ISO-8859-1"]))))
        with monkeypatch.context() as patched:
            patched.setattr(formulas, "_all_cached", lambda data: False)
            parsed = formulas.uncached_formulas(archive)
        assert formulas.uncached_formulas(archive) == parsed, body
        if formulas._all_cached(archive.read("xl/worksheets/sheet1.xml")):
            skipped += 1
            assert parsed == {}, body
    assert skipped > 40


def test_the_cached_formula_test_leaves_to_the_parse_what_the_bytes_cannot_tell():
    """Another encoding (declared, or UTF-16), or a DTD whose entities could hold formula elements."""
    from gdstat.io.formulas import _all_cached

    cells = '<sheetData><row r="1"><c r="A1"><f>1+1</f><v>7</v></c></row></sheetData></worksheet>'
    assert _all_cached(f'<?xml version="1.0" encoding="UTF-8"?><worksheet>{cells}'.encode())
    for sheet in (f'<?xml version="1.0" encoding="cp500"?><worksheet>{cells}'.encode(),
                  f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e "">]><worksheet>{cells}'.encode(),
                  f'<worksheet>{cells}'.encode("utf-16")):
        assert not _all_cached(sheet)


def test_formula_cells_limit(tmp_path):
    from gdstat import limits
    from gdstat.io.formulas import fill_formulas

    limits.configure({"formula-cells": 50})
    with pytest.raises(limits.TooLarge, match="formula-cells"):
        fill_formulas([[1] * 10 for _ in range(10)], {(10, 0): "SUM(A1:J10)"})


# ----------------------------------------------------------------------------- item 4: long numbers


@pytest.mark.parametrize("digits", [4_301, 1_000_000])
def test_a_number_of_thousands_of_digits_is_refused_fast(tmp_path, digits):
    code, _, err = gdstat("summarize", hostile.long_number_csv(tmp_path, digits))
    refused(code, err, f"digits-{digits}.csv")


def test_the_digits_limit_names_itself(tmp_path):
    code, _, err = gdstat("summarize", hostile.long_number_csv(tmp_path, 4_301))
    refused(code, err, "digits limit")
    assert "--limit digits=" in err


# ----------------------------------------------------------------------------- item 5: exit 3, not 4


def test_cr_only_line_ends_read_as_lines(tmp_path):
    code, out, err = gdstat("summarize", hostile.cr_only_csv(tmp_path), "-f", "json")
    assert code in (0, 1), err
    values = {v["id"]: v["value"] for v in json.loads(out)["values"]}
    assert values["legacy.apply.received"] == 72


@pytest.mark.parametrize("build, words", [
    (hostile.long_field_csv, "field"),
    (hostile.odd_utf16, "odd.csv"),
    (hostile.corrupt_deflate, "damaged"),
])
def test_broken_inputs_exit_3(tmp_path, build, words):
    code, _, err = gdstat("summarize", build(tmp_path))
    refused(code, err, words)


@pytest.mark.parametrize("encoding", ["bogus", "GBK"])
def test_an_xml_part_declaring_a_strange_encoding_exits_3(tmp_path, encoding):
    code, _, err = gdstat("summarize", hostile.bogus_encoding(tmp_path, encoding))
    assert code == 3 and "Traceback" not in err, err


def test_a_count_of_10_to_the_27_gets_a_share(tmp_path):
    code, out, err = gdstat("summarize", hostile.huge_count(tmp_path), "-f", "json")
    assert code in (0, 1), err
    data = json.loads(out)
    values = {v["id"]: v["value"] for v in data["values"]}
    assert values["legacy.apply.received.online"] == 10 ** 27


def test_a_baseline_that_is_not_utf8_exits_3(tmp_path):
    baseline = tmp_path / "baseline.txt"
    baseline.write_bytes(b"\xff\xfe\x00bad\x80")
    code, _, err = gdstat("validate", ROOT / "examples" / "beilun-2018.xlsx", "--baseline", baseline)
    refused(code, err, "baseline")


def test_an_output_folder_under_a_file_exits_3_or_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = gdstat("summarize", ROOT / "examples" / "beilun-2018.xlsx", "-o", blocker / "out.txt")
    assert code in (2, 3) and "Traceback" not in err and err.startswith("gdstat: error: "), err


# ----------------------------------------------------------------------------- item 6: strict JSON


def test_json_never_holds_infinity(tmp_path):
    code, out, err = gdstat("summarize", hostile.infinite_value(tmp_path), "-f", "json")
    assert code in (0, 1), err
    json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


def test_a_decimal_beyond_float_range_is_written_exactly():
    from decimal import Decimal

    from gdstat.render import to_json

    huge = "1" + "0" * 400 + ".5"
    assert json.loads(to_json({"v": Decimal(huge)}))["v"] == huge


# ----------------------------------------------------------------------------- item 7: bombs (small, limits lowered)


@pytest.mark.parametrize("build, limit, kw", [
    (hostile.whitespace_sheet, "part-bytes", {"megabytes": 3}),
    (hostile.huge_shared_string, "part-bytes", {"megabytes": 3}),
    (hostile.docx_big_document, "part-bytes", {"megabytes": 3}),
    (hostile.docx_spans, "area", {"cells": 2_000, "span": 200}),
    (hostile.ods_repeated, "cells", {"rows": 100_000}),
    (hostile.html_spans, "area", {"cells": 200, "span": 200}),
    (hostile.html_rows, "input-bytes", {"megabytes": 3}),
    (hostile.big_csv, "input-bytes", {"megabytes": 3}),
])
def test_bombs_meet_their_limit(tmp_path, build, limit, kw):
    code, _, err = gdstat("--limit", "part-bytes=2M,input-bytes=2M,area=100000,cells=100000",
                          "summarize", build(tmp_path, **kw))
    refused(code, err, f"{limit} limit")
    assert f"--limit {limit}=" in err


def test_a_zip_part_that_inflates_too_many_times_is_refused(tmp_path):
    code, _, err = gdstat("summarize", hostile.whitespace_sheet(tmp_path, megabytes=3))
    refused(code, err, "zip-ratio limit")


def test_a_zip_part_larger_than_it_declares_is_refused(tmp_path):
    """zipfile reads a part only as far as its declared size, and the checksum of that much passes:
    the rest reaches calamine, whose zip reader refuses it (exit 3), never inflated beyond the limits."""
    import zipfile

    path = hostile.understated_sheet(tmp_path, megabytes=4)
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as part:
        assert len(part.read(10_000)) == 2000  # what the checks before calamine see
    code, _, err = gdstat("summarize", path)
    refused(code, err, "could not be read")  # calamine read in full would find no table: another message


def test_a_part_that_understates_its_size_is_never_inflated_beyond_it(tmp_path):
    """zipfile's read() of a whole part inflates everything its deflate stream holds and only then
    cuts it to the declared size: a 32 KB part saying it holds 2,000 bytes once cost 1,000 times
    its size in memory (a formula sheet, a workbook's sheet list, a Word document, the properties a
    folder scan reads). Each is read now within the declared size, in the process and in calamine."""
    import tracemalloc

    from gdstat import load, workers
    from gdstat.errors import InputError
    from gdstat.io.own import wrote_docx

    made = hostile.understated_parts(tmp_path, megabytes=32)
    workers.INSIDE = True  # calamine's own reads too, in this process
    try:
        for path, member in made:
            tracemalloc.start()
            try:
                with pytest.raises(InputError) as raised:
                    load(path)
                assert wrote_docx(path) is None
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            assert peak < 4 * 1024 * 1024, (path.name, member, peak)
            if member == "xl/sharedStrings.xml":  # calamine's zip reader refuses what lies
                assert "declared uncompressed size" in str(raised.value), raised.value
            code, _, err = gdstat("summarize", path)
            refused(code, err)
    finally:
        workers.INSIDE = False


@pytest.mark.parametrize("name, data, member", [
    ("document.docx", lambda: hostile._docx("<w:p/>"), "word/document.xml"),
    ("content.ods", lambda: hostile.ods_bytes(1), "content.xml"),
    ("workbook.xlsx", lambda: hostile.xlsx_bytes([hostile.cell("A1", formula="1+1")]), "xl/workbook.xml"),
    ("sheet.xlsx", lambda: hostile.xlsx_bytes([hostile.cell("A1", 1)]), "xl/worksheets/sheet1.xml"),
])
def test_a_part_an_archiver_encrypted_is_refused(tmp_path, name, data, member):
    """zipfile raises RuntimeError opening an encrypted part, which read as an internal error (exit 4)
    from the parts no check had opened before their reader (a Word document, an ods, a workbook's list)."""
    path = hostile.write(tmp_path, name, hostile.encrypted_part(data(), member))
    code, _, err = gdstat("summarize", path)
    refused(code, err, f"{member} is encrypted")


def test_raising_a_limit_lets_the_file_through(tmp_path):
    path = hostile.official_csv(tmp_path, "ok.csv")
    code, _, err = gdstat("--limit", "input-bytes=100", "summarize", path)
    refused(code, err, "input-bytes limit")
    code, _, err = gdstat("--limit", "input-bytes=1M", "summarize", path)
    assert code in (0, 1), err


def test_limits_come_from_the_environment_too(tmp_path, monkeypatch):
    from gdstat import limits

    monkeypatch.setenv(limits.ENVIRONMENT, "input-bytes=100,seconds=5")
    assert limits.get("input-bytes") == 100 and limits.get("seconds") == 5 and limits.get("cells") == 500_000
    code, _, err = gdstat("summarize", hostile.official_csv(tmp_path, "ok.csv"))
    refused(code, err, "input-bytes limit")


def test_a_bad_limit_is_a_usage_error():
    code, _, err = gdstat("--limit", "bogus=1", "summarize", "x.csv")
    assert code == 2 and "unknown limit" in err
    code, _, err = gdstat("--limit", "cells=-1", "summarize", "x.csv")
    assert code == 2 and "positive whole number" in err


# ----------------------------------------------------------------------------- item 12: malformed numbers


@pytest.mark.parametrize("raw", ["3,5", "1,2,3", "1.234,5", "7 2", "12,34", "1,2345"])
def test_malformed_thousands_separators_are_text(raw):
    from gdstat.cells import parse

    assert parse(raw)[0] == "text"


@pytest.mark.parametrize("raw, value", [("1,234", 1234), ("12,345,678", 12345678), ("1,234.5", None),
                                        (" 72 ", 72), ("72 件", 72), ("１，２３４", 1234)])
def test_well_formed_thousands_separators_are_numbers(raw, value):
    from decimal import Decimal

    from gdstat.cells import parse

    kind, number, _, _ = parse(raw)
    assert kind == "number" and number == (value if value is not None else Decimal("1234.5"))


def test_a_malformed_number_in_a_report_is_text_in_a_number_cell(tmp_path):
    path = hostile.official_csv(tmp_path, "malformed.csv", {"3.网络申请数": "5,8"})
    code, out, err = gdstat("validate", path, "-f", "json")
    assert code == 1, err
    codes = {f["code"] for f in json.loads(out)["files"][0]["findings"]}
    assert "text-in-number-cell" in codes


def test_the_readme_lists_every_limit_with_its_default():
    from gdstat import limits

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for limit in limits.LIMITS.values():
        default = limit.default
        shown = f"{default // limits.MB}M" if limit.unit == "bytes" else str(default)
        assert f"| `{limit.name}` | {shown} |" in readme, limit.name


def test_limit_and_output_errors_read_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setenv("GDSTAT_LANG", "zh")
    code, _, err = gdstat("summarize", hostile.long_number_csv(tmp_path, 4_301))
    assert code == 3 and "一个数字的位数（4,301）超过 digits 限制 40" in err and "gdstat --limit digits=N" in err
    path = hostile.official_csv(tmp_path, "in.csv")
    code, _, err = gdstat("summarize", path, "-o", path, "--force")
    assert code == 2 and "gdstat 从不覆盖输入" in err
