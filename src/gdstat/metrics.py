"""Derived shares (formats.md §7): numerator and denominator as data, rounded half-up (四舍五入).

Its dataclasses are made without ``from __future__ import annotations`` and with docstrings, which
spares ``dataclass`` work at every start (see ``gdstat.catalog.model``).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from gdstat.catalog import load_format
from gdstat.report import Report


def round_half_up(value: Decimal, places: int) -> Decimal:
    """四舍五入: 0.125 -> 0.13 at two places (Python's round() would give 0.12)."""
    exponent = Decimal(1).scaleb(-places) if places > 0 else Decimal(1)
    value = Decimal(value)
    with localcontext() as context:  # room for every digit before the point (a share of 10^27 %)
        context.prec = max(context.prec, value.adjusted() + places + 2)
        return value.quantize(exponent, rounding=ROUND_HALF_UP)


def share(numerator, denominator, places: int = 1) -> Decimal | None:
    """numerator / denominator as a percentage, half-up at ``places``; None when undefined."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return round_half_up(Decimal(numerator) * 100 / Decimal(denominator), places)


@dataclass(frozen=True)
class Derived:
    """A share derived from a report's values: numerator, denominator and the rounded value."""

    id: str
    label: str
    label_en: str
    numerator: int | Decimal | None
    denominator: int | Decimal | None
    value: Decimal | None
    unit: str = "%"

    def to_dict(self, lang: str = "zh") -> dict:
        return {
            "id": self.id,
            "label": self.label if lang == "zh" else self.label_en,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "unit": self.unit,
        }


def sum_terms(report: Report, terms, fmt=None) -> int | Decimal | None:
    """Σ terms (a leading ``-`` subtracts); None when one is not reported. A group's subtotal
    stands in for its rows when only the subtotal was reported (rules.engine.with_subtotals)."""
    minus = [t[1:] for t in terms if t.startswith("-")]
    plus = [t for t in terms if not t.startswith("-")] if minus else terms
    if report.has_subtotals:
        from gdstat.rules.engine import with_subtotals

        fmt = fmt or load_format(report.format)
        plus, minus = with_subtotals(fmt, report, plus), with_subtotals(fmt, report, minus)
    values = report.values
    total = 0
    for sign, ids in ((1, plus), (-1, minus)):
        for cell_id in ids:
            value = values.get(cell_id)
            if value is None or value.value is None:
                return None
            total += sign * value.value
    return total


def derive(report: Report, precision: int = 1) -> list[Derived]:
    """Every metric of the report's format; a metric whose terms are not all reported has value None."""
    result = []
    fmt = load_format(report.format)
    for metric in fmt.metrics:
        numerator = sum_terms(report, metric.numerator, fmt)
        denominator = sum_terms(report, metric.denominator, fmt)
        result.append(Derived(metric.id, metric.label, metric.label_en, numerator, denominator,
                              share(numerator, denominator, precision)))
    return result
