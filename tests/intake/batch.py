"""Generated intake batches: clean and leaky repositories, an archive, a broken repository,
a zip bomb and a git URL that never answers, with the verdict each must get."""
from __future__ import annotations

import io
import random
import socket
import tarfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ALNUM, UPPER_B32, fake, git, make_repo


def clean_repo(root: Path, n: int) -> Path:
    return make_repo(root, {"app.py": f"def handler_{n}(event):\n    return event\n", "README.md": "# tool\n"})


def leaky_repo(root: Path, rng: random.Random) -> tuple[Path, list[str]]:
    key, token = fake("AKIA", UPPER_B32, 16, rng), fake("ghp_", ALNUM, 36, rng)
    repo = make_repo(root, {"config.py": f'AWS_KEY = "{key}"\n', "README.md": "# tool\n"})
    # The token lives only in history: removed from the work tree by the second commit.
    (repo / "deploy.sh").write_text(f"export GITHUB_TOKEN={token}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "deploy script")
    (repo / "deploy.sh").unlink()
    git(repo, "commit", "-q", "-am", "drop deploy script")
    return repo, [key, token]


def broken_repo(root: Path) -> Path:
    """A repository whose HEAD commit is corrupt: git cannot walk its history."""
    repo = clean_repo(root, 0)
    oid = git(repo, "rev-parse", "HEAD").strip()
    loose = repo / ".git" / "objects" / oid[:2] / oid[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"not a zlib stream")
    return repo


def archive_of(repo: Path, dest: Path) -> Path:
    with tarfile.open(dest, "w:gz") as tar:
        tar.add(repo, arcname=repo.name)
    return dest


def zip_bomb(dest: Path) -> Path:
    """Two MiB of zeros in one entry: compressed about a thousand to one."""
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", bytes(2 << 20))
    return dest


@contextmanager
def silent_git_server() -> Iterator[str]:
    """A git:// URL on localhost that accepts the connection and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield f"git://127.0.0.1:{server.getsockname()[1]}/submission.git"


def make_batch(root: Path, hang_url: str, total: int = 50, seed: int = 7) -> tuple[Path, dict[str, str], list[str]]:
    """A JSONL manifest of total submissions; {id: expected verdict}; every secret planted."""
    rng = random.Random(seed)
    expected: dict[str, str] = {}
    secrets: list[str] = []
    lines: list[str] = []

    def add(ident: str, target: str | Path, verdict: str) -> None:
        expected[ident] = verdict
        lines.append(f'{{"id": "{ident}", "target": "{target}"}}')

    leaky, planted = leaky_repo(root / "leaky-archived", rng)
    secrets += planted
    add("archive", archive_of(leaky, root / "submission.tar.gz"), "findings")
    add("broken", broken_repo(root / "broken"), "error")
    add("zip-bomb", zip_bomb(root / "bomb.zip"), "refused")
    add("hangs", hang_url, "error")
    for n in range(total - len(expected)):
        if n % 3 == 0:
            repo, planted = leaky_repo(root / f"leaky-{n}", rng)
            secrets += planted
            add(f"leaky-{n}", repo, "findings")
        else:
            add(f"clean-{n}", clean_repo(root / f"clean-{n}", n), "clean")
    manifest = root / "manifest.jsonl"
    manifest.write_text("\n".join(lines) + "\n")
    return manifest, expected, secrets
