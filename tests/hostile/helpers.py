"""Shared tools of the hostile suite: the CLI in a subprocess with a deadline, fake
credentials built at test time, and archives built entry by entry (so that they can hold
what no archiver would write: '../' names, absolute names, links, devices, lies)."""
from __future__ import annotations

import io
import os
import random
import string
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ALNUM, ROOT, UPPER_B32, fake

PYTHON = sys.executable
# Per-case deadlines: generous, so a slow machine never fails a test; a hang always does.
DEADLINE = 180


@dataclass
class Run:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str, timeout: float = DEADLINE, env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """`python -m reposcrub ARGS` in a subprocess; fails the test if it outlives timeout.

    Peak memory is the child's VmHWM, sampled while it runs (wait4's ru_maxrss would
    count the pages of this test process that the child shared before exec)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen([PYTHON, "-m", "reposcrub", *args], stdout=out, stderr=err, env=full_env,
                                cwd=cwd or ROOT, stdin=subprocess.DEVNULL)
        peak_kb = 0
        while proc.poll() is None:
            peak_kb = max(peak_kb, _high_water_kb(proc.pid))
            if time.monotonic() - started > timeout:
                proc.kill()
                proc.wait()
                pytest.fail(f"reposcrub {' '.join(args)} did not finish within {timeout}s")
            time.sleep(0.01)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        if os.environ.get("HOSTILE_LOG"):  # measurements for the record: seconds and peak memory per run
            with open(os.environ["HOSTILE_LOG"], "a", encoding="utf-8") as log:
                log.write(f"{os.environ.get('PYTEST_CURRENT_TEST', '?').split(' ')[0]}\t{seconds:.2f}s\t"
                          f"{peak_kb / 1024:.0f}MB\texit {proc.returncode}\n")
        return Run(list(args), proc.returncode, out.read().decode("utf-8", "surrogateescape"),
                   err.read().decode("utf-8", "surrogateescape"), seconds, peak_kb / 1024)


def _high_water_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass  # exited meanwhile, or not Linux
    return 0


def assert_handled(run: Run, codes: tuple[int, ...] = (0, 1)) -> None:
    """A result, not a crash: an expected exit code and no traceback."""
    assert "Traceback" not in run.output, run.output[-3000:]
    assert "internal error" not in run.output, run.output[-3000:]
    assert run.returncode in codes, f"exit {run.returncode}: {run.output[-3000:]}"


# Fake credentials: documented prefixes, random bodies, never a literal in this repository.

def fake_tokens(seed: int = 0) -> dict[str, str]:
    rng = random.Random(seed)
    return {
        "aws": fake("AKIA", UPPER_B32, 16, rng),
        "github": fake("ghp_", ALNUM, 36, rng),
        "slack": "xoxb-" + "-".join(fake("", string.digits, n, rng) for n in (11, 12)) + "-" + fake("", ALNUM, 24, rng),
    }


# Archives, entry by entry.

@dataclass
class Member:
    name: str
    data: bytes = b""
    kind: str = "file"  # file, dir, symlink, hardlink, fifo, chardev
    link: str = ""
    mode: int = 0o644


def write_tar(path: Path, members: list[Member], compression: str = "") -> Path:
    with tarfile.open(path, "w:" + compression if compression else "w") as tf:  # type: ignore[call-overload]
        for m in members:
            info = tarfile.TarInfo(m.name)
            info.mode = m.mode
            info.mtime = 1_700_000_000
            kinds = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE,
                     "hardlink": tarfile.LNKTYPE, "fifo": tarfile.FIFOTYPE, "chardev": tarfile.CHRTYPE}
            info.type = kinds[m.kind]
            info.linkname = m.link
            if m.kind == "file":
                info.size = len(m.data)
                tf.addfile(info, io.BytesIO(m.data))
            else:
                tf.addfile(info)
    return path


def write_zip(path: Path, members: list[Member], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for m in members:
            info = zipfile.ZipInfo(m.name, date_time=(2024, 1, 1, 0, 0, 0))
            info.create_system = 3  # unix: external_attr carries the file type
            info.compress_type = compression
            if m.kind == "symlink":
                info.external_attr = (0o120777 << 16)
                zf.writestr(info, m.link)
            elif m.kind == "dir":
                info.external_attr = (0o40755 << 16) | 0x10
                zf.writestr(info, b"")
            elif m.kind in ("fifo", "chardev"):
                info.external_attr = ((0o10644 if m.kind == "fifo" else 0o20644) << 16)
                zf.writestr(info, b"")
            else:
                info.external_attr = ((0o100000 | m.mode) << 16)
                zf.writestr(info, m.data)
    return path


def tree_snapshot(root: Path) -> set[str]:
    """Every path under root (not following links), to prove nothing appeared there."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            found.add(os.path.relpath(os.path.join(dirpath, name), root))
    return found


def make_history(root: Path, commits: int, files: int = 20, seed: int = 0) -> Path:
    """A repository with many commits, each rewriting a few files that hold fake
    credentials, written in one `git fast-import` stream (seconds, not minutes)."""
    from tests.conftest import git

    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    git(root, "-c", "init.defaultBranch=main", "init", "-q")
    lines: list[bytes] = []
    for n in range(commits):
        message = f"change {n}\n".encode()
        lines += [b"commit refs/heads/main", f"mark :{n + 1}".encode(),
                  f"committer Dev {n % 7} <dev{n % 7}@example.com> {1_700_000_000 + n * 60} +0000".encode(),
                  b"data %d" % len(message), message]
        if n:
            lines.append(f"from :{n}".encode())
        for i in rng.sample(range(files), k=min(3, files)):
            token = fake_tokens(n * files + i)
            body = (f"# module {i} revision {n}\nAWS_KEY = '{token['aws']}'\nGITHUB = '{token['github']}'\n"
                    + "".join(f"value_{j} = {rng.random()}\n" for j in range(40))).encode()
            lines += [f"M 100644 inline src/module_{i}.py".encode(), b"data %d" % len(body), body]
        lines.append(b"")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"\n".join(lines) + b"\n", check=True,
                   capture_output=True)
    git(root, "reset", "-q", "--hard", "main")
    return root
