"""The printable runs of a binary blob, as ``strings`` (and ``strings -el``) show them.

A NUL byte in the first 8 KiB makes a file binary to git, to editors and to a naive
scanner; it must not hide what the file says. Runs of printable ASCII (tab and line
breaks included) are copied verbatim, so a finding in one sits on the blob's own bytes;
runs of UTF-16LE text (Windows resources, legacy Office files) are decoded, and a
finding in one covers the whole run.
"""
from __future__ import annotations

import re2

from reposcrub.decode.encoded import View, ViewBuilder

STRINGS_NOTE = "found in the printable text of a binary file"
MIN_RUN = 6  # shorter runs are mostly chance in compressed data
_ASCII_RUN = re2.compile(rb"[\t\n\r\x20-\x7e]{%d,}" % MIN_RUN)
_UTF16_RUN = re2.compile(rb"(?:[\t\n\r\x20-\x7e]\x00){%d,}" % MIN_RUN)


def is_binary(data: bytes) -> bool:
    """A NUL byte in the first 8 KiB, as git decides it."""
    return b"\0" in data[:8192]


def runs(data: bytes) -> list[tuple[int, int, bytes, bool]]:
    """(start, end, text, verbatim) of each run, in order."""
    found = [(m.start(), m.end(), m.group(), True) for m in _ASCII_RUN.finditer(data)]
    wide = [(m.start(), m.end(), m.group().decode("utf-16-le").encode("ascii"), False)
            for m in _UTF16_RUN.finditer(data)]
    if wide:
        found = sorted(found + wide)
    return found


def strings_view(data: bytes) -> View | None:
    """The runs a line apart, each mapped back to where it is in data."""
    out = ViewBuilder(STRINGS_NOTE)
    for start, end, text, verbatim in runs(data):
        out.add(text, start, end, verbatim)
        out.add(b"\n", end, end, False)
    return out.view()


def strings_text(data: bytes) -> bytes:
    """The runs a line apart, unmapped (a legacy document's streams)."""
    return b"\n".join(text for _, _, text, _ in runs(data))
