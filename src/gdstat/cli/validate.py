"""``gdstat validate``: check every rule of the format and list the findings."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from gdstat.cli.common import (BaselineOpt, Color, ColorOpt, DebugOpt, EncodingOpt, FailOn, FailOnOpt,
                               ForceOpt, FormatOpt, Lang, LangOpt, OutFormat, OutOpt, TableFormatOpt, app,
                               emit, fails, render_output, run)


@app.command()
def validate(
    files: Annotated[list[str], typer.Argument(help="One or more statistics sheets or published reports.")],
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = Lang.zh,
    output: OutOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    baseline: BaselineOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check every rule of the format; print the findings, each naming its cells.

    Exit 1 when an error (or, with --fail-on warning, a warning) is found; 3 when an input cannot be read.

    Example: gdstat validate examples/demo-district/*.xlsx -f json
    """

    def body() -> int:
        from gdstat import api
        from gdstat.render import views

        known = api.read_baseline(baseline) if baseline else None
        result = api.validate(files, encoding=encoding, table_format=table_format.value if table_format else None,
                              baseline=known)
        text = render_output(fmt, output, color, blocks=lambda: views.validation_blocks(result, lang.value),
                       data=lambda: result.to_dict(lang.value), records=lambda: views.validation_records(result, lang.value))
        emit(text, output, force)
        for file in result.unreadable:
            sys.stderr.write(f"gdstat: error: {file.error}\n")
            if file.error.hint:
                sys.stderr.write(f"gdstat: hint: {file.error.hint}\n")
        if result.unreadable:
            return 3
        return 1 if fails(result.findings, fail_on) else 0

    run(debug, body)
