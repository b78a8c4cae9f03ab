"""Where scrub writes: --out, its working directory, and the files beside --out.

--out is the one place scrub may delete, so it is checked hard: never a symbolic link,
never the input, inside it or around it, and ``--force`` only ever replaces a folder that
reposcrub itself wrote there before (it leaves a marker). While scrub runs, --out holds an
UNFINISHED marker, so a copy cut short by ``kill -9`` is never taken for a finished one,
and the next scrub to the same --out replaces it. The unscrubbed mirror lives in a working
directory beside --out (same disk, not $TMPDIR) that the next run removes if its owner is
gone. Files beside --out (the commit map, reports) are written by rename, never through a
link planted at their name.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from reposcrub import workdir
from reposcrub.errors import ReposcrubError

FINISHED = "reposcrub-output"  # in out/.git for a repository, as .reposcrub-output in a folder
UNFINISHED = "REPOSCRUB-UNFINISHED"
_UNFINISHED_TEXT = ("reposcrub scrub is writing this copy, or was stopped before it finished: it is not a "
                    "sanitized copy. Run the scrub again.\n")
_FINISHED_TEXT = "Written by reposcrub scrub; `reposcrub scrub --force` may replace this folder.\n"


def _finished_markers(out: Path) -> tuple[Path, Path]:
    return out / ".git" / FINISHED, out / f".{FINISHED}"


def written_by_reposcrub(out: Path) -> bool:
    """Whether out holds a marker that reposcrub left there (finished or not)."""
    return any(m.is_file() and not m.is_symlink() for m in (*_finished_markers(out), out / UNFINISHED))


def prepare(out: Path, force: bool, sources: Sequence[Path]) -> None:
    """Check out before anything is written; remove an earlier output of reposcrub there
    (with force, or without when it was left unfinished).

    Raises:
        ReposcrubError: out is a link, is or holds or lies inside an input, or exists with
            content that reposcrub did not write (or did, without force).
    """
    if out.is_symlink():
        raise ReposcrubError(f"--out {out} is a symbolic link; give the folder itself (nothing is written through a link)")
    dst = out.resolve()
    for source in sources:
        src = source.resolve()
        if dst == src or src in dst.parents:
            raise ReposcrubError(f"--out {out} is inside the input; choose a folder outside it")
        if dst in src.parents:
            raise ReposcrubError(f"--out {out} contains the input; choose a folder outside it")
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        return
    if not out.is_dir() or not written_by_reposcrub(out):
        raise ReposcrubError(f"--out {out} exists and is not empty, and reposcrub did not write it: "
                             "choose another folder (--force only replaces an earlier copy written by reposcrub)")
    if not force and not (out / UNFINISHED).is_file():
        raise ReposcrubError(f"--out {out} exists and is not empty; choose another folder or pass --force")
    shutil.rmtree(out)


def create(out: Path) -> None:
    """Make out (empty or new), marked unfinished.

    Raises:
        ReposcrubError: it cannot be created.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / UNFINISHED).write_text(_UNFINISHED_TEXT, encoding="utf-8")
    except OSError as exc:
        raise ReposcrubError(f"cannot create --out {out}: {exc.strerror}; choose a folder you can write") from None


def finish(out: Path) -> None:
    """Mark out finished: the marker --force looks for, and no UNFINISHED."""
    repository, folder = _finished_markers(out)
    marker = repository if repository.parent.is_dir() and not repository.parent.is_symlink() else folder
    write_beside(marker, _FINISHED_TEXT)
    (out / UNFINISHED).unlink(missing_ok=True)


@contextmanager
def work_dir(out: Path) -> Iterator[Path]:
    """A private working directory beside out, removed on leaving; one left by a run that
    was killed is removed by the next run to the same out.

    Raises:
        ReposcrubError: out's parent folder cannot be created.
    """
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReposcrubError(f"cannot create --out {out}: {exc.strerror}; choose a folder you can write") from None
    with workdir.temporary(f".{out.name}.reposcrub-work-", out.parent) as path:
        yield path


def write_beside(path: Path, text: str) -> None:
    """Write text to path by renaming a new file over it: a link already at path is
    replaced, never written through.

    Raises:
        ReposcrubError: the folder is not writable, or path is a folder.
    """
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        raise ReposcrubError(f"cannot write {path}: {exc.strerror}") from None


def inputs(target_text: str, local: Path | None) -> list[Path]:
    """The folders on this machine that a scrub of target_text reads (a file:// URL's too)."""
    if local is not None:
        return [local]
    if target_text.startswith("file://"):
        from urllib.parse import unquote, urlsplit

        return [Path(unquote(urlsplit(target_text).path))]
    return []
