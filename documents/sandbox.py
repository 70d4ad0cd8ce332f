"""A region's template runs in a child process with a time and a memory limit.

The Jinja sandbox keeps a template away from Python's internals, but not from work: nested loops
over `range(100000)` or a string multiplied a billion times would hold a web or worker process.
So a region's template (the check of an upload, and each document from it) renders in a process
forked for it: limited to `seconds` of wall time (then killed) and to its address space plus
`memory_mb` (RLIMIT_AS, set in the child only: the limit dies with it, unlike a limit set inside a
pool process that would stay for the next task, docs/ARCHITECTURE.md). The child touches no
database and leaves with os._exit, so the parent's connections and files are not closed by it.
The shipped defaults are the portal's own code and render in the process itself.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable

__all__ = ["Limited", "run_limited"]


class Limited(Exception):
    """The child ran out of time or memory, or died."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "time", "memory" or "crash"


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None


def run_limited(function: Callable[[], object], *, seconds: float, memory_mb: int) -> object:
    """function() in a forked child; its result (picklable) or an exception it raised, re-raised
    here when picklable; Limited when it took too long or too much memory."""
    if not hasattr(os, "fork"):  # not on Linux: in the process itself, without the limits
        return function()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 0
        try:
            os.close(read_end)
            current = _address_space()
            if current is not None:
                limit = current + memory_mb * 2**20
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            try:
                outcome = ("ok", function())
            except MemoryError:
                outcome = ("limited", "memory")
            except Exception as error:
                try:
                    pickle.dumps(error)
                    outcome = ("error", error)
                except Exception:
                    outcome = ("error", RuntimeError(f"{type(error).__name__}: {error}"[:500]))
            data = pickle.dumps(outcome)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    deadline = time.monotonic() + seconds
    chunks = []
    try:
        while True:
            remaining = deadline - time.monotonic()
            ready = select.select([read_end], [], [], max(remaining, 0))[0] if remaining > 0 else []
            if not ready:
                os.kill(pid, signal.SIGKILL)
                raise Limited("time")
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    if not chunks:
        raise Limited("crash")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "ok":
        return value
    if kind == "limited":
        raise Limited(value)
    raise value
