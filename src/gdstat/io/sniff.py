"""Which kind of file is this? Decided from the bytes, not from the extension."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from gdstat.errors import InputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HEAD = 64 * 1024  # the first bytes of a file, read to decide its kind: all of a smaller file
CHUNK = 1024 * 1024  # a zip part is inflated this much at a time
# Given a zip part, the function its inflated chunks are handed to, or None (see check_parts).
Watch = Callable[[zipfile.ZipInfo], Callable[[bytes], None] | None]


def open_zip(path: Path, head: bytes | None = None) -> zipfile.ZipFile:
    """The zip archive (xlsx, ods, docx) at ``path``, or one clear line when it is damaged.
    ``head``: its first HEAD bytes, as read to sniff it; a file shorter than that is all there,
    and read from them rather than from the disk again (seeks and reads in memory, no calls to the system)."""
    try:
        return zipfile.ZipFile(io.BytesIO(head) if head is not None and len(head) < HEAD else path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(
            f"{path}: the file is a damaged or truncated zip archive, not a readable workbook ({exc})",
            hint="open it in Excel or WPS and save it again, or fetch the file once more",
        ) from None


def sniff(path: Path, head: bytes, archive: zipfile.ZipFile | None = None, watch: Watch | None = None) -> str:
    """Return ``xlsx``, ``xls``, ``ods``, ``docx``, ``pdf`` or ``text`` (HTML, delimited or plain text).

    ``archive``: the file already opened with ``open_zip``, when it is a zip archive; ``watch``:
    see check_parts.
    """
    if head.startswith(ZIP_MAGIC):
        opened = archive or open_zip(path)
        try:
            check_parts(opened, watch)
            names = set(opened.namelist())
            mimetype = read_part(opened, "mimetype").decode("ascii", "replace") if "mimetype" in names else ""
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:
            raise InputError(
                f"{path}: the file is a damaged or truncated zip archive, not a readable workbook ({exc})",
                hint="open it in Excel or WPS and save it again, or fetch the file once more",
            ) from None
        finally:
            if archive is None:
                opened.close()
        if "opendocument.spreadsheet" in mimetype:
            return "ods"
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        raise InputError(
            f"{path}: a zip archive that is neither a spreadsheet nor a Word document",
            hint="gdstat reads xlsx, xlsm, xls, ods, csv, docx, html, pdf and plain-text reports",
        )
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PAR1"):
        raise InputError(
            f"{path}: a Parquet file (a dataset such as gdstat batch writes), not a report",
            hint="gdstat report reads a whole dataset; for one report, give gdstat the file it was read from",
        )
    if head.startswith(OLE_MAGIC):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise InputError(
                f"{path}: the workbook is password-protected",
                hint="remove the password in Excel or WPS (文件 → 信息 → 保护工作簿) and save a copy",
            )
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
        if "WordDocument".encode("utf-16-le") in data:
            raise InputError(
                f"{path}: an old-style Word document (.doc), which gdstat cannot read",
                hint="open it in Word or WPS and save it as .docx, or copy its text into a .txt file",
            )
        raise InputError(
            f"{path}: an old-style Office file that is not a workbook",
            hint="gdstat reads xlsx, xlsm, xls, ods, csv, docx, html, pdf and plain-text reports",
        )
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"{path}: a binary file that is neither a spreadsheet nor a document",
            hint="gdstat reads xlsx, xlsm, xls, ods, csv, docx, html, pdf and plain-text reports",
        )
    return "text"


def check_parts(archive: zipfile.ZipFile, watch: Watch | None = None) -> None:
    """Refuse a zip bomb before any reader inflates it: every part's declared size and ratio
    against the limits. The declared size bounds what any reader inflates, whatever the deflate
    stream holds: gdstat reads a part through ``read_part``, and calamine's zip reader refuses a
    part larger than it declares. So only the parts a reader must measure before its own read are
    inflated here, once: ``watch(info)`` may return a function that is handed each chunk of that
    part as it is inflated, then ``b""`` at its end (an xlsx's sheets, measured before calamine
    allocates them); a damaged part among those raises here too."""
    from gdstat import limits

    infos = archive.infolist()
    for info in infos:
        if info.flag_bits & 0x1:  # an archiver's password: zipfile raises RuntimeError on opening the part
            raise zipfile.BadZipFile(f"{info.filename} is encrypted")
        limits.check("part-bytes", info.file_size)
        if info.file_size > 1024 * 1024:
            limits.check("zip-ratio", info.file_size // max(1, info.compress_size))
    if watch is None:
        return
    for info in infos:
        seen = watch(info)
        if seen is None:
            continue
        with archive.open(info) as part:
            while chunk := part.read(CHUNK):
                seen(chunk)
                if len(chunk) < CHUNK:  # a short read is the part's end: no further call to learn it
                    break
        seen(b"")


def read_part(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo) -> bytes:
    """A zip part's bytes, inflated no further than its declared size (within the ``part-bytes``
    limit). zipfile's own ``read`` of a whole part inflates everything its deflate stream holds
    before cutting it to that size: a part that understates its size (with the checksum of that
    much) would be inflated in full, up to a thousand times the file's size."""
    from gdstat import limits

    info = member if isinstance(member, zipfile.ZipInfo) else archive.getinfo(member)
    limits.check("part-bytes", info.file_size)
    with archive.open(info) as part:
        return part.read(info.file_size) if info.file_size else b""


_HTML_MARKS = ("<!doctype html", "<html", "<body", "<table", "<div", "<p>", "<p ", "<meta", "<head")


def looks_html(text: str) -> bool:
    """A saved web page (or an HTML fragment), judged from its first characters."""
    sample = text[:4096].lstrip("\ufeff \r\n\t").lower()
    return sample.startswith("<") and any(mark in sample for mark in _HTML_MARKS) or "<table" in text[:65536].lower()


def looks_delimited(text: str) -> str | None:
    """``csv`` or ``tsv`` when most lines are cut by the same delimiter (an exported sheet);
    None for running text (a copied report)."""
    lines = [line for line in text[:16384].splitlines() if line.strip()][:60]
    if not lines:
        return None
    for delimiter, kind in (("\t", "tsv"), (",", "csv")):
        cut = sum(1 for line in lines if delimiter in line.strip())
        if cut >= max(2, 0.6 * len(lines)):
            return kind
    return None
