"""Manifests: text, CSV and JSON Lines; relative paths against the manifest; one-line errors."""
from __future__ import annotations

import pytest

from reposcrub.errors import ReposcrubError
from reposcrub.intake.manifest import Submission, read_manifest


def test_text_csv_and_jsonl_manifests(tmp_path):
    (tmp_path / "a.txt").write_text("# submissions\nrepos/one\n\nhttps://user:pw@git.example.com/two.git\n")
    (tmp_path / "b.csv").write_text("id,target,profile\nalice,alice.zip,profiles/acme.toml\nbob,/srv/bob,\n")
    (tmp_path / "c.jsonl").write_text('{"id": "carol", "target": "carol.tar.gz"}\n\n{"target": "dave"}\n')
    assert read_manifest(tmp_path / "a.txt") == [
        Submission("repos/one", str(tmp_path / "repos/one")),
        Submission("https://git.example.com/two.git", "https://user:pw@git.example.com/two.git"),
    ]
    assert read_manifest(tmp_path / "b.csv") == [
        Submission("alice", str(tmp_path / "alice.zip"), str(tmp_path / "profiles/acme.toml")),
        Submission("bob", "/srv/bob"),
    ]
    assert [s.id for s in read_manifest(tmp_path / "c.jsonl")] == ["carol", "dave"]
    assert read_manifest(tmp_path / "a.txt")[1].shown_target == "https://git.example.com/two.git"


@pytest.mark.parametrize(("name", "text", "message"), [
    ("m.csv", "id,path\na,b\n", "needs a 'target' column"),
    ("m.csv", "id,target,owner\na,b,c\n", "m.csv:1: unknown field(s) owner"),
    ("m.jsonl", '{"id": "a", "target": "x"}\n{"id": "a", "target": "y"}\n', "m.jsonl:2: id 'a' repeats line 1"),
    ("m.jsonl", '{"id": "a", "target": "x"}\nnot json\n', "m.jsonl:2: not JSON"),
    ("m.jsonl", '{"id": "a"}\n', "m.jsonl:1: no target"),
    ("m.txt", "# nothing\n", "lists no submissions"),
])
def test_bad_manifests_are_one_line_errors_naming_the_line(tmp_path, name, text, message):
    (tmp_path / name).write_text(text)
    with pytest.raises(ReposcrubError) as caught:
        read_manifest(tmp_path / name)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
