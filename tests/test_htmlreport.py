"""``gdstat report``: the HTML pages, their numbers against ``summarize -f json``, escaping, the kinds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import BEILUN, DEMO, EXAMPLES
from gdstat import load
from gdstat.cli import app
from htmlpage import parse

runner = CliRunner()
XSS = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"


def report(*args):
    return runner.invoke(app, ["report", *map(str, args)])


def written(path) -> str:
    return path.read_text(encoding="utf-8")


def test_one_report_has_the_numbers_shares_and_findings_of_summarize_json(tmp_path):
    out = tmp_path / "b.html"
    proc = subprocess.run([sys.executable, "-m", "gdstat", "report", str(BEILUN), "-o", str(out), "-f", "json"],
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["kind"] == "report"
    data = json.loads(subprocess.run([sys.executable, "-m", "gdstat", "summarize", str(BEILUN), "-f", "json"],
                                     capture_output=True, text=True, encoding="utf-8").stdout)
    page = parse(written(out))
    cells = {td.attrs["data-id"]: td.find("span", cls="value").text for td in page.find_all("td", data_id=True)}
    official = [v for v in data["values"] if not v["subtotal"]]
    assert set(cells) == {v["id"] for v in official}
    for value in official:
        expected = str(value["value"]) if value["kind"] == "number" else (value["raw"] or "").strip() or "未填"
        assert cells[value["id"]] == expected, value["id"]
    shares = {tr.attrs["data-metric"]: tr.find("td", cls="share").text for tr in page.find_all("tr", data_metric=True)}
    assert shares == {d["id"]: (str(d["value"]) if d["value"] is not None else "—") for d in data["derived"]}
    items = page.find_all("li", data_fingerprint=True)
    assert [(li.attrs["data-fingerprint"], li.attrs["data-code"], li.attrs["data-severity"], li.find("span", cls="message").text)
            for li in items] == [(f["fingerprint"], f["code"], f["severity"], f["message"]) for f in data["findings"]]
    assert len(items) == 2  # LG-10 twice: the channels exceed the deduplicated total


def test_cells_named_by_findings_are_highlighted_and_linked_both_ways(sheet_writer, demo_values, tmp_path):
    values = dict(demo_values["2021"])
    values["outcome.disclosed@natural_person"] += 5  # the column total no longer adds up
    path = sheet_writer("2021", values)
    out = tmp_path / "r.html"
    assert report(path, "-o", out).exit_code == 0
    page = parse(written(out))
    items = page.find_all("li", data_code="sum-mismatch")
    assert items and all(li.attrs["data-severity"] == "error" for li in items)
    for li in items:
        number = li.attrs["id"].removeprefix("f-")
        for link in li.find_all("a"):
            target = page.find("td", id=link.attrs["href"][1:])
            assert "sev-error" in target.classes
            assert li.find("span", cls="message").text in target.attrs["title"]
            assert number in [a.text for a in target.find_all("a")]
    total = page.find("td", id="c-outcome.total@natural_person")
    assert "sev-error" in total.classes
    assert total.find("span", cls="recomputed").text == f"≠ 复核 {values['outcome.total@natural_person'] + 5}"


def test_not_reported_cells_are_not_zero(sheet_writer, demo_values, tmp_path):
    values = dict(demo_values["2021"])
    del values["fees.admin@amount"]
    out = tmp_path / "r.html"
    assert report(sheet_writer("2021", values), "-o", out).exit_code == 0
    page = parse(written(out))
    blank = page.find("td", id="c-fees.admin@amount")
    assert "missing" in blank.classes or "blank" in blank.classes
    assert blank.text == "未填" and blank.attrs["title"] == "未填报"
    zero = [td for td in page.find_all("td", data_id=True) if td.find("span", cls="value").text == "0"]
    assert zero and all("number" in td.classes for td in zero)


def test_names_from_published_pages_stay_text(sheet_writer, demo_values, tmp_path):
    """An agency named <script>…</script> (read from the title) is escaped on all three pages."""
    hostile = sheet_writer("2021", demo_values["2021"], agency=XSS, year=2022)
    assert load(hostile).agency == XSS
    folder = tmp_path / "many"
    folder.mkdir()
    shutil.copy(hostile, folder / "2022.xlsx")
    shutil.copy(DEMO / "2021.xlsx", folder / f"{IMG}.xlsx")  # file names are shown too
    shutil.copy(DEMO / "2023.xlsx", folder / "2023.xlsx")
    pages = []
    for args in ([hostile], [folder / "2022.xlsx", folder / "2023.xlsx"], [folder]):
        out = tmp_path / f"page{len(pages)}.html"
        result = report(*args, "-o", out)
        assert result.exit_code == 0, result.output
        pages.append(written(out))
    assert "&lt;img src=x onerror=alert(2)&gt;" in pages[2]
    for html in pages:
        assert XSS not in html and "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert html.count("<script>") <= 1  # the dashboard's own sorting script, nothing else


def test_the_kind_follows_the_inputs(tmp_path, monkeypatch):
    kinds = {}
    monkeypatch.chdir(DEMO)
    for name, args in {"report": ["2023.xlsx"], "trend": ["2021", "2022", "2023"],
                       "review": [str(EXAMPLES)]}.items():
        out = tmp_path / f"{name}.html"
        result = report(*args, "-o", out, "-f", "json")
        assert result.exit_code == 0, result.output
        kinds[name] = json.loads(result.stdout)["kind"]
    assert kinds == {"report": "report", "trend": "trend", "review": "review"}


def test_trend_page_has_the_diff_of_the_last_two_years_and_the_format_change(tmp_path):
    from gdstat.diff import diff

    out = tmp_path / "t.html"
    result = report(*(str(DEMO / f"{y}.xlsx") for y in range(2017, 2024)), "-o", out)
    assert result.exit_code == 0, result.output
    page = parse(written(out))
    last = diff([DEMO / "2022.xlsx", DEMO / "2023.xlsx"])
    rows = {tr.attrs["data-row"]: tr for tr in page.find("table", cls="diff").find_all("tr", data_row=True)}
    shown = last.shown("compared") + last.shown("derived")
    assert list(rows) == [r.id for r in shown]
    for row in shown:
        assert ("flagged" in rows[row.id].classes) == row.flagged
        assert ("⚠" in rows[row.id].text) == row.flagged
    assert any(r.flagged for r in shown)
    charts = page.find_all("figure", cls="chart-line")
    assert len(charts) >= 6
    assert all("2019 格式" in f.text and "2021 格式" in f.text for f in charts)  # the format changes, marked
    assert "本年新收政府信息公开申请" in page.text and "公开率（予以公开 + 部分公开）" in page.text  # text, not paths


def test_dashboard_coverage_outliers_and_agency_sections(tmp_path):
    out = tmp_path / "r.html"
    bad = tmp_path / "2020-broken.xlsx"
    bad.write_bytes(b"not a workbook")
    result = report(EXAMPLES, bad, "-o", out)
    assert result.exit_code == 3, result.output  # an unreadable input, as in validate and batch; the page is written
    page = parse(written(out))
    coverage = page.find("table", cls="coverage")
    rows = {tr.find("td").text: [td.attrs.get("data-status") for td in tr.find_all("td", cls="cov")]
            for tr in coverage.find_all("tr")[1:]}
    assert rows["示范市示范区人民政府"] == ["clean"] * 7
    assert rows["宁波市北仑区（开发区）"] == ["missing", "warnings"] + ["missing"] * 5
    assert "无法读取" in coverage.text and str(bad) in coverage.text
    agencies = page.find("table", cls="agencies").find_all("tr")[1:]
    assert len(agencies) == 8
    for tr in agencies:
        target = tr.find("a").attrs["href"][1:]
        assert page.find("section", id=target).find("h3").text == tr.find("a").text


def test_pages_written_among_the_reports_are_not_read_as_reports(tmp_path):
    folder = tmp_path / "reports"
    shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("units-*", "reports"))
    first = folder / "review.html"
    assert report(folder, "-o", first, "-f", "json").exit_code == 0
    again = report(folder, "-o", tmp_path / "again.html", "-f", "json")
    assert json.loads(again.stdout)["inputs"] == json.loads(report(folder, "-o", tmp_path / "b.html", "-f", "json").stdout)["inputs"] == 7
    assert str(first) not in written(tmp_path / "again.html")
    named = runner.invoke(app, ["summarize", str(first), "--lang", "en"])
    assert named.exit_code == 3 and "an HTML page gdstat report wrote, not a report" in named.stderr
    named = runner.invoke(app, ["summarize", str(first), "--lang", "zh"])
    assert "gdstat report 写出的 HTML 页面，不是报告" in named.stderr


def test_an_empty_folder_is_no_input(tmp_path):
    (tmp_path / "empty").mkdir()
    result = report(tmp_path / "empty", "-o", tmp_path / "r.html", "--lang", "en")
    assert result.exit_code == 3
    assert result.stderr.startswith("gdstat: error: no input files found\n")
    assert not (tmp_path / "r.html").exists()


def test_modified_z_flags_a_share_far_from_the_peers():
    from gdstat.htmlreport.dashboard import CUTOFF, modified_z

    z = modified_z([50.0, 52.0, 48.0, 51.0, 49.0, 95.0])
    assert [abs(v) > CUTOFF for v in z] == [False] * 5 + [True]
    assert round(z[-1], 2) == round(0.6745 * (95 - 50.5) / 1.5, 2)
    assert modified_z([50.0, 60.0, 70.0, 80.0]) == [None] * 4  # too few peers
    assert modified_z([50.0] * 6) == [None] * 6  # no spread: nothing to measure against


def test_existing_output_needs_force_and_input_is_untouched(tmp_path):
    out = tmp_path / "b.html"
    out.write_text("keep", encoding="utf-8")
    before = BEILUN.read_bytes()
    result = report(BEILUN, "-o", out)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert written(out) == "keep"
    result = report(BEILUN, "-o", out, "--force", "--lang", "en")
    assert result.exit_code == 0
    assert result.stderr == f"gdstat: wrote {out}: an HTML report (one report, 1 input; 0 errors, 2 warnings, 0 notes)\n"
    assert written(out).startswith("<!DOCTYPE html>") and BEILUN.read_bytes() == before


def test_missing_extra_is_one_line_with_the_install_command(monkeypatch, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    result = report(BEILUN, "-o", tmp_path / "b.html", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["gdstat: error: gdstat report needs the optional report extra (matplotlib missing)",
                                          "gdstat: hint: install it with: pip install 'gdstat[report]'"]
    result = report(BEILUN, "-o", tmp_path / "b.html", "--lang", "zh")
    assert result.stderr.splitlines() == ["gdstat: 错误: gdstat report 需要可选组件 report（缺少 matplotlib）",
                                          "gdstat: 提示: 安装：pip install 'gdstat[report]'"]
    assert not (tmp_path / "b.html").exists()


def test_help_imports_neither_jinja2_nor_matplotlib():
    code = ("import sys; from gdstat.cli import main\n"
            "try: main(['--help'])\nexcept SystemExit: pass\n"
            "print(sorted(m for m in ('jinja2', 'matplotlib', 'gdstat.htmlreport') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"
    assert "report" in proc.stdout


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet"])
def test_a_batch_dataset_gives_the_dashboard_of_its_files(suffix, tmp_path):
    dataset = tmp_path / f"all.{suffix}"
    assert runner.invoke(app, ["batch", str(EXAMPLES), "-o", str(dataset), "-q"]).exit_code == 0
    pages = {}
    for name, source in (("direct", EXAMPLES), ("dataset", dataset)):
        out = tmp_path / f"{name}.html"
        result = report(source, "-o", out, "-f", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["kind"] == "review"
        table = parse(written(out)).find("table", cls="agencies")
        pages[name] = [[td.text for td in tr.find_all("td")] for tr in table.find_all("tr")[1:]]
    assert pages["dataset"] == pages["direct"]
    assert len(pages["direct"]) == 8


def test_dashboard_marks_the_share_far_from_its_peers(sheet_writer, demo_values, tmp_path):
    folder = tmp_path / "peers"
    folder.mkdir()
    base = demo_values["2021"]
    for i, moved in enumerate([0, 1, -1, 2, -2, 0, -25]):  # the last one discloses far less
        values = dict(base)
        values["outcome.disclosed@total"] += moved
        values["outcome.partial@total"] -= moved
        values["outcome.disclosed@natural_person"] += moved
        values["outcome.partial@natural_person"] -= moved
        sheet = sheet_writer("2021", values, agency=f"示范区第{i + 1}局", year=2022)
        sheet.rename(folder / f"unit{i}.xlsx")
    out = tmp_path / "r.html"
    assert report(folder, "-o", out).exit_code == 0
    page = parse(written(out))
    flagged = {(td.parent.find("a").text, td.attrs["data-metric"]) for td in page.find_all("td", cls="outlier")}
    assert flagged == {("示范区第7局", "share.disclosed")}  # 公开率 is unchanged: the move is within it
    assert "修正 z 分数" in page.find("td", cls="outlier").attrs["title"]
