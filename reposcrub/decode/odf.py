"""OpenDocument (.odt .ods .odp and templates): content, styles (headers, footers,
master pages), metadata and settings, objects embedded as sub-documents, tracked
changes (deleted text is kept in the file) and comments, pictures decoded in turn."""
from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any

from reposcrub.decode import Cleaning, DocumentOptions, Piece, Refusal
from reposcrub.decode.limits import DecodeLimits
from reposcrub.decode.xmlparts import Dialect, clean_part, read_part
from reposcrub.decode.xmltext import local, parse
from reposcrub.decode.zipdoc import (EMBEDDED_SUFFIXES, XML_SUFFIXES, PartCache, Refused, embedded, rewrite_zip,
                                     serialize, zip_pieces)

DIALECT = Dialect(
    blocks=frozenset({"p", "h"}),
    text=frozenset(),  # mixed content: text and tails of spans, links and fields
    separators=frozenset({"tab", "line-break", "s"}),
    attributes=frozenset({"href", "title", "name", "string-value", "description", "author", "initials",
                          "formula", "target-frame-name", "value"}),
    deleted=frozenset(),  # a deletion is kept apart, in text:tracked-changes, as paragraphs of its own
    inserted=frozenset(),
)
_REVISIONS = ("tracked-changes", "change", "change-start", "change-end", "annotation", "annotation-end")


def _note(name: str) -> str:
    if name.endswith("meta.xml"):
        return "document properties"
    if name.endswith("styles.xml"):
        return "headers, footers and styles"
    return "embedded object" if "/" in name and name.endswith("content.xml") else ""


class Odf:
    """OpenDocument packages."""

    name = "odf"
    whole = True

    def __init__(self, limits: DecodeLimits) -> None:
        self.limits = limits
        self.cache = PartCache()

    def pieces(self, data: bytes) -> Iterator[Piece]:
        def read_xml(name: str, stream: Any) -> Iterator[Piece]:
            return read_part(stream, name, _note(name), DIALECT, name.endswith("meta.xml"))

        yield from zip_pieces(data, self.limits, read_xml, self.cache)

    def scrub(self, data: bytes, cleaning: Cleaning, options: DocumentOptions) -> bytes | Refusal:
        def change(name: str, content: bytes) -> bytes | None:
            if name.lower().endswith(EMBEDDED_SUFFIXES):
                return embedded(cleaning, name, content)
            if not name.lower().endswith(XML_SUFFIXES) or name == "META-INF/manifest.xml":
                return None
            tree = parse(content)
            edited = options.revisions == "remove" and _drop_revisions(tree)
            seen: list[bool] = []

            def one(text: str) -> str:
                cleaned = cleaning.text(text, name)
                seen.append(cleaned != text)
                return cleaned

            clean_part(tree, DIALECT, one, properties=name.endswith("meta.xml"))
            return serialize(tree) if edited or any(seen) else None

        try:
            return rewrite_zip(data, self.limits, change)
        except Refused as refused:
            return refused.refusal

    def opens(self, data: bytes) -> str | None:
        try:
            archive = zipfile.ZipFile(__import__("io").BytesIO(data))
            if archive.read("mimetype")[:40].strip() == b"":
                return "empty mimetype"
            for name in archive.namelist():
                if name.endswith(".xml"):
                    parse(archive.read(name))
        except Exception as exc:  # noqa: BLE001 - any failure to open is the answer
            return f"{type(exc).__name__}: {str(exc)[:100]}"
        return None


def _drop_revisions(tree: Any) -> bool:
    """Accept tracked changes (the record of deletions dropped, insertions kept) and
    drop comments."""
    doomed = [el for el in tree.getroot().iter() if local(el.tag) in _REVISIONS]
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        if el.tail:
            previous = el.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
    return bool(doomed)
