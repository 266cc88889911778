"""Are gdstat's outputs for the bundled examples unchanged? A check to run before and after a change.

    python benchmarks/same_outputs.py --save before.json     # on the old code
    python benchmarks/same_outputs.py --compare before.json  # on the new code: exit 1 on any difference

Records, for every bundled example: the ``batch`` CSV (values and findings), ``summarize -f json``,
the ``diff`` CSV of the demo district's seven years, and the cell values (with their types) and
merged ranges of every sheet ``write``, ``write --formulas`` and ``template`` produce. Written
sheets are compared by content, not bytes: a zip's timestamps and an xlsx writer's styling
records may differ without changing what a user reads.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DEMO = EXAMPLES / "demo-district"


def gdstat(*args: str, cwd: Path = ROOT) -> str:
    done = subprocess.run([sys.executable, "-m", "gdstat", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", check=False)
    return f"exit {done.returncode}\n{done.stdout}"


def sheet_content(path: Path) -> dict:
    """Every sheet's non-empty cells (value and openpyxl's type) and merged ranges."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    return {sheet.title: {
        "cells": {c.coordinate: [c.value if not hasattr(c.value, "as_tuple") else str(c.value), c.data_type]
                  for row in sheet.iter_rows() for c in row if c.value is not None},
        "merges": sorted(str(r) for r in sheet.merged_cells.ranges),
        "validations": sorted(f"{v.type} {v.operator} {v.formula1} {v.formula2} {v.sqref}"
                              for v in sheet.data_validations.dataValidation),
    } for sheet in book.worksheets}


def snapshot() -> dict:
    inputs = [EXAMPLES / "beilun-2018.xlsx", *sorted(DEMO.glob("20*.xlsx")), *sorted((DEMO / "units-2023").glob("*.xlsx"))]
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for kind in ("csv", "jsonl"):
            gdstat("batch", "examples", "-o", str(work / f"all.{kind}"), "--findings", str(work / f"findings.{kind}"), "-q", "-j", "1")
            out[f"batch {kind}"] = (work / f"all.{kind}").read_text(encoding="utf-8")
            out[f"batch findings {kind}"] = (work / f"findings.{kind}").read_text(encoding="utf-8")
        for path in inputs:
            name = str(path.relative_to(ROOT))
            out[f"summarize {name}"] = gdstat("summarize", name, "-f", "json")
            for extra in ((), ("--formulas",)):
                target = work / "w.xlsx"
                gdstat("write", name, "-o", str(target), "--force", *extra)
                out[f"write {name} {' '.join(extra)}"] = sheet_content(target)
        out["diff 7 years csv"] = gdstat("diff", *(str(y) for y in range(2017, 2024)), "-f", "csv", cwd=DEMO)
        out["diff 2017 2018 json"] = gdstat("diff", "2017", "2018", "-f", "json", cwd=DEMO)
        for format_id in ("legacy", "2019", "2021"):
            gdstat("template", "-t", format_id, "-o", str(work / "t.xlsx"), "--force")
            out[f"template {format_id}"] = sheet_content(work / "t.xlsx")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    args = parser.parse_args()
    now = json.loads(json.dumps(snapshot(), ensure_ascii=False, default=str))
    if args.save:
        args.save.write_text(json.dumps(now, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{len(now)} outputs saved to {args.save}")
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    changed = [key for key in sorted(set(before) | set(now)) if before.get(key) != now.get(key)]
    for key in changed:
        print(f"differs: {key}")
    print(f"{len(now) - len(changed)} of {len(now)} outputs identical")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
