"""Error messages and tracebacks fit to print: every secret in them masked.

An exception raised while a secret is processed can carry it in its message (`int(value)`,
a KeyError on a value, git quoting a line it choked on). Before anything is printed, the
text is scanned with the secret rules, and the data that was being processed when it
failed (blobs, findings and results held by the traceback's frames) is scanned too, so a
secret that only its context identifies (`password = "…"`) is known when the message
quotes it bare. Each value found is masked the way previews are. If that check itself
fails (the error may be in the engine), messages are withheld: nothing unchecked is printed.
"""
from __future__ import annotations

import traceback
from collections.abc import Iterator
from dataclasses import replace

from reposcrub.model import Blob, Finding, Provenance, ScanResult
from reposcrub.reporters.mask import SecretMask

WITHHELD = "(message withheld: it could not be checked for secrets)"


def error_message(exc: BaseException) -> str:
    """str(exc) with every secret masked."""
    text = str(exc)
    try:
        masked = _mask_for(exc, text)(text)
    except Exception:  # noqa: BLE001 - whatever failed, the message stays unprinted
        return WITHHELD
    from reposcrub.reporters.render import safe_text

    return safe_text(masked)  # a path in the message may hold an ESC byte or a newline


def error_traceback(exc: BaseException) -> str:
    """The traceback Python would print, with every secret masked; frames only if that fails."""
    text = "".join(traceback.format_exception(exc))
    try:
        return _mask_for(exc, text)(text)
    except Exception:  # noqa: BLE001 - whatever failed, the messages stay unprinted
        return _frames_only(exc)


def _mask_for(exc: BaseException, text: str) -> SecretMask:
    from reposcrub.rules import builtin_rules
    from reposcrub.scan import Engine

    engine = Engine([r for r in builtin_rules() if r.redacts])
    known: list[Finding] = []
    blobs = [Blob(text.encode("utf-8", "surrogateescape"), Provenance(path="error", location="message"))]
    for value in _frame_values(exc):
        if isinstance(value, Finding):
            known.append(value)
        elif isinstance(value, ScanResult):
            known.extend(value.findings)
        elif isinstance(value, Blob) and value.data:
            # As metadata, not a file: no syntax context, which could drop a finding.
            blobs.append(replace(value, provenance=replace(value.provenance, location="message")))
    found = [f for blob in blobs for f in engine.scan_blob(blob, resolve_overlaps=False)]
    return SecretMask.of([*known, *found])


def _frame_values(exc: BaseException) -> Iterator[object]:
    """Local variables of every frame the exceptions went through, and the items of local lists."""
    seen: set[int] = set()
    for e in _chain(exc):
        tb = e.__traceback__
        while tb is not None:
            for value in list(tb.tb_frame.f_locals.values()):
                items = value if isinstance(value, (list, tuple)) else (value,)
                for item in items:
                    if id(item) not in seen:
                        seen.add(id(item))
                        yield item
            tb = tb.tb_next


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """exc and the exceptions Python prints with it (its cause or context), newest first."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)


def _frames_only(exc: BaseException) -> str:
    """Where it failed, without what it said: frames show code, never the data it processed."""
    parts: list[str] = []
    for e in reversed(list(_chain(exc))):
        if e.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_tb(e.__traceback__))
        parts.append(f"{type(e).__qualname__}: {WITHHELD}\n")
    return "".join(parts)
