"""Make the example sheets: the real 北仑区 2018 table and the fictional 示范区 of 2017–2023,
with the 2023 sheets of its units (departments and streets), which sum to the district's 2023 sheet;
and the fictional district's published reports, made from its sheets.

Run from the project root:  python examples/make_examples.py           (the sheets)
                            python examples/make_examples.py reports   (the reports: needs LibreOffice)
The files are committed; run this again only when the writer or the data below changes.
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

from gdstat.catalog import load_format
from gdstat.writers.layout import build
from gdstat.writers.xlsx import draw, save

HERE = Path(__file__).resolve().parent

# 宁波市北仑区（开发区）2018年度政府信息公开工作年度报告, 附件 "2018年度政府信息公开工作情况统计表",
# as published (public government data). Values by the row codes of the legacy format.
BEILUN_2018 = {
    "L1.1": 12683, "L1.1a": 13, "L1.1b": 13,
    "L1.2.1": 81, "L1.2.2": 20381, "L1.2.3": 15337, "L1.2.4": 10285, "L1.2.5": 5083,
    "L2.1": 21, "L2.2.1": 3, "L2.2.1a": 3, "L2.2.2": 0, "L2.2.2a": 0, "L2.2.3": 27, "L2.2.4": 19, "L2.2.5": 5,
    "L3.1": 72, "L3.1.1": 0, "L3.1.2": 0, "L3.1.3": 58, "L3.1.4": 14,
    "L3.2": 72, "L3.2.1": 72, "L3.2.2": 0,
    "L3.3": 72, "L3.3.1": 3, "L3.3.2": 56, "L3.3.3": 3, "L3.3.4": 1,
    "L3.3.4a": 0, "L3.3.4b": 0, "L3.3.4c": 0, "L3.3.4d": 0, "L3.3.4e": 1, "L3.3.4f": 0,
    "L3.3.5": 1, "L3.3.6": 5, "L3.3.7": 3, "L3.3.8": 0,
    "L4": 0, "L4.1": 0, "L4.2": 0, "L4.3": 0,
    "L5": 0, "L5.1": 0, "L5.2": 0, "L5.3": 0,
    "L6": 0, "L7": 0,
    "L8.1": 0, "L8.2": 5, "L8.3": 62, "L8.3.1": 0, "L8.3.2": 62, "L8.4": 27,
    "L9.1": 10, "L9.2": 5, "L9.3": 382,
}

DEMO_AGENCY = "示范市示范区人民政府"
# Fictional units of the district: (file stem, agency, size relative to the whole district).
DEMO_UNITS = (
    ("dept-development", "示范区发展和改革局", 0.2),
    ("dept-education", "示范区教育局", 0.2),
    ("dept-planning", "示范区自然资源和规划分局", 0.2),
    ("street-donghu", "示范区东湖街道办事处", 0.1),
    ("street-xishan", "示范区西山街道办事处", 0.1),
    ("street-nanling", "示范区南岭街道办事处", 0.1),
)


def by_code(format_id: str, codes: dict) -> dict:
    rows = {row.code: row.id for row in load_format(format_id).rows.values()}
    return {rows[code]: value for code, value in codes.items()}


def write(path: Path, format_id: str, agency: str, year: int, values: dict) -> None:
    layout = build(load_format(format_id), agency, year)
    save(draw(layout, values), path, force=True)
    print(f"wrote {path.relative_to(HERE.parent)}")


# ----------------------------------------------------------------------------- fictional data


def split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` cut into ``parts`` non-negative whole numbers."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def demo_legacy(rng: random.Random) -> dict:
    c: dict[str, int | Decimal] = {}
    channels = [rng.randint(0, 300), rng.randint(3000, 6000), rng.randint(500, 2000), rng.randint(800, 2500), rng.randint(0, 400)]
    for code, n in zip(("L1.2.1", "L1.2.2", "L1.2.3", "L1.2.4", "L1.2.5"), channels):
        c[code] = n
    c["L1.1"] = max(channels) + rng.randint(0, sum(channels) - max(channels))
    c["L1.1b"] = rng.randint(5, 20)
    c["L1.1a"] = rng.randint(0, c["L1.1b"])
    c["L2.1"] = rng.randint(5, 30)
    c["L2.2.1"] = rng.randint(2, 12)
    c["L2.2.1a"] = rng.randint(0, c["L2.2.1"])
    c["L2.2.2"] = rng.randint(0, 6)
    c["L2.2.2a"] = rng.randint(0, c["L2.2.2"])
    c["L2.2.3"], c["L2.2.4"], c["L2.2.5"] = rng.randint(10, 40), rng.randint(5, 30), rng.randint(0, 10)
    received = rng.randint(40, 120)
    c["L3.1"] = received
    c["L3.1.1"], c["L3.1.2"], c["L3.1.3"], c["L3.1.4"] = split(rng, received, 4)
    c["L3.2"] = c["L3.3"] = received
    c["L3.2.2"] = rng.randint(0, 3)
    c["L3.2.1"] = received - c["L3.2.2"]
    refused = rng.randint(0, 4)
    rest = split(rng, received - refused, 7)
    for code, n in zip(("L3.3.1", "L3.3.2", "L3.3.3", "L3.3.5", "L3.3.6", "L3.3.7", "L3.3.8"), rest):
        c[code] = n
    c["L3.3.4"] = refused
    for code, n in zip("abcdef", split(rng, refused, 6)):
        c[f"L3.3.4{code}"] = n
    for total_code in ("L4", "L5"):
        total = rng.randint(0, 5)
        c[total_code] = total
        for i, n in enumerate(split(rng, total, 3), start=1):
            c[f"{total_code}.{i}"] = n
    c["L6"] = rng.randint(0, 8)
    c["L7"] = 0
    c["L8.1"], c["L8.2"] = 1, rng.randint(2, 8)
    c["L8.3.1"], c["L8.3.2"] = rng.randint(1, 4), rng.randint(20, 60)
    c["L8.3"] = c["L8.3.1"] + c["L8.3.2"]
    c["L8.4"] = Decimal(rng.randint(50, 400)) / 10
    c["L9.1"], c["L9.2"] = rng.randint(2, 10), rng.randint(1, 6)
    c["L9.3"] = rng.randint(50, 400)
    return by_code("legacy", c)


def demo_requests(rng: random.Random, format_id: str, carried_over: dict[str, int] | None, size: float = 1) -> dict:
    """Table B per column, consistent: N-01, N-02, N-03; carried_over from last year's B4."""
    fmt = load_format(format_id)
    table = fmt.table("requests")
    outcome_parts = next(r for r in fmt.rules if r.id == "N-03").get("parts")
    scale = {"natural_person": 60, "business": 12, "research": 2, "public_interest": 2, "legal_services": 4, "other_org": 3}
    scale = {column: max(1, int(n * size)) for column, n in scale.items()}
    v: dict[str, int] = {}
    for column in table.columns:
        if column.id == "total":
            continue
        weights = [40, 6] + [1] * (len(outcome_parts) - 2)
        outcomes = [0] * len(outcome_parts)
        for _ in range(rng.randint(scale[column.id] // 2, scale[column.id])):
            outcomes[rng.choices(range(len(outcome_parts)), weights)[0]] += 1
        over = (carried_over or {}).get(column.id, rng.randint(0, max(1, scale[column.id] // 10)))
        if sum(outcomes) < over:
            outcomes[0] += over - sum(outcomes)
        forward = rng.randint(0, max(1, scale[column.id] // 10))
        for part, n in zip(outcome_parts, outcomes):
            v[f"{part}@{column.id}"] = n
        v[f"outcome.total@{column.id}"] = sum(outcomes)
        v[f"requests.carried_over@{column.id}"] = over
        v[f"requests.carried_forward@{column.id}"] = forward
        v[f"requests.new@{column.id}"] = sum(outcomes) + forward - over
    for row in table.data_rows:
        v[f"{row.id}@total"] = sum(v[f"{row.id}@{c.id}"] for c in table.columns if c.id != "total")
    return v


def demo_review(rng: random.Random) -> dict:
    v = {}
    for group, top in (("review", 6), ("litigation.direct", 4), ("litigation.after_review", 2)):
        parts = split(rng, rng.randint(0, top), 4)
        for column, n in zip(("upheld", "corrected", "other", "pending"), parts):
            v[f"{group}@{column}"] = n
        v[f"{group}@total"] = sum(parts)
    return v


def demo_2019(rng: random.Random, carried_over) -> dict:
    v = {}
    for row in ("regulations.rules", "regulations.normative"):
        created = 0 if row.endswith("rules") else rng.randint(3, 12)
        v[f"{row}@created"], v[f"{row}@published"] = created, created
        v[f"{row}@published_total"] = 0 if row.endswith("rules") else created + rng.randint(30, 60)
    for row in ("licensing.permits", "licensing.other_services", "enforcement.penalties", "enforcement.coercion"):
        v[f"{row}@prior_items"] = rng.randint(20, 200)
        v[f"{row}@change"] = rng.randint(-8, 8)
        v[f"{row}@decisions"] = rng.randint(100, 3000)
    v["fees.admin@prior_items"], v["fees.admin@change"] = rng.randint(3, 12), rng.randint(-2, 1)
    v["procurement.central@projects"] = rng.randint(5, 40)
    v["procurement.central@amount"] = Decimal(rng.randint(1000, 90000)) / 10
    return {**v, **demo_requests(rng, "2019", carried_over), **demo_review(rng)}


def demo_2021(rng: random.Random, carried_over, in_force, size: float = 1) -> dict:
    def randint(low: int, high: int) -> int:
        return rng.randint(int(low * size), int(high * size))

    v = {}
    for row in ("regulations.rules", "regulations.normative"):
        issued = 0 if row.endswith("rules") else randint(3, 12)
        repealed = 0 if row.endswith("rules") else randint(0, 4)
        repealed = min(repealed, in_force.get(row, 0) + issued)  # a unit cannot repeal more than it has
        v[f"{row}@issued"], v[f"{row}@repealed"] = issued, repealed
        v[f"{row}@in_force"] = in_force.get(row, 0) + issued - repealed
    v["licensing.permits@decisions"] = randint(500, 3000)
    v["enforcement.penalties@decisions"] = randint(100, 900)
    v["enforcement.coercion@decisions"] = randint(0, 60)
    v["fees.admin@amount"] = Decimal(randint(100, 9000)) / 100
    return {**v, **demo_requests(rng, "2021", carried_over, size), **demo_review(rng)}


def demo_units(rng: random.Random, carried_over: dict[str, int], in_force: dict[str, int]) -> list[dict]:
    """The units' 2021-format sheets of one year. Last year's district figures (carried over,
    regulations in force) are shared out among them, so their sum continues the district's series.
    """
    shares = len(DEMO_UNITS)
    carried = {column: split(rng, n, shares) for column, n in carried_over.items()}
    stock = {row: split(rng, n, shares) for row, n in in_force.items()}
    units = []
    for i, (_, _, size) in enumerate(DEMO_UNITS):
        units.append(demo_2021(rng, {c: parts[i] for c, parts in carried.items()},
                               {row: parts[i] for row, parts in stock.items()}, size))
    return units


def add_up(sheets: list[dict]) -> dict:
    return {cell_id: sum(sheet[cell_id] for sheet in sheets) for cell_id in sheets[0]}


def carried_forward(values: dict) -> dict[str, int]:
    prefix = "requests.carried_forward@"
    return {k[len(prefix):]: v for k, v in values.items() if k.startswith(prefix) and not k.endswith("@total")}


def main() -> int:
    write(HERE / "beilun-2018.xlsx", "legacy", "宁波市北仑区（开发区）", 2018, by_code("legacy", BEILUN_2018))
    rng = random.Random(20171231)
    demo = HERE / "demo-district"
    carried = None
    in_force = {"regulations.normative": 48}
    for year in range(2017, 2024):
        if year <= 2018:
            values, fmt = demo_legacy(rng), "legacy"
        elif year <= 2020:
            values, fmt = demo_2019(rng, carried), "2019"
        elif year < 2023:
            values, fmt = demo_2021(rng, carried, in_force), "2021"
            in_force = {row: values[f"{row}@in_force"] for row in ("regulations.rules", "regulations.normative")}
        else:  # the district's 2023 sheet is the sum of its units' sheets
            units, fmt = demo_units(rng, carried, in_force), "2021"
            for (stem, agency, _), unit in zip(DEMO_UNITS, units):
                write(demo / f"units-{year}" / f"{stem}.xlsx", fmt, agency, year, unit)
            values = add_up(units)
        if fmt != "legacy":
            carried = carried_forward(values)
        write(demo / f"{year}.xlsx", fmt, DEMO_AGENCY, year, values)
    return 0


# ----------------------------------------------------------------------------- the published reports


def report_html(sheet: Path) -> str:
    """The district's annual report as its web page publishes it: title, prose whose figures agree
    with the table, and the statistics tables in the official layout (rowspans and colspans)."""
    from html import escape

    from gdstat import load
    from gdstat.render import cell_text

    report = load(sheet)
    layout = build(load_format(report.format), report.agency, report.year)
    values = {cid: cell_text(v.value) if v.value is not None else v.raw for cid, v in report.values.items()}
    number = report.number
    received, disclosed = number("requests.new@total"), number("outcome.disclosed@total")
    reviews = number("review@total")
    prose = [
        f"本年报根据《中华人民共和国政府信息公开条例》要求编制，数据统计期限为{report.year}年1月1日至12月31日。",
        "一、总体情况",
        f"{report.year}年，本机关共收到政府信息公开申请{received}件，予以公开{disclosed}件，均在法定期限内答复。",
    ]
    if reviews is not None:
        prose.append(f"因政府信息公开被申请行政复议{reviews}件。")
    body = [f"<h1>{escape(report.agency)}{report.year}年政府信息公开工作年度报告</h1>",
            *(f"<p>{escape(p)}</p>" for p in prose)]
    anchors = {(c.row, c.col): c for c in layout.cells}
    covered = {(r, c) for r1, c1, r2, c2 in layout.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    rows: list[str] = []

    def flush() -> None:
        if rows:
            body.append('<table border="1" cellspacing="0" cellpadding="4">\n' + "\n".join(rows) + "\n</table>")
            rows.clear()

    for r in range(2, max(c.to_row or c.row for c in layout.cells) + 1):
        placed = [anchors.get((r, c)) for c in range(1, layout.width + 1)]
        first = next((p for p in placed if p is not None), None)
        if first is not None and first.role in ("title", "section"):
            flush()
            body.append(f"<p><strong>{escape(first.text)}</strong></p>")
            continue
        cells = []
        for c, cell in enumerate(placed, start=1):
            if cell is None:
                if (r, c) not in covered:
                    cells.append("<td></td>")
                continue
            text = values.get(cell.cell_id, "") if cell.cell_id else (cell.text or "")
            span = f' rowspan="{cell.to_row - r + 1}"' if cell.to_row > r else ""
            span += f' colspan="{cell.to_col - c + 1}"' if cell.to_col > c else ""
            cells.append(f"<td{span}>{escape(str(text))}</td>")
        if any(cell != "<td></td>" for cell in cells):
            rows.append("<tr>" + "".join(cells) + "</tr>")
        elif rows:  # a blank line between tables
            flush()
    flush()
    body.append("<p><strong>五、存在的主要问题及改进情况</strong></p><p>本机关将继续提高政府信息公开质量。</p>")
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{escape(report.agency)}{report.year}年政府信息公开工作年度报告</title></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def reports() -> int:
    """report-2023.html from the 2023 sheet, then LibreOffice prints it to PDF; report-2022.docx is
    the 2022 page saved as Word by LibreOffice."""
    import shutil
    import subprocess
    import tempfile

    demo = HERE / "demo-district"
    folder = HERE / "demo-reports"  # beside the sheets, not among them: a scan of the sheets' folder reads sheets only
    folder.mkdir(exist_ok=True)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        print("LibreOffice (soffice) is needed to print the PDF and the .docx", file=sys.stderr)
        return 1
    (folder / "report-2023.html").write_text(report_html(demo / "2023.xlsx"), encoding="utf-8")
    print("wrote examples/demo-reports/report-2023.html")
    with tempfile.TemporaryDirectory() as temp:
        (Path(temp) / "report-2022.html").write_text(report_html(demo / "2022.xlsx"), encoding="utf-8")
        for source, target in ((folder / "report-2023.html", "pdf:writer_web_pdf_Export"),
                               (Path(temp) / "report-2022.html", "docx:MS Word 2007 XML")):
            subprocess.run([office, "--headless", "--infilter=HTML (StarWriter)", "--convert-to", target,
                            "--outdir", temp, str(source)], check=True, capture_output=True)
        shutil.copy(Path(temp) / "report-2023.pdf", folder / "report-2023.pdf")
        shutil.copy(Path(temp) / "report-2022.docx", folder / "report-2022.docx")
    print("wrote examples/demo-reports/report-2023.pdf and report-2022.docx")
    return 0


if __name__ == "__main__":
    sys.exit(reports() if sys.argv[1:] == ["reports"] else main())
