"""TermSet: every term in one pass, the same answer with hyperscan as with one RE2 search per term."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reposcrub.detectors import termset
from reposcrub.detectors.termset import TermSet

WORDS = ["jane", "doe", "acme", "corp", "ann", "annex", "j"]


def _name(words: list[str]) -> bytes:
    return r"[\s_.-]?".join(re.escape(w) for w in words).encode()


def _fallback(patterns, data, windows=None, monkeypatch=None):
    monkeypatch.setattr(termset, "HAVE_HYPERSCAN", False)
    try:
        return TermSet(patterns).matches(data, windows)
    finally:
        monkeypatch.undo()


PATTERNS = [_name(["jane", "doe"]), _name(["acme", "corp"]), _name(["acme"]), re.escape("jane@acme.example").encode(),
            _name(["ann"]), _name(["annex"]), b"doe", b"corp", b"x1"]


def test_finds_every_term_with_its_index(tmp_path):
    data = b"Jane Doe <jane@acme.example> works at ACME_CORP; AcmeCorp too.\n"
    found = {(data[s:e], i) for s, e, i in TermSet(PATTERNS, tmp_path).matches(data)}
    assert (b"Jane Doe", 0) in found
    assert (b"ACME_CORP", 1) in found and (b"AcmeCorp", 1) in found
    assert (b"jane@acme.example", 3) in found
    assert (b"ACME", 2) in found


def test_windows_limit_where_it_looks(tmp_path):
    data = b"acme corp\nnothing here\nacme\n"
    ts = TermSet(PATTERNS, tmp_path)
    in_window = ts.matches(data, ((10, 23),))
    assert in_window == []
    assert {(s, e) for s, e, _ in ts.matches(data, ((23, 28),))} == {(23, 27)}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS + [" ", "_", "-", ".", "\n", "Acme", "DOE", "x1"]), max_size=40))
def test_hyperscan_and_one_by_one_agree(pieces):
    data = "".join(pieces).encode()
    fast = TermSet(PATTERNS).matches(data)
    mp = pytest.MonkeyPatch()
    slow = _fallback(PATTERNS, data, monkeypatch=mp)
    assert fast == slow


def test_compiled_database_is_cached_and_the_cache_stays_small(tmp_path, monkeypatch):
    if not termset.HAVE_HYPERSCAN:
        pytest.skip("hyperscan is not installed on this platform")
    monkeypatch.setattr(termset, "CACHE_FILES", 3)
    for n in range(5):
        TermSet(PATTERNS + [f"term{n}".encode()], tmp_path).matches(b"jane doe")
    assert len(list(tmp_path.glob("terms-*.hsdb"))) == 3
    again = TermSet(PATTERNS + [b"term4"], tmp_path)
    assert again.matches(b"term4 and jane doe") == TermSet(PATTERNS + [b"term4"]).matches(b"term4 and jane doe")


def test_a_corrupt_cache_file_is_compiled_again(tmp_path):
    if not termset.HAVE_HYPERSCAN:
        pytest.skip("hyperscan is not installed on this platform")
    TermSet(PATTERNS, tmp_path).matches(b"jane doe")
    for path in tmp_path.glob("terms-*.hsdb"):
        path.write_bytes(b"not a database")
    assert TermSet(PATTERNS, tmp_path).matches(b"jane doe")[0][:2] == (0, 8)


def test_an_unwritable_cache_is_no_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert TermSet(PATTERNS, blocker / "cache").matches(b"acme corp")
