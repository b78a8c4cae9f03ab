"""One submission's work in a forked child: its own session and temporary directory, a
memory cap, a size cap on files it writes, and a deadline after which it is killed with
every process it started. What it returns comes back through a pipe as JSON."""
from __future__ import annotations

import ctypes
import gc
import json
import os
import resource
import selectors
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Outcome = dict[str, Any]

# Held while forking and while a worker thread imports modules: a thread forking while
# another holds a module's import lock gives a child that waits on that lock for ever
# (the lock is copied held, and its holder is not). Dask workers may run several threads.
IMPORTING = threading.Lock()


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-submission caps (intake's --timeout, --max-memory, --max-size)."""

    timeout: float = 600.0  # seconds of wall time
    max_memory: int = 4 << 30  # bytes of address space, the child and the git it runs each
    max_size: int = 2 << 30  # bytes: the submission on disk, an archive unpacked, any file written


def error(reason: str, **extra: Any) -> Outcome:
    return {"verdict": "error", "reason": reason, **extra}


def in_sandbox(work: Callable[[], Outcome], limits: Limits, workdir: Path) -> Outcome:
    """work() run in a forked child whose temporary files all go under workdir.

    A child that overruns limits.timeout is killed with its process group; one that dies or
    runs out of memory gives an error outcome. The caller removes workdir afterwards."""
    read_end, write_end = os.pipe()
    # The child's collections leave the worker's objects alone: fewer pages copied on write.
    with IMPORTING:
        gc.freeze()
        pid = os.fork()
        if pid == 0:  # the child never returns from here
            os.close(read_end)
            _child(work, limits, workdir, write_end)
        gc.unfreeze()
    os.close(write_end)
    started = time.monotonic()
    data, finished = _read_until(read_end, started + limits.timeout)
    # The child is not reaped yet, so its pid still names its process group: whatever it
    # left running there (git) goes with it.
    _kill_group(pid)
    _, status = os.waitpid(pid, 0)
    if not finished:
        return error(f"timed out after {limits.timeout:g} s (--timeout)", seconds={"total": time.monotonic() - started})
    try:
        return json.loads(data) if data else _died(status)
    except json.JSONDecodeError:
        return _died(status)


def _child(work: Callable[[], Outcome], limits: Limits, workdir: Path, out: int) -> None:
    try:
        os.setsid()  # its own process group: killed whole on timeout, deaf to the terminal's ^C
        _die_with_parent()
        _cap(limits)
        os.environ["TMPDIR"] = str(workdir)
        tempfile.tempdir = str(workdir)
        outcome = work()
    except MemoryError:
        outcome = error(f"over the memory cap of {limits.max_memory >> 20} MiB (--max-memory)")
    except BaseException as exc:  # noqa: BLE001 - the batch goes on; the message may hold a secret
        outcome = error(f"internal error: {type(exc).__name__}")
    try:
        payload = json.dumps(outcome).encode()
        with os.fdopen(out, "wb") as stream:
            stream.write(payload)
    finally:
        os._exit(0)  # no atexit handlers: they belong to the process that forked this one


def _cap(limits: Limits) -> None:
    signal.signal(signal.SIGTERM, _end_group)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_AS, (limits.max_memory, limits.max_memory))
    # Python ignores SIGXFSZ: a write past the cap fails with EFBIG instead of killing the child.
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.max_size, limits.max_size))


def _die_with_parent() -> None:
    """Linux: when the worker that forked the child goes (an interrupted batch), the child is
    sent SIGTERM and ends its whole process group, git included."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the worker went before the call above
        _end_group()


def _end_group(*_: object) -> None:
    os.killpg(0, signal.SIGKILL)


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        try:
            while (left := deadline - time.monotonic()) > 0:
                if not selector.select(left):
                    continue
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return b"".join(chunks), True
                chunks.append(chunk)
            return b"", False
        finally:
            os.close(fd)


def _kill_group(pid: int) -> None:
    for kill in (os.killpg, os.kill):  # os.kill: a child stopped before it made its own group
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _died(status: int) -> Outcome:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        hint = " (out of memory?)" if sig == signal.SIGKILL else ""
        return error(f"the scan died of signal {signal.Signals(sig).name}{hint}")
    return error(f"the scan exited with status {os.WEXITSTATUS(status)} and no result")
