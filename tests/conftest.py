"""Shared fixtures: real git repositories in tmp_path, fake credentials built at test time."""
from __future__ import annotations

import os
import random
import string
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent-home",
}


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    full_env.update(GIT_ENV)
    full_env.update(env or {})
    out = subprocess.run(["git", *args], cwd=cwd, env=full_env, check=True, capture_output=True)
    return out.stdout.decode()


def write_files(root: Path, files: dict[str, bytes | str]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)


def make_repo(root: Path, files: dict[str, bytes | str] | None = None, message: str = "initial") -> Path:
    """A real git repository with one commit holding files."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "-c", "init.defaultBranch=main", "init", "-q")
    if files:
        write_files(root, files)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message)
    return root


def fake(prefix: str, alphabet: str, length: int, rng: random.Random | None = None) -> str:
    """A fake credential: a documented prefix plus random characters of its alphabet."""
    rng = rng or random.Random()
    return prefix + "".join(rng.choice(alphabet) for _ in range(length))


UPPER_B32 = string.ascii_uppercase + "234567"
ALNUM = string.ascii_letters + string.digits


@pytest.fixture
def rng() -> random.Random:
    return random.Random(1234)
