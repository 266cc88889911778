"""Fuzzing gdstat's readers: seed inputs of every kind, mutations of their bytes, and the check
every input must pass, whatever it is:

* the command ends with exit 0, 1 or 3 (never 4, never a signal, never a hang);
* stderr holds no traceback (Python's or Rust's);
* a JSON output is strict JSON (no NaN, no Infinity).

``check`` runs the real CLI (``gdstat summarize -f json``) in the calling process; ``run`` gives
each input to a killable worker (gdstat.workers), so that a crash or a hang is counted, not fatal.
Used by tests/fuzz/test_fuzz.py (a few hundred inputs) and benchmarks/fuzz.py (long runs).
"""

from __future__ import annotations

import io
import json
import random
import re
import resource
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from fuzz import hostile

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "tests" / "fixtures" / "reports"

# What a hostile cell or attribute may hold: each has broken a reader once.
NASTY = ["9" * 5000, "1e400", "-1e400", "NaN", "3,5", "1.234,5", "1" + "0" * 27, "=SUM(A1:XFD1048576)", "@cmd",
         "\r", "\r\n", "\x00", "\ufeff", "\udcff", '"', "\t", "，", "７２", "-", "—", "999999999", "-0", ".5", "5.",
         '<td rowspan="999999" colspan="999999">', '<td colspan="200">', "<table>", "</table>", "<tr>",
         '&#x110000;', "&#0;", "<![CDATA[", "]]>", '<?xml version="1.0" encoding="bogus"?>']
XML_NASTY = ['r="XFD1048576"', 'r="A0"', 'r="ZZZZ1"', 't="s"', 't="e"', "<v>1e400</v>", "<v>99999999999999999999999</v>",
             '<f>A1+A2</f>', "<f>SUM(A1:XFD1048576)</f>", 'table:number-rows-repeated="1048576"',
             'table:number-columns-repeated="16384"', 'w:val="100000"', "<w:gridSpan w:val=\"999\"/>", "&lt;", "\x00",
             "<x>", "</", 'encoding="GBK"']


def seeds(folder: Path) -> list[Path]:
    """One or more valid inputs of every kind gdstat reads, written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    found = [hostile.official_csv(folder, "seed.csv"),
             hostile.write(folder, "seed.tsv", hostile.OFFICIAL.read_bytes()),
             hostile.write(folder, "seed-report.txt", (REPORTS / "beilun-2018-report.txt").read_bytes()),
             hostile.write(folder, "seed-2021.txt", (REPORTS / "laifeng-2021-head.txt").read_bytes()),
             hostile.write(folder, "seed.xlsx", (ROOT / "examples" / "beilun-2018.xlsx").read_bytes()),
             hostile.write(folder, "seed-2022.xlsx", (ROOT / "examples" / "demo-district" / "2022.xlsx").read_bytes())]
    rows = [line.split("\t") for line in hostile.OFFICIAL.read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")]
    table = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in rows)
    found.append(hostile.write(folder, "seed.html", f"<html><head><meta charset='utf-8'></head><body><table>{table}"
                                                    "</table></body></html>"))
    cells = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{v}</w:t></w:r></w:p></w:tc>" for v in row) + "</w:tr>"
                    for row in rows)
    found.append(hostile.write(folder, "seed.docx", hostile._docx(f"<w:tbl>{cells}</w:tbl>")))
    try:
        import xlwt
    except ImportError:  # only the test extra has it
        return found
    book = xlwt.Workbook()
    sheet = book.add_sheet("统计表")
    for r, (label, unit, value) in enumerate(rows):
        sheet.write(r, 0, label)
        sheet.write(r, 1, unit)
        sheet.write(r, 2, int(value))
    book.save(str(folder / "seed.xls"))
    found.append(folder / "seed.xls")
    return found


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three random mutations of ``data``; a zip package is mutated inside (a part's XML),
    so that it still opens and the readers, not the zip checksum, meet the damage."""
    if data.startswith(b"PK\x03\x04") and rng.random() < 0.7:
        mutated = _mutate_zip(data, rng)
        if mutated is not None:
            return mutated
    for _ in range(rng.randint(1, 3)):
        data = _mutate_bytes(data, rng, NASTY)
    return data


def _mutate_bytes(data: bytes, rng: random.Random, nasty: list[str]) -> bytes:
    if not data:
        return rng.choice(nasty).encode("utf-8", "surrogatepass")
    at = rng.randrange(len(data))
    choice = rng.random()
    if choice < 0.2:  # flip bytes
        data = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if choice < 0.3:  # cut short
        return data[:at]
    if choice < 0.45:  # a chunk again, many times
        size = rng.randint(1, 200)
        return data[:at] + data[at:at + size] * rng.randint(2, 500) + data[at:]
    if choice < 0.6:  # a number replaced by a hostile one
        numbers = list(re.finditer(rb"\d+", data))
        if numbers:
            hit = rng.choice(numbers)
            return data[:hit.start()] + rng.choice(nasty).encode("utf-8", "surrogatepass") + data[hit.end():]
    if choice < 0.7:  # line ends changed
        return data.replace(b"\n", rng.choice([b"\r", b"\r\n", b"\n\n", b"\x00\n"]))
    return data[:at] + rng.choice(nasty).encode("utf-8", "surrogatepass") + data[at:]


def _mutate_zip(data: bytes, rng: random.Random) -> bytes | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None
    xml = [i for i, (name, _) in enumerate(parts) if name.endswith((".xml", ".rels"))]
    if not xml:
        return None
    for _ in range(rng.randint(1, 3)):
        i = rng.choice(xml)
        name, content = parts[i]
        parts[i] = (name, _mutate_bytes(content, rng, XML_NASTY + NASTY))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts:
            archive.writestr(name, content)
    return out.getvalue()


# ----------------------------------------------------------------------------- the check


@dataclass(frozen=True)
class Verdict:
    path: str
    code: int | None  # exit code, None when the worker crashed or hung
    problem: str | None  # None: the input passed
    seconds: float
    peak_kb: int  # the peak resident memory of the worker (or a process it started) so far


def check(path: str, command: str = "summarize", limit: int = 5) -> tuple[int, str | None, float, int]:
    """Run ``gdstat --limit seconds=LIMIT COMMAND PATH -f json`` in this process, as a user would:
    (exit code, problem or None, seconds, peak KB)."""
    from typer.testing import CliRunner

    from gdstat import workers
    from gdstat.cli import app

    workers.INSIDE = False  # this is the fuzzer's worker, not gdstat's: gdstat contains what it contains
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["--limit", f"seconds={limit}", command, path, "-f", "json"])
    seconds = time.perf_counter() - started
    problem = None
    if result.exit_code not in (0, 1, 3):
        problem = f"exit {result.exit_code}: {result.stderr.strip()[:300] or result.exception!r}"
    elif "Traceback" in result.stderr or "panicked" in result.stderr:
        problem = "traceback on stderr"
    elif result.exit_code in (0, 1):
        try:
            json.loads(result.stdout, parse_constant=_not_json)
        except ValueError as exc:
            problem = f"not strict JSON: {exc}"
    elif len(result.stderr.strip().splitlines()) > 2:
        problem = "more than an error line and a hint"
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return result.exit_code, problem, seconds, peak  # children: the process a workbook is read in


def _not_json(name: str):
    raise ValueError(f"{name} is not JSON")


def run(paths: list[str], jobs: int = 2, seconds: float = 20.0, command: str = "summarize", limit: int = 5):
    """A Verdict for every path, each checked in a killable worker: a crash or a run past
    ``seconds`` (a hang: gdstat's own time limit is ``limit``) is a verdict of its own."""
    from functools import partial

    from gdstat.workers import isolated

    for path, result in isolated(partial(check, command=command, limit=limit), paths, jobs, seconds):
        if isinstance(result, tuple):
            code, problem, took, peak = result
            yield Verdict(path, code, problem, took, peak)
        else:
            yield Verdict(path, None, ("hang: " if result.timed_out else "crash: ") + result.reason,
                          seconds if result.timed_out else 0.0, 0)


def make_inputs(folder: Path, seed: int, count: int) -> list[str]:
    """``count`` mutated inputs, reproducible from ``seed``; named after their seed file and number."""
    rng = random.Random(seed)
    bases = [(path, path.read_bytes()) for path in seeds(folder / "seeds")]
    made = []
    for i in range(count):
        base, data = rng.choice(bases)
        path = folder / f"{i:06}-{base.stem}{base.suffix}"
        path.write_bytes(mutate(data, random.Random(rng.getrandbits(64))))
        made.append(str(path))
    return made


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="gdstat-fuzz-"))
