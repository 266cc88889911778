"""``narrate`` timed: writing the prose, reading it back with the narrative check, the Word file.

    python benchmarks/narrate.py [runs]      # default 20

Reports are read once; each figure is the median of ``runs`` calls of one step, in milliseconds,
for the demo district's 2023 (2021 format, compared with 2022) and 北仑区 2018 (legacy). Note
``uptime`` beside the figures: the machine's load moves them.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from gdstat import load
from gdstat.catalog import load_format
from gdstat.io.narrative import read_figures
from gdstat.narrate import narrate
from gdstat.writers.docx import write_docx

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "demo 2023 (2021, vs 2022)": (ROOT / "examples/demo-district/2023.xlsx", ROOT / "examples/demo-district/2022.xlsx"),
    "北仑区 2018 (legacy)": (ROOT / "examples/beilun-2018.xlsx", None),
}


def median_ms(body, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as work:
        for name, (path, before) in CASES.items():
            report, previous = load(path), load(before) if before else None
            narrative = narrate(report, previous)
            text = narrative.text()
            fmt = load_format(report.format)
            figures = len(read_figures(text, fmt, report.values, previous))
            out = Path(work) / "n.docx"
            print(f"{name}: {len(text)} characters, {figures} figures read back")
            print(f"  narrate (library)        {median_ms(lambda: narrate(report, previous), runs):8.2f} ms")
            print(f"  narrative check          {median_ms(lambda: read_figures(text, fmt, report.values, previous), runs):8.2f} ms")
            print(f"  .docx with the table     {median_ms(lambda: write_docx(narrative, out, force=True, with_table=True), runs):8.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
