"""``gdstat formats``: the official table formats gdstat knows."""

from __future__ import annotations

from typing import Annotated

import typer

from gdstat.cli.common import (Color, ColorOpt, ForceOpt, FormatOpt, Lang, LangOpt, OutFormat, OutOpt,
                               TableFormat, app, emit, render_output, run)

formats_app = typer.Typer(help="The official table formats gdstat knows.", invoke_without_command=True,
                          rich_markup_mode=None)
app.add_typer(formats_app, name="formats")


@formats_app.callback()
def formats_list(
    ctx: typer.Context,
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = Lang.zh,
    output: OutOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """List the official formats; `gdstat formats show 2021` prints one's rows and rules."""
    if ctx.invoked_subcommand is not None:
        return

    def body() -> int:
        from gdstat.api import envelope
        from gdstat.catalog import format_ids, load_format
        from gdstat.render import views

        formats = [load_format(i) for i in format_ids()]
        text = render_output(fmt, output, color, blocks=lambda: views.formats_blocks(formats, lang.value),
                       data=lambda: {**envelope(), "formats": [views.format_dict(f) for f in formats]},
                       records=lambda: views.formats_records(formats, lang.value))
        emit(text, output, force)
        return 0

    run(False, body)


@formats_app.command("show")
def formats_show(
    format_id: Annotated[TableFormat, typer.Argument(metavar="FORMAT", help="legacy, 2019 or 2021.")],
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = Lang.zh,
    output: OutOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Every table, row, unit, cell id and rule of one format."""

    def body() -> int:
        from gdstat.api import envelope
        from gdstat.catalog import load_format
        from gdstat.render import views

        fmt_ = load_format(format_id.value)
        text = render_output(fmt, output, color, blocks=lambda: views.format_blocks(fmt_, lang.value),
                       data=lambda: {**envelope(), **views.format_dict(fmt_)},
                       records=lambda: views.format_records(fmt_, lang.value))
        emit(text, output, force)
        return 0

    run(False, body)
