"""Jupyter notebooks: each cell's source, each output (stream text, text/plain, text/html,
JSON, error tracebacks, pictures' metadata), the notebook's and each cell's metadata,
widget state. A finding names its cell and the line in it (``nb.ipynb!cell 3``).

Read and written with the standard JSON module in the layout Jupyter writes (one-space
indent, the keys in their order), so that a scrubbed notebook differs only where a
value was replaced; nbformat reads it as before.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from typing import Any

from reposcrub.decode import Cleaning, DocumentOptions, Embedded, Part, Piece, Refusal, Unreadable

# ANSI colour codes in tracebacks would glue to the words they colour.
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TEXT_MIMES = ("text/", "application/json", "application/javascript", "image/svg+xml")


def _text(value: Any) -> str:
    """A notebook string field: a string or a list of lines."""
    if isinstance(value, list):
        return "".join(v for v in value if isinstance(v, str))
    return value if isinstance(value, str) else ""


def _json_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)


def _load(data: bytes) -> dict[str, Any]:
    """Raises: ValueError: not a notebook."""
    nb = json.loads(data.decode("utf-8-sig"))
    if not isinstance(nb, dict) or not isinstance(nb.get("cells", []), list):
        raise ValueError("not a notebook (no list of cells)")
    return nb


def _outputs(cell: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(label, text) of each output of a cell."""
    for n, out in enumerate(cell.get("outputs") or (), 1):
        if not isinstance(out, dict):
            continue
        if "text" in out:
            yield f"output {n}", _text(out["text"])
        for mime, value in (out.get("data") or {}).items():
            if mime.startswith(_TEXT_MIMES):
                yield f"output {n} {mime}", _json_text(_text(value) if isinstance(value, (str, list)) else value)
        if out.get("traceback") or out.get("evalue"):
            lines = [out.get("ename") or "", out.get("evalue") or "", *(out.get("traceback") or ())]
            yield f"output {n} traceback", _ANSI.sub("", "\n".join(str(x) for x in lines))
        if out.get("metadata"):
            yield f"output {n} metadata", _json_text(out["metadata"])


class Notebook:
    """Jupyter notebooks (.ipynb)."""

    name = "notebook"
    whole = False

    def pieces(self, data: bytes) -> Iterator[Piece]:
        try:
            nb = _load(data)
        except (ValueError, UnicodeDecodeError) as exc:
            yield Unreadable(f"not a readable notebook: {str(exc)[:100]}")
            return
        if nb.get("metadata"):
            yield _part("metadata", _json_text(nb["metadata"]), "notebook metadata")
        for n, cell in enumerate(nb.get("cells") or (), 1):
            if not isinstance(cell, dict):
                continue
            yield _part(f"cell {n}", _text(cell.get("source")), f"{cell.get('cell_type', 'cell')} cell")
            if cell.get("metadata"):
                yield _part(f"cell {n} metadata", _json_text(cell["metadata"]), "cell metadata")
            for label, text in _outputs(cell):
                yield _part(f"cell {n} {label}", text, "output")
            yield from _pictures(cell, n)
            for name, attachment in (cell.get("attachments") or {}).items():
                yield _part(f"cell {n} attachment {name}", _json_text({k: v for k, v in attachment.items()
                                                                         if not k.startswith("image/")}), "attachment")

    def scrub(self, data: bytes, cleaning: Cleaning, options: DocumentOptions) -> bytes | Refusal:
        nb = _load(data)
        before = json.dumps(nb, ensure_ascii=False)
        nb = _clean_value(nb, cleaning, "metadata", options, top=True)
        if json.dumps(nb, ensure_ascii=False) == before:
            return data
        indent = 1 if b'\n "' in data[:200] else (2 if b'\n  "' in data[:200] else None)
        return (json.dumps(nb, ensure_ascii=False, indent=indent) + "\n").encode("utf-8")

    def opens(self, data: bytes) -> str | None:
        try:
            _load(data)
        except (ValueError, UnicodeDecodeError) as exc:
            return str(exc)[:100]
        return None


def _pictures(cell: dict[str, Any], n: int) -> Iterator[Piece]:
    """Pictures in outputs, decoded as images in turn (their metadata)."""
    for k, out in enumerate(cell.get("outputs") or (), 1):
        data = out.get("data") if isinstance(out, dict) else None
        for mime in ("image/png", "image/jpeg"):
            if isinstance(data, dict) and mime in data:
                try:
                    raw = base64.b64decode(_text(data[mime]), validate=False)
                except (ValueError, binascii.Error):
                    continue
                yield Embedded(f"cell {n} output {k}.{mime[6:].replace('jpeg', 'jpg')}", raw)


def _part(name: str, text: str, note: str) -> Part:
    return Part(name, text.encode("utf-8", "surrogatepass"), (), note)


def _clean_value(value: Any, cleaning: Cleaning, where: str, options: DocumentOptions, top: bool = False) -> Any:
    """Every string in a notebook, cleaned; outputs that held something cleared (all of them
    with strip_outputs); a list of lines cleaned as the one text it is."""
    if isinstance(value, dict):
        if top and isinstance(value.get("cells"), list):
            value = dict(value, cells=[_clean_cell(c, cleaning, n, options) for n, c in enumerate(value["cells"], 1)])
        return {k: (v if top and k == "cells" else _clean_value(v, cleaning, where, options)) for k, v in value.items()}
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        joined = "".join(value)
        cleaned = cleaning.text(joined, where)
        return value if cleaned == joined else cleaned.splitlines(keepends=True)
    if isinstance(value, list):
        return [_clean_value(v, cleaning, where, options) for v in value]
    if isinstance(value, str):
        return cleaning.text(value, where)
    return value


def _clean_cell(cell: Any, cleaning: Cleaning, n: int, options: DocumentOptions) -> Any:
    if not isinstance(cell, dict):
        return cell
    out = {k: (v if k == "outputs" else _clean_value(v, cleaning, f"cell {n}", options)) for k, v in cell.items()}
    if isinstance(cell.get("outputs"), list):
        kept = [] if options.strip_outputs else [o for o in cell["outputs"] if not _holds(o, cleaning, n)]
        out["outputs"] = kept
        if len(kept) != len(cell["outputs"]) and "execution_count" in out:
            out["execution_count"] = None
    return out


def _holds(output: Any, cleaning: Cleaning, n: int) -> bool:
    """Whether an output holds anything scrub would replace (then it is cleared whole:
    a traceback or a table edited in place would still say what it computed)."""
    texts = [text for _, text in _outputs({"outputs": [output]})]
    return any(cleaning.text(text, f"cell {n} output") != text for text in texts)
