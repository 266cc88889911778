"""``gdstat formats``: the official table formats gdstat knows."""

from __future__ import annotations

from typing import Annotated

import typer

from gdstat.cli.common import (Color, ColorOpt, ForceOpt, FormatOpt, LangOpt, OutFormat, OutOpt, Output, TableFormat,
                               app, run)

formats_app = typer.Typer(help="The official table formats gdstat knows.", invoke_without_command=True,
                          rich_markup_mode=None)
app.add_typer(formats_app, name="formats")


@formats_app.callback()
def formats_list(
    ctx: typer.Context,
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """List the official formats; `gdstat formats show 2021` prints one's rows and rules.

    Examples:

    \b
    gdstat formats
    gdstat formats show 2021 -o 2021.md
    """
    if ctx.invoked_subcommand is not None:
        return

    def body(lang: str) -> int:
        from gdstat.messages import say

        from gdstat.api import envelope
        from gdstat.catalog import format_ids, load_format
        from gdstat.render import views

        out = Output(fmt, output, force, color, lang, "formats")
        formats = [load_format(i) for i in format_ids()]
        text = out.render(blocks=lambda: views.formats_blocks(formats, lang),
                          data=lambda: {**envelope(), "formats": [views.format_dict(f) for f in formats]},
                          records=lambda: views.formats_records(formats, lang))
        out.write(text, say("what.formats", lang, n=len(formats)))
        return 0

    run(False, lang, body)


@formats_app.command("show")
def formats_show(
    format_id: Annotated[TableFormat, typer.Argument(metavar="FORMAT", case_sensitive=False, help="legacy, 2019 or 2021.")],
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Every table, row, unit, cell id and rule of one format.

    Examples:

    \b
    gdstat formats show 2021
    gdstat formats show legacy --lang en -f csv
    """

    def body(lang: str) -> int:
        from gdstat.messages import say

        from gdstat.api import envelope
        from gdstat.catalog import load_format
        from gdstat.render import views

        out = Output(fmt, output, force, color, lang, "formats show")
        chosen = load_format(format_id.value)
        text = out.render(blocks=lambda: views.format_blocks(chosen, lang),
                          data=lambda: {**envelope(), **views.format_dict(chosen)},
                          records=lambda: views.format_records(chosen, lang))
        out.write(text, say("what.format", lang, format=chosen.id))
        return 0

    run(False, lang, body)
