"""Parsing: bytes -> syntactic context of spans (string, comment, identifier, other)."""
from __future__ import annotations
