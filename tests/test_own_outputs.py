"""gdstat reads what gdstat writes: its JSON and cell tables by cell id, exactly; its other
outputs refused with exit 3 naming what they are; batch passes over its own earlier outputs."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from gdstat import load
from gdstat.cli import app

from conftest import DEMO

runner = CliRunner()
SOURCE = DEMO / "2022.xlsx"


def numbers(report) -> dict:
    return {c: (v.kind, v.value) for c, v in report.values.items()}


@pytest.fixture(scope="module")
def original():
    return load(SOURCE)


@pytest.mark.parametrize("args", [
    ["extract", str(SOURCE), "-o", "{out}.json"],
    ["extract", str(SOURCE), "-o", "{out}.csv"],
    ["extract", str(SOURCE), "-o", "{out}.tsv"],
])
def test_extract_outputs_read_back_to_the_same_report(tmp_path, original, args):
    out = str(tmp_path / "e")
    result = runner.invoke(app, [a.format(out=out) for a in args])
    assert result.exit_code == 0, result.output
    path = args[-1].format(out=out)
    back = load(path)
    assert back.format == original.format
    assert numbers(back) == numbers(original)
    assert back.number("licensing.permits@decisions") == original.number("licensing.permits@decisions")


def test_summarize_json_of_an_extract_json_keeps_every_value(tmp_path, original):
    assert runner.invoke(app, ["extract", str(SOURCE), "-o", str(tmp_path / "e.json")]).exit_code == 0
    back = load(tmp_path / "e.json")
    assert (back.agency, back.year, back.source.kind) == (original.agency, original.year, "json")
    assert {c: v.placement for c, v in back.values.items()} == {c: v.placement for c, v in original.values.items()}
    result = runner.invoke(app, ["summarize", str(tmp_path / "e.json"), "-f", "csv"])
    assert result.exit_code == 0, result.output
    (tmp_path / "s.csv").write_text(result.stdout, encoding="utf-8")
    assert numbers(load(tmp_path / "s.csv")) == {c: kv for c, kv in numbers(original).items() if kv[0] != "blank"}


def test_a_one_report_batch_dataset_reads_back_with_its_agency_and_year(tmp_path, original):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SOURCE, folder / "2022.xlsx")
    assert runner.invoke(app, ["batch", str(folder), "-o", str(tmp_path / "all.csv"), "-q"]).exit_code == 0
    back = load(tmp_path / "all.csv")
    assert numbers(back) == numbers(original)
    assert (back.agency, back.year, back.format) == (original.agency, original.year, original.format)


@pytest.mark.parametrize("make, what", [
    (lambda tmp: ["validate", str(SOURCE), "-f", "json"], "findings file"),
    (lambda tmp: ["validate", str(SOURCE), "-f", "csv"], "findings file"),
    (lambda tmp: ["diff", str(DEMO / "2021.xlsx"), str(SOURCE), "-f", "json"], "diff output"),
    (lambda tmp: ["diff", str(DEMO / "2021.xlsx"), str(SOURCE), "-f", "csv"], "diff output"),
])
def test_other_outputs_are_refused_naming_what_they_are(tmp_path, make, what):
    result = runner.invoke(app, make(tmp_path))
    assert result.exit_code in (0, 1), result.output
    path = tmp_path / "out.txt"
    path.write_text(result.stdout, encoding="utf-8")
    refused = runner.invoke(app, ["summarize", str(path), "--lang", "en"])
    assert refused.exit_code == 3
    assert what in refused.stderr and "Traceback" not in refused.output


def test_a_dataset_of_many_reports_is_refused(tmp_path):
    assert runner.invoke(app, ["batch", str(DEMO), "-o", str(tmp_path / "all.csv"), "-q"]).exit_code in (0, 1)
    refused = runner.invoke(app, ["extract", str(tmp_path / "all.csv")])  # in Chinese by default
    assert refused.exit_code == 3 and "份报告，不是一份报告" in refused.stderr


def test_batch_passes_over_its_own_outputs_and_says_so(tmp_path):
    for year in (2021, 2022):
        shutil.copy(DEMO / f"{year}.xlsx", tmp_path / f"{year}.xlsx")
    args = ["batch", str(tmp_path), "-o", str(tmp_path / "all.csv"), "--findings", str(tmp_path / "findings.csv")]
    first = runner.invoke(app, args)
    assert first.exit_code in (0, 1), first.output
    rows = (tmp_path / "all.csv").read_text(encoding="utf-8")
    again = runner.invoke(app, [*args, "--force", "-v", "--lang", "en"])
    assert again.exit_code == first.exit_code
    assert (tmp_path / "all.csv").read_text(encoding="utf-8") == rows  # the same two reports, nothing more
    assert "passed over" in again.stderr and "all.csv" in again.stderr and "findings.csv" in again.stderr
    assert "2 files" in again.stderr


# ----------------------------------------------------------------------------- round trips, by property

from decimal import Decimal  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gdstat.catalog import load_format  # noqa: E402
from gdstat.extract import Extraction  # noqa: E402
from gdstat.render import to_delimited, to_json  # noqa: E402
from gdstat.report import Location, Report, Source, Value  # noqa: E402


def cell_values(format_id: str):
    """Every official cell: not read, blank, ``/``, words, or a number of the cell's kind."""
    fmt = load_format(format_id)

    def number(cell):
        if cell.column is not None and cell.column.number == "decimal":
            return st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False)
        return st.integers(0, 10**7)

    def value(cell_id, cell):
        return st.one_of(
            st.none(),
            st.just(Value(cell_id, None, "blank", "")),
            st.just(Value(cell_id, None, "not-applicable", "/")),
            st.sampled_from(["暂无", "见附件"]).map(lambda text: Value(cell_id, None, "text", text)),
            number(cell).map(lambda n: Value(cell_id, int(n) if n == n.to_integral_value() else n, "number", str(n))
                             if isinstance(n, Decimal) else Value(cell_id, n, "number", str(n))),
        )

    return st.fixed_dictionaries({cid: value(cid, cell) for cid, cell in fmt.cells.items()})


def as_report(format_id: str, values: dict, placement: str) -> Report:
    read = {c: Value(v.id, v.value, v.kind, v.raw, Location("r.xlsx", "统计表", "C5"), None, placement)
            for c, v in values.items() if v is not None}
    return Report(Source("r.xlsx", "xlsx"), format_id, "示范县司法局", 2022, read)


def kinds(report) -> dict:
    return {c: (v.kind, v.value) for c, v in report.values.items()}


@pytest.mark.parametrize("format_id", ["legacy", "2019", "2021"])
def test_json_reads_back_to_the_same_report(tmp_path_factory, format_id):
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(values=cell_values(format_id), placement=st.sampled_from(["labelled", "aligned", "arithmetic"]))
    def check(values, placement):
        report = as_report(format_id, values, placement)
        out = tmp_path_factory.mktemp("json") / "e.json"
        out.write_text(to_json(Extraction(report, ()).to_dict()), encoding="utf-8")
        back = load(out)
        assert (back.format, back.agency, back.year) == (report.format, report.agency, report.year)
        assert kinds(back) == kinds(report)
        assert {v.placement for v in back.values.values()} <= {placement}
        assert all(back.values[c].location == v.location for c, v in report.values.items())

    check()


@pytest.mark.parametrize("format_id", ["legacy", "2019", "2021"])
def test_cell_csv_reads_back_to_the_same_report(tmp_path_factory, format_id):
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(values=cell_values(format_id), delimiter=st.sampled_from([",", "\t"]))
    def check(values, delimiter):
        report = as_report(format_id, values, "labelled")
        out = tmp_path_factory.mktemp("csv") / "e.csv"
        out.write_text(to_delimited(*Extraction(report, ()).records(), delimiter=delimiter), encoding="utf-8")
        back = load(out)
        assert back.format == format_id
        assert kinds(back) == kinds(report)
        assert all(v.raw == report.values[c].raw for c, v in back.values.items() if v.kind != "number")

    check()


def test_a_table_with_id_and_value_columns_of_other_ids_is_not_taken_for_gdstat_output(tmp_path):
    from gdstat.io.own import what

    other = tmp_path / "other.csv"
    other.write_text("id,value\n1,2\n", encoding="utf-8")
    ours = tmp_path / "ours.csv"
    ours.write_text("id,value\nrequests.new@total,2\n", encoding="utf-8")
    assert (what(other), what(ours)) == (None, "cell-table")
