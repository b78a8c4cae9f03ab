"""Text in UTF-16 or UTF-32, seen as UTF-8: with a byte-order mark, or UTF-16 without one.

Its NUL bytes make such a file binary to git and to a byte-oriented scanner; Windows
tools (PowerShell, regedit, some IDEs) write configuration this way, and .NET's
``Encoding.Unicode`` writes UTF-16LE with no mark at all.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),  # UTF-32-LE's BOM starts like UTF-16-LE's
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True, slots=True)
class Transcoded:
    """A UTF-16 or UTF-32 text as UTF-8 (without its byte-order mark), and the way back."""

    text: bytes
    codec: str
    bom: bytes

    def encode(self, text: bytes) -> bytes:
        """UTF-8 text in this one's encoding, byte-order mark first."""
        return self.bom + text.decode("utf-8", "replace").encode(self.codec)

    def original_offsets(self, offsets: set[int]) -> dict[int, int]:
        """Offsets in text -> offsets in the original, worked out in one pass."""
        out: dict[int, int] = {}
        done, original, width = 0, len(self.bom), 4 if "32" in self.codec else 2
        for offset in sorted(offsets):
            piece = self.text[done:offset]
            original += width * len(piece) if piece.isascii() else len(piece.decode("utf-8", "replace").encode(self.codec))
            out[offset], done = original, offset
        return out


def transcode(data: bytes) -> Transcoded | None:
    """The text of UTF-16 or UTF-32 data with a byte-order mark, or of UTF-16 without one
    that is mostly ASCII (every other byte NUL); None for anything else."""
    if data[:1] in (b"\xff", b"\xfe", b"\0"):
        for bom, codec in _BOMS:
            if data.startswith(bom):
                return _text(data, bom, codec)
    unmarked = _unmarked_utf16(data)
    return _text(data, b"", unmarked) if unmarked is not None else None


def _text(data: bytes, bom: bytes, codec: str) -> Transcoded | None:
    try:
        text = data[len(bom):].decode(codec)  # strict: binary that starts like a BOM fails here
    except UnicodeDecodeError:
        return None
    sample = text[:4096]
    odd = sum(1 for c in sample if not c.isprintable() and c not in "\t\n\r\f\v")
    return Transcoded(text.encode("utf-8"), codec, bom) if odd * 20 <= len(sample) and "\0" not in sample else None


_ASCII_TEXT = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def _unmarked_utf16(data: bytes) -> str | None:
    """utf-16-le or utf-16-be when the first 4 KiB look like ASCII text in UTF-16: an
    even length, NUL in nearly every high byte and printable text in nearly every low one."""
    if len(data) < 8 or len(data) % 2 or b"\0" not in data[:2]:
        return None
    sample = data[:4096]
    for codec, low, high in (("utf-16-le", sample[0::2], sample[1::2]), ("utf-16-be", sample[1::2], sample[0::2])):
        if high.count(0) * 20 >= len(high) * 19 and len(low.translate(None, _ASCII_TEXT)) * 20 <= len(low):
            return codec
    return None
