"""gdstat batch on a Dask cluster: a real LocalCluster of two worker processes, one of them killed."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time

import pytest
from typer.testing import CliRunner

from conftest import BEILUN, DEMO
from gdstat import batch, distributed, limits
from gdstat.cli import app

pytest.importorskip("dask.distributed")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local


def reports(folder, copies: int = 1):
    """The demo district's sheets and the 北仑区 sheet (``copies`` times), a damaged file and a note."""
    folder.mkdir()
    for k in range(copies):
        for path in [BEILUN, *sorted(DEMO.glob("20*.xlsx"))]:
            shutil.copy(path, folder / f"{k:03d}-{path.name}")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not a zip archive")
    return folder


def local_run(folder, tmp_path):
    """The dataset and findings the local batch writes for the same inputs."""
    result = batch.run([folder], tmp_path / "local.parquet", findings=str(tmp_path / "local.csv"), jobs=1)
    return result, pq.read_table(tmp_path / "local.parquet").to_pylist(), (tmp_path / "local.csv").read_text(encoding="utf-8")


def test_the_dataset_holds_the_rows_of_the_local_run(cluster, tmp_path):
    folder = reports(tmp_path / "in")
    local, rows, findings = local_run(folder, tmp_path)
    out = tmp_path / "dataset"
    result = distributed.run([folder], out, cluster.scheduler_address, findings=str(tmp_path / "dask.csv"), group=3)
    parts = sorted(p.name for p in out.iterdir())
    assert parts == [f"part-{n:05d}.parquet" for n in range(3)]  # 9 files, 3 a group: one part a group
    assert pq.read_table(out).to_pylist() == rows  # the folder reads as one table, in the local order
    assert (tmp_path / "dask.csv").read_text(encoding="utf-8") == findings
    assert "input-unreadable" in findings  # the damaged file is a finding, as in the local run
    assert (result.files, result.values, result.unreadable, result.counts, result.exit_code) == \
        (local.files, local.values, local.unreadable, local.counts, local.exit_code) == (9, local.values, 1, local.counts, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dask.csv", "dataset", "in", "local.csv", "local.parquet"]


def test_fsspec_urls_are_listed_and_read_by_the_workers(cluster, tmp_path):
    folder = reports(tmp_path / "in")
    _, rows, _ = local_run(folder, tmp_path)
    url = f"file://{folder}"
    distributed.run([f"{url}/*.xlsx"], tmp_path / "dataset", cluster.scheduler_address, group=4)
    got = pq.read_table(tmp_path / "dataset").to_pylist()
    assert [r["path"] for r in got] == [f"{url}/{r['path'].rsplit('/', 1)[1]}" for r in rows]
    strip = lambda row: {k: v for k, v in row.items() if k not in ("path", "location")}  # noqa: E731
    assert [strip(r) for r in got] == [strip(r) for r in rows]
    assert all(r["location"] is None or r["location"].startswith(url) for r in got)


def test_cli_writes_the_dataset_and_refuses_what_it_cannot_do(cluster, tmp_path):
    folder = reports(tmp_path / "in")
    runner = CliRunner()
    out = tmp_path / "dataset"
    done = runner.invoke(app, ["batch", str(folder), "--dask", cluster.scheduler_address, "-o", str(out), "-q"])
    assert done.exit_code == 3, done.output  # the damaged file, as in a local run
    assert pq.read_table(out).num_rows == batch.run([folder], tmp_path / "l.csv", jobs=1).values
    again = runner.invoke(app, ["batch", str(folder), "--dask", cluster.scheduler_address, "-o", str(out), "--lang", "en"])
    assert again.exit_code == 2 and "already exists" in again.stderr
    no_folder = runner.invoke(app, ["batch", str(folder), "--dask", cluster.scheduler_address])
    assert no_folder.exit_code == 2 and "Parquet 数据集文件夹" in no_folder.stderr


def test_a_killed_worker_loses_nothing(cluster, tmp_path):
    from dask.distributed import Client

    folder = reports(tmp_path / "in", copies=8)  # 65 files, 2 a group: 33 tasks
    _, rows, findings = local_run(folder, tmp_path)
    out = tmp_path / "dataset"
    outcome = {}

    def go():
        outcome["result"] = distributed.run([folder], out, cluster.scheduler_address,
                                            findings=str(tmp_path / "dask.csv"), group=2)

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        pids = client.run(os.getpid)
        thread = threading.Thread(target=go)
        thread.start()
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".dataset.*.tmp/part-*.parquet")) and time.monotonic() < deadline:
            time.sleep(0.005)
        killed_while_running = thread.is_alive()
        os.kill(next(iter(pids.values())), signal.SIGKILL)
        thread.join(120)
    assert killed_while_running and not thread.is_alive()
    assert outcome["result"].files == 65
    assert pq.read_table(out).to_pylist() == rows
    assert (tmp_path / "dask.csv").read_text(encoding="utf-8") == findings
    assert sorted(p.name for p in out.iterdir()) == [f"part-{n:05d}.parquet" for n in range(33)]  # no stray temporaries


def test_a_file_that_crashes_its_reader_costs_only_itself(cluster, tmp_path, monkeypatch):
    """With the area limit raised past a sheet reaching XFD1048576, calamine asks for 550 GB and
    aborts. A Dask worker reads each file in a child it can lose, as a local run does: the file is
    one unreadable file, and the other file of its group is read (it was lost with it, as an
    internal error, when the abort took the Dask worker down every time it was tried)."""
    from fuzz import hostile

    folder = reports(tmp_path / "in")
    hostile.far_rectangle(folder)  # sorts between the demo sheets and broken.xlsx
    monkeypatch.setattr(limits, "_values", None)  # this test's limits end with it
    limits.configure({"area": 10 ** 14})
    _, rows, findings = local_run(folder, tmp_path)
    result = distributed.run([folder], tmp_path / "dataset", cluster.scheduler_address,
                             findings=str(tmp_path / "dask.csv"), group=2)
    assert "读取进程崩溃（SIGABRT）" in findings and "internal-error" not in findings
    assert pq.read_table(tmp_path / "dataset").to_pylist() == rows
    assert (tmp_path / "dask.csv").read_text(encoding="utf-8") == findings
    assert (result.files, result.unreadable) == (10, 2)


def test_a_group_whose_every_attempt_killed_its_worker_is_one_finding_a_file():
    """What the scheduler says when every worker that ran a group died (KilledWorker): each file of
    the group is an internal-error finding, the run's exit code says so, and the other groups count."""
    from types import SimpleNamespace

    from dask.distributed import KilledWorker

    class Done:
        def __init__(self, outcome):
            self.outcome = outcome

        def result(self):
            if isinstance(self.outcome, BaseException):
                raise self.outcome
            return self.outcome

        def release(self):
            pass

    good = batch.read_one(str(BEILUN), encode="csv")
    tally = batch.Tally("error", None, None)
    groups = [["a.xlsx", "b.xlsx"], [str(BEILUN)]]
    values = distributed._collect(groups, [Done(KilledWorker("task", SimpleNamespace(address="tcp://w"), 3)), Done([good])],
                                 tally, "en")
    assert values == good.values and tally.unreadable == 2 and tally.worst == batch.EXIT_INTERNAL
    assert tally.counts["errors"] == 2


@pytest.mark.parametrize("escape", [[], ["--no-escape-formulas"]])
def test_findings_are_escaped_as_in_the_local_run(cluster, tmp_path, escape):
    """The findings CSV of a Dask run follows --no-escape-formulas, like the local run's."""
    import openpyxl

    folder = tmp_path / "in"
    folder.mkdir()
    sheet = folder / "hostile.xlsx"
    shutil.copy(DEMO / "2022.xlsx", sheet)
    book = openpyxl.load_workbook(sheet)
    book.active["A1"].value = "=cmd|' /C calc'!A0 区人民政府 2022 年政府信息公开工作年度报告统计表"
    book.active["A1"].data_type = "s"  # text that looks like a formula, as a scraped title may
    book.active["G7"].value = "约10"  # text in a number cell: one finding, with the agency beside it
    book.save(sheet)
    runner = CliRunner()

    def findings(*args) -> str:
        done = runner.invoke(app, [*escape, "batch", str(folder), *args, "--findings", str(tmp_path / "f.csv"),
                                   "--force", "-q"])
        assert done.exit_code == 1, done.output
        return (tmp_path / "f.csv").read_text(encoding="utf-8")

    local = findings("-o", str(tmp_path / "local.csv"))
    assert ("'=cmd" in local) is not bool(escape) and "text-in-number-cell" in local
    assert findings("--dask", cluster.scheduler_address, "-o", str(tmp_path / "dataset")) == local


def test_the_limits_reach_the_workers(cluster, tmp_path):
    """gdstat --limit applies on the cluster's workers as in a local run: here no file may cost 10 cells."""
    import subprocess
    import sys

    folder = reports(tmp_path / "in")
    proc = subprocess.run([sys.executable, "-m", "gdstat", "--limit", "cells=10", "batch", str(folder), "--dask",
                           cluster.scheduler_address, "-o", str(tmp_path / "dataset"), "-q", "--lang", "en"],
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.count("exceeds the cells limit of 10 cells") == 8, proc.stderr  # every sheet; the broken file is unreadable
    assert not (tmp_path / "dataset").exists()
