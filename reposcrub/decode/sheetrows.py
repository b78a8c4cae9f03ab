"""A sheet's cells read in C: an XSLT over the parsed sheet writes one line per row, each
cell's reference, type, value, formula and inline text apart by private-use separators,
so Python touches strings, not an element per cell."""
from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from reposcrub.decode.xmltext import parse

FIELD, CELL, ROW = "\ue000", "\ue001", "\ue002"
# Transitional and strict SpreadsheetML; names in a namespace are matched without testing
# each element's local-name(), which costs libxslt more than the whole transform.
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main", "s": "http://purl.oclc.org/ooxml/spreadsheetml/main"}


def _any(name: str) -> str:
    return f"m:{name}|s:{name}"


_XSLT = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
 xmlns:m="{_NS['m']}" xmlns:s="{_NS['s']}">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/">
 <xsl:for-each select="/*/*[self::m:cols or self::s:cols]/*[@hidden='1' or @hidden='true']">
  <xsl:value-of select="@min"/>-<xsl:value-of select="@max"/><xsl:text>{{CELL}}</xsl:text>
 </xsl:for-each>
 <xsl:text>{{ROW}}</xsl:text>
 <xsl:for-each select="/*/*[self::m:sheetData or self::s:sheetData]/*">
  <xsl:value-of select="@r"/><xsl:if test="@hidden='1' or @hidden='true'"> (hidden row)</xsl:if>
  <xsl:text>{{CELL}}</xsl:text>
  <xsl:for-each select="{_any('c')}">
   <xsl:value-of select="@r"/><xsl:text>{{FIELD}}</xsl:text><xsl:value-of select="@t"/><xsl:text>{{FIELD}}</xsl:text>
   <xsl:value-of select="{_any('v')}"/><xsl:text>{{FIELD}}</xsl:text>
   <xsl:value-of select="{_any('f')}"/><xsl:text>{{FIELD}}</xsl:text>
   <xsl:for-each select="m:is/m:t|m:is/m:r/m:t|s:is/s:t|s:is/s:r/s:t"><xsl:value-of select="."/></xsl:for-each>
   <xsl:text>{{CELL}}</xsl:text>
  </xsl:for-each>
  <xsl:text>{{ROW}}</xsl:text>
 </xsl:for-each>
</xsl:template>
</xsl:stylesheet>""".replace("{CELL}", CELL).replace("{ROW}", ROW).replace("{FIELD}", FIELD)


def _transform() -> etree.XSLT:
    # No access to files or the network from the transform (it needs none).
    access = etree.XSLTAccessControl.DENY_ALL
    return etree.XSLT(etree.XML(_XSLT.encode()), access_control=access)


class SheetRows:
    """Reads whole sheets; one transform per reader (an XSLT object is not shared across threads)."""

    def __init__(self) -> None:
        self._xslt = _transform()

    def rows(self, data: bytes) -> tuple[list[str], Iterator[tuple[str, list[list[str]]]]]:
        """(hidden column ranges, rows as (label, cells as [ref, type, value, formula, inline])).

        Raises:
            UnsafeXml: a DTD, or not well-formed XML.
        """
        text = str(self._xslt(parse(data)))
        head, _, body = text.partition(ROW)
        hidden = [c for c in head.split(CELL) if c]
        return hidden, _rows(body)


def _rows(body: str) -> Iterator[tuple[str, list[list[str]]]]:
    for row in body.split(ROW):
        if not row:
            continue
        label, *cells = row.split(CELL)
        yield label, [cell.split(FIELD) for cell in cells if cell]
