"""Documents that are zip packages of XML parts (Office Open XML, OpenDocument): read each
member under the archive caps, and write a cleaned package member by member.

Members keep their order, names, dates and compression; only members whose text changed
are written anew, every other member's bytes are copied as they were.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree

from reposcrub.decode import Cleaning, Embedded, Part, Piece, Refusal, Unreadable
from reposcrub.decode.limits import DecodeLimits, OverLimit, ZipBudget
from reposcrub.decode.xmltext import UnsafeXml

XML_SUFFIXES = (".xml", ".rels", ".vml")
CACHED_PART = 4 << 20  # parts up to this size are read whole and remembered by content
# Members decoded as documents in turn (embedded objects, pictures, attachments).
EMBEDDED_SUFFIXES = (".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".pptm", ".odt", ".ods", ".odp", ".pdf",
                     ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".webp", ".bin", ".doc", ".xls", ".ppt")


def open_zip(data: bytes) -> zipfile.ZipFile:
    """Raises: zipfile.BadZipFile, OverLimit (via ZipBudget later), ValueError."""
    return zipfile.ZipFile(io.BytesIO(data))


class PartCache:
    """Pieces already read, by part name and content: documents made from one template
    share most parts (styles, themes, layouts), and versions of a document in history
    share all but a few. Bounded by the text it holds."""

    def __init__(self, max_bytes: int = 32 << 20) -> None:
        self.max_bytes = max_bytes
        self._pieces: dict[tuple[str, bytes], tuple[Piece, ...]] = {}
        self._size = 0

    def get(self, name: str, data: bytes, read: Callable[[], Iterator[Piece]]) -> tuple[Piece, ...]:
        key = (name, hashlib.sha1(data, usedforsecurity=False).digest())
        found = self._pieces.get(key)
        if found is None:
            found = tuple(read())
            size = sum(len(p.text) for p in found if isinstance(p, Part)) + 64
            while self._pieces and self._size + size > self.max_bytes:
                old = self._pieces.pop(next(iter(self._pieces)))
                self._size -= sum(len(p.text) for p in old if isinstance(p, Part)) + 64
            self._pieces[key] = found
            self._size += size
        return found


ReadXml = Callable[[str, Any], Iterator[Piece]]  # (part name, a stream of its bytes) -> its pieces


def zip_pieces(data: bytes, limits: DecodeLimits, read_xml: ReadXml, cache: PartCache) -> Iterator[Piece]:
    """Every member's pieces: XML parts through read_xml, embedded files as Embedded; a
    part that cannot be read is one Unreadable, and the rest is still read."""
    try:
        archive = open_zip(data)
        budget = ZipBudget(archive, len(data), limits)
    except (zipfile.BadZipFile, OverLimit, ValueError, EOFError) as exc:
        yield Unreadable(f"not a readable package: {_reason(exc)}")
        return
    for info in archive.infolist():
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            yield Unreadable(f"{info.filename}: encrypted")
            continue
        lower, name = info.filename.lower(), info.filename
        try:
            if lower.endswith(XML_SUFFIXES) and info.file_size <= CACHED_PART:
                content = budget.read(info)
                yield from cache.get(name, content, lambda: read_xml(name, io.BytesIO(content)))
            elif lower.endswith(XML_SUFFIXES):
                yield from read_xml(name, budget.stream(info))
            elif lower.endswith(EMBEDDED_SUFFIXES):
                yield Embedded(name, budget.read(info))
        except UnsafeXml as exc:
            yield Unreadable(f"{name}: {exc}")
        except OverLimit as exc:
            yield Unreadable(f"{name}: {exc}; the rest is not read")
            return
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError) as exc:
            yield Unreadable(f"{name}: {_reason(exc)}")


class Refused(Exception):
    """An embedded file could not be scrubbed: the whole package is refused."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.reason)
        self.refusal = refusal


def embedded(cleaning: Cleaning, name: str, content: bytes) -> bytes | None:
    """An embedded file scrubbed by its format; None when unchanged.

    Raises:
        Refused: it holds something that cannot be removed.
    """
    new = cleaning.file(name, content)
    if isinstance(new, Refusal):
        raise Refused(Refusal(f"{name}: {new.where}", new.reason))
    return None if new == content else new


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def rewrite_zip(data: bytes, limits: DecodeLimits, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The package with each member passed through change (None: unchanged); the
    original bytes when nothing changed.

    Raises:
        zipfile.BadZipFile, OverLimit: the package cannot be read within the caps.
    """
    archive = open_zip(data)
    budget = ZipBudget(archive, len(data), limits)
    changed: dict[str, bytes] = {}
    for info in archive.infolist():
        if not info.is_dir() and not info.flag_bits & 0x1:
            new = change(info.filename, budget.read(info))
            if new is not None:
                changed[info.filename] = new
    if not changed:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as writer:
        for info in archive.infolist():
            content = changed.get(info.filename)
            writer.writestr(_copy_info(info), content if content is not None else archive.read(info))
    return out.getvalue()


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, info.date_time)
    copy.compress_type = info.compress_type
    copy.external_attr = info.external_attr
    copy.create_system = info.create_system
    copy.comment = info.comment
    return copy


def serialize(tree: Any) -> bytes:
    """A parsed part as bytes again, with its XML declaration."""
    kwargs: dict[str, Any] = {"xml_declaration": True, "encoding": "UTF-8"}
    if tree.docinfo.standalone is not None:
        kwargs["standalone"] = tree.docinfo.standalone
    return bytes(etree.tostring(tree, **kwargs))
