"""The assignment extractor stays linear on hostile files: thousands of keys, deep nesting,
braces without end, one endless line. Counted, not timed (tests/hostile/costs.py)."""
from __future__ import annotations

import pytest

from reposcrub.detectors.rules import RuleDetector
from reposcrub.model import Blob, Provenance
from reposcrub.rules import load_rules
from tests.hostile.costs import measure

N = 4000
DETECTOR = RuleDetector(load_rules())


def _repeat(unit: bytes, n: int) -> bytes:
    return (unit * (n // len(unit) + 1))[:n]


MAKERS = {
    "yaml-password-lines": ("values.yaml", lambda n: b"a:\n" + _repeat(b"  password: Xk29vQm3pLzq\n", n)),
    "yaml-deep-nesting": ("values.yaml", lambda n: b"".join(b" " * (i % 100) + b"k:\n" for i in range(n // 50))
                          + b" " * 100 + b"password: Xk29vQm3pLzq\n"),
    "yaml-siblings-under-one-parent": ("values.yaml", lambda n: b"twilio:\n" + _repeat(b"  a: b\n", n) + b"  auth_token: 0123456789abcdef0123456789abcdef\n"),
    "json-keys": ("config.json", lambda n: b'{"x": ' + _repeat(b'{"password": "Xk29vQm3pLzq", ', n) + b"}"),
    "json-brace-run": ("config.json", lambda n: _repeat(b"{", n) + b'"api_key": "Xk29vQm3pLzqXk29vQm3"'),
    "xml-add-tags": ("web.config", lambda n: _repeat(b'<add key="SmtpPassword" value="Xk29vQm3pLzq"/>\n', n)),
    "query-string-line": ("notes.txt", lambda n: b"GET /x?" + _repeat(b"api_key=Xk29vQm3pLzqXk29&", n)),
    "ini-sections": ("settings.ini", lambda n: _repeat(b"[s]\npassword = Xk29vQm3pLzq\n", n)),
    "env-lines": (".env", lambda n: _repeat(b"DB_PASSWORD=Xk29vQm3pLzq\n", n)),
    "code-assignments": ("app.py", lambda n: _repeat(b'api_key = "Xk29vQm3pLzqXk29vQm3"\n', n)),
}


def _scan(blob: Blob) -> None:
    list(DETECTOR.detect(blob))


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_extraction_work_grows_linearly(name):
    path, make = MAKERS[name]
    _scan(Blob(make(200), Provenance(path)))  # compile on first use, outside the measurement
    small, big = measure(_scan, make(N), path), measure(_scan, make(4 * N), path)
    assert big.calls <= 8 * small.calls + 1000, (small.calls, big.calls)
    for site, cost in big.touched.items():
        assert cost <= 8 * small.touched.get(site, 0) + 8 * 4 * N, (site, small.touched.get(site, 0), cost)
