"""Metadata blocks of pictures, walked and removed without touching the compressed pixels:
PNG chunks, JPEG segments, WebP (RIFF) chunks, GIF extensions."""
from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

_PNG = b"\x89PNG\r\n\x1a\n"
_PNG_METADATA = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
# JPEG APP1 (EXIF, XMP), APP12 (picture info), APP13 (IPTC), COM; APP2 holds ICC (kept
# unless it leaks) and the multi-picture index (kept: its offsets are relative).
_JPEG_METADATA = {0xE1, 0xEC, 0xED, 0xFE}
_MAX_TEXT = 1 << 20  # a compressed text chunk inflates to at most this much


def png_chunks(data: bytes) -> Iterator[tuple[bytes, int, int, bytes]]:
    """(type, start, end, payload) of each PNG chunk; stops at a truncated one."""
    at = len(_PNG)
    while at + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        end = at + 12 + length
        if end > len(data):
            return
        yield kind, at, end, data[at + 8:at + 8 + length]
        at = end
        if kind == b"IEND":
            return


def png_text(kind: bytes, payload: bytes) -> tuple[str, str] | None:
    """(keyword, text) of a tEXt, zTXt or iTXt chunk."""
    key, _, rest = payload.partition(b"\0")
    try:
        if kind == b"tEXt":
            return key.decode("latin-1"), rest.decode("latin-1")
        if kind == b"zTXt":
            return key.decode("latin-1"), inflate(rest[1:]).decode("latin-1")
        if kind == b"iTXt":
            compressed, rest = rest[0], rest[2:]
            _, _, rest = rest.partition(b"\0")  # language
            _, _, text = rest.partition(b"\0")  # translated keyword
            return key.decode("latin-1"), (inflate(text) if compressed else text).decode("utf-8", "replace")
    except (zlib.error, IndexError):
        return key.decode("latin-1"), "(unreadable compressed text)"
    return None


def inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    return inflater.decompress(data, _MAX_TEXT)


def metadata(data: bytes, keep_icc: bool) -> bytes | None:
    """data without its metadata blocks; None for a format this cannot do in place."""
    if data.startswith(_PNG):
        drop = _PNG_METADATA | (set() if keep_icc else {b"iCCP"})
        return _PNG + b"".join(data[s:e] for kind, s, e, _ in png_chunks(data) if kind not in drop)
    if data.startswith(b"\xff\xd8"):
        return _jpeg(data, keep_icc)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data, keep_icc)
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return _gif(data)
    return None


def _jpeg(data: bytes, keep_icc: bool) -> bytes | None:
    out, at = [data[:2]], 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xDA or 0xD0 <= marker <= 0xD9:  # start of scan: the pixels, copied as they are
            out.append(data[at:])
            return b"".join(out)
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        end = at + 2 + length
        icc = marker == 0xE2 and data[at + 4:at + 16] == b"ICC_PROFILE\0"
        if marker not in _JPEG_METADATA and not (icc and not keep_icc):
            out.append(data[at:end])
        at = end
    return None


def _webp(data: bytes, keep_icc: bool) -> bytes | None:
    drop = {b"EXIF", b"XMP "} | (set() if keep_icc else {b"ICCP"})
    chunks, at = [], 12
    while at + 8 <= len(data):
        kind, size = data[at:at + 4], struct.unpack("<I", data[at + 4:at + 8])[0]
        end = at + 8 + size + (size & 1)
        if kind not in drop:
            chunks.append(bytearray(data[at:end]))
        at = end
    for chunk in chunks:
        if chunk[:4] == b"VP8X":  # the flags say which optional chunks follow
            chunk[8] &= ~(0x08 | 0x04 | (0 if keep_icc else 0x20)) & 0xFF
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _gif(data: bytes) -> bytes | None:
    """Comment extensions and XMP application extensions removed."""
    flags = data[10]
    at = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    out = [data[:at]]
    while at < len(data):
        block = data[at]
        if block == 0x3B:
            out.append(data[at:])
            return b"".join(out)
        if block == 0x2C:
            start = at
            packed = data[at + 9]
            at += 10 + (3 << ((packed & 7) + 1) if packed & 0x80 else 0) + 1
            at = _sub_blocks(data, at)
            out.append(data[start:at])
        elif block == 0x21:
            start, label = at, data[at + 1]
            at = _sub_blocks(data, at + 2)
            application = data[start + 3:start + 14] if label == 0xFF else b""
            if label != 0xFE and application != b"XMP DataXMP":
                out.append(data[start:at])
        else:
            return None
    return None


def _sub_blocks(data: bytes, at: int) -> int:
    while at < len(data) and data[at]:
        at += data[at] + 1
    return at + 1
