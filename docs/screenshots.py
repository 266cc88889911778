"""Screenshots of the three kinds of ``gdstat report`` page, for docs/img/.

Needs headless Chromium (Debian: apt-get install chromium fonts-noto-cjk) and the report extra.
Run from the project root:  python docs/screenshots.py
Not run by the tests or CI (the tests take their own screenshots and check them).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from gdstat.htmlreport import browser, build

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
EXAMPLES = Path("examples")  # relative, so that the pages name the files as a user would
PAGES = {  # name -> (inputs, window height)
    "report-one": ([EXAMPLES / "beilun-2018.xlsx"], 3350),
    "report-trend": ([EXAMPLES / "demo-district" / f"{year}.xlsx" for year in range(2017, 2024)], 1500),
    "report-review": ([EXAMPLES], 1500),
}


def main() -> int:
    chromium = browser.find()
    if chromium is None:
        sys.stderr.write("needs chromium on PATH (or CHROMIUM=path)\n")
        return 2
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for name, (inputs, height) in PAGES.items():
            page = Path(work) / f"{name}.html"
            page.write_text(build(inputs).html, encoding="utf-8")
            shot = IMG / f"{name}.png"
            browser.run(chromium, page, f"--screenshot={shot}", f"--window-size=1180,{height}")
            print(shot.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
