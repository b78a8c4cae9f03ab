"""What the user pointed at: a folder, a work tree, a bare repository or a git URL."""
from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from reposcrub import git, gitdir, workdir
from reposcrub.errors import ReposcrubError
from reposcrub.findings import redact

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
    """A URL fit to print: user and password removed, query values and fragment masked
    (``?token=ghp_…`` is how some hosts take a credential)."""
    parts = urlsplit(url)
    if not parts.scheme:
        return url
    if "@" in parts.netloc:
        parts = parts._replace(netloc=parts.netloc.rsplit("@", 1)[1])
    if parts.query:
        pairs = (p.partition("=") for p in parts.query.split("&"))
        parts = parts._replace(query="&".join(k + (f"={redact(v) or '*'}" if eq else "") for k, eq, v in pairs))
    if parts.fragment:
        parts = parts._replace(fragment=redact(parts.fragment) or "*")
    return urlunsplit(parts)


def classify(path: Path, label: str | None = None, allow_foreign_owner: bool = False) -> Target:
    """What path is: a work tree (its root), a bare repository, or a folder.

    Raises:
        ReposcrubError: the path does not exist, or it is a repository git cannot read
            safely: a .git link, a git directory borrowing from another repository, a
            broken config, or one owned by another user (without allow_foreign_owner).
    """
    if not path.exists():
        raise ReposcrubError(f"{path} does not exist; give a folder, repository, archive or git URL")
    if not path.is_dir():
        raise ReposcrubError(f"{path} is a file, not an archive (zip, tar, tar.gz, tar.bz2, tar.xz); "
                             "give a folder, repository, archive or git URL")
    shown = label or str(path)
    workdir.sweep(Path(tempfile.gettempdir()), git.SHADOW_PREFIX)  # left by a run that was killed
    layout = gitdir.locate(path)
    if layout is None:
        if gitdir.inside_work_tree(path):
            # Part of a larger work tree: the user means this folder, all of it, not the
            # enclosing repository's history.
            return Target(shown, path, "folder", notes=("a folder inside a git work tree: every file in it is "
                                                        "scanned, history is not; scan the top level for history",))
        return Target(shown, path, "folder")
    check_repository(layout, allow_foreign_owner)
    return Target(shown, path, "bare" if layout.bare else "worktree", path.resolve().as_uri())


def check_repository(layout: gitdir.Layout, allow_foreign_owner: bool = False) -> None:
    """Raises: ReposcrubError: the repository cannot be read safely (see classify)."""
    uid = gitdir.owned_by_someone_else(layout)
    if uid is not None and not allow_foreign_owner:
        where = layout.work_tree or layout.git_dir
        raise ReposcrubError(f"{where} is owned by another user (uid {uid}); like git, reposcrub does not read "
                             "other users' repositories unless told to: pass --allow-foreign-owner "
                             "(its git configuration is ignored either way)")
    gitdir.check_contained(layout)
    gitdir.check_config(layout, git.repository_config(layout))


def _without_credentials(text: str, url: str) -> str:
    """text with url, and any password or query value of it, shown as strip_credentials shows them."""
    text = text.replace(url, strip_credentials(url))
    parts = urlsplit(url)
    values = [parts.password or ""] + [p.partition("=")[2] for p in parts.query.split("&")] + [parts.fragment]
    for value in sorted({v for v in values if v}, key=len, reverse=True):
        for form in {value, unquote(value)}:
            text = text.replace(form, redact(form) or "*")
    return text


@contextmanager
def cloned(url: str) -> Iterator[Target]:
    """Mirror-clone url into a temporary directory that is removed afterwards.

    Raises:
        ReposcrubError: the URL uses a transport that can run programs, or cloning failed.
    """
    scheme = url.split("://", 1)[0].lower() if "://" in url else "ssh"
    if scheme not in _SAFE_SCHEMES:
        raise ReposcrubError(f"unsupported URL scheme {scheme!r}; use https, ssh, git or file URLs")
    with workdir.temporary("reposcrub-clone-") as tmp:
        dest = tmp / "repo.git"
        try:
            git.run(["clone", "--mirror", "--no-local", "--quiet", "--", url, str(dest)], cwd=tmp)
        except ReposcrubError as exc:  # git's message may quote the URL, its password or its query
            raise ReposcrubError(_without_credentials(str(exc), url)) from None
        yield Target(strip_credentials(url), dest, "bare", strip_credentials(url))
