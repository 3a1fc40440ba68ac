"""The worker pool: no failure inside a worker hangs the caller or loses other items."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from storyline.analyze.workers import WorkerPool, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="worker processes are forked")


def work(items: list[str]) -> list[str]:
    out = []
    for item in items:
        if item == "crash":
            os.kill(os.getpid(), signal.SIGKILL)
        if item == "exit":
            os._exit(3)
        if item == "hang":
            time.sleep(3600)
        if item == "raise":
            raise ValueError("bad item")
        out.append(item.upper())
    return out


def pool(processes: int = 2, seconds: float = 5.0) -> WorkerPool[str, str]:
    return WorkerPool(work, processes, failed=lambda item, why: f"failed {item}: {why}", seconds=lambda items: seconds)


def test_results_come_in_order():
    tasks = [[f"t{n}a", f"t{n}b"] for n in range(20)]
    with pool() as p:
        assert list(p.map(tasks)) == [[x.upper() for x in t] for t in tasks]


def sized(items: list[str]) -> list[str]:
    return [f"{item}/{len(items)}" for item in items]


def test_the_last_tasks_go_out_in_pieces_and_their_results_in_place():
    tasks = [[f"t{n}.{i}" for i in range(8)] for n in range(10)]
    with WorkerPool(sized, 2, failed=lambda item, why: why, seconds=lambda items: 5.0) as p:
        results = list(p.map(tasks))
    assert [[r.split("/")[0] for r in result] for result in results] == tasks
    assert all(r.endswith("/8") for r in results[0])  # read before the end: whole
    assert all(r.endswith("/2") for r in results[-1])  # waiting when the last was read: in 4 pieces


def test_a_crash_a_hang_or_an_error_fails_only_its_item():
    tasks = [["a", "b"], ["c", "crash", "d"], ["e", "hang"], ["f", "raise", "g"], ["exit"], ["h"]]
    started = time.monotonic()
    with pool(seconds=1.5) as p:
        results = list(p.map(tasks))
    assert results[0] == ["A", "B"]
    assert results[1][0] == "C" and results[1][2] == "D"
    assert results[1][1] == "failed crash: the worker process was killed (SIGKILL) while analysing it"
    assert results[2] == ["E", "failed hang: analysis took longer than 2 s and was stopped"]
    assert results[3] == ["F", "failed raise: analysis failed: ValueError: bad item", "G"]
    assert results[4] == ["failed exit: the worker process exited (code 3) while analysing it"]
    assert results[5] == ["H"]
    assert time.monotonic() - started < 20


def test_leaving_the_pool_ends_its_workers_even_on_an_exception():
    pids: list[int] = []
    with pytest.raises(RuntimeError, match="caller failed"):
        with pool(seconds=60) as p:
            pids = [w.process.pid for w in p._workers]
            for _ in p.map([["a"], ["hang"], ["hang"], ["b"]]):
                raise RuntimeError("caller failed")  # while the other workers hang
    assert pids and not any(_alive(pid) for pid in pids)


def _interrupt_after(seconds: float) -> None:
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    signal.setitimer(signal.ITIMER_REAL, seconds)


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX timers")
def test_ctrl_c_while_waiting_ends_the_workers():
    previous = signal.getsignal(signal.SIGALRM)
    pids: list[int] = []
    try:
        _interrupt_after(0.5)
        with pytest.raises(KeyboardInterrupt):
            with pool(seconds=60) as p:
                pids = [w.process.pid for w in p._workers]
                list(p.map([["hang"], ["hang"]]))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert pids and not any(_alive(pid) for pid in pids)


def test_workers_exit_when_the_main_process_is_killed(tmp_path):
    """kill -9 of the main process leaves no worker behind (they watch their parent)."""
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(os.path.dirname(__file__) + '/..')!r})
        from tests.test_workers import pool
        with pool(seconds=60) as p:
            print(" ".join(str(w.process.pid) for w in p._workers), flush=True)
            list(p.map([["hang"], ["hang"]]))
        """
    )
    main = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert main.stdout is not None
    pids = [int(p) for p in main.stdout.readline().split()]
    assert len(pids) == 2 and all(_alive(pid) for pid in pids)
    main.kill()
    main.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in pids)


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting for a parent that will not reap it)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: fall back on kill 0
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
