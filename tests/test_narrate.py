"""gdstat narrate: prose written from the table, read back by gdstat's own narrative check."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from gdstat import load
from gdstat.catalog import load_format
from gdstat.cli import app
from gdstat.io.narrative import check_narrative, read_figures
from gdstat.narrate import narrate, narrate_input
from gdstat.report import Report, Source, Value
from gdstat.rules import check

from conftest import BEILUN, DEMO

DIGITS = re.compile(r"\d+(?:\.\d+)?")


def paragraph_lines(narrative, text: str) -> list[tuple[int, str]]:
    """(line number, line) of the prose paragraphs of a rendered narrative (not the title or headings)."""
    paragraphs = {s.paragraph for s in narrative.sections}
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip("\u3000") in paragraphs]


def assert_read_back(narrative, markdown: bool = False) -> list:
    """The check finds no mismatch and reads back every figure of the prose, each agreeing with the table."""
    report, previous = narrative.report, narrative.previous
    fmt = load_format(report.format)
    text = narrative.text(markdown=markdown)
    assert check_narrative(text, fmt, report.values, "narrate.txt", previous=previous) == []
    figures = read_figures(text, fmt, report.values, previous)
    assert all(f.agrees is True for f in figures), [(f.claim.id, f.kind, f.stated, f.expected) for f in figures if f.agrees is not True]
    lines = paragraph_lines(narrative, text)
    assert len(lines) == len(narrative.sections)
    for number, line in lines:
        read = [f.span for f in figures if f.line == number]
        for digits in DIGITS.finditer(line):
            assert any(a <= digits.start() and digits.end() <= b for a, b in read), \
                f"not read back: {digits.group(0)!r} in {line[max(0, digits.start() - 30):digits.end() + 5]!r}"
    return figures


# ----------------------------------------------------------------------------- the demo district and 北仑区


@pytest.mark.parametrize("year, previous, fmt", [
    (2018, 2017, "legacy"), (2020, 2019, "2019"), (2023, 2022, "2021"), (2021, 2020, "2021"), (2019, None, "2019"),
])
@pytest.mark.parametrize("markdown", [False, True])
def test_the_check_reads_back_every_figure(year, previous, fmt, markdown):
    report = load(DEMO / f"{year}.xlsx")
    before = load(DEMO / f"{previous}.xlsx") if previous else None
    narrative = narrate(report, before)
    assert report.format == fmt
    figures = assert_read_back(narrative, markdown)
    kinds = {f.kind for f in figures}
    assert {"value", "share"} <= kinds and (("change" in kinds) is (previous is not None))


def test_beilun_reads_back():
    assert_read_back(narrate(load(BEILUN)))


def test_a_wrong_figure_in_the_prose_is_a_mismatch():
    """The round trip can fail: a figure changed in the prose is caught, and so are its share and change."""
    report, before = load(DEMO / "2023.xlsx"), load(DEMO / "2022.xlsx")
    fmt = load_format("2021")
    text = narrate(report, before).text()
    for right, wrong in (("予以公开29件", "予以公开28件"), ("占55.8%", "占55.9%"), ("自然人33件", "自然人34件"),
                         ("较上年减少10件", "较上年减少11件"), ("结果纠正6件", "结果纠正5件")):
        assert right in text
        notes = check_narrative(text.replace(right, wrong), fmt, report.values, "t.txt", previous=before)
        assert [n.code for n in notes] == ["narrative-mismatch"], (right, notes)


# The 2018 北仑区 report's own prose about its table (examples/beilun-2018.xlsx is that table): the
# sentences as published (宁波市北仑区（开发区）2018年度政府信息公开工作年度报告), with the cells and values they state.
BEILUN_PROSE = [
    ("2018年1月1日至2018年12月31日，区本级及各网络单位共计主动公开各类政府信息12683条。", {"legacy.active.total": 12683}),
    ("2018年，全区各政务公开网络单位共受理政府信息公开申请72件, 没有发生一起因政府信息公开引起的行政复议和行政诉讼。",
     {"legacy.apply.received": 72, "legacy.review": 0, "legacy.litigation": 0}),
    ("截至2018年12月31日，72件政府信息公开申请已全部依法按期办结并答复申请人。",
     {"legacy.apply.concluded": 72, "legacy.apply.concluded.on_time": 72, "legacy.apply.replies": 72}),
    ("截至2018年12月31日，区政府及各工作部门未就群众查阅或申请公开政府信息进行收费。", {"legacy.fees": 0}),
    ("截至2018年12月31日，我区未发生因区政府政府信息公开引起的行政复议案件和行政诉讼案件。",
     {"legacy.review": 0, "legacy.litigation": 0}),
]


@pytest.mark.parametrize("sentence, stated", BEILUN_PROSE)
def test_every_figure_of_the_beilun_prose_is_in_the_generated_prose(sentence, stated):
    report = load(BEILUN)
    for cid, value in stated.items():
        assert report.number(cid) == value  # the published prose agrees with its table
    narrative = narrate(report)
    cited = {}
    for section in narrative.sections:
        for s in section.sentences:
            for cell in s.cells:
                cited.setdefault(cell["id"], []).append(s.text)
    for cid, value in stated.items():
        assert cid in cited, cid
        if value:
            assert any(re.search(rf"(?<!\d){value}(?:件|条)", text) for text in cited[cid]), (cid, cited[cid])
        else:  # zero is said in words (未发生, 未…收取), never as a blank or a figure
            assert any("未" in text and not DIGITS.search(text) for text in cited[cid]), (cid, cited[cid])


def test_the_published_beilun_sentences_pass_the_check():
    report = load(BEILUN)
    text = "\n".join(s for s, _ in BEILUN_PROSE)
    assert check_narrative(text, load_format("legacy"), report.values, "beilun.txt") == []


# ----------------------------------------------------------------------------- random consistent reports


def _numbers(draw, fmt, low=0, high=30):
    out = {}
    for cid, cell in fmt.cells.items():
        if cell.number == "signed":
            out[cid] = draw(st.integers(-high, high))
        elif cell.number == "decimal":
            out[cid] = Decimal(draw(st.integers(0, 100_000))) / 100
        else:
            out[cid] = draw(st.one_of(st.just(0), st.integers(low, high)))
    return out


def _consistent(draw, format_id: str, year: int) -> Report:
    """A report whose every sum, total and balance holds; some cells randomly left blank."""
    fmt = load_format(format_id)
    v = _numbers(draw, fmt)
    for cid in v:
        if cid.endswith("@change"):  # 本年增/减 cannot take more items away than there were
            v[cid] = max(v[cid], -v[cid.replace("@change", "@prior_items")])
    if format_id == "legacy":
        for _ in range(2):  # LG-04 feeds LG-03
            for rule in fmt.rules:
                if rule.kind == "sum":
                    v[rule.get("total")] = sum(v[p] for p in rule.get("parts"))
        v["legacy.active.total"] = max(v["legacy.active.total"], v["legacy.active.normative"])
        for leaders, whole in (("press_conferences.leaders", "press_conferences"), ("interviews.leaders", "interviews")):
            v[f"legacy.response.{leaders}"] = min(v[f"legacy.response.{leaders}"], v[f"legacy.response.{whole}"])
    else:
        sums = {r.get("total"): r.get("parts") for r in fmt.rules if r.kind == "sum" and r.get("table") == "requests"}
        columns = [c.id for c in fmt.table("requests").columns if c.id != "total"]
        for col in columns:
            for total, parts in sums.items():
                v[f"{total}@{col}"] = sum(v[f"{p}@{col}"] for p in parts)
            handled, forward = v[f"outcome.total@{col}"], v[f"requests.carried_forward@{col}"]
            carried = min(v[f"requests.carried_over@{col}"], handled + forward)
            v[f"requests.carried_over@{col}"] = carried
            v[f"requests.new@{col}"] = handled + forward - carried
        for row in fmt.table("requests").data_rows:
            v[f"{row.id}@total"] = sum(v[f"{row.id}@{c}"] for c in columns)
        for row in fmt.table("review").data_rows:
            v[f"{row.id}@total"] = sum(v[f"{row.id}@{c}"] for c in ("upheld", "corrected", "other", "pending"))
    blank = draw(st.sets(st.sampled_from(sorted(fmt.cells)), max_size=6))
    values = {cid: Value(cid, None, "blank", "") if cid in blank else Value(cid, n, "number", str(n))
              for cid, n in v.items()}
    report = Report(Source(f"{year}.xlsx", "xlsx"), format_id, "示范市示范区人民政府", year, values)
    assert not [f for f in check(report) if f.severity == "error" and f.code != "incomplete-sum"
                and not {getattr(c, "id", c) for c in f.cells} & blank]
    return report


@st.composite
def consistent_pair(draw, pairs):
    previous_format, format_id = draw(st.sampled_from(pairs))
    report = _consistent(draw, format_id, 2023)
    previous = _consistent(draw, previous_format, 2022) if draw(st.booleans()) else None
    return report, previous, draw(st.integers(0, 2))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(consistent_pair([("legacy", "legacy"), ("2019", "2019"), ("2019", "2021"), ("2021", "2021"), ("legacy", "2019")]))
def test_random_consistent_reports_are_read_back(case):
    report, previous, precision = case
    assert_read_back(narrate(report, previous, precision=precision))


# ----------------------------------------------------------------------------- rules of style


def _report(format_id: str, **numbers) -> Report:
    values = {}
    for cid, n in numbers.items():
        values[cid] = Value(cid, n, "number" if n is not None else "blank", "" if n is None else str(n))
    return Report(Source("t.xlsx", "xlsx"), format_id, None, 2023, values)


def test_zero_and_not_reported_are_different_sentences():
    zero = narrate(_report("2021", **{"review@total": 0, "review@upheld": 0, "review@corrected": 0,
                                      "review@other": 0, "review@pending": 0}))
    blank = narrate(_report("2021", **{"review@total": None, "review@upheld": 0}))
    (z,) = [s for sec in zero.sections for s in sec.sentences if s.id == "review"]
    (b,) = [s for sec in blank.sections for s in sec.sentences if s.id == "review"]
    assert z.text == "本年未发生政府信息公开行政复议案件。"
    assert "未填报" in b.text and "0件" not in b.text and "未发生" not in b.text
    assert [c["value"] for c in b.cells if c["id"] == "review@total"] == [None]


def test_an_empty_section_has_no_sentence():
    narrative = narrate(_report("2021", **{"requests.new@total": 5}))
    assert [s.id for s in narrative.sections] == ["requests"]


def test_parts_in_the_tables_order_with_shares_half_up():
    # 1/8 = 12.5% and 3/8 = 37.5%: at no decimals 四舍五入 gives 13% and 38% (Python's round() gives 12 and 38)
    numbers = {"requests.new@total": 8, "requests.new@natural_person": 1, "requests.new@business": 0,
               "requests.new@research": 3, "requests.new@public_interest": 4, "requests.new@legal_services": 0,
               "requests.new@other_org": 0}
    (sentence,) = [s for sec in narrate(_report("2021", **numbers), precision=0).sections for s in sec.sentences
                   if s.id == "requests.applicants"]
    assert sentence.text == "按申请人分：自然人1件、占13%，科研机构3件、占38%，社会公益组织4件、占50%。"
    shares = [d for d in sentence.derived if d["kind"] == "share"]
    assert [(d["numerator"], d["denominator"], d["value"]) for d in shares] == [(1, 8, 13), (3, 8, 38), (4, 8, 50)]


def test_changes_from_the_previous_year():
    def sentence(now, before):
        narrative = narrate(_report("2021", **{"requests.new@total": now}), _report_year("2021", 2022, **{"requests.new@total": before}))
        return narrative.sections[0].sentences[0].text

    assert sentence(12, 10) == "本年新收政府信息公开申请12件，较上年增加2件、增长20.0%。"
    assert sentence(9, 12) == "本年新收政府信息公开申请9件，较上年减少3件、下降25.0%。"
    assert sentence(7, 7) == "本年新收政府信息公开申请7件，与上年持平。"
    assert sentence(4, 0) == "本年新收政府信息公开申请4件，较上年新增。"
    assert sentence(4, None) == "本年新收政府信息公开申请4件。"


def _report_year(format_id: str, year: int, **numbers) -> Report:
    report = _report(format_id, **numbers)
    return Report(report.source, format_id, None, year, report.values)


def test_across_the_format_change_only_exact_mappings_are_compared():
    report, before = load(DEMO / "2019.xlsx"), load(DEMO / "2018.xlsx")  # 2019 format after legacy
    narrative = narrate(report, before)
    changes = [d for sec in narrative.sections for s in sec.sentences for d in s.derived if d["kind"] == "change"]
    assert changes == []  # legacy → 2019 maps 收到申请数 only closely: no 较上年
    assert not any("较上年" in s.paragraph for s in narrative.sections) and "legacy" in narrative.notes[0]
    report, before = load(DEMO / "2021.xlsx"), load(DEMO / "2020.xlsx")  # 2021 after 2019: Table B and C map exactly
    changes = [d for sec in narrate(report, before).sections for s in sec.sentences for d in s.derived if d["kind"] == "change"]
    assert changes and all(d["quality"] == "same" and d["previous_format"] == "2019" for d in changes)
    other = next(d for d in changes if d["label"] == "其他处理")
    assert other["previous_cells"] == ["outcome.other@total"]
    assert other["cells"] == ["outcome.other.no_correction@total", "outcome.other.fee_unpaid@total", "outcome.other.other@total"]


def test_units_are_the_tables():
    text = narrate(load(DEMO / "2023.xlsx")).text()
    assert "行政事业性收费金额56.19万元" in text and "本年新收政府信息公开申请61件" in text
    text = narrate(load(BEILUN)).text()
    assert "主动公开政府信息12683条" in text and "发布政策解读稿件27篇" in text and "接受培训人员382人次" in text


def test_english_states_the_same_figures():
    report = load(DEMO / "2023.xlsx")
    zh, en = narrate(report, load(DEMO / "2022.xlsx")), narrate(report, load(DEMO / "2022.xlsx"), lang="en")
    assert [s.id for s in zh.sections] == [s.id for s in en.sections]
    for a, b in zip(zh.sections, en.sections):
        assert [[(c["id"], c["value"]) for c in s.cells] for s in a.sentences] == \
            [[(c["id"], c["value"]) for c in s.cells] for s in b.sentences]
        assert sorted(DIGITS.findall(a.paragraph)) == sorted(DIGITS.findall(b.paragraph.replace("(10,000 yuan)", "")))
    assert "New requests received this year: 61, the same as the previous year." in en.text()
    assert not re.search(r"[\u4e00-\u9fff]", "\n".join(s.paragraph for s in en.sections))


# ----------------------------------------------------------------------------- the command


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_json_is_the_library_call(monkeypatch):
    monkeypatch.chdir(DEMO)
    result = run("narrate", "2023", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = json.loads(json.dumps(narrate_input("2023").to_dict(), ensure_ascii=False, default=float))
    assert data == expected
    assert data["previous"]["source"]["path"] == "2022.xlsx" and data["report"]["year"] == 2023
    sentence = next(s for sec in data["sections"] for s in sec["sentences"] if s["id"] == "outcome")
    assert sentence["text"].startswith("按办理结果分：予以公开29件、占55.8%")
    share = next(d for d in sentence["derived"] if d["kind"] == "share")
    assert share == {"kind": "share", "id": "share.disclosed", "label": "予以公开", "numerator": 29, "denominator": 52,
                     "cells": ["outcome.disclosed@total"], "of": ["outcome.total@total"], "value": 55.8, "unit": "%"}
    total = next(c for c in sentence["cells"] if c["id"] == "outcome.total@total")
    assert (total["label"], total["value"]) == ("（七）总计（总计）", 52)
    assert total["location"].startswith("2023.xlsx!统计表!") and re.fullmatch(r"[A-Z]+\d+", total["location"].rsplit("!", 1)[1])


def test_plain_markdown_and_english(monkeypatch):
    monkeypatch.chdir(DEMO)
    plain = run("narrate", "2023", "--no-previous").stdout
    markdown = run("narrate", "2023", "-f", "markdown", "--no-previous").stdout
    english = run("narrate", "2023", "--lang", "en", "--previous", "2022").stdout
    assert plain.splitlines()[2] == "二、主动公开政府信息情况" and "较上年" not in plain
    assert "## 三、收到和处理政府信息公开申请情况" in markdown and "\u3000" not in markdown
    assert "## 3." not in english and "3. Requests for government information received and handled" in english
    assert "New requests received this year: 61, the same as the previous year." in english


@pytest.mark.parametrize("args, code, message", [
    (("2023", "-f", "csv"), 2, "narrate writes prose"),
    (("2023", "-o", "n.csv"), 2, "narrate writes prose"),
    (("2023", "--with-table"), 2, "--with-table needs a .docx output"),
    (("2023", "-o", "x.docx", "-f", "json"), 2, "is a Word document, but -f says json"),
    (("2023", "--previous", "2022", "--no-previous"), 2, "disagree"),
    (("2023", "--previous", "2024"), 2, "2024"),
    (("2030",), 2, "no data file"),
    (("missing.xlsx",), 3, "missing.xlsx"),
])
def test_usage_and_input_errors_are_one_line(monkeypatch, args, code, message):
    monkeypatch.chdir(DEMO)
    result = run("narrate", *args, "--lang", "en")
    assert result.exit_code == code, result.output
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_later_previous_year_is_refused(monkeypatch):
    monkeypatch.chdir(DEMO)
    result = run("narrate", "2022", "--previous", "2023", "--lang", "en")
    assert result.exit_code == 2 and "not earlier" in result.stderr


def test_docx_without_python_docx_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.chdir(DEMO)
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx raises ImportError
    result = run("narrate", "2023", "-o", tmp_path / "r.docx")
    assert result.exit_code == 2 and "pip install 'gdstat[docx]'" in result.stderr and "docx" in result.stderr.splitlines()[0]
    assert not (tmp_path / "r.docx").exists()


def _mm(length) -> float:
    return round(length / 36000, 1)  # EMU per mm


def test_docx_is_laid_out_as_an_official_document(monkeypatch, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    monkeypatch.chdir(DEMO)
    out = tmp_path / "2023.docx"
    assert run("narrate", "2023", "-o", out, "--with-table").exit_code == 0
    document = Document(str(out))
    section = document.sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    assert [_mm(m) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    paragraphs = [p for p in document.paragraphs if p.text]
    fonts = {}
    for p in paragraphs:  # the first use of a text: a table's heading may repeat its section's
        fonts.setdefault(p.text, (p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")), p.runs[0].font.size.pt))
    narrative = narrate_input("2023")
    for part in narrative.sections:
        assert fonts[part.heading] == ("黑体", 16)
        assert fonts[part.paragraph] == ("仿宋_GB2312", 16)
    assert fonts[narrative.title][0] == "方正小标宋简体"
    assert any(font == "楷体_GB2312" for font, _ in fonts.values())  # the tables' headings
    assert len(document.tables) == len([t for t in load_format("2021").tables])
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "1921" in cells and "56.19" in cells
    # the prose comes first, the tables after it
    body = [el.tag.rsplit("}", 1)[1] for el in document.element.body]
    assert body.index("tbl") > max(i for i, p in enumerate(document.paragraphs) if p.text == narrative.sections[-1].paragraph)
    assert not list(tmp_path.glob(".*.tmp"))


def test_docx_without_the_table(monkeypatch, tmp_path):
    from docx import Document

    monkeypatch.chdir(DEMO)
    out = tmp_path / "2023.docx"
    assert run("narrate", "2023", "-o", out).exit_code == 0
    assert Document(str(out)).tables == []
    assert run("narrate", "2023", "-o", out).exit_code == 2  # exists: --force to replace
    assert run("narrate", "2023", "-o", out, "--force").exit_code == 0


def test_narrate_from_a_fresh_folder_through_a_subprocess(tmp_path):
    import shutil

    for year in (2022, 2023):
        shutil.copy(DEMO / f"{year}.xlsx", tmp_path / f"{year}.xlsx")
    subprocess.run([sys.executable, "-m", "gdstat", "narrate", "2023", "-o", "2023.docx"], cwd=tmp_path,
                   check=True, capture_output=True)
    from docx import Document

    text = "\n".join(p.text for p in Document(str(tmp_path / "2023.docx")).paragraphs)
    assert "本年新收政府信息公开申请61件，与上年持平。" in text  # 2022 found beside 2023
    out = subprocess.run([sys.executable, "-m", "gdstat", "narrate", "2023.xlsx", "-f", "json"], cwd=tmp_path,
                         check=True, capture_output=True, text=True)
    assert json.loads(out.stdout)["previous"]["source"]["path"] == "2022.xlsx"


def test_two_agencies_are_never_compared():
    report, before = load(DEMO / "2023.xlsx"), load(DEMO / "2022.xlsx")
    other = Report(before.source, before.format, "另一个区人民政府", before.year, before.values)
    narrative = narrate(report, other)
    assert narrative.previous is None and "另一个区人民政府" in narrative.notes[0]
    assert not any("上年" in s.paragraph.replace("上年结转", "") for s in narrative.sections)
    same = Report(before.source, before.format, "示范市 示范区人民政府", before.year, before.values)  # spacing differs only
    assert narrate(report, same).previous is same


@pytest.mark.parametrize("source", [DEMO / "2023.xlsx", BEILUN])
def test_gdstat_reads_its_own_word_document_back(tmp_path, source):
    """The .docx with --with-table is a published report to gdstat: the same table, and prose the check agrees with."""
    out = tmp_path / "report.docx"
    assert run("narrate", source, "-o", out, "--with-table", "--no-previous").exit_code == 0
    original, read = load(source), load(out)
    assert (read.format, read.agency, read.year) == (original.format, original.agency, original.year)
    assert {c: v.value for c, v in read.values.items()} == {c: v.value for c, v in original.values.items()}
    assert not [n for n in read.notes if n.code == "narrative-mismatch"]
    assert read.source.kind == "docx"


def test_prose_that_disagrees_with_the_table_in_a_word_document_is_found(tmp_path):
    """The negative control: 2022's prose above 2023's table is read as narrative mismatches."""
    from dataclasses import replace

    from gdstat.writers.docx import write_docx

    this, last = load(DEMO / "2023.xlsx"), load(DEMO / "2022.xlsx")
    wrong = replace(narrate(this), sections=narrate(last).sections)
    write_docx(wrong, tmp_path / "wrong.docx", with_table=True)
    notes = [n for n in load(tmp_path / "wrong.docx").notes if n.code == "narrative-mismatch"]
    assert len(notes) >= 10 and any("予以公开" in n.message for n in notes)


def test_a_group_reported_as_one_subtotal_has_no_sentence_of_blanks():
    """A 2021 table that keeps the 2019 single row （六）其他处理 (as 洪泽区 2023 and 2024 do): the
    subtotal is the group's figure, and no sentence lists its three rows as 未填报."""
    base = {"outcome.total@total": 5, "outcome.disclosed@total": 3}
    for value in (0, 2):
        report = _report("2021", **base, **{"outcome.other@total": value})
        sentences = {s.id: s.text for sec in narrate(report).sections for s in sec.sentences}
        assert "outcome.other" not in sentences
        assert ("其他处理2件" in sentences["outcome"]) is (value == 2)
    detail = narrate(_report("2021", **base, **{"outcome.other.no_correction@total": 2, "outcome.other.fee_unpaid@total": None,
                                                 "outcome.other.other@total": 0}))
    (text,) = [s.text for sec in detail.sections for s in sec.sentences if s.id == "outcome.other"]
    assert text == "其他处理的申请中，申请人逾期不补正2件，申请人逾期未缴纳费用未填报。"


def test_a_document_narrate_wrote_is_not_counted_again_in_a_folder(tmp_path):
    """Its table is a copy of the report beside it: a folder scan passes it over (and -v says so),
    while named on its own it still reads back."""
    import shutil

    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(DEMO / "2023.xlsx", folder / "2023.xlsx")
    shutil.copy(DEMO / "2022.xlsx", folder / "2022.xlsx")
    made = run("narrate", folder / "2023.xlsx", "--previous", folder / "2022.xlsx", "-o", folder / "2023-prose.docx",
               "--with-table")
    assert made.exit_code == 0, made.stderr
    scanned = run("batch", folder, "-o", tmp_path / "all.csv", "-v", "--lang", "en")
    assert scanned.exit_code in (0, 1), scanned.stderr
    assert "2 files" in scanned.stderr and "a Word document gdstat narrate wrote" in scanned.stderr
    assert sorted({line.split(",")[0] for line in (tmp_path / "all.csv").read_text(encoding="utf-8").splitlines()[1:]}) \
        == sorted(str(folder / name) for name in ("2022.xlsx", "2023.xlsx"))
    prose, sheet = load(folder / "2023-prose.docx"), load(folder / "2023.xlsx")
    assert len(prose.values) > 100 and all(prose.number(cid) == sheet.number(cid) for cid in prose.values)
