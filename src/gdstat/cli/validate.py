"""``gdstat validate``: check every rule of the format and list the findings."""

from __future__ import annotations

from typing import Annotated

import typer

from gdstat.cli.common import (BaselineOpt, Color, ColorOpt, DebugOpt, EncodingOpt, FailOn, FailOnOpt, Findings,
                               FindingsOpt, ForceOpt, FormatOpt, LangOpt, OutFormat, OutOpt, Output, TableFormatOpt,
                               app, complete_path, fail, run, verdict)


@app.command()
def validate(
    files: Annotated[list[str], typer.Argument(autocompletion=complete_path, metavar="FILE…", help="Statistics sheets or published reports: files, folders or quoted globs.")],
    fmt: FormatOpt = OutFormat.auto,
    lang: LangOpt = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = Color.auto,
    table_format: TableFormatOpt = None,
    encoding: EncodingOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    baseline: BaselineOpt = None,
    findings: FindingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check every rule of the format; print the findings, each naming its cells.

    Exit 1 when an error (or, with --fail-on warning, a warning) is found; 3 when an input cannot be
    read (the others are still checked; when none can be read, no output file is written).

    Examples:

    \b
    gdstat validate examples/demo-district/
    gdstat validate 'examples/demo-district/*.xlsx' --fail-on warning -o findings.csv
    gdstat validate examples/demo-reports/ --lang en -f json
    """

    def body(lang: str) -> int:
        from gdstat.messages import say

        from gdstat import api
        from gdstat.render import views
        from gdstat.rules import count

        out = Output(fmt, output, force, color, lang, "validate")
        found = Findings(findings, force, lang, "validate")
        known = api.read_baseline(baseline) if baseline else None
        result = api.validate(files, encoding=encoding, table_format=table_format.value if table_format else None,
                              baseline=known)
        if len(result.unreadable) == len(result.files):  # nothing was read: no output file either
            for file in result.unreadable:
                fail(file.error, lang)
            return 3
        text = out.render(blocks=lambda: views.validation_blocks(result, lang), data=lambda: result.to_dict(lang),
                          records=lambda: views.validation_records(result, lang))
        out.write(text, say("what.findings", lang, n=len(result.findings),
                            counts=say("counts", lang, **count(result.findings))))
        found.write([(file.path, file.report, file.findings) for file in result.files])
        for file in result.unreadable:
            fail(file.error, lang)
        code = verdict(result.findings, fail_on, lang)
        return 3 if result.unreadable else code

    run(debug, lang, body)
