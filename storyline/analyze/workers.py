"""Worker processes for analysis that no input can hang: crashes, hangs and signals are handled.

spaCy's ``nlp.pipe(n_process=…)`` stops at the first error, and then waits
forever for workers still writing into pipes that nobody reads; it cannot tell
which batch killed a worker, has no time limit, and leaves its workers running
when the main process is terminated. This pool gives each worker one task at a
time over its own pipe, so it always knows what a worker holds:

- a worker that dies (a crash, the OOM killer) or overruns its task's time
  limit is ended and replaced; its task is retried one item at a time, so only
  the item that causes the failure fails, with the reason;
- results come back in task order, with a bounded number of tasks read ahead;
- the tasks still waiting when the last one is read go out in smaller pieces, so that the
  workers finish together rather than one analysing a whole task while the others wait;
- workers ignore Ctrl-C (the main process handles it and ends them), and exit
  by themselves when the main process disappears (``kill -9`` included).

Workers are forked: they share the loaded pipeline with the main process
instead of loading their own.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

TAIL_PIECES = 4  # the tasks still waiting when the last is read go out in this many pieces each
PARENT_POLL_SECONDS = 1.0  # how soon an orphaned worker notices and exits
STOP_GRACE_SECONDS = 3.0  # how long a stopping worker may take before it is killed


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@dataclass
class _Task(Generic[Item]):
    seq: int  # the caller's task this belongs to
    positions: list[int]  # positions of ``items`` in that task
    items: list[Item]


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process (fork context)
    conn: Connection
    task: _Task[Any] | None = None
    deadline: float = 0.0
    done: int = 0  # tasks finished, to tell a broken start from a crash on input


@dataclass
class _Pending(Generic[Result]):
    results: list[Result | None]
    missing: int = field(default=0)


class WorkerPool(Generic[Item, Result]):
    """``processes`` forked workers applying ``work`` to lists of items.

    ``work(items)`` returns one result per item. When a worker dies or overruns
    ``seconds(items)`` on a single item, that item's result is
    ``failed(item, reason)``. Use as a context manager: leaving it (normally,
    by an exception or by Ctrl-C) ends every worker.
    """

    def __init__(
        self,
        work: Callable[[list[Item]], list[Result]],
        processes: int,
        *,
        failed: Callable[[Item, str], Result],
        seconds: Callable[[list[Item]], float],
        init: Callable[[], None] | None = None,
    ) -> None:
        self.work, self.processes, self.failed, self.seconds, self.init = work, processes, failed, seconds, init
        self._context = multiprocessing.get_context("fork")
        self._workers: list[_Worker] = []
        self._broken_starts = 0

    def __enter__(self) -> WorkerPool[Item, Result]:
        self._workers = [self._start() for _ in range(self.processes)]
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(graceful=exc[0] is None)

    # -- the main process ---------------------------------------------

    def map(self, tasks: Iterable[list[Item]]) -> Iterator[list[Result]]:
        """Results of each task, in order; at most ``processes`` tasks wait beyond those running."""
        source = enumerate(tasks)
        queue: deque[_Task[Item]] = deque()
        pending: dict[int, _Pending[Result]] = {}
        exhausted, emitted = False, 0
        while True:
            while not exhausted and len(queue) < self.processes:
                try:
                    seq, items = next(source)
                except StopIteration:
                    exhausted = True
                    # The last tasks go out in pieces: whole, one worker analysed the last of them
                    # while the others, done, left their cores idle (a task of 16 reports: seconds).
                    pieces = [piece for task in queue for piece in _pieces(task, TAIL_PIECES)]
                    queue.clear()
                    queue.extend(pieces)
                    break
                pending[seq] = _Pending([None] * len(items), len(items))
                queue.append(_Task(seq, list(range(len(items))), list(items)))
            # Idle workers get their next task before results go out: the caller's work on them
            # (storing, placing in stories) then runs while the workers analyse, not between.
            for worker in self._workers:
                if worker.task is None and queue:
                    self._assign(worker, queue.popleft())
            while emitted in pending and pending[emitted].missing == 0:
                yield pending.pop(emitted).results  # type: ignore[misc]
                emitted += 1
            busy = [w for w in self._workers if w.task is not None]
            if not busy:
                if exhausted and not queue and not pending:
                    return
                continue
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
            for worker in busy:
                if worker.conn in ready:
                    self._receive(worker, pending, queue)
                elif worker.process.sentinel in ready:
                    self._fail(worker, pending, queue)
                elif time.monotonic() >= worker.deadline:
                    limit = self.seconds(worker.task.items)  # type: ignore[union-attr]
                    self._fail(worker, pending, queue, f"analysis took longer than {limit:.0f} s and was stopped")

    def _assign(self, worker: _Worker, task: _Task[Item]) -> None:
        worker.task = task
        worker.deadline = time.monotonic() + self.seconds(task.items)
        try:
            worker.conn.send(task.items)
        except (BrokenPipeError, ConnectionResetError, EOFError):
            pass  # it died; its sentinel says so on the next wait

    def _receive(self, worker: _Worker, pending: dict[int, _Pending[Result]], queue: deque[_Task[Item]]) -> None:
        try:
            status, payload = worker.conn.recv()
        except (EOFError, ConnectionResetError, OSError):
            self._fail(worker, pending, queue)
            return
        task, worker.task = worker.task, None
        assert task is not None
        if status == "ok":
            worker.done += 1
            slot = pending[task.seq]
            for position, result in zip(task.positions, payload):
                slot.results[position] = result
            slot.missing -= len(task.positions)
        else:  # ``work`` itself raised: retry the items alone, or report the error
            self._retry_or_fail(task, pending, queue, payload)

    def _fail(
        self, worker: _Worker, pending: dict[int, _Pending[Result]], queue: deque[_Task[Item]], reason: str | None = None
    ) -> None:
        """A worker died (``reason`` None) or overran: end it, start another, and retry or fail what it held."""
        task = worker.task
        if reason is None:  # its pipes close a moment before it can be waited for
            worker.process.join(STOP_GRACE_SECONDS)
            reason = _death(worker.process)
        self._stop(worker, graceful=False)
        if worker.done == 0 and task is not None and len(task.items) > 1:
            self._broken_starts += 1
            if self._broken_starts > 3 * self.processes:
                raise RuntimeError(f"analysis worker processes keep dying at start ({reason})")
        self._workers[self._workers.index(worker)] = self._start()
        if task is not None:
            self._retry_or_fail(task, pending, queue, reason)

    def _retry_or_fail(self, task: _Task[Item], pending: dict[int, _Pending[Result]], queue: deque[_Task[Item]], reason: str) -> None:
        if len(task.items) > 1:  # find the culprit: each item alone, before anything else
            queue.extendleft(reversed([_Task(task.seq, [p], [i]) for p, i in zip(task.positions, task.items)]))
            return
        slot = pending[task.seq]
        slot.results[task.positions[0]] = self.failed(task.items[0], reason)
        slot.missing -= 1

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        inherited = [w.conn for w in self._workers] + [ours]
        process = self._context.Process(
            target=_serve, args=(self.work, self.init, theirs, os.getpid(), inherited), daemon=True
        )
        # Signals stay blocked until the child has set its own handlers.
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        theirs.close()  # only the child holds its end, so its death is an EOF here
        return _Worker(process, ours)

    def _stop(self, worker: _Worker, *, graceful: bool) -> None:
        if graceful and worker.task is None and worker.process.is_alive():
            try:
                worker.conn.send(None)
            except OSError:
                pass
            worker.process.join(STOP_GRACE_SECONDS)
        if worker.process.is_alive():
            worker.process.terminate()
            worker.process.join(STOP_GRACE_SECONDS)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def close(self, *, graceful: bool = True) -> None:
        """End every worker: asked to stop when idle and ``graceful``, else terminated."""
        workers, self._workers = self._workers, []
        for worker in workers:
            if not graceful or worker.task is not None:
                worker.process.terminate()  # all at once, then wait for each
        for worker in workers:
            self._stop(worker, graceful=graceful)


def _pieces(task: _Task[Item], n: int) -> list[_Task[Item]]:
    """``task`` in up to ``n`` tasks of consecutive items (its results go to the same places)."""
    size = max(1, -(-len(task.items) // n))
    return [_Task(task.seq, task.positions[i:i + size], task.items[i:i + size]) for i in range(0, len(task.items), size)]


def _death(process: Any) -> str:
    code = process.exitcode
    if code is None:
        return "the worker process stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the worker process was killed ({name}) while analysing it"
    return f"the worker process exited (code {code}) while analysing it"


# -- the worker process ------------------------------------------------


def _serve(
    work: Callable[[list[Any]], list[Any]],
    init: Callable[[], None] | None,
    conn: Connection,
    parent: int,
    inherited: list[Connection],
) -> None:
    # Ctrl-C reaches the whole process group: the main process handles it and ends us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    for other in inherited:  # the main process's ends of every pipe, so EOFs reach it
        other.close()
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    if init is not None:
        init()
    while True:
        try:
            items = conn.recv()
        except (EOFError, OSError):
            return
        if items is None:
            return
        try:
            reply: tuple[str, Any] = ("ok", work(items))
            conn.send(reply)
        except Exception as err:  # noqa: BLE001 — reported to the main process, which retries
            conn.send(("error", f"analysis failed: {type(err).__name__}: {err}"))


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)
