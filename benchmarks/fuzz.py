"""Long fuzz runs and the bombs: does any input make gdstat exit 4, crash, hang or take memory?

    python benchmarks/fuzz.py --seed 1 --count 10000        # mutated inputs of every kind
    python benchmarks/fuzz.py --bombs                        # the full-size bombs

Fuzz: ``--count`` inputs mutated from seeds of every kind (xlsx, xls, csv, tsv, txt, html, docx),
reproducible from ``--seed``, each run through ``gdstat --limit seconds=LIMIT summarize -f json``
in a killable worker (tests/fuzz/corpus.py). Reported: exit codes, exit-4s, crashes (a worker that
died), hangs (no answer within ``--hang`` s), other problems (a traceback, JSON that is not
strict), the slowest input and the peak memory (the worker or the child a workbook is read in).
Inputs with a problem are kept in ``--keep`` for a regression test.

Bombs: each built at full size and run as its own process, ``gdstat summarize``, measured with
``/usr/bin/time -v`` (maximum resident set size, elapsed time) when it exists, else with
``resource.getrusage(RUSAGE_CHILDREN)``. Each must be refused (exit 3) in under 5 s and 300 MB.

Not run by the tests. Note the machine's load (``uptime``) beside any figure.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fuzz import corpus, hostile  # noqa: E402


def fuzz(seed: int, count: int, jobs: int, hang: float, limit: int, keep: Path | None) -> int:
    folder = Path(tempfile.mkdtemp(prefix="gdstat-fuzz-"))
    try:
        paths = corpus.make_inputs(folder, seed, count)
        codes: collections.Counter = collections.Counter()
        kinds: collections.Counter = collections.Counter()
        problems: list[corpus.Verdict] = []
        slowest = peak = None
        started = time.monotonic()
        for i, verdict in enumerate(corpus.run(paths, jobs, hang, limit=limit), 1):
            codes[verdict.code] += 1
            if verdict.problem:
                problems.append(verdict)
                kinds[verdict.problem.split(":")[0]] += 1
                if keep is not None:
                    keep.mkdir(parents=True, exist_ok=True)
                    shutil.copy(verdict.path, keep / Path(verdict.path).name)
            if slowest is None or verdict.seconds > slowest.seconds:
                slowest = verdict
            if peak is None or verdict.peak_kb > peak.peak_kb:
                peak = verdict
            if i % 500 == 0:
                print(f"  {i} inputs, {len(problems)} with a problem, {time.monotonic() - started:.0f} s",
                      file=sys.stderr, flush=True)
        took = time.monotonic() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    exit4 = codes.get(4, 0)
    crashes = sum(1 for v in problems if v.problem.startswith("crash"))
    hangs = sum(1 for v in problems if v.problem.startswith("hang"))
    print(f"fuzz: seed {seed}, {count} inputs, {jobs} workers, gdstat time limit {limit} s, hang at {hang:g} s; "
          f"{took:.0f} s ({count / took:.1f} inputs/s); load {os.getloadavg()[0]:.1f}")
    print("  exit codes: " + ", ".join(f"{code if code is not None else 'none'}: {n}"
                                      for code, n in sorted(codes.items(), key=lambda kv: (kv[0] is None, kv[0]))))
    print(f"  exit-4: {exit4}   crashes: {crashes}   hangs: {hangs}   other problems: "
          f"{len(problems) - exit4 - crashes - hangs}")
    for verdict in problems[:20]:
        print(f"    {Path(verdict.path).name}: {verdict.problem}")
    print(f"  slowest input: {Path(slowest.path).name} {slowest.seconds:.2f} s (exit {slowest.code})")
    print(f"  peak memory: {peak.peak_kb / 1024:.0f} MB (first reached at {Path(peak.path).name})")
    return 1 if problems else 0


def bombs(folder: Path) -> int:
    timer = shutil.which("time") and Path("/usr/bin/time").exists()
    failed = 0
    print(f"bombs: each in its own process, gdstat summarize; measured with "
          f"{'/usr/bin/time -v' if timer else 'getrusage'}; load {os.getloadavg()[0]:.1f}")
    for name, build in hostile.BOMBS.items():
        path = build(folder)
        size = path.stat().st_size
        command = [sys.executable, "-m", "gdstat", "summarize", str(path), "-f", "json"]
        if timer:
            done = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, timeout=600)
            rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
            clock = re.search(r"Elapsed \(wall clock\) time.*?: (?:(\d+):)?(\d+):([\d.]+)", done.stderr).groups()
            seconds = int(clock[0] or 0) * 3600 + int(clock[1]) * 60 + float(clock[2])
        else:
            before = time.monotonic()
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
            seconds = time.monotonic() - before
            rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far
        line = next((ln for ln in done.stderr.splitlines() if ln.startswith("gdstat:")), "")
        ok = done.returncode == 3 and seconds < 5 and rss_kb < 300 * 1024
        failed += not ok
        print(f"  {'ok ' if ok else 'BAD'} {name:25} {size / 1024:9.0f} KB on disk  exit {done.returncode}  "
              f"{seconds:5.2f} s  {rss_kb / 1024:6.0f} MB  {line[:110]}")
        path.unlink()
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--hang", type=float, default=20.0, help="seconds without an answer that count as a hang")
    parser.add_argument("--limit", type=int, default=5, help="gdstat's own time limit (--limit seconds=N)")
    parser.add_argument("--keep", type=Path, help="copy inputs with a problem into this folder")
    parser.add_argument("--bombs", action="store_true", help="measure the full-size bombs instead")
    args = parser.parse_args()
    if args.bombs:
        with tempfile.TemporaryDirectory(prefix="gdstat-bombs-") as folder:
            return bombs(Path(folder))
    return fuzz(args.seed, args.count, args.jobs, args.hang, args.limit, args.keep)


if __name__ == "__main__":
    sys.exit(main())
