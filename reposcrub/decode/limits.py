"""Caps on what a document may make us read: the archive code's caps, applied to the
zip inside an Office or OpenDocument file, plus a nesting depth.

A document is untrusted input like an archive: a zip bomb (a small file that inflates
to gigabytes), thousands of members, or documents embedded in documents must end in a
one-line note, never in a hang or an exhausted memory.
"""
from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from reposcrub.sources.archive import ArchiveLimits

MAX_DEPTH = 3  # a document inside a document inside a document, no deeper
_RATIO_FLOOR = 1 << 20  # ratios of small members mean nothing (as for archives)
_CHUNK = 1 << 16


class OverLimit(Exception):
    """A cap was reached; the message says which, in one line."""


@dataclass(frozen=True, slots=True)
class DecodeLimits:
    """Total inflated bytes, members and inflation ratio: the archive caps."""

    max_size: int
    max_members: int
    max_ratio: int

    @classmethod
    def from_archive(cls, limits: ArchiveLimits | None = None) -> DecodeLimits:
        limits = limits or ArchiveLimits()
        return cls(limits.max_size, limits.max_files, limits.max_ratio)


class ZipBudget:
    """Reads members of one zip, counting what they inflate to against the caps."""

    def __init__(self, archive: zipfile.ZipFile, packed_size: int, limits: DecodeLimits) -> None:
        self.archive = archive
        self.limits = limits
        self.packed = max(packed_size, 1)
        self.total = 0
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise OverLimit(f"{len(members)} members, above the cap of {limits.max_members}")
        declared = sum(m.file_size for m in members)
        self._check(declared)

    def _check(self, total: int) -> None:
        if total > self.limits.max_size:
            raise OverLimit(f"inflates to more than {self.limits.max_size} bytes")
        if total > _RATIO_FLOOR and total > self.limits.max_ratio * self.packed:
            raise OverLimit(f"inflates more than {self.limits.max_ratio} times (a zip bomb?)")

    def chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The member's bytes in pieces, stopping at a cap whatever its header declared."""
        with self.archive.open(info) as stream:
            while True:
                piece = stream.read(_CHUNK)
                if not piece:
                    return
                self.total += len(piece)
                self._check(self.total)
                yield piece

    def read(self, info: zipfile.ZipInfo) -> bytes:
        return b"".join(self.chunks(info))

    def stream(self, info: zipfile.ZipInfo) -> _CountedReader:
        """A file-like reader of the member for a streaming parser, counted as it is read."""
        return _CountedReader(self.chunks(info))


class _CountedReader:
    """read(size) over chunks, for a parser that pulls its input."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            piece = next(self._chunks, b"")
            if not piece:
                break
            self._buffer += piece
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out
