"""Every rule of every format: it holds on consistent sheets, and breaking it in a real sheet gives a
finding with the rule's id that names the changed cell."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gdstat import load
from gdstat.catalog import format_ids, load_format
from gdstat.rules import check

CASES = [(fmt, rule.id) for fmt in format_ids() for rule in load_format(fmt).rules if rule.kind != "cross_year"]


def _cells(fmt, rule, ids):
    table = fmt.table(rule.get("table")) if rule.get("table") else None
    if rule.get("each_column") and table is not None:
        first = table.columns[0].id
        return [f"{i}@{first}" for i in ids]
    return list(ids)


def break_rule(fmt, rule, values: dict) -> tuple[dict, str]:
    """A copy of ``values`` that breaks ``rule``, and the cell that was changed."""
    v = dict(values)
    kind = rule.kind
    if kind == "sum":
        target = _cells(fmt, rule, [rule.get("total")])[0]
        v[target] = v[target] + 1
    elif kind == "row_total":
        table = fmt.table(rule.get("table"))
        target = f"{table.data_rows[0].id}@{rule.get('total_column')}"
        v[target] = v[target] + 1
    elif kind == "balance":
        target = _cells(fmt, rule, rule.get("right"))[-1]
        v[target] = v[target] + 1
    elif kind == "le":
        left = _cells(fmt, rule, rule.get("left", []))
        right = _cells(fmt, rule, rule.get("right"))
        limit = sum(v[c] for c in right) * Decimal(str(rule.get("factor", "1")))
        if left:
            target = left[0]
            v[target] = int(limit) + 1 + v[target] - sum(v[c] for c in left)
        else:  # 0 <= right: make the right side negative through its signed term
            target = next(c for c in right if fmt.cells[c].number == "signed")
            v[target] = -(sum(v[c] for c in right if c != target) + 1)
    elif kind == "bounds":
        target = rule.get("parts")[0]
        v[target] = v[rule.get("total")] + 1
    elif kind == "values":
        table = fmt.table(rule.get("tables")[0])
        target = table.cell_id(table.data_rows[0], table.columns[0] if table.columns else None)
        v[target] = -3
    elif kind == "zero_unless":
        target = rule.get("cells")[0]
        v[target] = 4
    elif kind == "unit":
        target = rule.get("cells")[0]
        v[target] = 250000
    else:  # pragma: no cover
        raise AssertionError(kind)
    return v, target


@pytest.mark.parametrize("format_id, rule_id", CASES)
def test_rule_holds_then_breaks(format_id, rule_id, demo_values, sheet_writer):
    fmt = load_format(format_id)
    rule = next(r for r in fmt.rules if r.id == rule_id)
    values = demo_values[format_id]
    holding = check(load(sheet_writer(format_id, values)))
    assert not [f for f in holding if f.rule == rule_id], f"{rule_id} fires on consistent data"

    broken, target = break_rule(fmt, rule, values)
    report = load(sheet_writer(format_id, broken))
    assert report.values[target].value == broken[target]
    findings = [f for f in check(report) if f.rule == rule_id]
    assert findings, f"{rule_id} not reported"
    named = [f for f in findings if target in {c.id for c in f.cells}]
    assert named, f"{rule_id}: no finding names {target}"
    finding = named[0]
    assert finding.severity == rule.severity
    cell = next(c for c in finding.cells if c.id == target)
    assert cell.location == report.values[target].location
    assert finding.message and finding.message_en and finding.fingerprint


def test_incomplete_sum_is_info_not_mismatch(demo_values, sheet_writer):
    values = dict(demo_values["legacy"])
    values["legacy.apply.received.fax"] = None
    findings = [f for f in check(load(sheet_writer("legacy", values))) if f.rule == "LG-01"]
    assert [(f.code, f.severity) for f in findings] == [("incomplete-sum", "info")]


def test_reported_parts_exceeding_total_is_a_mismatch_even_when_incomplete(demo_values, sheet_writer):
    values = dict(demo_values["legacy"])
    values["legacy.apply.received.fax"] = None
    values["legacy.apply.received.online"] = values["legacy.apply.received"] + 5
    findings = [f for f in check(load(sheet_writer("legacy", values))) if f.rule == "LG-01"]
    assert [f.code for f in findings] == ["sum-mismatch"]


def test_blank_total_column_is_incomplete_not_error(demo_values, sheet_writer):
    values = {k: (None if k.endswith("@total") and k.startswith(("requests.", "outcome.")) else v)
              for k, v in demo_values["2021"].items()}
    findings = check(load(sheet_writer("2021", values)))
    assert not [f for f in findings if f.severity == "error"]
    assert {f.code for f in findings if f.rule == "N-02"} == {"incomplete-sum"}


@pytest.mark.parametrize("raw, code", [("1.5", "not-integer"), ("约3件", "text-in-number-cell"), ("-2", "negative-count")])
def test_bad_cell_contents_are_findings(raw, code, demo_values, sheet_writer):
    values = dict(demo_values["legacy"])
    values["legacy.complaints"] = None
    path = sheet_writer("legacy", values)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb.active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "六、举报投诉数量")
    ws.cell(row, 3, raw)
    wb.save(path)
    findings = [f for f in check(load(path)) if f.code == code]
    assert len(findings) == 1
    assert findings[0].cells[0].id == "legacy.complaints"
    assert findings[0].severity == "error"


def test_money_may_have_decimals_counts_may_not(demo_values, sheet_writer):
    values = dict(demo_values["legacy"])
    values["legacy.capacity.budget"] = Decimal("12.75")
    assert not [f for f in check(load(sheet_writer("legacy", values))) if f.code == "not-integer"]


def test_signed_change_may_be_negative(demo_values, sheet_writer):
    values = dict(demo_values["2019"])
    values["licensing.permits@change"] = -2
    values["licensing.permits@prior_items"] = 10
    findings = check(load(sheet_writer("2019", values, year=2020)))
    assert not [f for f in findings if f.code == "negative-count"]


def test_rules_without_power_only_for_bodies_without_it(demo_values, sheet_writer):
    values = dict(demo_values["2021"])
    values["regulations.rules@issued"] = 2
    values["regulations.rules@in_force"] = values["regulations.rules@in_force"] + 2
    city = check(load(sheet_writer("2021", values, agency="示范市人民政府")))
    town = check(load(sheet_writer("2021", values, agency="示范县示范镇人民政府")))
    assert not [f for f in city if f.rule == "N-11"]
    assert [f for f in town if f.rule == "N-11"]


def test_fingerprints_are_stable_and_distinct(demo_values, sheet_writer):
    values = dict(demo_values["legacy"])
    values["legacy.apply.received"] += 1
    values["legacy.review"] += 1
    first = check(load(sheet_writer("legacy", values)))
    again = check(load(sheet_writer("legacy", values)))
    assert [f.fingerprint for f in first] == [f.fingerprint for f in again]
    assert len({f.fingerprint for f in first}) == len(first)
