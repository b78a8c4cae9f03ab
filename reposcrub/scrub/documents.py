"""Scrub a document, picture or binary that holds a finding, by its format.

A binary is never edited by raw replacement: a document is rewritten by its format
(reposcrub/decode/), each place cleaned with the same replacements as code; a binary no
format reads, and an editor's swap or backup copy, is removed and listed; where a format
cannot remove what it holds (a PDF page's text drawn by a font of its own, a legacy
Office file), scrub refuses to certify the copy and names the file and place.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from reposcrub.decode import PART_SEPARATOR, DocumentOptions, Refusal
from reposcrub.decode.formats import Formats
from reposcrub.decode.limits import MAX_DEPTH
from reposcrub.decode.strings import is_binary
from reposcrub.decode.text import transcode

# Stray copies made by editors and merge tools (Vim swap files, tilde backups, .orig):
# a copy of something else, removed rather than edited when it holds a finding.
STRAY_COPY = re.compile(r"(?:^|/)\.[^/]+\.sw[a-p]$|[^/]~$|\.orig$")

# Cleans one text: (text, the path it is at, "Plan.docx!word/document.xml") -> cleaned text.
CleanText = Callable[[bytes, str], bytes]


@dataclass(frozen=True, slots=True)
class Removal:
    """The file is removed from the copy (and listed in the scrub report), and why."""

    reason: str


class _Cleaning:
    def __init__(self, path: str, clean_text: CleanText, formats: Formats, options: DocumentOptions) -> None:
        self.path = path
        self.clean_text = clean_text
        self.formats = formats
        self.options = options

    def text(self, text: str, where: str) -> str:
        data = text.encode("utf-8", "surrogatepass")
        cleaned = self.clean_text(data, f"{self.path}{PART_SEPARATOR}{where}")
        return text if cleaned == data else cleaned.decode("utf-8", "surrogatepass")

    def file(self, name: str, data: bytes) -> bytes | Refusal:
        inner = f"{self.path}{PART_SEPARATOR}{name}"
        if inner.count(PART_SEPARATOR) > MAX_DEPTH:
            return Refusal(name, f"nested more than {MAX_DEPTH} documents deep")
        result = scrub_document(inner, data, self.clean_text, self.formats, self.options)
        if result is None:  # text inside a document (an attachment): cleaned as text
            return self.clean_text(data, inner)
        if isinstance(result, Removal):
            return data if self.clean_text(data, inner) == data else Refusal(name, result.reason)
        return result


def scrub_document(path: str, data: bytes, clean_text: CleanText, formats: Formats,
                   options: DocumentOptions = DocumentOptions()) -> bytes | Refusal | Removal | None:
    """What becomes of a file that holds a finding: its new bytes (rewritten by its
    format), a Refusal, a Removal, or None for text, which the caller cleans as text."""
    if STRAY_COPY.search(path):
        return Removal("an editor's swap or backup copy")
    fmt = formats.for_blob(path, data)
    if fmt is None:
        if not is_binary(data) or transcode(data) is not None:
            return None
        return Removal("a binary file no format reads: it cannot be edited in place")
    try:
        result = fmt.scrub(data, _Cleaning(path, clean_text, formats, options), options)
    except Exception as exc:  # noqa: BLE001 - a hostile or broken file is refused, never half-written
        return Refusal("", f"could not be rewritten ({type(exc).__name__}: {str(exc)[:80]})")
    if isinstance(result, bytes) and result != data:
        problem = fmt.opens(result)
        if problem is not None:
            return Refusal("", f"the scrubbed file would not open ({problem})")
    return result


def describe(path: str, refusal: Refusal) -> str:
    """One line naming the file and the place."""
    where = f" ({refusal.where})" if refusal.where else ""
    return f"{path}{where}: not scrubbed: {refusal.reason}"
