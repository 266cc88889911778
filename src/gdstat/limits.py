"""What one input may cost: every limit gdstat puts on a file, as data, in one place.

gdstat reads files scraped from the web and mailed in by many units, so a small hostile or broken
file must never take gigabytes, minutes or the process down. Each limit is checked *before* the
work it bounds (a zip part's size before it is inflated, a merged cell's span before it is
expanded). Exceeding one is an input error (exit 3, an ``input-too-large`` finding in ``batch``)
that names the limit and how to raise it: ``gdstat --limit NAME=VALUE COMMAND ...`` or the
``GDSTAT_LIMITS`` environment variable (``cells=2000000,seconds=60``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from gdstat.errors import InputError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    name: str
    default: int
    unit: str
    what: str  # what is counted, as a user reads it
    zh: str  # the same in Chinese (gdstat.messages)


LIMITS: dict[str, Limit] = {limit.name: limit for limit in (
    Limit("input-bytes", 32 * MB, "bytes", "the size of one input file", "输入文件的大小"),
    Limit("part-bytes", 32 * MB, "bytes", "the inflated size of one part of a zip package (xlsx, ods, docx)",
          "zip 包（xlsx、ods、docx）中一个部件解压后的大小"),
    Limit("zip-ratio", 200, "times", "how many times a zip part larger than 1 MB inflates", "大于 1 MB 的 zip 部件的解压倍数"),
    Limit("cells", 500_000, "cells", "the cells holding something in one sheet or page", "一个工作表或页面中有内容的单元格数"),
    Limit("area", 1_000_000, "cells", "rows times columns of one sheet's grid, merged cells expanded",
          "一个工作表的行数乘列数（合并单元格展开后）"),
    Limit("span", 1_000, "cells", "the rows or columns one merged HTML or Word cell covers", "HTML 或 Word 中一个合并单元格跨越的行数或列数"),
    Limit("digits", 40, "digits", "the digits of one number", "一个数字的位数"),
    Limit("formula-cells", 1_000_000, "cells", "the cells read to evaluate a workbook's uncached formulas",
          "计算工作簿中未缓存公式时读取的单元格数"),
    Limit("seconds", 30, "seconds", "the time to read one file", "读取一个文件的时间"),
    Limit("memory", 1024 * MB, "bytes", "the memory of the process reading one file", "读取一个文件的进程所用内存"),
)}
ENVIRONMENT = "GDSTAT_LIMITS"
_DEFAULTS = {name: limit.default for name, limit in LIMITS.items()}

_values: dict[str, int] | None = None  # set ones; read from the environment on first use


class TooLarge(InputError):
    """An input exceeds a limit. ``str()`` names the input once ``where`` is known."""

    def __init__(self, name: str, amount: str, where: str | None = None):
        limit = LIMITS[name]
        self.limit, self.amount, self.where = name, amount, where
        super().__init__(  # the wording is gdstat.messages' e.limit.NAME and h.limit
            f"{where + ': ' if where else ''}{limit.what} ({amount}) exceeds the {name} limit of {get(name):,} {limit.unit}",
            hint=f"if the file is trusted, raise the limit: gdstat --limit {name}=N ... (or {ENVIRONMENT}={name}=N)")

    def __reduce__(self):
        return TooLarge, (self.limit, self.amount, self.where)

    def at(self, where: str) -> TooLarge:
        return self if self.where else TooLarge(self.limit, self.amount, where)


def parse(text: str) -> dict[str, int]:
    """``name=value[,name=value]`` (a value may end in K, M or G) as {name: value}."""
    from gdstat.errors import UsageError

    found = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = item.partition("=")
        name, value = name.strip(), value.strip().upper()
        if name not in LIMITS:
            raise UsageError(f"unknown limit {name!r}", hint="limits: " + ", ".join(LIMITS))
        scale = {"K": 1024, "M": MB, "G": 1024 * MB}.get(value[-1:], 1)
        digits = value[:-1] if scale > 1 else value
        if not digits.isdigit() or int(digits) <= 0:
            raise UsageError(f"limit {name}: {value!r} is not a positive whole number", hint=f"e.g. --limit {name}=N")
        found[name] = int(digits) * scale
    return found


def _set() -> dict[str, int]:
    global _values
    if _values is None:
        _values = parse(os.environ.get(ENVIRONMENT, ""))
    return _values


def configure(values: dict[str, int]) -> None:
    """Set limits for this process (and the workers it starts)."""
    _set().update(values)


def current() -> dict[str, int]:
    """Every limit's value now: a snapshot to hand to a worker process."""
    return {name: get(name) for name in LIMITS}


def get(name: str) -> int:
    # read for every number of a sheet (digits): the set ones are looked at without a second call
    return (_values if _values is not None else _set()).get(name, _DEFAULTS[name])


def check(name: str, amount: int, where: str | None = None) -> None:
    """Raise TooLarge when ``amount`` exceeds the limit ``name``."""
    if amount > get(name):
        raise TooLarge(name, f"{amount:,}", where)


class Budget:
    """A running count against one limit, for work done piece by piece (checked as it grows)."""

    def __init__(self, name: str):
        self.name, self.most, self.used = name, get(name), 0

    def add(self, amount: int) -> None:
        self.used += amount
        if self.used > self.most:
            raise TooLarge(self.name, f"at least {self.used:,}")
