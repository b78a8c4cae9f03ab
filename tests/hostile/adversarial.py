"""Inputs crafted against regex engines and per-match post-processing, at any size n."""
from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from reposcrub.model import Rule
from reposcrub.rules import expand_example

Maker = Callable[[int], bytes]
_B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_RNG = random.Random(5)
_RANDOM_B64 = bytes(_RNG.choice(_B64) for _ in range(1 << 16))


def fill(unit: bytes, n: int) -> bytes:
    """unit repeated to exactly n bytes."""
    return (unit * (n // max(1, len(unit)) + 1))[:n]


# Runs that make backtracking engines explode: long runs of one class, openers without
# closers, quotes inside quotes.
GENERIC: dict[str, Maker] = {
    "a-run": lambda n: b"a" * n,
    "equals-run": lambda n: b"=" * n,
    "quote-run": lambda n: b'"' * n,
    "at-run": lambda n: b"@" * n,
    "dot-run": lambda n: b"." * n,
    "digits": lambda n: fill(b"0123456789", n),
    "base64": lambda n: fill(_RANDOM_B64, n),
    "begin-no-end": lambda n: fill(b"-----BEGIN ", n),
    "nested-quotes": lambda n: fill(b"\"'`\"'\\\"", n),
    "angle-run": lambda n: b"<" * n,
    "brace-run": lambda n: b"{" * n,
    "template-openers": lambda n: fill(b"${%(#{", n),
    "a-lines": lambda n: fill(b"a\n", n),
    "crlf-lines": lambda n: fill(b"x=1\r\n", n),
}


def _after(lead: bytes) -> dict[str, Maker]:
    """Runs placed right after a keyword, where a rule's value would start."""
    return {
        "=a-run": lambda n: lead + b"=" + b"a" * n,
        '="base64': lambda n: lead + b'="' + fill(_RANDOM_B64, n),
        "=angle-run": lambda n: lead + b"=" + b"<" * n,
        ': "brace-run': lambda n: lead + b': "' + b"{" * n,
        "=template-openers": lambda n: lead + b"=" + fill(b"${%(#{", n),
        " repeated": lambda n: fill(lead + b" ", n),
        "= repeated": lambda n: fill(lead + b"=", n),
    }


def _long_tail(text: bytes) -> Maker:
    return lambda n: text + fill(text.rstrip()[-1:] or b"a", n)


def for_rule(rule: Rule, terms: Sequence[bytes] = ()) -> dict[str, Maker]:
    """Inputs that reach the rule: GENERIC runs that hold one of its keywords (the others
    never get past the keyword prefilter), runs after each keyword (or profile term, for
    the identifier rules), and each example with its value's last character repeated."""
    keywords = [k.encode() for k in rule.keywords]
    makers = {name: make for name, make in GENERIC.items()
              if not keywords or any(k in make(64).lower() for k in keywords)}
    for lead in [*keywords[:3], *terms]:
        makers.update({lead.decode() + name: make for name, make in _after(lead).items()})
    for i, example in enumerate(rule.examples[:3]):
        text = expand_example(example.text, random.Random(i)).encode()
        if b"\0" not in text:
            makers[f"example-{i}-long-tail"] = _long_tail(text)
    return makers


def all_examples(rules: Sequence[Rule], sep: bytes) -> bytes:
    """The first example of every text rule, joined by sep: one copy of many findings."""
    texts = [expand_example(r.examples[0].text, random.Random(i)).encode() for i, r in enumerate(rules) if r.examples]
    return sep.join(t.replace(b"\n", b" ") for t in texts if b"\0" not in t) + sep
