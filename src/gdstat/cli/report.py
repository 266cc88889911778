"""``gdstat report``: one self-contained HTML file with tables, findings and charts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gdstat.cli.common import (Color, ColorOpt, DebugOpt, EncodingOpt, FailOn, FailOnOpt, ForceOpt, FormatOpt,
                               LangOpt, OutFormat, Output, TableFormatOpt, app, confirm, fail, run, verdict)

HTML_SUFFIXES = (".html", ".htm")
HtmlOpt = Annotated[str, typer.Option("-o", "--output", metavar="FILE.html", help="The HTML file to write (--force to replace).")]


def _blocks(page, path: str, lang: str):
    from gdstat.messages import say
    from gdstat.render import Block

    data = page.to_dict()
    return [Block(say("report.written", lang), [], [
        [say("label.file", lang), path],
        [say("report.kind", lang), say(f"report.kind.{page.kind}", lang)],
        [say("report.inputs", lang), str(page.inputs)],
        [say("report.size", lang), f"{data['bytes'] / 1024:.0f} KB"],
        [say("label.findings", lang), say("counts", lang, **data["summary"])],
    ])]


@app.command()
def report(
    inputs: Annotated[list[str], typer.Argument(metavar="INPUT…", help="One report; two or more years or files of one agency; or files, folders, globs or batch datasets of many agencies.")],
    output: HtmlOpt,
    data_dir: Annotated[Optional[str], typer.Option("--dir", metavar="FOLDER", help="Folder of the yearly sheets, when years are given (as for diff).")] = None,
    threshold: Annotated[str, typer.Option("--threshold", metavar="PCT[%][,UNITS]", help="Mark rows of the last two years that moved by more than this (as for diff).")] = "50%,10",
    precision: Annotated[int, typer.Option("--precision", min=0, max=6, help="Decimal places of shares (四舍五入).")] = 1,
    force: ForceOpt = False,
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = None,
    color: ColorOpt = Color.auto,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    fail_on: FailOnOpt = FailOn.never,
    debug: DebugOpt = False,
) -> None:
    """Write one HTML file that opens offline and prints on A4: tables, findings and charts.

    One input: the report laid out as the official sheet, cells with findings highlighted, its
    shares as bar charts. Years or files of one agency: a line chart per key figure, the diff of
    the last two years, the cross-year findings. Folders, globs, batch datasets or many agencies: a
    review dashboard (coverage by year, a sortable table with outliers, a section per agency).
    The page is in Chinese. Needs the report extra: pip install 'gdstat[report]'.

    Examples:

    \b
    gdstat report examples/beilun-2018.xlsx -o beilun.html
    gdstat report 2017 2018 2019 2020 2021 2022 2023 --dir examples/demo-district -o trend.html
    gdstat report examples/ -o review.html
    """

    def body(lang: str) -> int:
        from gdstat.errors import UsageError
        from gdstat.htmlreport import build
        from gdstat.messages import say
        from gdstat.outputs import atomic, check_target
        from gdstat.rules import count

        suffix = Path(output).suffix.lower()
        if output == "-":
            raise UsageError(say("usage.report_stdout", lang), hint=say("usage.report_stdout_hint", lang))
        if suffix and suffix not in HTML_SUFFIXES:  # a name without a suffix is the user's choice
            raise UsageError(say("usage.suffix_unsupported", lang, path=output, command="report", suffix=suffix),
                             hint=say("usage.suffix_unsupported_hint", lang, suffixes=" ".join(HTML_SUFFIXES)))
        check_target(output, force)  # before the work, not after it
        shown = Output(fmt, None, False, color, lang, "report")  # the HTML is the product; stdout says what it holds
        page = build(inputs, data_dir=data_dir, precision=precision, encoding=encoding,
                     table_format=table_format.value if table_format else None, threshold=threshold)
        if len(page.unreadable) == page.inputs:  # nothing was read: no page either
            for error in page.unreadable:
                fail(error, lang)
            return 3
        text = shown.render(blocks=lambda: _blocks(page, output, lang), data=page.to_dict,
                            records=lambda: (["path", "kind", "inputs", "bytes"],
                                             [[output, page.kind, page.inputs, page.to_dict()["bytes"]]]))
        with atomic(output, force) as temp:
            temp.write_text(page.html, encoding="utf-8", newline="")
        shown.write(text, "")
        confirm(output, say("what.html", lang, kind=say(f"report.kind.{page.kind}", lang), inputs=page.inputs,
                            counts=say("counts", lang, **count(page.findings))), lang)
        for error in page.unreadable:
            fail(error, lang)
        code = verdict(page.findings, fail_on, lang)
        return 3 if page.unreadable else code

    run(debug, lang, body)
