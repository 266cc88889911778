"""Which kind of file is this? Decided from the bytes, not from the extension."""

from __future__ import annotations

import zipfile
from pathlib import Path

from gdstat.errors import InputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SPREADSHEET_KINDS = ("xlsx", "xls", "ods")


def sniff(path: Path, head: bytes) -> str:
    """Return ``xlsx``, ``xls``, ``ods`` or ``text`` (delimited or plain text)."""
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise InputError(
                f"{path}: the file is a damaged or truncated zip archive, not a readable workbook ({exc})",
                hint="open it in Excel or WPS and save it again, or fetch the file once more",
            ) from None
        if "opendocument.spreadsheet" in mimetype:
            return "ods"
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            return "xlsx"
        if "word/document.xml" in names:
            raise InputError(
                f"{path}: this is a Word document; gdstat reads indicator spreadsheets (xlsx, xls, ods, csv)",
                hint="save the statistics table as a spreadsheet or CSV",
            )
        raise InputError(
            f"{path}: a zip archive that is not a spreadsheet",
            hint="gdstat reads xlsx, xlsm, xls, ods and csv files",
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
        raise InputError(
            f"{path}: an old-style Office file that is not a workbook",
            hint="gdstat reads xlsx, xlsm, xls, ods and csv files",
        )
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"{path}: a binary file that is not a spreadsheet",
            hint="gdstat reads xlsx, xlsm, xls, ods and csv files",
        )
    return "text"
