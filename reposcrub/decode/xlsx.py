"""The sheets of a workbook, streamed row by row: each row one line, its cells a tab apart
at their columns, shared strings put in place, a formula after its value; hidden sheets,
rows and columns are said so. Shared strings no cell uses are reported on their own.
"""
from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from typing import Any

from reposcrub.decode import Part
from reposcrub.decode.limits import DecodeLimits, OverLimit, ZipBudget
from reposcrub.decode.xmlparts import Lines
from reposcrub.decode.xmltext import UnsafeXml, iterparse, local, parse
from reposcrub.decode.zipdoc import open_zip

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
    def __init__(self) -> None:
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
        title, state = self.sheets[name]
        hidden_columns: list[str] = []
        lines: Lines | None = None
        cells: list[str] = []
        for event, el in iterparse(stream):
            tag = local(el.tag)
            if event == "start":
                continue
            if tag == "col" and el.get("hidden") in ("1", "true"):
                hidden_columns.append(f"{el.get('min')}-{el.get('max')}")
            elif tag == "c":
                self._cell(el, cells)
            elif tag == "row":
                if lines is None:
                    lines = Lines(name, _note(state, hidden_columns), table=title)
                label = (el.get("r") or "?") + (" (hidden row)" if el.get("hidden") in ("1", "true") else "")
                piece = lines.add("\t".join(cells), label) if cells else None
                cells = []
                el.clear(keep_tail=True)
                while el.getprevious() is not None:
                    del el.getparent()[0]
                if piece is not None:
                    yield piece
        if lines is not None:
            last = lines.flush()
            if last is not None:
                yield last

    def _cell(self, el: Any, cells: list[str]) -> None:
        column = column_index(el.get("r") or "") if el.get("r") else len(cells)
        if len(cells) < column <= len(cells) + _MAX_GAP:
            cells.extend([""] * (column - len(cells)))
        kind = el.get("t") or "n"
        value, formula = "", ""
        for child in el:
            tag = local(child.tag)
            if tag == "v":
                value = child.text or ""
            elif tag == "f":
                formula = child.text or ""
            elif tag == "is":
                value = "".join(t.text or "" for t in child.iter("{*}t"))
        if kind == "s" and value.strip().isdigit():
            index = int(value)
            self._used.add(index)
            value = self.shared[index] if index < len(self.shared) else ""
        text = value.replace("\t", " ").replace("\n", " ")
        cells.append(f"{text} ={formula}" if formula else text)

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
