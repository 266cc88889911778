"""The three kinds of page as headless Chromium renders them: the DOM after rendering, and a screenshot.

CI installs Debian's chromium (.ci/run) and sets CI=true: there a missing browser fails, never skips.
"""

from __future__ import annotations

import os

import pytest

from conftest import BEILUN, DEMO, EXAMPLES
from gdstat.catalog import load_format
from gdstat.htmlreport import browser, build
from htmlpage import parse

KINDS = {
    "report": [BEILUN],
    "trend": [DEMO / f"{year}.xlsx" for year in range(2017, 2024)],
    "review": [EXAMPLES],
}


@pytest.fixture(scope="module")
def chromium():
    found = browser.find()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it with apt-get")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for kind, inputs in KINDS.items():
        page = build(inputs)
        assert page.kind == kind
        out[kind] = folder / f"{kind}.html"
        out[kind].write_text(page.html, encoding="utf-8")
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_rendered_dom_has_tables_highlights_charts_and_working_links(kind, chromium, pages):
    dom = parse(browser.run(chromium, pages[kind], "--dump-dom"))
    ids = {e.attrs["id"] for e in dom.iter() if "id" in e.attrs}
    links = [a.attrs["href"][1:] for a in dom.find_all("a") if a.attrs.get("href", "").startswith("#")]
    assert links and all(target in ids for target in links)  # every in-page link lands somewhere
    svgs = dom.find_all("svg", cls="chart")
    assert svgs and all(svg.find_all("text") for svg in svgs)  # charts keep their labels as text
    if kind == "report":
        assert dom.find("table", cls="sheet").find_all("th")
        assert len(dom.find_all("td", data_id=True)) == len(load_format("legacy").cells)
        marked = dom.find_all("td", cls="sev-warning")
        assert {td.attrs["id"] for td in marked} == {"c-legacy.active.channels.website", "c-legacy.active.channels.weibo",
                                                     "c-legacy.active.total"}
        assert "同意公开占比 77.8%" in dom.find("figure", cls="chart-outcome").text
        channels = dom.find("figure", cls="chart-channels").text
        assert "政府网站公开占比（渠道合计）" in channels and "39.8%" in channels
    elif kind == "trend":
        assert len(dom.find_all("figure", cls="chart-line")) >= 6
        assert dom.find("table", cls="diff").find_all("tr", cls="flagged")
    else:
        assert len(dom.find("table", cls="agencies").find_all("tr")) == 1 + 8
        assert dom.find_all("td", data_status="warnings") and dom.find_all("td", data_status="missing")
        assert len(dom.find_all("section", cls="agency")) == 8


@pytest.mark.parametrize("kind", KINDS)
def test_screenshot_shows_a_page(kind, chromium, pages, tmp_path):
    from PIL import Image

    shot = tmp_path / f"{kind}.png"
    browser.run(chromium, pages[kind], f"--screenshot={shot}", "--window-size=1200,1600")
    with Image.open(shot) as image:
        assert image.size == (1200, 1600)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 50  # text, tables and charts drawn, not a blank page


def test_printed_on_a4_each_table_stays_on_one_page(chromium, tmp_path):
    """The table of requests, first row to last, on one A4 page. Its rows are found by their
    numbers, which any font prints (CI machines may have no Chinese font)."""
    import pdfplumber

    from gdstat import load

    source = DEMO / "2022.xlsx"
    page = tmp_path / "2022.html"
    page.write_text(build([source]).html, encoding="utf-8")
    pdf = tmp_path / "2022.pdf"
    browser.run(chromium, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    with pdfplumber.open(pdf) as document:
        sizes = {(round(p.width), round(p.height)) for p in document.pages}
        texts = [p.extract_text() or "" for p in document.pages]
    assert sizes == {(595, 842)} and len(texts) >= 2  # A4 portrait, in points
    report = load(source)
    columns = [c.id for c in load_format("2021").table("requests").columns]

    def line(row: str) -> str:
        return " ".join(str(report.number(f"{row}@{column}")) for column in columns)

    first, last = line("requests.new"), line("requests.carried_forward")
    pages = [i for i, text in enumerate(texts) if first in text]
    assert len(pages) == 1 and last in texts[pages[0]]
