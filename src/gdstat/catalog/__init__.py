"""The official table formats, read from the TOML files in ``formats/`` (see SCHEMA.md)."""

from gdstat.catalog.model import Cell, Column, Format, Metric, Row, Rule, Table, format_ids, load_format

__all__ = ["Cell", "Column", "Format", "Metric", "Row", "Rule", "Table", "format_ids", "load_format"]
