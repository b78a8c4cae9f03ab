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
_touched: Counter[object] = Counter()


def _site() -> object:
    """The code object of the function that asked (named only when reported)."""
    return sys._getframe(2).f_code


def site_name(code: object) -> str:
    return f"{os.path.relpath(code.co_filename, _ROOT)}:{code.co_name}"  # type: ignore[attr-defined]


def _span(length: int, start: int | None, end: int | None) -> tuple[int, int]:
    return slice(start, end).indices(length)[:2]


class CountingBytes(bytes):
    """bytes that record how many bytes each operation reads, by calling function."""

    def __contains__(self, sub: object) -> bool:
        if isinstance(sub, int):
            sub = bytes([sub])
        assert isinstance(sub, bytes)
        found = bytes.find(self, sub)
        _touched[_site()] += len(self) if found < 0 else found + len(sub)
        return found >= 0

    def find(self, sub, start=None, end=None):
        lo, hi = _span(len(self), start, end)
        found = bytes.find(self, sub, lo, hi)
        _touched[_site()] += (found + len(sub) if found >= 0 else hi) - lo
        return found

    def rfind(self, sub, start=None, end=None):
        lo, hi = _span(len(self), start, end)
        found = bytes.rfind(self, sub, lo, hi)
        _touched[_site()] += hi - (found if found >= 0 else lo)
        return found

    def count(self, sub, start=None, end=None):
        lo, hi = _span(len(self), start, end)
        _touched[_site()] += hi - lo
        return bytes.count(self, sub, lo, hi)

    def __getitem__(self, key):
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


for _name in ("decode", "lower", "upper", "isascii", "index", "rindex", "split", "splitlines",
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
    touched: Counter[str] = Counter()
    for code, n in _touched.items():
        touched[site_name(code)] += n
    return Cost(calls, touched, dict(longest))
