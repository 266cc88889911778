"""gdstat reads what gdstat writes: its JSON and one-row-per-cell outputs are read back by cell id,
exactly; its other outputs (findings, diffs, run summaries, ``report``'s HTML pages) are refused
with what they are.

Recognised from the content, never from the name:

* ``extract``/``summarize -f json``: an object with ``schema_version``, ``report`` and ``values``
  (records with ``id``, ``value``, ``kind``);
* a cell table (CSV, TSV or JSON lines from ``extract``, ``summarize`` and ``batch``): an ``id``
  column holding cell ids of one format and a ``value`` column, wherever they sit among others
  (``path``, ``agency``, ``year``, ``format``, ``kind``, ``raw`` … are used when present).

* a page of ``gdstat report``: HTML whose head names gdstat as its generator.

Written xlsx sheets need nothing here: they are the official template, read like any sheet.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from gdstat.catalog import format_ids, load_format
from gdstat.cells import parse
from gdstat.errors import InputError
from gdstat.report import Location, Report, Source, Value

_HEAD = 65536
GENERATOR = '<meta name="generator" content="gdstat '  # in the head of every page gdstat report writes
NARRATE_MARK = "written by gdstat narrate"  # in the comments of every Word document gdstat narrate writes
_KINDS = frozenset({"number", "blank", "not-applicable", "text"})
_REFUSE_HINT = "give gdstat the report itself (or the output of extract or summarize -f json, or a cell table)"


def _text(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return handle.read(_HEAD).decode("utf-8-sig", errors="replace")  # the head may cut a character
    except OSError:
        return None


def what(path: str | Path) -> str | None:
    """What gdstat output the file is (``values-json``, ``cell-table``, ``findings``, ``diff``,
    ``batch-summary``, ``html-report``, ``gdstat-output``), or None when it is not one. Reads the file's head only."""
    text = _text(Path(path))
    if not text or "\x00" in text:  # gdstat writes UTF-8; UTF-16 and binary files are others'
        return None
    stripped = text.lstrip()
    if stripped[:15].lower() == "<!doctype html>":
        return "html-report" if GENERATOR in stripped[:2048] else None
    if stripped.startswith("{"):
        first = stripped.split("\n", 1)[0]
        try:
            record = json.loads(first)  # JSON lines: one record per line
        except ValueError:
            return _json_kind(text)
        if isinstance(record, dict) and "value" in record and _cell_id(record.get("id")):
            return "cell-table"
        return _json_kind(text)
    header = _header(text)
    if header is None:
        return None
    if {"id", "value"} <= set(header):
        first = _records("\n".join(text.split("\n", 2)[:2]))[:1]  # the header and the first row
        return "cell-table" if first and _cell_id(first[0].get("id")) else None
    if {"severity", "code", "message"} <= set(header):
        return "findings"
    if header[:5] == ["section", "id", "label", "unit", "quality"]:
        return "diff"
    return None


def _cell_id(text) -> bool:
    """An official cell id of some format (``requests.new@total``, ``legacy.fees``)."""
    row_id = str(text or "").partition("@")[0]
    return any(row_id in load_format(f).rows for f in format_ids())


def _json_kind(head: str) -> str | None:
    """From the keys of a JSON object: the keys gdstat writes come in a fixed order at the top."""
    start = head[:4096]
    if '"schema_version"' not in start and '"gdstat_version"' not in start:
        return None
    if '"rows"' in head and '"basis"' in head:
        return "diff"
    if '"files"' in start:
        return "batch-summary" if '"exit_code"' in head else "findings"
    if '"values"' in head and '"report"' in start:
        return "values-json"
    return "gdstat-output"


def _header(text: str) -> list[str] | None:
    line = re.split(r"\r\n|\r|\n", text[:65536], maxsplit=1)[0]  # a line may end in CR alone (old Mac Excel)
    for delimiter in (",", "\t"):
        if delimiter in line:
            return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]
    return None


# What each kind of gdstat output is (the message catalogue holds the Chinese), and the words
# that refuse the kinds that are not a report.
_NAMES = {
    "values-json": "a gdstat values file (extract or summarize -f json)",
    "cell-table": "a gdstat cell table (extract, summarize or batch)",
    "findings": "a gdstat findings file (the output of validate or batch --findings)",
    "diff": "a gdstat diff output",
    "batch-summary": "a gdstat batch run summary",
    "gdstat-output": "a gdstat output that holds no report's values",
    "html-report": "an HTML page gdstat report wrote",
    "narrative-docx": "a Word document gdstat narrate wrote",
}
REFUSED = {kind: _NAMES[kind] + ("" if kind == "gdstat-output" else ", not a report")
           for kind in ("findings", "diff", "batch-summary", "html-report", "gdstat-output")}


def wrote_docx(path: str | Path) -> str | None:
    """``narrative-docx`` when gdstat narrate wrote this Word document (its properties say so), else None.
    Named on the command line such a document is read (gdstat reads what it writes); a folder scan
    passes it over, since its statistics table is a copy of a report found beside it."""
    import zipfile

    from gdstat.io.sniff import read_part

    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > _HEAD:
                return None
            core = read_part(archive, info).decode("utf-8", errors="replace")
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return None
    return "narrative-docx" if NARRATE_MARK in core else None


def describe(kind: str) -> str:
    """What a kind of gdstat output is, in a few words."""
    return _NAMES[kind]


def read_own(path: Path, name: str) -> Report | None:
    """The report a gdstat output holds, None when the file is not a gdstat output. Raises
    InputError for gdstat outputs that are not a report (named), and for a dataset of many."""
    kind = what(path)
    if kind is None:
        return None
    if kind in REFUSED:
        raise InputError(f"{name}: {REFUSED[kind]}", hint=_REFUSE_HINT)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return None  # gdstat writes UTF-8: another program's table that happens to have these columns
    if kind == "values-json":
        try:
            return _from_json(json.loads(text), name)
        except ValueError:  # a line-per-record file that only looked like one object
            pass
    return _from_records(_records(text), name)


def _from_json(data: dict, name: str) -> Report:
    header = data.get("report") or {}
    fmt = _format(header.get("format"), [r.get("id") for r in data.get("values", [])], name)
    values = {}
    for record in data.get("values", []):
        value = _value(fmt, record, name)
        if value is not None:
            values[value.id] = value
    source = data.get("source") or {}
    return Report(Source(name, "json", source.get("sheet"), "utf-8"), fmt.id, header.get("agency"), header.get("year"),
                  values)


def _records(text: str) -> list[dict]:
    if text.lstrip().startswith("{"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    from gdstat.render import restored

    delimiter = "\t" if "\t" in text.split("\n", 1)[0] else ","
    return restored(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def _from_records(records: list[dict], name: str) -> Report:
    records = [r for r in records if r.get("kind") != "derived"]  # summarize's derived figures
    reports = {(r.get("path"), r.get("agency"), r.get("year")) for r in records}
    if len(reports) > 1:
        raise InputError(f"{name}: a gdstat dataset of {len(reports)} reports, not one report",
                         hint="read one report at a time, or filter the dataset's rows to one path first")
    first = records[0] if records else {}
    formats = {r.get("format") for r in records if r.get("format")}
    fmt = _format(formats.pop() if len(formats) == 1 else None, [r.get("id") for r in records], name)
    values = {}
    for line, record in enumerate(records, start=2):
        if "raw" not in record and record.get("kind") not in _KINDS:  # summarize: the value, else the raw text
            record = {**record, "kind": None, "raw": record.get("value")}
        value = _value(fmt, {**record, "location": {"path": name, "line": line}}, name)
        if value is not None:
            values[value.id] = value
    year = first.get("year")
    return Report(Source(name, "cells", None, "utf-8"), fmt.id, first.get("agency") or None,
                  int(year) if year not in (None, "") else None, values)


def _format(declared: str | None, ids: list, name: str):
    """The format the cell ids belong to: as declared, else the one holding every id."""
    from gdstat.rules.engine import group_cell

    def holds(format_id: str) -> bool:
        fmt = load_format(format_id)
        for cell_id in ids:
            if cell_id in fmt.cells:
                continue
            try:
                group_cell(fmt, cell_id)
            except (KeyError, AttributeError, TypeError):
                return False
        return True

    if declared in format_ids() and holds(declared):
        return load_format(declared)
    fits = [f for f in format_ids() if ids and holds(f)]
    if len(fits) != 1:
        raise InputError(f"{name}: a gdstat cell table whose cell ids do not belong to exactly one format",
                         hint="read the report itself")
    return load_format(fits[0])


def _value(fmt, record: dict, name: str) -> Value | None:
    """One cell back from its record; None for a cell the output lists as not read."""
    cell_id, kind = record.get("id"), record.get("kind")
    if kind == "missing" or cell_id is None:
        return None
    raw = record.get("raw")
    number = record.get("value")
    if kind not in _KINDS:  # the kind is not written: it comes from the text
        kind, number, raw, _ = parse(raw if raw is not None else "")
        if kind == "blank":
            return None  # blank and not read are written alike: nothing is claimed
    elif kind == "number":
        parsed = parse(number if isinstance(number, str) else str(number))
        if parsed[0] != "number":
            raise InputError(f"{name}: the value of {cell_id} is not a number ({number!r})",
                             hint="the file was changed after gdstat wrote it; write it again")
        number = parsed[1]
    else:
        number = None
    where = record.get("location")
    location = Location(**where) if isinstance(where, dict) else None
    unit = record.get("unit") or None
    cell = fmt.cells.get(cell_id)
    if cell is not None and unit == cell.unit:
        unit = None  # the official unit, filled in by the output: not written in the cell
    raw = raw if raw not in (None, "") or kind != "number" else str(number)
    return Value(cell_id, number, kind, "" if raw is None else str(raw), location, unit, record.get("placement") or None)
