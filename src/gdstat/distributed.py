"""``batch`` on a Dask cluster: the same per-file work, spread over many machines.

The workers list the inputs (so the paths are theirs: shared storage, or fsspec URLs such as
``s3://bucket/reports/**/*.xlsx`` when the fsspec filesystem is installed on them), read them with
``batch.read_one`` exactly as the local run does, and write the value rows of each task group
as one part of a Parquet dataset. The client only receives each file's findings and counts.

Safety is as for one file: the parts are written into a temporary folder beside the target, each
part itself through a temporary name, and the folder is renamed into place when every group is
done, so a failed or interrupted run leaves nothing. A worker that dies is replaced and its
groups are run again by the scheduler (a part is written whole or not at all, under a name that
depends only on its group, so a rerun overwrites it); a group whose every attempt killed its
worker becomes one ``internal-error`` finding per file, and the run goes on.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from gdstat import limits
from gdstat.batch import (COLUMNS, FINDING_COLUMNS, BatchRun, FileResult, Sink, Tally, _unreadable, lost, output_kind,
                          read_one)
from gdstat.errors import InputError, UsageError
from gdstat.inputs import expand

GROUP = 200  # files a task: a few seconds of work for a worker, a part of about 30,000 rows
PART = "part-{:05d}.parquet"


def list_inputs(paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The files to read, as ``inputs.expand`` lists them, and gdstat's own outputs it passed over;
    fsspec URLs (``scheme://``) are listed through their filesystem (globs expanded, folders walked)."""
    local = [p for p in paths if "://" not in p]
    passed: list[tuple[str, str]] = []
    found = expand(local, passed) if local else []
    for url in (p for p in paths if "://" in p):
        import fsspec
        from gdstat.io.read import SUFFIXES

        fs, root = fsspec.core.url_to_fs(url)
        names = fs.glob(root) if any(ch in root for ch in "*?[") else [root]
        files = []
        for name in names:
            files += sorted(fs.find(name)) if fs.isdir(name) else [name]
        found += [fs.unstrip_protocol(f) for f in files
                  if f == root or os.path.splitext(f)[1].lower() in SUFFIXES and not os.path.basename(f).startswith((".", "~$"))]
    return found, passed


def _read(path: str, options: dict) -> FileResult:
    """``read_one`` on a local path, or on a local copy of an fsspec URL (findings keep the URL)."""
    if "://" not in path:
        return _contained(path, options)
    import fsspec

    try:
        with fsspec.open(path, "rb") as remote:
            data = remote.read()
    except (OSError, ValueError) as exc:
        return _unreadable(path, f"{path}: could not be fetched ({exc})", options["lang"])
    suffix = os.path.splitext(path)[1]
    handle, local = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        result = _contained(local, options)
    finally:
        os.unlink(local)
    return _renamed(result, local, path)


def _contained(path: str, options: dict) -> FileResult:
    """``read_one`` in the worker's reader child, under the ``seconds`` and ``memory`` limits, as a
    local run reads each file in a worker it can kill: a file that crashes a reader, or runs past a
    limit, is one unreadable file, and the Dask worker (with the other files of its group) goes on."""
    from functools import partial

    from gdstat.workers import Contained, contained

    try:
        return contained(partial(read_one, **options), path, seconds=limits.get("seconds"))
    except Contained as exc:
        return lost(path, exc.lost, options["lang"])


def _renamed(result: FileResult, local: str, path: str) -> FileResult:
    """The result of reading a local copy, told of the URL it came from."""
    def fix(value):
        return value.replace(local, path) if isinstance(value, str) else value

    return replace(result, path=path, data=result.data.replace(local.encode("utf-8"), path.encode("utf-8")),
                   findings=[tuple(fix(v) for v in row) for row in result.findings],
                   error=fix(result.error))


def write_part(files: list[str], part: str, options: dict, bounds: dict[str, int]) -> list[FileResult]:
    """Read one group of files on a worker, under the client's limits (``bounds``), and write their
    value rows as one Parquet part, atomically. Returns each file's result without its rows
    (findings, counts, errors)."""
    limits.configure(bounds)
    sink = Sink(part, "parquet", COLUMNS, force=True)
    results = []
    try:
        for path in files:
            result = _read(path, {**options, "encode": "csv"})
            sink.write_encoded(result.data, result.values)
            results.append(replace(result, data=b""))
        sink.commit()
    except BaseException:
        sink.discard()
        raise
    return results


def _connect(address):
    try:
        from dask.distributed import Client
    except ImportError:
        raise UsageError("--dask needs dask.distributed, which is not installed",
                         hint="pip install 'gdstat[dask]'") from None
    if not isinstance(address, str):  # a Client, a LocalCluster: anything Client takes
        return Client(address, set_as_default=False)
    try:
        return Client(address, timeout=10, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"{address}: no Dask scheduler answers there ({exc})",
                         hint="start one with `dask scheduler` and workers with `dask worker ADDRESS`") from None


def _prepare(output: str | Path, force: bool) -> tuple[Path, Path]:
    target = Path(output)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target}: the Dask run writes a folder of Parquet parts, and this is a file",
                         hint="name a folder, e.g. -o dataset/")
    if target.exists() and any(target.iterdir()) and not force:
        raise UsageError(f"{target}: already exists", hint="choose another name or pass --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target, Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))


def run(paths: Iterable[str | Path], output: str | Path, address, findings: str | None = None,
        findings_kind: str | None = None, fail_on: str = "error", lang: str = "zh", encoding: str | None = None,
        table_format: str | None = None, force: bool = False, group: int = GROUP,
        on_file: Callable[[FileResult], None] | None = None,
        on_files: Callable[[int], None] | None = None, escape_formulas: bool = True) -> BatchRun:
    """``batch.run`` on the Dask cluster at ``address`` (``tcp://host:8786``, or a Client or
    cluster object): every value into the Parquet dataset folder ``output``, one part per
    ``group`` files, and the findings to ``findings`` (any kind ``batch`` writes), written here;
    CSV text fields guarded against formula injection unless ``escape_formulas`` is false.
    """
    started = time.perf_counter()
    paths = [str(p) for p in paths]
    if findings is not None:
        findings_kind = output_kind(findings, findings_kind)
    import importlib.util

    if importlib.util.find_spec("pyarrow") is None:
        raise UsageError("the Dask run writes Parquet, which needs pyarrow", hint="pip install 'gdstat[dask]'")
    client = _connect(address)
    try:
        files, passed = client.submit(list_inputs, paths, pure=False).result()  # listed where they are read
        if not files:
            raise InputError("no input files found", hint="name files, folders or globs that the workers can read")
        target, temp = _prepare(output, force)
        try:
            problems = (Sink(findings, findings_kind, FINDING_COLUMNS, force, escape_formulas)
                        if findings is not None else None)
            try:
                if on_files is not None:
                    on_files(len(files))
                options = {"lang": lang, "encoding": encoding, "table_format": table_format}
                groups = [files[i:i + group] for i in range(0, len(files), group)]
                futures = [client.submit(write_part, chunk, str(temp / PART.format(n)), options, limits.current(),
                                         pure=False)
                           for n, chunk in enumerate(groups)]
                tally = Tally(fail_on, problems, on_file)
                values = _collect(groups, futures, tally, lang)
                if tally.unreadable == len(files):  # as in a local run: a failed run leaves nothing
                    raise InputError("no input file could be read; nothing was written",
                                     hint="check that the workers see the files at these paths")
                if problems is not None:
                    problems.commit()
            except BaseException:
                if problems is not None:
                    problems.discard()
                raise
            for stray in temp.glob(".*.tmp"):  # a part a dead worker was writing when it died
                stray.unlink()
            if target.exists():
                shutil.rmtree(target)
            os.replace(temp, target)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
    finally:
        client.close()
    return BatchRun(len(files), tally.unreadable, values, tally.counts, tally.worst, time.perf_counter() - started,
                    str(target), problems.name if problems is not None else None, tuple(passed))


def _collect(groups, futures, tally: Tally, lang: str) -> int:
    """Each group's results in order, into the tally; the number of value rows written."""
    from dask.distributed import KilledWorker

    values = 0
    for chunk, future in zip(groups, futures):
        try:
            results = future.result()
        except KilledWorker as exc:  # every attempt took its worker down: the files are findings
            results = [_unreadable(path, f"internal error: the Dask worker reading this file's group died ({exc})",
                                   lang, code="internal-error") for path in chunk]
        future.release()
        for result in results:
            values += result.values
            tally.add(result)
    return values
