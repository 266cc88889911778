"""Time to write one official sheet of each format, a blank template, and to read a written sheet back.

Run from the project root:  python benchmarks/write.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from gdstat import load
from gdstat.writers.xlsx import write_report, write_template

ROOT = Path(__file__).resolve().parent.parent
INPUTS = {
    "legacy": ROOT / "examples" / "beilun-2018.xlsx",
    "2019": ROOT / "examples" / "demo-district" / "2020.xlsx",
    "2021": ROOT / "examples" / "demo-district" / "2022.xlsx",
}
RUNS = 10


def timed(action) -> float:
    """Median milliseconds of RUNS calls."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "sheet.xlsx"
        print(f"median of {RUNS} runs, milliseconds")
        print(f"{'format':8} {'write':>8} {'--formulas':>11} {'template':>9} {'read back':>10}")
        for format_id, path in INPUTS.items():
            report = load(path)
            write = timed(lambda: write_report(report, out, force=True))
            formulas = timed(lambda: write_report(report, out, force=True, formulas=True))
            template = timed(lambda: write_template(format_id, out, force=True))
            write_report(report, out, force=True, formulas=True)
            read = timed(lambda: load(out))
            print(f"{format_id:8} {write:8.1f} {formulas:11.1f} {template:9.1f} {read:10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
