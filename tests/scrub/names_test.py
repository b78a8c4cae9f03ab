"""Names as whole phrases, people's handles, and how the sweep judges a hit."""
from __future__ import annotations

import pytest

from reposcrub.people import handles, identity_people
from reposcrub.profile import Person, Profile
from reposcrub.scrub.names import NameTable
from reposcrub.scrub.sweep import Sweeper
from reposcrub.scrub.terms import sweep_terms

TABLE = NameTable(Profile(names=("Acme", "AcmeAPI", "Globex Corporation"), codenames=("Data Streams Core",)))


@pytest.mark.parametrize("value,expected", [
    ("AcmeAPI", "ExampleAPI"), ("acme_api", "example_api"), ("ACME", "EXAMPLE"), ("AcMe", "Example"),
    ("Globex Corporation", "Sample Corporation"), ("GLOBEX_CORPORATION", "SAMPLE_CORPORATION"),
    ("Data Streams Core", "Codename1"), ("data-streams-core", "codename1"), ("DataStreamsCore", "Codename1"),
])
def test_a_name_is_replaced_whole_in_its_own_style(value, expected):
    assert TABLE.replacement(value) == expected


def test_substitute_keeps_names_inside_longer_words():
    assert TABLE.substitute("acmetric getAcmeToken data streams") == "acmetric getExampleToken data streams"


def test_handles_of_a_person():
    assert handles(["Jane Doe", "jdoe42"], ["jane.doe@acme.example", "1234+janed@users.noreply.github.com"]) == \
        ("janedoe", "jdoe", "jdoe42", "jane.doe", "janed")
    assert handles(["mark"], ["mark@mail.example"]) == ()  # no full name: an ordinary word is no handle
    assert identity_people([("(no author)", "(no author)@8807a2d2")]) == []


def _sweep(text: bytes, profile: Profile, keep: tuple[str, ...] = ()):
    sweeper = Sweeper(sweep_terms(profile, [], []), keep)
    sweeper.sweep(text, "file x")
    return sweeper.result


def test_sweep_judges_boundaries_longer_words_and_people():
    profile = Profile(names=("Meta",), people=(Person("Chris Doe", ("chris.doe@mail.example",)),))
    r = _sweep(b"importlib.metadata MetaClient christmas chris_doe SHOP_NAME.meta.example", profile, ("metadata",))
    assert r.leak_count == 3  # MetaClient, chris_doe, .meta.
    assert r.accepted == {"metadata": 1} and not r.inside
    assert _sweep(b"metadata", profile).inside == {"metadata": 1}


def test_a_large_object_is_swept_in_windows_without_missing_a_term_at_an_edge(tmp_path, monkeypatch):
    from reposcrub.scrub import sweep
    from tests.conftest import git, make_repo

    monkeypatch.setattr(sweep, "LARGE", 1000)
    monkeypatch.setattr(sweep, "_WINDOW", 64)
    text = "".join(f"line {i:04d} " + ("Globex " if i % 7 == 0 else "filler ") for i in range(300))
    repo = make_repo(tmp_path / "r", {"big.txt": text})
    result = sweep.sweep_repository(repo, Sweeper(sweep_terms(Profile(names=("Globex",)), [], []), ()))
    assert result.leak_count == text.count("Globex") == 43
    assert result.leaks[0][1].startswith("file big.txt")
    assert git(repo, "status", "--porcelain") == ""
