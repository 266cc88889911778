"""Write the numeric paragraphs of an annual report from its table (``gdstat narrate``).

The sentences are data (``catalog/narrate.toml``): each section of the official outline lists its
sentences, and each sentence its figures with the cells they add up. ``narrate(report, previous)``
fills them in and returns a ``Narrative`` (frozen, with ``to_dict()``): every sentence with the cells
and derived figures (sums, shares, changes from the previous year) it cites. The rules of style are
in docs/narrate.md; the narrative check (``io/narrative.py``) reads every figure back.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

from gdstat.catalog import load_format
from gdstat.metrics import share, sum_terms
from gdstat.report import Report

UNITS_EN = {"万元": "(10,000 yuan)", "元": "yuan", "人": "people", "人次": "person-times", "次": "times", "篇": "articles"}


@dataclass(frozen=True)
class Item:
    cells: tuple[str, ...]
    zh: str
    en: str
    of: tuple[str, ...] = ()
    compare: bool = False
    signed: bool = False
    share: str = "占"
    share_en: str = ""

    def name(self, lang: str) -> str:
        """What the figure is: the phrase before its number."""
        return (self.zh if lang == "zh" else self.en).split("{n}")[0].strip(" ：:").removeprefix("其中")


@dataclass(frozen=True)
class Template:
    id: str
    items: tuple[Item, ...]
    lead: str = ""
    lead_en: str = ""
    zero: str | None = None
    zero_en: str | None = None
    keep_zero: bool = False
    group: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionTemplate:
    id: str
    heading: str
    heading_en: str
    sentences: tuple[Template, ...]


@lru_cache(maxsize=1)
def templates() -> tuple[SectionTemplate, ...]:
    """The sections of ``catalog/narrate.toml``; its keys are the fields of Item and Template."""
    data = tomllib.loads(resources.files("gdstat.catalog").joinpath("narrate.toml").read_text(encoding="utf-8"))

    def item(entry: dict) -> Item:
        return Item(**{**entry, "cells": tuple(entry["cells"]), "of": tuple(entry.get("of", ()))})

    return tuple(
        SectionTemplate(s["id"], s["heading"], s["heading_en"], tuple(
            Template(**{**t, "items": tuple(item(i) for i in t["items"]), "group": tuple(t.get("group", ()))})
            for t in s["sentences"]))
        for s in data["sections"]
    )


@dataclass(frozen=True)
class Sentence:
    id: str
    text: str
    cells: tuple[dict, ...]
    derived: tuple[dict, ...]

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "cells": list(self.cells), "derived": list(self.derived)}


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    sentences: tuple[Sentence, ...]
    lang: str = "zh"

    @property
    def paragraph(self) -> str:
        return ("" if self.lang == "zh" else " ").join(s.text for s in self.sentences)

    def to_dict(self) -> dict:
        return {"id": self.id, "heading": self.heading, "sentences": [s.to_dict() for s in self.sentences]}


@dataclass(frozen=True)
class Narrative:
    report: Report
    previous: Report | None
    sections: tuple[Section, ...]
    lang: str = "zh"
    precision: int = 1
    notes: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        agency, year = self.report.agency or "", self.report.year
        if self.lang == "zh":
            return f"{agency}{year if year is not None else ''}{'年' if year is not None else ''}政府信息公开工作年度报告（数据部分）"
        return " ".join(p for p in (agency, str(year) if year is not None else "", "annual report: the figures") if p)

    def to_dict(self) -> dict:
        from gdstat.api import envelope, report_header

        previous = None
        if self.previous is not None:
            previous = {"source": self.previous.source.to_dict(), "report": report_header(self.previous)}
        return {
            **envelope(),
            "source": self.report.source.to_dict(),
            "report": report_header(self.report),
            "previous": previous,
            "lang": self.lang,
            "precision": self.precision,
            "title": self.title,
            "sections": [s.to_dict() for s in self.sections],
            "notes": list(self.notes),
        }

    def text(self, markdown: bool = False) -> str:
        """Plain text (headings on their own line, one paragraph a section) or Markdown."""
        lines = [f"# {self.title}" if markdown else self.title, ""]
        indent = "" if markdown or self.lang != "zh" else "\u3000\u3000"
        for section in self.sections:
            lines += [f"## {section.heading}" if markdown else section.heading, "", indent + section.paragraph, ""]
        for note in self.notes:
            lines += [f"> {note}" if markdown else note, ""]
        return "\n".join(lines)


def _number(value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


class _Writer:
    """Fills the templates for one report (and the previous year's, when given)."""

    def __init__(self, report: Report, previous: Report | None, lang: str, precision: int):
        self.report, self.previous, self.lang, self.precision = report, previous, lang, precision
        self.fmt = load_format(report.format)
        self.zh = lang == "zh"
        self.matcher = None
        if previous is not None:
            from gdstat.catalog.crosswalk import format_order
            from gdstat.diff import _Matcher

            if format_order(previous.format) <= format_order(report.format):
                self.matcher = _Matcher(report.format)

    def applies(self, item: Item) -> bool:
        cells = self.fmt.cells
        return all(c in cells for c in item.cells) and all(c.lstrip("-") in cells for c in item.of)

    def value(self, cells):
        return sum_terms(self.report, cells, self.fmt)

    def unit(self, item: Item) -> str:
        cell = self.fmt.cells[item.cells[0]]
        written = self.report.values.get(item.cells[0])
        unit = (written.unit if written is not None and written.unit else None) or cell.unit or ""
        if self.zh:
            return unit
        return f" {UNITS_EN[unit]}" if unit in UNITS_EN else ""

    def cell_records(self, cells) -> list[dict]:
        out = []
        for term in cells:
            cid = term.lstrip("-")
            cell = self.fmt.cells[cid]
            written = self.report.values.get(cid)
            where = written.location if written is not None else None
            out.append({"id": cid, "label": cell.label(self.lang), "value": self.report.number(cid),
                        "location": str(where) if where is not None else None})
        return out

    def item(self, item: Item, value) -> tuple[str, list[dict], list[dict]]:
        """The phrase of one figure, the cells it cites and its derived figures."""
        unit = self.unit(item)
        cells = self.cell_records(item.cells)
        derived: list[dict] = []
        if len(item.cells) > 1:
            derived.append({"kind": "sum", "label": item.name(self.lang), "cells": list(item.cells), "value": value})
        number = _number(abs(value) if item.signed else value)
        if item.signed:
            word = ("增加" if value > 0 else "减少") if self.zh else ("up " if value > 0 else "down ")
            number = word + number
        phrase = (item.zh if self.zh else item.en).replace("{n}", number + unit)
        if item.of:
            denominator = self.value(item.of)
            ratio = share(value, denominator, self.precision)
            if ratio is not None:
                phrase += f"、{item.share}{_number(ratio)}%" if self.zh else f" ({_number(ratio)}%{item.share_en})"
                cells += [c for c in self.cell_records(item.of) if c["id"] not in {x["id"] for x in cells}]
                derived.append({"kind": "share", "id": self.metric(item), "label": item.name(self.lang),
                                "numerator": value, "denominator": denominator, "cells": list(item.cells),
                                "of": list(item.of), "value": ratio, "unit": "%"})
        if item.compare:
            phrase, change = self.compare(item, value, phrase, unit)
            if change:
                derived.append(change)
        return phrase, cells, derived

    def metric(self, item: Item) -> str | None:
        for metric in self.fmt.metrics:
            if set(metric.numerator) == set(item.cells) and set(metric.denominator) == set(item.of):
                return metric.id
        return None

    def compare(self, item: Item, value, phrase: str, unit: str) -> tuple[str, dict | None]:
        """The change from the previous year, only where the crosswalk maps the cells exactly."""
        if self.matcher is None:
            return phrase, None
        from gdstat.diff import Threshold, step

        entry = self.matcher.entry(self.previous, (self.fmt.id, item.cells, None))
        if entry.status != "reported" or entry.quality != "same":
            return phrase, None
        moved = step(entry.value, value, Threshold(), self.precision)
        change = moved.change
        if self.zh:
            if change == 0:
                tail = "，与上年持平"
            elif moved.new:
                tail = "，较上年新增"
            else:
                word, pct = ("增加", "增长") if change > 0 else ("减少", "下降")
                tail = f"，较上年{word}{_number(abs(change))}{unit}、{pct}{_number(abs(moved.percent))}%"
        else:
            if change == 0:
                tail = ", the same as the previous year"
            elif moved.new:
                tail = ", new this year (none the previous year)"
            else:
                tail = f", {'up' if change > 0 else 'down'} {_number(abs(change))} ({_number(abs(moved.percent))}%) on the previous year"
        return phrase + tail, {
            "kind": "change", "label": item.name(self.lang), "cells": list(item.cells),
            "previous_cells": list(entry.sources), "previous_format": self.previous.format,
            "previous_year": self.previous.year, "previous": entry.value, "value": value,
            "change": change, "percent": moved.percent, "new": moved.new, "quality": entry.quality,
        }

    def sentence(self, template: Template) -> Sentence | None:
        items = [i for i in template.items if self.applies(i)]
        if not items:
            return None
        if template.group and self.value(template.group) == 0:
            return None  # the whole is 0 (perhaps as one subtotal): nothing to break down
        # Each figure in the table's order; a run of not-reported ones becomes one "…未填报" clause in place.
        parts: list = []
        cells, derived, stated, missing, zeros = [], [], 0, 0, 0
        for item in items:
            value = self.value(item.cells)
            if value is None:
                missing += 1
                cells += self.cell_records(item.cells)
                if parts and isinstance(parts[-1], list):
                    parts[-1].append(item.name(self.lang))
                else:
                    parts.append([item.name(self.lang)])
                continue
            if value == 0 and not template.keep_zero:
                zeros += 1
                cells += self.cell_records(item.cells)
                continue
            phrase, cited, figures = self.item(item, value)
            parts.append(phrase)
            stated += 1
            cells += [c for c in cited if c["id"] not in {x["id"] for x in cells}]
            derived += figures
        zh = self.zh
        if template.group and missing == len(items):
            return None  # the whole is given (a subtotal), its breakdown is not: nothing to list
        if not stated and not missing:
            zero = template.zero if zh else template.zero_en
            return Sentence(template.id, self.end(zero), tuple(cells), ()) if zeros and zero else None
        clauses = [("、".join(p) + "未填报" if zh else "not reported: " + ", ".join(p)) if isinstance(p, list) else p
                   for p in parts]
        lead = (template.lead if zh else template.lead_en) if stated else ""
        return Sentence(template.id, self.end(lead + ("，" if zh else "; ").join(clauses)), tuple(cells), tuple(derived))

    def end(self, text: str) -> str:
        if self.zh:
            return text + "。"
        return text[:1].upper() + text[1:] + "."

    def sections(self) -> tuple[Section, ...]:
        out = []
        for section in templates():
            applicable = [i for t in section.sentences for i in t.items if self.applies(i)]
            if not applicable or all(self.value(i.cells) is None for i in applicable):
                continue  # not this format's section, or nothing reported in it
            sentences = tuple(s for s in (self.sentence(t) for t in section.sentences) if s is not None)
            if sentences:
                out.append(Section(section.id, section.heading if self.zh else section.heading_en, sentences, self.lang))
        return tuple(out)


def narrate(report: Report, previous: Report | None = None, lang: str = "zh", precision: int = 1) -> Narrative:
    """The numeric paragraphs of ``report``; with ``previous`` (an earlier year), its changes too."""
    notes = []
    if previous is not None and report.year is not None and previous.year is not None and previous.year >= report.year:
        from gdstat.errors import UsageError
        from gdstat.messages import say

        raise UsageError(say("e.previous_not_earlier", "en", previous=previous.year, year=report.year),
                         hint=say("h.previous_not_earlier", "en"))
    from gdstat.diff import agency_key

    if previous is not None and agency_key(previous.agency) != agency_key(report.agency) and previous.agency and report.agency:
        # Two agencies are never compared: the prose is written without 较上年, and says why.
        notes.append(f"上年报告的单位为“{previous.agency}”，与本年“{report.agency}”不同，未作较上年比较。" if lang == "zh" else
                     f"The previous report is of {previous.agency}, not {report.agency}: no change from the previous year is stated.")
        previous = None
    if previous is not None and previous.format != report.format:
        notes.append(f"上年统计表为{previous.format}格式，本年为{report.format}格式：较上年的比较只写新旧格式口径完全一致的指标。"
                     if lang == "zh" else f"The previous year's table is in the {previous.format} format, this year's in the "
                     f"{report.format} format: changes are stated only where the formats' cells map exactly.")
    writer = _Writer(report, previous, lang, precision)
    return Narrative(report, previous, writer.sections(), lang, precision, tuple(notes))


def _relative(path: Path) -> Path:
    """A path under the current folder as a relative one (as ``diff`` shows the files it found)."""
    import os

    here = Path.cwd().resolve()
    return Path(os.path.relpath(path, here)) if path.resolve().is_relative_to(here) else path


def narrate_input(item: str, previous: str | None = None, data_dir: str | Path | None = None, lang: str = "zh",
                  precision: int = 1, encoding: str | None = None, table_format: str | None = None,
                  find_previous: bool = True) -> Narrative:
    """Read ``item`` (a file, or a year found as ``diff`` finds it) and narrate it.

    The previous year is ``previous`` (a file or a year) or, when not given, the file of the year
    before found beside the input (in the data folder for a year), if there is exactly one.
    """
    from gdstat.api import load
    from gdstat.diff import YEAR, find_data_dir, resolve_inputs, resolve_year, year_candidates

    (path,) = resolve_inputs([item], data_dir)
    report = load(path, encoding=encoding, table_format=table_format)
    before = None
    if previous is not None:
        (before_path,) = resolve_inputs([previous], data_dir)
        before = load(before_path, encoding=encoding)
    elif find_previous and report.year is not None and item != "-":  # standard input has no folder to look in
        year = str(report.year - 1)
        if YEAR.match(item) and not Path(item).is_file():
            folder = (Path.cwd() / data_dir).resolve() if data_dir else find_data_dir()
            found = year_candidates(year, folder) and [resolve_year(year, folder)]
        else:
            found = [p for p in year_candidates(year, Path(path).resolve().parent)
                     if p.parent == Path(path).resolve().parent]
        if len(found) == 1:
            before = load(_relative(found[0]), encoding=encoding)
    return narrate(report, before, lang, precision)
