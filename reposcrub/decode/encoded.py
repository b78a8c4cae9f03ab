"""What a blob says in an encoding, seen decoded, so that the same detectors see through it
(text in UTF-16 or UTF-32 is transcoded whole: see text.py):

- the text around percent-escapes, escapes decoded (``token%3DAKIA...``: the escape's last
  hex digit no longer glues to the secret, and ``%2F``/``%3D`` inside a secret are undone);
- long base64 runs that decode to printable UTF-8 text (a config file, base64-encoded).

A view maps its offsets back to the original bytes: a byte copied verbatim to itself, a
decoded escape or base64 run to its whole encoded span. Views are made only when a linear
precheck says they could matter, and never nest: decoded text is scanned as it is.
"""
from __future__ import annotations

import binascii
import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote_from_bytes

import re2

from reposcrub.delta import Windows, windowed_text
from reposcrub.detectors.prefilter import KeywordPrefilter

BASE64_NOTE = "found in base64-decoded content"
PERCENT_NOTE = "found in percent-decoded content"

# Escapes of text: printable ASCII, tab, CR, LF and UTF-8 bytes; printf's %02d and %08x are left alone.
_ESCAPE = re2.compile(rb"%(?:[2-7][0-9A-Fa-f]|[89A-Fa-f][0-9A-Fa-f]|0[9AaDd])")
# A base64 run with ten 4-character groups in a row that start with A-Z or a-f: the first
# character of a group is an ASCII byte's top six bits, so base64 of text has such streaks;
# the hex digests and random base64 (lock-file integrity hashes) that fill repositories rarely do.
_TEXT_RUN = re2.compile(rb"[A-Za-z0-9+/]*(?:[A-Za-f][A-Za-z0-9+/]{3}){10}[A-Za-z0-9+/]*={0,2}")
# Each escape costs a few Python objects: a minified file of escapes (21 MB, 3 million of
# them) took 38 s and 2 GB. Past this many, the rest of the file is scanned as it is.
MAX_ESCAPES = 100_000
# The same in Python's re, to walk many matches: per match it costs a tenth of re2's binding.
# Fixed-length alternatives: linear in any input.
_ESCAPE_TEXT = re.compile(_ESCAPE.pattern)
_REACH = 256  # bytes kept either side of an escape: room for a key name, an operator and a value
_WIDEN = 64  # how far a window may grow to end on whitespace rather than inside a word
_PRECHECK = KeywordPrefilter([["re:[A-Za-z0-9+/]{40}"], ["re:" + _ESCAPE.pattern.decode()]])
_CONTROL_BYTES = bytes(b for b in range(256) if b < 0x20 and b not in b"\t\n\r" or b == 0x7F)
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


@dataclass(frozen=True, slots=True)
class View:
    """Decoded text standing for parts of a blob. Piece i of text starts at starts[i] and
    stands for the original spans[i]: byte for byte when verbatim[i], else as a whole."""

    note: str
    text: bytes
    starts: list[int]
    spans: list[tuple[int, int]]
    verbatim: list[bool]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of text[start:end] (end > start)."""
        i = bisect.bisect_right(self.starts, start) - 1
        j = bisect.bisect_right(self.starts, end - 1) - 1
        first = self.spans[i][0] + (start - self.starts[i] if self.verbatim[i] else 0)
        last = self.spans[j][0] + (end - self.starts[j]) if self.verbatim[j] else self.spans[j][1]
        return first, last


class ViewBuilder:
    """Builds a View piece by piece, each piece with the original span it stands for."""

    def __init__(self, note: str) -> None:
        self.note = note
        self.pieces: list[bytes] = []
        self.starts: list[int] = []
        self.spans: list[tuple[int, int]] = []
        self.verbatim: list[bool] = []
        self.size = 0

    def add(self, text: bytes, start: int, end: int, verbatim: bool) -> None:
        if text:
            self.pieces.append(text)
            self.starts.append(self.size)
            self.spans.append((start, end))
            self.verbatim.append(verbatim)
            self.size += len(text)

    def view(self) -> View | None:
        return View(self.note, b"".join(self.pieces), self.starts, self.spans, self.verbatim) if self.pieces else None


def views(data: bytes, windows: Windows | None = None) -> list[View]:
    """The text around percent-escapes and the base64 runs of text in data, decoded, if any;
    with windows (what changed since a version scanned before), only those in them."""
    ranges = ((0, len(data)),) if windows is None else windows
    if not ranges or len(data) < 3:
        return []
    wanted = _PRECHECK.candidates(windowed_text(data, windows))
    found = [_base64_view(data, ranges) if 0 in wanted else None, *(_percent_views(data, ranges) if 1 in wanted else ())]
    return [v for v in found if v is not None]


def _percent_views(data: bytes, ranges: Windows) -> list[View | None]:
    """The text around escapes, escapes decoded: _REACH bytes either side (a key and its
    value), widened to whitespace nearby so that no word is cut. Not whole lines: a
    minified file is one line, and would be scanned twice for one escape.

    Past MAX_ESCAPES, the rest is a second view with each escape blanked, not decoded: same
    length, so it maps byte for byte at no cost per escape, and a secret right after an
    escape still starts a word there; only a secret with escapes inside it is missed."""
    out = ViewBuilder(PERCENT_NOTE)
    cursor = window_end = 0
    escapes = (m for low, high in ranges for m in _ESCAPE_TEXT.finditer(data, low, high))
    for taken, match in enumerate(escapes):
        if taken == MAX_ESCAPES:
            return [_finish(out, data, cursor, window_end), _blanked(data, ranges, match.start())]
        start, end = match.span()
        if start - _REACH - _WIDEN > window_end:  # far from the current window: close it, open another
            out.add(data[cursor:window_end], cursor, window_end, True)
            if out.pieces:
                out.add(b"\n", window_end, window_end, False)  # so that no match joins two windows
            cursor = _word_start(data, start - _REACH)
        out.add(data[cursor:start], cursor, start, True)
        out.add(bytes([int(match.group()[1:], 16)]), start, end, False)
        cursor, window_end = end, _word_end(data, end + _REACH)
    return [_finish(out, data, cursor, window_end)]


def _finish(out: ViewBuilder, data: bytes, cursor: int, window_end: int) -> View | None:
    out.add(data[cursor:window_end], cursor, window_end, True)
    return out.view()


def _blanked(data: bytes, ranges: Windows, start: int) -> View | None:
    """data's ranges from start on, each escape turned into three spaces, mapped byte for byte."""
    out = ViewBuilder(PERCENT_NOTE)
    for low, high in ranges:
        if high > start:
            low = max(low, start)
            text = bytearray(data[low:high])
            for match in _ESCAPE_TEXT.finditer(data, low, high):  # not re.sub: it holds every piece
                text[match.start() - low:match.end() - low] = b"   "
            out.add(bytes(text), low, high, True)
            out.add(b"\n", high, high, False)
    return out.view()


def _word_start(data: bytes, at: int) -> int:
    low = max(0, at - _WIDEN)
    return max(data.rfind(b" ", low, at), data.rfind(b"\n", low, at)) + 1 or at


def _word_end(data: bytes, at: int) -> int:
    if at >= len(data):
        return len(data)
    found = [i for i in (data.find(b" ", at, at + _WIDEN), data.find(b"\n", at, at + _WIDEN)) if i != -1]
    return min(found) if found else at


def _base64_view(data: bytes, ranges: Windows) -> View | None:
    """Each base64 run that decodes to text, decoded, a line apart. (Windows hold whole
    lines, and a run is on one line.)"""
    out = ViewBuilder(BASE64_NOTE)
    for match in (m for low, high in ranges for m in _TEXT_RUN.finditer(data, low, high)):
        text = base64_text(match.group())
        if text is not None:
            start, end = match.span()
            out.add(text, start, end, False)
            out.add(b"\n", end, end, False)
    return out.view()


def base64_text(run: bytes) -> bytes | None:
    """What a base64 run encodes, if that is printable UTF-8 text (no NUL, few control bytes)."""
    body = run.rstrip(b"=")
    if len(body) % 4 == 1:
        return None
    try:
        raw = binascii.a2b_base64(body + b"=" * (-len(body) % 4), strict_mode=True)
        raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    controls = len(raw.translate(None, _NOT_CONTROL))
    return raw if b"\0" not in raw and controls * 20 <= len(raw) else None


def reencode_base64(data: bytes, clean: Callable[[bytes], bytes]) -> bytes:
    """data with each base64 text run in it replaced by base64 of its cleaned text, padded
    as it was, so that the content still decodes."""
    pieces, last = [], 0
    for match in _TEXT_RUN.finditer(data):
        text = base64_text(match.group())
        if text is None:
            continue
        encoded = binascii.b2a_base64(clean(text), newline=False)
        unpadded = len(match.group()) % 4 != 0  # padding left off (base64url style), so leave it off
        pieces += [data[last : match.start()], encoded.rstrip(b"=") if unpadded else encoded]
        last = match.end()
    return b"".join(pieces) + data[last:]


def percent_encode(replacement: bytes) -> bytes:
    """A replacement written where text is percent-encoded: unreserved characters as they are."""
    return quote_from_bytes(replacement, safe="").encode("ascii")
