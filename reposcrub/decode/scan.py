"""Findings in what a blob holds, with the same detectors: text in another encoding, the
parts of a document, the printable runs of a binary.

- UTF-16/32 text is scanned as UTF-8 and its findings placed on the original bytes;
- a document's parts are scanned one by one; a finding names the part in its path
  (``docs/Plan.docx!word/document.xml``), says where in it (``paragraph 3``), and keeps
  its line and column in the part's text;
- a binary (and a document, for what its format does not say) is scanned over its
  printable runs; what the document's parts gave already is not reported twice.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Protocol

from reposcrub.decode import PART_SEPARATOR, Embedded, Format, Part, Unreadable
from reposcrub.decode.formats import Formats, FormatSettings
from reposcrub.decode.limits import MAX_DEPTH
from reposcrub.decode.strings import is_binary, strings_view
from reposcrub.decode.text import transcode
from reposcrub.decode.views import place, transcoded_findings
from reposcrub.findings import LineIndex, make_finding
from reposcrub.model import Blob, Finding, Provenance, Rule

UNREADABLE_RULE = "file/document-unreadable"


class Scanner(Protocol):
    def scan_blob(self, blob: Blob, resolve_overlaps: bool = True, *, decode: bool = True) -> list[Finding]: ...

    def scan_plain(self, blob: Blob, resolve_overlaps: bool, views: bool) -> list[Finding]: ...


class DocumentNotes:
    """The detector named by file/document-unreadable: its findings come from Decoding,
    as a document is read, so this one finds nothing by itself."""

    def detect(self, blob: Blob) -> Iterator[Finding]:
        return iter(())


class Decoding:
    """Chooses how a blob is read and scans what it holds."""

    def __init__(self, rules: Mapping[str, Rule], settings: FormatSettings | None = None) -> None:
        self.formats = Formats(settings)
        self._unreadable = rules.get(UNREADABLE_RULE)

    def findings(self, blob: Blob, scanner: Scanner, resolve_overlaps: bool) -> list[Finding] | None:
        """Findings in blob read through a decoder; None when it is plain text."""
        text = transcode(blob.data)
        if text is not None:  # UTF-16 or UTF-32: scanned as UTF-8, placed back on the original bytes
            inner = scanner.scan_blob(Blob(text.text, blob.provenance, blob.oid, blob.size), resolve_overlaps)
            return transcoded_findings(text, inner)
        fmt = self.formats.for_blob(blob.path, blob.data) if blob.provenance.location == "file" else None
        binary = is_binary(blob.data)
        if fmt is None and not binary:
            return None
        if not binary:
            raw = scanner.scan_plain(blob, resolve_overlaps, views=True)
        elif fmt is not None and fmt.whole:
            raw = scanner.scan_plain(blob, True, views=False)  # path and magic rules only
        else:
            raw = self._binary(blob, scanner)
        if fmt is None:
            return raw
        inside = self._document(blob, fmt, scanner)
        seen = {(f.rule_id, f.value) for f in inside}
        return inside + [f for f in raw if f.end <= f.start or (f.rule_id, f.value) not in seen]

    def _binary(self, blob: Blob, scanner: Scanner) -> list[Finding]:
        """Whole-file findings (path and magic rules), and findings in the printable runs."""
        found = scanner.scan_plain(blob, True, views=False)
        view = strings_view(blob.data)
        if view is None:
            return found
        # Confidentiality markers are left out: a colour profile's "all rights reserved" is
        # in every picture, and a marker alone in a binary leaks nothing.
        inner = [f for f in scanner.scan_plain(Blob(view.text, blob.provenance, blob.oid), True, views=False)
                 if f.end > f.start and f.category != "marker"]
        if inner:
            lines = LineIndex(blob.data)
            found += [p for p in (place(f, view, lines) for f in inner) if p.end > p.start]
        return found

    def _document(self, blob: Blob, fmt: Format, scanner: Scanner) -> list[Finding]:
        out: list[Finding] = []
        before = _known(fmt, blob.base)
        try:
            for piece in fmt.pieces(blob.data):
                if isinstance(piece, Unreadable):
                    out += self._said(blob, piece.reason)
                elif _key(piece) in before:
                    continue  # the same in the previous version, reported there
                elif isinstance(piece, Embedded):
                    out += self._embedded(blob, piece, scanner)
                elif piece.text:
                    inner = scanner.scan_blob(Blob(piece.text, _inside(blob, piece.name), blob.oid))
                    out += [_in_part(f, piece, blob) for f in inner if f.end > f.start]
        except Exception as exc:  # noqa: BLE001 - a hostile document must end in a note, not a crash
            out += self._said(blob, f"could not be read: {type(exc).__name__}: {str(exc)[:80]}")
        return out

    def _embedded(self, blob: Blob, piece: Embedded, scanner: Scanner) -> list[Finding]:
        if blob.path.count(PART_SEPARATOR) >= MAX_DEPTH:
            return self._said(blob, f"{piece.name}: nested more than {MAX_DEPTH} documents deep; not read")
        inner = scanner.scan_blob(Blob(piece.data, _inside(blob, piece.name), blob.oid))
        return [replace(f, part=f.path[len(blob.path) + 1:], oid=blob.oid) for f in inner]

    def _said(self, blob: Blob, reason: str) -> list[Finding]:
        if self._unreadable is None:
            return []
        return [make_finding(self._unreadable, blob, 0, 0, None, note=reason)]


def _key(piece: Part | Embedded) -> tuple[str, int, bytes]:
    if isinstance(piece, Embedded):
        return piece.name, 0, hashlib.sha1(piece.data, usedforsecurity=False).digest()
    return piece.name, piece.first_line, hashlib.sha1(piece.text, usedforsecurity=False).digest()


def _known(fmt: Format, base: bytes | None) -> set[tuple[str, int, bytes]]:
    """The parts of the previous version of a document (history scans): a part that is
    the same again is not scanned again, as an unchanged line of a text file is not."""
    if base is None:
        return set()
    try:
        return {_key(p) for p in fmt.pieces(base) if isinstance(p, (Part, Embedded))}
    except Exception:  # noqa: BLE001 - a broken earlier version: scan this one whole
        return set()


def _inside(blob: Blob, name: str) -> Provenance:
    prov = blob.provenance
    return replace(prov, path=f"{prov.path}{PART_SEPARATOR}{name}")


def _in_part(f: Finding, piece: Part, blob: Blob) -> Finding:
    """A finding in a part's text, as reported: lines counted in the part, its place noted."""
    shift = piece.first_line - 1
    note = "; ".join(n for n in (piece.where(f.start), piece.note, f.note) if n)
    return replace(f, line=f.line + shift, end_line=f.end_line + shift, note=note,
                   part=f.path[len(blob.path) + 1:], oid=blob.oid)
