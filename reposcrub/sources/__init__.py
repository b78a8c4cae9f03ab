"""Sources: where content comes from. Each emits Iterator[Blob]."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from reposcrub.model import Blob


class Source(Protocol):
    def blobs(self) -> Iterator[Blob]: ...
