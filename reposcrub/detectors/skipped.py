"""Content that could not be scanned is reported, never silently dropped."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from reposcrub.findings import make_finding
from reposcrub.model import Blob, Finding, Rule


class SkippedDetector:
    """Reports files too large to scan (file/too-large) and unreadable ones (file/unreadable)."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        by_id = {r.id: r for r in rules}
        self._too_large = by_id.get("file/too-large")
        self._unreadable = by_id.get("file/unreadable")

    def detect(self, blob: Blob) -> Iterator[Finding]:
        if blob.size is None:
            return
        if blob.size < 0 and self._unreadable is not None:
            yield make_finding(self._unreadable, blob, 0, 0, None, note="could not be read")
        elif blob.size >= 0 and self._too_large is not None:
            note = f"{blob.size} bytes, above the size limit: not scanned, review it by hand"
            yield make_finding(self._too_large, blob, 0, 0, None, note=note)
