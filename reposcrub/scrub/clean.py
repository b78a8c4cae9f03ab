"""Clean one piece of content: find, replace, and look again until nothing is left.

Looking again after each round catches what an outer replacement uncovered (a
password inside a URL whose host was just replaced) and proves the result clean
by the same detectors that verification uses.

What is found in an encoding is replaced in that encoding: UTF-16 text is cleaned as
UTF-8 and written back with its byte-order mark, a base64 run becomes base64 of its
cleaned text (so that the config still decodes), a percent-encoded secret's
replacement is percent-encoded.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from reposcrub.decode import DocumentOptions, Refusal
from reposcrub.decode.encoded import percent_encode, reencode_base64
from reposcrub.decode.text import transcode
from reposcrub.decode.views import in_base64, in_percent
from reposcrub.model import Blob, Finding, Provenance, Severity
from reposcrub.scan import Engine
from reposcrub.scrub.documents import Removal, describe, scrub_document
from reposcrub.scrub.hosts import name_in_host
from reposcrub.scrub.replace import Replacer

MAX_ROUNDS = 5


@dataclass(slots=True)
class Cleaned:
    data: bytes
    replaced: list[Finding] = field(default_factory=list)
    leftover: list[Finding] = field(default_factory=list)
    broke_syntax: bool = False  # parsed cleanly before, not after
    literal: bool = False  # changed without a finding: a known secret's value, a name inside a word
    removed: str = ""  # why the file is removed from the copy instead (a binary, an editor's swap file)
    refused: str = ""  # what scrub could not remove from a document (the copy is not certified)

    @property
    def changed(self) -> bool:
        return bool(self.replaced) or self.literal


def replaceable(f: Finding, threshold: Severity) -> bool:
    """Spans at or above the threshold; whole-file findings are the plan's business."""
    return f.end > f.start and f.category != "file" and f.severity >= threshold


def _non_overlapping(findings: list[Finding]) -> list[Finding]:
    chosen: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if chosen and f.start < chosen[-1].end:
            continue
        chosen.append(f)
    return chosen


def _outermost(findings: list[Finding]) -> list[Finding]:
    """Non-overlapping edits, outer spans first; what is inside is seen next round.

    Base64 runs go first: a raw edit inside one would leave the rest of the run, and
    the secret in it, undecodable rather than gone."""
    runs = _non_overlapping([f for f in findings if in_base64(f)])
    if not runs:
        return _non_overlapping(findings)
    starts = [f.start for f in runs]

    def clear(f: Finding) -> bool:
        i = bisect.bisect_right(starts, f.start) - 1  # the run starting last at or before f
        return (i < 0 or runs[i].end <= f.start) and (i + 1 >= len(runs) or f.end <= runs[i + 1].start)

    rest = _non_overlapping([f for f in findings if not in_base64(f) and clear(f)])
    return sorted(runs + rest, key=lambda f: f.start)


_NOT_IDENTIFIER = re.compile(rb"[^A-Za-z0-9_]")


def _fit(replacement: bytes, context: str) -> bytes:
    """A replacement inside a code identifier must itself be one."""
    if context == "identifier" and _NOT_IDENTIFIER.search(replacement):
        return _NOT_IDENTIFIER.sub(b"_", replacement)
    return replacement


def _at(inner: Finding, run: Finding) -> Finding:
    """A finding in a base64 run's decoded text, reported where the run is."""
    return replace(inner, start=run.start, end=run.end, line=run.line, column=run.column, end_line=run.end_line,
                   end_column=run.end_column, note=run.note)


class Cleaner:
    def __init__(self, engine: Engine, replacer: Replacer, threshold: Severity = Severity.LOW,
                 documents: DocumentOptions | None = None) -> None:
        self.engine = engine
        self.replacer = replacer
        self.threshold = threshold
        self.documents = documents or DocumentOptions()

    def contains_literal(self, data: bytes) -> bool:
        return any(form in data for form in self.replacer.literals)

    def replace_literals(self, data: bytes) -> bytes:
        """Every known form of every secret found anywhere, replaced here too."""
        for form in sorted(self.replacer.literals, key=len, reverse=True):
            if form in data:
                data = data.replace(form, self.replacer.literals[form])
        return data

    def clean(self, data: bytes, provenance: Provenance, known: list[Finding] | None = None) -> Cleaned:
        """data with every finding replaced; known: the scan's findings in exactly these
        bytes (same engine, same path), used instead of scanning them again."""
        if provenance.location == "file":  # a document or binary: by its format, never raw (scrub/documents.py)
            document = self._document(data, provenance)
            if document is not None:
                return document
        text = transcode(data)
        if text is not None:  # UTF-16 or UTF-32: cleaned as UTF-8, written back as it was
            result = self.clean(text.text, provenance)
            result.data = text.encode(result.data) if result.data != text.text else data
            return result
        result = self._clean_fully(data, provenance, decode=True, known=known)
        if result.changed and provenance.location == "file":
            # Parsed cleanly before, not after: the version before is parsed only when the
            # one after has errors (most replacements keep the syntax, so half the parsing).
            after = self.engine.parse_errors(result.data, provenance.path)
            result.broke_syntax = after is True and self.engine.parse_errors(data, provenance.path) is False
        return result

    def _document(self, data: bytes, provenance: Provenance) -> Cleaned | None:
        result = Cleaned(data)

        def clean_text(text: bytes, where: str) -> bytes:
            cleaned = self._clean_fully(text, Provenance(path=where), decode=True)
            part = where[len(provenance.path) + 1:]
            result.replaced.extend(replace(f, part=part) for f in cleaned.replaced)
            result.leftover.extend(replace(f, part=part) for f in cleaned.leftover)
            return cleaned.data

        outcome = scrub_document(provenance.path, data, clean_text, self.engine.decoding.formats, self.documents)
        if outcome is None:
            return None
        if isinstance(outcome, (Removal, Refusal)) and not self._replaceable(data, provenance, decode=True):
            return result  # only what holds a finding is removed or refused (a folder scrub asks of every file)
        if isinstance(outcome, Removal):
            result.removed = outcome.reason
        elif isinstance(outcome, Refusal):
            result.refused = describe(provenance.path, outcome)
        else:
            result.data = outcome
        return result

    def _clean_fully(self, data: bytes, provenance: Provenance, decode: bool, known: list[Finding] | None = None) -> Cleaned:
        result = self._clean(data, provenance, decode, known)
        literal = self.replace_literals(result.data)
        if literal != result.data:
            result.data = literal
            result.literal = True
        return result

    def _clean(self, data: bytes, provenance: Provenance, decode: bool, known: list[Finding] | None = None) -> Cleaned:
        result = Cleaned(data)
        for round_ in range(MAX_ROUNDS):
            if round_ == 0 and known is not None:
                found = [f for f in known if replaceable(f, self.threshold)]
            else:
                found = self._replaceable(result.data, provenance, decode)
            if not found:
                return result
            pieces, last, replaced = [], 0, []
            for f in _outermost(found):
                if f.start < last:
                    continue  # inside a host name a previous edit already replaced
                replacement, done, end = self._replacement(result.data, f, provenance)
                pieces += [result.data[last : f.start], replacement]
                replaced += done
                last = end
            new = b"".join(pieces) + result.data[last:]
            if new == result.data:
                result.leftover = found
                return result
            result.data = new
            result.replaced.extend(replaced)
        result.leftover = self._replaceable(result.data, provenance, decode)
        return result

    def _replaceable(self, data: bytes, provenance: Provenance, decode: bool) -> list[Finding]:
        found = self.engine.scan_blob(Blob(data=data, provenance=provenance), decode=decode)
        return [f for f in found if replaceable(f, self.threshold)]

    def _replacement(self, data: bytes, f: Finding, provenance: Provenance) -> tuple[bytes, list[Finding], int]:
        """What replaces f's span (up to the returned end), and the findings that replaced."""
        tld = name_in_host(data, f)
        if tld is not None:  # acme.io -> example.com: a replaced host is always a reserved name
            return self.replacer.name_host(f.value.decode("utf-8", "surrogateescape"), tld).encode(), [f], f.end + len(tld)
        if not in_base64(f):
            replacement = _fit(self.replacer.replace(f), f.context)
            return (percent_encode(replacement) if in_percent(f) else replacement), [f], f.end
        inner: list[Finding] = []

        def clean_text(text: bytes) -> bytes:
            cleaned = self._clean_fully(text, provenance, decode=False)  # decoded once, never again
            inner.extend(cleaned.replaced)
            return cleaned.data

        new = reencode_base64(data[f.start : f.end], clean_text)
        return new, [_at(g, f) for g in inner] or [f], f.end
