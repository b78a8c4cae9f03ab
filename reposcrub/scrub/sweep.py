"""A literal sweep of the copy, independent of the detectors that cleaned it.

Every term the copy must not hold — the profile's names and codenames in every case and
separator style, people's names, handles and e-mails, domains, namespaces, and every value
scrub replaced (secrets in each encoding it knows) — is searched for as a case-insensitive
substring in every object of a fresh mirror clone: blobs, trees (so every path), commits
(identities and messages), tags and notes, and in every ref name.

How a hit is judged:
- a secret value anywhere is a leak;
- a name at a word boundary (camel humps count, as for the scanner) is a leak;
- a name inside a longer word (``metadata`` for the org "Meta", ``globexutils``) is not
  something scrub replaces, and not something to pass in silence either: it fails unless
  the profile accepts that word (``[scrub] keep_words``), and accepted words are listed
  with their counts in the verdict; the same for domains and namespaces;
- a person's name or handle inside a longer word (``chris`` in ``Christmas``, ``dsmith``
  in ``cloudsmith``) is chance, not the person: listed with its counts, not a failure;
- a name the profile marks ambiguous (an ordinary word) is listed, never a failure: the
  scanner counts it only in strong contexts, which a literal sweep cannot tell apart.
"""
from __future__ import annotations

from collections import Counter
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import re2

from reposcrub import git
from reposcrub.catfile import read_all_objects
from reposcrub.decode import texts
from reposcrub.decode.formats import Formats
from reposcrub.detectors.identifiers import name_boundaries_ok
from reposcrub.sources import gitwalk

SEPARATORS = ("", " ", "_", "-", ".")
MAX_EXAMPLES = 20
LARGE = 32 << 20  # objects above this are swept in windows, never held whole
_WINDOW = 8 << 20


@dataclass(frozen=True, slots=True)
class Term:
    text: bytes  # lower case
    kind: str  # "name" (word boundaries), "plain" (host, e-mail), "value" (a secret: any hit), "ticket" (KEY-<digit>)
    label: str  # what to call it in the verdict; a secret's text is never shown
    ambiguous: bool = False
    # Inside a longer word, an org name is usually a word the org coined (shopifyapi):
    # it fails unless accepted. A person's handle inside a word (chris in Christmas) is chance.
    inside_fails: bool = True


@dataclass
class SweepResult:
    objects: int = 0
    bytes: int = 0
    refs: int = 0
    terms: int = 0
    leaks: list[tuple[str, str]] = field(default_factory=list)  # (label, where), the first MAX_EXAMPLES
    leak_count: int = 0
    inside: Counter[str] = field(default_factory=Counter)  # longer words holding a term, not accepted
    accepted: Counter[str] = field(default_factory=Counter)  # accepted by the profile
    ordinary: Counter[str] = field(default_factory=Counter)  # ambiguous names, as ordinary words
    chance: Counter[str] = field(default_factory=Counter)  # people's names or handles inside other words
    _blob_hits: dict[str, str] = field(default_factory=dict)  # oid -> label, placed on paths later


def phrase_variants(words: list[str]) -> list[str]:
    """acme corp -> acmecorp, acme corp, acme_corp, acme-corp, acme.corp."""
    return list(dict.fromkeys(sep.join(words) for sep in SEPARATORS)) if len(words) > 1 else words[:1]


def _word_around(data: bytes, start: int, end: int) -> bytes:
    while start > 0 and (data[start - 1] >= 0x80 or chr(data[start - 1]).isalnum()):
        start -= 1
    while end < len(data) and (data[end] >= 0x80 or chr(data[end]).isalnum()):
        end += 1
    return data[start:end]


def _plain_ok(data: bytes, start: int, end: int) -> bool:
    before = data[start - 1] if start else 0x20
    after = data[end] if end < len(data) else 0x20
    return not (chr(before).isalnum() or before >= 0x80) and not (chr(after).isalnum() or after >= 0x80)


class Sweeper:
    """Sweeps bytes for the terms; collects leaks and longer words."""

    def __init__(self, terms: Iterable[Term], keep_words: Iterable[str]) -> None:
        by_text: dict[bytes, Term] = {}
        for t in terms:
            if t.text and (t.text not in by_text or t.kind == "value"):
                by_text[t.text] = t
        self.terms = by_text
        self.keep = {w.lower().encode() for w in keep_words}
        ordered = sorted(by_text, key=len, reverse=True)
        body = b"|".join(re2.escape(t) for t in ordered)
        options = re2.Options()
        options.case_sensitive = False
        options.max_mem = 256 << 20  # a thousand terms need more than the default 8 MB for the DFA
        options.log_errors = False
        self._pattern = re2.compile(body, options) if body else None
        self.longest = max((len(t) for t in by_text), default=0)
        self.result = SweepResult(terms=len(by_text))

    def sweep(self, data: bytes, where: str, oid: str | None = None, first: int = 0, before: int | None = None) -> None:
        """Judge every hit in data that starts at or after first and, unless before is None,
        before before (a window of a larger object: later starts are judged in the next one)."""
        if self._pattern is None:
            return
        for m in self._pattern.finditer(data):
            start, end = m.span()
            if start < first or (before is not None and start >= before):
                continue
            term = self.terms.get(data[start:end].lower())
            if term is not None:
                self._judge(term, data, start, end, where, oid)

    def _judge(self, term: Term, data: bytes, start: int, end: int, where: str, oid: str | None) -> None:
        r = self.result
        if term.kind == "ticket":
            if end >= len(data) or not chr(data[end]).isdigit() or not name_boundaries_ok(data, start, end - 1, strict=False):
                return  # GLX-driver is no ticket key
            bounded = True
        elif term.kind == "value":
            bounded = True
        elif term.kind == "name":
            bounded = name_boundaries_ok(data, start, end, strict=False)
        else:
            bounded = _plain_ok(data, start, end)
        word = "" if bounded else _word_around(data, start, end).decode("utf-8", "replace")
        if term.ambiguous:
            r.ordinary[word or data[start:end].decode("utf-8", "replace")] += 1
        elif not bounded and word.lower().encode() in self.keep:
            r.accepted[word] += 1
        elif not bounded and not term.inside_fails:
            r.chance[word] += 1
        elif not bounded:
            r.inside[word] += 1
        else:
            r.leak_count += 1
            if oid is not None:
                r._blob_hits.setdefault(oid, term.label)
            elif len(r.leaks) < MAX_EXAMPLES:
                r.leaks.append((term.label, where))


def sweep_repository(repo: Path, sweeper: Sweeper) -> SweepResult:
    """Every object and ref name of repo (a fresh mirror clone of the copy)."""
    r = sweeper.result
    formats = Formats()
    for name, _, _ in gitwalk.refs(repo):
        r.refs += 1
        sweeper.sweep(name.encode("utf-8", "surrogateescape"), f"ref {name}")
    large = []
    for obj in read_all_objects(repo, max_size=LARGE):
        r.objects += 1
        r.bytes += obj.size
        if obj.size > LARGE:
            large.append((obj.kind, obj.oid))
            continue
        where = f"a path in tree {obj.oid[:10]}" if obj.kind == "tree" else f"{obj.kind} {obj.oid[:10]}"
        sweeper.sweep(obj.data, where, obj.oid if obj.kind == "blob" else None)
        for text in texts(obj.data, "", formats) if obj.kind == "blob" else ():  # inside documents too
            sweeper.sweep(text, where, obj.oid)
    for kind, oid in large:
        _sweep_streamed(repo, kind, oid, sweeper)
    _place_blob_hits(repo, r)
    return r


def _sweep_streamed(repo: Path, kind: str, oid: str, sweeper: Sweeper) -> None:
    proc = git.popen(["cat-file", kind, oid], repo)
    assert proc.stdout is not None
    try:
        sweep_stream(proc.stdout, sweeper, f"{kind} {oid[:10]}", oid if kind == "blob" else None)
    finally:
        proc.stdout.close()
        proc.wait()


def sweep_stream(stream: BinaryIO, sweeper: Sweeper, where: str, oid: str | None = None) -> None:
    """Content read in windows, so memory stays bounded: each window judges the hits that
    start early enough to end, with a byte after, inside it; the next one starts a byte
    before the first hit left, so no hit is missed or counted twice."""
    buf, first = b"", 0
    while chunk := stream.read(_WINDOW):
        buf += chunk
        cutoff = max(first, len(buf) - sweeper.longest - 1)
        sweeper.sweep(buf, where, oid, first, cutoff)
        keep_from = max(0, cutoff - 1)
        buf, first = buf[keep_from:], cutoff - keep_from
    sweeper.sweep(buf, where, oid, first)


def sweep_folder(root: Path, sweeper: Sweeper) -> SweepResult:
    """Every regular file's path and content under root (a folder scrub's copy)."""
    r = sweeper.result
    formats = Formats()
    for folder, dirs, files in os.walk(root):
        for name in sorted(files + dirs):
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            sweeper.sweep(rel.encode("utf-8", "surrogateescape"), f"path {rel}")
            if name in files and path.is_file() and not path.is_symlink():
                r.objects += 1
                r.bytes += path.stat().st_size
                with path.open("rb") as stream:
                    sweep_stream(stream, sweeper, f"file {rel}")
                if path.stat().st_size <= LARGE:  # inside documents too
                    for text in texts(path.read_bytes(), rel, formats):
                        sweeper.sweep(text, f"file {rel}")
    return r


def _place_blob_hits(repo: Path, r: SweepResult) -> None:
    """Name a path for each blob that leaks (one pass over history, only when needed)."""
    if not r._blob_hits:
        return
    paths: dict[str, str] = {}
    for line in git.split_stream(["rev-list", "--all", "--objects"], repo, b"\n"):
        oid, _, path = line.decode("utf-8", "replace").partition(" ")
        if oid in r._blob_hits and oid not in paths:
            paths[oid] = path
    for oid, label in sorted(r._blob_hits.items()):
        if len(r.leaks) < MAX_EXAMPLES:
            r.leaks.append((label, f"file {paths.get(oid, '?')} (blob {oid[:10]})"))
