"""Many reports at once: every value of every input as one tidy long table, streamed to a file.

Inputs are read in worker processes; a worker turns one file into its value rows and finding
rows, and the parent writes them as they arrive, so memory stays flat however many files there
are. A file that cannot be read becomes an ``input-unreadable`` finding and the run goes on.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path

from gdstat import api
from gdstat.api import CELL_COLUMNS, SOURCE_COLUMNS
from gdstat.errors import GdstatError, InputError, UsageError
from gdstat.inputs import expand
from gdstat.report import Report, Source, Value
from gdstat.rules.findings import SEVERITY_RANK, fingerprint

# One row per official cell of every report read (not-reported cells too, with an empty value).
COLUMNS = SOURCE_COLUMNS + CELL_COLUMNS
FINDING_COLUMNS = SOURCE_COLUMNS + api.FINDING_COLUMNS
# Parquet column types (every other column is a string).
_TYPES = {"year": "int32", "value": "float64"}
KINDS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
EXIT_UNREADABLE, EXIT_INTERNAL = InputError.exit_code, GdstatError.exit_code


# ----------------------------------------------------------------------------- one file


@dataclass(frozen=True)
class FileResult:
    """What one input gave: its value rows (tuples in COLUMNS order, or already encoded as
    ``data`` by the worker) and its finding rows (tuples in FINDING_COLUMNS order)."""

    path: str
    rows: list[tuple]
    findings: list[tuple]
    worst: int = -1  # SEVERITY_RANK of the worst finding, -1 for none
    error: str | None = None  # why the file could not be read
    internal: bool = False  # the failure is a bug in gdstat, not in the file
    data: bytes = b""  # the value rows encoded, in UTF-8 (see read_one's ``encode``); ``rows`` is then empty
    values: int = 0  # how many value rows

    def code(self, fail_on: str = "error") -> int:
        """The exit code this file alone would give."""
        if self.error is not None:
            return EXIT_INTERNAL if self.internal else EXIT_UNREADABLE
        return 1 if fail_on in SEVERITY_RANK and self.worst >= SEVERITY_RANK[fail_on] else 0


@lru_cache(maxsize=None)
def _cells(format_id: str) -> tuple[tuple[tuple, ...], tuple[str, ...]]:
    """The (id, table, row, column) of every official cell, and each one's unit, from
    api.value_records (the one definition of a value's fields), worked out once a format rather
    than once a file."""
    from gdstat.api import value_records

    blank = Report(Source("", ""), format_id, None, None, {})
    records = value_records(blank)
    return tuple((r["id"], r["table"], r["row"], r["column"]) for r in records), tuple(r["unit"] for r in records)


def value_rows(report: Report, path: str) -> list[tuple]:
    """One row per official cell, in COLUMNS order; the same fields as api.value_records."""
    head = (path, report.agency, report.year, report.format)
    return [(*head, *cell, *own) for cell, own in zip(*_value_parts(report))]


def _value_parts(report: Report) -> tuple[tuple[tuple, ...], list[tuple]]:
    """The value rows of ``report`` but their head (path, agency, year, format), in two parts of
    one item a row: the cells' (id, table, row, column), the catalogue's, and the report's own
    (unit, value, kind, raw, location). The cells of ``_cells`` come first, in its order, then the
    subtotals the report wrote (numbers on group rows)."""
    from gdstat.catalog import load_format
    from gdstat.rules.engine import subtotal_cells

    values = report.values
    cells, units = _cells(report.format)
    owns = [_own_fields(values.get(cell[0]), unit) for cell, unit in zip(cells, units)]
    subtotals = subtotal_cells(load_format(report.format), report)
    if subtotals:
        cells += tuple((cell_id, cell.table.id, cell.row.label, cell.column.label if cell.column else None)
                       for cell_id, cell in subtotals)
        owns += [_own_fields(values[cell_id], cell.unit) for cell_id, cell in subtotals]
    return cells, owns


def _own_fields(value: Value | None, unit: str | None) -> tuple:
    """(unit, value, kind, raw, location) of a cell whose catalogue unit is ``unit``."""
    if value is None:
        return unit, None, "missing", None, None
    location = value.location
    return value.unit or unit, value.value, value.kind, value.raw, str(location) if location else None


def is_dataset(path: str | Path) -> bool:
    """A dataset ``batch`` wrote (.csv, .jsonl or .parquet whose columns are COLUMNS), not a report."""
    path = Path(path)
    kind = KINDS.get(path.suffix.lower())
    if kind is None or not path.is_file():
        return False
    try:
        if kind == "parquet":
            import importlib.util

            if importlib.util.find_spec("pyarrow") is None:
                return False
            import pyarrow.parquet as pq

            return tuple(pq.read_schema(path).names) == COLUMNS
        with open(path, encoding="utf-8-sig") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    if kind == "csv":
        return first.strip() == ",".join(COLUMNS)
    import json

    try:
        return tuple(json.loads(first)) == COLUMNS
    except ValueError:
        return False


def read_dataset(path: str | Path) -> list[Report]:
    """The reports of a dataset ``batch`` wrote, rebuilt from their rows (the inverse of value_rows):
    one Report per input path, every reported cell a Value with its location as text."""
    from gdstat.render import cell_text
    from gdstat.report import Location

    path = Path(path)
    kind = KINDS[path.suffix.lower()]
    if kind == "parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(path).to_pylist()
    elif kind == "jsonl":
        import json

        with open(path, encoding="utf-8-sig") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
    else:
        import csv

        from gdstat.render import restored

        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = restored(csv.DictReader(handle))
    reports: dict[str, tuple[dict, dict]] = {}
    for row in rows:
        head, values = reports.setdefault(row["path"], (row, {}))
        if row["kind"] in (None, "", "missing"):
            continue
        number = _number(row["value"])
        where = row["location"] or None
        values[row["id"]] = Value(row["id"], number, row["kind"], cell_text(number), Location(where) if where else None)
    out = []
    for source, (head, values) in reports.items():
        year = _number(head["year"])
        out.append(Report(Source(source, "dataset"), head["format"], head["agency"] or None,
                          int(year) if year is not None else None, values))
    return out


def _number(value) -> int | Decimal | None:
    """A dataset's value: ints stay ints; CSV text and Parquet floats become exact Decimals."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else number


def read_one(path: str, lang: str = "zh", encoding: str | None = None, table_format: str | None = None,
             encode: str | None = None, escape: bool = False) -> FileResult:
    """Read and check one input; never raises for a bad file. With ``encode`` (``csv`` or
    ``jsonl``) the value rows come back as UTF-8 text, ready to write: cheaper to send between
    processes, and written as they come (``escape``: CSV text fields guarded against formula
    injection, see render.defuse).
    """
    from gdstat.api import load
    from gdstat.rules import check

    try:
        report = load(path, encoding=encoding, table_format=table_format)
        findings = check(report)
        rows, data, count = _value_output(report, path, encode, escape)
    except InputError as exc:
        from gdstat.limits import TooLarge

        return _unreadable(path, str(exc) + (f" (hint: {exc.hint})" if exc.hint else ""), lang,
                           code="input-too-large" if isinstance(exc, TooLarge) else "input-unreadable")
    except Exception as exc:  # a bug in gdstat: recorded, so that the other files still run
        return _unreadable(path, f"internal error: {type(exc).__name__}: {exc}", lang, code="internal-error")
    head = (path, report.agency, report.year, report.format)
    finding_rows = [(*head, *api.finding_row(f, lang)) for f in findings]
    worst = max((SEVERITY_RANK[f.severity] for f in findings), default=-1)
    return FileResult(path, rows, finding_rows, worst, data=data, values=count)


def _value_output(report: Report, path: str, encode: str | None, escape: bool) -> tuple[list[tuple], bytes, int]:
    """(rows, data, how many rows) of read_one: the value rows as tuples, or as UTF-8 text when ``encode``."""
    if encode is None:
        rows = value_rows(report, path)
        return rows, b"", len(rows)
    text, count = encode_values(report, path, escape, encode)
    return [], text.encode("utf-8"), count


def _unreadable(path: str, message: str, lang: str, code: str = "input-unreadable") -> FileResult:
    """A file that gave no report: ``input-unreadable``, ``input-too-large`` (a limit) or
    ``internal-error``. Its finding says it in ``lang``, as every other finding; ``error`` keeps
    the library's English (``message``, a hint after it as `` (hint: ...)``)."""
    from gdstat.messages import localise_hinted

    row = (path, None, None, None, "error", code, None, path, localise_hinted(message, lang), None, None,
           fingerprint(code, None, [], path))
    return FileResult(path, [], [row], SEVERITY_RANK["error"], message, code == "internal-error")


def encode_rows(rows: list[tuple], kind: str, columns: tuple[str, ...], escape: bool = False) -> str:
    """Rows as CSV lines (no header) or JSON lines. Numbers stay exact: a Decimal is written in
    plain notation in CSV (str() may give 1E-7), as a JSON number in JSONL. With ``escape``, a CSV
    text field that a spreadsheet would run as a formula is prefixed with ' (render.defuse)."""
    if kind == "jsonl":
        encode = _json_encoder()
        return "".join([encode(dict(zip(columns, row))) + "\n" for row in rows])
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(map(_csv_fields(escape), rows))  # None as empty
    return out.getvalue()


@lru_cache(maxsize=1)
def _json_encoder() -> Callable[[object], str]:
    """json.dumps with encode_rows' options, made once: dumps would make an encoder each call."""
    import json

    from gdstat.render import _jsonable

    return json.JSONEncoder(ensure_ascii=False, default=_jsonable, allow_nan=False).encode


def encode_values(report: Report, path: str, escape: bool = False, kind: str = "csv") -> tuple[str, int]:
    """``value_rows(report, path)`` as encode_rows writes them (``kind``: csv or jsonl), and how many:
    the file's head fields are encoded once a file and each cell's catalogue fields once a run (the
    same in every report of its format), leaving only the report's own five fields to encode a row."""
    head = _leading(kind, SOURCE_COLUMNS, (path, report.agency, report.year, report.format), escape)
    cells, owns = _value_parts(report)
    ends = _json_ends(owns) if kind == "jsonl" else _csv_lines(owns, escape)
    leads = _cell_leadings(report.format, kind, escape)
    if len(cells) > len(leads):  # the subtotals
        leads += tuple(_cell_leading(kind, cell, escape) for cell in cells[len(leads):])
    return "".join([f"{head}{lead}{end}\n" for lead, end in zip(leads, ends)]), len(owns)


def _leading(kind: str, columns: tuple[str, ...], fields: tuple, escape: bool) -> str:
    """The first fields of a row as encode_rows writes them, and the separator that follows them:
    a CSV line's, or a JSON object's without its closing brace."""
    if kind == "jsonl":
        return encode_rows([fields], kind, columns)[:-2] + ", "
    return _csv_lines([fields], escape)[0] + ","


@lru_cache(maxsize=None)
def _cell_leading(kind: str, cell: tuple, escape: bool) -> str:
    """A cell's catalogue fields as _leading writes them, to follow a row's head: a few hundred a format."""
    text = _leading(kind, CELL_COLUMNS[:4], cell, escape)
    return text[1:] if kind == "jsonl" else text  # without the object's opening brace


@lru_cache(maxsize=None)
def _cell_leadings(format_id: str, kind: str, escape: bool) -> tuple[str, ...]:
    """_cell_leading of each cell of ``_cells(format_id)``, in order: looked up once a file, not once a row."""
    return tuple(_cell_leading(kind, cell, escape) for cell in _cells(format_id)[0])


def _json_ends(rows: list[tuple]) -> list[str]:
    """Each row of own fields as the end of the JSON object encode_rows writes: from after the
    fields before them (see _leading) to the closing brace."""
    encode = _json_encoder()
    return [encode(dict(zip(CELL_COLUMNS[4:], row)))[1:] for row in rows]


def _csv_lines(rows: list[tuple], escape: bool) -> list[str]:
    """Each row as encode_rows writes it, without the line's end. The fields are joined here, several
    times faster than csv.writer, and checked, all rows at once; should a field be one csv.writer
    would quote, the rows are checked one by one and such a row is written by encode_rows."""
    starts = _defusable(escape)
    lines = [",".join([v if type(v) is str and v[:1] not in starts else str(v) if type(v) is int
                       else "" if v is None else _csv_text(v, escape) for v in row]) for row in rows]
    if _plain("\n".join(lines), rows) and "" not in lines:  # "": a lone empty field, which csv.writer quotes
        return lines
    return [line if line and _plain(line, [row]) else encode_rows([row], "csv", (), escape)[:-1]
            for line, row in zip(lines, rows)]


def _plain(text: str, rows: list[tuple]) -> bool:
    """Whether ``text``, the fields of ``rows`` joined by commas and the rows by LFs, has no field
    that csv.writer might quote: none holds a comma, a quote, an LF or a CR (whether csv.writer
    quotes a CR depends on the line terminator and the Python version); the csv module's minimal
    quoting leaves any other text as it is."""
    return (text.count(",") == sum(map(len, rows)) - len(rows) and text.count("\n") == len(rows) - 1
            and '"' not in text and "\r" not in text)


@lru_cache(maxsize=2)
def _defusable(escape: bool) -> frozenset[str]:
    """The first characters of a text that _csv_fields may change: those render.defuse looks for."""
    if not escape:
        return frozenset()
    from gdstat.render import FORMULA_START

    return frozenset(start[:1] for start in FORMULA_START)


def _csv_text(value, escape: bool) -> str:
    """A field of _csv_lines as _csv_fields makes it, when that is text; else a quote, which
    _plain refuses, so that csv.writer writes its row."""
    field = _csv_fields(escape)((value,))[0]
    return field if type(field) is str else '"'


@lru_cache(maxsize=2)
def _csv_fields(escape: bool) -> Callable[[tuple], tuple]:
    """What a row's fields become for csv.writer: a Decimal in plain notation (str() may give 1E-7);
    with ``escape``, a text a spreadsheet would run as a formula defused (render.defuse)."""
    if not escape:
        return lambda row: tuple([format(v, "f") if type(v) is Decimal else v for v in row])
    from gdstat.render import FORMULA_START, defuse

    return lambda row: tuple([defuse(v) if type(v) is str and v.startswith(FORMULA_START)  # the test saves a call
                              else defuse(format(v, "f")) if type(v) is Decimal else v for v in row])


def cores() -> int:
    """The cores this process may use (fewer than the machine's in a container or under taskset)."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def iter_results(paths: list[str], jobs: int | None = None, seconds: float | None = None,
                 **options) -> Iterator[FileResult]:
    """FileResults in the order of ``paths``, each read in a worker process (``jobs`` of them,
    default: every core) that is killed if it takes more than ``seconds`` (default: the
    ``seconds`` limit). A file whose worker died or was killed is an unreadable file."""
    from gdstat import limits
    from gdstat.workers import isolated

    work = partial(read_one, **options)
    seconds = seconds or limits.get("seconds")
    _preload()
    for path, result in isolated(work, paths, jobs or cores(), seconds):
        yield result if isinstance(result, FileResult) else lost(path, result, options.get("lang", "zh"))


def lost(path: str, how, lang: str) -> FileResult:
    """The FileResult of a file whose reading process was lost (a ``workers.Lost``): killed past a
    limit, or crashed."""
    from gdstat import limits

    if how.limit:
        too_large = limits.TooLarge(how.limit, how.reason, path)
        return _unreadable(path, f"{too_large} (hint: {too_large.hint})", lang, code="input-too-large")
    return _unreadable(path, f"{path}: could not be read ({how.reason})", lang)


def _preload() -> None:
    """Import the readers and load the catalogue's formats here, before the workers are forked:
    they share what the parent holds instead of each paying for it (about 0.1 s a worker)."""
    import python_calamine  # noqa: F401

    from gdstat.catalog import format_ids, load_format
    from gdstat.io import formulas, locate, own, spreadsheet  # noqa: F401
    from gdstat.render import defuse  # noqa: F401
    from gdstat.rules import check  # noqa: F401

    for format_id in format_ids():
        load_format(format_id)
        _cells(format_id)


# ----------------------------------------------------------------------------- outputs


def output_kind(target: str | None, kind: str | None) -> str:
    """``csv``, ``jsonl`` or ``parquet``: as asked, else from the file's suffix (stdout: csv)."""
    to_stdout = target in (None, "-")
    if kind is None:
        if to_stdout:
            kind = "csv"
        else:
            kind = KINDS.get(Path(target).suffix.lower())
            if kind is None:
                raise UsageError(f"{target}: cannot tell the output kind from the name",
                                 hint="end the name in .csv, .jsonl or .parquet, or pass -f csv|jsonl|parquet")
    if kind == "parquet":
        if to_stdout:
            raise UsageError("Parquet cannot be written to stdout", hint="name a file with -o, e.g. -o all.parquet")
        import importlib.util

        # Only looked for here: imported when the first rows are written, after the workers have
        # started, so that they do not each carry it.
        if importlib.util.find_spec("pyarrow") is None:
            raise UsageError("Parquet output needs pyarrow, which is not installed",
                             hint="pip install 'gdstat[parquet]', or write .csv or .jsonl")
    return kind


class Sink:
    """Rows to one output, streamed. A file is written beside its target and renamed into place
    by ``commit()``; ``discard()`` leaves nothing behind. An existing target is refused without force.

    Parquet rows arrive as CSV text and are turned into a row group by pyarrow's CSV reader every
    ``PARQUET_GROUP`` rows: fast, bounded, and without the pandas import that building arrays
    from Python lists costs.
    """

    PARQUET_GROUP = 4096  # rows a row group: about 20 reports; pyarrow keeps what a group needed, so
    # smaller groups hold the peak lower (88 MB against 104 MB with 16,384 rows, about 45 MB of it
    # pyarrow itself), flat in the number of files

    def __init__(self, target: str | None, kind: str, columns: tuple[str, ...], force: bool = False,
                 escape: bool = True):
        self.kind, self.columns, self.count = kind, columns, 0
        self.escape = escape and kind == "csv"  # Parquet rows pass through CSV text: never escaped
        self.target = None if target in (None, "-") else Path(target)
        self.temp: Path | None = None
        self._parquet = None
        self._pending = 0  # rows in the buffer, not yet in a Parquet row group
        self._buffer = bytearray()  # their CSV text, UTF-8
        if self.target is not None:
            from gdstat.outputs import check_target, temp_beside

            self.temp = temp_beside(check_target(self.target, force))
        self.force = force
        self._stream = None
        if kind != "parquet":
            self._stream = open(self.temp, "wb") if self.temp else sys.stdout
        if kind == "csv":
            self._put(encode_rows([columns], "csv", columns).encode("utf-8"))

    @property
    def encoding(self) -> str:
        """How rows are encoded for this sink (see encode_rows)."""
        return "jsonl" if self.kind == "jsonl" else "csv"

    @property
    def name(self) -> str:
        return str(self.target) if self.target else "stdout"

    def write(self, rows: list[tuple]) -> None:
        if rows:
            self.write_encoded(encode_rows(rows, self.encoding, self.columns, self.escape).encode("utf-8"), len(rows))

    def write_encoded(self, data: bytes, count: int) -> None:
        """Rows already encoded with ``self.encoding``, in UTF-8."""
        if not count:
            return
        self.count += count
        if self.kind != "parquet":
            self._put(data)
            return
        self._buffer += data
        self._pending += count
        if self._pending >= self.PARQUET_GROUP:
            self._flush_parquet()

    def _put(self, data: bytes) -> None:
        if self._stream is sys.stdout:
            self._stream.write(data.decode("utf-8"))  # in the encoding of stdout, as any text printed
        else:
            self._stream.write(data)

    def _flush_parquet(self) -> None:
        import io

        import pyarrow as pa
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        schema = pa.schema([(c, getattr(pa, _TYPES.get(c, "string"))()) for c in self.columns])
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(str(self.temp), schema)
        data, self._buffer, self._pending = bytes(self._buffer), bytearray(), 0
        if not data:
            return
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=list(self.columns), use_threads=False),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            # Only an empty field is missing, as in the CSV and JSONL outputs: pyarrow would also
            # take text such as NA, N/A, null or NaN (an agency's name, a cell's raw text) for one.
            convert_options=pacsv.ConvertOptions(column_types=schema, strings_can_be_null=True,
                                                 null_values=[""]))
        self._parquet.write_table(table.select(list(self.columns)).cast(schema))

    def _close(self) -> None:
        if self.kind == "parquet":
            self._flush_parquet()  # also makes the file of an empty run: a valid Parquet with no rows
            self._parquet.close()
        elif self._stream is sys.stdout:
            self._stream.flush()
        else:
            self._stream.close()

    def commit(self) -> None:
        self._close()
        if self.temp is not None:
            from gdstat.outputs import place

            place(self.temp, self.target, self.force)

    def discard(self) -> None:
        try:
            self._close()
        except Exception:  # already failing: the temporary file goes either way
            pass
        if self.temp is not None:
            self.temp.unlink(missing_ok=True)


# ----------------------------------------------------------------------------- a run


class Tally:
    """A run's counts as its FileResults arrive: findings by severity (written to ``problems`` when
    given), unreadable files and the worst exit code; ``on_file`` is called with each result."""

    _KEYS = {"error": "errors", "warning": "warnings", "info": "info"}

    def __init__(self, fail_on: str, problems: Sink | None, on_file: Callable[[FileResult], None] | None):
        self.fail_on, self.problems, self.on_file = fail_on, problems, on_file
        self.counts = {"errors": 0, "warnings": 0, "info": 0}
        self.unreadable = self.worst = 0

    def add(self, result: FileResult) -> None:
        if self.problems is not None:
            self.problems.write(result.findings)
        for row in result.findings:
            self.counts[self._KEYS[row[4]]] += 1
        self.unreadable += result.error is not None
        self.worst = max(self.worst, result.code(self.fail_on))
        if self.on_file is not None:
            self.on_file(result)


@dataclass(frozen=True)
class BatchRun:
    files: int
    unreadable: int
    values: int
    counts: dict[str, int]  # findings by severity (errors, warnings, info)
    exit_code: int  # the worst code of any file
    seconds: float
    output: str
    findings_output: str | None
    passed: tuple[tuple[str, str], ...] = ()  # gdstat's own outputs the scan passed over: (path, what)

    @property
    def rate(self) -> float:
        return self.files / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict:
        from gdstat.api import envelope

        return {**envelope(), "files": self.files, "unreadable": self.unreadable, "values": self.values,
                "summary": self.counts, "exit_code": self.exit_code, "seconds": round(self.seconds, 3),
                "output": self.output, "findings_output": self.findings_output}


def run(paths: Iterable[str | Path], output: str | None = None, kind: str | None = None,
        findings: str | None = None, findings_kind: str | None = None, jobs: int | None = None,
        fail_on: str = "error", lang: str = "zh", encoding: str | None = None, table_format: str | None = None,
        force: bool = False, on_file: Callable[[FileResult], None] | None = None,
        on_files: Callable[[int], None] | None = None, escape_formulas: bool = True) -> BatchRun:
    """Read every input, write the value rows to ``output`` and the findings to ``findings``.
    CSV text fields are guarded against formula injection unless ``escape_formulas`` is false.

    ``on_files`` is called with the number of input files once they are known, ``on_file`` with
    each FileResult as it is written (both for progress). Raises UsageError
    before any reading when an output cannot be written, InputError when no input file is found.
    """
    started = time.perf_counter()
    passed: list[tuple[str, str]] = []
    files = expand(paths, passed)
    if not files:
        raise InputError("no input files found", hint="name files, folders or globs of statistics sheets or reports "
                         "(xlsx, xls, ods, csv, tsv, txt, html, docx, pdf)")
    kind = output_kind(output, kind)
    from gdstat.outputs import protect

    for path in files:
        protect(path)
    if findings is not None:
        findings_kind = output_kind(findings, findings_kind)
        both_stdout = findings == "-" and output in (None, "-")
        if both_stdout or (findings != "-" and output not in (None, "-") and Path(findings).resolve() == Path(output).resolve()):
            raise UsageError(f"{findings}: the values and the findings cannot go to the same place", hint="name two files")
    data = Sink(output, kind, COLUMNS, force, escape_formulas)
    sinks = [data]
    try:
        problems = (Sink(findings, findings_kind, FINDING_COLUMNS, force, escape_formulas)
                    if findings is not None else None)
        if problems is not None:
            sinks.append(problems)
        tally = Tally(fail_on, problems, on_file)
        if on_files is not None:
            on_files(len(files))
        results = iter_results(files, jobs, lang=lang, encoding=encoding, table_format=table_format,
                               encode=data.encoding, escape=data.escape)
        try:
            for result in results:
                data.write_encoded(result.data, result.values)
                tally.add(result)
        finally:
            results.close()  # stops the workers now, whatever stopped the loop
        if tally.unreadable == len(files):  # a failed run leaves no file behind
            raise InputError("no input file could be read; nothing was written",
                             hint="check the names above; quote globs so that gdstat expands them")
        for sink in sinks:
            sink.commit()
    except BaseException:
        for sink in sinks:
            sink.discard()
        raise
    return BatchRun(len(files), tally.unreadable, data.count, tally.counts, tally.worst, time.perf_counter() - started,
                    data.name, problems.name if problems is not None else None, tuple(passed))


def to_frame(paths: Iterable[str | Path] | str | Path, jobs: int | None = None, encoding: str | None = None,
             table_format: str | None = None):
    """Every value of every input as a pandas DataFrame with the columns of ``COLUMNS``.

    ``value`` is float64 (NaN where not reported; ``kind`` says why), ``year`` a nullable Int64.
    Files that cannot be read are left out and listed in ``frame.attrs["unreadable"]`` ({path: why}).
    Needs pandas (``pip install 'gdstat[frames]'``).
    """
    try:
        import pandas as pd
    except ImportError:
        raise UsageError("to_frame needs pandas, which is not installed", hint="pip install 'gdstat[frames]'") from None
    rows: list[tuple] = []
    unreadable: dict[str, str] = {}
    value_at = COLUMNS.index("value")
    for result in iter_results(expand(paths), jobs, encoding=encoding, table_format=table_format):
        if result.error is not None:
            unreadable[result.path] = result.error
        rows.extend(row[:value_at] + (None if row[value_at] is None else float(row[value_at]),) + row[value_at + 1:]
                    for row in result.rows)
    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    frame["value"] = frame["value"].astype("float64")
    frame["year"] = frame["year"].astype("Int64")
    frame.attrs["unreadable"] = unreadable
    return frame
