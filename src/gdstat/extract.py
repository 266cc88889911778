"""``extract``: a published report's statistics tables as data, or as the official xlsx."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gdstat.report import Report
from gdstat.rules import Finding, check, count

# Output kinds by the output file's suffix.
SUFFIX_KIND = {".xlsx": "xlsx", ".csv": "csv", ".tsv": "tsv", ".json": "json", ".md": "markdown", ".txt": "plain"}


@dataclass(frozen=True)
class Extraction:
    report: Report
    findings: tuple[Finding, ...]

    def to_dict(self, lang: str = "zh") -> dict:
        from gdstat.api import envelope, report_header, value_records

        return {
            **envelope(),
            "source": self.report.source.to_dict(),
            "report": report_header(self.report),
            "values": value_records(self.report),
            "findings": [f.to_dict(lang) for f in self.findings],
            "summary": count(self.findings),
        }

    def records(self) -> tuple[list[str], list[list]]:
        """One row per official cell, read or not: the tidy form of the tables (api.CELL_COLUMNS)."""
        from gdstat.api import CELL_COLUMNS, cell_rows

        return list(CELL_COLUMNS), cell_rows(self.report)


def extract(path: str | Path, encoding: str | None = None, table_format: str | None = None) -> Extraction:
    """Read a report (any input kind) and check it: its values and what loading and the rules found."""
    from gdstat.api import load

    report = load(path, encoding=encoding, table_format=table_format)
    return Extraction(report, tuple(check(report)))


def write_xlsx(extraction: Extraction, out: str | Path, force: bool = False) -> Path:
    """The official statistics sheet of the report's format, filled with what was read."""
    from gdstat.writers.xlsx import write_report

    return write_report(extraction.report, out, force=force)
