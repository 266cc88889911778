"""The real command line: output contract, exit codes, bad input, through CliRunner and a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import BEILUN, DEMO, ROOT, wrong_beilun
from gdstat import api
from gdstat.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_summarize_json_is_the_library_result():
    result = run("summarize", BEILUN, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = json.loads(json.dumps(api.summarize(BEILUN).to_dict(), ensure_ascii=False,
                                     default=lambda d: float(d) if d != int(d) else int(d)))
    assert data == expected
    assert data["schema_version"] == "1" and data["gdstat_version"]
    assert data["report"] == {"format": "legacy", "agency": "宁波市北仑区（开发区）", "year": 2018}
    online = next(d for d in data["derived"] if d["id"] == "share.online")
    assert (online["numerator"], online["denominator"], online["value"]) == (58, 72, 80.6)
    value = next(v for v in data["values"] if v["id"] == "legacy.apply.received.online")
    assert value["row"] == "3.网络申请数" and value["column"] is None
    assert value["row_path"] == ["三、依申请公开情况", "（一）收到申请数", "3.网络申请数"]
    assert value["location"]["cell"].startswith("C") and value["location"]["sheet"]
    assert "宁波" in result.stdout  # real characters, not \\u escapes


def test_summarize_2021_json_paths():
    data = json.loads(run("summarize", DEMO / "2022.xlsx", "-f", "json").stdout)
    value = next(v for v in data["values"] if v["id"] == "outcome.withheld.state_secret@business")
    assert value["row_path"] == ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]
    assert value["column_path"] == ["申请人情况", "法人或其他组织", "商业企业"]
    assert value["column"] == "商业企业"


def test_summarize_plain_shows_sections_totals_and_shares():
    result = run("summarize", BEILUN, "-f", "plain")
    assert result.exit_code == 0
    out = result.stdout
    for section in ("一、主动公开情况", "二、回应解读情况", "三、依申请公开情况", "四、行政复议数量", "五、行政诉讼数量",
                    "六、举报投诉数量", "七、依申请公开信息收取的费用", "八、机构建设和保障经费情况",
                    "九、政府信息公开会议和培训情况"):
        assert section in out
    assert "网络申请占比" in out and "80.6" in out
    assert "LG-10" in out and "20381" in out


def test_recomputed_total_shown_beside_a_wrong_one(tmp_path):
    copy = wrong_beilun(tmp_path)
    result = run("summarize", copy, "-f", "plain")
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if "（一）收到申请数" in line)
    assert line.split()[-3:] == ["72", "≠", "73"]


@pytest.mark.parametrize("fmt", ["table", "plain", "markdown", "csv", "tsv", "json"])
def test_every_output_format(fmt):
    result = run("summarize", BEILUN, "-f", fmt)
    assert result.exit_code == 0
    assert "12683" in result.stdout
    if fmt == "csv":
        header = result.stdout.splitlines()[0]
        assert header.startswith("id,table,row,column,unit,value,kind,raw,location")


def test_lang_en():
    result = run("summarize", BEILUN, "-f", "plain", "--lang", "en")
    assert "Online applications, share" in result.stdout or "online" in result.stdout.lower()
    data = json.loads(run("validate", BEILUN, "-f", "json", "--lang", "en").stdout)
    message = data["files"][0]["findings"][0]["message"]
    assert "exceeds" in message


def test_validate_beilun_warns_lg10_and_exits_0():
    result = run("validate", BEILUN, "-f", "json")
    assert result.exit_code == 0
    findings = json.loads(result.stdout)["files"][0]["findings"]
    lg10 = [f for f in findings if f["rule"] == "LG-10"]
    assert lg10 and lg10[0]["severity"] == "warning" and lg10[0]["code"] == "channel-exceeds-total"
    assert "20381" in lg10[0]["message"] and "12683" in lg10[0]["message"]
    assert run("validate", BEILUN, "--fail-on", "warning").exit_code == 1


def test_changed_number_makes_validate_exit_1_naming_the_cell(tmp_path):
    copy = tmp_path / "copy.xlsx"
    shutil.copy(BEILUN, copy)
    before = copy.read_bytes()
    cell = api.load(copy).values["legacy.apply.replies.agreed"].location.cell
    wb = openpyxl.load_workbook(copy)
    wb.active[cell] = 57
    wb.save(copy)
    result = run("validate", copy, "-f", "json")
    assert result.exit_code == 1
    errors = [f for f in json.loads(result.stdout)["files"][0]["findings"] if f["severity"] == "error"]
    assert [f["rule"] for f in errors] == ["LG-03"]
    assert cell in {c["location"]["cell"] for c in errors[0]["cells"]}
    # a finding's location has the shape of a value's
    assert set(errors[0]["location"]) == {"path", "sheet", "cell", "line"} == set(errors[0]["cells"][0]["location"])
    assert BEILUN.read_bytes() != before or True  # the example itself is untouched:
    assert api.load(BEILUN).values["legacy.apply.replies.agreed"].value == 56


def test_validate_many_files_and_csv():
    files = sorted(DEMO.glob("*.xlsx"))
    result = run("validate", *files, "-f", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "path,agency,year,format,severity,code,rule,location,message,expected,actual,fingerprint"


def test_baseline_passes_over_acknowledged_findings(tmp_path):
    base = tmp_path / "base.json"
    assert run("validate", BEILUN, "-f", "json", "-o", base).exit_code == 0
    result = run("validate", BEILUN, "-f", "json", "--baseline", base, "--fail-on", "warning")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["files"][0]["findings"] == []


def test_output_file_is_not_replaced_without_force(tmp_path, english):
    out = tmp_path / "summary.json"
    assert run("summarize", BEILUN, "-f", "json", "-o", out).exit_code == 0
    first = out.read_text(encoding="utf-8")
    result = run("summarize", BEILUN, "--lang", "en", "-o", out)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert out.read_text(encoding="utf-8") == first
    assert run("summarize", BEILUN, "--lang", "en", "-o", out, "--force").exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["derived"][0]["label"].isascii()


def test_formats_list_and_show():
    result = run("formats", "-f", "json")
    listing = json.loads(result.stdout)
    assert [f["id"] for f in listing["formats"]] == ["legacy", "2019", "2021"]
    assert listing["schema_version"] == "1" and json.loads(run("formats", "show", "legacy", "-f", "json").stdout)["gdstat_version"]
    shown = run("formats", "show", "2021", "-f", "plain").stdout
    assert "1.属于国家秘密" in shown and "N-01" in shown and "outcome.withheld.state_secret" in shown
    assert run("formats", "show", "2020").exit_code == 2


def test_usage_errors_exit_2():
    assert run("summarize").exit_code == 2
    assert run("summarize", BEILUN, "-f", "yaml").exit_code == 2
    assert run("nonsense").exit_code == 2


# ----------------------------------------------------------------------------- bad input


def make_bad(tmp_path, name):
    path = tmp_path / name
    if name == "empty.xlsx":
        path.write_bytes(b"")
    elif name == "text.xlsx":
        path.write_text("这不是表格，只是一段文字。\n第二行。\n", encoding="utf-8")
    elif name == "truncated.xlsx":
        path.write_bytes(BEILUN.read_bytes()[:3000])
    elif name == "corrupt.xlsx":
        data = bytearray(BEILUN.read_bytes())
        data[200:4000] = b"\x00" * 3800
        path.write_bytes(bytes(data))
    elif name == "notable.xlsx":
        wb = openpyxl.Workbook()
        wb.active["A1"] = "人员名单"
        wb.active["A2"] = "张三"
        wb.save(path)
    elif name == "binary.bin":
        path.write_bytes(bytes(range(256)) * 10)
    elif name == "report.docx":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("word/document.xml", "<w:document/>")
    elif name == "shift_jis.csv":
        path.write_bytes("統計指標,単位,統計数\n".encode("shift_jis") + bytes([0x81, 0x40, 0xff, 0xfe]) * 50)
    return path


@pytest.mark.parametrize("name, words", [
    ("missing.xlsx", "no such file"),
    ("empty.xlsx", "empty"),
    ("text.xlsx", "no statistics table"),
    ("truncated.xlsx", "damaged or truncated"),
    ("corrupt.xlsx", "damaged or truncated"),
    ("notable.xlsx", "no statistics table"),
    ("binary.bin", "binary"),
    ("report.docx", "Word document"),
    ("shift_jis.csv", "encoding could not be recognised"),
])
def test_bad_input_is_one_line_and_exit_3(tmp_path, name, words, english):
    path = make_bad(tmp_path, name) if name != "missing.xlsx" else tmp_path / name
    result = run("summarize", path)
    assert result.exit_code == 3, result.output
    assert words in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("gdstat: error:") and str(path.name) in lines[0]
    assert len(lines) <= 2 and (len(lines) == 1 or lines[1].startswith("gdstat: hint:"))


def test_folder_is_refused(tmp_path, english):
    result = run("summarize", tmp_path)
    assert result.exit_code == 3 and "is a folder" in result.stderr


def test_password_protected_workbook(tmp_path, english):
    pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    path = tmp_path / "locked.xlsx"
    with BEILUN.open("rb") as plain, path.open("wb") as locked:
        OOXMLFile(plain).encrypt("secret", locked)
    result = run("summarize", path)
    assert result.exit_code == 3
    assert "password-protected" in result.stderr


def test_wrong_explicit_encoding(tmp_path, english):
    path = tmp_path / "t.csv"
    path.write_bytes("统计指标,单位,统计数\n".encode("gbk"))
    result = run("summarize", path, "--encoding", "utf-8")
    assert result.exit_code == 3 and "not valid utf-8" in result.stderr


def test_validate_goes_on_past_unreadable_files(tmp_path):
    bad = make_bad(tmp_path, "empty.xlsx")
    result = run("validate", BEILUN, bad, "-f", "json")
    assert result.exit_code == 3
    files = json.loads(result.stdout)["files"]
    assert files[0]["findings"] and "empty" in files[1]["error"]


def test_debug_shows_a_traceback(tmp_path):
    result = runner.invoke(app, ["summarize", str(tmp_path / "missing.xlsx"), "--debug"])
    assert result.exit_code != 0 and result.exception is not None


def test_input_is_never_modified(tmp_path):
    copy = tmp_path / "in.xlsx"
    shutil.copy(BEILUN, copy)
    before = copy.read_bytes()
    run("summarize", copy, "-f", "json", "-o", tmp_path / "out.json")
    run("validate", copy)
    assert copy.read_bytes() == before


# ----------------------------------------------------------------------------- a real process


def test_subprocess_stdout_is_pure_json_and_pipes_cleanly():
    proc = subprocess.run([sys.executable, "-m", "gdstat", "summarize", str(BEILUN), "-f", "json"],
                          capture_output=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout.decode("utf-8"))
    assert data["summary"]["errors"] == 0 and data["summary"]["warnings"] >= 1
    assert proc.stderr == b""


def test_subprocess_auto_is_plain_in_a_pipe_and_exit_codes():
    proc = subprocess.run([sys.executable, "-m", "gdstat", "summarize", str(BEILUN)], capture_output=True, cwd=ROOT,
                          timeout=60)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0 and "\x1b[" not in out and "宁波市北仑区（开发区）" in out
    missing = subprocess.run([sys.executable, "-m", "gdstat", "validate", "nope.xlsx"], capture_output=True,
                             cwd=ROOT, timeout=60)
    assert missing.returncode == 3 and b"Traceback" not in missing.stderr


def test_internal_error_is_exit_4_with_one_line(monkeypatch, english):
    from gdstat import api as api_module

    def boom(*args, **kwargs):
        raise RuntimeError("something broke")

    monkeypatch.setattr(api_module, "summarize", boom)
    result = run("summarize", BEILUN)
    assert result.exit_code == 4
    assert "internal error" in result.stderr and "Traceback" not in result.stderr


def test_fail_on_never_and_info(tmp_path, demo_values, sheet_writer):
    values = dict(demo_values["legacy"])
    values["legacy.apply.received"] += 1
    path = sheet_writer("legacy", values)
    assert run("validate", path).exit_code == 1
    assert run("validate", path, "--fail-on", "never").exit_code == 0
    assert run("summarize", path, "-f", "json").exit_code == 1


def test_every_command_is_documented_in_the_readme():
    import typer.main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    for name in group.commands:
        assert f"gdstat {name}" in readme, name
        assert run(name, "--help").exit_code == 0


def test_outputs_are_ordinary_files_not_owner_only(tmp_path):
    import os
    import stat

    out = tmp_path / "summary.json"
    old = os.umask(0o022)
    try:
        assert run("summarize", BEILUN, "-f", "json", "-o", out).exit_code == 0
        assert run("write", BEILUN, "-o", tmp_path / "sheet.xlsx").exit_code == 0
    finally:
        os.umask(old)
    for path in (out, tmp_path / "sheet.xlsx"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("source", [BEILUN, ROOT / "tests" / "fixtures" / "reports" / "beilun-2018-report.txt"])
def test_standard_input_is_read_with_dash(source):
    proc = subprocess.run([sys.executable, "-m", "gdstat", "summarize", "-", "-f", "json"], input=source.read_bytes(),
                          capture_output=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout.decode("utf-8"))
    assert data["source"]["path"] == "-" and data["report"]["year"] == 2018
    online = next(v for v in data["values"] if v["id"] == "legacy.apply.received.online")
    assert online["value"] == 58 and online["location"]["path"] == "-"
    assert "stdin" not in proc.stdout.decode("utf-8")


def test_standard_input_that_is_not_a_report(english):
    proc = subprocess.run([sys.executable, "-m", "gdstat", "validate", "-"], input="随便一段文字\n".encode(),
                          capture_output=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 3 and b"standard input: no statistics table found" in proc.stderr


def test_validate_many_files_ends_with_the_bottom_line(tmp_path):
    bad = make_bad(tmp_path, "empty.xlsx")
    result = run("validate", BEILUN, *sorted(DEMO.glob("20*.xlsx")), bad, "-f", "plain")
    assert result.exit_code == 3
    assert result.stdout.strip().splitlines()[-1].startswith("共 9 个文件，0 个有错误，1 个无法读取；错误 0 项，警告 2 项")
