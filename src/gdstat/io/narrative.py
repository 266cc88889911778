"""The narrative check: figures stated in a report's prose against the cells of its table.

What to look for is data (``catalog/narrative.toml``): a phrase pattern and the cells the stated
figure may mean. A figure that equals none of its readings is a ``narrative-mismatch`` note quoting
the sentence; a figure whose cells were not reported is passed over (nothing to compare with).

Right after a figure the prose may state its share (``、占 55.8%``, of the claim's ``of`` cells)
and its change from the previous year (``较上年增加 3 件、增长 10.0%``, ``与上年持平``,
``较上年新增``); both are read and compared too, the change only when the previous year's table
is given. ``read_figures`` returns every figure read, so a caller can tell which figures of a text
the check read back.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from gdstat.catalog import Format
from gdstat.io.locate import Note
from gdstat.report import Location, Report, Value

_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
_DIGIT = re.compile(r"\d")
_QUOTE_MAX = 120
_NUMBER = r"\d+(?:\.\d+)?"
_SHARE = re.compile(rf"[，、,]?\s*占[^\d，。；%]{{0,12}}?(?P<p>{_NUMBER})%")
_CHANGE = re.compile(
    rf"[，、,]\s*(?:较上年(?P<dir>增加|减少)(?P<c>{_NUMBER})[^\d、，。；]{{0,3}}(?:、(?:增长|下降)(?P<cp>{_NUMBER})%)?"
    r"|(?P<same>与上年持平)|(?P<new>较上年新增))")


@dataclass(frozen=True)
class Claim:
    id: str
    label: str
    label_en: str
    pattern: re.Pattern
    readings: tuple[tuple[str, ...], ...]
    of: tuple[tuple[str, ...], ...] = ()  # the denominator of a stated share, one per reading
    part: bool = False  # read even after 其中 (the pattern names the part itself)


@dataclass(frozen=True)
class Figure:
    """One figure the check read: ``kind`` is value, share, change or change-percent.

    ``expected`` holds (reading, what the table gives) for every reading that could be compared;
    ``agrees`` is None when none could (cells not reported, or no previous year for a change).
    ``span`` is where the figure's digits are in line ``line`` of the text.
    """

    claim: Claim
    kind: str
    stated: Decimal
    expected: tuple[tuple[tuple[str, ...], Decimal], ...]
    agrees: bool | None
    line: int
    span: tuple[int, int]
    sentence: str


@lru_cache(maxsize=1)
def claims() -> tuple[Claim, ...]:
    data = tomllib.loads(resources.files("gdstat.catalog").joinpath("narrative.toml").read_text(encoding="utf-8"))
    return tuple(
        Claim(c["id"], c["label"], c["label_en"], re.compile(c["pattern"]), tuple(tuple(r) for r in c["readings"]),
              tuple(tuple(o) for o in c.get("of", ())), bool(c.get("part", False)))
        for c in data["claims"]
    )


def _sum(cells, values: dict[str, Value]) -> Decimal | None:
    """Σ cells (a leading ``-`` subtracts); None when one is not reported."""
    total = Decimal(0)
    for term in cells:
        sign, cid = (-1, term[1:]) if term.startswith("-") else (1, term)
        value = values.get(cid)
        if value is None or value.value is None:
            return None
        total += sign * value.value
    return total


def _places(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


class _Reader:
    def __init__(self, fmt: Format, values: dict[str, Value], previous: Report | None):
        self.fmt, self.values, self.previous = fmt, values, previous
        self._matcher = None

    def readings(self, claim: Claim):
        """(reading, its denominator or None) for the readings whose cells the format has."""
        cells = self.fmt.cells
        of = claim.of or ((),) * len(claim.readings)
        return [(r, o or None) for r, o in zip(claim.readings, of)
                if all(c in cells for c in r) and all(c.lstrip("-") in cells for c in o)]

    def before(self, reading) -> Decimal | None:
        """The previous year's value of a reading, through the crosswalk when the formats differ."""
        if self.previous is None:
            return None
        if self._matcher is None:
            from gdstat.diff import _Matcher

            self._matcher = _Matcher(self.fmt.id)
        value = self._matcher.entry(self.previous, (self.fmt.id, tuple(reading), None)).value
        return None if value is None else Decimal(value)

    def read(self, claim: Claim, match: re.Match, said: str, line: int, offset: int) -> list[Figure]:
        from gdstat.metrics import round_half_up, share

        stated = Decimal(match.group("n"))
        if match.groupdict().get("minus"):
            stated = -stated  # a signed change written as 减少 n
        readings = self.readings(claim)
        sums = [(r, o, _sum(r, self.values)) for r, o in readings]
        sums = [(r, o, s) for r, o, s in sums if s is not None]
        agreeing = [(r, o, s) for r, o, s in sums if s == stated]
        figures = [Figure(claim, "value", stated, tuple((r, s) for r, _, s in sums),
                          bool(agreeing) if sums else None, line, _span(match, "n", offset), said)]
        # The share and the change are of the reading the figure agreed with (all readings if none).
        chosen = agreeing or sums
        end = match.end()
        tail = _SHARE.match(said, end)
        if tail:
            p = Decimal(tail.group("p"))
            expected = []
            for r, o, s in chosen:
                denominator = _sum(o, self.values) if o else None
                value = share(s, denominator, _places(tail.group("p")))
                if value is not None:
                    expected.append((r, value))
            figures.append(Figure(claim, "share", p, tuple(expected), any(v == p for _, v in expected) if expected else None,
                                  line, _span(tail, "p", offset), said))
            end = tail.end()
        tail = _CHANGE.match(said, end)
        if tail:
            pairs = [(r, s, self.before(r)) for r, _, s in chosen]
            pairs = [(r, s, b) for r, s, b in pairs if b is not None]
            if tail.group("same") or tail.group("new"):
                ok = [(s == b) if tail.group("same") else (b == 0 and s != 0) for _, s, b in pairs]
                figures.append(Figure(claim, "change", Decimal(0), tuple((r, s - b) for r, s, b in pairs),
                                      any(ok) if pairs else None, line, (offset + tail.start(), offset + tail.end()), said))
            else:
                sign = -1 if tail.group("dir") == "减少" else 1
                change = sign * Decimal(tail.group("c"))
                figures.append(Figure(claim, "change", change, tuple((r, s - b) for r, s, b in pairs),
                                      any(s - b == change for _, s, b in pairs) if pairs else None,
                                      line, _span(tail, "c", offset), said))
                if tail.group("cp"):
                    cp = sign * Decimal(tail.group("cp"))
                    places = _places(tail.group("cp"))
                    expected = [(r, round_half_up((s - b) * 100 / b, places)) for r, s, b in pairs if b]
                    figures.append(Figure(claim, "change-percent", cp, tuple(expected),
                                          any(v == cp for _, v in expected) if expected else None,
                                          line, _span(tail, "cp", offset), said))
        return figures


def _span(match: re.Match, group: str, offset: int) -> tuple[int, int]:
    return offset + match.start(group), offset + match.end(group)


def read_figures(text: str, fmt: Format, values: dict[str, Value], previous: Report | None = None) -> list[Figure]:
    """Every figure of ``text`` that a claim of ``narrative.toml`` reads, compared with the table."""
    reader = _Reader(fmt, values, previous)
    readable = [claim for claim in claims() if reader.readings(claim)]  # the claims this format's cells can check
    figures: list[Figure] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or not _DIGIT.search(line):
            continue
        for sentence in _SENTENCE.finditer(line):
            said = sentence.group(0)
            if not _DIGIT.search(said):  # every claim states a number
                continue
            for claim in readable:
                for match in claim.pattern.finditer(said):
                    if not claim.part and "其中" in said[:match.start()]:
                        continue  # a part of the whole ("其中，本级收到申请2件")
                    figures += reader.read(claim, match, said, number, sentence.start())
    return figures


def check_narrative(text: str, fmt: Format, values: dict[str, Value], path: str,
                    sheet: str | None = None, previous: Report | None = None) -> list[Note]:
    """A ``narrative-mismatch`` note for every stated figure that agrees with no reading of the table."""
    notes = []
    for figure in read_figures(text, fmt, values, previous):
        if figure.agrees is False:
            notes.append(_note(figure, fmt, Location(path, sheet, None, figure.line)))
    return notes


_KINDS = {
    "value": ("", "", ""),
    "share": ("占比", " share", "%"),
    "change": ("较上年变化", " change from the previous year", ""),
    "change-percent": ("较上年变化幅度", " change from the previous year", "%"),
}


def _note(figure: Figure, fmt: Format, location: Location) -> Note:
    claim, cells = figure.claim, fmt.cells
    sentence = figure.sentence.strip()
    quote = sentence if len(sentence) <= _QUOTE_MAX else sentence[:_QUOTE_MAX] + "…"
    what, what_en, unit = _KINDS[figure.kind]
    stated = f"{figure.stated}{unit}"

    def name(cid: str) -> str:
        return ("−" if cid.startswith("-") else "") + cells[cid.lstrip("-")].label()

    table = "；".join(f"{'+'.join(name(c) for c in reading)} = {value}{unit}" for reading, value in figure.expected)
    table_en = "; ".join(f"{' + '.join(reading)} = {value}{unit}" for reading, value in figure.expected)
    return Note(
        "narrative-mismatch",
        f"正文所述{claim.label}{what} {stated} 与表中数字不符（{table}）：“{quote}”",
        f"the text states {claim.label_en}{what_en} {stated}, the table gives {table_en}: “{quote}”",
        location,
        tuple(c.lstrip("-") for c in figure.expected[0][0]),
    )
