"""Ordinary English words, from the system word list (Debian's ``wamerican``, macOS's web2).

A name that is also an ordinary word ("Square", "Box", "Late") cannot be replaced wherever
it occurs: the draft marks it ``ambiguous`` so that only strong contexts count. The list is
read from a file so that it comes from a maintained dictionary, not a list typed here.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reposcrub.errors import ReposcrubError

DEFAULT_WORDS = Path("/usr/share/dict/words")


@dataclass(frozen=True, slots=True)
class WordList:
    """Lower-case entries of a dictionary: proper nouns (capitalised there) are not ordinary words."""

    words: frozenset[str]
    source: str  # the file read, or "" when there was none

    @classmethod
    def load(cls, path: Path | None = None) -> WordList:
        """The word list at path (default /usr/share/dict/words); empty when it is missing.

        A missing default list is not an error: the draft says so, and every name is then
        shown without the ordinary-word check.

        Raises:
            ReposcrubError: a list named explicitly cannot be read.
        """
        where = path or DEFAULT_WORDS
        try:
            text = where.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            if path is not None:
                raise ReposcrubError(f"cannot read the word list {path}: {exc.strerror}") from None
            return cls(frozenset(), "")
        # "Google" (proper noun) is not ordinary; "google" (the verb) is. Possessives are noise.
        words = frozenset(w for w in text.split() if w.islower() and "'" not in w)
        return cls(words, str(where))

    @property
    def available(self) -> bool:
        return bool(self.words)

    def is_ordinary(self, word: str) -> bool:
        """In the list, or a plural of a word in it (the list lacks some: "analytics")."""
        lower = word.lower()
        return lower in self.words or (len(lower) > 3 and lower.endswith("s") and lower[:-1] in self.words)
