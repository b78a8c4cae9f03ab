"""PDF, read with pypdf: the text of each page, the document information and XMP
metadata, annotations (comments, links), form fields, bookmarks and attached files.

Scrub rewrites the file with pypdf (never by raw replacement): metadata that held
something is removed, annotations, fields and bookmarks are cleaned, and page text is
replaced in the content stream where the page shows it as plain strings. Where text
cannot be replaced there (a font with its own glyph encoding, text split across
operators), scrub refuses and names the page.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from reposcrub.decode import Cleaning, DocumentOptions, Embedded, Part, Piece, Refusal, Unreadable
from reposcrub.decode.imagemeta import _xmp as xmp_lines
from reposcrub.decode.limits import DecodeLimits
from reposcrub.decode import pdfedit


def _lines_part(name: str, lines: list[str], note: str) -> Part:
    return Part(name, "".join(line.replace("\n", " ") + "\n" for line in lines).encode("utf-8", "surrogatepass"),
                note=note)


def open_pdf(data: bytes) -> Any:
    """Raises: ValueError: encrypted with a password; pypdf's errors for a broken file."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted with a password")
    return reader


class Pdf:
    """PDF documents."""

    name = "pdf"
    whole = False

    def __init__(self, limits: DecodeLimits) -> None:
        self.limits = limits

    def pieces(self, data: bytes) -> Iterator[Piece]:
        try:
            reader = open_pdf(data)
            metadata = pdfedit.info_lines(reader)
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a broken file
            yield Unreadable(f"not a readable PDF: {type(exc).__name__}: {str(exc)[:80]}")
            return
        if metadata:
            yield _lines_part("metadata", metadata, "document information")
        xmp = pdfedit.xmp_packet(reader)
        if xmp:
            yield _lines_part("xmp", xmp_lines(xmp), "XMP metadata")
        pictures_only = []
        for number, page in enumerate(reader.pages, 1):
            text = _page_text(page)
            if text.strip():
                yield Part(f"page {number}", text.encode("utf-8", "surrogatepass"), note=f"page {number}")
            elif pdfedit.has_pictures(page):
                pictures_only.append(str(number))
            notes = pdfedit.annotation_lines(page)
            if notes:
                yield _lines_part(f"page {number} annotations", notes, "annotations and links")
        if pictures_only:
            yield Unreadable(f"page {', '.join(pictures_only[:10])} shows only pictures: no text to read (review by hand)")
        for name, lines in (("form fields", pdfedit.field_lines(reader)), ("bookmarks", pdfedit.outline_lines(reader))):
            if lines:
                yield _lines_part(name, lines, name)
        for name, content in pdfedit.attachments(reader):
            yield Embedded(f"attachments/{name}", content)

    def scrub(self, data: bytes, cleaning: Cleaning, options: DocumentOptions) -> bytes | Refusal:
        return pdfedit.scrub(data, cleaning)

    def opens(self, data: bytes) -> str | None:
        try:
            reader = open_pdf(data)
            for page in reader.pages:
                _page_text(page)
        except Exception as exc:  # noqa: BLE001
            return f"{type(exc).__name__}: {str(exc)[:100]}"
        return None


def _page_text(page: Any) -> str:
    return pdfedit.page_text(page)
