"""Detectors: Blob -> Iterator[Finding]. Logic that cannot be data lives here."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from reposcrub.model import Blob, Finding


class Detector(Protocol):
    def detect(self, blob: Blob) -> Iterator[Finding]: ...
