"""Keep a name's case and separator style when replacing it: Acme -> Example,
ACME -> EXAMPLE, acme_corp -> example_corp, AcmeCorp -> ExampleCorp."""
from __future__ import annotations

import re

_TOKENS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+|[^A-Za-z0-9]+")


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def is_word(token: str) -> bool:
    return token[:1].isalnum()


def shaped_like(model: str, word: str) -> str:
    """word written the way model is: UPPER, lower or Title."""
    if model.isupper() and (len(model) > 1 or not word[1:]):
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:].lower()
    return word.lower()


def restyle(original: str, new_words: list[str]) -> str:
    """Replace the words of original, in order, with new_words, keeping case and separators.

    Extra original words beyond new_words are kept as they are; extra new words are
    appended in the style of the last word.
    """
    out: list[str] = []
    remaining = list(new_words)
    last_word = "x"
    for token in tokens(original):
        if is_word(token) and remaining:
            word = remaining.pop(0)
            out.append(shaped_like(token, word) if not word.isdigit() else word)
            last_word = token
        else:
            out.append(token)
    for word in remaining:
        out.append(shaped_like(last_word, word))
    return "".join(out)
