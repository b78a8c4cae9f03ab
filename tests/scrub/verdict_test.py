"""The verdict can say FAILED: a literal sweep and a tree comparison independent of the
detectors; and every ref kind survives a scrub (issue 12, items 14, 18, 19)."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from reposcrub.profile import Person, Profile
from reposcrub.scrub.sweep import Sweeper, sweep_repository
from reposcrub.scrub.terms import sweep_terms
from tests.conftest import git, make_repo
from tests.scrub.trust_test import JANE, commit, everything, files_at, scrub


def _planted(out: Path, tmp: Path, files: dict[str, str], message: str) -> Path:
    """A clone of the copy with one more commit: what a leak would look like."""
    clone = tmp / "planted"
    git(tmp, "clone", "-q", str(out), str(clone))
    commit(clone, message, files)
    return clone


def test_the_sweep_finds_a_planted_term_wherever_it_is(tmp_path):
    repo = make_repo(tmp_path / "r", {"a.py": "X = 'Globex'\n"})
    out = tmp_path / "out"
    assert scrub(repo, out, "--org", "Globex").exit_code == 0
    profile = Profile(names=("Globex",), people=(Person("Jane Doe", ("jane.doe@acme.com",)),))
    planted = _planted(out, tmp_path, {"docs/notes.md": "ask janedoe42 about it\n"}, "fix GlobexClient")
    result = sweep_repository(planted, Sweeper(sweep_terms(profile, [], []), ()))
    assert result.leak_count == 2
    assert ('person "Jane Doe"', "file docs/notes.md (blob " + git(planted, "rev-parse", "HEAD:docs/notes.md")[:10] + ")") \
        in result.leaks
    assert any(label == 'org name "Globex"' and where.startswith("commit ") for label, where in result.leaks)


def test_a_term_scrub_cannot_see_fails_the_verification(tmp_path):
    """The detectors skip a file the repository's ignore file names; the sweep does not, so
    the verdict fails. (A binary no longer hides a term: its printable runs are scanned.)"""
    repo = make_repo(tmp_path / "r", {"a.py": "X = 1\n", ".reposcrubignore": "vendor/\n",
                                      "vendor/blob.txt": "built by Globex\n"})
    out = tmp_path / "out"
    result = scrub(repo, out, "--org", "Globex")
    assert result.exit_code == 1, result.output
    assert 'leak: org name "Globex" in file vendor/blob.txt' in result.output
    assert "verification: FAILED (1 leaks" in result.output
    report = json.loads((tmp_path / "out.scrub-report.json").read_text())
    assert report["verification"]["ok"] is False and report["verification"]["leaks"]["count"] == 1


def test_verify_cmd_runs_in_both_checkouts_side_by_side(tmp_path):
    test = "import acme_lib\n\ndef test_it():\n    assert acme_lib.VALUE == 42\n"
    repo = make_repo(tmp_path / "r", {"acme_lib/__init__.py": "VALUE = 42\n", "test_it.py": test})
    out = tmp_path / "out"
    cmd = f"{sys.executable} -m pytest -q -p no:cacheprovider"
    result = scrub(repo, out, "--org", "Acme", "--verify-cmd", cmd)
    assert result.exit_code == 0, result.output
    assert "verify-cmd on the input: exit 0: 1 passed" in result.output
    assert "verify-cmd on the copy: exit 0: 1 passed" in result.output


def test_notes_are_scrubbed_and_follow_their_rewritten_commits(tmp_path):
    """12.14, 12.19: notes rewritten, attached to the new commit ids, ref renamed."""
    repo = make_repo(tmp_path / "r", {"a.txt": "Acme\n"})
    commit(repo, "by Jane", {"b.txt": "b\n"}, env=JANE)
    git(repo, "notes", "add", "-m", "reviewed by Jane Doe for Acme", "HEAD")
    git(repo, "notes", "--ref", "acme-review", "add", "-m", "ok", "HEAD")
    out = tmp_path / "out"
    result = scrub(repo, out, "--org", "Acme")
    assert result.exit_code == 0, result.output
    person = git(out, "log", "-1", "--format=%an", "main")
    assert git(out, "notes", "show", "main").strip() == f"reviewed by {person.strip()} for Example"
    assert git(out, "notes", "--ref", "example-review", "show", "main").strip() == "ok"
    assert "acme" not in everything(out).lower()
    assert "2 note(s) in 2 notes ref(s) follow their rewritten commits" in result.output


def test_every_ref_kind_survives_and_lost_signatures_are_listed(tmp_path):
    """12.19: remote-tracking refs are kept (renamed), a forged signature is reported lost."""
    repo = make_repo(tmp_path / "r", {"a.txt": "x\n"})
    commit(repo, "second", {"b.txt": "y\n"})
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD~1")
    git(repo, "update-ref", "refs/remotes/acme-fork/feature", "HEAD")
    raw = git(repo, "cat-file", "commit", "HEAD")
    head, _, body = raw.partition("\n\n")
    signed = head + "\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n AAAA\n -----END PGP SIGNATURE-----\n\nsigned " + body
    oid = _write_object(repo, signed)
    git(repo, "update-ref", "refs/heads/signed", oid)
    out = tmp_path / "out"
    result = scrub(repo, out, "--org", "Acme")
    assert result.exit_code == 0, result.output
    refs = set(git(out, "for-each-ref", "--format=%(refname)").split())
    assert {"refs/remotes/origin/main", "refs/remotes/example-fork/feature", "refs/heads/main", "refs/heads/signed"} <= refs
    assert git(out, "rev-parse", "refs/remotes/origin/main") == git(out, "rev-parse", "main~1")
    assert "signatures not kept: 1 signed commit(s) and 0 signed tag(s)" in result.output


def _write_object(repo: Path, text: str) -> str:
    import subprocess

    return subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=repo, input=text.encode(),
                          capture_output=True, check=True).stdout.decode().strip()


def test_scrubbing_a_scrubbed_copy_changes_nothing(tmp_path):
    """12.18: replacement values are never findings; a second scrub keeps every commit id."""
    from tests.conftest import ALNUM, fake

    key = fake("AKIA", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    repo = make_repo(tmp_path / "r", {"conf.py": f"KEY = '{key}'\nHOST = 'db1.acme.internal'\nIP = '10.1.2.3'\n"
                                                 "# Jane Doe <jane.doe@acme.com>\n", "pw.txt": f"password={fake('', ALNUM, 20)}\n"})
    commit(repo, "work by Jane Doe", {"b.txt": "Acme\n"}, env=JANE)
    out, again = tmp_path / "out", tmp_path / "again"
    assert scrub(repo, out, "--org", "Acme", "--domain", "acme.com").exit_code == 0
    second = scrub(out, again, "--org", "Acme", "--domain", "acme.com")
    assert second.exit_code == 0, second.output
    refs = "--format=%(refname) %(objectname)"
    assert git(again, "for-each-ref", refs) == git(out, "for-each-ref", refs)
    assert "replaced nothing" in second.output
    shutil.rmtree(again)
    assert files_at(out, "main") == files_at(repo, "main")


def test_a_folder_copy_is_swept_too(tmp_path):
    folder = tmp_path / "in"
    (folder / "globex_utils").mkdir(parents=True)
    (folder / "app.py").write_text("import globex_utils\n# Globex\n")
    (folder / "globex_utils" / "__init__.py").write_text("X = 1\n")
    (folder / "logo.bin").write_bytes(b"\x00\x01 by Globex \x00")  # a binary that holds a name: removed
    (folder / "notes.txt").write_text("see superglobexsystem\n")  # inside a longer word: no finding, but swept
    result = scrub(folder, tmp_path / "out", "--org", "Globex")
    assert result.exit_code == 1, result.output
    assert "inside longer words" in result.output and "superglobexsystem" in result.output
    assert not (tmp_path / "out" / "logo.bin").exists()
    assert (tmp_path / "out" / "app.py").read_text() == "import example_utils\n# Example\n"
