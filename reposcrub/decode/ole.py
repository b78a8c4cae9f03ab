"""Legacy Office files (.doc .xls .ppt, Outlook .msg): OLE compound files, read with
olefile. The summary properties (author, last saved by, company, manager, template) are
read as fields; the text of each stream is read as its printable runs, 8-bit and UTF-16
(Word, Excel and PowerPoint keep text in both), which finds what the file says without
parsing each program's binary layout.

These files cannot be edited in place: scrub refuses one that holds a finding, so that
it is converted to its Open XML successor or removed by hand.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from reposcrub.decode import Cleaning, DocumentOptions, Part, Piece, Refusal, Unreadable
from reposcrub.decode.strings import strings_text

# olefile's names for the summary properties, as the fields other formats use.
_FIELDS = {"author": "Author", "last_saved_by": "lastModifiedBy", "company": "Company", "manager": "Manager",
           "title": "Title", "subject": "Subject", "keywords": "Keywords", "comments": "Comments",
           "template": "Template", "category": "Category"}
_MAX_STREAM = 64 << 20


def _summary(ole: Any) -> list[str]:
    meta = ole.get_metadata()
    lines = []
    for attr, name in _FIELDS.items():
        value = getattr(meta, attr, None)
        if isinstance(value, bytes):
            value = value.decode("cp1252", "replace")
        if value and str(value).strip("\0 "):
            lines.append(f"{name} = {str(value).strip(chr(0))}")
    return lines


class Ole:
    """OLE compound documents."""

    name = "ole"
    whole = False

    def pieces(self, data: bytes) -> Iterator[Piece]:
        import olefile

        try:
            ole = olefile.OleFileIO(io.BytesIO(data))
            lines = _summary(ole)
        except Exception as exc:  # noqa: BLE001 - olefile raises many kinds on a broken file
            yield Unreadable(f"not a readable OLE document: {type(exc).__name__}: {str(exc)[:80]}")
            return
        if lines:
            yield Part("summary", "".join(f"{line}\n" for line in lines).encode("utf-8", "replace"),
                       note="document properties")
        if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
            yield Unreadable("encrypted with a password")
        for entry in ole.listdir(streams=True, storages=False):
            name = "/".join(entry)
            if name.startswith("\x05") or ole.get_size(entry) > _MAX_STREAM:
                continue  # property sets are read above
            try:
                text = strings_text(ole.openstream(entry).read())
            except OSError as exc:
                yield Unreadable(f"{name}: {exc}")
                continue
            if text.strip():
                yield Part(name, text, note="text runs of a legacy binary stream")

    def scrub(self, data: bytes, cleaning: Cleaning, options: DocumentOptions) -> bytes | Refusal:
        for piece in self.pieces(data):
            if isinstance(piece, Part):
                text = piece.text.decode("utf-8", "replace")
                if cleaning.text(text, piece.name) != text:
                    return Refusal(piece.name, "a legacy Office file cannot be edited in place: "
                                               "convert it to its Open XML successor, or remove it")
        return data

    def opens(self, data: bytes) -> str | None:
        import olefile

        try:
            olefile.OleFileIO(io.BytesIO(data)).listdir()
        except Exception as exc:  # noqa: BLE001
            return f"{type(exc).__name__}: {str(exc)[:100]}"
        return None
