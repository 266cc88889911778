"""Per-file cost of reading one official xlsx and checking every rule, start-up excluded.

    python benchmarks/load_validate.py [repeats]

Loads each example sheet ``repeats`` times (default 200) in this process and prints the mean time
per file for load alone and for load + validate, per format.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from gdstat import load
from gdstat.rules import check

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT / "examples" / "beilun-2018.xlsx"] + sorted((ROOT / "examples" / "demo-district").glob("20*.xlsx"))


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    for path in FILES:  # warm the catalogue and label caches once, as a long run would
        check(load(path))
    print(f"{'file':28s} {'format':7s} {'load ms':>8s} {'load+validate ms':>17s}")
    for path in FILES:
        start = time.perf_counter()
        for _ in range(repeats):
            report = load(path)
        loaded = (time.perf_counter() - start) / repeats * 1000
        start = time.perf_counter()
        for _ in range(repeats):
            check(load(path))
        both = (time.perf_counter() - start) / repeats * 1000
        print(f"{path.relative_to(ROOT / 'examples')!s:28s} {report.format:7s} {loaded:8.2f} {both:17.2f}")


if __name__ == "__main__":
    main()
