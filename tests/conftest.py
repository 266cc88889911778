"""Shared fixtures. Terminal width and colour are pinned so CLI output does not depend on the machine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["COLUMNS"] = "200"
os.environ["NO_COLOR"] = "1"
os.environ.pop("FORCE_COLOR", None)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BEILUN = EXAMPLES / "beilun-2018.xlsx"
DEMO = EXAMPLES / "demo-district"


@pytest.fixture(scope="session")
def demo_values():
    """Consistent values of every format, read from the demo district's sheets: {format: {cell id: number}}."""
    from gdstat import load

    out = {}
    for year, fmt in ((2018, "legacy"), (2020, "2019"), (2022, "2021")):
        report = load(DEMO / f"{year}.xlsx")
        assert report.format == fmt
        out[fmt] = {cid: v.value for cid, v in report.values.items()}
    return out


def write_sheet(path: Path, format_id: str, values: dict, agency="示范市示范区人民政府", year=2022) -> Path:
    """The official sheet of a format with these values, through the writer."""
    from gdstat.catalog import load_format
    from gdstat.writers.layout import build
    from gdstat.writers.xlsx import draw

    workbook = draw(build(load_format(format_id), agency, year), values)
    workbook.save(path)
    return path


def wrong_beilun(folder: Path) -> Path:
    """A copy of the 北仑区 sheet whose 信函申请 reads 15 instead of 14: (一)收到申请数 72 then differs from
    the recomputed 73 (a sum-mismatch error)."""
    import shutil

    import openpyxl

    from gdstat import api

    copy = folder / "copy.xlsx"
    shutil.copy(BEILUN, copy)
    cell = api.load(copy).values["legacy.apply.received.letter"].location.cell
    workbook = openpyxl.load_workbook(copy)
    workbook.active[cell] = 15
    workbook.save(copy)
    return copy


@pytest.fixture
def sheet_writer(tmp_path):
    counter = iter(range(10_000))

    def make(format_id, values, **kw):
        return write_sheet(tmp_path / f"sheet{next(counter)}.xlsx", format_id, values, **kw)

    return make


@pytest.fixture
def english(monkeypatch):
    """Messages in English (GDSTAT_LANG), for tests that read them; the default is Chinese."""
    monkeypatch.setenv("GDSTAT_LANG", "en")
