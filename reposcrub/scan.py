"""Blobs in, findings out: every detector over every blob, spread over the cores."""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence

from reposcrub.detectors import Detector
from reposcrub.detectors.rules import RuleDetector
from reposcrub.detectors.skipped import SkippedDetector
from reposcrub.filters import drop_inline_allowed
from reposcrub.model import Blob, Finding, Rule

_BATCH_BYTES = 4 << 20
_BATCH_BLOBS = 256
_SERIAL_BELOW = 64  # small scans (the pre-commit hook) skip the cost of starting workers


class Engine:
    """All detectors, built once per process from the enabled rules."""

    def __init__(self, rules: Sequence[Rule], extra: Sequence[Detector] = ()) -> None:
        self.rules = list(rules)
        self.detectors: list[Detector] = [RuleDetector(self.rules), SkippedDetector(self.rules), *extra]

    def scan_blob(self, blob: Blob) -> list[Finding]:
        found: list[Finding] = []
        for detector in self.detectors:
            found.extend(detector.detect(blob))
        return list(drop_inline_allowed(found, blob)) if found else found


_worker_engine: Engine | None = None


def _scan_batch(batch: list[Blob]) -> list[Finding]:
    assert _worker_engine is not None
    out: list[Finding] = []
    for blob in batch:
        out.extend(_worker_engine.scan_blob(blob))
    return out


def _batches(blobs: Iterable[Blob]) -> Iterator[list[Blob]]:
    batch: list[Blob] = []
    size = 0
    for blob in blobs:
        batch.append(blob)
        size += len(blob.data)
        if size >= _BATCH_BYTES or len(batch) >= _BATCH_BLOBS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def run(blobs: Iterable[Blob], engine: Engine, jobs: int) -> Iterator[Finding]:
    """Scan every blob; with jobs > 1 and enough input, in forked worker processes."""
    global _worker_engine
    batches = _batches(blobs)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if jobs <= 1 or second is None and len(first) < _SERIAL_BELOW:
        _worker_engine = engine
        for batch in (first, second) if second else (first,):
            yield from _scan_batch(batch)
        for batch in batches:
            yield from _scan_batch(batch)
        return
    _worker_engine = engine  # inherited by forked workers: rules compile once
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs) as pool:
        stream = _chain(first, second, batches)
        for found in pool.imap_unordered(_scan_batch, stream, chunksize=1):
            yield from found


def _chain(first: list[Blob], second: list[Blob] | None, rest: Iterator[list[Blob]]) -> Iterator[list[Blob]]:
    yield first
    if second is not None:
        yield second
    yield from rest
