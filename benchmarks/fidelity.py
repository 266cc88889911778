"""Fidelity: how many values gdstat reads right, wrong, ambiguous or not at all, per layout class
and degradation knob, over generated reports (tests/corpus.py).

    python benchmarks/fidelity.py --count 2000 --seed 1

A value is *right* when read into its own cell with its own value, *wrong* when a cell holds
another value (the one outcome gdstat must never produce), *ambiguous* when an ``ambiguous-row``
note names the cell and nothing was read, *missing* otherwise (a cut page, a table not found).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import corpus  # noqa: E402

from gdstat import load  # noqa: E402
from gdstat.errors import InputError  # noqa: E402


def run(seed: int, count: int, show_wrong: int = 0) -> tuple[dict, int]:
    table: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"docs": 0, "right": 0, "wrong": 0,
                                                                        "ambiguous": 0, "missing": 0})
    shown = 0
    with tempfile.TemporaryDirectory(prefix="gdstat-fidelity-") as folder:
        for i, (format_id, layout, knob, rng) in enumerate(corpus.documents(seed, count)):
            values = corpus.report(rng, format_id)
            path, truth = corpus.render(values, format_id, layout, knob, rng, Path(folder), f"doc{i}")
            try:
                report = load(path)
            except InputError:
                report = None
            counts = corpus.score(truth, report)
            row = table[(layout, knob)]
            row["docs"] += 1
            for key, n in counts.items():
                row[key] += n
            if counts["wrong"] and shown < show_wrong:
                shown += 1
                wrong = [(c, truth[c], (report.values[c].kind, report.values[c].value)) for c in truth
                         if c in report.values and (report.values[c].kind, report.values[c].value) != truth[c]
                         and not (truth[c][0] != "number" and report.values[c].kind == truth[c][0])]
                print(f"wrong in {path.name} ({format_id} {layout} {knob}): {wrong[:5]}", file=sys.stderr)
                keep = Path(f"/tmp/fidelity-wrong-{i}{path.suffix}")
                keep.write_bytes(path.read_bytes())
            path.unlink()
    return table, count


def markdown(table: dict) -> str:
    lines = ["| class | layout | knob | docs | right | wrong | ambiguous | missing | recall |",
             "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    totals = {"docs": 0, "right": 0, "wrong": 0, "ambiguous": 0, "missing": 0}
    for (layout, knob), row in sorted(table.items(), key=lambda kv: (list(corpus.LAYOUTS).index(kv[0][0]),
                                                                      corpus.LAYOUTS[kv[0][0]].index(kv[0][1]))):
        cells = sum(row[k] for k in ("right", "wrong", "ambiguous", "missing"))
        lines.append(f"| {corpus.CLASSES[layout]} | {layout} | {knob} | {row['docs']} | {row['right']} | {row['wrong']} | "
                     f"{row['ambiguous']} | {row['missing']} | {100 * row['right'] / cells:.1f}% |")
        for key in totals:
            totals[key] += row[key]
    cells = sum(totals[k] for k in ("right", "wrong", "ambiguous", "missing"))
    lines.append(f"| **all** | | | {totals['docs']} | {totals['right']} | {totals['wrong']} | {totals['ambiguous']} | "
                 f"{totals['missing']} | {100 * totals['right'] / cells:.1f}% |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show-wrong", type=int, default=0, help="print (and keep in /tmp) the first N documents with a wrong value")
    args = parser.parse_args()
    started = time.perf_counter()
    table, count = run(args.seed, args.count, args.show_wrong)
    print(markdown(table))
    print(f"\n{count} documents, seed {args.seed}, {time.perf_counter() - started:.0f} s")
    return 1 if any(row["wrong"] for row in table.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
