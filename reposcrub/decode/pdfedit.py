"""The places in a PDF that hold words, read and cleaned the same way (pypdf objects)."""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from reposcrub.decode import Cleaning, Refusal
from reposcrub.decode.xmltext import Slot, block_text, put_back

_MAX_ITEMS = 100_000  # outline items or fields walked, at most (a hostile file may loop)
_ANNOTATION_KEYS = ("/Contents", "/T", "/Subj", "/RC")
_FIELD_KEYS = ("/V", "/TU", "/DV")


def _text(value: Any) -> str:
    return str(value.get_object() if hasattr(value, "get_object") else value)


def info_lines(reader: Any) -> list[str]:
    info = reader.metadata or {}
    return [f"{key.lstrip('/')} = {_text(value)}" for key, value in info.items() if _text(value).strip()]


def xmp_packet(reader: Any) -> bytes:
    stream = reader.trailer["/Root"].get("/Metadata")
    try:
        return bytes(stream.get_object().get_data()) if stream is not None else b""
    except Exception:  # noqa: BLE001 - a broken metadata stream reads as none
        return b""


def has_pictures(page: Any) -> bool:
    try:
        objects: Any = page["/Resources"].get_object().get("/XObject")
        return objects is not None and any(o.get_object().get("/Subtype") == "/Image" for o in objects.get_object().values())
    except Exception:  # noqa: BLE001
        return False


# Content stream tokens: literal strings (one level of nested parentheses), hex strings,
# and operator names; numbers and names are skipped.
_TOKEN = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)|<[0-9A-Fa-f\s]*>|[A-Za-z'\"*]+", re.S)
_LINE_MOVES = {b"Td", b"TD", b"T*", b"Tm", b"'", b'"', b"ET"}
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}
_UNESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|.)", re.S)


def page_text(page: Any) -> str:
    """The text a page shows: read straight from its content stream when its fonts encode
    text as single bytes (standard or WinAnsi encodings), else by pypdf's text extraction."""
    if not _simple_fonts(page) or _has_forms(page):
        return str(page.extract_text() or "")
    contents = page.get("/Contents")
    if contents is None:
        return ""
    contents = contents.get_object()
    streams = contents if isinstance(contents, list) else [contents]
    data = b"\n".join(bytes(s.get_object().get_data()) for s in streams)
    out: list[bytes] = []
    for token in _TOKEN.findall(data):
        if token[:1] == b"(":
            out.append(_UNESCAPE.sub(_unescape, token[1:-1]))
        elif token[:1] == b"<":
            out.append(bytes.fromhex(token[1:-1].decode("ascii").replace(" ", "").replace("\n", "")))
        elif token in _LINE_MOVES and out and out[-1] != b"\n":
            out.append(b"\n")
    return b"".join(out).decode("latin-1")


def _unescape(m: re.Match[bytes]) -> bytes:
    code = m.group(1)
    if code[:1].isdigit():
        return bytes([int(code, 8) & 0xFF])
    return _ESCAPES.get(code, b"" if code in (b"\n", b"\r\n", b"\r") else code)


def _has_forms(page: Any) -> bool:
    """Whether the page draws form XObjects (text kept outside its own content stream)."""
    try:
        objects: Any = page["/Resources"].get_object().get("/XObject")
        return objects is not None and any(o.get_object().get("/Subtype") == "/Form" for o in objects.get_object().values())
    except Exception:  # noqa: BLE001
        return True


def _simple_fonts(page: Any) -> bool:
    try:
        fonts = page["/Resources"].get_object().get("/Font")
        for ref in (fonts.get_object().values() if fonts is not None else ()):
            font = ref.get_object()
            encoding = font.get("/Encoding")
            if font.get("/Subtype") not in ("/Type1", "/TrueType") or (
                    encoding is not None and encoding not in ("/WinAnsiEncoding", "/StandardEncoding")):
                return False
    except Exception:  # noqa: BLE001 - a strange resource dictionary: let pypdf read the page
        return False
    return True


def _annotations(page: Any) -> Iterator[Any]:
    annots = page.get("/Annots")
    for ref in (annots.get_object() if annots is not None else ()) or ():
        annot = ref.get_object()
        if hasattr(annot, "get"):
            yield annot


def annotation_lines(page: Any) -> list[str]:
    lines = []
    for annot in _annotations(page):
        lines += [f"{key[1:]} = {_text(annot[key])}" for key in _ANNOTATION_KEYS if key in annot]
        action = annot.get("/A")
        if action is not None and "/URI" in action.get_object():
            lines.append(f"URI = {_text(action.get_object()['/URI'])}")
    return lines


def _fields(root: Any) -> Iterator[Any]:
    form = root.get("/AcroForm")
    stack = list(form.get_object().get("/Fields") or ()) if form is not None else []
    seen: set[int] = set()
    while stack and len(seen) < _MAX_ITEMS:
        field = stack.pop().get_object()
        if id(field) in seen:
            continue
        seen.add(id(field))
        yield field
        stack.extend(field.get("/Kids") or ())


def field_lines(reader: Any) -> list[str]:
    lines = []
    for field in _fields(reader.trailer["/Root"]):
        name = _text(field.get("/T", ""))
        lines += [f"{name} = {_text(field[key])}" for key in _FIELD_KEYS if key in field and _text(field[key]).strip()]
        if name.strip():
            lines.append(f"T = {name}")
    return lines


def _outline(root: Any) -> Iterator[Any]:
    outlines = root.get("/Outlines")
    stack = [outlines.get_object().get("/First")] if outlines is not None else []
    seen: set[int] = set()
    while stack and len(seen) < _MAX_ITEMS:
        ref = stack.pop()
        if ref is None:
            continue
        item = ref.get_object()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        stack += [item.get("/Next"), item.get("/First")]


def outline_lines(reader: Any) -> list[str]:
    return [f"Title = {_text(item['/Title'])}" for item in _outline(reader.trailer["/Root"]) if "/Title" in item]


def attachments(reader: Any) -> Iterator[tuple[str, bytes]]:
    try:
        found = reader.attachments
        for name in list(found):
            for content in found[name]:
                yield name, bytes(content)
    except Exception:  # noqa: BLE001 - a broken name tree holds nothing readable
        return


# Scrub -------------------------------------------------------------------------------

def _clean_line(cleaning: Cleaning, where: str, key: str, value: str) -> str:
    """value cleaned as the scanner read it, "Key = value"; the value part back."""
    prefix = f"{key} = "
    cleaned = cleaning.text(prefix + value, where)
    return cleaned[len(prefix):] if cleaned.startswith(prefix) else cleaned.partition(" = ")[2]


def scrub(data: bytes, cleaning: Cleaning) -> bytes | Refusal:
    from pypdf import PdfWriter

    from reposcrub.decode.pdf import open_pdf

    writer = PdfWriter(clone_from=open_pdf(data))
    changed = _metadata(writer, cleaning)
    root = writer.root_object
    for number, page in enumerate(writer.pages, 1):
        changed |= _annotations_clean(page, cleaning, f"page {number} annotations")
        refusal = _page(page, cleaning, number)
        if isinstance(refusal, Refusal):
            return refusal
        changed |= refusal
    changed |= _dict_values(_fields(root), _FIELD_KEYS, cleaning, "form fields", field_names=True)
    changed |= _dict_values(_outline(root), ("/Title",), cleaning, "bookmarks")
    attached = _attachments(root, cleaning)
    if isinstance(attached, Refusal):
        return attached
    if not (changed or attached):
        return data
    writer.compress_identical_objects()  # and drops objects nothing refers to any more (the old page text)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _metadata(writer: Any, cleaning: Cleaning) -> bool:
    from pypdf.generic import NameObject

    changed = False
    info = writer.metadata
    if info is not None:
        for key in list(info):
            value = _text(info[key])
            if value.strip() and _clean_line(cleaning, "metadata", key.lstrip("/"), value) != value:
                del writer._info.get_object()[NameObject(key)]  # removed, not rewritten
                changed = True
    packet = xmp_packet_of(writer)
    if packet:
        from reposcrub.decode.imagemeta import _xmp

        if any(cleaning.text(line, "xmp") != line for line in _xmp(packet)):
            del writer.root_object[NameObject("/Metadata")]
            changed = True
    return changed


def xmp_packet_of(writer: Any) -> bytes:
    stream = writer.root_object.get("/Metadata")
    try:
        return bytes(stream.get_object().get_data()) if stream is not None else b""
    except Exception:  # noqa: BLE001
        return b""


def _annotations_clean(page: Any, cleaning: Cleaning, where: str) -> bool:
    changed = _dict_values(_annotations(page), _ANNOTATION_KEYS, cleaning, where)
    for annot in _annotations(page):
        action = annot.get("/A")
        if action is not None and "/URI" in action.get_object():
            changed |= _dict_values([action.get_object()], ("/URI",), cleaning, where)
    return changed


def _dict_values(items: Any, keys: tuple[str, ...], cleaning: Cleaning, where: str, field_names: bool = False) -> bool:
    from pypdf.generic import NameObject, TextStringObject

    changed = False
    for item in items:
        name = _text(item.get("/T", "")) if field_names else ""
        for key in keys:
            if key not in item or not isinstance(item[key].get_object(), str):
                continue
            value = _text(item[key])
            cleaned = _clean_line(cleaning, where, name if field_names else key[1:], value)
            if cleaned != value:
                item[NameObject(key)] = TextStringObject(cleaned)
                if field_names and "/AP" in item:
                    del item[NameObject("/AP")]  # the old value's picture: viewers draw the new one
                changed = True
    return changed


class _Holder:
    tag = ""

    def __init__(self, text: str) -> None:
        self.text = text


def _page(page: Any, cleaning: Cleaning, number: int) -> bool | Refusal:
    """Replace what the page's text shows in its content stream; False if nothing held anything."""
    where = f"page {number}"
    text = page_text(page)
    if cleaning.text(text, where) == text:
        return False
    if not _rewrite_strings(page, cleaning, where):
        return Refusal(where, "its text is not stored as plain strings in the content stream")
    after = page_text(page)
    if cleaning.text(after, where) != after:
        return Refusal(where, "text on this page cannot be replaced in its content stream")
    return True


def _rewrite_strings(page: Any, cleaning: Cleaning, where: str) -> bool:
    """Clean the strings of each text object (BT … ET) as one text, a line break where the
    text moves to another line (as page_text reads it); False if none changed."""
    from pypdf.generic import ContentStream

    contents = page.get_contents()
    if contents is None:
        return False
    stream = ContentStream(contents, page.pdf)
    changed = False
    group: list[tuple[Any, int, Slot]] = []
    for operands, operator in stream.operations:
        if operator == b"BT":
            group = []
        elif operator in (b"Td", b"TD", b"T*", b"Tm", b"'", b'"') and group:
            group.append((None, 0, Slot(_Holder("\n"), "text", "\n", fixed=True)))
        if operator in (b"Tj", b"'", b'"', b"TJ"):
            targets = operands[0] if operator == b"TJ" else operands
            for index, item in enumerate(targets):
                if isinstance(item, (str, bytes)):
                    text = _string_bytes(item).decode("latin-1")
                    group.append((targets, index, Slot(_Holder(text), "text", text)))
        elif operator == b"ET" and group:
            changed |= _clean_group(group, cleaning, where)
            group = []
    if changed:
        page.replace_contents(stream)
    return changed


def _string_bytes(item: Any) -> bytes:
    if hasattr(item, "get_original_bytes"):
        return bytes(item.get_original_bytes())
    return item.encode("latin-1", "replace") if isinstance(item, str) else bytes(item)


def _clean_group(group: list[tuple[Any, int, Slot]], cleaning: Cleaning, where: str) -> bool:
    from pypdf.generic import ByteStringObject

    slots = [slot for _, _, slot in group]
    text = block_text(slots)
    cleaned = cleaning.text(text, where)
    if cleaned == text:
        return False
    put_back(slots, cleaned)
    for targets, index, slot in group:
        if targets is not None:
            targets[index] = ByteStringObject(slot.node.text.encode("latin-1", "replace"))
    return True


def _attachments(root: Any, cleaning: Cleaning) -> bool | Refusal:
    names = root.get("/Names")
    files = names.get_object().get("/EmbeddedFiles") if names is not None else None
    entries = list(files.get_object().get("/Names") or ()) if files is not None else []
    changed = False
    for name, spec in zip(entries[0::2], entries[1::2]):
        stream = (spec.get_object().get("/EF") or {}).get("/F")
        if stream is None:
            continue
        stream = stream.get_object()
        content = bytes(stream.get_data())
        new = cleaning.file(f"attachments/{_text(name)}", content)
        if isinstance(new, Refusal):
            return Refusal(f"attachment {_text(name)}: {new.where}", new.reason)
        if new != content:
            stream.set_data(new)
            changed = True
    return changed
