"""CSV and TSV in UTF-8 (with or without BOM), UTF-16, GB18030/GBK or whatever charset-normalizer finds."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from gdstat import limits
from gdstat.errors import InputError
from gdstat.io.grid import Sheet

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``. An explicit ``encoding`` wins; otherwise BOM, strict UTF-8,
    GB18030 (a superset of GBK and GB2312), then charset-normalizer's best guess."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", hint="try utf-8, gb18030 or gbk") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: not valid {encoding} at byte {exc.start}",
                hint="leave out --encoding to let gdstat detect it",
            ) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    for name in ("utf-8", "gb18030"):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(
            f"{path}: the text encoding could not be recognised",
            hint="save the file as UTF-8, or name its encoding with --encoding (e.g. --encoding gbk)",
        )
    return str(best), best.encoding


def read_delimited(path: Path, text: str) -> Sheet:
    sample = text[:8192]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows, cells = [], limits.Budget("cells")
    # newline="": a line may end in CRLF, LF or a lone CR (old Mac Excel), and a quoted field may hold any
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        cells.add(len(row))
        rows.append([cell if cell != "" else None for cell in row])
    return Sheet(None, rows, lines=None, ragged=True)
