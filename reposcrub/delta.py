"""What is new in a blob, given the previous version of the same file.

A file's history is mostly the same lines again: each version adds a few to the one
before. Once a version has been scanned, a later version needs scanning only where it
differs, plus a few lines around each change for matches that look at their
neighbours. The answer is a set of windows, byte ranges of whole lines at the blob's own
offsets, so findings in them sit exactly where they sit in the blob; a value already
present in the earlier version is reported there, at the commit that introduced it.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, compress, count
from typing import Any

Windows = tuple[tuple[int, int], ...]


def windowed_text(data: bytes, windows: Windows | None) -> bytes:
    """What a keyword prefilter should look at: data, or its windows a line break apart."""
    return data if windows is None else b"\n".join(data[start:end] for start, end in windows)


def matches_in(pattern: Any, data: bytes, windows: Windows | None) -> Iterator[Any]:
    """pattern's matches in data, or inside each window only (never across two)."""
    if windows is None:
        yield from pattern.finditer(data)
        return
    for start, end in windows:
        yield from pattern.finditer(data, start, end)


@dataclass(frozen=True, slots=True)
class Changes:
    """Where a blob differs from its previous version: the new lines (whole lines, merged
    runs), and the windows to scan, those with CONTEXT_LINES either side. A finding that
    touches no new line was in the previous version already, a few lines from here."""

    new: Windows
    windows: Windows

    def holds_new(self, start: int, end: int) -> bool:
        """Whether [start, end) touches a new line (an empty span asks about start)."""
        i = bisect.bisect_right(self.new, (start, 1 << 62)) - 1
        if i >= 0 and self.new[i][1] > start:
            return True
        return i + 1 < len(self.new) and self.new[i + 1][0] < max(end, start + 1)

CONTEXT_LINES = 3  # as many as a diff hunk shows: rules may read a key on the line above
WORTH_IT = 0.6  # above this share of new bytes, scanning the whole blob costs less
SMALL_CHANGE = 2048  # a changed stretch this short is scanned whole rather than compared by line


def changed_windows(data: bytes, base: bytes, context_lines: int = CONTEXT_LINES) -> Changes | None:
    """The lines of data not in base and the [start, end) ranges to scan, each new line
    with context_lines either side, merged; both empty when nothing is new; None when the
    whole blob should be scanned (it is mostly new)."""
    # Only the stretch between the common start and the common end can hold new lines.
    low = data.rfind(b"\n", 0, _common_prefix(data, base)) + 1  # back to the start of its line
    high = max(low, len(data) - _common_suffix(data, base))
    high = (data.find(b"\n", high - 1) + 1 or len(data)) if high > low else low  # past the end of its line
    if high <= low:
        return Changes((), ())
    if high - low <= SMALL_CHANGE:  # one small edit: comparing line by line costs more than it saves
        kept = [(low, high - 1 if data[high - 1] == 0x0A else high)]
    else:
        kept = _new_lines(data, base, low, high)
        if not kept:
            return Changes((), ())
    windows: list[tuple[int, int]] = []
    for start, end in kept:
        start, end = _widen(data, start, end, context_lines)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    if sum(end - start for start, end in windows) > WORTH_IT * len(data):
        return None
    return Changes(tuple(kept), tuple(windows))


def _new_lines(data: bytes, base: bytes, low: int, high: int) -> list[tuple[int, int]]:
    """Runs of lines in data[low:high] that base's middle does not have, as (start, end)
    with end at the last run's line break."""
    middle = data[low:high].split(b"\n")
    new_lines = set(middle).difference(base[low:len(base) - (len(data) - high)].split(b"\n"))
    new_lines.discard(b"")
    # Whole-list operations run in C: a Python loop per line would cost more than the
    # scanning it saves.
    new = list(compress(count(), map(new_lines.__contains__, middle)))
    ends = list(accumulate(map(len, middle)))  # line i of middle ends at low + ends[i] + i
    kept: list[tuple[int, int]] = []
    for i in new:
        start, end = low + (ends[i - 1] + i if i else 0), low + ends[i] + i
        if kept and start <= kept[-1][1] + 1:
            kept[-1] = (kept[-1][0], end)
        else:
            kept.append((start, end))
    return kept


def _widen(data: bytes, start: int, end: int, lines: int) -> tuple[int, int]:
    """[start, end) (whole lines, end at a line break or the end) and lines more either side,
    with the last line break."""
    for _ in range(lines):
        if start == 0:
            break
        start = data.rfind(b"\n", 0, start - 1) + 1
    for _ in range(lines):
        if end >= len(data):
            break
        following = data.find(b"\n", end + 1)
        end = len(data) if following == -1 else following
    return start, min(end + 1, len(data))


def _common_prefix(a: bytes, b: bytes) -> int:
    """Length of the longest common prefix, by comparing ever larger then halving slices."""
    limit = min(len(a), len(b))
    low, step = 0, 256
    while low < limit:
        high = min(limit, low + step)
        if a[low:high] != b[low:high]:
            break
        low, step = high, step * 2
    else:
        return limit
    while high - low > 32:
        mid = (low + high) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid
    while low < high and a[low] == b[low]:
        low += 1
    return low


def _common_suffix(a: bytes, b: bytes) -> int:
    """Length of the longest common suffix, the same way from the other end."""
    la, lb = len(a), len(b)
    limit = min(la, lb)
    low, step = 0, 256
    while low < limit:
        high = min(limit, low + step)
        if a[la - high:la - low] != b[lb - high:lb - low]:
            break
        low, step = high, step * 2
    else:
        return limit
    while high - low > 32:
        mid = (low + high) // 2
        if a[la - mid:la - low] == b[lb - mid:lb - low]:
            low = mid
        else:
            high = mid
    while low < high and a[la - low - 1] == b[lb - low - 1]:
        low += 1
    return low
