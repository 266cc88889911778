"""Hostile inputs, built from their description: each reproduces a crash, hang or bomb that gdstat
once suffered. The tests keep every one as a regression test and
``benchmarks/fuzz.py`` measures the bombs' time and memory.

Builders take a folder and return the path they wrote.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
         '</Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
                  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                  '</Relationships>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="{encoding}"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_TAIL = '</sheetData></worksheet>'


def cell(ref: str, value=None, formula: str | None = None, text: str | None = None) -> str:
    if text is not None:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
    f = f"<f>{formula}</f>" if formula else ""
    v = f"<v>{value}</v>" if value is not None else ""
    return f'<c r="{ref}">{f}{v}</c>'


def xlsx_bytes(cells: list[str] | str, encoding: str = "UTF-8", shared: str = "", padding: int = 0) -> bytes:
    """A minimal workbook of one sheet holding ``cells`` (``cell()`` texts, one row each), with
    ``padding`` bytes of whitespace in the sheet XML and ``shared`` as its one shared string."""
    body = cells if isinstance(cells, str) else "".join(
        f'<row r="{_row_of(c)}">{c}</row>' for c in cells)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        sheet = _SHEET_HEAD.format(encoding=encoding) + body + _SHEET_TAIL
        if padding:
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                part.write(sheet[:-len(_SHEET_TAIL)].encode())
                chunk = b" " * (1024 * 1024)
                for _ in range(padding // len(chunk)):
                    part.write(chunk)
                part.write(_SHEET_TAIL.encode())
        else:
            archive.writestr("xl/worksheets/sheet1.xml", sheet)
        strings = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                   f'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{shared}</t></si></sst>')
        if len(shared) > 1024 * 1024:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                part.write(strings.encode())
        else:
            archive.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def _row_of(cell_text: str) -> str:
    ref = cell_text.split('r="', 1)[1].split('"', 1)[0]
    return "".join(ch for ch in ref if ch.isdigit())


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = Path(folder) / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ----------------------------------------------------------------------------- crashes and hangs (items 1-4)


def far_cell(folder: Path) -> Path:
    """Item 1: one cell at XFD1048576 (calamine panicked)."""
    return write(folder, "far-cell.xlsx", xlsx_bytes([cell("XFD1048576", 7)]))


def far_rectangle(folder: Path) -> Path:
    """Item 1: cells at A1 and XFD1048576 (calamine asked for 550 GB and aborted)."""
    return write(folder, "far-rectangle.xlsx", xlsx_bytes([cell("A1", text="申请"), cell("XFD1048576", 7)]))


def truncated_xls(folder: Path, good_xls: Path) -> Path:
    """Item 2: an .xls cut short (calamine's CFB reader panicked)."""
    data = Path(good_xls).read_bytes()
    return write(folder, "truncated.xls", data[: len(data) // 3])


def huge_sum(folder: Path) -> Path:
    """Item 3: an uncached =SUM over the whole sheet (1.7e10 cells walked)."""
    return write(folder, "huge-sum.xlsx", xlsx_bytes([cell("A1", text="申请"), cell("A2", formula="SUM(B1:XFD1048576)")]))


def formula_chain(folder: Path, length: int = 200) -> Path:
    """Item 3: a chain of uncached formulas, each referring to the next (recursion depth exceeded)."""
    cells = [cell(f"A{i}", formula=f"A{i + 1}+1") for i in range(1, length)] + [cell(f"A{length}", 1)]
    return write(folder, "formula-chain.xlsx", xlsx_bytes(cells))


def long_number_csv(folder: Path, digits: int) -> Path:
    """Item 4: a cell of many digits (quadratic Decimal -> int work; 4,301 digits: int's limit)."""
    return official_csv(folder, f"digits-{digits}.csv", {"（一）收到申请数": "9" * digits})


# ----------------------------------------------------------------------------- exit 4 where 3 is right (items 5-6)


def cr_only_csv(folder: Path) -> Path:
    """Old Mac Excel ends lines with CR alone."""
    return official_csv(folder, "cr-only.csv", line_end="\r")


def long_field_csv(folder: Path) -> Path:
    return write(folder, "long-field.csv", '项目,数量\n"' + "长" * (200 * 1024) + '",1\n本年新收,2\n')


def odd_utf16(folder: Path) -> Path:
    return write(folder, "odd.csv", b"\xff\xfea\x00b")


def corrupt_deflate(folder: Path) -> Path:
    """A sheet part whose deflate stream is damaged (zlib.error in the formula pre-scan)."""
    data = bytearray(xlsx_bytes([cell("A1", formula="1+1")] + [cell(f"A{i}", i) for i in range(2, 400)]))
    at = data.find(b"xl/worksheets/sheet1.xml") + len(b"xl/worksheets/sheet1.xml") + 40
    data[at:at + 40] = bytes(40)
    return write(folder, "corrupt-deflate.xlsx", bytes(data))


def bogus_encoding(folder: Path, encoding: str = "bogus") -> Path:
    return write(folder, f"encoding-{encoding}.xlsx", xlsx_bytes([cell("A1", formula="1+1")], encoding=encoding))


def huge_count(folder: Path) -> Path:
    """A count of 10^27 against a total of 72 (decimal.InvalidOperation in summarize)."""
    return official_csv(folder, "huge-count.csv", {"3.网络申请数": "1" + "0" * 27})


def infinite_value(folder: Path) -> Path:
    """Item 6: a value of 1e400 (Infinity in JSON)."""
    return official_csv(folder, "infinite.csv", {"3.网络申请数": "1e400", "（一）收到申请数": "1" + "0" * 39})


# ----------------------------------------------------------------------------- bombs (item 7)


def whitespace_sheet(folder: Path, megabytes: int = 800) -> Path:
    return write(folder, "whitespace-sheet.xlsx", xlsx_bytes([cell("A1", 1)], padding=megabytes * 1024 * 1024))


def huge_shared_string(folder: Path, megabytes: int = 500) -> Path:
    return write(folder, "shared-string.xlsx", xlsx_bytes([cell("A1", 1)], shared="x" * (megabytes * 1024 * 1024)))


def _docx(body: str | bytes, chunks: int = 1) -> bytes:
    head = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body>')
    tail = b"</w:body></w:document>"
    body = body.encode() if isinstance(body, str) else body
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                         'openxmlformats.org/package/2006/content-types"/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head)
            for _ in range(chunks):
                part.write(body)
            part.write(tail)
    return out.getvalue()


def docx_big_document(folder: Path, megabytes: int = 800) -> Path:
    return write(folder, "big-document.docx", _docx(b" " * (1024 * 1024), chunks=megabytes))


def docx_spans(folder: Path, cells: int = 100_000, span: int = 200) -> Path:
    tc = f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>'
    row = "<w:tr>" + tc * 100 + "</w:tr>"
    return write(folder, "spans.docx", _docx("<w:tbl>" + row * (cells // 100) + "</w:tbl>"))


def ods_repeated(folder: Path, rows: int = 1_048_576) -> Path:
    return write(folder, "repeated.ods", ods_bytes(rows))


def ods_bytes(rows: int) -> bytes:
    """A spreadsheet of ``rows`` repeated rows of 50 ones (one row element)."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               '<table:table table:name="Sheet1">'
               f'<table:table-row table:number-rows-repeated="{rows}">'
               '<table:table-cell table:number-columns-repeated="50" office:value-type="float" office:value="1">'
               '<text:p>1</text:p></table:table-cell></table:table-row>'
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest='
                         '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return out.getvalue()


def html_spans(folder: Path, cells: int = 2_000, span: int = 200) -> Path:
    row = "<tr>" + f'<td rowspan="{span}" colspan="{span}">1</td>' * 20 + "</tr>"
    return write(folder, "spans.html", "<html><body><table>" + row * (cells // 20) + "</table></body></html>")


def html_rows(folder: Path, megabytes: int = 200) -> Path:
    row = "<tr><td>本年新收政府信息公开申请数量</td><td>1</td></tr>\n"
    path = Path(folder) / "rows.html"
    with path.open("w", encoding="utf-8") as out:
        out.write("<html><body><table>\n")
        for _ in range(megabytes * 1024 * 1024 // len(row.encode())):
            out.write(row)
        out.write("</table></body></html>\n")
    return path


def big_csv(folder: Path, megabytes: int = 100) -> Path:
    row = "本年新收政府信息公开申请数量,1,2,3,4,5\n"
    path = Path(folder) / "big.csv"
    with path.open("w", encoding="utf-8") as out:
        for _ in range(megabytes * 1024 * 1024 // len(row.encode())):
            out.write(row)
    return path


BOMBS = {
    "whitespace-sheet": whitespace_sheet,
    "shared-string": huge_shared_string,
    "docx-document": docx_big_document,
    "docx-spans": docx_spans,
    "ods-repeated": ods_repeated,
    "html-spans": html_spans,
    "html-rows": html_rows,
    "csv-100mb": big_csv,
    "far-rectangle": far_rectangle,
    "huge-sum": huge_sum,
    "understated-formula-sheet": lambda folder: understated_formula_sheet(folder),
    "understated-document": lambda folder: understated_document(folder),
}


# ----------------------------------------------------------------------------- an official table to spoil

OFFICIAL = Path(__file__).resolve().parent.parent / "fixtures" / "beilun-2018-table.tsv"


def official_csv(folder: Path, name: str, values: dict[str, str] | None = None, title: str | None = None,
                 line_end: str = "\n") -> Path:
    """The published Beilun 2018 table as CSV (label, unit, value), with some values replaced
    ({row label: raw text}) and an optional title line above it."""
    values = values or {}
    lines = [title] if title else []
    for line in OFFICIAL.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        label, unit, value = line.split("\t")
        value = values.get(label, value)
        lines.append(",".join(f'"{v}"' if "," in v else v for v in (label, unit, value)))
    return write(folder, name, line_end.join(lines) + line_end)


def understated(data: bytes, member: str, declared: int = 2000) -> bytes:
    """The zip ``data`` with ``member`` saying it inflates to ``declared`` bytes (with the checksum
    of that much), whatever its deflate stream holds: zipfile stops at the declared size, so the
    size limits see only that; whatever reads the part must read no further."""
    data = bytearray(data)
    name = member.encode()
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(member)
        with archive.open(info) as part:
            checksum = zlib.crc32(part.read(declared))
    struct.pack_into("<I", data, info.header_offset + 14, checksum)  # the local header's CRC-32
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:  # the central directory's entry of the part: its CRC-32 and its size
        name_length, extra_length = struct.unpack_from("<HH", data, entry + 28)
        if data[entry + 46:entry + 46 + name_length] == name:
            struct.pack_into("<I", data, entry + 16, checksum)
            if struct.unpack_from("<I", data, entry + 24)[0] != 0xFFFFFFFF:
                struct.pack_into("<I", data, entry + 24, declared)
            extra = entry + 46 + name_length
            while extra < entry + 46 + name_length + extra_length:  # or in its zip64 field
                tag, size = struct.unpack_from("<HH", data, extra)
                if tag == 1 and struct.unpack_from("<I", data, entry + 24)[0] == 0xFFFFFFFF:
                    struct.pack_into("<Q", data, extra + 4, declared)
                extra += 4 + size
        entry = data.find(b"PK\x01\x02", entry + 4)
    return bytes(data)


def understated_sheet(folder: Path, megabytes: int, declared: int = 2000) -> Path:
    """A workbook whose sheet part says it inflates to ``declared`` bytes while its data inflates to
    ``megabytes`` MB of whitespace (see ``understated``)."""
    data = xlsx_bytes([cell("A1", "x")], padding=megabytes * 1024 * 1024)
    return write(folder, "understated.xlsx", understated(data, "xl/worksheets/sheet1.xml", declared))


def understated_parts(folder: Path, megabytes: int, declared: int = 2000) -> list[tuple[Path, str]]:
    """One input for each part a reader of gdstat's inflates itself, each part saying it inflates to
    ``declared`` bytes while it holds ``megabytes`` MB: (path, the part)."""
    padding = b" " * (megabytes * 1024 * 1024)
    made = {
        "workbook.xlsx": (_with_part(xlsx_bytes([cell("A1", formula="1+1")]), "xl/workbook.xml", padding), "xl/workbook.xml"),
        "shared-strings.xlsx": (xlsx_bytes([cell("A1", 1)], shared="x" * len(padding)), "xl/sharedStrings.xml"),
        "core.docx": (_with_part(_docx(""), "docProps/core.xml", padding), "docProps/core.xml"),
        "content.ods": (_with_part(ods_bytes(1), "content.xml", padding), "content.xml"),
    }
    return [(understated_formula_sheet(folder, megabytes, declared), "xl/worksheets/sheet1.xml"),
            (understated_document(folder, megabytes, declared), "word/document.xml"),
            *((write(folder, name, understated(data, member, declared)), member) for name, (data, member) in made.items())]


def _with_part(data: bytes, member: str, padding: bytes) -> bytes:
    """The zip ``data`` with ``member`` (added if absent) followed by ``padding``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != member:
                archive.writestr(info, source.read(info))
        body = source.read(member) if member in source.namelist() else b'<?xml version="1.0"?><x/>'
        with archive.open(member, "w", force_zip64=True) as part:
            part.write(body)
            part.write(padding)
    return out.getvalue()


def understated_formula_sheet(folder: Path, megabytes: int = 1024, declared: int = 2000) -> Path:
    """A sheet holding a formula that says it inflates to ``declared`` bytes and holds ``megabytes`` MB."""
    data = xlsx_bytes([cell("A1", formula="1+1")], padding=megabytes * 1024 * 1024)
    return write(folder, "understated-formula.xlsx", understated(data, "xl/worksheets/sheet1.xml", declared))


def understated_document(folder: Path, megabytes: int = 1024, declared: int = 2000) -> Path:
    """A Word document whose body says it inflates to ``declared`` bytes and holds ``megabytes`` MB."""
    return write(folder, "understated.docx", understated(_docx(b" " * (1024 * 1024), chunks=megabytes),
                                                          "word/document.xml", declared))


def encrypted_part(data: bytes, member: str) -> bytes:
    """The zip ``data`` with ``member`` flagged as encrypted (an archiver's password), in its local
    header and its central directory entry: zipfile refuses to open it (RuntimeError)."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        offset = archive.getinfo(member).header_offset
    struct.pack_into("<H", data, offset + 6, struct.unpack_from("<H", data, offset + 6)[0] | 1)
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46:entry + 46 + name_length] == member.encode():
            struct.pack_into("<H", data, entry + 8, struct.unpack_from("<H", data, entry + 8)[0] | 1)
        entry = data.find(b"PK\x01\x02", entry + 4)
    return bytes(data)
