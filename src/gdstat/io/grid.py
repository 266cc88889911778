"""A sheet as a grid of raw cell values, whatever file it came from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Sheet:
    name: str | None
    rows: list[list]
    # For text inputs: the 1-based source line of each grid row (None for spreadsheets).
    lines: list[int] | None = None
