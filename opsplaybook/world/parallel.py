"""Chunks made in worker processes that import only this package — never the caller's script.

Why not :mod:`multiprocessing` / :class:`concurrent.futures.ProcessPoolExecutor`: with the ``spawn``
and ``forkserver`` start methods (the only safe ones once Arrow's or BLAS's threads run; the only
ones on macOS and Windows) every worker first re-runs the caller's ``__main__`` module. A learner's
``make.py`` without an ``if __name__ == "__main__":`` guard then calls ``generate_world`` again
inside the worker and the pool breaks; ``python - < make.py`` makes the worker look for a file named
``<stdin>``. ``fork`` avoids that but may deadlock a process whose threads hold locks. Threads do
not help either: the generator is many short NumPy/Arrow calls, and two threads ran no faster than
one (measured: 4 chunks in 2.43 s serially, 2.57 s on two threads, on 2 cores).

So each worker here is a fresh interpreter started with ``python -c "<import this module; serve>"``:
it imports ``opsplaybook.world`` and nothing of the caller, receives the world's plan once, then
makes the chunks it is sent, all over its stdin/stdout pipes (pickles). The same code runs on Linux,
macOS and Windows, from a script, ``python -c``, stdin, a notebook, pytest or the CLI. A worker that
cannot start (no usable interpreter, the package not importable from it) is dropped with a
``RuntimeWarning`` naming the reason, and its share is made in this process; the rows never depend
on how many workers made them.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

_SERVE = "import opsplaybook.world.parallel as p; p._serve()"
_PROTOCOL = pickle.HIGHEST_PROTOCOL


class WorkerError(RuntimeError):
    """A worker process stopped without sending its chunk back (killed, out of memory …)."""


def _serve() -> None:
    """Worker loop: read (function, shared argument) once, then chunk numbers; send back results."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything the generator prints goes to the worker's log, not into the pipe
    inp = sys.stdin.buffer
    try:
        func, shared = pickle.load(inp)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        pickle.dump(("failed", repr(exc)), out, protocol=_PROTOCOL)
        out.flush()
        return
    pickle.dump(("ready", os.getpid()), out, protocol=_PROTOCOL)
    out.flush()
    while True:
        try:
            i = pickle.load(inp)
        except EOFError:
            return
        try:
            msg = ("ok", i, func(shared, i))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the parent
            msg = ("error", i, exc)
        pickle.dump(msg, out, protocol=_PROTOCOL)
        out.flush()


def _child_env() -> dict[str, str]:
    """The caller's environment, with the folder holding this package first on ``PYTHONPATH`` (so a
    package imported from a source checkout, not installed, is the one the worker imports)."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join([root, *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
    return env


class _Worker:
    def __init__(self, payload: bytes):
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, "-c", _SERVE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, env=_child_env())
        self.proc.stdin.write(payload)
        self.proc.stdin.flush()

    def handshake(self) -> str | None:
        """None once the worker is ready, else the reason it is not."""
        try:
            msg = pickle.load(self.proc.stdout)
        except (EOFError, pickle.UnpicklingError, OSError):
            return f"the worker exited at start-up ({self.log_tail() or 'no message'})"
        return None if msg[0] == "ready" else f"the worker could not load the plan: {msg[1]}"

    def run(self, i: int):
        pickle.dump(i, self.proc.stdin, protocol=_PROTOCOL)
        self.proc.stdin.flush()
        try:
            return pickle.load(self.proc.stdout)
        except (EOFError, pickle.UnpicklingError, OSError):
            self.proc.wait(timeout=5)
            raise WorkerError(f"the worker process making chunk {i} stopped (exit code {self.proc.returncode}): "
                              f"{self.log_tail() or 'no message'}. Try workers=1 to make the world in this "
                              "process.") from None

    def log_tail(self, n: int = 600) -> str:
        try:
            self.log.seek(0)
            text = self.log.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""
        return text[-n:].replace("\n", " | ")

    def close(self, kill: bool = False) -> None:
        try:
            if kill:
                self.proc.kill()
            else:
                self.proc.stdin.close()  # the worker's loop ends at EOF
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdout, self.log):
            try:
                f.close()
            except OSError:
                pass


def imap_chunks(func: Callable, shared, n: int, *, workers: int, ahead: int | None = None) -> Iterator:
    """``func(shared, i)`` for i in 0..n-1, yielded in order, made by up to ``workers`` worker processes.

    ``func`` must be a module-level function of this package (pickled by name); ``shared`` is sent
    to each worker once. At most ``ahead`` results (default ``workers + 1``) wait to be consumed, so
    streaming stays in bounded memory. ``workers <= 1`` or ``n <= 1`` runs in this process.
    """
    if workers <= 1 or n <= 1 or not sys.executable:
        for i in range(n):
            yield func(shared, i)
        return
    payload = pickle.dumps((func, shared), protocol=_PROTOCOL)
    pool = [_Worker(payload) for _ in range(min(workers, n))]
    reasons = [r for r in (w.handshake() for w in pool)]
    ready = [w for w, r in zip(pool, reasons) if r is None]
    for w, r in zip(pool, reasons):
        if r is not None:
            w.close(kill=True)
    if len(ready) < len(pool):
        why = next(r for r in reasons if r is not None)
        warnings.warn(f"generate_world: {len(pool) - len(ready)} of {len(pool)} worker processes did not start "
                      f"({why}); {'the others make the chunks' if ready else 'making the chunks in this process'}. "
                      "Pass workers=1 to silence this.", RuntimeWarning, stacklevel=3)
    if not ready:
        for i in range(n):
            yield func(shared, i)
        return

    ahead = max(len(ready), ahead if ahead is not None else len(ready) + 1)
    cond = threading.Condition()
    state = {"next": 0, "consumed": 0, "stop": False}
    results: dict[int, tuple] = {}

    def feed(worker: _Worker) -> None:
        while True:
            with cond:
                while not state["stop"] and state["next"] < n and state["next"] >= state["consumed"] + ahead:
                    cond.wait()
                if state["stop"] or state["next"] >= n:
                    return
                i = state["next"]
                state["next"] += 1
            try:
                msg = worker.run(i)
            except BaseException as exc:  # noqa: BLE001 - handed to the consumer
                msg = ("error", i, exc)
            with cond:
                results[i] = msg
                cond.notify_all()
            if msg[0] != "ok":
                return

    threads = [threading.Thread(target=feed, args=(w,), daemon=True, name=f"opsplaybook-chunks-{k}")
               for k, w in enumerate(ready)]
    for t in threads:
        t.start()
    ok = False
    try:
        for i in range(n):
            with cond:
                while i not in results:
                    if not any(t.is_alive() for t in threads) and i not in results:
                        raise WorkerError(f"no worker is left to make chunk {i}; try workers=1.")
                    cond.wait(timeout=1.0)
                msg = results.pop(i)
                state["consumed"] = i + 1
                cond.notify_all()
            if msg[0] != "ok":
                raise msg[2]
            yield msg[2]
        ok = True
    finally:
        with cond:
            state["stop"] = True
            cond.notify_all()
        for w in ready:
            w.close(kill=not ok)
        for t in threads:
            t.join(timeout=10)
