"""Analysis on Ray: one loaded pipeline per actor, on this machine or on a cluster.

The driver (the ``storyline ingest --ray`` process) reads the inputs, skips what
is stored, sends batches of jobs (texts only, see :class:`~storyline.analyze.pipeline.Job`)
to a pool of actors and stores what comes back, in order, through the same path
as local analysis (:func:`storyline.batch.ingest_items`): the store keeps a
single writer and the story layer runs on the driver.

Failures:

- an actor process that dies (a crash, the OOM killer, a lost node) is restarted
  by Ray and its batch retried there (``max_restarts``, ``max_task_retries``);
- a batch that still fails, or overruns the watchdog, is analysed again one
  document at a time, so only the document that causes it is rejected, with the
  reason; an overrunning actor is killed and replaced.

Each actor asks Ray for one CPU; the pool has one actor per CPU of the cluster.
The pipeline (the spaCy model and storyline) must be installed on every node.
"""

from __future__ import annotations

import functools
import os
import re
import socket
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

from storyline.analyze.pipeline import (
    MIN_CHARS_PER_SECOND,
    Job,
    JobResult,
    Outcome,
    _batches,
    _one_blas_thread,
    _outcomes,
    job_of,
    load_pipeline,
    run_jobs,
)
from storyline.config import ModelNotInstalled, Settings
from storyline.ingest.outlets import Outlets
from storyline.model import Document

if TYPE_CHECKING:
    from spacy.language import Language

# Ray retries a batch this many times on a restarted actor when its process dies.
TASK_RETRIES = 2
# Seconds to reach a cluster's address before saying it cannot be reached.
CONNECT_SECONDS = 5.0
# Batches waiting in an actor's queue beyond the one it runs: keeps it busy between batches.
QUEUED_PER_ACTOR = 1

ProgressCallback = Callable[[str, int], None]


class RayUnavailable(RuntimeError):
    """Ray is not installed, or the cluster cannot be reached (the message says which, in one line)."""


class _Analyser:
    """A Ray actor: loads the pipeline once and analyses batches of jobs with it."""

    def __init__(self, load: Callable[[], Language], batch_size: int) -> None:
        _one_blas_thread()
        self.nlp = load()
        self.batch_size = batch_size

    def pid(self) -> int:
        return os.getpid()

    def run(self, jobs: list[Job]) -> list[JobResult]:
        return run_jobs(self.nlp, jobs, self.batch_size)


@dataclass
class _Sent:
    docs: list[Document]
    jobs: list[Job]
    actor: int  # index in the pool
    ref: Any  # the ObjectRef of the actor's answer


class RayAnalysis:
    """Analysis of documents in a pool of Ray actors; use as a context manager around the batch.

    ``address`` is ``"local"`` (start a Ray instance on this machine, ended on
    exit), ``"auto"`` (the cluster this machine joined with ``ray start``) or
    the ``HOST:PORT`` of a cluster's head (this machine must be one of its nodes). Calling the object with
    documents yields their outcomes in order, as :func:`~storyline.analyze.pipeline.analyze` does.
    """

    def __init__(
        self,
        address: str,
        settings: Settings,
        *,
        actors: int | None = None,
        load: Callable[[], Language] | None = None,
        progress: ProgressCallback | None = None,
        init: dict[str, Any] | None = None,
        retries: int = TASK_RETRIES,
    ) -> None:
        self.address, self.settings, self.size, self.retries = address, settings, actors, retries
        self.load = load or functools.partial(load_pipeline, settings.model)
        self.checks_model = load is None
        self.note = progress or (lambda event, amount: None)
        self.init = init or {}
        self.actors: list[Any] = []
        self._started_ray = False

    # -- lifetime ------------------------------------------------------

    def check(self) -> None:
        """Fail early, with RayUnavailable, if Ray is missing or the address is wrong or unreachable
        (Ray itself is started or joined when the first new document comes)."""
        _ray()
        _check_address(self.address)

    def connect(self) -> None:
        """Start or join Ray (nothing if this process already is); raises RayUnavailable."""
        ray = _ray()
        if not ray.is_initialized():
            _connect(ray, self.address, self.init)
            self._started_ray = True

    def __enter__(self) -> RayAnalysis:
        self.check()
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """End the actors, and the Ray instance when this started it."""
        ray = _ray()
        for actor in self.actors:
            ray.kill(actor, no_restart=True)
        self.actors = []
        if self._started_ray:
            ray.shutdown()
            self._started_ray = False

    def pids(self) -> list[int]:
        """The process ids of the actors (each on its own node's machine)."""
        ray = _ray()
        return ray.get([actor.pid.remote() for actor in self.actors])

    def _start(self) -> None:
        """Start the actors, once, when the first new document comes: nothing new, no model loaded."""
        if self.actors:
            return
        if self.checks_model:
            import spacy.util

            # Checked here too: an actor that cannot load its model would only say so in Ray's log.
            if not spacy.util.is_package(self.settings.model):
                load_pipeline(self.settings.model)  # raises ModelNotInstalled with how to install it
        self.note("model", 0)  # from here to "loaded": starting or joining Ray, then the actors loading
        self.connect()
        ray = _ray()
        size = self.size or max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.actors = [self._new_actor() for _ in range(size)]
        try:
            ray.get([actor.pid.remote() for actor in self.actors])
        except ray.exceptions.RayActorError as err:
            raise ModelNotInstalled(f"the Ray actors could not load the pipeline {self.settings.model!r}: {_cause(err)}") from err
        self.note("model", 1)

    def _new_actor(self) -> Any:
        ray = _ray()
        remote = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=self.retries)(_Analyser)
        return remote.remote(self.load, self.settings.batch_size)

    # -- analysis ------------------------------------------------------

    def __call__(self, documents: Iterable[Document]) -> Iterator[Outcome]:
        self._start()
        outlets = Outlets.bundled()
        batches = _batches(documents, self.settings.batch_size)
        window: deque[_Sent] = deque()
        limit = len(self.actors) * (1 + QUEUED_PER_ACTOR)
        exhausted = False
        while True:
            while not exhausted and len(window) < limit:
                docs = next(batches, None)
                if docs is None:
                    exhausted = True
                    break
                window.append(self._send(docs, [job_of(d, outlets.for_name(d.outlet)) for d in docs], window))
            if not window:
                return
            sent = window.popleft()
            yield from _outcomes(sent.docs, self._collect(sent, window))

    def _send(self, docs: list[Document], jobs: list[Job], window: deque[_Sent]) -> _Sent:
        """Send a batch to the actor with the fewest batches waiting (an actor runs one at a time)."""
        waiting = [0] * len(self.actors)
        for sent in window:
            waiting[sent.actor] += 1
        actor = waiting.index(min(waiting))
        return _Sent(docs, jobs, actor, self.actors[actor].run.remote(jobs))

    def _seconds(self, jobs: list[Job]) -> float:
        return self.settings.watchdog + sum(j.chars for j in jobs) / MIN_CHARS_PER_SECOND

    def _collect(self, sent: _Sent, window: deque[_Sent]) -> list[JobResult]:
        """The batch's results; if it fails or overruns, each document's alone (the one at fault fails)."""
        ray = _ray()
        # Timed from now: the batches before it on its actor are already collected.
        seconds = self._seconds(sent.jobs)
        try:
            return ray.get(sent.ref, timeout=seconds)
        except ray.exceptions.GetTimeoutError:
            self._replace(sent.actor, window)
            reason = f"analysis took longer than {seconds:.0f} s and was stopped"
        except ray.exceptions.RayActorError as err:
            reason = f"the analysis worker died {self.retries + 1} times while analysing it ({_cause(err)})"
        except ray.exceptions.RayError as err:
            reason = f"analysis failed: {_cause(err)}"
        if len(sent.jobs) == 1:
            return [(None, reason)]
        results: list[JobResult] = []
        for doc, job in zip(sent.docs, sent.jobs):
            results += self._collect(self._send([doc], [job], window), window)
        return results

    def _replace(self, index: int, window: deque[_Sent]) -> None:
        """Kill an overrunning actor and start another; its waiting batches go to the new one."""
        ray = _ray()
        ray.kill(self.actors[index], no_restart=True)
        self.actors[index] = self._new_actor()
        ray.get(self.actors[index].pid.remote())  # loaded: the watchdog times analysis, not loading
        for sent in window:
            if sent.actor == index:
                sent.ref = self.actors[index].run.remote(sent.jobs)


def _ray() -> Any:
    try:
        import ray
    except ImportError as err:
        raise RayUnavailable("Ray is not installed: pip install 'storyline[ray]'") from err
    return ray


def _check_address(address: str) -> None:
    """A cluster's address must be HOST:PORT and answer on that port."""
    if address in ("local", "auto"):
        return
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise RayUnavailable(f"Ray address {address!r} is not HOST:PORT, local or auto")
    try:  # ray.init would retry an unreachable address for a long while
        socket.create_connection((host, int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as err:
        raise RayUnavailable(f"cannot reach the Ray cluster at {address}: {err.strerror or err}") from err


def _connect(ray: Any, address: str, init: dict[str, Any]) -> None:
    """Start a local Ray instance, or join a cluster, with a one-line error if it cannot."""
    _check_address(address)
    options: dict[str, Any] = {"address": address, "logging_level": "WARNING", "log_to_driver": False}
    if address == "local":
        # Ray starts workers at niceness 15, below its own services; on a machine shared with
        # other work that would make analysis yield to everything, unlike worker processes.
        options |= {"include_dashboard": False, "_system_config": {"worker_niceness": 0}}
    try:
        ray.init(**(options | init))
    except (ConnectionError, RuntimeError, ValueError) as err:
        # Ray (2.52 on) refuses clients without the cluster's token, and says so only in its log.
        asks_token = address not in ("local", "auto") and not os.environ.get("RAY_AUTH_MODE")
        hint = " (a cluster with token authentication also needs RAY_AUTH_MODE=token)" if asks_token else ""
        raise RayUnavailable(f"cannot connect to the Ray cluster at {address}: {_first_line(err)}{hint}") from err


def _cause(err: BaseException) -> str:
    """The error at the root of a Ray error: its last line names it (Ray's first lines say where)."""
    cause = getattr(err, "cause", None)
    if isinstance(cause, BaseException) and not hasattr(cause, "cause"):
        return f"{type(cause).__name__}: {_first_line(cause)}"
    lines = [_plain(line) for line in str(err).splitlines() if line.strip()]
    return lines[-1] if lines else type(err).__name__


def _first_line(err: BaseException) -> str:
    lines = [_plain(line) for line in str(err).splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__


def _plain(line: str) -> str:
    """A line of a Ray message without its terminal colours."""
    return re.sub(r"\x1b\[[0-9;]*m", "", line).strip()
