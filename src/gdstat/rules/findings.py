"""Findings: problems in a report, as data. None of them stops a run.

Its dataclasses are made without ``from __future__ import annotations`` and with docstrings, which
spares ``dataclass`` work at every start (see ``gdstat.catalog.model``).
"""

from dataclasses import dataclass

try:  # CPython's own SHA-1, the digest hashlib gives, without loading OpenSSL (longer than checking a sheet)
    from _sha1 import sha1
except ImportError:
    from hashlib import sha1

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def location_dict(location) -> dict | None:
    """A place in JSON, in the shape of a value's location whether it is a cell, a line or only a
    file (a finding about a file, or about several, names them in ``path``)."""
    if location is None:
        return None
    if isinstance(location, str):
        return {"path": location, "sheet": None, "cell": None, "line": None}
    return location.to_dict()


@dataclass(frozen=True)
class FindingCell:
    """A cell a finding is about: its id and labels, where it was read and its number as read."""

    id: str
    label: str
    label_en: str
    location: object  # a report.Location, or None
    value: object  # the number as read, or None

    def to_dict(self, lang: str = "zh") -> dict:
        return {
            "id": self.id,
            "label": self.label if lang == "zh" else self.label_en,
            "location": location_dict(self.location),
            "value": self.value,
        }


@dataclass(frozen=True)
class Finding:
    """One problem in a report: its code, severity, rule, message and the cells it is about."""

    code: str
    severity: str
    rule: str | None
    message: str
    message_en: str
    cells: tuple[FindingCell, ...] = ()
    expected: object = None
    actual: object = None
    location: object = None  # a report.Location or a path, for findings about a place rather than a cell
    fingerprint: str = ""

    def text(self, lang: str = "zh") -> str:
        return self.message if lang == "zh" else self.message_en

    @property
    def place(self):
        """The place the finding is about (a sentence, a row of text, a file), else its first cell's."""
        if self.location:
            return self.location
        for cell in self.cells:
            if cell.location:
                return cell.location
        return None

    @property
    def where(self) -> str | None:
        """``place`` as text: ``path!sheet!cell`` or ``path:line``."""
        place = self.place
        return None if place is None else str(place)

    def to_dict(self, lang: str = "zh") -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.text(lang),
            "cells": [cell.to_dict(lang) for cell in self.cells],
            "expected": self.expected,
            "actual": self.actual,
            "location": location_dict(self.place),
            "fingerprint": self.fingerprint,
        }


def fingerprint(code: str, rule: str | None, cells: list[str], report_key: str, extra: str = "") -> str:
    """Stable across runs and machines: rule, cells and the report's identity, never locations."""
    text = "|".join([code, rule or "", ",".join(sorted(cells)), report_key, extra])
    return sha1(text.encode("utf-8")).hexdigest()[:16]


def count(findings) -> dict[str, int]:
    totals = {"errors": 0, "warnings": 0, "info": 0}
    for finding in findings:
        key = {"error": "errors", "warning": "warnings", "info": "info"}[finding.severity]
        totals[key] += 1
    return totals
