"""Render the sheets ``gdstat write`` and ``gdstat template`` produce as PNG pages, for docs/img/.

Needs LibreOffice (headless) and poppler's pdftoppm, e.g. on Debian:
    apt-get install --no-install-recommends libreoffice-calc poppler-utils fonts-noto-cjk
Run from the project root:  python docs/render_sheets.py
Not run by the tests or CI. LibreOffice stands in for Excel/WPS here: it honours the sheet's page
setup (A4, fit to width, page breaks) the same way; fonts are substituted when 宋体/黑体 are absent.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from gdstat import load
from gdstat.writers.xlsx import write_report, write_template

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
SHEETS = {  # name -> how to make it
    "sheet-legacy": lambda out: write_report(load(ROOT / "examples" / "beilun-2018.xlsx"), out),
    "sheet-2019": lambda out: write_report(load(ROOT / "examples" / "demo-district" / "2020.xlsx"), out, formulas=True),
    "sheet-2021": lambda out: write_report(load(ROOT / "examples" / "demo-district" / "2022.xlsx"), out, formulas=True),
    "template-2021": lambda out: write_template("2021", out),
}


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        sys.stderr.write("needs soffice (LibreOffice) and pdftoppm (poppler-utils) on PATH\n")
        return 2
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        for name, make in SHEETS.items():
            make(work / f"{name}.xlsx")
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", "pdf",
                        "--outdir", str(work), *(str(work / f"{n}.xlsx") for n in SHEETS)],
                       check=True, capture_output=True)
        for old in (png for name in SHEETS for png in IMG.glob(f"{name}-*.png")):  # its own pages only
            old.unlink()
        for name in SHEETS:
            subprocess.run(["pdftoppm", "-r", "80", "-png", str(work / f"{name}.pdf"), str(IMG / name)], check=True)
    for png in sorted(IMG.glob("*.png")):
        print(f"wrote {png.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
