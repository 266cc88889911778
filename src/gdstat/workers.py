"""Work on many files in worker processes that can be killed: one file's crash or hang is that
file's problem, never the run's.

Each worker works on one item at a time, the next one already waiting in its pipe. A worker that
is still busy when the time limit for one file runs out is killed; one that dies (a native reader
aborting, a panic) is noticed when its pipe closes. Either way the item comes back as ``Lost`` and
a fresh worker takes the next one. Workers die with the parent (Linux ``PR_SET_PDEATHSIG``, and end of input on their pipe), so
a parent killed with SIGKILL leaves no worker behind.
"""

from __future__ import annotations

import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
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
    """A daemonic process (a worker of the caller's own multiprocessing pool) may not start
    processes: there the work runs in the process itself, as it would without gdstat's workers."""
    import multiprocessing

    return multiprocessing.current_process().daemon


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
    if INSIDE or _daemonic():
        return func(*args)
    from multiprocessing.connection import wait

    from gdstat import limits

    if not _reader or _reader[0] != os.getpid() or not _reader[1].process.is_alive():
        _reader[:] = [os.getpid(), _Worker(_context(), _returning, [])]  # a forked process starts its own
    worker = _reader[1]
    worker.give(0, (func, args, limits.current(), os.getcwd()), seconds)
    try:
        while True:
            remaining = worker.deadline - time.monotonic()
            if wait([worker.conn], min(WATCH, max(0.0, remaining))):
                try:
                    result = worker.conn.recv()
                except (EOFError, OSError):
                    worker.process.join(1)
                    result = Lost(worker.stop())
                break
            result = _overdue(worker, seconds, limits.get("memory"))
            if result is not None:
                break
    except BaseException:  # interrupted (Ctrl-C): the child is still busy and would answer the next call
        worker.stop()
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
    global INSIDE
    INSIDE = True
    for other in inherited:  # the parent's ends of earlier workers' pipes, copied by fork
        other.close()
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from gdstat import limits

    limits.configure(settings)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        conn.send(_unguarded(work, item))


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
        if not _exit_registered:
            import atexit

            atexit.register(_kill_live)  # registered after multiprocessing's wait for its children: runs first
            _exit_registered.append(True)
        self.process.start()
        _live.add(self)
        child.close()
        self.index, self.deadline = -1, 0.0
        self.held: deque[tuple[int, object]] = deque()  # (index, item) handed by ``isolated``, oldest first

    def resident(self) -> int:
        """The worker's resident memory in bytes (0 where /proc does not tell)."""
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as statm:
                return int(statm.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            return 0

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
        self.deadline = time.monotonic() + seconds if seconds else float("inf")

    def stop(self) -> str:
        """Kill the worker; why it ended, if it had ended by itself."""
        _live.discard(self)
        ended = self.process.exitcode
        if ended is None:
            self.process.kill()
        self.process.join()
        self.conn.close()
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
        results[worker.held.popleft()[0]] = lost
        queue.extendleft(reversed(worker.held))  # never begun; inside the window, as when first given

    try:
        while out < len(items):
            while queue and queue[0][0] < out + window:
                worker = _taker(workers, jobs, lambda: _Worker(context, work, workers))
                if worker is None:
                    break
                worker.hand(*queue.popleft(), seconds)
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
                    worker.process.join(1)
                    lose(worker, Lost(worker.stop()))
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
