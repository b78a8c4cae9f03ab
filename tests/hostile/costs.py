"""Deterministic cost of scanning one blob, for linear-time checks that a noisy machine
cannot fool: no clocks.

Three counts, each the same on every run:

- calls: Python and built-in function calls (cProfile's call counts);
- bytes touched: how far each bytes operation on the blob reads (find, rfind, ``in``,
  slices, decode, lower, isascii...), by the function that asked. RE2, Hyperscan and
  tree-sitter are linear by construction and not counted. This is where a per-finding
  ``rfind`` to the start of a 20 MB line shows up, which call counts cannot see;
- filter inputs: the longest value and line handed to each false-positive filter.
  Filters use Python's backtracking ``re``, linear only on inputs of bounded length.
"""
from __future__ import annotations

import cProfile
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from reposcrub.detectors import heuristics
from reposcrub.model import Blob, Provenance

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_touched: Counter[str] = Counter()


def _site() -> str:
    """The reposcrub function that asked for the operation (skipping this module)."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if "reposcrub" in name and not name.endswith("costs.py"):
            return f"{os.path.relpath(name, _ROOT)}:{frame.f_code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return "?"


def _span(length: int, start: int | None, end: int | None) -> tuple[int, int]:
    return slice(start, end).indices(length)[:2]


class CountingBytes(bytes):
    """bytes that record how many bytes each operation reads, by calling function."""

    def __contains__(self, sub: object) -> bool:  # type: ignore[override]
        found = bytes.find(self, sub)  # type: ignore[arg-type]
        _touched[_site()] += len(self) if found < 0 else found + len(sub)  # type: ignore[arg-type]
        return found >= 0

    def find(self, sub, start=None, end=None):  # type: ignore[no-untyped-def,override]
        lo, hi = _span(len(self), start, end)
        found = bytes.find(self, sub, lo, hi)
        _touched[_site()] += (found + len(sub) if found >= 0 else hi) - lo
        return found

    def rfind(self, sub, start=None, end=None):  # type: ignore[no-untyped-def,override]
        lo, hi = _span(len(self), start, end)
        found = bytes.rfind(self, sub, lo, hi)
        _touched[_site()] += hi - (found if found >= 0 else lo)
        return found

    def __getitem__(self, key):  # type: ignore[no-untyped-def,override]
        got = bytes.__getitem__(self, key)
        if isinstance(key, slice):
            _touched[_site()] += len(got)
            return CountingBytes(got)
        return got



def _reads_all(name: str) -> Callable[..., object]:
    def method(self: bytes, *args: object, **kwargs: object) -> object:
        _touched[_site()] += len(self)
        result = getattr(bytes, name)(self, *args, **kwargs)
        return CountingBytes(result) if isinstance(result, bytes) else result
    return method


for _name in ("decode", "lower", "upper", "isascii", "count", "index", "rindex", "split", "splitlines",
              "replace", "strip", "translate", "hex", "__iter__"):
    setattr(CountingBytes, _name, _reads_all(_name))


@dataclass
class Cost:
    calls: int
    touched: Counter[str]
    filter_inputs: dict[str, int] = field(default_factory=dict)

    @property
    def bytes(self) -> int:
        return sum(self.touched.values())


@contextmanager
def recording_filters() -> Iterator[dict[str, int]]:
    """Wrap every named filter to record the longest value and line it is given."""
    longest: dict[str, int] = {}
    original = dict(heuristics.FILTERS)

    def wrap(name: str, f: Callable[[str, str, str], bool]) -> Callable[[str, str, str], bool]:
        def recorded(secret: str, line: str, path: str) -> bool:
            longest[name] = max(longest.get(name, 0), len(secret), len(line))
            return f(secret, line, path)
        return recorded

    heuristics.FILTERS.update({name: wrap(name, f) for name, f in original.items()})
    try:
        yield longest
    finally:
        heuristics.FILTERS.update(original)


def measure(scan: Callable[[Blob], object], data: bytes, path: str) -> Cost:
    """The deterministic cost of scan(blob) on data at path."""
    blob = Blob(data=CountingBytes(data), provenance=Provenance(path=path))
    _touched.clear()
    with recording_filters() as longest:
        profile = cProfile.Profile()
        profile.enable()
        try:
            scan(blob)
        finally:
            profile.disable()
    calls = sum(entry.callcount for entry in profile.getstats())
    return Cost(calls, Counter(_touched), dict(longest))
