"""The whole surface: every command in every output format, the examples of `-h` and the README
run, and the README's command list, `gdstat -h` and these tests name the same commands."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from conftest import BEILUN, DEMO, ROOT, wrong_beilun
from gdstat.cli import app

runner = CliRunner()
REPORTS = DEMO.parent / "demo-reports"

# Every command, with arguments that run on the bundled examples. `gdstat -h` and the README list
# the same commands in the same order (test_readme_help_and_tests_agree).
COMMANDS = {
    "summarize": [BEILUN],
    "validate": [BEILUN, DEMO / "2018.xlsx"],
    "formats": [],
    "write": [BEILUN],
    "template": ["-t", "2021"],
    "extract": [REPORTS / "report-2023.html"],
    "diff": [DEMO / "2021.xlsx", DEMO / "2022.xlsx"],
    "narrate": [DEMO / "2023.xlsx"],
    "batch": [DEMO / "2017.xlsx", DEMO / "2022.xlsx"],
    "aggregate": [DEMO / "units-2023"],
    "report": [BEILUN],
}
PROSE = {"narrate"}  # prose has no rows: csv, tsv and jsonl are usage errors
SUFFIXES = {".txt": "plain", ".md": "markdown", ".csv": "csv", ".tsv": "tsv", ".json": "json", ".jsonl": "jsonl"}
# -o is the product (the xlsx sheet, the HTML page); -f is the format of what was written, on stdout
PRODUCTS = {"write": ".xlsx", "template": ".xlsx", "report": ".html"}


def parses_as(fmt: str, text: str) -> None:
    """``text`` is a well-formed document of ``fmt`` with some content."""
    assert text.strip(), fmt
    if fmt == "json":
        assert isinstance(json.loads(text), dict)
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in text.splitlines()]
        assert rows and all(isinstance(r, dict) and r.keys() == rows[0].keys() for r in rows)
    elif fmt in ("csv", "tsv"):
        rows = list(csv.reader(io.StringIO(text), delimiter="\t" if fmt == "tsv" else ","))
        assert len(rows) >= 2 and len({len(r) for r in rows}) == 1, rows[:3]
    elif fmt == "markdown":  # GFM: every table starts with a header row and its delimiter row
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if re.match(r"^\|[-:| ]+\|$", line):
                assert i > 0 and lines[i - 1].startswith("|") and lines[i - 1].count("|") == line.count("|")
                assert i < 2 or not lines[i - 2].startswith("|"), "a delimiter row inside a table"
    else:
        assert "\x1b[" not in text  # no colour in a file or a pipe


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code in (0, 1), (args, result.output, result.stderr)
    return result


def run_and_clean(args: list[str]) -> None:
    """Run a documented command line; remove what it wrote, since the next one may write it again."""
    invoke(*args)
    for i, arg in enumerate(args[:-1]):
        if arg in ("-o", "--output", "--findings"):
            os.remove(args[i + 1])


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_in_every_format_on_stdout_and_by_the_o_suffix(command, tmp_path):
    args = COMMANDS[command]
    if command == "batch":
        for kind in ("csv", "jsonl"):
            parses_as(kind, invoke(command, *args, "-f", kind.upper(), "-q").stdout)
            out = tmp_path / f"all.{kind}"
            invoke(command, *args, "-o", out, "-q")
            parses_as(kind, out.read_text(encoding="utf-8"))
        return
    for fmt in ("plain", "markdown", "csv", "tsv", "json", "jsonl"):
        if command in PROSE and fmt in ("csv", "tsv", "jsonl"):
            assert runner.invoke(app, [command, *map(str, args), "-f", fmt]).exit_code == 2
            continue
        if command in PRODUCTS:
            out = tmp_path / f"{fmt}{PRODUCTS[command]}"
            result = invoke(command, *args, "-o", out, "-f", fmt)
            assert out.stat().st_size > 0 and str(out) in result.stderr
        else:
            result = invoke(command, *args, "-f", fmt)
        parses_as(fmt, result.stdout)
    if command in PRODUCTS:
        return
    for suffix, fmt in SUFFIXES.items():
        out = tmp_path / f"out{suffix}"
        if command in PROSE and fmt in ("csv", "tsv", "jsonl"):
            assert runner.invoke(app, [command, *map(str, args), "-o", str(out)]).exit_code == 2 and not out.exists()
            continue
        result = invoke(command, *args, "-o", out)
        assert result.stdout == "" and result.stderr.startswith(f"gdstat: 已写入 {out}：")
        parses_as(fmt, out.read_text(encoding="utf-8"))


def test_the_cell_row_schema_is_one():
    from gdstat import api, batch

    extract = invoke("extract", REPORTS / "report-2023.html", "-f", "csv").stdout.splitlines()[0]
    summarize = invoke("summarize", DEMO / "2023.xlsx", "-f", "csv").stdout.splitlines()[0]
    dataset = invoke("batch", DEMO / "2023.xlsx", "-q").stdout.splitlines()[0]
    assert extract == summarize == ",".join(api.CELL_COLUMNS)
    assert dataset == ",".join(["path", "agency", "year", "format", *api.CELL_COLUMNS]) == ",".join(batch.COLUMNS)
    row = next(r for r in csv.DictReader(io.StringIO(invoke("summarize", BEILUN, "-f", "csv").stdout))
               if r["id"] == "legacy.active.total")
    assert (row["value"], row["raw"]) == ("12683", "12683")  # raw as displayed, not 12683.0


def test_findings_file_in_every_command_that_reads_reports(tmp_path):
    from gdstat import api

    header = ",".join([*api.SOURCE_COLUMNS, *api.FINDING_COLUMNS])
    for command in ("summarize", "validate", "extract", "diff", "aggregate", "batch"):
        out = tmp_path / f"{command}-findings.csv"
        args = [BEILUN] if command != "aggregate" else [DEMO / "units-2023"]
        if command == "diff":
            args = [DEMO / "2017.xlsx", DEMO / "2018.xlsx"]
        result = invoke(command, *args, "--findings", out, "-f", "json") if command != "batch" else \
            invoke(command, *args, "--findings", out, "-q")
        text = out.read_text(encoding="utf-8")
        assert text.splitlines()[0] == header, command
        if command in ("summarize", "validate", "extract", "batch"):
            assert "channel-exceeds-total" in text and "宁波市北仑区（开发区）" in text
        if command != "batch":
            assert f"gdstat: 已写入 {out}" in result.stderr


# ----------------------------------------------------------------------------- what a newcomer runs


def command_lines(text: str) -> list[tuple[str, list[str]]]:
    """(folder, args) of every `gdstat ...` line of the ```sh blocks, following `cd` lines."""
    out = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        folder = "."
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["cd"]:
                folder = words[1]
            elif words[:1] == ["gdstat"]:
                out.append((folder, words[1:]))
            elif "gdstat" in words:  # the install line ends with a first run
                out.append((folder, words[words.index("gdstat") + 1:]))
    return out


def help_examples() -> list[list[str]]:
    group = get_command(app)
    commands = list(group.commands.values())
    commands += [c for cmd in commands if hasattr(cmd, "commands") for c in cmd.commands.values()]
    found = []
    for cmd in commands:
        for line in (cmd.help or "").splitlines():
            if line.strip().startswith("gdstat "):
                found.append(shlex.split(line.strip())[1:])
    return found


@pytest.fixture
def newcomer(tmp_path, monkeypatch):
    """A folder where the bundled examples are at examples/, as in a fresh clone."""
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_example_of_every_help_runs(newcomer):
    examples = help_examples()
    named = {args[0] for args in examples}
    assert named >= set(COMMANDS) - {"formats"} | {"formats"}
    for args in examples:
        assert len([a for a in examples if a[0] == args[0]]) >= 2, args[0]
        run_and_clean(args)


def test_every_command_line_of_the_readme_runs(newcomer, monkeypatch):
    lines = command_lines((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(lines) > 20
    for folder, args in lines:
        monkeypatch.chdir(newcomer / folder)
        run_and_clean(args)


def test_readme_help_and_tests_agree():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"## Commands\n\n```sh\n(.*?)```", readme, re.S).group(1)
    listed = list(dict.fromkeys(shlex.split(line, comments=True)[1] for line in first_block.splitlines()))
    shown = runner.invoke(app, ["-h"]).stdout.split("Commands:\n")[1]
    in_help = [line.split()[0] for line in shown.splitlines() if line.startswith("  ") and not line.startswith("   ")]
    assert listed == in_help == list(COMMANDS)


# ----------------------------------------------------------------------------- the terminal


def test_colour_when_asked_even_in_a_pipe(tmp_path):
    copy = wrong_beilun(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}

    def gd(*args, **extra):
        return subprocess.run([sys.executable, "-m", "gdstat", *map(str, args)], capture_output=True, text=True,
                              encoding="utf-8", env={**env, **extra}, timeout=120).stdout

    plain = gd("summarize", copy)
    assert "\x1b[" not in plain and "≠ 73" in plain
    for coloured in (gd("summarize", copy, "--color", "always"), gd("summarize", copy, FORCE_COLOR="1"),
                     gd("summarize", copy, "-f", "table", "--color", "always")):
        assert re.search(r"\x1b\[1;31m≠ 73", coloured)  # the mismatch in bold red
        assert re.search(r"\x1b\[1;31m错误", coloured) and re.search(r"\x1b\[33m警告", coloured)
    assert "\x1b[" not in gd("summarize", copy, "--color", "always", "-f", "json")
    assert "\x1b[" not in gd("summarize", copy, FORCE_COLOR="1", NO_COLOR="1")


def test_shell_completion_completes_commands_options_and_files(tmp_path):
    (tmp_path / "2023.xlsx").write_bytes(b"x")

    def complete(words: str) -> str:
        env = {**os.environ, "_GDSTAT_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
        return subprocess.run([sys.executable, "-m", "gdstat"], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=60).stdout

    assert "summarize" in complete("gdstat sum").split() and "validate" in complete("gdstat va").split()
    assert "--fail-on" in complete("gdstat validate --fa").split()
    assert "json" in complete("gdstat summarize -f ").split()
    assert "2023.xlsx" in complete("gdstat validate 20")
    assert "--install-completion" in runner.invoke(app, ["-h"]).stdout


def on_a_terminal(columns: int, *args) -> str:
    """gdstat's stdout on a pseudo-terminal ``columns`` wide."""
    import pty

    primary, secondary = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "50"}
    proc = subprocess.Popen([sys.executable, "-m", "gdstat", *map(str, args)], stdout=secondary,
                            stderr=subprocess.DEVNULL, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closed: the program ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(primary)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_narrow_terminals():
    from rich.cells import cell_len

    wide = on_a_terminal(80, "summarize", DEMO / "2022.xlsx")
    assert max(cell_len(line) for line in wide.splitlines()) <= 80
    lines = wide.splitlines()
    # Table B at 80 columns: a label keeps its words and its numbers on its line
    disclosed = next(line for line in lines if "（一）予以公开" in line)
    assert disclosed.split()[-7:] == ["27", "6", "2", "1", "2", "1", "39"]
    assert any(line.strip() == "（区分处理的，" for line in lines)  # wrapped at punctuation
    assert "channel-exceeds-total" in on_a_terminal(80, "validate", BEILUN)  # codes are never split
    narrow = on_a_terminal(60, "summarize", DEMO / "2022.xlsx")
    assert "  自然人: 49" in narrow.splitlines() and max(cell_len(line) for line in narrow.splitlines()) <= 60
