"""How fast does ``gdstat batch`` read official sheets, and how much memory does it hold?

Makes N official xlsx sheets (legacy, 2019 and 2021 formats in turn) with random but consistent
values, then times ``gdstat batch`` on them as a user runs it (a fresh process, start-up included)
with one worker and with every core, samples the peak memory of the whole process tree, and
times a plain ``pandas.read_excel`` loop over the same files in the same run.

    python benchmarks/batch.py                 # 2,000 files
    python benchmarks/batch.py -n 10000 --pandas 500 --kinds csv,parquet
    python benchmarks/batch.py -n 4000 --pandas 50 --dask   # also on a local Dask cluster

Not run by the tests. Needs pandas (and pyarrow for --kinds parquet).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))

import make_examples as demo  # noqa: E402  (the consistent value generators of the demo district)

from gdstat.catalog import load_format  # noqa: E402
from gdstat.writers.layout import build  # noqa: E402
from gdstat.writers.xlsx import draw  # noqa: E402

SENTINEL = 9_000_000  # placeholder values in the templates, one per cell, replaced file by file


def templates() -> list[tuple[str, list[str], dict[str, bytes]]]:
    """(format, cell ids, the xlsx members) for one sheet drawn per format, cells holding placeholders."""
    out = []
    for format_id in ("legacy", "2019", "2021"):
        ids = list(load_format(format_id).cells)
        buffer = io.BytesIO()
        draw(build(load_format(format_id), "示范市示范区人民政府", 2022), {cid: SENTINEL + i for i, cid in enumerate(ids)}).save(buffer)
        with zipfile.ZipFile(buffer) as archive:
            out.append((format_id, ids, {name: archive.read(name) for name in archive.namelist()}))
    return out


def values_for(format_id: str, rng: random.Random) -> dict:
    if format_id == "legacy":
        return demo.demo_legacy(rng)
    if format_id == "2019":
        return demo.demo_2019(rng, None)
    return demo.demo_2021(rng, None, {"regulations.normative": rng.randint(20, 80)})


def make_sheets(folder: Path, n: int, seed: int = 2024) -> None:
    """N sheets, each with its own consistent values, written by patching the template's sheet XML."""
    rng = random.Random(seed)
    kinds = templates()
    sentinel = re.compile(rb"<v>(9\d{6})</v>")
    for i in range(n):
        format_id, ids, members = kinds[i % len(kinds)]
        values = values_for(format_id, rng)

        def put(match, values=values, ids=ids):
            value = values.get(ids[int(match.group(1)) - SENTINEL])
            return b"<v>" + str(value if value is not None else 0).encode() + b"</v>"

        with zipfile.ZipFile(folder / f"{i:05d}-{format_id}.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                archive.writestr(name, sentinel.sub(put, data) if name.startswith("xl/worksheets/") else data)


def tree_memory(pid: int) -> int:
    """Memory of a process and all its descendants, in bytes (Linux /proc): the proportional set
    size, which counts a page shared by n processes (the interpreter, forked workers) 1/n times each.
    """
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(c) for c in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_gdstat(folder: Path, out: Path, jobs: int) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the whole process tree, peak memory of the tree) of one
    `gdstat batch` run, start-up included.
    """
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", "gdstat", "batch", str(folder), "-o", str(out), "-q", "-j", str(jobs)]
    started = time.perf_counter()
    proc = subprocess.Popen(command)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_memory(proc.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"gdstat batch exited {proc.returncode}")
    return seconds, usage.ru_utime + usage.ru_stime, peak  # the usage includes the workers it reaped


def pandas_loop(files: list[Path], engine: str) -> float:
    import pandas as pd

    started = time.perf_counter()
    for path in files:
        pd.read_excel(path, header=None, engine=engine)
    return time.perf_counter() - started


def dask_run(folder: Path, out: Path, workers: int, group: int) -> tuple[float, float]:
    """(wall seconds, start-up seconds of the cluster) of ``batch --dask`` on a LocalCluster of
    ``workers`` single-threaded worker processes, the cluster's start-up excluded from the wall time."""
    from dask.distributed import LocalCluster

    from gdstat import distributed

    started = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        ready = time.perf_counter() - started
        started = time.perf_counter()
        distributed.run([folder], out, cluster.scheduler_address, force=True, group=group)
        return time.perf_counter() - started, ready


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="number of sheets (default 2000)")
    parser.add_argument("--pandas", type=int, default=None, help="time pandas on only this many of them (default all)")
    parser.add_argument("--kinds", default="csv", help="dataset kinds to time, comma-separated (csv,jsonl,parquet)")
    parser.add_argument("--dir", type=Path, default=None, help="folder for the sheets (default: a temporary one)")
    parser.add_argument("--dask", action="store_true", help="also time --dask on a LocalCluster of 1 and of every-core workers")
    parser.add_argument("--group", type=int, default=200, help="files a Dask task (default 200)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="gdstat-bench-") as tmp:
        folder = args.dir or Path(tmp) / "sheets"
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        make_sheets(folder, args.n)
        print(f"made {args.n} official xlsx sheets in {time.perf_counter() - started:.1f} s ({cores} cores)")
        files = sorted(folder.glob("*.xlsx"))
        print(f"{'run':<32}{'seconds':>9}{'files/s':>10}{'CPU ms/file':>13}{'peak MB':>9}")
        best = None
        for kind in args.kinds.split(","):
            for jobs in sorted({1, cores}):
                seconds, cpu, peak = run_gdstat(folder, Path(tmp) / f"out.{kind}", jobs)
                rate = args.n / seconds
                if jobs == cores and kind == "csv":
                    best = rate
                print(f"{f'gdstat batch -j {jobs} -> {kind}':<32}{seconds:>9.2f}{rate:>10.0f}"
                      f"{cpu / args.n * 1000:>13.2f}{peak / 2**20:>9.0f}")
                if jobs == 1 and kind == "csv":
                    print(f"{'':<32}one core: {rate * 3600:,.0f} files per hour (by CPU time: "
                          f"{3600 * args.n / cpu:,.0f})")
        if args.dask:
            for workers in sorted({1, cores}):
                seconds, ready = dask_run(folder, Path(tmp) / "dataset", workers, args.group)
                print(f"{f'--dask, LocalCluster of {workers}':<32}{seconds:>9.2f}{args.n / seconds:>10.0f}"
                      f"   {args.n / seconds / workers:.0f} files/s a worker; cluster start {ready:.1f} s (not counted)")
        sample = files[: args.pandas] if args.pandas else files
        rates = {}
        for engine in ("openpyxl", "calamine"):  # pandas' default engine, and the reader gdstat uses
            seconds = pandas_loop(sample, engine)
            rates[engine] = len(sample) / seconds
            print(f"{f'pandas.read_excel {engine} ({len(sample)})':<32}{seconds:>9.2f}{rates[engine]:>10.0f}")
        if best:
            print(f"gdstat batch on {cores} cores: {best / rates['openpyxl']:.0f}x the files per second of a "
                  f"pandas.read_excel loop, {best / rates['calamine']:.1f}x with engine='calamine' "
                  "(pandas only reads the grids: no tables located, no values checked, nothing written)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
