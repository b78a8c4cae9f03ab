"""``--verify-cmd``: the operator's own test command, run in a checkout of the input and of
the copy, results side by side. The command comes from the command line, never from the
repository; it runs the project's code, which is why it is only ever run when asked."""
from __future__ import annotations

import subprocess
from pathlib import Path

from reposcrub import git
from reposcrub.scrub.verify import CommandRun, Verification

TAIL_LINES = 3
TIMEOUT = 3600


def _run(command: str, repo: Path, checkout: Path, where: str) -> CommandRun:
    git.run(["clone", "--no-local", "--quiet", "--", str(repo.resolve()), str(checkout)], cwd=checkout.parent)
    try:
        proc = subprocess.run(command, shell=True, cwd=checkout, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return CommandRun(where, -1, f"timed out after {TIMEOUT} s")
    lines = (proc.stdout + proc.stderr).decode("utf-8", "replace").strip().splitlines()
    return CommandRun(where, proc.returncode, "\n".join(lines[-TAIL_LINES:]))


def run_both(command: str, source: Path, out: Path, tmp: Path, v: Verification) -> None:
    """Run command in fresh checkouts of the input's and the copy's HEAD; a command that
    passes on the input and fails on the copy fails the verification."""
    before = _run(command, source, tmp / "check-input", "input")
    after = _run(command, out, tmp / "check-copy", "copy")
    v.commands += [before, after]
    if before.exit_code == 0 and after.exit_code != 0:
        v.problems.append(f"`{command}` passes on the input and fails on the copy (exit {after.exit_code})")
