"""Named false-positive filters that rules opt into with ``filters: [...]``.

Each filter gets the candidate secret, its line and the path, and returns True to
drop the candidate. Several wrap detect-secrets' own heuristics.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

from types import ModuleType

Filter = Callable[[str, str, str], bool]
_ds: ModuleType | None = None


def _heuristics() -> ModuleType:
    """detect-secrets' heuristics, imported on first use: the package pulls in its plugins
    and requests (about half a second), which a pre-commit run rarely needs."""
    global _ds
    if _ds is None:
        from detect_secrets.filters import heuristic

        _ds = heuristic
    return _ds

# Whole values that are placeholders, and fragments that only placeholders contain. Kept
# narrow on purpose: a random 40-character secret must not match by chance (no bare
# "my", "abc" or "xxxx" fragments).
_PLACEHOLDER = re.compile(
    r"^(?:x+|\*+|\.+|-+|#+|0+|null|none|nil|true|false|undefined|empty|"
    r"password|passwd|secret|token|changeme|change[_-]?me|redacted|removed|hidden|masked|"
    r"placeholder|dummy|sample|example|fake|test|testing|todo|tbd|foo|bar|baz|qux|value|values|string|str|"
    r"123456\d*|abcdef\w{0,4}|1234567890abcdef)$|"
    r"(?:^your[_-]?|^my[_-]?(?:pass|password|secret|token|key|api)|<[^<>]{0,200}>|\byour\b|example|placeholder|changeme|replace[_-]?me|"
    r"insert[_-]|\*\*\*\*|dummy|redacted|fake[_-]|not[_-]?a[_-]?real|sample)",
    re.IGNORECASE,
)
_X_RUN = re.compile(r"xxxxxx|XXXXXX")
# Bounded repeats: these run on candidate values, which a hostile file can make long.
_TEMPLATE = re.compile(r"\$\{[^{}]{0,200}\}|\{\{[^{}]{0,200}\}\}|%\([^()]{0,100}\)[sd]|^\$[A-Za-z_]|^%[A-Z_]{1,100}%$|"
                       r"\{[A-Za-z_]{1,100}\}|\#\{[^{}]{0,200}\}|@[A-Za-z_][A-Za-z0-9_.-]{0,100}@")
_CODE = re.compile(r"[()\[\]]|^(?:self|this|os|env|process|config|settings|params|args|request)\.|^[a-z_]+(?:\.[a-z_]+)+$")
_IDENTIFIER = re.compile(r"^[a-z]+(?:_[a-z]+)+$|^[a-z]+(?:[A-Z][a-z]+)+$|^[A-Z]+(?:_[A-Z]+)+$|^[a-z]+(?:-[a-z]+)+(?:-v?[0-9]+)?$")
_HEX_DIGEST = re.compile(r"^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$", re.I)
_DIGEST_CONTEXT = re.compile(r"(?i)sha\d*|md5|hash|checksum|digest|integrity|commit|revision|etag|fingerprint")
# Paths look like lowercase words joined by slashes (not base64, which mixes case).
_PATH_LIKE = re.compile(r"^(?:[./~]|[A-Za-z]:\\)|^[a-z][a-z0-9_.-]*(?:/[a-z0-9_.-]+)+$")
_EXAMPLE_HOST = re.compile(
    r"@(?:[\w-]+\.)*(?:example\.(?:com|org|net)|[\w-]+\.(?:example|test|invalid))(?:[:/?#\s\"']|$)",
    re.IGNORECASE,
)


def shannon_entropy(text: str) -> float:
    if not text:
        return 0.0
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


def longest_alnum_run(text: str) -> str:
    """The longest run of ASCII letters and digits: the random part of most tokens."""
    best, start = "", -1
    for i, c in enumerate(text + " "):
        if c.isascii() and c.isalnum():
            start = i if start < 0 else start
        elif start >= 0:
            best = text[start:i] if i - start > len(best) else best
            start = -1
    return best


def _ascending_run(text: str, length: int = 8) -> bool:
    """abcdefgh, 12345678: keyboard filler, never a random secret."""
    run = 1
    for a, b in zip(text, text[1:]):
        run = run + 1 if ord(b) - ord(a) == 1 else 1
        if run >= length:
            return True
    return False


def _placeholder(secret: str, line: str, path: str) -> bool:
    # Counting runs are judged on the random part only: a Slack token's numeric ids may count up.
    return bool(_PLACEHOLDER.search(secret) or _X_RUN.search(secret)) or _ascending_run(longest_alnum_run(secret))


def _templated(secret: str, line: str, path: str) -> bool:
    ds = _heuristics()
    return bool(_TEMPLATE.search(secret)) or ds.is_templated_secret(secret) or ds.is_prefixed_with_dollar_sign(secret)


def _code(secret: str, line: str, path: str) -> bool:
    return bool(_CODE.search(secret) or _IDENTIFIER.match(secret) or _PATH_LIKE.match(secret))


def _digest(secret: str, line: str, path: str) -> bool:
    return bool(_HEX_DIGEST.match(secret)) and (bool(_DIGEST_CONTEXT.search(line)) or _heuristics().is_lock_file(path))


def _lockfile(secret: str, line: str, path: str) -> bool:
    return _heuristics().is_lock_file(path)


def _indirect(secret: str, line: str, path: str) -> bool:
    """`x = get_secret()` and `x = config["y"]`; but a quoted literal inside a call,
    `Client(api_key="...")`, is exactly the leak and stays."""
    if f'"{secret}"' in line or f"'{secret}'" in line:
        return False
    return bool(_heuristics().is_indirect_reference(line))


def _example_host(secret: str, line: str, path: str) -> bool:
    """user:secret@db.example.com: credentials in documentation URLs."""
    at = line.find(secret)
    return at >= 0 and bool(_EXAMPLE_HOST.match(line, at + len(secret)))


FILTERS: dict[str, Filter] = {
    "placeholder": _placeholder,
    "templated": _templated,
    "code": _code,
    "digest": _digest,
    "lockfile": _lockfile,
    "indirect": _indirect,
    "example-host": _example_host,
    "uuid": lambda s, line, p: _heuristics().is_potential_uuid(s),
    "sequential": lambda s, line, p: _heuristics().is_sequential_string(s),
    "id-string": lambda s, line, p: _heuristics().is_likely_id_string(s, line),
    "not-alnum": lambda s, line, p: _heuristics().is_not_alphanumeric_string(s),
    "swagger": lambda s, line, p: _heuristics().is_swagger_file(p),
}
