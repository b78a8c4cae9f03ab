"""The sheets of a workbook, streamed row by row: each row one line, its cells a tab apart
at their columns, shared strings put in place, a formula after its value; hidden sheets,
rows and columns are said so. Shared strings no cell uses are reported on their own.
"""
from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from reposcrub.decode import Part, Piece
from reposcrub.decode.limits import DecodeLimits, OverLimit, ZipBudget
from reposcrub.decode.sheetrows import SheetRows
from reposcrub.decode.xmlparts import WHOLE_PART, Lines, Prefixed
from reposcrub.decode.xmltext import UnsafeXml, iterparse, local, parse
from reposcrub.decode.zipdoc import PartCache, open_zip

_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MAX_GAP = 1000  # empty columns padded with tabs, at most this many (so a far cell cannot blow up a row)


def column_index(ref: str) -> int:
    """'B3' -> 1."""
    index = 0
    for ch in ref:
        if not ch.isalpha():
            break
        index = index * 26 + (ord(ch.upper()) - 64)
    return index - 1


class Workbook:
    def __init__(self, reader: SheetRows) -> None:
        self.reader = reader
        self.sheets: dict[str, tuple[str, str]] = {}  # part name -> (sheet name, "hidden"/"veryHidden"/"")
        self.shared: list[str] = []
        self._used: set[int] = set()

    def load(self, data: bytes, limits: DecodeLimits) -> None:
        """Sheet names and states, and the shared strings, when the package has them."""
        try:
            archive = open_zip(data)
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                return
            budget = ZipBudget(archive, len(data), limits)
            self._load_sheets(archive, budget, names)
            if "xl/sharedStrings.xml" in names:
                self._load_shared(budget, archive.getinfo("xl/sharedStrings.xml"))
        except (zipfile.BadZipFile, OverLimit, UnsafeXml, ValueError, KeyError, EOFError):
            return  # reading each part says what is wrong

    def _load_sheets(self, archive: zipfile.ZipFile, budget: ZipBudget, names: set[str]) -> None:
        targets: dict[str, str] = {}
        if "xl/_rels/workbook.xml.rels" in names:
            rels = parse(budget.read(archive.getinfo("xl/_rels/workbook.xml.rels")))
            for rel in rels.getroot():
                target = rel.get("Target") or ""
                full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
                targets[rel.get("Id") or ""] = full
        book = parse(budget.read(archive.getinfo("xl/workbook.xml")))
        for sheet in book.getroot().iter("{*}sheet"):
            part = targets.get(sheet.get(_R) or "")
            if part:
                state = sheet.get("state") or ""
                self.sheets[part] = (sheet.get("name") or part, state if state in ("hidden", "veryHidden") else "")

    def _load_shared(self, budget: ZipBudget, info: zipfile.ZipInfo) -> None:
        for event, el in iterparse(budget.stream(info), ("end",)):
            if local(el.tag) == "si":
                self.shared.append("".join(t.text or "" for t in el.iter("{*}t")
                                           if local(t.getparent().tag) != "rPh"))
                el.clear(keep_tail=True)

    def read_sheet(self, stream: Any, name: str) -> Iterator[Part]:
        """The sheet's rows, in pieces.

        Raises:
            UnsafeXml: the part declares a DTD or is not well-formed.
        """
        head = stream.read(WHOLE_PART + 1)
        if len(head) <= WHOLE_PART:
            yield from self._read_whole(head, name)
            return
        title, state = self.sheets[name]
        hidden_columns: list[str] = []
        lines: Lines | None = None
        for _, el in iterparse(Prefixed(head, stream), ("end",), only=("{*}row", "{*}col")):
            if local(el.tag) == "col":
                if el.get("hidden") in ("1", "true"):
                    hidden_columns.append(f"{el.get('min')}-{el.get('max')}")
                continue
            if lines is None:
                lines = Lines(name, _note(state, hidden_columns), table=title)
            cells: list[str] = []
            for cell in el.iterchildren("{*}c"):
                self._cell(cell, cells)
            label = (el.get("r") or "?") + (" (hidden row)" if el.get("hidden") in ("1", "true") else "")
            piece = lines.add("\t".join(cells), label) if cells else None
            el.clear(keep_tail=True)
            while el.getprevious() is not None:
                del el.getparent()[0]
            if piece is not None:
                yield piece
        if lines is not None:
            last = lines.flush()
            if last is not None:
                yield last

    def _read_whole(self, data: bytes, name: str) -> Iterator[Part]:
        title, state = self.sheets[name]
        hidden, rows = self.reader.rows(data)
        lines = Lines(name, _note(state, hidden), table=title)
        columns: dict[str, int] = {}
        for label, cells in rows:
            texts: list[str] = []
            for ref, kind, value, formula, inline in (c + [""] * (5 - len(c)) for c in cells):
                letters = ref.rstrip("0123456789")
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = column_index(letters) if letters else len(texts)
                if len(texts) < column <= len(texts) + _MAX_GAP:
                    texts.extend([""] * (column - len(texts)))
                texts.append(self._text(kind, inline if kind == "inlineStr" else value, formula))
            piece = lines.add("\t".join(texts), label) if texts else None
            if piece is not None:
                yield piece
        last = lines.flush()
        if last is not None:
            yield last

    def _text(self, kind: str, value: str, formula: str) -> str:
        if kind == "s" and value.strip().isdigit():
            index = int(value)
            self._used.add(index)
            value = self.shared[index] if index < len(self.shared) else ""
        text = value.replace("\t", " ").replace("\n", " ") if kind else value
        return f"{text} ={formula}" if formula else text

    def _cell(self, el: Any, cells: list[str]) -> None:
        ref = el.get("r")
        column = column_index(ref) if ref else len(cells)
        if len(cells) < column <= len(cells) + _MAX_GAP:
            cells.extend([""] * (column - len(cells)))
        kind = el.get("t") or ""
        value = el.findtext("{*}v") or ""
        if kind == "inlineStr":
            value = "".join(el.find("{*}is").itertext("{*}t"))
        cells.append(self._text(kind, value, el.findtext("{*}f") or ""))

    def uncached(self, cache: PartCache) -> PartCache:
        """The cache, except for this workbook's sheets (their text depends on its shared strings)."""
        sheets = self.sheets

        class _SheetsApart(PartCache):
            def get(self, name: str, data: bytes, read: Callable[[], Iterator[Piece]]) -> tuple[Piece, ...]:
                return tuple(read()) if name in sheets else cache.get(name, data, read)

        return _SheetsApart()

    def leftovers(self) -> Iterator[Part]:
        """Shared strings that no cell showed (still in the file, so still leaving)."""
        lines = Lines("xl/sharedStrings.xml", "shared strings no cell uses")
        for index, text in enumerate(self.shared):
            if index not in self._used and text.strip():
                piece = lines.add(text, f"string {index + 1}")
                if piece is not None:
                    yield piece
        last = lines.flush()
        if last is not None:
            yield last


def _note(state: str, hidden_columns: list[str]) -> str:
    parts = []
    if state:
        parts.append("very hidden sheet" if state == "veryHidden" else "hidden sheet")
    if hidden_columns:
        parts.append("hidden columns " + ", ".join(hidden_columns))
    return "; ".join(parts)
