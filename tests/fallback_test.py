"""scan and scrub without a profile use what the repository says about itself (ticket keys
recurring in its history, people named beside e-mail addresses) and say so."""
from __future__ import annotations

import json

from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import git, make_repo, write_files


def repo_with_habits(tmp_path):
    repo = make_repo(tmp_path / "r", {"app.py": "print('hi')\n"}, message="GLX-12 start the app")
    write_files(repo, {"notes.md": "Ask Marge Bouvier about GLX-99.\n",
                       "AUTHORS": "Marge Bouvier <marge@globex.com>\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "GLX-14 notes\n\nCo-authored-by: Homer Jay Simpson <homer@globex.com>\n")
    git(repo, "branch", "feature/GLX-15-more")
    git(repo, "commit", "-q", "--allow-empty", "-m", "Bump to UTF-8 and ISO-8859")
    return repo


def findings(output: str) -> set[tuple[str, str]]:
    doc = json.loads(output)
    return {(f["rule_id"], f["location"]) for f in doc["findings"]}, doc["notes"]


def test_scan_without_profile_uses_recurring_tickets_and_named_people_and_says_so(tmp_path):
    repo = repo_with_habits(tmp_path)
    result = CliRunner().invoke(cli, ["scan", str(repo), "--format", "json"])
    found, notes = findings(result.output)
    assert {("ident/ticket-key", "file"), ("ident/ticket-key", "message"), ("ident/ticket-key", "ref"),
            ("pii/person-name", "file"), ("pii/person-name", "message")} <= found
    note = next(n for n in notes if "no organisation profile" in n)
    assert "ticket prefixes GLX recurring" in note and "3 people" in note  # Test Author, Marge, Homer
    assert "UTF" not in note and "ISO" not in note


def test_a_profile_given_is_used_alone(tmp_path):
    repo = repo_with_habits(tmp_path)
    write_files(tmp_path, {"p.toml": '[org]\nnames = ["Globex"]\n'})
    result = CliRunner().invoke(cli, ["scan", str(repo), "--format", "json", "--profile", str(tmp_path / "p.toml")])
    found, notes = findings(result.output)
    assert ("ident/ticket-key", "file") not in found
    assert not any("no organisation profile" in n for n in notes)


def test_one_key_is_not_a_habit(tmp_path):
    repo = make_repo(tmp_path / "r", {"a.txt": "see XYZ-1\n"}, message="XYZ-1 once")
    result = CliRunner().invoke(cli, ["scan", str(repo), "--format", "json"])
    found, notes = findings(result.output)
    assert not any(rule == "ident/ticket-key" for rule, _ in found)
    assert any("no ticket prefix recurring in its history" in n for n in notes)


def test_scrub_without_profile_replaces_them_and_prints_the_note(tmp_path):
    repo = repo_with_habits(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["scrub", str(repo), "--out", str(out)])
    assert "note: no organisation profile was given" in result.output, result.output
    history = git(out, "log", "--all", "--format=%B") + git(out, "for-each-ref")
    assert "GLX-" not in history and "GLX-" not in git(out, "show", "HEAD:notes.md")
    assert "Marge Bouvier" not in git(out, "show", "HEAD:notes.md")
