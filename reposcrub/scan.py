"""Blobs in, findings out: every detector over every blob, spread over the cores."""
from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Protocol

from reposcrub.delta import Changes, changed_windows
from reposcrub.detectors import Detector
from reposcrub.detectors.hostpatterns import HostPatternDetector
from reposcrub.detectors.identifiers import IdentifierDetector
from reposcrub.detectors.rules import RuleDetector
from reposcrub.detectors.skipped import SkippedDetector
from reposcrub.decode.formats import FormatSettings
from reposcrub.decode.scan import Decoding, DocumentNotes
from reposcrub.decode.views import found_in_views, in_base64
from reposcrub.errors import ReposcrubError
from reposcrub.filters import drop_inline_allowed, mark_inline_allowed
from reposcrub.model import Blob, Finding, Rule
from reposcrub.profile import Profile
from reposcrub.syntax import SyntaxContext, decides_outcome, mark_unparsed

# Code detectors by name; rules name theirs with `detector:`. "rules" runs the data rules.
DETECTORS: dict[str, Callable[[Sequence[Rule], Profile], Detector]] = {
    "rules": lambda rules, profile: RuleDetector(rules),
    "skipped": lambda rules, profile: SkippedDetector(rules),
    "identifiers": lambda rules, profile: IdentifierDetector(profile, rules),
    "host-patterns": lambda rules, profile: HostPatternDetector(profile, rules),
    "documents": lambda rules, profile: DocumentNotes(),
}

_BATCH_BYTES = 4 << 20
_BATCH_BLOBS = 256
_SERIAL_BELOW = 64  # small scans (the pre-commit hook) skip the cost of starting workers


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """What an engine is built from, resolved once per scan: the enabled rules (with their
    severities), the organisation profile, and whether history-only blobs are always parsed."""

    rules: tuple[Rule, ...]
    profile: Profile = field(default_factory=Profile)
    history_context: bool = True
    obey_allows: bool = True  # False for untrusted targets: inline allows are reported, not obeyed
    documents: FormatSettings | None = None  # how documents are read (pipeline.format_settings)


class Executor(Protocol):
    """Where batches of blobs are scanned: a process pool, Dask's client executor. Not a
    thread pool: detectors/encoded.py keeps a keyword prefilter per process whose hyperscan
    scratch space two threads cannot use at once."""

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]: ...


class Engine:
    """All detectors, built once per process from the enabled rules and the profile."""

    def __init__(self, rules: Sequence[Rule], profile: Profile | None = None, *, history_context: bool = True,
                 obey_allows: bool = True, documents: FormatSettings | None = None) -> None:
        """history_context=False parses a blob seen only in history (not in the work tree)
        just when its context decides an outcome: a full-history scan of a large repository
        would otherwise spend most of its time in tree-sitter to label findings.
        obey_allows=False (untrusted targets) keeps what inline allows would drop, marked."""
        self.rules = list(rules)
        self.obey_allows = obey_allows
        self.history_context = history_context
        self.profile = profile or Profile()
        self.config = EngineConfig(tuple(self.rules), self.profile, history_context)
        wanted = ["rules", *sorted({r.detector for r in self.rules if r.detector})]
        unknown = [name for name in wanted if name not in DETECTORS]
        if unknown:
            raise ReposcrubError(f"rules name unknown detector(s): {', '.join(unknown)}")
        self.detectors: list[Detector] = [DETECTORS[name](self.rules, self.profile) for name in wanted]

        self._by_id = {r.id: r for r in self.rules}
        # Rules without a provider's format lose a tie on the same span to those with one.
        self._generic = frozenset(r.id for r in self.rules if "generic" in r.id or "generic" in r.tags)
        self._syntax: SyntaxContext | None = None
        self.decoding = Decoding(self._by_id, documents)

    @classmethod
    def from_config(cls, config: EngineConfig) -> Engine:
        return cls(config.rules, config.profile, history_context=config.history_context, obey_allows=config.obey_allows,
                   documents=config.documents)

    def scan_batch(self, batch: Sequence[Blob]) -> list[Finding]:
        """Findings of every blob in batch, overlaps resolved."""
        out: list[Finding] = []
        for blob in batch:
            out.extend(self.scan_blob(blob))
        return out

    def parse_errors(self, data: bytes, path: str) -> bool | None:
        """Whether data parses with errors as path's language (None: plain text); cached."""
        if self._syntax is None:
            self._syntax = SyntaxContext()
        return self._syntax.parse_errors(data, path)

    def scan_blob(self, blob: Blob, resolve_overlaps: bool = True, *, decode: bool = True) -> list[Finding]:
        """Findings of every detector in one blob; with resolve_overlaps, one per span and category.
        With decode, also in what the blob holds: UTF-16/32 text, a document's parts, a
        binary's printable runs (decode/scan.py), and what its text encodes (decode/encoded.py)."""
        if decode:
            decoded = self.decoding.findings(blob, self, resolve_overlaps)
            if decoded is not None:
                return decoded
        return self.scan_plain(blob, resolve_overlaps, views=decode)

    def scan_plain(self, blob: Blob, resolve_overlaps: bool, views: bool) -> list[Finding]:
        """Findings of every detector in blob as it is; with views, also in its percent-
        escapes and base64 runs decoded."""
        found: list[Finding] = []
        scanned, changes = changed_part(blob)
        for detector in self.detectors:
            found.extend(detector.detect(scanned))
        if views:
            percent, inside = found_in_views(scanned, lambda b: (f for d in self.detectors for f in d.detect(b)),
                                             lambda fs: drop_overlaps(fs, self._generic), found)
            found += percent + inside
        if changes is not None:  # what touches no new line was reported at the previous version
            found = [f for f in found if f.end <= f.start or changes.holds_new(f.start, f.end)]
        if not found:
            return found
        found = list(drop_inline_allowed(found, blob) if self.obey_allows else mark_inline_allowed(found, blob))
        if blob.provenance.location == "file" and found:
            if self.history_context or blob.provenance.commit is None or decides_outcome(found, self._by_id):
                if self._syntax is None:
                    self._syntax = SyntaxContext()  # grammars load on the first file that needs one
                found = self._syntax.annotate(found, blob, self._by_id)
            else:
                found = mark_unparsed(found, blob)
        if not resolve_overlaps:
            return found
        # Every finding in a base64 run has the run's span: none may hide another there.
        inside = [f for f in found if in_base64(f)]
        if not inside:
            return drop_overlaps(found, self._generic)
        kept = drop_overlaps([f for f in found if not in_base64(f)], self._generic)
        return sorted(kept + inside, key=lambda f: (f.start, f.rule_id))


def changed_part(blob: Blob) -> tuple[Blob, Changes | None]:
    """What of blob needs scanning: with a base (its previous version, scanned already),
    the windows around the lines that changed since, at their own offsets; else all of it."""
    if blob.base is None or b"\0" in blob.data[:8192]:
        return blob, None  # binary content is judged whole, as it always was
    changes = changed_windows(blob.data, blob.base)
    windows = None if changes is None else changes.windows
    return Blob(blob.data, blob.provenance, blob.oid, blob.size, windows=windows), changes


def _preference(f: Finding, generic: frozenset[str]) -> tuple[int, int, int, str]:
    return (0 if f.rule_id in generic else 1, int(f.severity), f.end - f.start, f.rule_id)


def _pick(cluster: list[Finding], generic: frozenset[str]) -> list[Finding]:
    kept: list[Finding] = []
    for f in sorted(cluster, key=lambda f: _preference(f, generic), reverse=True):
        if not any(k.start < f.end and f.start < k.end for k in kept):
            kept.append(f)
    return kept


def drop_overlaps(findings: list[Finding], generic: frozenset[str] = frozenset()) -> list[Finding]:
    """One finding per span and category: a provider rule beats a generic one on the
    same token, a longer match beats one inside it. Whole-file findings always stay."""
    if len(findings) < 2:
        return findings
    kept = [f for f in findings if f.end <= f.start]
    by_category: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.end > f.start:
            by_category[f.category].append(f)
    for group in by_category.values():
        group.sort(key=lambda f: f.start)
        cluster: list[Finding] = []
        cluster_end = -1
        for f in group:
            if cluster and f.start >= cluster_end:
                kept.extend(_pick(cluster, generic))
                cluster = []
            cluster.append(f)
            cluster_end = max(cluster_end, f.end) if len(cluster) > 1 else f.end
        kept.extend(_pick(cluster, generic))
    return sorted(kept, key=lambda f: (f.start, f.rule_id))


# Set only inside the children of one scan's fork pool (by the pool's initializer), never
# in the process that runs scans: two scans there each pass their own engine.
_forked_engine: Engine | None = None


def _install_forked(engine: Engine) -> None:
    global _forked_engine
    _forked_engine = engine


def _scan_forked(batch: list[Blob]) -> list[Finding]:
    assert _forked_engine is not None
    return _forked_engine.scan_batch(batch)


def _scan_configured(config: EngineConfig, batch: list[Blob]) -> list[Finding]:
    """An executor's task: its own engine, as the detectors keep per-scan state."""
    return Engine.from_config(config).scan_batch(batch)


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


def run(blobs: Iterable[Blob], engine: Engine, jobs: int, executor: Executor | None = None) -> Iterator[Finding]:
    """Scan every blob with engine. With an executor, batches run there (jobs of them in
    flight), each on an engine built from engine.config; else with jobs > 1 and enough
    input in a pool of forked processes owned by this scan, else in this thread."""
    batches = _batches(blobs)
    if executor is not None:
        yield from _on_executor(batches, engine.config, executor, max(1, jobs))
        return
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if jobs <= 1 or second is None and len(first) < _SERIAL_BELOW:
        for batch in (first, second) if second else (first,):
            yield from engine.scan_batch(batch)
        for batch in batches:
            yield from engine.scan_batch(batch)
        return
    # Forked children inherit the engine (rules compile once) without pickling it.
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs, initializer=_install_forked, initargs=(engine,)) as pool:
        stream = _chain(first, second, batches)
        for found in pool.imap_unordered(_scan_forked, stream, chunksize=1):
            yield from found


def _on_executor(batches: Iterator[list[Blob]], config: EngineConfig, executor: Executor,
                 in_flight: int) -> Iterator[Finding]:
    pending: deque[Future[list[Finding]]] = deque()
    try:
        for batch in batches:
            pending.append(executor.submit(_scan_configured, config, batch))
            if len(pending) > in_flight:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        for future in pending:  # abandoned (an error, or the consumer stopped): not run
            future.cancel()


def _chain(first: list[Blob], second: list[Blob] | None, rest: Iterator[list[Blob]]) -> Iterator[list[Blob]]:
    yield first
    if second is not None:
        yield second
    yield from rest
