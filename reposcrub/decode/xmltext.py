"""Text in the XML of Office Open XML and OpenDocument parts: read as blocks, edited in place.

A block (a paragraph, a shared string, a cell) is read as one line, whatever runs and
spans split it into: ``<w:t>Ac</w:t>…<w:t>me</w:t>`` is one "Acme". Scrub cleans a
block's whole text and puts the result back into the same text nodes, so formatting
stays where it was and a value split across runs is replaced as one.

XML from a document is untrusted: parsed without a DTD, without entities and without
the network (billion laughs, XXE), and a part with a DOCTYPE is not read at all.
"""
from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                       remove_comments=False, remove_pis=False)
_DTD_WINDOW = 1 << 16
_FUSSY_DIFF = 20_000  # longer blocks are put back whole into their first text node


class UnsafeXml(Exception):
    """XML with a DTD (entity expansion, external entities) or that does not parse."""


def local(tag: Any) -> str:
    """An element's name without its namespace ("" for comments and processing instructions)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def check_head(head: bytes) -> None:
    """Raises: UnsafeXml: the XML declares a DTD (nothing a document part needs)."""
    if b"<!DOCTYPE" in head[:_DTD_WINDOW] or b"<!ENTITY" in head[:_DTD_WINDOW]:
        raise UnsafeXml("declares a DTD (entity expansion and external entities are refused)")


def parse(data: bytes) -> Any:
    """The element tree of a part, safely.

    Raises:
        UnsafeXml: a DTD, or not well-formed XML.
    """
    check_head(data)
    try:
        return etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS)).getroottree()
    except etree.XMLSyntaxError as exc:
        raise UnsafeXml(f"not well-formed XML ({str(exc).splitlines()[0][:80]})") from None


def iterparse(stream: Any, tags: tuple[str, ...] = ("start", "end"), only: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """(event, element) of a part read as a stream (a sheet may be hundreds of megabytes).

    Raises:
        UnsafeXml: a DTD, or not well-formed XML.
    """
    head = stream.read(_DTD_WINDOW)
    check_head(head)
    try:
        parser = etree.XMLPullParser(events=tags, tag=only or None, **_PARSER_OPTIONS)
        while head:
            parser.feed(head)
            yield from parser.read_events()
            head = stream.read(_DTD_WINDOW)
        parser.close()
        yield from parser.read_events()
    except etree.XMLSyntaxError as exc:
        raise UnsafeXml(f"not well-formed XML ({str(exc).splitlines()[0][:80]})") from None


@dataclass(frozen=True, slots=True)
class Slot:
    """A piece of a block's text: node.text (or node.tail) or, when fixed, a separator
    standing for an element (a tab, a line break) that text cannot replace."""

    node: Any
    attr: str  # "text" or "tail"
    text: str
    fixed: bool = False


def block_text(slots: list[Slot]) -> str:
    return "".join(s.text for s in slots)


def put_back(slots: list[Slot], new: str) -> None:
    """Write new (the block's cleaned text) into its slots, changing only what differs."""
    real = [i for i, s in enumerate(slots) if not s.fixed]
    if not real:
        return
    old = block_text(slots)
    if len(old) > _FUSSY_DIFF or len(new) > _FUSSY_DIFF:
        _set(slots[real[0]], new)
        for i in real[1:]:
            _set(slots[i], "")
        return
    bounds, at = [], 0
    for s in slots:
        bounds.append((at, at + len(s.text)))
        at += len(s.text)
    out: list[list[str]] = [[] for _ in slots]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            for k, (start, end) in enumerate(bounds):
                if start < i2 and i1 < end:
                    out[k].append(old[max(i1, start):min(i2, end)])
        else:
            out[_owner(bounds, real, i1, i2)].append(new[j1:j2])
    for k in real:
        _set(slots[k], "".join(out[k]))


def _owner(bounds: list[tuple[int, int]], real: list[int], i1: int, i2: int) -> int:
    """The real slot an edit of old[i1:i2] goes into: the first one it touches, else the
    nearest before it, else the first."""
    for k in real:
        start, end = bounds[k]
        if start <= i1 < end or (start < max(i2, i1 + 1) and i1 < end):
            return k
    before = [k for k in real if bounds[k][1] <= i1]
    return before[-1] if before else real[0]


def _set(slot: Slot, text: str) -> None:
    if slot.text == text:
        return
    setattr(slot.node, slot.attr, text)
    if slot.attr == "text" and local(slot.node.tag) == "t" and text != text.strip():
        slot.node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def clean_blocks(root: Any, is_block: Callable[[Any], bool], slots_of: Callable[[Any], list[Slot]],
                 clean: Callable[[str], str]) -> None:
    """Clean the text of every block under root, innermost first (a text box's paragraph
    sits inside another paragraph)."""
    for block in [el for el in root.iter() if is_block(el)][::-1]:
        slots = slots_of(block)
        text = block_text(slots)
        if text.strip():
            cleaned = clean(text)
            if cleaned != text:
                put_back(slots, cleaned)
