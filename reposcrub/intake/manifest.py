"""The manifest: which submissions to take in. Text (a target a line), CSV or JSON Lines."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reposcrub.errors import ReposcrubError
from reposcrub.targets import is_url, strip_credentials

_KEYS = frozenset({"id", "target", "profile"})


@dataclass(frozen=True, slots=True)
class Submission:
    """One submission: its id (unique in the manifest), what to scan, and an optional profile."""

    id: str
    target: str  # a git URL, or an absolute path to a bare repository, folder or archive
    profile: str | None = None  # an absolute path to a profile (TOML)

    @property
    def shown_target(self) -> str:
        """The target fit to store and print: a URL's user and password removed."""
        return strip_credentials(self.target) if is_url(self.target) else self.target


def read_manifest(path: Path) -> list[Submission]:
    """Submissions in manifest order. Relative paths are relative to the manifest's folder.

    Raises:
        ReposcrubError: the manifest is missing, malformed, or repeats an id (named with its line).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReposcrubError(f"cannot read manifest {path}: {getattr(exc, 'strerror', None) or exc}") from None
    suffix = path.suffix.lower()
    rows = _csv(text, path) if suffix == ".csv" else _jsonl(text, path) if suffix in (".jsonl", ".ndjson") else _lines(text)
    submissions: list[Submission] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        sub = _submission(row, path, line)
        if sub.id in seen:
            raise ReposcrubError(f"{path}:{line}: id {sub.id!r} repeats line {seen[sub.id]}; ids must be unique")
        seen[sub.id] = line
        submissions.append(sub)
    if not submissions:
        raise ReposcrubError(f"manifest {path} lists no submissions")
    return submissions


def _lines(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield n, {"target": line}


def _csv(text: str, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(text.splitlines())
    header = set(reader.fieldnames or ())
    if "target" not in header:
        raise ReposcrubError(f"{path}: the CSV header needs a 'target' column (and may have 'id' and 'profile')")
    _check_keys(header, path, 1)
    for row in reader:
        yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def _jsonl(text: str, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ReposcrubError(f"{path}:{n}: not JSON ({exc.msg}); one object a line") from None
        if not isinstance(row, dict) or not all(isinstance(v, str) for v in row.values()):
            raise ReposcrubError(f"{path}:{n}: expected an object of strings, e.g. {{\"id\": \"a\", \"target\": \"a.zip\"}}")
        _check_keys(row, path, n)
        yield n, row


def _check_keys(keys: Iterable[str], path: Path, line: int) -> None:
    unknown = set(keys) - _KEYS
    if unknown:
        raise ReposcrubError(f"{path}:{line}: unknown field(s) {', '.join(sorted(unknown))}; expected id, target, profile")


def _submission(row: dict[str, str], manifest: Path, line: int) -> Submission:
    target = row.get("target", "").strip()
    if not target:
        raise ReposcrubError(f"{manifest}:{line}: no target")
    ident = row.get("id", "").strip() or (strip_credentials(target) if is_url(target) else target)
    profile = row.get("profile", "").strip() or None
    base = manifest.resolve().parent
    if not is_url(target):
        target = str(base / target)
    return Submission(ident, target, str(base / profile) if profile else None)
