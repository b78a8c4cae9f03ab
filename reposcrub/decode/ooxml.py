"""Office Open XML (.docx .docm .xlsx .xlsm .pptx .pptm and their templates): every XML
part read as text — body, tables, headers and footers, footnotes, comments, tracked
insertions and deletions, shared strings, cells of every sheet (hidden ones said so),
formulas, defined names, charts, speaker notes, alt text, link targets, properties —
and embedded files (pictures, workbooks, attachments) decoded in turn.
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import Any

from reposcrub.decode import Cleaning, DocumentOptions, Piece, Refusal
from reposcrub.decode import xlsx
from reposcrub.decode.limits import DecodeLimits
from reposcrub.decode.sheetrows import SheetRows
from reposcrub.decode.xmlparts import Dialect, clean_part, read_part
from reposcrub.decode.xmltext import local, parse
from reposcrub.decode.zipdoc import (EMBEDDED_SUFFIXES, XML_SUFFIXES, PartCache, Refused, embedded, rewrite_zip,
                                     serialize, zip_pieces)


def _attribute_ok(el: Any, name: str) -> bool:
    if name == "Target":  # a package-internal target names a part: renaming it breaks the file
        return el.get("TargetMode") == "External"
    if name == "val":
        return local(el.tag) == "docVar"
    if name == "v":
        return local(el.tag) == "s"  # pivot cache items
    return True


DIALECT = Dialect(
    blocks=frozenset({"p", "si", "is", "text"}),
    text=frozenset({"t", "delText", "instrText"}),
    separators=frozenset({"tab", "br", "cr"}),
    attributes=frozenset({"author", "initials", "descr", "title", "tooltip", "location", "display", "userId",
                          "Target", "name", "val", "instr", "v", "docLocation", "providerId"}),
    deleted=frozenset({"del", "moveFrom"}),
    inserted=frozenset({"ins", "moveTo"}),
    attribute_ok=_attribute_ok,
)

_NOTES = (
    (re.compile(r"docProps/(?:core|app)\.xml$"), "document properties"),
    (re.compile(r"docProps/custom\.xml$"), "custom properties"),
    (re.compile(r"notesSlides?/"), "speaker notes"),
    (re.compile(r"slides/slide(\d+)\.xml$"), "slide {}"),
    (re.compile(r"comments|people\.xml$|commentAuthors"), "comments"),
    (re.compile(r"header\d*\.xml$"), "header"),
    (re.compile(r"footer\d*\.xml$"), "footer"),
    (re.compile(r"footnotes\.xml$"), "footnotes"),
    (re.compile(r"endnotes\.xml$"), "endnotes"),
    (re.compile(r"charts?/"), "chart"),
    (re.compile(r"externalLinks?/"), "external link"),
    (re.compile(r"\.rels$"), "link targets"),
)
_PROPERTIES = re.compile(r"^docProps/(?:core|app|custom)\.xml$")
_WORD_REVISABLE = re.compile(r"^word/(?:document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def part_note(name: str) -> str:
    for pattern, note in _NOTES:
        m = pattern.search(name)
        if m:
            return note.format(*m.groups())
    return ""


class Ooxml:
    """Office Open XML packages."""

    name = "ooxml"
    whole = True

    def __init__(self, limits: DecodeLimits) -> None:
        self.limits = limits
        self.cache = PartCache()
        self.sheets = SheetRows()

    def pieces(self, data: bytes) -> Iterator[Piece]:
        book = xlsx.Workbook(self.sheets)

        def read_xml(name: str, stream: Any) -> Iterator[Piece]:
            if name == "xl/workbook.xml" or name == "xl/sharedStrings.xml":
                return iter(())  # read up front (book.load), their text reported below
            if name in book.sheets:
                return book.read_sheet(stream, name)  # shared strings differ: a sheet is never taken from the cache
            return _generic(stream, name)

        book.load(data, self.limits)
        yield from zip_pieces(data, self.limits, read_xml, book.uncached(self.cache))
        yield from book.leftovers()

    def scrub(self, data: bytes, cleaning: Cleaning, options: DocumentOptions) -> bytes | Refusal:
        def change(name: str, content: bytes) -> bytes | None:
            if name.lower().endswith(EMBEDDED_SUFFIXES):
                return embedded(cleaning, name, content)
            if not name.lower().endswith(XML_SUFFIXES):
                return None
            tree = parse(content)
            edited = False
            if options.revisions == "remove" and _WORD_REVISABLE.match(name):
                edited = _drop_revisions(tree)
            elif options.revisions == "remove" and name == "word/comments.xml":
                edited = drop_comments(tree)
            seen: list[bool] = []

            def one(text: str) -> str:
                cleaned = cleaning.text(text, name)
                seen.append(cleaned != text)
                return cleaned

            clean_part(tree, DIALECT, one, properties=bool(_PROPERTIES.match(name)))
            return serialize(tree) if edited or any(seen) else None

        try:
            return rewrite_zip(data, self.limits, change)
        except Refused as refused:
            return refused.refusal

    def opens(self, data: bytes) -> str | None:
        return _opens(data)


def _generic(stream: Any, name: str) -> Iterator[Piece]:
    from reposcrub.decode.xmltext import UnsafeXml

    try:
        yield from read_part(stream, name, part_note(name), DIALECT, bool(_PROPERTIES.match(name)))
    except UnsafeXml:
        if not name.lower().endswith(".vml"):  # legacy drawings are often not XML; their text is in the comments part
            raise


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _drop_revisions(tree: Any) -> bool:
    """Accept tracked changes (insertions kept as plain text, deletions dropped) and drop
    comments, in a Word part. Returns whether anything changed."""
    root = tree.getroot()
    changed = False
    for el in list(root.iter(f"{_W}del", f"{_W}moveFrom", f"{_W}commentRangeStart", f"{_W}commentRangeEnd")):
        if el.getparent() is not None and local(el.getparent().tag) != "rPr":
            _remove(el)
            changed = True
    for ref in list(root.iter(f"{_W}commentReference")):
        run = ref.getparent()
        _remove(run if run is not None and local(run.tag) == "r" else ref)
        changed = True
    for el in list(root.iter(f"{_W}ins", f"{_W}moveTo")):
        parent = el.getparent()
        if parent is None or local(parent.tag) in ("rPr", "pPr", "trPr"):
            continue  # a paragraph or row mark, not text
        index = parent.index(el)
        for offset, child in enumerate(list(el)):
            parent.insert(index + offset, child)
        _remove(el)
        changed = True
    return changed


def drop_comments(tree: Any) -> bool:
    root = tree.getroot()
    comments = [el for el in root if local(el.tag) == "comment"]
    for el in comments:
        root.remove(el)
    return bool(comments)


def _remove(el: Any) -> None:
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _opens(data: bytes) -> str | None:
    """None when the package opens with its own library, else why not."""
    try:
        archive = zipfile.ZipFile(__import__("io").BytesIO(data))
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names:
            return "no [Content_Types].xml"
        for name in names:
            if name.lower().endswith(XML_SUFFIXES) and not name.lower().endswith(".vml"):
                parse(archive.read(name))
    except Exception as exc:  # noqa: BLE001 - any failure to open is the answer
        return f"{type(exc).__name__}: {str(exc)[:100]}"
    return None
