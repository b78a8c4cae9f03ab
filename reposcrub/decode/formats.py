"""Which document format reads a blob: by its name, confirmed by its first bytes; or by
its first bytes alone (a PDF, picture or OLE file under any name, a part with none)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reposcrub.decode import Format
from reposcrub.decode.image import Image
from reposcrub.decode.limits import DecodeLimits
from reposcrub.decode.notebook import Notebook
from reposcrub.decode.odf import Odf
from reposcrub.decode.ole import Ole
from reposcrub.decode.ooxml import Ooxml
from reposcrub.decode.pdf import Pdf


@dataclass(frozen=True, slots=True)
class FormatSettings:
    """What a format needs to know: the caps, and whether to read text in pictures."""

    limits: DecodeLimits = field(default_factory=DecodeLimits.from_archive)
    ocr: bool = False


# Every format, by name: built on first use.
FORMATS: dict[str, Callable[[FormatSettings], Format]] = {
    "ooxml": lambda s: Ooxml(s.limits),
    "odf": lambda s: Odf(s.limits),
    "ole": lambda s: Ole(),
    "pdf": lambda s: Pdf(s.limits),
    "notebook": lambda s: Notebook(),
    "image": lambda s: Image(s.ocr),
}

_SUFFIXES = {
    **dict.fromkeys((".docx", ".docm", ".dotx", ".dotm", ".xlsx", ".xlsm", ".xltx", ".xltm",
                     ".pptx", ".pptm", ".potx", ".potm", ".ppsx", ".ppsm"), "ooxml"),
    **dict.fromkeys((".odt", ".ods", ".odp", ".odg", ".ott", ".ots", ".otp"), "odf"),
    **dict.fromkeys((".doc", ".dot", ".xls", ".xlt", ".ppt", ".pot", ".pps", ".msg"), "ole"),
    ".pdf": "pdf",
    ".ipynb": "notebook",
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".gif", ".webp"), "image"),
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")


def _sniff(data: bytes) -> str | None:
    if data.startswith(_IMAGES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(_OLE):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _package(data: bytes) -> str | None:
    """A zip without a telling name (a blob in history): Office Open XML by its content
    types part, OpenDocument by its first member (names are stored uncompressed)."""
    if data[30:38] == b"mimetype" and b"application/vnd.oasis.opendocument" in data[38:120]:
        return "odf"
    return "ooxml" if b"[Content_Types].xml" in data[:1 << 16] or b"[Content_Types].xml" in data[-(1 << 16):] else None


def _suffix(path: str) -> str:
    name = path.rpartition("/")[2].rpartition("!")[2]
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


class Formats:
    """The formats, built once each, and the choice of one for a blob."""

    def __init__(self, settings: FormatSettings | None = None) -> None:
        self.settings = settings or FormatSettings()
        self._made: dict[str, Format] = {}

    def get(self, name: str) -> Format:
        if name not in self._made:
            self._made[name] = FORMATS[name](self.settings)
        return self._made[name]

    def for_blob(self, path: str, data: bytes) -> Format | None:
        """The format that reads data, named path; None for anything else."""
        named = _SUFFIXES.get(_suffix(path))
        if named is None and not data[:1] in (b"\x89", b"\xff", b"G", b"I", b"M", b"R", b"%", b"\xd0", b"P"):
            if b"%PDF-" not in data[:1024]:
                return None
        sniffed = _sniff(data)
        if named == "notebook":
            return self.get(named) if data.lstrip()[:1] == b"{" else None
        if named in ("ooxml", "odf"):
            return self.get(named) if sniffed == "zip" else None
        if named is None and sniffed == "zip":
            package = _package(data)
            return self.get(package) if package else None
        if named is not None and sniffed != named:
            return None  # named like a picture or PDF, but is not one: plain text or binary
        return self.get(sniffed) if sniffed in ("image", "pdf", "ole") else None
