"""A picture's metadata as ``Name = value`` lines, by where it is kept: exif, gps, xmp,
iptc, text (PNG chunks), comment, icc. The same lines are read by the scanner and
checked by scrub."""
from __future__ import annotations

import io
from typing import Any

from reposcrub.decode.strip import inflate, png_chunks, png_text
from reposcrub.decode.xmltext import UnsafeXml, local, parse

_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
# IPTC application record datasets that carry words (IIM 4.2).
_IPTC = {5: "ObjectName", 25: "Keywords", 40: "SpecialInstructions", 80: "By-line", 85: "By-lineTitle",
         90: "City", 92: "Sublocation", 95: "Province-State", 101: "Country", 103: "OriginalTransmissionReference",
         105: "Headline", 110: "Credit", 115: "Source", 116: "CopyrightNotice", 118: "Contact",
         120: "Caption-Abstract", 122: "Writer-Editor"}
_MAX_VALUE = 4096


def fields(image: Any, data: bytes) -> dict[str, list[str]]:
    """Every metadata field of a picture opened with Pillow, as lines by part. A PNG's
    chunks are read here: Pillow would decode every pixel to reach those after the image."""
    out: dict[str, list[str]] = {"exif": [], "gps": [], "xmp": [], "iptc": [], "text": [], "comment": [], "icc": []}
    info = _png_info(data) if data.startswith(b"\x89PNG") else dict(image.info, exif_object=image.getexif())
    if info.get("exif_object"):
        _exif(info["exif_object"], out)
    xmp = info.get("xmp") or info.get("XML:com.adobe.xmp")
    if xmp:
        out["xmp"] = _xmp(xmp if isinstance(xmp, bytes) else str(xmp).encode("utf-8", "replace"))
    if not data.startswith(b"\x89PNG"):
        out["iptc"] = _iptc(image)
    for key, value in info.get("texts", {}).items():
        out["text"].append(f"{key} = {_flat(value)}")
    comment = info.get("comment")
    if comment:
        out["comment"].append(f"Comment = {_flat(comment)}")
    icc = info.get("icc_profile")
    if icc:
        out["icc"] = _icc(icc)
    return out


def _png_info(data: bytes) -> dict[str, Any]:
    from PIL import Image

    info: dict[str, Any] = {"texts": {}}
    for kind, _, _, payload in png_chunks(data):
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            pair = png_text(kind, payload)
            if pair is not None:
                key, text = pair
                if key == "XML:com.adobe.xmp":
                    info["xmp"] = text.encode("utf-8")
                else:
                    info["texts"][key] = text
        elif kind == b"eXIf":
            exif = Image.Exif()
            exif.load(payload if payload.startswith((b"II", b"MM")) else payload[6:])
            info["exif_object"] = exif
        elif kind == b"iCCP":
            info["icc_profile"] = inflate(payload.partition(b"\0")[2][1:])
    return info


def _flat(value: Any) -> str:
    if isinstance(value, bytes):
        if value[:8] in (b"ASCII\0\0\0", b"UNICODE\0", b"JIS\0\0\0\0\0", b"\0" * 8):  # an EXIF UserComment
            codec = "utf-16" if value[:8] == b"UNICODE\0" else "latin-1"
            value = value[8:].decode(codec, "replace")
        else:
            value = value.decode("utf-8", "replace")
    elif isinstance(value, tuple) and value and all(isinstance(v, int) and 0 <= v < 256 for v in value):
        value = bytes(value).decode("utf-16-le", "replace")  # XPAuthor and friends: UTF-16 in a BYTE array
    text = str(value).replace("\0", "").replace("\n", " ").strip()
    return text[:_MAX_VALUE]


def _exif(exif: Any, out: dict[str, list[str]]) -> None:
    from PIL import ExifTags

    if not exif:
        return
    tables = [(dict(exif), ExifTags.TAGS, "exif")]
    for ifd, names, part in ((_EXIF_IFD, ExifTags.TAGS, "exif"), (_GPS_IFD, ExifTags.GPSTAGS, "gps")):
        try:
            tables.append((dict(exif.get_ifd(ifd)), names, part))
        except (KeyError, ValueError, TypeError, OSError):
            continue
    for table, names, part in tables:
        for tag, value in table.items():
            if tag in (_EXIF_IFD, _GPS_IFD) or isinstance(value, dict):
                continue
            name = names.get(tag, f"Tag{tag:04X}")
            if name in ("MakerNote", "PrintImageMatching") or (isinstance(value, bytes) and len(value) > _MAX_VALUE):
                continue
            out[part].append(f"{name} = {_flat(value)}")
    position = _position(dict(exif.get_ifd(_GPS_IFD)) if _GPS_IFD in exif else {})
    if position:
        out["gps"].append(f"GPSPosition = {position}")


def _position(gps: dict[int, Any]) -> str:
    """Decimal latitude and longitude from the GPS IFD (tags 1-4), if both are there."""
    try:
        lat, lon = _degrees(gps[2], gps.get(1)), _degrees(gps[4], gps.get(3))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return ""
    return f"{lat:.6f}, {lon:.6f}"


def _degrees(dms: Any, ref: Any) -> float:
    d, m, s = (float(x) for x in dms)
    value = d + m / 60 + s / 3600
    return -value if str(ref).strip("\0 ") in ("S", "W") else value


def _xmp(packet: bytes) -> list[str]:
    """Each text value and attribute of an XMP packet, named by its property."""
    start = packet.find(b"<x:xmpmeta")
    try:
        tree = parse(packet[start:] if start >= 0 else packet)
    except UnsafeXml as exc:
        return [f"XMP = unreadable: {exc}"]
    lines = []
    for el in tree.getroot().iter():
        name = local(el.tag)
        if not name:
            continue
        key = name
        parent = el.getparent()
        while key in ("li", "Seq", "Bag", "Alt") and parent is not None:
            key, parent = local(parent.tag), parent.getparent()
        if el.text and el.text.strip():
            lines.append(f"{key} = {_flat(el.text)}")
        for attr, value in el.attrib.items():
            if value.strip() and not attr.startswith("{http://www.w3.org/XML/1998/namespace}"):
                lines.append(f"{local(attr)} = {_flat(value)}")
    return lines


def _iptc(image: Any) -> list[str]:
    from PIL import IptcImagePlugin

    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except Exception:  # noqa: BLE001 - a broken IPTC block reads as none
        return []
    lines = []
    for (record, dataset), value in info.items():
        if record == 2 and dataset in _IPTC:
            for item in value if isinstance(value, list) else [value]:
                lines.append(f"{_IPTC[dataset]} = {_flat(item)}")
    return lines


def _icc(icc: bytes) -> list[str]:
    from PIL import ImageCms

    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile
    except (OSError, ValueError, TypeError):
        return []
    lines = []
    for key in ("profile_description", "manufacturer", "model", "target"):  # not its copyright: the vendor's
        value = getattr(profile, key, None)
        if value:
            lines.append(f"ICC{key.title().replace('_', '')} = {_flat(value)}")
    return lines
