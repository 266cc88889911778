"""Killable workers: a file that crashes, panics or hangs its worker is that file's problem; a batch
stopped by SIGTERM or SIGKILL leaves no worker and no temporary file behind for good."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gdstat.cli import app
from gdstat.workers import Lost, isolated

ROOT = Path(__file__).resolve().parent.parent
BEILUN = ROOT / "examples" / "beilun-2018.xlsx"




@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("GDSTAT_LANG", "en")  # messages are matched in English


class FakePanic(BaseException):
    """Like pyo3's PanicException: not an Exception."""


def _work(item):
    if item == "abort":
        import faulthandler

        faulthandler.disable()  # pytest's, which would print this worker's stack
        os.abort()
    if item == "hang":
        time.sleep(60)
    if item == "panic":
        raise FakePanic("chunk size must be non-zero")
    return item * 2


def test_a_crash_a_panic_and_a_hang_are_lost_items_and_the_rest_goes_on():
    started = time.monotonic()
    results = list(isolated(_work, [1, "abort", 2, "panic", "hang", 3], jobs=2, seconds=2))
    assert [item for item, _ in results] == [1, "abort", 2, "panic", "hang", 3]
    got = dict((str(item), result) for item, result in results)
    assert got["1"] == 2 and got["2"] == 4 and got["3"] == 6
    assert isinstance(got["abort"], Lost) and "SIGABRT" in got["abort"].reason and not got["abort"].timed_out
    assert isinstance(got["panic"], Lost) and "FakePanic: chunk size" in got["panic"].reason
    assert isinstance(got["hang"], Lost) and got["hang"].timed_out
    assert time.monotonic() - started < 30


def _grow(item):
    if item == "grow":
        hoard = []
        while True:  # like a damaged .xls in calamine's reader: memory without end
            hoard.append(bytearray(16 * 1024 * 1024))
    return item


def test_a_worker_past_the_memory_limit_is_killed_and_the_rest_goes_on(monkeypatch):
    from gdstat import limits

    monkeypatch.setattr(limits, "_values", {"memory": 200 * limits.MB})
    got = dict(isolated(_grow, ["a", "grow", "b"], jobs=1, seconds=60))
    assert got["a"] == "a" and got["b"] == "b"
    lost = got["grow"]
    assert isinstance(lost, Lost) and lost.limit == "memory" and not lost.timed_out
    assert int(lost.reason.split()[0].replace(",", "")) > 200  # "N MB"


def test_one_worker_also_survives_a_crash():
    results = [result for _, result in isolated(_work, ["abort", 5], jobs=1)]
    assert isinstance(results[0], Lost) and results[1] == 10


def test_items_waiting_behind_a_lost_one_are_read_by_a_fresh_worker():
    """A worker holds the next item in its pipe while it works: when it is lost, only the item
    it was on is; the one waiting is read by the next worker, with its own time."""
    results = list(isolated(_work, ["hang", 1, "abort", 2, 3], jobs=1, seconds=1))
    assert [item for item, _ in results] == ["hang", 1, "abort", 2, 3]
    assert results[0][1].timed_out and isinstance(results[2][1], Lost)
    assert [results[1][1], results[3][1], results[4][1]] == [2, 4, 6]


def test_an_item_handed_to_a_worker_that_has_just_died_waits_for_the_next():
    """A worker may die on its item before the parent has read its pipe; handing it the next item
    then meets a broken pipe: that item goes to a fresh worker, and the run goes on."""
    items = ["abort", 1] * 25
    results = list(isolated(_work, items, jobs=1, seconds=5))
    assert [item for item, _ in results] == items
    assert all(isinstance(result, Lost) and "SIGABRT" in result.reason for _, result in results[::2])
    assert [result for _, result in results[1::2]] == [2] * 25


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def many_inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(400):
        shutil.copy(BEILUN, folder / f"r{i:03}.xlsx")
    return folder


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_stopped_batch_leaves_no_worker_and_its_temporary_file_goes(tmp_path, many_inputs, how):
    out = tmp_path / "all.csv"
    process = subprocess.Popen([sys.executable, "-m", "gdstat", "batch", str(many_inputs), "-o", str(out), "-q",
                                "-j", "2"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (list(tmp_path.glob(".all.csv.*.tmp")) and _children(process.pid)):
        time.sleep(0.05)
    workers = _children(process.pid)
    assert workers and process.poll() is None
    process.send_signal(how)
    stderr = process.communicate(timeout=30)[1]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(map(_alive, workers)):
        time.sleep(0.05)
    assert not any(map(_alive, workers)), "a worker outlived its parent"
    assert not out.exists()
    temps = list(tmp_path.glob(".all.csv.*.tmp"))
    if how == signal.SIGTERM:
        assert process.returncode == 128 + signal.SIGTERM and not temps
        assert b"Traceback" not in stderr
    else:  # nothing can clean up after SIGKILL: the next write of the same output sweeps it
        assert temps and f"gdstat-{process.pid}." in temps[0].name
        result = CliRunner().invoke(app, ["batch", str(BEILUN), "-o", str(out), "-q"])
        assert result.exit_code in (0, 1), result.output
        assert out.exists() and not list(tmp_path.glob(".all.csv.*.tmp"))


def test_batch_goes_on_past_a_worker_that_aborts(tmp_path):
    """A cell far away, past a raised area limit: calamine aborts the worker (550 GB); the file is
    an input-unreadable finding and the good file's rows are all there."""
    from fuzz import hostile

    bad = hostile.far_rectangle(tmp_path)
    out, findings = tmp_path / "all.csv", tmp_path / "findings.csv"
    done = subprocess.run([sys.executable, "-m", "gdstat", "--limit", "area=20000000000", "batch", str(BEILUN), str(bad),
                           "-o", str(out), "--findings", str(findings), "-q", "-j", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr
    from gdstat.batch import read_one

    expected = len(read_one(str(BEILUN)).rows)
    assert sum(1 for line in out.read_text().splitlines() if str(BEILUN) in line) == expected > 50
    rows = findings.read_text()
    assert "input-unreadable" in rows and "far-rectangle.xlsx" in rows and "crashed" in rows


def test_batch_time_limit_makes_an_input_too_large_finding(tmp_path, monkeypatch):
    from gdstat import batch, limits

    read_one = batch.read_one

    def slow_read(path, **options):
        if "slow" in path:
            time.sleep(30)
        return read_one(path, **options)

    slow = tmp_path / "slow.xlsx"
    shutil.copy(BEILUN, slow)
    monkeypatch.setattr(batch, "read_one", slow_read)
    monkeypatch.setattr(limits, "_values", {"seconds": 2})
    out, findings = tmp_path / "all.csv", tmp_path / "findings.csv"
    started = time.monotonic()
    run = batch.run([BEILUN, slow], str(out), findings=str(findings), jobs=2)
    rows = findings.read_text()
    assert run.exit_code == 3 and run.unreadable == 1 and time.monotonic() - started < 25
    assert "input-too-large" in rows and "--limit seconds" in rows and "slow.xlsx" in rows


def test_validate_of_several_files_goes_on_past_a_worker_that_aborts(tmp_path):
    import json

    from fuzz import hostile

    bad = hostile.far_rectangle(tmp_path)
    done = subprocess.run([sys.executable, "-m", "gdstat", "--limit", "area=20000000000", "validate", str(BEILUN),
                           str(bad), "-f", "json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    files = json.loads(done.stdout)["files"]
    assert files[0]["report"]["agency"] == "宁波市北仑区（开发区）"
    assert "crashed" in files[1]["error"] and files[1]["hint"]
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr


@pytest.fixture(params=["forked", "spawned"])
def reader(request, monkeypatch):
    """Each kind of child ``contained`` starts: forked directly, or a multiprocessing worker where
    the platform cannot fork."""
    from gdstat import workers

    monkeypatch.setattr(workers, "READER", workers._Forked if request.param == "forked" else workers._Spawned)
    if workers._reader:
        workers._reader[1].stop()
        workers._reader.clear()
    return workers


def test_contained_work_reuses_one_child_replaces_a_lost_one_and_takes_the_limits_of_each_call(monkeypatch, reader):
    from gdstat import limits, workers

    first = workers.contained(os.getpid)
    assert first != os.getpid()
    assert workers.contained(os.getpid) == first  # the same child serves the next call
    monkeypatch.setattr(limits, "_values", {"digits": 3})
    assert workers.contained(limits.get, "digits") == 3  # set after the child started
    monkeypatch.chdir(ROOT / "examples")
    assert workers.contained(os.getcwd) == str(ROOT / "examples")  # and the folder changed since
    with pytest.raises(workers.Contained) as lost:
        workers.contained(time.sleep, 60, seconds=1)
    assert lost.value.lost.limit == "seconds"
    again = workers.contained(os.getpid)
    assert again not in (first, os.getpid())


def _crash():
    return _work("abort")


def _hold_400_mb():
    ballast = bytearray(400 * 2**20)
    time.sleep(5)
    return len(ballast)


def test_a_contained_crash_or_a_child_past_the_memory_limit_is_lost_and_the_next_call_has_a_new_child(reader,
                                                                                                     monkeypatch):
    from gdstat import limits

    with pytest.raises(reader.Contained) as lost:
        reader.contained(_crash)
    assert lost.value.lost.reason == "the reader crashed (SIGABRT)" and lost.value.lost.limit is None
    monkeypatch.setattr(limits, "_values", {"memory": 200 * 2**20})
    with pytest.raises(reader.Contained) as lost:
        reader.contained(_hold_400_mb)
    assert lost.value.lost.limit == "memory"
    with pytest.raises(ZeroDivisionError):  # what the work raises is raised here
        reader.contained(divmod, 1, 0)
    assert reader.contained(os.getpid) not in (os.getpid(), None)


def test_an_interrupted_contained_call_never_answers_the_next_one():
    from gdstat import workers

    class Interrupted(Exception):
        pass

    def interrupt(*_):
        raise Interrupted

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with pytest.raises(Interrupted):
            workers.contained(time.sleep, 3)  # returns None in the child, after the caller gave up
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    time.sleep(3)
    child = workers.contained(os.getpid)
    assert isinstance(child, int) and child != os.getpid()  # its own answer, not the sleep's None


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_the_busy_contained_child_dies_with_a_killed_parent():
    code = "import time; from gdstat import workers; workers.contained(time.sleep, 60)"
    process = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _children(process.pid):
        time.sleep(0.05)
    child = _children(process.pid)
    assert child and process.poll() is None
    time.sleep(0.5)  # the child is past its start, sleeping in the call
    process.kill()
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(map(_alive, child)):
        time.sleep(0.05)
    assert not any(map(_alive, child)), "the child outlived its parent"
