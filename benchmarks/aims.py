"""Every speed aim of gdstat beside its floor, both measured in this run.

    python benchmarks/aims.py              # 2,000 files for batch
    python benchmarks/aims.py -n 600 --runs 5

A floor is what the same work costs without gdstat's own part: a raw python-calamine read of
every cell of the same file, a ``pandas.read_excel`` loop over the same files, or starting Python
and importing Typer; for memory, the same run over a quarter as many files (peak memory must stay
flat in the number of files). Each line prints the measure, the floor, their ratio and the aim;
``ok`` when the aim is met. Figures are medians (best of several runs for the library), so a busy machine
moves both sides of a ratio alike; note ``uptime`` beside them anyway. Needs pandas and pyarrow.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import batch as batch_bench  # noqa: E402  (sheet maker, process-tree timing, pandas loop)

DEMO = ROOT / "examples" / "demo-district"
BEILUN = ROOT / "examples" / "beilun-2018.xlsx"
PY = sys.executable
TYPER = [PY, "-c", "import typer"]  # the floor of a command: the framework it is built on, started


def line(name: str, value: float, unit: str, floor: float, floor_name: str, aim: str, ok: bool | None) -> None:
    """One measure beside its floor; ``ok`` None for a figure shown for information, with no aim."""
    ratio = value / floor if floor else float("inf")
    print(f"{name:44} {value:9.2f} {unit:8} floor {floor:9.2f} ({floor_name}) = {ratio:5.2f}x   aim {aim:14} "
          f"{'' if ok is None else 'ok' if ok else 'MISSED'}")


def compile_gdstat() -> None:
    """Compile gdstat's modules as an install does, and keep its parsed catalogue as its first run
    does, so that start-up is measured as users see it (under PYTHONDONTWRITEBYTECODE, or in a
    fresh checkout, every run would compile and parse them again)."""
    import gdstat

    subprocess.run([PY, "-m", "compileall", "-q", str(Path(gdstat.__file__).parent)], check=True)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([PY, "-c", "from gdstat.catalog.model import format_ids, load_format, load_signatures\n"
                              "load_signatures(); [load_format(f) for f in format_ids()]"], env=env, check=True)


def best_ms(body, runs: int) -> float:
    """Best of ``runs`` calls, in milliseconds: the least disturbed by other load."""
    return best_in_turns([body], runs)[0]


def best_in_turns(bodies: list, runs: int) -> list[float]:
    """The best of ``runs`` calls of each body, in milliseconds, called in turns: the machine's
    speed drifts, and figures taken one after the other would compare two different machines."""
    times = [[] for _ in bodies]
    for _ in range(runs):
        for body, taken in zip(bodies, times):
            start = time.perf_counter()
            body()
            taken.append((time.perf_counter() - start) * 1000)
    return [min(taken) for taken in times]


def process_ms(args: list[str], runs: int, cwd: Path = ROOT) -> tuple[float, float]:
    """Median wall times of a fresh process running ``args`` and of one importing typer (the floor),
    in milliseconds, run in turns: the machine's speed drifts, and a floor timed once at the start
    moved every command's ratio with it."""
    pairs = [(_one_process_ms(args, cwd), _one_process_ms(TYPER, ROOT)) for _ in range(runs)]
    return statistics.median(ms for ms, _ in pairs), statistics.median(floor for _, floor in pairs)


def _one_process_ms(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - start) * 1000


def raw_calamine(path: Path) -> None:
    """The floor of reading a sheet: every cell of every sheet through python-calamine, nothing else."""
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    workbook.close()


def cpu_per_file_ms(body, files: list[Path]) -> float:
    start = time.process_time()
    for path in files:
        body(path)
    return (time.process_time() - start) / len(files) * 1000


def aims_batch(n: int, sample: int, turns: int = 3) -> None:
    from gdstat.batch import read_one

    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="gdstat-aims-") as tmp:
        folder = Path(tmp) / "sheets"
        folder.mkdir()
        batch_bench.make_sheets(folder, n)
        files = sorted(folder.glob("*.xlsx"))
        some = files[:sample]
        # The batch and its floors in turns, best of each: one run of each, minutes apart on a
        # machine whose speed drifts by a third, moved the ratios by a quarter between two runs.
        rate, pandas_rates, peak_csv = 0.0, {"calamine": 0.0, "openpyxl": 0.0}, 0
        for _ in range(turns):
            seconds, _, peak = batch_bench.run_gdstat(folder, Path(tmp) / "out.csv", cores)
            rate, peak_csv = max(rate, n / seconds), peak_csv or peak  # memory: the first run, as the quarter's
            for engine in pandas_rates:
                pandas_rates[engine] = max(pandas_rates[engine], len(some) / batch_bench.pandas_loop(some, engine))
        _, _, peak_parquet = batch_bench.run_gdstat(folder, Path(tmp) / "out.parquet", cores)
        quarter = Path(tmp) / "quarter"  # the same kind of sheets, a quarter as many: is memory flat?
        quarter.mkdir()
        for path in sorted(folder.glob("*.xlsx"))[: max(1, n // 4)]:
            os.link(path, quarter / path.name)
        _, _, peak_csv_quarter = batch_bench.run_gdstat(quarter, Path(tmp) / "q.csv", cores)
        _, _, peak_parquet_quarter = batch_bench.run_gdstat(quarter, Path(tmp) / "q.parquet", cores)
        print(f"batch of {n} official xlsx sheets on {cores} cores (pandas loops over {len(some)} of them, one core; "
              f"best of {turns} in turns)")
        line(f"gdstat batch -j {cores} files/s", rate, "files/s", pandas_rates["calamine"],
             "pandas calamine loop", ">= 2x", rate >= 2 * pandas_rates["calamine"])
        line(f"gdstat batch -j {cores} files/s", rate, "files/s", pandas_rates["openpyxl"],
             "pandas openpyxl loop", ">= 10x", rate >= 10 * pandas_rates["openpyxl"])
        from gdstat import workers

        workers.INSIDE = True  # read in this process, as a batch worker reads: calamine's CPU counts
        try:
            for path in some[:30]:  # warm the caches a long run has warm
                read_one(str(path), encode="csv")
            worker = floor = float("inf")
            for _ in range(3):  # in turns, best of each: the machine's speed drifts between two measures
                worker = min(worker, cpu_per_file_ms(lambda p: read_one(str(p), encode="csv"), some))
                floor = min(floor, cpu_per_file_ms(raw_calamine, some))
        finally:
            workers.INSIDE = False
        line("worker CPU a file (read_one)", worker, "ms", floor, "raw calamine read", "<= 2x", worker <= 2 * floor)
        for kind, many, few in (("CSV", peak_csv, peak_csv_quarter), ("Parquet", peak_parquet, peak_parquet_quarter)):
            line(f"peak memory, {kind} output, {n} files", many / 2**20, "MB", few / 2**20,
                 f"{max(1, n // 4)} files", "<= 1.1x (flat)", many <= 1.1 * few)
        pyarrow = import_memory("pyarrow.parquet")
        print(f"{'(Parquet against CSV, same files)':44} {peak_parquet / 2**20:9.2f} MB       "
              f"CSV {peak_csv / 2**20:9.2f} MB = {peak_parquet / peak_csv:5.2f}x; "
              f"importing pyarrow.parquet alone adds {pyarrow / 2**20:.1f} MB")


def import_memory(module: str) -> int:
    """Bytes a fresh Python process grows by when it imports ``module`` (resident set, VmHWM)."""
    probe = ("import importlib, sys\n"
             "def peak():\n"
             "    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
             "before = peak(); importlib.import_module(sys.argv[1]); print((peak() - before) * 1024)")
    done = subprocess.run([PY, "-c", probe, module], capture_output=True, text=True, check=True)
    return int(done.stdout)


def aims_one_file(runs: int) -> None:
    from gdstat import load
    from gdstat.rules import check

    path = DEMO / "2021.xlsx"
    check(load(path))
    with tempfile.TemporaryDirectory() as tmp:
        as_csv = Path(tmp) / "2021.csv"
        import python_calamine

        rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        with open(as_csv, "w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows)
        check(load(as_csv))
        from gdstat import workers

        def in_process() -> None:
            workers.INSIDE = True  # read in this process, as a batch worker reads
            try:
                check(load(path))
            finally:
                workers.INSIDE = False

        # the floor; in process; calamine in the killable child, as a library call reads; the CSV
        floor, inside, xlsx, text = best_in_turns([lambda: raw_calamine(path), in_process, lambda: check(load(path)),
                                                   lambda: check(load(as_csv))], runs * 10)
        line("one 2021 xlsx: load + validate, in process", inside, "ms", floor, "raw calamine read", "<= 2.5x",
             inside <= 2.5 * floor)
        line("the same through the reader child", xlsx, "ms", floor, "raw calamine read", "", None)
        line("the same report as CSV: load + validate", text, "ms", xlsx, "the xlsx", "<= 1x", text <= xlsx)


def aims_commands(runs: int) -> None:
    from gdstat.diff import diff
    from gdstat.writers.xlsx import write_report, write_template
    from gdstat import load

    gd = [PY, "-m", "gdstat"]
    summarize, typer_floor = process_ms([*gd, "summarize", str(BEILUN), "-f", "json"], runs)
    line("gdstat summarize beilun-2018.xlsx -f json", summarize, "ms", typer_floor, "import typer", "<= 2x",
         summarize <= 2 * typer_floor)
    years = [DEMO / f"{y}.xlsx" for y in range(2017, 2024)]
    diff(years)
    library = best_ms(lambda: diff(years), runs)
    line("diff 2017…2023 in the library", library, "ms", 50, "fixed", "< 50 ms", library < 50)
    cli, typer_floor = process_ms([*gd, "diff", *(str(y) for y in range(2017, 2024)), "-f", "plain"], runs, cwd=DEMO)
    line("gdstat diff 2017…2023 -f plain", cli, "ms", typer_floor, "import typer", "<= 3x", cli <= 3 * typer_floor)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "w.xlsx"
        for format_id, path in (("legacy", BEILUN), ("2019", DEMO / "2020.xlsx"), ("2021", DEMO / "2022.xlsx")):
            report = load(path)
            ms = best_ms(lambda: write_report(report, out, force=True), runs)
            line(f"write a {format_id} sheet in the library", ms, "ms", 25, "fixed", "< 25 ms", ms < 25)
        ms = best_ms(lambda: write_template("2021", out, force=True), runs)
        line("template 2021 in the library", ms, "ms", 25, "fixed", "< 25 ms", ms < 25)
        cli, typer_floor = process_ms([*gd, "write", str(DEMO / "2022.xlsx"), "-o", str(out), "--force"], runs)
        line("gdstat write 2022.xlsx", cli, "ms", typer_floor, "import typer", "<= 3x", cli <= 3 * typer_floor)
        cli, typer_floor = process_ms([*gd, "template", "-t", "2021", "-o", str(out), "--force"], runs)
        line("gdstat template -t 2021", cli, "ms", typer_floor, "import typer", "<= 3x", cli <= 3 * typer_floor)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="sheets for the batch aims (default 2000)")
    parser.add_argument("--pandas", type=int, default=None, help="time the pandas loops and the worker on only this many")
    parser.add_argument("--runs", type=int, default=9, help="runs of each timing (default 9)")
    parser.add_argument("--skip-batch", action="store_true", help="leave out the batch aims (the slow part)")
    args = parser.parse_args()
    compile_gdstat()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores at the start")
    aims_commands(args.runs)
    aims_one_file(args.runs)
    if not args.skip_batch:
        aims_batch(args.n, args.pandas or args.n)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
