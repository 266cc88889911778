"""Readers: from an input file to a Report.

The reader is chosen from the file's content (``sniff``), a grid of cells is read from it, and
``locate`` finds the official tables in the grid through the catalogue.
"""

from gdstat.io.read import read_report

__all__ = ["read_report"]
