"""What every ``gdstat`` command shares: the app, the options, output choice, messages and error mapping.

Each command: options -> one library call -> a renderer -> an exit code, inside ``run``.

Exit codes: 0 ok · 1 findings at or above --fail-on · 2 usage · 3 an input could not be read or
recognised · 4 internal error. Any non-zero exit says why on stderr, in the chosen language,
as ``gdstat: 错误: …`` and ``gdstat: 提示: …`` lines.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_command_name, get_group_from_info, solve_typer_info_defaults
from typer.models import CommandInfo

from gdstat import __version__
from gdstat.errors import GdstatError, UsageError


def line(kind: str, text: str, lang: str) -> None:
    """One line on stderr: ``gdstat: 错误: …`` (kind: error, hint, warning, info, internal), or a
    status line when ``kind`` is None."""
    from gdstat.messages import say

    prefix = f"{say(kind, lang)}: " if kind else ""
    sys.stderr.write(f"gdstat: {prefix}{text}\n")


def fail(exc: GdstatError, lang: str) -> None:
    from gdstat.messages import localise

    line("error", localise(str(exc), lang), lang)
    if exc.hint:
        line("hint", localise(exc.hint, lang), lang)


def _lang_of(args) -> str:
    """The language of a usage error, found before the command's options are parsed."""
    from gdstat.messages import resolve_lang

    args = list(args or sys.argv[1:])
    for i, arg in enumerate(args):
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg[7:] if arg.startswith("--lang=") else None
        if value and value.lower() in ("zh", "en"):
            return value.lower()
    try:
        return resolve_lang()
    except GdstatError:
        return "zh"


def usage_message(exc, lang: str) -> tuple[str, str]:
    """A Click usage error as (message, hint) in ``lang``: gdstat's words, not Click's block."""
    from typer._click import exceptions as ce

    from gdstat.messages import say

    command = exc.ctx.command_path if exc.ctx is not None else "gdstat"
    hint = say("see_help", lang, command=command)
    if isinstance(exc, ce.NoSuchOption):
        text = say("usage.no_such_option", lang, option=exc.option_name)
        if exc.possibilities:
            hint = say("usage.did_you_mean", lang, options=", ".join(sorted(exc.possibilities)))
        return text, hint
    if isinstance(exc, ce.MissingParameter):
        param = exc.param.get_error_hint(exc.ctx) if exc.param is not None else ""
        return say("usage.missing", lang, param=param.replace("'", "").replace(" / ", "/")), hint
    if isinstance(exc, ce.BadParameter):
        param = (exc.param.get_error_hint(exc.ctx) if exc.param is not None else "").replace("'", "").replace(" / ", "/")
        choices = getattr(getattr(exc.param, "type", None), "choices", None)
        if choices:
            import re

            found = re.match(r"'(.*?)' is not one of", exc.message)
            value = found.group(1) if found else exc.message
            return say("usage.bad_choice", lang, param=param, value=value), say(
                "usage.choices", lang, choices=", ".join(str(c) for c in choices))
        return say("usage.bad_value", lang, param=param, detail=exc.message), hint
    message = exc.format_message()
    if message.startswith("No such command"):
        name = message.split("'")[1] if "'" in message else message
        return say("usage.no_such_command", lang, name=name), say("usage.commands", lang)
    if message.startswith("Got unexpected extra argument"):
        return say("usage.extra", lang, args=message[message.find("(") + 1:message.rfind(")")]), hint
    if message.startswith("Option '") and "requires an argument" in message:
        return say("usage.option_needs_value", lang, option=message.split("'")[1]), hint
    return say("usage.other", lang, detail=message), hint


class Commands(Mapping):
    """The root's commands by name, in the order they were registered; each Click command is built
    from its registration when first asked for. Building one reads its function's signature and
    type hints (milliseconds each): a run builds the command it runs, not all of them."""

    def __init__(self, registered: list):
        self.registered = {_name(info): info for info in registered}
        self.built: dict = {}

    def __getitem__(self, name: str):
        if name not in self.built:
            self.built[name] = _build(self.registered[name])
        return self.built[name]

    def __iter__(self):
        return iter(self.registered)

    def __len__(self) -> int:
        return len(self.registered)

    def header(self, name: str):
        """The command as ``gdstat -h`` lists it (name, help, hidden), without its parameters."""
        if name in self.built:
            return self.built[name]
        info = self.registered[name]
        if isinstance(info, CommandInfo):
            text = inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)
            return TyperCommand(name, help=text, short_help=info.short_help, hidden=info.hidden,
                                deprecated=info.deprecated)
        solved = solve_typer_info_defaults(info)
        return TyperCommand(name, help=solved.help, short_help=solved.short_help, hidden=solved.hidden,
                            deprecated=solved.deprecated)


def _name(info) -> str:
    if isinstance(info, CommandInfo):
        return info.name or get_command_name(info.callback.__name__)
    return solve_typer_info_defaults(info).name


def _build(info):
    """The Click command of a registration, built as Typer builds the commands of a group."""
    shared = {"pretty_exceptions_short": app.pretty_exceptions_short, "rich_markup_mode": app.rich_markup_mode}
    if isinstance(info, CommandInfo):
        return get_command_from_info(info, **shared)
    return get_group_from_info(info, suggest_commands=app.suggest_commands, **shared)


class App(typer.Typer):
    """Registers commands and command groups as Typer does, then moves each registration into
    ``registered``: Typer builds the root group without them and ``Group`` builds each when named."""

    def __init__(self, **settings):
        super().__init__(**settings)
        self.registered: list = []

    def command(self, *args, **kwargs):
        register = super().command(*args, **kwargs)

        def decorator(function):
            register(function)
            self.registered.append(self.registered_commands.pop())
            return function

        return decorator

    def add_typer(self, *args, **kwargs) -> None:
        super().add_typer(*args, **kwargs)
        self.registered.append(self.registered_groups.pop())


class Group(TyperGroup):
    """The root command: commands listed in the order they were registered (the import order of
    gdstat.cli) and built only when named, their descriptions whole (wrapped, never cut); Click's
    usage errors in gdstat's style and language (exit 2)."""

    def __init__(self, **settings):
        super().__init__(**settings)
        self.commands = Commands(app.registered)

    def list_commands(self, ctx) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx, formatter) -> None:
        headers = {name: self.commands.header(name) for name in self.list_commands(ctx)}
        rows = [(name, header.get_short_help_str(limit=1000)) for name, header in headers.items() if not header.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from typer._click import exceptions as ce

        try:
            code = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                                standalone_mode=False, **extra)
        except ce.NoArgsIsHelpError as exc:  # `gdstat` alone: the help, as Click shows it
            exc.show()
            code = 0
        except ce.ClickException as exc:
            lang = _lang_of(args)
            text, hint = usage_message(exc, lang) if isinstance(exc, ce.UsageError) else (exc.format_message(), None)
            line("error", text, lang)
            if hint:
                line("hint", hint, lang)
            code = exc.exit_code
        except typer.Abort:
            code = 130
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


app = App(
    name="gdstat",
    cls=Group,
    help="Statistics for China's government information disclosure annual reports (政府信息公开工作年度报告).",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"gdstat {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", "-V", is_eager=True, callback=_show_version,
                                          help="Print gdstat's version and exit.")] = False,
    limit: Annotated[Optional[list[str]], typer.Option(
        "--limit", metavar="NAME=VALUE",
        help="Raise (or lower) a limit on what one input may cost, e.g. --limit seconds=60 --limit "
             "input-bytes=200M. Limits: input-bytes, part-bytes, zip-ratio, cells, area, span, digits, "
             "formula-cells, seconds (see the README).")] = None,
    no_escape_formulas: Annotated[bool, typer.Option(
        "--no-escape-formulas",
        help="Write CSV/TSV text fields as they are. By default a text field starting with = + - @, tab or CR "
             "that is not a number is prefixed with ' so that no spreadsheet runs it as a formula.")] = False,
) -> None:
    """Statistics for China's government information disclosure annual reports (政府信息公开工作年度报告)."""
    from gdstat import render

    render.escape_formulas = not no_escape_formulas
    if limit:
        from gdstat import limits

        try:
            limits.configure(limits.parse(",".join(limit)))
        except GdstatError as exc:
            fail(exc, _lang_of(None))
            raise typer.Exit(exc.exit_code) from None


class OutFormat(str, Enum):
    auto = "auto"
    table = "table"
    plain = "plain"
    markdown = "markdown"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class TableFormat(str, Enum):
    legacy = "legacy"
    f2019 = "2019"
    f2021 = "2021"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _known_encoding(value: str | None) -> str | None:
    """--encoding names an encoding Python knows, or it is a usage error (exit 2) before any reading."""
    from gdstat.messages import say

    if value is not None:
        import codecs

        try:
            codecs.lookup(value)
        except LookupError:
            lang = _lang_of(None)
            fail(UsageError(say("usage.encoding", lang, value=value), hint=say("usage.encoding_hint", lang)), lang)
            raise typer.Exit(2) from None
    return value


def complete_path(incomplete: str) -> list[str]:
    """Shell completion of file and folder names (every shell, not only bash's fallback)."""
    import glob

    return sorted(f"{p}/" if os.path.isdir(p) else p for p in glob.glob(glob.escape(incomplete) + "*"))


# Options every command shares: one definition, so every command has the same surface. Values
# of choices are case-insensitive (-f JSON).
FormatOpt = Annotated[OutFormat, typer.Option("-f", "--format", case_sensitive=False, help="Output: auto (table on a terminal, plain in a pipe), table, plain, markdown, csv, tsv, json, jsonl. Default: from the -o suffix.")]
LangOpt = Annotated[Optional[Lang], typer.Option("--lang", case_sensitive=False, help="Language of labels and messages: zh or en (default: GDSTAT_LANG, else lang in gdstat.toml, else zh).")]
OutOpt = Annotated[Optional[str], typer.Option("-o", "--output", metavar="FILE", autocompletion=complete_path, help="Write the output to FILE; its suffix picks the format (.json .jsonl .csv .tsv .md .txt); '-' = stdout.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
ColorOpt = Annotated[Color, typer.Option("--color", case_sensitive=False, help="Colour: auto, always, never (NO_COLOR and FORCE_COLOR are honoured).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.")]
TableFormatOpt = Annotated[Optional[TableFormat], typer.Option("-t", "--table-format", case_sensitive=False, help="Read the input as this official format instead of detecting it.")]
EncodingOpt = Annotated[Optional[str], typer.Option("--encoding", callback=_known_encoding, help="Text encoding of CSV/TSV input (default: detected).")]
FailOnOpt = Annotated[FailOn, typer.Option("--fail-on", case_sensitive=False, help="Exit 1 when a finding of this severity or worse exists: error, warning, info, never.")]
BaselineOpt = Annotated[Optional[Path], typer.Option("--baseline", metavar="FILE", help="Pass over findings whose fingerprints are in FILE (e.g. an earlier validate -f json).")]
FindingsOpt = Annotated[Optional[str], typer.Option("--findings", metavar="FILE", autocompletion=complete_path, help="Also write every finding to FILE, one row each (.csv .tsv .jsonl .json .md .txt).")]


# ----------------------------------------------------------------------------- output choice


SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
                  ".md": "markdown", ".markdown": "markdown", ".txt": "plain", ".text": "plain"}
# What each machine format is rendered from; the formats for people are rendered from blocks.
MADE_FROM = {"json": "data", "jsonl": "records", "csv": "records", "tsv": "records"}
SHEET_SUFFIXES = (".xlsx", ".xlsm")
# Suffixes some command writes: naming one where this command cannot write it is a usage error.
OTHER_SUFFIXES = (".xlsx", ".xlsm", ".parquet", ".docx", ".html", ".htm")


class Output:
    """Where and how a command's result goes: ``-f``, or else the ``-o`` suffix, decided before any
    input is read, so that a wrong choice costs nothing and leaves nothing behind."""

    def __init__(self, fmt: OutFormat, path: str | None, force: bool, color: Color, lang: str,
                 command: str, sheets: bool = False):
        self.path = None if path in (None, "-") else path
        self.force, self.lang, self.command = force, lang, command
        self.format = choose_format(fmt.value, self.path, command, lang, sheets)
        self.sheet = self.format == "sheet"
        if self.path is not None:
            from gdstat.outputs import check_target

            check_target(self.path, force)
        from gdstat.render import color_wanted

        self.color = self.path is None and self.format in ("table", "plain") and color_wanted(color.value)

    def render(self, *, blocks=None, data=None, records=None) -> str:
        """The result in the chosen format: ``blocks`` for people, ``data`` for JSON, ``records``
        for CSV, TSV and JSONL. Each may be a function: only the one the format shows is called."""
        from gdstat.render import render

        width = None
        if self.format == "table" and self.path is None and sys.stdout.isatty():
            import shutil

            width = shutil.get_terminal_size().columns
        source = MADE_FROM.get(self.format, "blocks")
        made = {name: (value() if callable(value) else value) if name == source else None
                for name, value in (("blocks", blocks), ("data", data), ("records", records))}
        return render(self.format, **made, color=self.color, width=width)

    def write(self, text: str, what: str) -> None:
        """The text to stdout, or to the file (atomically) with one confirmation line on stderr."""
        if self.path is None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        from gdstat.outputs import atomic

        with atomic(self.path, self.force) as temp:
            temp.write_text(text, encoding="utf-8", newline="")
        confirm(self.path, what, self.lang)


def choose_format(fmt: str, path: str | None, command: str, lang: str, sheets: bool = False) -> str:
    """The output format: ``-f``, else the suffix of ``-o`` (a sheet when ``sheets`` and .xlsx),
    else a table on a terminal and plain text elsewhere. A suffix that contradicts ``-f``, or one
    this command cannot write, is a usage error."""
    from gdstat.messages import say

    from gdstat.render import resolve

    if path is None:
        return resolve(fmt)
    suffix = Path(path).suffix.lower()
    by_suffix = "sheet" if sheets and suffix in SHEET_SUFFIXES else SUFFIX_FORMATS.get(suffix)
    if by_suffix is None and suffix in OTHER_SUFFIXES:
        known = list(SUFFIX_FORMATS) + (list(SHEET_SUFFIXES) if sheets else [])
        raise UsageError(say("usage.suffix_unsupported", lang, path=path, command=command, suffix=suffix),
                         hint=say("usage.suffix_unsupported_hint", lang, suffixes=" ".join(known)))
    if fmt == "auto":
        return by_suffix or "plain"
    if by_suffix is not None and by_suffix != fmt and not (by_suffix == "plain" and fmt == "table"):
        wanted = next((s for s, f in SUFFIX_FORMATS.items() if f == fmt), ".txt")
        raise UsageError(say("usage.suffix_format", lang, path=path, by_suffix=by_suffix, fmt=fmt),
                         hint=say("usage.suffix_format_hint", lang, suffix=Path(path).with_suffix(wanted).name))
    return fmt


class Findings:
    """``--findings FILE``: every finding, one row each with its source in front (api.SOURCE_COLUMNS +
    FINDING_COLUMNS), in the format of the file's suffix; checked before any input is read."""

    def __init__(self, path: str | None, force: bool, lang: str, command: str):
        self.out = Output(OutFormat.auto, path, force, Color.never, lang, command) if path else None
        self.lang = lang

    def write(self, sources) -> None:
        """``sources``: (path, report or None, findings) for each input."""
        if self.out is None:
            return
        from gdstat.api import FINDING_COLUMNS, SOURCE_COLUMNS, envelope, finding_row, source_head
        from gdstat.messages import say
        from gdstat.render import Block
        from gdstat.render.views import t
        from gdstat.rules import count

        lang = self.lang
        rows = [[*source_head(path, report), *finding_row(f, lang)] for path, report, findings in sources
                for f in findings]
        columns = [*SOURCE_COLUMNS, *FINDING_COLUMNS]
        shown = [t(key, lang) for key in ("file", "severity", "code", "rule", "message", "where")]
        blocks = [Block(t("findings", lang), shown,
                        [[row[0], say("sev." + row[4], lang), row[5], row[6] or "", row[8], row[7] or ""] for row in rows])]
        every = [f for _, _, findings in sources for f in findings]
        text = self.out.render(blocks=blocks, records=(columns, rows),
                               data=lambda: {**envelope(), "findings": [dict(zip(columns, row)) for row in rows]})
        self.out.write(text, say("what.findings", lang, n=len(every), counts=say("counts", lang, **count(every))))


def confirm(path, what: str, lang: str) -> None:
    """The one line after a write: the file and what it holds."""
    from gdstat.messages import say

    line(None, say("wrote", lang, path=path, what=what), lang)


# ----------------------------------------------------------------------------- verdicts and running


def fails(findings, fail_on: FailOn) -> bool:
    if fail_on is FailOn.never:
        return False
    from gdstat.rules.findings import SEVERITY_RANK

    return any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on.value] for f in findings)


SHOWN_ON_FAILURE = 3


def verdict(findings, fail_on: FailOn, lang: str) -> int:
    """1 when a finding reaches --fail-on, saying on stderr how many by severity and the first few."""
    from gdstat.messages import say

    if not fails(findings, fail_on):
        return 0
    from gdstat.rules import count
    from gdstat.rules.findings import SEVERITY_RANK

    line(None, say("failing", lang, level=fail_on.value, counts=say("counts", lang, **count(findings))), lang)
    worst = sorted((f for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on.value]),
                   key=lambda f: -SEVERITY_RANK[f.severity])
    for finding in worst[:SHOWN_ON_FAILURE]:
        where = f" ({finding.where})" if finding.where else ""
        sys.stderr.write(f"  {say('sev.' + finding.severity, lang)} {finding.code}: {finding.text(lang)}{where}\n")
    if len(worst) > SHOWN_ON_FAILURE:
        sys.stderr.write(f"  {say('failing_more', lang, n=len(worst) - SHOWN_ON_FAILURE)}\n")
    return 1


def run(debug: bool, lang: Lang | None, body) -> None:
    """Run ``body(lang)`` with the language resolved; map failures to stderr lines and an exit code."""
    from gdstat.messages import resolve_lang, say

    debug = debug or bool(os.environ.get("GDSTAT_DEBUG"))
    chosen = lang.value if lang is not None else "zh"
    try:
        chosen = resolve_lang(lang.value if lang is not None else None)
        code = body(chosen)
    except GdstatError as exc:
        if debug:
            raise
        fail(exc, chosen)
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:  # a bug in gdstat, not in the input
        if debug:
            raise
        line("internal", f"{type(exc).__name__}: {exc}", chosen)
        line("hint", say("internal_hint", chosen), chosen)
        raise typer.Exit(4) from None
    raise typer.Exit(code)
