"""Outputs never replace what gdstat did not see, never an input, never a pipe or a device; the
last step fails if the target appeared while gdstat was writing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gdstat.cli import app
from gdstat.errors import OutputError, UsageError
from gdstat.outputs import atomic, place, sweep, temp_beside

ROOT = Path(__file__).resolve().parent.parent
BEILUN = ROOT / "examples" / "beilun-2018.xlsx"
runner = CliRunner()


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("GDSTAT_LANG", "en")  # messages are matched in English


def test_the_last_step_fails_if_the_target_appeared(tmp_path):
    target = tmp_path / "out.txt"
    with pytest.raises(UsageError, match="appeared while gdstat was writing"):
        with atomic(target) as temp:
            temp.write_text("gdstat's")
            target.write_text("someone else's")
    assert target.read_text() == "someone else's"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left


def test_with_force_the_target_is_replaced(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with atomic(target, force=True) as temp:
        temp.write_text("new")
    assert target.read_text() == "new" and list(tmp_path.iterdir()) == [target]


def test_eight_concurrent_writes_of_one_name_give_one_file(tmp_path):
    out = tmp_path / "same.xlsx"
    processes = [subprocess.Popen([sys.executable, "-m", "gdstat", "write", str(BEILUN), "-o", str(out)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    errors = [p.communicate(timeout=120)[1] for p in processes]
    codes = [p.returncode for p in processes]
    assert codes.count(0) == 1, (codes, errors)
    assert all(code == 2 for code in codes if code), (codes, errors)
    assert all("already exists" in e or "appeared while" in e for e, code in zip(errors, codes) if code)
    import openpyxl

    openpyxl.load_workbook(out)  # one complete workbook
    assert [p.name for p in tmp_path.iterdir()] == ["same.xlsx"]


def test_force_refuses_a_fifo(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = runner.invoke(app, ["summarize", str(BEILUN), "-o", str(fifo), "--force"])
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    assert fifo.is_fifo()


def test_force_never_replaces_an_input(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_bytes((ROOT / "tests" / "fixtures" / "beilun-2018-table.tsv").read_bytes())
    before = path.read_bytes()
    result = runner.invoke(app, ["summarize", str(path), "-o", str(path), "--force"])
    assert result.exit_code == 2 and "is an input" in result.stderr, result.stderr
    assert path.read_bytes() == before


def test_batch_refuses_to_replace_one_of_its_inputs(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("just some data\n")
    result = runner.invoke(app, ["batch", str(data), "-o", str(data), "--force", "-q"])
    assert result.exit_code == 2 and "is an input" in result.stderr
    assert data.read_text() == "just some data\n"


def test_a_file_appearing_at_the_batch_target_is_left_alone(tmp_path):
    from gdstat import batch

    out = tmp_path / "all.csv"

    def drop(result):
        out.write_text("dropped here meanwhile")

    with pytest.raises(UsageError, match="appeared"):
        batch.run([BEILUN], str(out), on_file=drop, jobs=1)
    assert out.read_text() == "dropped here meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["all.csv"]


def test_an_output_under_a_file_is_refused_in_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(app, ["summarize", str(BEILUN), "-o", str(blocker / "out.txt")])
    assert result.exit_code == 2 and "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_an_unwritable_folder_is_an_output_error(tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match="cannot be written"):
        temp_beside(tmp_path / "out.txt")
    result = runner.invoke(app, ["summarize", str(BEILUN), "-o", str(tmp_path / "out.txt")])
    assert result.exit_code == 3 and "Permission denied" in result.stderr and "Traceback" not in result.stderr


def test_temporary_files_of_dead_processes_are_swept(tmp_path):
    out = tmp_path / "all.csv"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".all.csv.gdstat-{dead.stdout.strip()}.abcd1234.tmp"
    stale.write_text("left by a killed run")
    other = tmp_path / ".other.csv.gdstat-1.abcd1234.tmp"  # another output's: not ours to judge
    other.write_text("x")
    mine = temp_beside(out)
    assert f"gdstat-{os.getpid()}." in mine.name
    assert not stale.exists() and other.exists() and mine.exists()
    assert sweep(out) == []  # our own temporary file stays while we run
    mine.unlink()


def test_place_without_hard_links_still_refuses_an_appeared_target(tmp_path, monkeypatch):
    import errno

    def no_links(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "out.txt"
    temp = temp_beside(target)
    temp.write_text("new")
    place(temp, target)
    assert target.read_text() == "new"
    temp = temp_beside(target)
    with pytest.raises(UsageError, match="appeared"):
        place(temp, target)
    assert target.read_text() == "new"
