"""How long `gdstat diff` takes on the demo district: two years, the 2018→2019 format change, seven years.

Run from the project root:  python benchmarks/diff.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from gdstat.diff import diff

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo-district"


def best(runs: int, body) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    cases = {
        "2017 2018 (legacy)": ["2017.xlsx", "2018.xlsx"],
        "2018 2019 (legacy → 2019)": ["2018.xlsx", "2019.xlsx"],
        "2017…2023 (7 years, 3 formats)": [f"{y}.xlsx" for y in range(2017, 2024)],
    }
    diff([DEMO / "2017.xlsx", DEMO / "2018.xlsx"])  # warm the catalogue caches
    for name, files in cases.items():
        seconds = best(5, lambda: diff([DEMO / f for f in files]))
        result = diff([DEMO / f for f in files])
        print(f"library  {name:32} {seconds * 1000:7.1f} ms  rows {len(result.rows)}, shown {len(result.shown())}")
    for name, args in (("cli 2017 2018 -f json", ["2017", "2018", "-f", "json"]),
                       ("cli 2017…2023 -f plain", [*(str(y) for y in range(2017, 2024)), "-f", "plain"])):
        seconds = best(3, lambda: subprocess.run([sys.executable, "-m", "gdstat", "diff", *args],
                                                 cwd=DEMO, capture_output=True, check=False))
        print(f"process  {name:32} {seconds * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
