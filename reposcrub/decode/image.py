"""Pictures (PNG, JPEG, GIF, TIFF, WebP): their metadata read with Pillow — EXIF with the
GPS position, artist, owner and camera serial; XMP; IPTC; PNG text chunks; the ICC
profile's description; comments — and, with OCR on, the text shown in the picture.

Scrub strips the metadata block by block (PNG chunks, JPEG segments, WebP chunks, GIF
extensions) and never re-encodes: the compressed pixels are copied byte for byte, and
the pixels are compared after. Text in the pixels themselves cannot be removed: scrub
refuses to certify such a picture.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from reposcrub.decode import Cleaning, DocumentOptions, Part, Piece, Refusal, Unreadable
from reposcrub.decode import imagemeta, strip


class Image:
    """Pictures: metadata, and text by OCR when asked."""

    name = "image"
    whole = False

    def __init__(self, ocr: bool = False) -> None:
        self.ocr = ocr

    def pieces(self, data: bytes) -> Iterator[Piece]:
        try:
            image = _open(data)
            fields = imagemeta.fields(image, data)
        except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds on a broken file
            yield Unreadable(f"not a readable picture: {type(exc).__name__}: {str(exc)[:80]}")
            return
        for part, lines in fields.items():
            if lines:
                yield Part(part, "".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape"),
                           note="picture metadata")
        if self.ocr:
            yield from _ocr(image)

    def scrub(self, data: bytes, cleaning: Cleaning, options: DocumentOptions) -> bytes | Refusal:
        image = _open(data)
        dirty = {part for part, lines in imagemeta.fields(image, data).items()
                 if any(cleaning.text(line, part) != line for line in lines)}
        if self.ocr:
            for piece in _ocr(image):
                if isinstance(piece, Unreadable):
                    return Refusal("picture", piece.reason)
                if not isinstance(piece, Part):
                    continue
                text = piece.text.decode()
                if cleaning.text(text, piece.name) != text:
                    return Refusal("picture", "text shown in the picture itself cannot be removed")
        if not dirty:
            return data
        stripped = strip.metadata(data, keep_icc="icc" not in dirty)
        if stripped is None:
            return Refusal("metadata", f"{image.format} metadata cannot be removed in place")
        if _pixels(stripped) != _pixels(data):
            return Refusal("pixels", "removing the metadata would change the pixels")
        return stripped

    def opens(self, data: bytes) -> str | None:
        try:
            _open(data).load()
        except Exception as exc:  # noqa: BLE001
            return f"{type(exc).__name__}: {str(exc)[:100]}"
        return None


def _open(data: bytes) -> Any:
    from PIL import Image as PILImage

    return PILImage.open(io.BytesIO(data))


def _pixels(data: bytes) -> bytes:
    image = _open(data)
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(image.tobytes())
    return b"".join(frames)


def _ocr(image: Any) -> Iterator[Piece]:
    """The text tesseract reads in the picture (the `ocr` extra and Debian's tesseract-ocr)."""
    try:
        import pytesseract
    except ImportError:
        yield Unreadable("--ocr needs the ocr extra (pip install 'reposcrub[ocr]') and tesseract-ocr")
        return
    try:
        text = pytesseract.image_to_string(image.convert("RGB"), timeout=60)
    except Exception as exc:  # noqa: BLE001 - tesseract missing, failing or too slow
        yield Unreadable(f"OCR failed: {type(exc).__name__}: {str(exc)[:80]}")
        return
    if text.strip():
        yield Part("ocr", text.encode("utf-8", "surrogateescape"), note="text read in the picture")
