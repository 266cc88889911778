"""How each command's result looks to people (Blocks) and in CSV/TSV (records)."""

from __future__ import annotations

from gdstat.catalog import Format, Table, load_format
from gdstat.render import Block, cell_text
from gdstat.messages import localise, say
from gdstat.report import Value

SEVERITY = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}


def t(key: str, lang: str) -> str:
    """A label of gdstat's tables, from the message catalogue."""
    return say(f"label.{key}", lang)


def show(value: Value | None) -> str:
    """A cell as read: the number, the marker as written (``/``), quoted text, or empty."""
    if value is None:
        return ""
    if value.kind == "number":
        return cell_text(value.value) + (value.unit or "")
    if value.kind == "text":
        return f"“{value.raw.strip()}”"
    return value.raw.strip()


def show_total(value: Value | None, recomputed) -> str:
    shown = show(value)
    if recomputed is None:
        return shown
    if value is None or value.kind != "number":
        return f"{shown}（{cell_text(recomputed)}）" if shown else f"（{cell_text(recomputed)}）"
    if value.value != recomputed:
        return f"{shown} ≠ {cell_text(recomputed)}"
    return shown


def _recheck(value: Value | None, recomputed) -> str:
    """The recomputed total for the 复核 column, marked ≠ when it differs from the reported one."""
    if recomputed is None:
        return ""
    if value is not None and value.kind == "number" and value.value != recomputed:
        return f"≠ {cell_text(recomputed)}"
    return cell_text(recomputed)


def _table_title(table: Table, lang: str) -> str:
    if lang == "en":
        return table.label_en
    return table.label if not table.section or table.caption else f"{table.section}"


def _row_label(table: Table, row, lang: str) -> str:
    depth = len(table.row_path(row)) - 1
    label = row.label if lang == "zh" else row.label_en
    return "\u3000" * depth + label


def table_blocks(fmt: Format, values: dict[str, Value], totals: dict, lang: str) -> list[Block]:
    blocks = []
    for table in fmt.tables:
        if not any(table.cell_id(r, c) in values for r in table.data_rows for c in table.columns or (None,)):
            continue
        if not table.columns:
            rows = []
            for row in table.rows:
                if not row.is_data:
                    rows.append([_row_label(table, row, lang), "", "", ""])
                    continue
                cid = table.cell_id(row, None)
                rows.append([_row_label(table, row, lang), row.unit or "", show(values.get(cid)),
                             _recheck(values.get(cid), totals.get(cid))])
            blocks.append(Block(_table_title(table, lang),
                                [t("indicator", lang), t("unit", lang), t("value", lang), t("recomputed", lang)],
                                rows, right={2, 3}))
            continue
        headers = [table.caption or "" if lang == "zh" else ""] + [
            c.label if lang == "zh" else c.label_en for c in table.columns]
        rows = []
        shown_rows = table.rows if table.layout != "strip" else table.data_rows
        for row in shown_rows:
            if not row.is_data:  # a group row: empty, unless the report put a subtotal there
                rows.append([_row_label(table, row, lang)] + [show(values.get(table.cell_id(row, c)))
                                                              for c in table.columns])
                continue
            label = _row_label(table, row, lang) if table.layout != "strip" else " / ".join(
                table.row_path(row) if lang == "zh" else [row.label_en])
            rows.append([label] + [show_total(values.get(table.cell_id(row, c)), totals.get(table.cell_id(row, c)))
                                   for c in table.columns])
        title = _table_title(table, lang)
        if table.caption and lang == "zh":
            title = f"{table.section} {table.caption}"
        blocks.append(Block(title, headers, rows, right=set(range(1, len(headers)))))
    return blocks


def findings_block(findings, counts: dict, lang: str, passed_over: int = 0) -> Block:
    rows = []
    for finding in findings:
        row = [SEVERITY[finding.severity][0 if lang == "zh" else 1], finding.code, finding.rule or "",
               finding.text(lang), finding.where or ""]
        rows.append(row)
    note = say("counts", lang, **counts)
    if passed_over:
        note += say("passed_over", lang, n=passed_over)
    if not rows:
        return Block(t("findings", lang), [], [],
                     note=f"{say('none_but_passed_over' if passed_over else 'none', lang)} {note}")
    return Block(t("findings", lang),
                 [t("severity", lang), t("code", lang), t("rule", lang), t("message", lang), t("where", lang)], rows, note=note)


def summary_blocks(summary, lang: str) -> list[Block]:
    report = summary.report
    fmt = load_format(report.format)
    sheet = report.source.sheet
    source = report.source.path + ((f"（{sheet}）" if lang == "zh" else f" (sheet {sheet})") if sheet else "")
    authority = f"（{fmt.authority}）" if lang == "zh" else f" ({fmt.authority})"
    head = Block(None, [], [])
    head.rows = [
        [t("agency", lang), report.agency or "—"],
        [t("year", lang), str(report.year or "—")],
        [t("format", lang), f"{fmt.id}: {fmt.name if lang == 'zh' else fmt.name_en}{authority}"],
        [t("source", lang), source],
    ]
    blocks = [head, *table_blocks(fmt, report.values, summary.totals, lang)]
    if any(b.rows and any("≠" in c or c.startswith("（") for r in b.rows for c in r[1:]) for b in blocks[1:]):
        blocks[-1].note = t("mismatch_note", lang)
    derived_rows = [[d.label if lang == "zh" else d.label_en, cell_text(d.numerator), cell_text(d.denominator),
                     cell_text(d.value) if d.value is not None else "—"] for d in summary.derived]
    blocks.append(Block(t("derived", lang), [t("metric", lang), t("numerator", lang), t("denominator", lang),
                                             t("share", lang)], derived_rows, right={1, 2, 3}))
    from gdstat.rules import count

    shown = [f for f in summary.findings if f.severity != "info"]
    blocks.append(findings_block(shown, count(summary.findings), lang, summary.passed_over))
    return blocks


def summary_records(summary, lang: str):
    """The cells (api.CELL_COLUMNS), then the derived shares as rows of kind ``derived``."""
    from gdstat.api import CELL_COLUMNS, cell_rows

    rows = cell_rows(summary.report)
    for d in summary.derived:
        rows.append([d.id, None, d.label if lang == "zh" else d.label_en, None, d.unit, d.value, "derived", None, None])
    return list(CELL_COLUMNS), rows


def validation_blocks(validation, lang: str) -> list[Block]:
    from gdstat.rules import count

    blocks = []
    for file in validation.files:
        if file.error is not None:
            blocks.append(Block(file.path, [], [], note=f"{say('unreadable', lang)}: {localise(str(file.error), lang)}"))
            continue
        block = findings_block(file.findings, count(file.findings), lang, file.passed_over)
        report = file.report
        block.title = f"{file.path} — {report.agency or ''} {report.year or ''} ({report.format})".replace("  ", " ")
        blocks.append(block)
    if len(validation.files) > 1:  # a reviewer checking many reports wants the bottom line
        counts = count(validation.findings)
        failing = sum(1 for file in validation.files if any(f.severity == "error" for f in file.findings))
        unreadable = len(validation.unreadable)
        line = say("validate.bottom", lang, files=len(validation.files), failing=failing, unreadable=unreadable,
                   counts=say("counts", lang, **counts))
        blocks.append(Block(None, [], [], note=line))
    return blocks


def validation_records(validation, lang: str):
    """One row per finding (api.SOURCE_COLUMNS + FINDING_COLUMNS); an unreadable file is one too."""
    from gdstat.api import FINDING_COLUMNS, SOURCE_COLUMNS, finding_row, source_head

    rows = []
    for file in validation.files:
        head = source_head(file.path, file.report)
        if file.error is not None:
            rows.append([*head, "error", "input-unreadable", None, file.path, localise(str(file.error), lang), None, None,
                         None])
        rows.extend([*head, *finding_row(f, lang)] for f in file.findings)
    return [*SOURCE_COLUMNS, *FINDING_COLUMNS], rows


# ----------------------------------------------------------------------------- the catalogue


def formats_blocks(formats, lang: str) -> list[Block]:
    rows = [[f.id, f.name if lang == "zh" else f.name_en, f.authority, f.years, str(len(f.cells)), str(len(f.rules))]
            for f in formats]
    headers = [t(key, lang) for key in ("id", "name", "authority", "years", "cells", "rules")]
    return [Block(None, headers, rows, right={4, 5})]


def formats_records(formats, lang: str):
    return ["id", "name", "authority", "years", "cells", "rules"], [
        [f.id, f.name if lang == "zh" else f.name_en, f.authority, f.years, len(f.cells), len(f.rules)] for f in formats]


def format_dict(fmt: Format) -> dict:
    return {
        "id": fmt.id, "name": fmt.name, "name_en": fmt.name_en, "authority": fmt.authority, "years": fmt.years,
        "tables": [{
            "id": table.id, "label": table.label, "label_en": table.label_en, "section": table.section,
            "caption": table.caption, "layout": table.layout,
            "columns": [{"id": c.id, "label": c.label, "label_en": c.label_en, "path": list(c.path or (c.label,))}
                        for c in table.columns],
            "rows": [{"id": r.id, "code": r.code, "label": r.label, "label_en": r.label_en, "unit": r.unit,
                      "kind": r.kind, "parent": r.parent, "number": r.number} for r in table.rows],
        } for table in fmt.tables],
        "rules": [{"id": r.id, "kind": r.kind, "severity": r.severity, "code": r.code, "text": r.text,
                   "text_en": r.text_en} for r in fmt.rules],
        "metrics": [{"id": m.id, "label": m.label, "label_en": m.label_en, "numerator": list(m.numerator),
                     "denominator": list(m.denominator)} for m in fmt.metrics],
    }


def format_blocks(fmt: Format, lang: str) -> list[Block]:
    blocks = [Block(f"{fmt.id}: {fmt.name if lang == 'zh' else fmt.name_en}（{fmt.authority}，{fmt.years}）", [], [])]
    for table in fmt.tables:
        rows = [[r.code, _row_label(table, r, lang), r.unit or "", r.id if r.is_data else ""] for r in table.rows]
        title = (table.section or "") + (" " + table.caption if table.caption else "") if lang == "zh" else table.label_en
        note = None
        if table.columns:
            note = ("列：" if lang == "zh" else "columns: ") + " · ".join(
                f"{c.label if lang == 'zh' else c.label_en} ({c.id})" for c in table.columns)
        blocks.append(Block(title or table.label, [t("code", lang), t("indicator", lang), t("unit", lang), t("id", lang)], rows, note=note))
    rules = [[r.id, SEVERITY[r.severity][0 if lang == "zh" else 1], r.code, r.text if lang == "zh" else r.text_en]
             for r in fmt.rules]
    blocks.append(Block(t("rules", lang), [t("rule", lang), t("severity", lang), t("code", lang),
                                                            t("message", lang)], rules))
    return blocks


def format_records(fmt: Format, lang: str):
    rows = []
    for cid, cell in fmt.cells.items():
        rows.append([cid, cell.table.id, cell.row.code, cell.row.label if lang == "zh" else cell.row.label_en,
                     (cell.column.label if lang == "zh" else cell.column.label_en) if cell.column else None, cell.unit])
    return ["id", "table", "code", "row", "column", "unit"], rows
