"""Render the first page of ``gdstat narrate 2023 -o 2023.docx`` (the demo district) as docs/img/narrate-2023-1.png.

Needs LibreOffice Writer (headless), poppler's pdftoppm and CJK fonts, e.g. on Debian:
    apt-get install libreoffice-writer-nogui fonts-noto-cjk poppler-utils
Run from the project root:  python docs/render_narrate.py
Not run by the tests or CI. The document names the fonts GB/T 9704 prescribes (仿宋_GB2312, 黑体,
楷体_GB2312, 方正小标宋简体); where they are not installed, a fontconfig file made for this run
maps them to Noto CJK so the page shows the layout with the nearest free faces.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
DEMO = ROOT / "examples" / "demo-district"
SUBSTITUTES = {"仿宋_GB2312": "Noto Serif CJK SC", "楷体_GB2312": "Noto Serif CJK SC",
               "黑体": "Noto Sans CJK SC", "方正小标宋简体": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC"}


def fontconfig(work: Path) -> Path:
    aliases = "".join(f"<alias binding=\"same\"><family>{name}</family><prefer><family>{face}</family></prefer></alias>"
                      for name, face in SUBSTITUTES.items())
    path = work / "fonts.conf"
    path.write_text(f"<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig>"
                    f"<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>{aliases}</fontconfig>",
                    encoding="utf-8")
    return path


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        sys.stderr.write("needs soffice (LibreOffice) and pdftoppm (poppler-utils) on PATH\n")
        return 2
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        docx = work / "2023.docx"
        # The command as the docs show it, run in the data folder (2022.xlsx is found beside 2023.xlsx).
        subprocess.run([sys.executable, "-m", "gdstat", "narrate", "2023", "-o", str(docx)], cwd=DEMO, check=True)
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig(work))}
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", "pdf",
                        "--outdir", str(work), str(docx)], check=True, capture_output=True, env=env)
        target = IMG / "narrate-2023"
        subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "-png", str(work / "2023.pdf"),
                        str(target)], check=True)
    print(f"wrote {target.with_suffix('.png').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
