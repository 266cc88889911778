"""Writing outputs safely: never over an existing file without --force, never half a file.

Every command that writes a file goes through here: the output is written to a temporary file in
the target folder (so the rename is atomic) and renamed into place once complete.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from gdstat.errors import UsageError


def check_target(out: str | Path, force: bool = False) -> Path:
    """The output path, refused when it is a folder, when its folder does not exist (a mistyped
    folder is not created), or when it is an existing file without ``force``."""
    out = Path(out)
    if not out.parent.is_dir():
        raise UsageError(f"{out}: the folder {out.parent} does not exist",
                         hint="create the folder first, or write into one that exists")
    if out.is_dir():
        raise UsageError(f"{out}: is a folder", hint="name a file inside it")
    if out.exists() and not force:
        raise UsageError(f"{out}: already exists", hint="choose another name or pass --force to replace it")
    return out


def temp_beside(out: Path) -> Path:
    """An empty temporary file in ``out``'s folder, with an ordinary file's permissions (mkstemp
    makes it readable by its owner only; outputs are for sharing)."""
    handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)
    return Path(temp)


@contextmanager
def atomic(out: str | Path, force: bool = False):
    """``with atomic(path) as temp:`` write ``temp``; it becomes ``path`` only if the block succeeds."""
    target = check_target(out, force)
    temp = temp_beside(target)
    try:
        yield temp
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
