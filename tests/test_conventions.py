"""One command line: the conventions every command shares, through the real CLI in a subprocess.

Messages in both languages, the output format from the -o suffix, usage errors, confirmation and
failure lines, no file left behind, and the silent or misleading results of issue reports.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import BEILUN, DEMO, ROOT, wrong_beilun
from gdstat import __version__


def gd(*args, cwd=ROOT, lang: str | None = None, **env):
    """``gdstat ARGS`` in a subprocess; ``lang`` sets GDSTAT_LANG (None: unset, the default zh)."""
    environ = {k: v for k, v in os.environ.items() if k != "GDSTAT_LANG"}
    if lang is not None:
        environ["GDSTAT_LANG"] = lang
    environ.update(env)
    return subprocess.run([sys.executable, "-m", "gdstat", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=environ, timeout=120)


# ----------------------------------------------------------------------------- --version, errors, language


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_alone(flag):
    proc = gd(flag)
    assert proc.returncode == 0 and proc.stdout == f"gdstat {__version__}\n" and proc.stderr == ""


def test_usage_errors_in_gdstat_style_and_the_chosen_language():
    zh = gd("summarize", BEILUN, "--bogus")
    assert zh.returncode == 2 and zh.stdout == ""
    assert zh.stderr.splitlines() == ["gdstat: 错误: 没有选项 --bogus", "gdstat: 提示: 用法见 gdstat summarize -h"]
    en = gd("summarize", BEILUN, "--bogus", "--lang", "en")
    assert en.stderr.splitlines() == ["gdstat: error: no such option: --bogus", "gdstat: hint: see gdstat summarize -h"]
    choice = gd("validate", BEILUN, "-f", "xml", lang="en")
    assert choice.returncode == 2 and "Usage:" not in choice.stderr and "Try" not in choice.stderr
    assert choice.stderr.splitlines() == ["gdstat: error: -f/--format does not take 'xml'",
                                          "gdstat: hint: choose one of: auto, table, plain, markdown, csv, tsv, json, jsonl"]
    command = gd("sumarize")
    assert command.returncode == 2 and "没有命令 'sumarize'" in command.stderr


def test_language_from_the_environment_and_from_gdstat_toml(tmp_path):
    missing = tmp_path / "missing.xlsx"
    assert gd("summarize", missing, cwd=tmp_path).stderr.startswith("gdstat: 错误: ")
    assert gd("summarize", missing, cwd=tmp_path, lang="en").stderr.startswith("gdstat: error: ")
    (tmp_path / "gdstat.toml").write_text('lang = "en"\n', encoding="utf-8")
    proc = gd("summarize", missing, cwd=tmp_path)
    assert proc.stderr.splitlines() == [f"gdstat: error: {missing}: no such file",
                                        "gdstat: hint: check the path and the current folder"]
    assert gd("summarize", missing, "--lang", "zh", cwd=tmp_path).stderr.startswith(f"gdstat: 错误: {missing}：文件不存在")
    bad = gd("summarize", missing, cwd=tmp_path, lang="fr")
    assert bad.returncode == 2 and "GDSTAT_LANG" in bad.stderr


def test_bad_encoding_is_a_usage_error():
    proc = gd("summarize", BEILUN, "--encoding", "nope")
    assert proc.returncode == 2 and proc.stderr.startswith("gdstat: 错误: 未知的编码 'nope'")


def test_values_are_case_insensitive():
    proc = gd("summarize", BEILUN, "-f", "JSON", "--lang", "EN", "--fail-on", "Never")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["report"]["year"] == 2018


# ----------------------------------------------------------------------------- output choice


@pytest.mark.parametrize("command", [["summarize", BEILUN], ["validate", BEILUN], ["diff", DEMO / "2021.xlsx", DEMO / "2022.xlsx"],
                                     ["formats", "show", "2021"]])
def test_the_o_suffix_picks_the_format(tmp_path, command):
    for name, parse in (("out.json", json.loads), ("out.csv", lambda t: list(csv.reader(io.StringIO(t))))):
        out = tmp_path / name
        proc = gd(*command, "-o", out)
        assert proc.returncode == 0, proc.stderr
        assert parse(out.read_text(encoding="utf-8"))
        assert proc.stderr.startswith(f"gdstat: 已写入 {out}：") and proc.stderr.count("\n") == 1


def test_f_that_contradicts_the_suffix_is_a_usage_error_and_writes_nothing(tmp_path):
    out = tmp_path / "v.csv"
    proc = gd("validate", BEILUN, "-f", "json", "-o", out, lang="en")
    assert proc.returncode == 2 and not out.exists()
    assert proc.stderr.splitlines() == [f"gdstat: error: {out}: its suffix means csv, but -f says json",
                                        "gdstat: hint: leave out -f, or name the file v.json"]


def test_a_sheet_suffix_where_no_sheet_is_written_is_a_usage_error(tmp_path):
    proc = gd("validate", BEILUN, "-o", tmp_path / "v.xlsx", lang="en")
    assert proc.returncode == 2 and "does not write .xlsx files" in proc.stderr


def test_output_into_a_missing_folder_is_exit_2_and_creates_nothing(tmp_path):
    for command in (["validate", BEILUN], ["batch", BEILUN], ["extract", BEILUN]):
        proc = gd(*command, "-o", tmp_path / "nodir" / "out.csv")
        assert proc.returncode == 2, proc.stderr
        assert "nodir" in proc.stderr and "不存在" in proc.stderr
        assert not (tmp_path / "nodir").exists()


# ----------------------------------------------------------------------------- no silent failure


def test_exit_1_says_why(tmp_path):
    copy = wrong_beilun(tmp_path)
    out = tmp_path / "sheet.xlsx"
    proc = gd("extract", copy, "-o", out, lang="en")
    assert proc.returncode == 1 and out.exists()
    lines = proc.stderr.splitlines()
    assert lines[0] == f"gdstat: wrote {out}: the official legacy sheet of 宁波市北仑区（开发区） 2018"
    assert lines[1].startswith("gdstat: findings at or above --fail-on error: 1 error, 2 warnings")
    assert lines[2].startswith("  error sum-mismatch: ")
    zh = gd("validate", copy)
    assert zh.returncode == 1 and "检查结果达到 --fail-on error：错误 1 项，警告 2 项" in zh.stderr


def test_a_failed_run_leaves_no_file_behind(tmp_path):
    findings = tmp_path / "findings.csv"
    proc = gd("validate", tmp_path / "missing.xlsx", "-f", "csv", "-o", findings)
    assert proc.returncode == 3 and not findings.exists()
    dataset = tmp_path / "all.parquet"
    proc = gd("batch", "nomatch/**/*.xlsx", "-o", dataset, cwd=tmp_path)
    assert proc.returncode == 3 and not dataset.exists() and "没有一个输入文件能读取" in proc.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file either
    (tmp_path / "nomatch").mkdir()
    shutil.copy(BEILUN, tmp_path / "nomatch" / "a.xlsx")
    assert gd("batch", "nomatch/**/*.xlsx", "-o", dataset, cwd=tmp_path).returncode == 0
    assert dataset.exists()


def test_baseline_says_how_many_it_passed_over(tmp_path):
    known = tmp_path / "known.json"
    assert gd("validate", BEILUN, "-o", known).returncode == 0
    proc = gd("validate", BEILUN, "--baseline", known, "-f", "plain")
    assert "未发现新问题" in proc.stdout and "另有 2 项已在基线中" in proc.stdout
    data = json.loads(gd("summarize", BEILUN, "--baseline", known, "-f", "json").stdout)
    assert data["findings"] == [] and data["summary"]["passed_over"] == 2
    assert "2 findings in the baseline passed over" in gd("validate", BEILUN, "--baseline", known, "--lang", "en").stdout


# ----------------------------------------------------------------------------- inputs


def test_folders_and_quoted_globs_in_every_command_that_takes_several_inputs():
    folder = gd("validate", "examples/demo-district/", "-f", "json")
    files = [f["source"]["path"] for f in json.loads(folder.stdout)["files"]]
    assert "examples/demo-district/2017.xlsx" in files and any("units-2023" in f for f in files)
    glob = gd("validate", "examples/demo-district/20*.xlsx", "-f", "json")
    assert [f["source"]["path"] for f in json.loads(glob.stdout)["files"]] == [
        f"examples/demo-district/{year}.xlsx" for year in range(2017, 2024)]
    summed = gd("aggregate", "examples/demo-district/units-2023/*.xlsx", "-f", "json")
    assert summed.returncode == 0 and json.loads(summed.stdout)["report"]["year"] == 2023


def test_the_library_takes_one_path_as_one_input():
    from gdstat import validate

    result = validate("examples/beilun-2018.xlsx") if os.getcwd() == str(ROOT) else validate(str(BEILUN))
    assert len(result.files) == 1 and result.files[0].report.year == 2018
    assert len(validate(DEMO / "units-2023").files) == 6


# ----------------------------------------------------------------------------- diff: agencies and years


def test_diff_from_the_repository_root_compares_one_agency():
    proc = gd("diff", "2017", "2018", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [r["source"]["path"] for r in data["reports"]] == ["examples/demo-district/2017.xlsx",
                                                              "examples/demo-district/2018.xlsx"]


def test_diff_of_two_agencies_is_an_error_naming_both():
    proc = gd("diff", DEMO / "2017.xlsx", BEILUN, "-f", "json")
    assert proc.returncode == 1
    finding = next(f for f in json.loads(proc.stdout)["findings"] if f["code"] == "agency-mismatch")
    assert finding["severity"] == "error"
    assert "示范市示范区人民政府" in finding["message"] and "宁波市北仑区（开发区）" in finding["message"]
    assert "beilun-2018.xlsx" in finding["message"] and "agency-mismatch" in proc.stderr


def test_year_in_the_name_against_the_title(tmp_path):
    shutil.copy(DEMO / "2022.xlsx", tmp_path / "2022.xlsx")
    shutil.copy(DEMO / "2022.xlsx", tmp_path / "2023.xlsx")  # last year's sheet saved under this year's name
    checked = gd("validate", tmp_path / "2023.xlsx", "-f", "json")
    codes = [f["code"] for f in json.loads(checked.stdout)["files"][0]["findings"]]
    assert "year-mismatch" in codes
    proc = gd("diff", "2022", "2023", "-f", "json", cwd=tmp_path, lang="en")
    finding = next(f for f in json.loads(proc.stdout)["findings"] if f["code"] == "year-mismatch")
    assert finding["severity"] == "warning" and (finding["expected"], finding["actual"]) == (2023, 2022)
    assert "gdstat: warning: 2023.xlsx: compared as 2022, the year in its title (its name says 2023)" in proc.stderr


def test_diff_of_the_same_file_twice_is_a_usage_error():
    proc = gd("diff", "2018", "2018", "--dir", "examples/demo-district")
    assert proc.returncode == 2 and "无法与自身比较" in proc.stderr
