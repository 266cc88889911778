"""Writing outputs safely: never over an existing file without --force, never over an input, never
half a file.

Every command that writes a file goes through here: the output is written to a temporary file in
the target folder (so the last step is atomic) and put in place once complete. Without ``force``
that last step is a hard link, which fails if the target appeared in the meantime (another gdstat
writing the same name, a file dropped there during a long ``batch``): nothing is ever replaced
that was not there when gdstat looked. With ``force`` only a regular file is replaced, and never
one that this process read as an input.

A temporary file is named ``.NAME.gdstat-PID.XXXX.tmp``: it is removed when the command fails or
is stopped (Ctrl-C, SIGTERM), and one left by a process that was killed outright (SIGKILL) is
swept by the next command that writes beside it.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from contextlib import contextmanager
from pathlib import Path

from gdstat.errors import OutputError, UsageError

_inputs: set[tuple[int, int]] = set()  # (device, inode) of every input this process read


def protect(path: str | Path) -> None:
    """Note ``path`` as an input: no output of this process may replace it."""
    try:
        info = os.stat(path)
    except OSError:
        return
    _inputs.add((info.st_dev, info.st_ino))


def check_target(out: str | Path, force: bool = False) -> Path:
    """The output path, refused when it is a folder, when its folder does not exist (a mistyped
    folder is not created), when it is an existing file without ``force``, and with ``force`` when
    it is not a regular file or is an input."""
    out = Path(out)
    if not out.parent.is_dir():
        raise UsageError(f"{out}: the folder {out.parent} does not exist",
                         hint="create the folder first, or write into one that exists")
    try:
        info = os.stat(out)
    except FileNotFoundError:
        return out
    except OSError as exc:
        raise OutputError(f"{out}: cannot be written ({exc.strerror})", hint="choose another output path") from None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{out}: is a folder", hint="name a file inside it")
    if not force:
        raise UsageError(f"{out}: already exists", hint="choose another name or pass --force to replace it")
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{out}: is not a regular file (a pipe, device or socket)",
                         hint="--force replaces regular files only; choose another name")
    if (info.st_dev, info.st_ino) in _inputs:
        raise UsageError(f"{out}: is an input of this command; gdstat never replaces an input",
                         hint="write the output to another file")
    return out


def temp_beside(out: Path) -> Path:
    """An empty temporary file in ``out``'s folder, with an ordinary file's permissions (mkstemp
    makes it readable by its owner only; outputs are for sharing)."""
    import tempfile  # here: every read protects its input through this module, and only writes need it

    try:
        sweep(out)
        handle, temp = tempfile.mkstemp(prefix=f".{out.name}.gdstat-{os.getpid()}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise OutputError(f"{out}: cannot be written in {out.parent} ({exc.strerror})",
                          hint="check that the folder is writable, or choose another output path") from None
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)
    return Path(temp)


def sweep(out: Path) -> list[Path]:
    """Remove the temporary files of ``out`` that processes no longer running left behind."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.gdstat-(\d+)\.\w+\.tmp$")
    swept = []
    for entry in os.scandir(out.parent):
        found = pattern.match(entry.name)
        if found and not _running(int(found.group(1))):
            Path(entry.path).unlink(missing_ok=True)
            swept.append(Path(entry.path))
    return swept


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def place(temp: Path, target: Path, force: bool = False) -> None:
    """The last step: the complete ``temp`` becomes ``target``. Without ``force`` this fails,
    leaving the target as it is, if a file appeared there since gdstat looked."""
    if force:
        check_target(target, force=True)  # again: it may have changed while the output was written
        os.replace(temp, target)
        return
    try:
        try:
            os.link(temp, target)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            # A file system without hard links: claim the name exclusively, then fill it.
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            os.replace(temp, target)
    except FileExistsError:
        raise UsageError(f"{target}: appeared while gdstat was writing it; it was left as it is",
                         hint="choose another name or pass --force to replace it") from None
    temp.unlink(missing_ok=True)


@contextmanager
def atomic(out: str | Path, force: bool = False):
    """``with atomic(path) as temp:`` write ``temp``; it becomes ``path`` only if the block succeeds."""
    target = check_target(out, force)
    temp = temp_beside(target)
    try:
        yield temp
        place(temp, target, force)
    finally:
        temp.unlink(missing_ok=True)
