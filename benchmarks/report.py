"""How big is a 100-agency review page of ``gdstat report``, and how long does it take to write?

Makes N agencies' official xlsx sheets for Y years each (the 2021 format, random but consistent
values, agency and year in each title), then runs ``gdstat report FOLDER -o review.html`` as a user
does (a fresh process, start-up included) and prints the wall time and the page's size; the issue's
budget is 3 MB and 10 s on 2 cores.

    python benchmarks/report.py                    # 100 agencies, 3 years: 300 sheets
    python benchmarks/report.py -n 200 -y 1 --runs 3

Not run by the tests. Needs the report extra.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import SENTINEL, templates, values_for  # noqa: E402  (the sheet templates of the batch benchmark)

AGENCY, YEAR = "示范市示范区人民政府".encode(), "2022".encode()  # as the templates' title has them


def make_sheets(folder: Path, agencies: int, years: int, seed: int = 2024) -> int:
    """One 2021-format sheet per agency and year; the template's placeholders, agency and year replaced."""
    import re

    rng = random.Random(seed)
    format_id, ids, members = next(t for t in templates() if t[0] == "2021")
    sentinel = re.compile(rb"<v>(9\d{6})</v>")
    count = 0
    for a in range(agencies):
        name = f"示范市第{a + 1}区人民政府".encode()
        for year in range(2024 - years, 2024):
            values = values_for(format_id, rng)
            if rng.random() < 0.1:  # a few agencies far from the others, so that outliers show
                values["outcome.disclosed@total"] = values.get("outcome.disclosed@total", 0) // 4

            def put(match, values=values):
                value = values.get(ids[int(match.group(1)) - SENTINEL])
                return b"<v>" + str(value if value is not None else 0).encode() + b"</v>"

            path = folder / f"agency{a:03d}" / f"{year}.xlsx"
            path.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
                for member, data in members.items():
                    if member.startswith("xl/worksheets/"):
                        data = sentinel.sub(put, data)
                    data = data.replace(AGENCY + YEAR, name + str(year).encode())  # the title, wherever it is kept
                    archive.writestr(member, data)
            count += 1
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--agencies", type=int, default=100)
    parser.add_argument("-y", "--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        files = make_sheets(work / "sheets", args.agencies, args.years)
        times = []
        for run in range(args.runs):
            out = work / f"review{run}.html"
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "gdstat", "report", str(work / "sheets"), "-o", str(out), "-f", "json"],
                           check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        size = out.stat().st_size
        html = out.read_text(encoding="utf-8")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"agencies {args.agencies}, years {args.years}, files {files}")
        print(f"gdstat report (start-up included): median {statistics.median(times):.2f} s "
              f"of {args.runs} runs (min {min(times):.2f} s), budget 10 s")
        sections = html.count('<section class="agency"')
        if sections != args.agencies:
            raise SystemExit(f"the page has {sections} agency sections, not {args.agencies}: the sheets' titles were not set")
        print(f"page size {size / 1e6:.2f} MB ({html.count('<svg')} charts, {sections} agency sections), budget 3 MB")
        print(f"load average {load:.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
