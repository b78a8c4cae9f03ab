"""What the user pointed at: a folder, a work tree, a bare repository or a git URL."""
from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from reposcrub import git
from reposcrub.errors import ReposcrubError

_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|[\w.-]+@[\w.-]+:)")
_SAFE_SCHEMES = ("https", "http", "ssh", "git", "file")


@dataclass(frozen=True, slots=True)
class Target:
    label: str
    path: Path
    kind: str  # "folder", "worktree", "bare"
    repository_uri: str | None = None
    notes: tuple[str, ...] = ()


def is_url(text: str) -> bool:
    return bool(_URL.match(text))


def strip_credentials(url: str) -> str:
    """A URL fit to print: user and password removed."""
    parts = urlsplit(url)
    if parts.scheme and "@" in parts.netloc:
        return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
    return url


def classify(path: Path, label: str | None = None) -> Target:
    """Raises: ReposcrubError: the path does not exist."""
    if not path.exists():
        raise ReposcrubError(f"{path} does not exist; give a folder, repository, archive or git URL")
    if not path.is_dir():
        raise ReposcrubError(f"{path} is a file, not an archive (zip, tar, tar.gz, tar.bz2, tar.xz); "
                             "give a folder, repository, archive or git URL")
    shown = label or str(path)
    top = git.toplevel(path)
    if top is not None and top.resolve() == path.resolve():
        return Target(shown, path, "worktree", path.resolve().as_uri())
    if top is not None:
        # Part of a larger work tree: the user means this folder, all of it, not the
        # enclosing repository's history.
        return Target(shown, path, "folder", notes=("a folder inside a git work tree: every file in it is scanned, "
                                                    "history is not; scan the top level for history",))
    if git.rev_parse_flag(path, "--is-bare-repository"):
        return Target(shown, path, "bare", path.resolve().as_uri())
    return Target(shown, path, "folder")


@contextmanager
def cloned(url: str) -> Iterator[Target]:
    """Mirror-clone url into a temporary directory that is removed afterwards.

    Raises:
        ReposcrubError: the URL uses a transport that can run programs, or cloning failed.
    """
    scheme = url.split("://", 1)[0].lower() if "://" in url else "ssh"
    if scheme not in _SAFE_SCHEMES:
        raise ReposcrubError(f"unsupported URL scheme {scheme!r}; use https, ssh, git or file URLs")
    tmp = Path(tempfile.mkdtemp(prefix="reposcrub-clone-"))
    try:
        dest = tmp / "repo.git"
        try:
            git.run(["clone", "--mirror", "--no-local", "--quiet", "--", url, str(dest)], cwd=tmp)
        except ReposcrubError as exc:  # git's message may quote the URL with its password
            raise ReposcrubError(str(exc).replace(url, strip_credentials(url))) from None
        yield Target(strip_credentials(url), dest, "bare", strip_credentials(url))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
