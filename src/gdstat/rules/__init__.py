"""Rules of the official formats, checked as data; findings as data."""

from gdstat.rules.engine import check, recomputed, sum_relations
from gdstat.rules.findings import Finding, FindingCell, count

__all__ = ["Finding", "FindingCell", "check", "count", "recomputed", "sum_relations"]
