"""The narrative check: figures stated in a report's prose against the cells of its table.

What to look for is data (``catalog/narrative.toml``): a phrase pattern and the cells the stated
figure may mean. A figure that equals none of its readings is a ``narrative-mismatch`` note quoting
the sentence; a figure whose cells were not reported is passed over (nothing to compare with).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from gdstat.catalog import Format
from gdstat.io.locate import Note
from gdstat.report import Location, Value

_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
_QUOTE_MAX = 120


@dataclass(frozen=True)
class Claim:
    id: str
    label: str
    label_en: str
    pattern: re.Pattern
    readings: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1)
def claims() -> tuple[Claim, ...]:
    data = tomllib.loads(resources.files("gdstat.catalog").joinpath("narrative.toml").read_text(encoding="utf-8"))
    return tuple(
        Claim(c["id"], c["label"], c["label_en"], re.compile(c["pattern"]), tuple(tuple(r) for r in c["readings"]))
        for c in data["claims"]
    )


def check_narrative(text: str, fmt: Format, values: dict[str, Value], path: str,
                    sheet: str | None = None) -> list[Note]:
    """A ``narrative-mismatch`` note for every stated figure that agrees with no reading of the table."""
    cells = fmt.cells
    notes: list[Note] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or not re.search(r"\d", line):
            continue
        for sentence in _SENTENCE.finditer(line):
            said = sentence.group(0)
            for claim in claims():
                for match in claim.pattern.finditer(said):
                    if "其中" in said[:match.start()]:
                        continue  # a part of the whole ("其中，本级收到申请2件")
                    note = _compare(claim, int(match.group("n")), cells, values, said.strip(),
                                    Location(path, sheet, None, number))
                    if note is not None:
                        notes.append(note)
    return notes


def _compare(claim: Claim, stated: int, cells, values: dict[str, Value], sentence: str,
             location: Location) -> Note | None:
    readings = [r for r in claim.readings if all(c in cells for c in r)]
    sums = []
    for reading in readings:
        numbers = [values[c].value if c in values else None for c in reading]
        if all(n is not None for n in numbers):
            sums.append((reading, sum(numbers)))
    if not sums or any(total == stated for _, total in sums):
        return None
    quote = sentence if len(sentence) <= _QUOTE_MAX else sentence[:_QUOTE_MAX] + "…"
    table = "；".join(f"{'+'.join(cells[c].label() for c in reading)} = {total}" for reading, total in sums)
    table_en = "; ".join(f"{' + '.join(reading)} = {total}" for reading, total in sums)
    return Note(
        "narrative-mismatch",
        f"正文所述{claim.label} {stated} 与表中数字不符（{table}）：“{quote}”",
        f"the text states {claim.label_en} {stated}, the table gives {table_en}: “{quote}”",
        location,
        sums[0][0],
    )
