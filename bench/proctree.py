"""Run a command and measure it: wall time, CPU and peak RSS (os.wait4), and the summed
memory of its process tree (from /proc), without counting the benchmark's own memory.

Why a launcher: a child forked from the benchmark process starts with the benchmark's
RSS high-water mark, and the kernel keeps it across exec (``setmax_mm_hiwater_rss`` in
``exec_mmap``), so ``os.wait4`` on a direct child reports at least the benchmark's own
peak RSS: a Python parent holding 400 MB makes ``true`` look like 430 MB
(``bench/scan_worktree.py``'s ``measure`` has this flaw once its parent has grown). Here
a small launcher (``python -S``, about 10 MB) forks and execs the command and
``os.wait4``s it, so the peak RSS reported is the command's own (largest process of its
tree: the rusage of a waited child covers its waited-for descendants). The tree sampler
sums PSS/RSS over the command's processes, leaving the launcher out.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scan_worktree import Run  # noqa: E402

_LAUNCHER = r"""
import json, os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    json.dump({"pid": pid, "exit": os.waitstatus_to_exitcode(status), "utime": ru.ru_utime, "stime": ru.ru_stime,
               "maxrss_kb": ru.ru_maxrss}, fh)
"""


class TreeSampler(threading.Thread):
    """Peak summed PSS/RSS of the launcher's descendants (not the launcher), from /proc."""

    def __init__(self, root: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak_pss = self.peak_rss = self.max_procs = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def _children(self) -> dict[int, list[int]]:
        children: dict[int, list[int]] = defaultdict(list)
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat", "rb") as fh:
                    data = fh.read()
            except OSError:
                continue
            children[int(data[data.rfind(b")") + 2 :].split()[1])].append(int(name))
        return children

    def sample(self) -> None:
        children = self._children()
        pids, stack = [], list(children.get(self.root, ()))
        while stack:
            p = stack.pop()
            pids.append(p)
            stack.extend(children.get(p, ()))
        pss = rss = 0
        for p in pids:
            try:
                with open(f"/proc/{p}/smaps_rollup", "rb") as fh:
                    for line in fh:
                        if line.startswith(b"Rss:"):
                            rss += int(line.split()[1])
                        elif line.startswith(b"Pss:"):
                            pss += int(line.split()[1])
            except (OSError, ValueError):
                continue
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_rss = max(self.peak_rss, rss)
        self.max_procs = max(self.max_procs, len(pids))


def measure(cmd: list[str], cwd: Path, stdout: Path | None, stderr: Path, env: dict[str, str] | None = None,
            interval: float = 0.25) -> Run:
    """Run cmd to completion through the launcher; see the module docstring."""
    usage = stderr.with_name(stderr.name + ".rusage.json")
    usage.unlink(missing_ok=True)
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    err = open(stderr, "wb")
    try:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-S", "-c", _LAUNCHER, str(usage), *cmd], cwd=cwd, env=env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
        sampler = TreeSampler(proc.pid, interval)
        sampler.start()
        try:
            proc.wait()
        except BaseException:
            os.killpg(proc.pid, signal.SIGTERM)  # our own launcher's process group only
            proc.wait()
            sampler.stop()
            raise
        wall = time.perf_counter() - started
        sampler.stop()
    finally:
        if stdout:
            out.close()  # type: ignore[union-attr]
        err.close()
    tail = "\n".join(stderr.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:])
    try:
        ru = json.loads(usage.read_text())
    except (OSError, ValueError):
        return Run(cmd, proc.returncode or 3, wall, 0.0, 0.0, 0, sampler.peak_pss, sampler.peak_rss, sampler.max_procs,
                   tail or "launcher failed")
    return Run(cmd, ru["exit"], wall, ru["utime"], ru["stime"], ru["maxrss_kb"], sampler.peak_pss, sampler.peak_rss,
               sampler.max_procs, tail)


def code_version(path: Path = Path(__file__).resolve().parent.parent) -> str:
    """Which reposcrub was measured: HEAD of its repository, and whether reposcrub/ has
    uncommitted changes (an editable install runs the work tree). Read-only git commands."""
    def git(*args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=path, capture_output=True, text=True, check=False)
        return proc.stdout.strip()

    head = git("log", "-1", "--format=%h %ci %s")
    dirty = git("status", "--porcelain", "--", "reposcrub").splitlines()
    return f"{head[:100]}" + (f" (+{len(dirty)} uncommitted change(s) under reposcrub/)" if dirty else "")

