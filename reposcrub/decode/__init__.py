"""Decoders: a blob in, the text it holds out, each piece mapped back to its place.

Two kinds, used by the scanner and by scrub alike:

- encodings read in place (``text.py``: UTF-16/32; ``encoded.py``: percent-escapes and
  base64 of text; ``strings.py``: the printable runs of a binary): a finding's span is
  placed back on the blob's own bytes;
- documents (``formats.py`` names them: Office Open XML, OpenDocument, legacy OLE, PDF,
  Jupyter notebooks, images): a finding sits in a part, and its path names the container
  and the part, ``docs/Plan.docx!word/document.xml``, with a place such as a paragraph,
  a cell or a slide.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from reposcrub.decode.formats import Formats

# Parts of a container are named after it: "docs/Plan.docx!word/document.xml".
PART_SEPARATOR = "!"


@dataclass(frozen=True, slots=True)
class Part:
    """Text inside a document: one block (paragraph, cell, row, field) per line.

    places holds (offset, label) pairs sorted by offset: the label of the block that
    starts there ("paragraph 3", "slide 2"). In a table part (a sheet), a line is a
    row, its cells a tab apart, and a label is the row's number.
    """

    name: str
    text: bytes
    places: tuple[tuple[int, str], ...] = ()
    note: str = ""  # what kind of text this is: "hidden sheet", "speaker notes", "deleted text"
    table: str | None = None  # a sheet's name: lines are rows, cells a tab apart
    first_line: int = 1  # a long part comes in pieces; this piece starts at this line

    def where(self, offset: int) -> str:
        """The label of the place holding offset ("" when the part has none)."""
        i = bisect.bisect_right(self.places, (offset, "\uffff")) - 1
        if i < 0:
            return ""
        start, label = self.places[i]
        if self.table is None:
            return label
        column = self.text.count(b"\t", start, offset)
        return f"cell {self.table}!{column_name(column)}{label}"


@dataclass(frozen=True, slots=True)
class Embedded:
    """A file inside a document (an embedded workbook, a PDF attachment), decoded in turn."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Something in a document that could not be read, and why, in one line."""

    reason: str


@dataclass(frozen=True, slots=True)
class Refusal:
    """Scrub could not remove what it found here; the copy must not be certified."""

    where: str  # "page 3"
    reason: str


Piece = Part | Embedded | Unreadable


class Cleaning(Protocol):
    """What scrub does to a document's pieces, given to a format's scrub."""

    def text(self, text: str, where: str) -> str:
        """The text of one place (a paragraph, a property line), cleaned; where names the part."""
        ...

    def file(self, name: str, data: bytes) -> bytes | Refusal:
        """An embedded file (a picture, a workbook, an attachment), scrubbed as its format says."""
        ...


@dataclass(frozen=True, slots=True)
class DocumentOptions:
    """How scrub treats documents. revisions: "remove" accepts tracked changes and drops
    comments; "keep" keeps both, cleaned. strip_outputs: clear every notebook output."""

    revisions: str = "remove"
    strip_outputs: bool = False


class Format(Protocol):
    """One document format: read its text, scrub it in place, check that it opens."""

    name: str
    # Whether its pieces cover every byte that can hold text (zip packages: every member
    # is read), so that the printable runs of the raw file add nothing.
    whole: bool

    def pieces(self, data: bytes) -> Iterator[Piece]: ...

    def scrub(self, data: bytes, cleaning: Cleaning, options: DocumentOptions) -> bytes | Refusal:
        """The document with every place cleaned; data itself when nothing changed; a
        Refusal when something found cannot be removed."""
        ...

    def opens(self, data: bytes) -> str | None: ...


def column_name(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: a spreadsheet column's name."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def texts(data: bytes, path: str, formats: Formats, depth: int = 0) -> list[bytes]:
    """Every text a document holds, embedded documents' too (for a literal sweep of a
    copy, which must see inside documents as the scanner does); [] for anything else."""
    from reposcrub.decode.limits import MAX_DEPTH

    fmt = formats.for_blob(path, data)
    if fmt is None or depth > MAX_DEPTH:
        return []
    out: list[bytes] = []
    try:
        for piece in fmt.pieces(data):
            if isinstance(piece, Part):
                out.append(piece.text)
            elif isinstance(piece, Embedded):
                out += texts(piece.data, piece.name, formats, depth + 1) or [piece.data]
    except Exception:  # noqa: BLE001 - what cannot be read is the scanner's finding, not the sweep's
        pass
    return out
