"""Per-file cost of reading a published report (text, HTML, docx, PDF) and checking it, start-up excluded.

    python benchmarks/reports.py [repeats]

Builds the test documents (tests/reportdocs.py) in a temporary folder, loads each ``repeats`` times
(default 50) in this process and prints the mean time per file for load and for load + validate.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from gdstat import load
from gdstat.rules import check

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import reportdocs  # noqa: E402  (the test documents: printed-2021.tsv in every layout)


def documents(folder: Path) -> list[Path]:
    fixtures = ROOT / "tests" / "fixtures" / "reports"
    paths = [fixtures / "beilun-2018-report.txt", fixtures / "yanliang-2021-cut.txt"]
    for name in ("cell-per-line", "pipe-rows", "bar-lines"):
        path = folder / f"2021-{name}.txt"
        path.write_text(reportdocs.layout_text(name), encoding="utf-8")
        paths.append(path)
    html = folder / "2021.html"
    html.write_bytes(reportdocs.html_page())
    paths.append(html)
    paths.append(reportdocs.docx_file(folder / "2021.docx"))
    try:
        import pdfplumber  # noqa: F401

        paths.append(fixtures / "hongze-2023.pdf")
    except ImportError:
        pass
    return paths


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as tmp:
        paths = documents(Path(tmp))
        for path in paths:
            check(load(path))  # warm the catalogue and label caches once
        print(f"{'file':28s} {'kind':5s} {'values':>6s} {'load ms':>8s} {'load+validate ms':>17s}")
        for path in paths:
            runs = max(3, repeats // 10) if path.suffix == ".pdf" else repeats
            start = time.perf_counter()
            for _ in range(runs):
                report = load(path)
            loaded = (time.perf_counter() - start) / runs * 1000
            start = time.perf_counter()
            for _ in range(runs):
                check(load(path))
            both = (time.perf_counter() - start) / runs * 1000
            print(f"{path.name:28s} {report.source.kind:5s} {len(report.values):6d} {loaded:8.1f} {both:17.1f}")


if __name__ == "__main__":
    main()
