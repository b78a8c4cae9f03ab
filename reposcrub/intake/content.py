"""What a submission holds, as one key (commit ids, archive hash, file hashes), and whether
it fits the size cap. A rerun skips a submission whose key and configuration are unchanged."""
from __future__ import annotations

import hashlib
import os
import stat
import tarfile
import tempfile
import zipfile
from pathlib import Path

from reposcrub import git
from reposcrub.errors import ReposcrubError
from reposcrub.sources.archive import ArchiveLimits, is_archive
from reposcrub.targets import classify, is_url, strip_credentials


# Small entries compress well without being bombs (as sources/archive.py judges them).
_RATIO_FLOOR = 1 << 20


class Refused(ReposcrubError):
    """The submission is over a cap: not scanned, recorded as refused with this one line.
    key: its content key when known (an archive's hash), so a rerun can skip it."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


def content_key(target: str, limits: ArchiveLimits) -> str:
    """A key that changes when the submission's content does, after checking its size.

    Raises:
        Refused: it is larger than limits.max_size, or an archive expands past the caps.
        ReposcrubError: it is missing or unreadable.
    """
    if is_url(target):
        return "refs:" + _digest(_remote_refs(target))
    path = Path(target)
    if path.is_file() and is_archive(path):
        key = "sha256:" + _file_digest(path)
        try:
            _check_archive(path, limits)
        except Refused as exc:
            raise Refused(str(exc), key) from None
        return key
    if not path.is_dir():
        classify(path)  # raises the error a scan would: missing, or a file that is no archive
    # A git directory (a work tree's .git, or the whole of a bare repository) counts toward the
    # size cap, and its refs are the key; everything else is hashed file by file. One git call.
    bare = (path / "HEAD").is_file() and (path / "objects").is_dir()
    gitdir = path if bare else path / ".git"
    files = _tree_digest(path, limits.max_size, unhashed=gitdir)
    if not gitdir.exists():
        return "files:" + files
    refs = git.run(["show-ref", "--head"], cwd=path, check=False)
    return "git+files:" + _digest(refs + b"\0" + files.encode())


def _remote_refs(url: str) -> bytes:
    try:
        return git.run(["ls-remote", "--", url], cwd=Path(tempfile.gettempdir()))
    except ReposcrubError as exc:  # git's message may quote the URL with its password
        raise ReposcrubError(str(exc).replace(url, strip_credentials(url))) from None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _tree_digest(root: Path, cap: int, unhashed: Path) -> str:
    """Paths, link texts and file contents under root, never following a link; files under
    unhashed count toward the cap only. Over the cap: Refused."""
    digest = hashlib.sha256()
    total = 0
    skip = str(unhashed)
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        hashing = folder != skip and not folder.startswith(skip + os.sep)
        for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            full = os.path.join(folder, name)
            info = os.lstat(full)
            total += info.st_size
            if total > cap:
                raise Refused(f"larger than the size cap of {cap >> 20} MiB (--max-size)")
            if not hashing:
                continue
            digest.update(os.path.relpath(full, root).encode("utf-8", "surrogateescape") + b"\0")
            if stat.S_ISLNK(info.st_mode):
                digest.update(os.readlink(full).encode("utf-8", "surrogateescape"))
            elif stat.S_ISREG(info.st_mode):
                digest.update(_file_digest(Path(full)).encode())
    return digest.hexdigest()


def _check_archive(path: Path, limits: ArchiveLimits) -> None:
    """The sizes an archive declares, against the caps, before anything is unpacked."""
    packed = path.stat().st_size
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                sizes = [(i.file_size, i.compress_size) for i in archive.infolist()]
        except (zipfile.BadZipFile, OSError, ValueError):
            return  # unreadable: the scan says why
        ratios = [s // max(c, 1) for s, c in sizes if s > _RATIO_FLOOR]
        _judge(sum(s for s, _ in sizes), max(ratios, default=0), len(sizes), limits)
        return
    try:
        with tarfile.open(path, "r:*") as archive:
            total = count = 0
            for member in archive:
                total, count = total + member.size, count + 1
                _judge(total, 0, count, limits)
    except (tarfile.TarError, OSError, EOFError, ValueError):
        return
    _judge(total, total // max(packed, 1) if total > _RATIO_FLOOR else 0, count, limits)


def _judge(total: int, ratio: int, count: int, limits: ArchiveLimits) -> None:
    if total > limits.max_size:
        raise Refused(f"the archive expands to more than {limits.max_size >> 20} MiB (--max-size)")
    if ratio > limits.max_ratio:
        raise Refused(f"the archive is compressed {ratio}:1, above {limits.max_ratio}:1 (a zip bomb?)")
    if count > limits.max_files:
        raise Refused(f"the archive has more than {limits.max_files} entries")
