"""Inputs crafted against regex engines and per-match post-processing, at any size n."""
from __future__ import annotations

import random
from collections.abc import Callable

from reposcrub.model import Rule
from reposcrub.rules import expand_example

B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
Maker = Callable[[int], bytes]


def fill(unit: bytes, n: int) -> bytes:
    """unit repeated to exactly n bytes."""
    return (unit * (n // max(1, len(unit)) + 1))[:n]


def _random(alphabet: bytes, n: int, seed: int = 5) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.choice(alphabet) for _ in range(n))


# Runs that make backtracking engines explode: long runs of one class, openers without
# closers, and quotes inside quotes.
GENERIC: dict[str, Maker] = {
    "a-run": lambda n: b"a" * n,
    "equals-run": lambda n: b"=" * n,
    "quote-run": lambda n: b'"' * n,
    "at-run": lambda n: b"@" * n,
    "dot-run": lambda n: b"." * n,
    "digits": lambda n: fill(b"0123456789", n),
    "base64": lambda n: _random(B64, n),
    "begin-no-end": lambda n: fill(b"-----BEGIN ", n),
    "nested-quotes": lambda n: fill(b"\"'`\"'\\\"", n),
    "angle-run": lambda n: b"<" * n,
    "brace-run": lambda n: b"{" * n,
    "template-openers": lambda n: fill(b"${%(#{", n),
    "a-lines": lambda n: fill(b"a\n", n),
    "crlf-lines": lambda n: fill(b"x=1\r\n", n),
}


def for_rule(rule: Rule) -> dict[str, Maker]:
    """GENERIC plus inputs that get past the rule's keyword prefilter: each keyword before
    a run, keywords repeated, and the rule's own examples many times on one line."""
    makers = dict(GENERIC)
    for k in rule.keywords[:3]:
        kw = k.encode()
        makers[f"{k}=a-run"] = lambda n, kw=kw: kw + b"=" + b"a" * n
        makers[f'{k}="base64'] = lambda n, kw=kw: kw + b'="' + _random(B64, n)
        makers[f"{k}-repeated"] = lambda n, kw=kw: fill(kw + b" ", n)
        makers[f"{k}=-repeated"] = lambda n, kw=kw: fill(kw + b"=", n)
        makers[f"{k}=angle-run"] = lambda n, kw=kw: kw + b"=" + b"<" * n
        makers[f"{k}: brace-run"] = lambda n, kw=kw: kw + b': "' + b"{" * n
        makers[f"{k}=template-openers"] = lambda n, kw=kw: kw + b"=" + fill(b"${%(#{", n)
    examples = [expand_example(e.text, random.Random(i)).encode() for i, e in enumerate(rule.examples)]
    if examples:
        makers["examples-one-line"] = lambda n: fill(b" ".join(e.replace(b"\n", b" ") for e in examples) + b" ", n)
        makers["examples-lines"] = lambda n: fill(b"\n".join(examples) + b"\n", n)
        makers["example-long-tail"] = lambda n: examples[0] + fill(examples[0][-1:] or b"a", n)
    return makers
