"""PDF reports with a text layer, through pdfplumber (the optional extra ``gdstat[pdf]``).

The text of every page is extracted in reading order and handed to the text reader, which rebuilds
the table's rows through the catalogue: PDF text keeps a row's numbers on one line with its label,
prints the numbers of a wrapped label on the line above it, and breaks header words apart; the
text reader handles each. Locations are lines of the extracted text (sheet ``text``).
"""

from __future__ import annotations

from pathlib import Path

from gdstat.errors import InputError
from gdstat.io.grid import Sheet


def pdf_text(path: Path) -> str:
    try:
        import pdfplumber
    except ImportError:
        raise InputError(f"{path}: reading PDF needs the optional pdf extra",
                         hint="install it with: pip install 'gdstat[pdf]'") from None
    try:
        with pdfplumber.open(path) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as exc:  # pdfminer raises many types for damaged files
        raise InputError(f"{path}: the PDF could not be read ({type(exc).__name__})",
                         hint="open it in a PDF reader and save or print it to a new PDF") from None
    return "\n".join(pages)


def read_pdf(path: Path, table_format: str | None = None) -> list[Sheet]:
    from gdstat.io.textreport import rebuild

    text = pdf_text(path)
    if not text.strip():
        raise InputError(f"{path}: the PDF has no text layer (a scanned image)",
                         hint="run OCR on it first, or copy the report's text from its web page")
    sheet = rebuild(text, str(path), table_format, "pdf", "text")
    return [sheet if sheet is not None else Sheet("text", [], kind="pdf", text=text)]
