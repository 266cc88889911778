"""Where one feature meets another: outputs of one command as inputs of the next, the shared
command-line conventions in the newer commands, formula escaping and reading back, through the
real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import BEILUN, DEMO, ROOT


def gd(*args, cwd=ROOT, lang: str | None = None):
    """``gdstat ARGS`` in a subprocess; ``lang`` sets GDSTAT_LANG (None: unset, the default zh)."""
    environ = {k: v for k, v in os.environ.items() if k != "GDSTAT_LANG"}
    if lang is not None:
        environ["GDSTAT_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "gdstat", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=environ, timeout=120)


# ----------------------------------------------------------------------------- -o suffixes of the newer outputs


@pytest.mark.parametrize("name", ["report.txt", "report.csv", "report.json"])
def test_report_refuses_an_output_name_that_is_not_html(tmp_path, name):
    proc = gd("report", BEILUN, "-o", tmp_path / name, lang="en")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines()[0] == f"gdstat: error: {tmp_path / name}: gdstat report does not write {name[6:]} files"
    assert "name it with one of: .html .htm" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_report_writes_no_file_named_dash(tmp_path):
    proc = gd("report", BEILUN, "-o", "-", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("gdstat: 错误: gdstat report 写出一个 HTML 文件，不写到标准输出\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["narrate"], ["summarize"], ["extract"]])
def test_commands_that_write_text_refuse_an_html_name(tmp_path, command):
    proc = gd(*command, BEILUN, "-o", tmp_path / "out.html")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"gdstat: 错误: {tmp_path / 'out.html'}：gdstat {command[0]} 不写 .html 文件")
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- formula escaping, read back

AGENCY = '=HYPERLINK("http://x")区人民政府'


@pytest.fixture
def hostile(tmp_path):
    """An official 2021 sheet whose agency starts with = and whose 规章 本年制发件数 cell holds "-":
    both are escaped with ' in the CSV gdstat writes."""
    import openpyxl

    path = tmp_path / "in" / "hostile.xlsx"
    path.parent.mkdir()
    assert gd("write", DEMO / "2022.xlsx", "--agency", AGENCY, "-o", path).returncode == 0
    book = openpyxl.load_workbook(path)
    book.active["G6"].value = "-"
    book.save(path)
    return path


def summary(*args):
    proc = gd("summarize", *args, "-f", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    return data["report"]["agency"], {v["id"]: (v["value"], v["kind"], v["raw"]) for v in data["values"]}


@pytest.mark.parametrize("escape", [[], ["--no-escape-formulas"]])
def test_escaped_csv_reads_back_to_the_same_report(hostile, tmp_path, escape):
    agency, values = summary(hostile)
    assert agency == AGENCY and values["regulations.rules@issued"][2] == "-"
    cells, dataset = tmp_path / "cells.csv", tmp_path / "all.csv"
    assert gd(*escape, "extract", hostile, "-o", cells).returncode == 0
    assert gd(*escape, "batch", hostile, "-o", dataset, "-q").returncode == 0
    written = cells.read_text(encoding="utf-8") + dataset.read_text(encoding="utf-8")
    assert (",'-," in written and f"'{AGENCY}" in written.replace('""', '"')) is not bool(escape)
    assert summary(cells)[1] == values
    assert summary(dataset) == (agency, values)


def test_report_on_an_escaped_batch_csv_names_the_agency_as_read(hostile, tmp_path):
    dataset = tmp_path / "all.csv"
    assert gd("batch", hostile, DEMO / "2023.xlsx", "-o", dataset, "-q").returncode == 0
    assert gd("report", dataset, "-o", tmp_path / "review.html").returncode == 0
    page = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(&#34;http://x&#34;)区人民政府" in page and "&#39;=HYPERLINK" not in page


# ----------------------------------------------------------------------------- report: inputs that cannot be read


def test_report_of_nothing_readable_fails_and_writes_nothing(tmp_path):
    for inputs in ([tmp_path / "missing.csv"], [tmp_path / "nomatch-*.xlsx"], [tmp_path / "no-folder"]):
        proc = gd("report", *inputs, "-o", tmp_path / "review.html")
        assert proc.returncode == 3, proc.stderr
        assert proc.stderr.startswith(f"gdstat: 错误: {inputs[0]}：文件不存在")
        assert not (tmp_path / "review.html").exists()


def test_report_of_many_with_one_unreadable_says_so_and_exits_3(tmp_path):
    import shutil

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(BEILUN, folder)
    shutil.copy(DEMO / "2022.xlsx", folder)
    broken = folder / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip archive")
    proc = gd("report", folder, "-o", tmp_path / "review.html", lang="en")
    assert proc.returncode == 3, proc.stderr
    assert f"gdstat: error: {broken}: the file is a damaged or truncated zip archive" in proc.stderr
    assert (tmp_path / "review.html").exists()  # the readable ones are on the page, as in validate


# ----------------------------------------------------------------------------- messages of the newer pieces under zh


def test_gdstat_outputs_refused_as_reports_say_so_in_chinese(tmp_path):
    dataset, findings = tmp_path / "all.csv", tmp_path / "findings.csv"
    assert gd("batch", DEMO / "2022.xlsx", DEMO / "2023.xlsx", "-o", dataset, "--findings", findings, "-q").returncode == 0
    for command in (["narrate", findings], ["report", findings, "-o", tmp_path / "r.html"], ["summarize", findings]):
        proc = gd(*command)
        assert proc.returncode == 3 and proc.stderr.splitlines() == [
            f"gdstat: 错误: {findings}：gdstat 检查结果（validate 或 batch --findings 的输出），不是报告",
            "gdstat: 提示: 请给出报告本身（或 extract、summarize -f json 的输出，或单元格表）"], proc.stderr
    proc = gd("narrate", dataset)
    assert proc.returncode == 3 and proc.stderr.startswith(f"gdstat: 错误: {dataset}：gdstat 数据集，含 2 份报告，不是一份报告\n")
    assert "read one" not in proc.stderr


def test_a_reader_that_crashed_is_said_in_chinese_with_its_brackets_whole(tmp_path):
    """Past a raised area limit calamine aborts on a sheet reaching XFD1048576: why the file could
    not be read is said in the chosen language, in summarize and in batch's line for the file
    (which once cut the last bracket off a message without a hint, and so left it in English)."""
    from fuzz import hostile

    far = hostile.far_rectangle(tmp_path)
    raised = ("--limit", "area=100000000000000")
    one = gd(*raised, "summarize", far)
    assert one.returncode == 3 and one.stderr.startswith(f"gdstat: 错误: {far}：无法读取该 xlsx 工作簿（读取进程崩溃（SIGABRT））\n")
    many = gd(*raised, "batch", far, BEILUN, "-o", tmp_path / "all.csv", "-q")
    assert many.returncode == 3 and f"gdstat: 错误: {far}：无法读取（读取进程崩溃（SIGABRT））\n" in many.stderr, many.stderr
    en = gd(*raised, "batch", far, BEILUN, "-o", tmp_path / "all.csv", "-q", "--force", lang="en")
    assert f"gdstat: error: {far}: could not be read (the reader crashed (SIGABRT))\n" in en.stderr, en.stderr


@pytest.mark.parametrize("lang, said", [(None, "：文件为空"), ("en", ": the file is empty")])
def test_an_unreadable_file_is_a_finding_in_the_chosen_language(tmp_path, lang, said):
    """The findings of batch and validate say an unreadable file in the language of every other finding."""
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    gd("batch", empty, BEILUN, "-o", tmp_path / "all.csv", "--findings", tmp_path / "f.csv", "-q", lang=lang)
    batch_row = next(line for line in (tmp_path / "f.csv").read_text(encoding="utf-8").splitlines() if "input-unreadable" in line)
    hint = "（提示：请确认文件已完整保存或下载）" if lang is None else " (hint: check that the file was saved or downloaded completely)"
    assert f"{empty}{said}{hint}" in batch_row
    validate = gd("validate", empty, BEILUN, "-f", "csv", lang=lang)
    assert f",{empty}{said}," in validate.stdout, validate.stdout


def test_a_file_without_the_table_has_a_chinese_hint(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("本年度政府信息公开工作总体情况良好。\n", encoding="utf-8")
    proc = gd("narrate", text)
    assert proc.returncode == 3
    assert proc.stderr.splitlines()[1].startswith("gdstat: 提示: gdstat 按官方表格的标签"), proc.stderr


def test_a_bad_limit_is_a_usage_error_in_the_chosen_language():
    zh = gd("--limit", "bogus=1", "summarize", BEILUN)
    assert zh.returncode == 2 and zh.stderr.startswith("gdstat: 错误: 未知的限制 'bogus'\ngdstat: 提示: 可用的限制：input-bytes")
    en = gd("--limit", "cells=abc", "summarize", BEILUN, lang="en")
    assert en.returncode == 2 and en.stderr == ("gdstat: error: limit cells: 'ABC' is not a positive whole number\n"
                                                "gdstat: hint: e.g. --limit cells=N\n")
