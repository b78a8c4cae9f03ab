"""Secret values hidden in every piece of free text a report prints.

A secret can be part of a file name (``keys/AKIA….txt``), a branch name or a URL that
another rule reports in full: its own preview is redacted, so every path, ref, note and
preview printed anywhere must be too. Fingerprints keep hashing the real path: they are
hashes, and baselines stay stable whether or not a path was masked.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from reposcrub.findings import redact
from reposcrub.model import Finding, ScanResult

# Values are found by their first characters: one dict lookup per position of the text.
# No rule reports a shorter secret, and masking a shorter string would blot out ordinary words.
_ANCHOR = 4


class SecretMask:
    """Known secret values; calling it on a text replaces each one with its redacted form."""

    def __init__(self, values: Iterable[str]) -> None:
        by_anchor: dict[str, set[str]] = defaultdict(set)
        for value in values:
            if len(value) >= _ANCHOR:
                by_anchor[value[:_ANCHOR]].add(value)
        self._by_anchor = {k: sorted(vs, key=len, reverse=True) for k, vs in by_anchor.items()}
        self._done: dict[str, str] = {}  # the same path is printed for many findings

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> SecretMask:
        """The values of every secret among findings (as paths hold them: undecodable bytes as surrogates)."""
        values = [f.value.decode("utf-8", "surrogateescape") for f in findings if f.redacts and f.value]
        # A secret found in a name under an encoding (percent-escapes) is printed as the name
        # holds it: mask those bytes too (the finding's span in a path or ref is the name's).
        values += [f.path.encode("utf-8", "surrogateescape")[f.start:f.end].decode("utf-8", "surrogateescape")
                   for f in findings if f.redacts and f.location in ("path", "ref") and f.end > f.start]
        return cls(values)

    def __bool__(self) -> bool:
        return bool(self._by_anchor)

    def __call__(self, text: str) -> str:
        if not self._by_anchor or len(text) < _ANCHOR:
            return text
        masked = self._done.get(text)
        if masked is None:
            masked = self._done[text] = self._mask(text)
        return masked

    def _mask(self, text: str) -> str:
        out: list[str] = []
        done = 0
        for start, end in _merged(self._spans(text)):
            out += [text[done:start], redact(text[start:end])]
            done = end
        return "".join(out) + text[done:] if out else text

    def _spans(self, text: str) -> Iterable[tuple[int, int]]:
        for i in range(len(text) - _ANCHOR + 1):
            for value in self._by_anchor.get(text[i : i + _ANCHOR], ()):
                if text.startswith(value, i):
                    yield i, i + len(value)
                    break  # longest first: a shorter value starting here lies inside it


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping occurrences masked as one: masking each alone would show the middle of the other."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:  # in order of start
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def masked_finding(f: Finding, mask: SecretMask) -> Finding:
    """f as reports print it; its fingerprint still hashes the real path."""
    shown = (mask(f.path), mask(f.ref) if f.ref else f.ref, mask(f.note), f.preview if f.redacts else mask(f.preview))
    if shown == (f.path, f.ref, f.note, f.preview):
        return f
    path, ref, note, preview = shown
    return replace(f, path=path, ref=ref, note=note, preview=preview)


def for_display(result: ScanResult, mask: SecretMask | None = None) -> ScanResult:
    """result as reports print it: no secret it found appears in a path, ref, note or preview.

    mask defaults to the secrets among result's own findings; pass a larger one when the
    report shows only some of the findings (a scrub report's replacements, say).
    """
    mask = mask if mask is not None else SecretMask.of(result.findings)
    if not mask:
        return result
    return replace(
        result,
        target=mask(result.target),
        findings=tuple(masked_finding(f, mask) for f in result.findings),
        notes=tuple(mask(n) for n in result.notes),
        repository_uri=mask(result.repository_uri) if result.repository_uri else result.repository_uri,
        branch=mask(result.branch) if result.branch else result.branch,
    )
