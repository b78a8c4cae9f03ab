"""Archives as targets: .zip, .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, unpacked into a
temporary directory that is removed afterwards, then scanned like a folder or repository.

An archive is untrusted input. Nothing is written outside the extraction root: entries
with ``..`` are refused, leading ``/`` and drive letters are removed, and no symbolic
link, device or FIFO is ever created (links are skipped and reported; a hard link to a
file extracted earlier becomes a copy). Caps on total size, entry count and compression
ratio stop zip bombs: checked on the declared sizes before anything is written, and on
the bytes actually written. Compare Python's ``tarfile.data_filter`` and CVE-2007-4559.
"""
from __future__ import annotations

import bz2
import gzip
import lzma
import os
import re
import stat
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import IO

from reposcrub import git, workdir
from reposcrub.errors import ReposcrubError

# The command line options that raise each cap (named in the errors).
MAX_SIZE_OPTION, MAX_FILES_OPTION, MAX_RATIO_OPTION = "--archive-max-size", "--archive-max-files", "--archive-max-ratio"
SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz")
# Ratios of small members mean nothing: 100 KB of spaces compresses 500:1.
_RATIO_FLOOR = 1 << 20
_CHUNK = 1 << 20
_SHOWN = 5  # names listed per note
# Errors that are one entry's fault (a name too long, a file where a folder should be):
# that entry is skipped. Any other OSError (disk full, read-only /tmp) stops extraction.
_ENTRY_ERRNOS = {"ENAMETOOLONG", "EEXIST", "EISDIR", "ENOTDIR", "EILSEQ", "EINVAL"}
# Read as "where the objects are", these files make git read another repository on this machine.
_BORROWING = ("objects/info/alternates", "objects/info/http-alternates", "commondir")
_DRIVE = re.compile(r"^[A-Za-z]:(?:/|$)")


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """Caps against zip bombs; each is raised by the option named in its error."""

    max_size: int = 2 << 30  # bytes, all entries together (--archive-max-size)
    max_files: int = 200_000  # entries of any kind (--archive-max-files)
    max_ratio: int = 200  # uncompressed : compressed (--archive-max-ratio)


@dataclass(frozen=True, slots=True)
class ExtractedArchive:
    root: Path
    notes: tuple[str, ...]  # what was not extracted and why, one line each


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    kind: str  # file, dir, symlink, hardlink, device
    size: int = 0  # declared, uncompressed
    packed: int | None = None  # compressed size, when the format records it (zip)
    executable: bool = False
    link: str = ""  # hard link target
    opener: Callable[[], IO[bytes]] | None = None
    problem: str = ""  # why it cannot be read (encrypted, unsupported compression)
    crc: int | None = None  # zip: CRC-32 of the content, checked after extraction


def is_archive(path: Path) -> bool:
    """A regular file named like an archive (SUFFIXES) or starting like one (zip or tar magic)."""
    try:
        return path.is_file() and (path.name.lower().endswith(SUFFIXES) or _sniff(path) is not None)
    except OSError:
        return False


def _sniff(path: Path) -> str | None:
    with path.open("rb") as stream:
        head = stream.read(512)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return "zip"
    if head[257:262] == b"ustar":
        return "tar"
    opener: Callable[[Path], IO[bytes]] | None = {b"\x1f\x8b": gzip.open, b"BZ": bz2.open,
                                                  b"\xfd7": lzma.open}.get(head[:2])  # type: ignore[assignment]
    if opener is None:
        return None
    try:
        with opener(path) as stream:
            inner = stream.read(512)
    except (OSError, EOFError, lzma.LZMAError, zlib.error):
        return None
    return "tar" if inner[257:262] == b"ustar" else None


@contextmanager
def extracted(path: Path, limits: ArchiveLimits = ArchiveLimits()) -> Iterator[ExtractedArchive]:
    """Unpack path into a temporary directory, removed on exit (also on Ctrl-C).

    Raises:
        ReposcrubError: unreadable, corrupt or not an archive, over a limit, or the disk is full.
    """
    kind = _format(path)
    with workdir.temporary("reposcrub-archive-") as root:
        notes = _Notes(path.name)
        _unpack(path, kind, root, limits, notes)
        for repo in find_repositories(root):
            _defuse(repo, root, notes)
        yield ExtractedArchive(root, notes.render())


def _format(path: Path) -> str:
    try:
        kind = _sniff(path)
    except OSError as exc:
        raise ReposcrubError(f"cannot read {path}: {exc.strerror}") from None
    if kind is None and path.name.lower().endswith(SUFFIXES[1:]):
        kind = "tar"  # an old tar without the ustar magic; tarfile decides
    if kind is None and path.name.lower().endswith(".zip"):
        raise ReposcrubError(f"{path} is not a valid zip archive; is it complete?")
    if kind is None:
        raise ReposcrubError(f"{path} is a file, not an archive (zip, tar, tar.gz, tar.bz2, tar.xz); "
                             "give a folder, repository, archive or git URL")
    return kind


def _unpack(path: Path, kind: str, root: Path, limits: ArchiveLimits, notes: _Notes) -> None:
    budget = _Budget(path, limits)
    try:
        if kind == "zip":
            _count_zip_entries(path, limits)
            with zipfile.ZipFile(path) as zf:
                _extract(_zip_entries(zf, budget), root, budget, notes)
        else:
            with tarfile.open(path, "r:*") as tf:
                _extract(_tar_entries(tf), root, budget, notes)
    except tarfile.ReadError:  # tarfile's own message runs over several lines
        raise ReposcrubError(f"{path} is not a valid tar archive (or is compressed with something other than "
                             f"gzip, bzip2 or xz); is it complete?") from None
    except _Corrupt as exc:
        raise ReposcrubError(f"{path} is corrupt or truncated ({exc}); check the file or recreate the archive") from None
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, lzma.LZMAError, UnicodeDecodeError,
            NotImplementedError, ValueError) as exc:
        raise ReposcrubError(f"{path} is not a valid {kind} archive ({_first_line(exc)}); is it complete?") from None
    except OSError as exc:  # opening: a compressed stream that is not what it claims
        raise ReposcrubError(f"cannot read {path}: {_first_line(exc)}") from None


def _count_zip_entries(path: Path, limits: ArchiveLimits) -> None:
    """Check the entry count in the end record before zipfile loads every entry into memory."""
    with path.open("rb") as stream:
        size = stream.seek(0, os.SEEK_END)
        stream.seek(max(0, size - (1 << 16) - 22))
        tail = stream.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + 22 > len(tail):
            return  # not a zip zipfile can read: it says so
        count = struct.unpack_from("<H", tail, at + 10)[0]
        if count == 0xFFFF and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":  # zip64
            stream.seek(struct.unpack_from("<Q", tail, at - 12)[0])
            record = stream.read(56)
            count = struct.unpack_from("<Q", record, 32)[0] if record[:4] == b"PK\x06\x06" else 0
    if count > limits.max_files:
        raise _too_many(path, limits)


def _zip_entries(zf: zipfile.ZipFile, budget: _Budget) -> Iterator[_Entry]:
    infos = zf.infolist()
    if len(infos) > budget.limits.max_files:
        raise _too_many(budget.path, budget.limits)
    budget.declare(sum(i.file_size for i in infos), "all entries")
    for info in infos:
        mode = info.external_attr >> 16 if info.create_system == 3 else 0
        kind = "dir" if info.is_dir() else _kind(mode)
        problem = "encrypted" if info.flag_bits & 0x1 else ""
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
            problem = f"compression method {info.compress_type} unsupported"
        yield _Entry(info.filename, kind, info.file_size, info.compress_size, bool(mode & 0o111),
                     opener=partial(zf.open, info), problem=problem, crc=info.CRC)


def _tar_entries(tf: tarfile.TarFile) -> Iterator[_Entry]:
    for m in tf:  # streamed: headers are read as extraction goes
        if m.isreg():
            yield _Entry(m.name, "file", m.size, None, bool(m.mode & 0o111), opener=partial(_tar_member, tf, m))
        elif m.isdir():
            yield _Entry(m.name, "dir")
        elif m.islnk():
            yield _Entry(m.name, "hardlink", link=m.linkname)
        else:
            yield _Entry(m.name, "symlink" if m.issym() else "device")


def _tar_member(tf: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    stream = tf.extractfile(member)
    if stream is None:
        raise _Corrupt(f"no data for {_printable(member.name)}")
    return stream


def _kind(mode: int) -> str:
    """A zip entry's kind from its Unix mode; no type bits (zipfile.writestr's 0o600) is a file."""
    kind = {0: "file", stat.S_IFREG: "file", stat.S_IFDIR: "dir", stat.S_IFLNK: "symlink"}.get(stat.S_IFMT(mode))
    return kind or "device"


class _Corrupt(Exception):
    """Reading an entry's bytes failed after the archive opened: truncated or damaged."""


class _Budget:
    """Counts entries and bytes, declared and written, against the limits."""

    def __init__(self, path: Path, limits: ArchiveLimits) -> None:
        self.path, self.limits = path, limits
        self.packed = max(1, path.stat().st_size)
        self.entries = self.declared = self.written = 0

    def entry(self, entry: _Entry) -> None:
        self.entries += 1
        if self.entries > self.limits.max_files:
            raise _too_many(self.path, self.limits)
        if entry.packed is not None and entry.size > _RATIO_FLOOR and entry.size > self.limits.max_ratio * max(1, entry.packed):
            raise self._ratio_error(entry.size // max(1, entry.packed), _printable(entry.name))

    def declare(self, size: int, what: str) -> None:
        """Bytes an entry (or all of them) will take, before any is written."""
        self.declared += size
        self._check(self.declared, what)

    def wrote(self, size: int) -> None:
        self.written += size
        self._check(self.written, "the bytes written")

    def _check(self, total: int, what: str) -> None:
        if total > self.limits.max_size:
            raise ReposcrubError(f"{self.path} expands to more than {_human(self.limits.max_size)} (a zip bomb?); "
                                 f"if you trust it, raise the limit with {MAX_SIZE_OPTION}")
        if total > _RATIO_FLOOR and total > self.limits.max_ratio * self.packed:
            raise self._ratio_error(total // self.packed, what)

    def _ratio_error(self, ratio: int, what: str) -> ReposcrubError:
        return ReposcrubError(f"{self.path}: {what} compressed {ratio}:1, above the limit of {self.limits.max_ratio}:1 "
                              f"(a zip bomb?); if you trust it, raise the limit with {MAX_RATIO_OPTION}")


def _too_many(path: Path, limits: ArchiveLimits) -> ReposcrubError:
    return ReposcrubError(f"{path} has more than {limits.max_files} entries (a zip bomb?); "
                          f"if you trust it, raise the limit with {MAX_FILES_OPTION}")


def _extract(entries: Iterator[_Entry], root: Path, budget: _Budget, notes: _Notes) -> None:
    while True:
        try:
            entry = next(entries)
        except StopIteration:
            return
        except (zipfile.BadZipFile, tarfile.ReadError, EOFError, zlib.error, lzma.LZMAError, OSError) as exc:
            raise _Corrupt(_first_line(exc)) from None
        budget.entry(entry)
        rel = _safe_relative(entry.name, notes)
        if rel is not None:
            _extract_one(entry, rel, root, budget, notes)


def _safe_relative(name: str, notes: _Notes) -> str | None:
    """The name to extract to, inside the root; None for names that point outside it.
    Backslashes count as separators (zips made by Windows tools); a leading '/' or drive
    letter is removed, as GNU tar does; any '..' refuses the entry."""
    text = name.replace("\\", "/")
    bare = _DRIVE.sub("", text).lstrip("/")
    parts = [p for p in bare.split("/") if p not in ("", ".")]
    if ".." in parts:
        notes.add("entries with '..' in their names not extracted (they point outside the archive)", name)
        return None
    if parts and bare != text:
        notes.add("entries extracted without their leading '/' or drive letter", name)
    return "/".join(parts) or None


def _extract_one(entry: _Entry, rel: str, root: Path, budget: _Budget, notes: _Notes) -> None:
    if entry.kind == "hardlink":
        entry = _hardlink_as_copy(entry, root)
    if entry.kind in ("symlink", "device", "hardlink"):
        reason = {"symlink": "symbolic links not extracted (links are never created)",
                  "device": "device files, FIFOs and sockets not extracted",
                  "hardlink": "hard links to missing or unsafe targets not extracted"}[entry.kind]
        notes.add(reason, entry.name)
        return
    if rel.rsplit("/", 1)[-1] == ".git" and entry.kind == "file":
        notes.add("'.git' files not extracted (they link to another repository on disk)", entry.name)
        return
    dest = root / rel
    try:
        if entry.kind == "dir":
            dest.mkdir(parents=True, exist_ok=True)
            return
        if entry.problem:
            notes.add(f"entries not scanned ({entry.problem})", entry.name)
            return
        dest.parent.mkdir(parents=True, exist_ok=True)
        if entry.packed is None:  # zips declared every size up front
            budget.declare(entry.size, f"the entries up to {_printable(entry.name)}")
        _copy(entry, dest, budget)
    except OSError as exc:
        code = _errno_name(exc)
        if code not in _ENTRY_ERRNOS:
            raise ReposcrubError(f"cannot extract {budget.path} into {root.parent}: {exc.strerror}; "
                                 "free some space or point TMPDIR at a larger disk") from None
        notes.add(f"entries that could not be written ({exc.strerror})", entry.name)


def _hardlink_as_copy(entry: _Entry, root: Path) -> _Entry:
    target = _safe_relative(entry.link, _Notes(""))
    source = root / target if target else None
    if source is None or source.is_symlink() or not source.is_file():
        return entry
    return replace(entry, kind="file", size=source.stat().st_size, opener=lambda: source.open("rb"))


def _copy(entry: _Entry, dest: Path, budget: _Budget) -> None:
    assert entry.opener is not None
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(dest, flags, 0o755 if entry.executable else 0o644)
    with os.fdopen(fd, "wb") as out:
        try:
            source = entry.opener()
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, tarfile.ReadError) as exc:
            raise _Corrupt(_first_line(exc)) from None
        crc = 0
        with source:
            for chunk in _chunks(source):
                budget.wrote(len(chunk))
                out.write(chunk)
                crc = zlib.crc32(chunk, crc) if entry.crc is not None else 0
    # zipfile stops at the declared size without checking the CRC: a member that holds more
    # than it declares would be cut short silently, hiding the rest from the scan.
    if entry.crc is not None and crc != entry.crc:
        raise _Corrupt(f"{_printable(entry.name)} does not match its CRC-32 (sizes that lie?)")


def _chunks(source: IO[bytes]) -> Iterator[bytes]:
    while True:
        try:
            chunk = source.read(_CHUNK)
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, tarfile.ReadError, OSError) as exc:
            raise _Corrupt(_first_line(exc)) from None
        if not chunk:
            return
        yield chunk


def find_repositories(root: Path) -> list[Path]:
    """Git repositories in an extracted archive: root itself, else folders one level down;
    each a work tree (with a .git folder) or a bare repository."""
    if _is_repository(root):
        return [root]
    try:
        children = sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink())
    except OSError:
        return []
    return [p for p in children if _is_repository(p)]


def _is_repository(folder: Path) -> bool:
    dot_git = folder / ".git"
    if dot_git.is_dir() and not dot_git.is_symlink():
        folder = dot_git
    return (folder / "HEAD").is_file() and (folder / "objects").is_dir()


def _defuse(repo: Path, root: Path, notes: _Notes) -> None:
    """Nothing in an archived repository may make git read a repository outside the archive."""
    git_dir = repo / ".git" if (repo / ".git").is_dir() else repo
    (git_dir / "refs").mkdir(exist_ok=True)  # archivers drop empty folders; git needs this one
    for rel in _BORROWING:
        if (git_dir / rel).is_file():
            (git_dir / rel).unlink()
            notes.add("links to objects outside the archive removed", str((git_dir / rel).relative_to(root)))
    for config in (git_dir / "config", git_dir / "config.worktree"):  # the second with extensions.worktreeConfig
        if config.is_file() and not config.is_symlink() and git.run(
                ["config", "--file", str(config), "--get-all", "core.worktree"], cwd=root, check=False).strip():
            git.run(["config", "--file", str(config), "--unset-all", "core.worktree"], cwd=root, check=False)
            notes.add("core.worktree (a work tree outside the archive) ignored in", str(config.relative_to(root)))


class _Notes:
    """Skipped entries grouped by reason: one line each, however many entries."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._names: dict[str, list[str]] = {}

    def add(self, reason: str, name: str) -> None:
        self._names.setdefault(reason, []).append(name)

    def render(self) -> tuple[str, ...]:
        lines = []
        for reason, names in self._names.items():
            shown = ", ".join(_printable(n) for n in names[:_SHOWN])
            more = f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
            lines.append(f"{self.label}: {len(names)} {reason}: {shown}{more}")
        return tuple(lines)


def _printable(name: str) -> str:
    """A name fit for a one-line message: undecodable bytes and control characters escaped."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= 80 else text[:60] + "…" + text[-19:]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _errno_name(exc: OSError) -> str:
    import errno

    return errno.errorcode.get(exc.errno or 0, "")


def _human(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value, units = size / 1024, ["KiB", "MiB", "GiB"]
    while value >= 1024 and len(units) > 1:
        value, units = value / 1024, units[1:]
    return f"{value:.4g} {units[0]}"
