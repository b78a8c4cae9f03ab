"""The XML parts of Office Open XML and OpenDocument files: what to read and how to clean.

A dialect says which elements are blocks (read as one line: a paragraph, a shared
string), which hold a block's text, which stand for a separator (a tab, a line break),
which attributes carry words (an author, alt text, a link target) and which elements
hold tracked deletions or insertions. Reading and cleaning use the same description, so
scrub edits exactly the text that the scanner read.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from reposcrub.decode import Part
from reposcrub.decode.xmltext import Slot, block_text, clean_blocks, iterparse, local, parse, put_back

CHUNK_TEXT = 2 << 20  # a long part is scanned in pieces of about this much text
WHOLE_PART = 16 << 20  # parts up to this size are parsed at once; larger ones are streamed
_ATTRIBUTE_LABELS = {"descr": "alt text", "Target": "link target", "href": "link", "tooltip": "tooltip",
                     "author": "author", "userId": "user id"}


@dataclass(frozen=True, slots=True)
class Dialect:
    blocks: frozenset[str]
    text: frozenset[str]  # elements whose .text is block text (OOXML); empty: all mixed content (ODF)
    separators: frozenset[str]
    attributes: frozenset[str]
    deleted: frozenset[str]  # elements holding deleted text
    inserted: frozenset[str]
    label: str = "paragraph"
    attribute_ok: Callable[[Any, str], bool] = lambda el, name: True
    # Compiled: elements with text and no children (asked once the blocks are taken out).
    leaf_query: Any = field(init=False, compare=False, default=None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "leaf_query", etree.XPath("//*[not(*)][normalize-space(text())]"))

    def word_attributes(self, root: Any) -> Iterator[tuple[Any, str, str]]:
        """(element, attribute name, value) of every attribute under root that carries words.
        (A walk in Python costs less here than XPath testing each attribute's local-name().)"""
        names = self.attributes
        for el in root.iter():
            attrib = el.attrib
            if not attrib:
                continue
            for key, value in attrib.items():
                name = key.rpartition("}")[2]
                if name in names and value.strip() and self.attribute_ok(el, name):
                    yield el, name, value

    def is_block(self, el: Any) -> bool:
        return local(el.tag) in self.blocks

    def slots(self, block: Any, view: str = "current") -> list[Slot]:
        """The block's text pieces in order, nested blocks left out. view "current" leaves
        out deleted text, "before" leaves out inserted text (what it said before the edit)."""
        out: list[Slot] = []
        self._walk(block, view, out, top=True)
        return out

    def _walk(self, el: Any, view: str, out: list[Slot], top: bool = False) -> None:
        name = local(el.tag)
        if not name or (not top and name in self.blocks):
            return
        if (view == "current" and name in self.deleted) or (view == "before" and name in self.inserted):
            return
        if name in self.separators and (not self.text or local(el.getparent().tag) == "r"):
            out.append(Slot(el, "text", " ", fixed=True))
        elif el.text and (name in self.text or not self.text):
            out.append(Slot(el, "text", el.text))
        for child in el:
            self._walk(child, view, out)
            if child.tail and not self.text and local(child.tag):
                out.append(Slot(child, "tail", child.tail))

    def has_revisions(self, block: Any) -> bool:
        return any(local(el.tag) in self.deleted for el in block.iter())

    def words(self, el: Any) -> Iterator[tuple[str, str]]:
        """(attribute, value) pairs of el that carry words."""
        for key, value in el.attrib.items():
            name = key.rpartition("}")[2]
            if name in self.attributes and value.strip() and self.attribute_ok(el, name):
                yield key, value


class Lines:
    """Text collected line by line with the label of each line's place, in pieces."""

    def __init__(self, name: str, note: str, table: str | None = None) -> None:
        self.name, self.note, self.table = name, note, table
        self._lines: list[str] = []
        self._places: list[tuple[int, str]] = []
        self._size = 0
        self._first = 1

    def add(self, text: str, label: str = "") -> Part | None:
        """Add a line; returns a full piece to scan now, if this one filled it."""
        if label:
            self._places.append((self._size, label))
        line = text.replace("\n", " ").encode("utf-8", "surrogateescape") + b"\n"
        self._lines.append(line.decode("utf-8", "surrogateescape"))
        self._size += len(line)
        return self.flush() if self._size >= CHUNK_TEXT else None

    def flush(self) -> Part | None:
        if not self._lines:
            return None
        part = Part(self.name, "".join(self._lines).encode("utf-8", "surrogateescape"), tuple(self._places),
                    self.note, self.table, self._first)
        self._first += len(self._lines)
        self._lines, self._places, self._size = [], [], 0
        return part


def read_part(stream: Any, name: str, note: str, dialect: Dialect, properties: bool = False) -> Iterator[Part]:
    """The text of one XML part: blocks, words in attributes, and text outside blocks.
    A part up to WHOLE_PART is parsed at once and queried in C (lxml); a larger one is
    streamed element by element, in bounded memory.

    Raises:
        UnsafeXml: the part declares a DTD or is not well-formed.
    """
    head = stream.read(WHOLE_PART + 1)
    if len(head) <= WHOLE_PART:
        yield from _read_whole(head, name, note, dialect, properties)
    else:
        yield from _read_streamed(Prefixed(head, stream), name, note, dialect, properties)


class Prefixed:
    """A stream with its first bytes read already put back in front."""

    def __init__(self, head: bytes, rest: Any) -> None:
        self._head, self._rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if self._head:
            out, self._head = (self._head, b"") if size < 0 else (self._head[:size], self._head[size:])
            return bytes(out)
        return bytes(self._rest.read(size))


def _read_whole(data: bytes, name: str, note: str, dialect: Dialect, properties: bool) -> Iterator[Part]:
    root = parse(data).getroot()
    lines = Lines(name, note)
    text_tags = tuple("{*}" + t for t in dialect.text)
    block_tags = tuple("{*}" + b for b in dialect.blocks)
    for count, block in enumerate(root.iter(*block_tags), 1):
        if text_tags:
            piece = lines.add("".join(block.itertext(*text_tags)), f"{dialect.label} {count}")
            if dialect.deleted and block.find(".//{*}delText") is not None:
                piece = lines.add(block_text(dialect.slots(block, "before")),
                                  f"{dialect.label} {count} (before a tracked change)") or piece
        else:
            piece = lines.add(block_text(dialect.slots(block)), f"{dialect.label} {count}")
        if piece is not None:
            yield piece
    for parent, key, value in dialect.word_attributes(root):
        piece = lines.add(value, f"{_ATTRIBUTE_LABELS.get(key, key)} of {local(parent.tag)}")
        if piece is not None:
            yield piece
    etree.strip_elements(root, *block_tags, with_tail=False)  # what is left is outside blocks
    for el in dialect.leaf_query(root):
        text = el.text.strip() if el.text else ""
        piece = lines.add(f"{_key(el)} = {text}" if properties else text) if text else None
        if piece is not None:
            yield piece
    last = lines.flush()
    if last is not None:
        yield last


def _read_streamed(stream: Any, name: str, note: str, dialect: Dialect, properties: bool) -> Iterator[Part]:
    lines = Lines(name, note)
    depth, count = 0, 0
    for event, el in iterparse(stream):
        name_ = local(el.tag)
        if event == "start":
            depth += name_ in dialect.blocks
            continue
        piece = None
        if name_ in dialect.blocks:
            depth -= 1
            count += 1
            piece = _block_lines(lines, el, dialect, count)
        elif depth == 0 and el.text and el.text.strip() and len(el) == 0 and name_:
            piece = lines.add(f"{_key(el)} = {el.text.strip()}" if properties else el.text.strip())
        for key, value in dialect.words(el):
            piece = lines.add(value, f"{_ATTRIBUTE_LABELS.get(local(key), local(key))} of {name_}") or piece
        if depth == 0:
            _forget(el)
        if piece is not None:
            yield piece
    last = lines.flush()
    if last is not None:
        yield last


def _forget(el: Any) -> None:
    """Free what was read: the element's content and its earlier siblings (the element
    itself stays, so that its parent is never taken for a leaf)."""
    el.clear(keep_tail=True)
    parent = el.getparent()
    while parent is not None and el.getprevious() is not None:
        del parent[0]


def _block_lines(lines: Lines, el: Any, dialect: Dialect, count: int) -> Part | None:
    label = f"{dialect.label} {count}"
    piece = lines.add(block_text(dialect.slots(el)), label)
    if dialect.deleted and dialect.has_revisions(el):
        piece = lines.add(block_text(dialect.slots(el, "before")), f"{label} (before a tracked change)") or piece
    return piece


def _key(el: Any) -> str:
    """A property's name: a "name" attribute of its element or its parent (custom
    properties), else its element's name."""
    for holder in (el, el.getparent()):
        if holder is not None:
            for attr, value in holder.attrib.items():
                if local(attr) == "name" and value:
                    return str(value)
    return local(el.tag)


def clean_part(tree: Any, dialect: Dialect, clean: Callable[[str], str], properties: bool = False) -> None:
    """Clean a parsed part in place: every block (current text, then the text before
    tracked changes), every word-carrying attribute, every text outside blocks."""
    root = tree.getroot()
    clean_blocks(root, dialect.is_block, dialect.slots, clean)
    if dialect.deleted:
        clean_blocks(root, lambda el: dialect.is_block(el) and dialect.has_revisions(el),
                     lambda el: dialect.slots(el, "before"), clean)
    inside = {d for b in root.iter() if dialect.is_block(b) for d in b.iter()}  # proxies kept alive: stable
    for el in root.iter():
        if not local(el.tag):
            continue
        for key, value in list(dialect.words(el)):
            cleaned = clean(value)
            if cleaned != value:
                el.set(key, cleaned)
        if el not in inside and len(el) == 0 and el.text and el.text.strip():
            _clean_leaf(el, clean, properties)


def _clean_leaf(el: Any, clean: Callable[[str], str], properties: bool) -> None:
    text = el.text.strip()
    if not properties:
        cleaned = clean(text)
    else:
        prefix = f"{_key(el)} = "
        cleaned = clean(prefix + text)
        cleaned = cleaned[len(prefix):] if cleaned.startswith(prefix) else cleaned.partition(" = ")[2]
    if cleaned != text:
        put_back([Slot(el, "text", el.text)], el.text.replace(text, cleaned))


def stream_of(data: bytes) -> Any:
    return io.BytesIO(data)
