"""Work on many files in worker processes that can be killed: one file's crash or hang is that
file's problem, never the run's.

Each worker works on one item at a time, the next one already waiting in its pipe. A worker that
is still busy when the time limit for one file runs out is killed; one that dies (a native reader
aborting, a panic) is noticed when its pipe closes. Either way the item comes back as ``Lost`` and
a fresh worker takes the next one. Workers die with the parent (Linux ``PR_SET_PDEATHSIG``, and
end of input on their pipe), so a parent killed with SIGKILL leaves no worker behind.

``isolated`` runs multiprocessing workers; ``contained`` keeps one child that it forks itself
(``_Forked``), since a one-file command would spend as long importing and starting multiprocessing
as reading the file.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass


@dataclass(frozen=True)
class Lost:
    """An item whose worker did not give a result: ``reason`` says why; ``limit`` names the limit
    (``seconds``, ``memory``) past which it was killed, ``internal`` is set when ``work`` raised an
    ordinary exception (a bug)."""

    reason: str
    limit: str | None = None
    internal: bool = False

    @property
    def timed_out(self) -> bool:
        return self.limit == "seconds"


def _daemonic() -> bool:
    """A daemonic process (a worker of the caller's own multiprocessing pool, or of a Dask
    cluster) may not start multiprocessing's processes: there ``isolated`` runs the work in the
    process itself, as it would without gdstat's workers. ``contained`` forks its reader directly,
    which such a process may do."""
    multiprocessing = sys.modules.get("multiprocessing")  # not imported: not one of its processes
    return multiprocessing is not None and multiprocessing.current_process().daemon


_live: set = set()  # workers running now: killed at exit if a caller left an iteration unfinished
_exit_registered: list = []


def _kill_live() -> None:
    for worker in list(_live):
        worker.stop()


def _context():
    import multiprocessing

    # fork: a worker starts in milliseconds and shares what the parent already imported.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
WATCH = 0.1  # seconds between two looks at the busy workers' memory

# True in a worker: its work is already contained, so ``contained`` calls straight through.
INSIDE = False


_reader: list = []  # [owner pid, worker]: the child ``contained`` work runs in, kept while it lives


def contained(func: Callable, *args, seconds: float | None = None):
    """``func(*args)`` in a killable child process (unless this is already a worker): a native
    library that aborts, panics or loops forever on a hostile file cannot take the command with
    it. An exception ``func`` raises is raised here; a crash, a panic, a run past ``seconds`` or
    past the ``memory`` limit is a ``Lost`` raised as ``Contained``.

    The child is started once and serves every later call (a diff of seven years starts one, not
    seven); one that was lost is replaced at the next call. Each call takes the limits and the
    working folder as they are then."""
    if INSIDE or (READER is not _Forked and _daemonic()):
        return func(*args)
    from gdstat import limits

    if not _reader or _reader[0] != os.getpid() or not _reader[1].alive():
        _reader[:] = [os.getpid(), READER()]  # a forked process starts its own
    reader = _reader[1]
    reader.give(0, (func, args, limits.current(), os.getcwd()), seconds)
    try:
        while True:
            remaining = reader.deadline - time.monotonic()
            try:
                result = reader.answer(min(WATCH, max(0.0, remaining)))
            except (EOFError, OSError):  # the child died: its exit status says how
                reader.join(1)
                result = Lost(reader.stop())
            if result is not None:
                break
            result = _overdue(reader, seconds, limits.get("memory"))
            if result is not None:
                break
    except BaseException:  # interrupted (Ctrl-C): the child is still busy and would answer the next call
        reader.stop()
        _reader.clear()
        raise
    if isinstance(result, Lost):
        _reader.clear()
        raise Contained(result)
    outcome, value = result
    if outcome == "raised":
        raise value
    return value


def _overdue(worker: _Worker, seconds: float | None, most: int) -> Lost | None:
    """The Lost of a busy worker past its time or memory limit, killed; None while it is within both."""
    if time.monotonic() >= worker.deadline:
        worker.stop()
        return Lost(f"more than {seconds:g} s", limit="seconds")
    used = worker.resident()
    if used > most:
        worker.stop()
        from gdstat import limits

        return Lost(f"{used // limits.MB:,} MB", limit="memory")
    return None


class Contained(Exception):
    """The child running ``contained`` work was lost: ``lost`` says how."""

    def __init__(self, lost: Lost):
        super().__init__(lost.reason)
        self.lost = lost


def _returning(call):
    func, args, settings, folder = call  # the caller's limits and working folder as they are now
    from gdstat import limits

    limits.configure(settings)
    os.chdir(folder)
    try:
        return "returned", func(*args)
    except Exception as exc:  # sent back to be raised in the parent
        return "raised", exc


def _serve(conn, work: Callable, settings: dict, inherited: list, parent: int) -> None:
    for other in inherited:  # the parent's ends of earlier workers' pipes, copied by fork
        other.close()
    # What the worker inherited is the parent's to collect: left to the worker's collections, each
    # full one would walk it all again and copy every page it marks (copy-on-write after fork).
    gc.freeze()
    _become_worker(parent)
    from gdstat import limits

    limits.configure(settings)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        conn.send(_unguarded(work, item))


def _become_worker(parent: int) -> None:
    """What a worker is from its start: inside (``contained`` calls through), dying with the
    parent, leaving Ctrl-C to it."""
    global INSIDE
    INSIDE = True
    _die_with_parent(parent)
    # A worker that crashes is a file its parent reports: the stack faulthandler (enabled by pytest
    # or -X faulthandler) would dump on the shared stderr is noise.
    faulthandler = sys.modules.get("faulthandler")
    if faulthandler is not None and faulthandler.is_enabled():
        faulthandler.disable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _die_with_parent(parent: int) -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pipe's end of input stops an idle worker
        pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _unguarded(work: Callable, item):
    """``work(item)``, or the Lost that says what it raised (a Rust panic is a BaseException)."""
    try:
        return work(item)
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        detail = str(exc).strip().splitlines()
        return Lost(f"{type(exc).__name__}: {detail[0] if detail else ''}", internal=isinstance(exc, Exception))


class _Worker:
    def __init__(self, context, work: Callable, others: list[_Worker]):
        from gdstat import limits

        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, work, limits.current(), [w.conn for w in others], os.getpid()))
        _kill_live_at_exit()
        self.process.start()
        _live.add(self)
        child.close()
        self.index, self.deadline = -1, 0.0
        self.held: deque[tuple[int, object]] = deque()  # (index, item) handed by ``isolated``, oldest first

    def resident(self) -> int:
        return _resident(self.process.pid)

    def give(self, index: int, item, seconds: float | None) -> None:
        """Send ``item``, which the worker begins now."""
        self.index = index
        self._clock(seconds)
        self.conn.send(item)

    def hand(self, index: int, item, seconds: float | None) -> None:
        """Send ``item`` to be worked on after those it holds (isolated's way of giving)."""
        if self.held:
            self.conn.send(item)  # waits in the pipe; its clock starts when the one before it ends
        else:
            self.give(index, item, seconds)
        self.held.append((index, item))

    def answered(self, seconds: float | None) -> int:
        """The index of the item whose result has just been received; the next it holds begins now."""
        index = self.held.popleft()[0]
        if self.held:
            self.index = self.held[0][0]
            self._clock(seconds)
        return index

    def _clock(self, seconds: float | None) -> None:
        self.deadline = _deadline(seconds)

    def stop(self) -> str:
        """Kill the worker; why it ended, if it had ended by itself."""
        _live.discard(self)
        ended = self.process.exitcode
        if ended is None:
            self.process.kill()
        self.process.join()
        self.conn.close()
        return _why(ended)


class _Spawned(_Worker):
    """The reader of ``contained`` where the platform cannot fork: a multiprocessing worker, with
    the calls of ``_Forked``."""

    def __init__(self):
        super().__init__(_context(), _returning, [])

    def alive(self) -> bool:
        return self.process.is_alive()

    def answer(self, timeout: float):
        from multiprocessing.connection import wait

        return self.conn.recv() if wait([self.conn], timeout) else None

    def join(self, timeout: float) -> None:
        self.process.join(timeout)


class _Forked:
    """The reader of ``contained``, forked directly: multiprocessing would cost about as much to
    import and start as a whole read. Calls and answers go pickled over two pipes, each message
    after its length; a child that dies closes its pipe, which ends the wait for its answer."""

    def __init__(self):
        calls, self.calls = os.pipe()
        self.answers, answers = os.pipe()
        parent = os.getpid()
        _kill_live_at_exit()
        _pickle()  # imported once, before the fork, for both ends
        with warnings.catch_warnings():  # a Dask worker has threads; the child uses none of theirs
            warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
            self.pid = os.fork()
        if self.pid == 0:
            status = 1
            try:
                os.close(self.calls)
                os.close(self.answers)
                _become_worker(parent)
                while True:
                    try:
                        call = _receive(calls)
                    except (EOFError, OSError):  # the parent is gone
                        break
                    _send(answers, _unguarded(_returning, call))
                status = 0
            finally:
                os._exit(status)  # never back into the parent's code
        os.close(calls)
        os.close(answers)
        _live.add(self)
        self.deadline, self.ended, self.why = 0.0, None, None

    def alive(self) -> bool:
        if self.ended is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped by someone else
                pid, status = self.pid, 0
            if pid:
                self.ended = os.waitstatus_to_exitcode(status)
        return self.ended is None

    def join(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for a child that is ending to have ended."""
        until = time.monotonic() + timeout
        while self.alive() and time.monotonic() < until:
            time.sleep(0.001)

    def give(self, index: int, item, seconds: float | None) -> None:
        self.deadline = _deadline(seconds)
        _send(self.calls, item)

    def answer(self, timeout: float):
        """The answer, or None while there is none after ``timeout`` seconds; EOFError when the
        child died."""
        import select

        poll = select.poll()
        poll.register(self.answers, select.POLLIN)
        return _receive(self.answers) if poll.poll(timeout * 1000) else None

    def resident(self) -> int:
        return _resident(self.pid)

    def stop(self) -> str:
        """Kill the child; why it ended, if it had ended by itself. Stopping it again says the same."""
        if self.why is None:
            _live.discard(self)
            ended = None if self.alive() else self.ended
            if ended is None:
                os.kill(self.pid, signal.SIGKILL)
                with suppress(ChildProcessError):
                    self.ended = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
            os.close(self.calls)
            os.close(self.answers)
            self.why = _why(ended)
        return self.why


def _send(fd: int, message) -> None:
    data = _pickle().dumps(message, protocol=-1)  # the highest protocol
    view = memoryview(len(data).to_bytes(8, "little") + data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int):
    return _pickle().loads(_read(fd, int.from_bytes(_read(fd, 8), "little")))


def _pickle():
    """pickle's C core: the pickle module around it costs about as much to import as a read."""
    try:
        import _pickle as pickle
    except ImportError:
        import pickle
    return pickle


def _read(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _deadline(seconds: float | None) -> float:
    """When work begun now is past ``seconds`` (never, without a limit), on the monotonic clock."""
    return time.monotonic() + seconds if seconds else float("inf")


def _kill_live_at_exit() -> None:
    if not _exit_registered:
        import atexit

        atexit.register(_kill_live)  # registered after multiprocessing's wait for its children: runs first
        _exit_registered.append(True)


def _resident(pid: int) -> int:
    """A worker's resident memory in bytes (0 where /proc does not tell)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _why(ended: int | None) -> str:
    """Why a worker ended, from its exit status (None: it was killed)."""
    if ended is None:
        return "killed"
    if ended < 0:
        return f"the reader crashed ({signal.Signals(-ended).name})"
    return f"the reader stopped (exit status {ended})"


DEPTH = 2  # items a worker of ``isolated`` holds: the one it works on and the next, so it never waits on the parent


def isolated(work: Callable, items: Iterable, jobs: int = 1, seconds: float | None = None) -> Iterator[tuple]:
    """``(item, work(item) or Lost)`` for every item, in order, computed by ``jobs`` workers; an
    item taking more than ``seconds``, or whose worker's memory grows past the ``memory`` limit, is
    killed. At most a few items a worker are ahead of the caller, so results never pile up while
    the caller is busy.

    A worker holds up to DEPTH items: the next waits in its pipe and begins as the one before ends
    (its time counted from then). When a worker is lost, only the item it was working on is; those
    waiting behind it go to another worker."""
    from gdstat import limits

    items = list(items)
    if not items:
        return
    if _daemonic():
        yield from ((item, _unguarded(work, item)) for item in items)
        return
    context = _context()
    jobs = max(1, min(jobs, len(items)))
    queue = deque(enumerate(items))
    most = limits.get("memory")
    window = jobs * 4
    workers: list[_Worker] = []
    results: dict[int, object] = {}
    out = 0
    look = 0.0  # when the busy workers' memory is looked at next

    def lose(worker: _Worker, lost: Lost) -> None:
        workers.remove(worker)
        if worker.held:  # the item it was on is lost; those waiting were never begun
            results[worker.held.popleft()[0]] = lost
            queue.extendleft(reversed(worker.held))  # inside the window, as when first given

    def died(worker: _Worker) -> None:
        """A worker whose pipe broke: its exit status says how it ended."""
        worker.process.join(1)
        lose(worker, Lost(worker.stop()))

    try:
        while out < len(items):
            while queue and queue[0][0] < out + window:
                worker = _taker(workers, jobs, lambda: _Worker(context, work, workers))
                if worker is None:
                    break
                given = queue.popleft()
                try:
                    worker.hand(*given, seconds)
                except OSError:  # it died on the item it holds before its pipe was read: given waits
                    queue.appendleft(given)
                    died(worker)
            if out in results:
                yield items[out], results.pop(out)
                out += 1
                continue
            from multiprocessing.connection import wait

            busy = {w.conn: w for w in workers if w.held}
            deadline = min(w.deadline for w in busy.values())
            timeout = min(WATCH, max(0.0, deadline - time.monotonic()))
            for conn in wait(list(busy), timeout):
                worker = busy[conn]
                try:
                    result = conn.recv()
                except (EOFError, OSError):
                    died(worker)
                    continue
                results[worker.answered(seconds)] = result
            now = time.monotonic()
            if now < look and now < deadline:
                continue
            look = now + WATCH
            for worker in busy.values():
                # a result already in the pipe is taken first: the worker may be on the next item
                if worker in workers and worker.held and not worker.conn.poll():
                    lost = _overdue(worker, seconds, most)
                    if lost is not None:
                        lose(worker, lost)
    finally:
        for worker in workers:
            worker.stop()


def _taker(workers: list[_Worker], jobs: int, start: Callable[[], _Worker]) -> _Worker | None:
    """The worker to hand the next item to: an idle one, else a new one while fewer than ``jobs``
    run, else one holding fewer than DEPTH items; None when all are full."""
    idle = next((w for w in workers if not w.held), None)
    if idle is not None:
        return idle
    if len(workers) < jobs:
        workers.append(start())
        return workers[-1]
    return next((w for w in workers if len(w.held) < DEPTH), None)


READER = _Forked if hasattr(os, "fork") else _Spawned  # the kind of child ``contained`` starts
