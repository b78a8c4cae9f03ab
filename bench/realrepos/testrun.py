"""The repository's own tests, run in a checkout of HEAD of the input and of the output.

A throwaway environment under bench/out/ (git-ignored): a venv for Python projects, the
checkout's own node_modules for Node projects. The setup and test commands come from
repos.toml; each runs with a timeout and its outcome is read from the runner's summary line.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

_COUNTS = re.compile(r"(\d+) (passed|failed|errors?)")


@dataclass(frozen=True, slots=True)
class TestOutcome:
    ran: bool
    passed: int = 0
    failed: int = 0
    note: str = ""

    def __str__(self) -> str:
        if not self.ran:
            return self.note or "n/a"
        return f"{self.passed}p/{self.failed}f" + (f" ({self.note})" if self.note else "")


def checkout(repo: Path, commit: str, where: Path) -> Path:
    """A plain work tree of commit: no hooks, nothing of the repository's config runs."""
    subprocess.run(["rm", "-rf", str(where)], check=True)
    where.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=repo, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive.stdout, check=True)
    return where


def python_env(out: Path, deps: list[str]) -> dict[str, str]:
    """A venv with the test dependencies (shared by the before and after runs)."""
    venv = out / "venv"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if deps:
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *deps], check=True, capture_output=True)
    env = dict(os.environ)
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    env["VIRTUAL_ENV"] = str(venv)
    return env


def run_tests(work: Path, setup: list[str], command: str, env: dict[str, str], timeout: int) -> TestOutcome:
    env = dict(env, PYTHONPATH=str(work), CI="true")
    for step in setup:
        done = subprocess.run(shlex.split(step), cwd=work, env=env, capture_output=True, timeout=timeout)
        if done.returncode != 0:
            return TestOutcome(False, note=f"setup failed: {step.split()[0]} exit {done.returncode}")
    try:
        done = subprocess.run(shlex.split(command), cwd=work, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return TestOutcome(True, note=f"timed out after {timeout}s")
    text = (done.stdout + done.stderr).decode("utf-8", "replace")
    passed = failed = 0
    for line in text.splitlines()[-40:]:
        counts = dict((kind, int(n)) for n, kind in _COUNTS.findall(_ANSI.sub("", line)))
        if counts:
            passed = counts.get("passed", passed)
            failed = counts.get("failed", failed) + counts.get("error", 0) + counts.get("errors", 0)
    note = "" if passed or failed else f"exit {done.returncode}, no summary"
    return TestOutcome(True, passed, failed, note)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
