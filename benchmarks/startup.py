"""Start-up cost: `gdstat --help` and a one-file `summarize -f json` beside the floor of importing Typer.

    python benchmarks/startup.py [runs]

Prints the median wall time of each command over ``runs`` runs (default 15), measured in this run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "beilun-2018.xlsx"


def median_ms(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    py = sys.executable
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from aims import compile_gdstat

    compile_gdstat()  # as an install does: start-up without compiling gdstat's modules each run
    floor = median_ms([py, "-c", "import typer"], runs)
    rows = [
        ("python -c 'import typer' (floor)", floor),
        ("gdstat --help", median_ms([py, "-m", "gdstat", "--help"], runs)),
        ("gdstat summarize beilun-2018.xlsx -f json", median_ms([py, "-m", "gdstat", "summarize", str(EXAMPLE), "-f", "json"], runs)),
        ("gdstat validate beilun-2018.xlsx", median_ms([py, "-m", "gdstat", "validate", str(EXAMPLE)], runs)),
    ]
    print(f"median of {runs} runs")
    for name, ms in rows:
        print(f"{name:46s} {ms:8.1f} ms   {ms / floor:5.2f}x floor")


if __name__ == "__main__":
    main()
