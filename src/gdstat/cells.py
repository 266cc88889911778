"""Reading one cell's content as a number, a not-reported marker or text. Never guesses."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from math import isfinite

from gdstat import limits

# Markers that mean "not reported / not applicable". Blank cells are reported as ``blank``.
NOT_APPLICABLE = frozenset({"/", "／", "\\", "-", "－", "—", "——", "–", "---", "----", "无", "/ /", "――"})
_UNITS = ("万元", "人次", "元", "件", "条", "次", "篇", "个", "人", "项", "%")
_BLANK = ("blank", None, "", None)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def parse(raw, digits: int | None = None) -> tuple[str, int | Decimal | None, str, str | None]:
    """Return ``(kind, value, raw_text, unit)`` for a cell as a reader delivered it.

    Numbers stored as text, thousands separators, full-width digits and a unit written in the
    cell (``251000元``) are read; anything else that is not empty is ``text``. ``digits``: the
    digits limit, when the caller has read it already (once for many cells).
    """
    kind = type(raw)
    if kind is float:  # every number of a spreadsheet: first
        return _parse_float(raw, digits or limits.get("digits"))
    if kind is str:
        return _parse_text(raw) if raw else _BLANK
    if raw is None or raw == "":
        return _BLANK
    if kind is int:
        return "number", raw, str(raw), None
    if isinstance(raw, bool):
        return "text", None, str(raw), None
    if isinstance(raw, Decimal):
        return "number", (int(raw) if raw == raw.to_integral_value() else raw), str(raw), None
    if isinstance(raw, int):  # int subclasses other than bool
        return "number", int(raw), str(raw), None
    return "text", None, str(raw), None  # dates and times: never a count


# A sheet's counts are mostly small numbers, the same in every sheet; the large ones are mostly its
# own. A cache this size keeps the first and is full within a few files, so a batch worker's memory
# stays flat (at 16,384 entries it grew by about a kilobyte a file for thousands of files).
@lru_cache(maxsize=1024)
def _parse_float(raw: float, digits: int) -> tuple[str, int | Decimal | None, str, str | None]:
    """``raw`` read under the ``digits`` limit (a key of the cache: a limit set later is applied)."""
    if not isfinite(raw):
        return "text", None, str(raw), None
    if abs(raw) >= 10.0 ** digits:
        raise limits.TooLarge("digits", f"{len(str(int(abs(raw)))):,}")
    number = int(raw) if raw.is_integer() else Decimal(repr(raw))
    return "number", number, str(number), None  # as displayed: 12683, not 12683.0


@lru_cache(maxsize=16384)  # the same texts ("72", "件", labels) recur in every sheet
def _parse_text(text: str) -> tuple[str, int | Decimal | None, str, str | None]:
    normal = unicodedata.normalize("NFKC", text).replace("\u3000", " ").strip()
    if not normal:
        return "blank", None, text, None
    if normal.replace(" ", "") in NOT_APPLICABLE or text.strip() in NOT_APPLICABLE:
        return "not-applicable", None, text, None
    unit, body = None, normal
    for candidate in _UNITS:
        if body.endswith(candidate) and len(body) > len(candidate):
            unit, body = candidate, body[: -len(candidate)].rstrip()
            break
    if "," in body:  # thousands separators, only in groups of three: 3,5 and 1.234,5 are not numbers
        if not _GROUPED.match(body):
            return "text", None, text, None
        body = body.replace(",", "")
    if _NUMBER.match(body):
        digits = len(body) - (body[0] in "+-") - ("." in body)
        if digits > limits.get("digits"):  # Decimal -> int is quadratic in the digits
            raise limits.TooLarge("digits", f"{digits:,}")
        number = Decimal(body)
        value = int(number) if number == number.to_integral_value() and "." not in body else number
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        return "number", value, text, unit
    return "text", None, text, None
