"""The crosswalk (formats.md §6) as data: every id exists, and every entry drives a comparison."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from importlib import resources

import pytest

from gdstat.catalog import load_format
from gdstat.catalog.crosswalk import QUALITIES, load_crosswalk, worst
from gdstat.diff import compare
from gdstat.report import Report, Source, Value

FORMATS = ("legacy", "2019", "2021")
RAW = tomllib.loads(resources.files("gdstat.catalog").joinpath("crosswalk.toml").read_text(encoding="utf-8"))
LINKS = RAW["links"]


def report(format_id: str, values: dict, year: int) -> Report:
    return Report(Source(f"{format_id}-{year}.xlsx", "xlsx"), format_id, "示范区", year,
                  {cid: Value(cid, v, "number", str(v)) for cid, v in values.items()})


def test_every_id_exists_in_its_format():
    for link in LINKS:
        assert link["quality"] in QUALITIES
        assert FORMATS.index(link["to"]) == FORMATS.index(link["from"]) + 1, link
        assert link["source"] or link["target"], link
        for cid in link["source"]:
            assert cid in load_format(link["from"]).cells, (link["from"], cid)
        for cid in link["target"]:
            assert cid in load_format(link["to"]).cells, (link["to"], cid)
        assert (link["quality"] == "none") == (not link["source"] or not link["target"]), link
    for table in RAW["same_ids"]:
        load_format("2019").table(table)
        load_format("2021").table(table)


def test_every_cell_of_an_older_format_is_accounted_for():
    """No cell disappears silently: each is in a link, in a same_ids table, or reported as not in the crosswalk."""
    crosswalk = load_crosswalk()
    for older, newer in (("legacy", "2019"), ("2019", "2021")):
        sources = {c for m in crosswalk.chain(older, newer) for c in m.source}
        assert sources == set(load_format(older).cells)


def test_worst_quality_of_a_chain():
    assert worst(["same", "close"]) == "close"
    assert worst(["approximate", "same"]) == "approximate"
    assert worst([]) == "same"


def _groups():
    """Links of each step grouped by target as the crosswalk file describes it (independent of the loader)."""
    groups = {}
    for link in LINKS:
        if not link["source"] or not link["target"]:
            continue
        key = (link["from"], link["to"], frozenset(link["target"]),
               tuple(link["source"]) if link.get("separate") else None)
        groups.setdefault(key, []).append(link)
    return groups


GROUPS = _groups()


@pytest.mark.parametrize("key", list(GROUPS), ids=lambda k: f"{k[0]}>{k[1]}:{'+'.join(sorted(k[2]))[:60]}")
def test_every_linked_entry_is_compared_with_its_quality(key):
    source_format, target_format, target, tag = key
    links = GROUPS[key]
    sources = [c for link in links for c in link["source"]]
    older = {cid: 3 + i for i, cid in enumerate(sources)}
    newer = {cid: 100 + i for i, cid in enumerate(sorted(target))}
    result = compare([report(source_format, older, 2018), report(target_format, newer, 2019)], show_all=True)
    rows = [r for r in result.rows if r.section == "compared" and set(r.cells) == set(target)
            and (tag is None or r.entries[0].sources == tag)]
    assert rows, key
    row = rows[0] if tag is not None else next(r for r in rows if set(r.entries[0].sources) == set(sources))
    assert row.values == [sum(older.values()), sum(newer.values())]
    expected_quality = worst(link["quality"] for link in links)
    assert row.quality == expected_quality
    for link in links:
        assert link["note"] in row.notes


@pytest.mark.parametrize("link", [l for l in LINKS if not l["target"]], ids=lambda l: "+".join(l["source"]))
def test_every_dropped_cell_is_listed_apart_with_its_note(link):
    older = {cid: 7 for cid in link["source"]}
    result = compare([report(link["from"], older, 2018), report(link["to"], {}, 2019)])
    rows = [r for r in result.shown("unmatched") if r.cells == tuple(link["source"])]
    assert len(rows) == 1
    assert rows[0].values == [7, None]
    assert rows[0].entries[1].status == "no-counterpart"
    assert link["note"] in rows[0].notes


@pytest.mark.parametrize("link", [l for l in LINKS if not l["source"]], ids=lambda l: "+".join(l["target"]))
def test_every_new_cell_is_listed_apart_with_its_note(link):
    newer = {cid: 4 for cid in link["target"]}
    result = compare([report(link["from"], {}, 2020), report(link["to"], newer, 2021)])
    rows = [r for r in result.shown("unmatched") if r.cells == tuple(link["target"])]
    assert len(rows) == 1 and rows[0].values == [None, 4]
    assert link["note"] in rows[0].notes


def test_same_ids_tables_map_cell_to_cell():
    cells = [cid for cid, cell in load_format("2019").cells.items()
             if cell.table.id in RAW["same_ids"] and cid in load_format("2021").cells
             and not any(cid in l["source"] for l in LINKS)]
    assert cells
    values = {cid: i + 1 for i, cid in enumerate(cells)}
    result = compare([report("2019", values, 2020), report("2021", values, 2021)])
    by_id = {r.id: r for r in result.rows}
    for cid in cells:
        assert by_id[cid].quality == "same" and by_id[cid].values == [values[cid]] * 2


def test_legacy_reaches_2021_through_2019():
    """告知作出更改补充数 → 补正后仍不明确 + （六）其他处理 → the three 2021 sub-rows: chained, approximate."""
    legacy = report("legacy", {"legacy.apply.replies.amend_notice": 9}, 2018)
    targets = ["outcome.unavailable.unclear@total", "outcome.other.no_correction@total",
               "outcome.other.fee_unpaid@total", "outcome.other.other@total"]
    newer = report("2021", {c: Decimal(i + 1) for i, c in enumerate(targets)}, 2021)
    result = compare([legacy, newer])
    row = next(r for r in result.rows if set(r.cells) == set(targets))
    assert row.values == [9, 10] and row.quality == "approximate"
    assert any("2021 年三个子项之和" in n for n in row.notes)


def test_an_intermediate_format_fills_a_legacy_group_from_its_own_cells():
    """With 2017 legacy, 2019 and 2021, the 2019 report gives 不予公开 1–8 as the sum of its eight cells."""
    withheld = [c for c in load_format("2019").cells if c.startswith("outcome.withheld.") and c.endswith("@total")]
    assert len(withheld) == 8
    reports = [report("legacy", {"legacy.apply.replies.refused": 5}, 2018),
               report("2019", {c: 1 for c in withheld}, 2019),
               report("2021", {c: 2 for c in withheld}, 2020)]
    result = compare(reports)
    row = next(r for r in result.rows if set(r.cells) == set(withheld) and r.section == "compared")
    assert row.values == [5, 8, 16]
