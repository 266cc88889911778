"""``gdstat narrate``: the report's numeric paragraphs, written from its table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gdstat.cli.common import (Color, ColorOpt, DebugOpt, EncodingOpt, ForceOpt, FormatOpt, LangOpt, OutFormat,
                               OutOpt, Output, TableFormatOpt, app, confirm, run)


@app.command()
def narrate(
    item: Annotated[str, typer.Argument(metavar="YEAR|FILE", help="A statistics sheet, or a year found in the data folder (as diff finds it).")],
    previous: Annotated[Optional[str], typer.Option("--previous", metavar="YEAR|FILE", help="The previous year's table, for 较上年 comparisons (default: the year before, found beside the input).")] = None,
    no_previous: Annotated[bool, typer.Option("--no-previous", help="Write no comparison with the previous year.")] = False,
    data_dir: Annotated[Optional[str], typer.Option("--dir", metavar="FOLDER", help="Folder of the yearly sheets (default: data_dir in gdstat.toml, else the current folder).")] = None,
    precision: Annotated[int, typer.Option("--precision", min=0, max=6, help="Decimal places of shares and changes in % (四舍五入).")] = 1,
    with_table: Annotated[bool, typer.Option("--with-table", help="In a .docx output, the statistics table after the prose.")] = False,
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write the report's prose from its table: 主动公开, 依申请公开 (with shares), 复议、诉讼, in the
    order of the official outline, with 较上年 changes when the previous year is given or found.

    Plain text or Markdown; -f json gives every sentence with the cells and derived figures it
    cites; -o FILE.docx writes an official-style Word document (needs the docx extra). The
    narrative check reads every figure back: see docs/narrate.md.

    Examples:

    \b
    cd examples/demo-district && gdstat narrate 2023 -o 2023.docx --with-table
    gdstat narrate examples/beilun-2018.xlsx -f markdown
    gdstat narrate 2021 --previous 2020 --dir examples/demo-district -f json --lang en
    """

    def body(lang: str) -> int:
        from gdstat.errors import UsageError
        from gdstat.messages import say

        from gdstat.narrate import narrate_input

        docx = output is not None and Path(output).suffix.lower() == ".docx"
        if docx and fmt is not OutFormat.auto:
            raise UsageError(say("usage.docx_format", lang, path=output, fmt=fmt.value), hint=say("usage.docx_format_hint", lang))
        if with_table and not docx:
            raise UsageError(say("usage.with_table", lang), hint=say("usage.with_table_hint", lang))
        if previous is not None and no_previous:
            raise UsageError(say("usage.previous_both", lang), hint=say("usage.previous_both_hint", lang))
        if docx:
            from gdstat.outputs import check_target

            try:
                import docx as _  # noqa: F401  (python-docx, the docx extra)
            except ImportError:
                raise UsageError(say("e.docx_extra", "en"), hint=say("h.docx_extra", "en")) from None
            check_target(output, force)
            out = None
        else:
            out = Output(fmt, output, force, color, lang, "narrate")
            if out.format in ("csv", "tsv", "jsonl"):  # prose has no rows
                raise UsageError(say("usage.narrate_prose", lang, fmt=out.format), hint=say("usage.narrate_prose_hint", lang))
        narrative = narrate_input(item, previous=previous, data_dir=data_dir, lang=lang, precision=precision,
                                  encoding=encoding, table_format=table_format.value if table_format else None,
                                  find_previous=not no_previous)
        report = narrative.report
        compared = say("what.narrative_compared", lang, year=narrative.previous.year) if narrative.previous else ""
        what = say("what.narrative", lang, agency=report.agency or "", year=report.year or "",
                   sections=len(narrative.sections), compared=compared)
        if out is None:
            from gdstat.writers.docx import write_docx

            write_docx(narrative, output, force=force, with_table=with_table)
            confirm(output, what + (say("what.narrative_table", lang) if with_table else ""), lang)
            return 0
        if out.format == "json":
            from gdstat.render import to_json

            text = to_json(narrative.to_dict())
        else:
            text = narrative.text(markdown=out.format == "markdown")
        out.write(text, what)
        return 0

    run(debug, lang, body)
