"""How a comparison of years looks to people (Blocks) and in CSV/TSV (records)."""

from __future__ import annotations

from functools import lru_cache

from gdstat.catalog import load_format
from gdstat.catalog.crosswalk import format_order
from gdstat.render import Block, cell_text
from gdstat.messages import say
from gdstat.render.views import findings_block

QUALITY = {"same": ("相同", "same"), "close": ("相近", "close"), "approximate": ("近似", "approximate"),
           "none": ("无对应", "none")}


@lru_cache(maxsize=None)
def t(key: str, lang: str, **params) -> str:
    """A label or note of the comparison, from the message catalogue (kept: a table asks for the
    same few, such as 未填报, hundreds of times)."""
    return say(f"diff.{key}", lang, **params)


def quality(value: str | None, lang: str) -> str:
    return "" if value is None else QUALITY[value][0 if lang == "zh" else 1]


def entry_text(entry, lang: str) -> str:
    if entry.status == "no-counterpart":
        return t("none", lang)
    if entry.value is None:
        return entry.raw or t("blank", lang)
    return cell_text(entry.value)


def signed(value) -> str:
    if value is None:
        return ""
    text = cell_text(value)
    return text if text.startswith("-") or value == 0 else f"+{text}"


def percent_text(step, lang: str) -> str:
    if step.new:
        return t("new", lang)
    return f"{signed(step.percent)}%" if step.percent is not None else ""


def _table_title(comparison, table_id: str, lang: str) -> str:
    """The table's heading, from the newest format that has it."""
    for fmt in sorted({r.format for r in comparison.reports}, key=format_order, reverse=True):
        for table in load_format(fmt).tables:
            if table.id == table_id:
                if lang != "zh":
                    return table.label_en
                return f"{table.section} {table.caption}" if table.section and table.caption else (table.section or table.label)
    return table_id


def _note(row) -> str:
    return "；".join(row.notes)


def diff_blocks(comparison, lang: str, spark: bool = True) -> list[Block]:
    from gdstat.diff import sparkline
    from gdstat.rules import count

    labels = comparison.labels
    two = len(comparison.reports) == 2
    head = Block(t("reports", lang), [], [])
    head.rows = [[label, f"{r.agency or '—'} · {r.format} · {r.source.path}"] for label, r in zip(labels, comparison.reports)]
    blocks = [head]

    def value_row(row, points: bool = False) -> list[str]:
        cells = [row.label, row.unit or ""] + [entry_text(e, lang) for e in row.entries]
        if two:
            step = row.steps[0]
            cells += [signed(step.change)] + ([] if points else [percent_text(step, lang)])
            cells += ["⚠" if step.flagged else ""]
        else:
            if spark:
                cells.append(sparkline(row.values))
            cells.append("⚠" if row.flagged else "")
        return cells + [quality(row.quality, lang), _note(row)]

    def headers(points: bool = False) -> list[str]:
        base = [t("indicator", lang), t("unit", lang), *labels]
        if two:
            base += [t("points", lang)] if points else [t("change", lang), t("percent", lang)]
        elif spark:
            base.append(t("trend", lang))
        return base + [t("flag", lang), t("quality", lang), t("note", lang)]

    numeric = set(range(2, 2 + len(labels) + (2 if two else 0)))
    compared = comparison.shown("compared")
    by_table: dict = {}
    for row in compared:
        by_table.setdefault(row.table, []).append(row)
    for table_id, rows in by_table.items():
        blocks.append(Block(_table_title(comparison, table_id, lang), headers(), [value_row(r) for r in rows], right=numeric))
    unmatched = comparison.shown("unmatched")
    if unmatched:
        blocks.append(Block(t("unmatched", lang), [t("indicator", lang), t("format", lang), t("unit", lang), *labels,
                                                   t("note", lang)],
                            [[r.label, r.format, r.unit or "", *(entry_text(e, lang) for e in r.entries), _note(r)]
                             for r in unmatched], right=set(range(3, 3 + len(labels)))))
    derived = comparison.shown("derived")
    if derived:
        blocks.append(Block(t("derived", lang), headers(points=True), [value_row(r, points=True) for r in derived],
                            right=set(range(2, 2 + len(labels) + (1 if two else 0)))))
    notes = []
    flagged = sum(r.flagged for r in comparison.shown())
    if flagged:
        th = comparison.threshold
        notes.append(t("flagged", lang, percent=cell_text(th.percent), units=cell_text(th.units), n=flagged))
    if comparison.hidden:
        notes.append(t("hidden", lang, n=comparison.hidden,
                               changed=t("hidden_changed", lang) if comparison.changed_only else ""))
    if not compared and not unmatched and not derived:
        notes.insert(0, t("nothing", lang))
    if notes:
        blocks.append(Block(None, [], [], note="\n".join(notes)))
    blocks.append(findings_block(comparison.findings, count(comparison.findings), lang, comparison.passed_over))
    return blocks


def diff_records(comparison, lang: str):
    """One line per shown row: values by report, then the change and percent of every step."""
    labels = comparison.labels
    steps = [f"{a}→{b}" for a, b in zip(labels, labels[1:])]
    headers = ["section", "id", "label", "unit", "quality", *labels]
    for name in steps:
        headers += [f"change {name}", f"percent {name}", f"flagged {name}"]
    headers.append("note")
    rows = []
    for row in comparison.shown():
        line = [row.section, row.id, row.label if lang == "zh" else row.label_en, row.unit, row.quality, *row.values]
        for step in row.steps:
            line += [step.change, "new" if step.new else step.percent, "yes" if step.flagged else ""]
        line.append("; ".join(row.notes))
        rows.append(line)
    return headers, rows
