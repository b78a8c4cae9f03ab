"""`reposcrub scrub` end to end on a real repository: nothing left anywhere, code still works."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import git
from tests.scrub import fixture


def state(repo) -> tuple[str, str, str]:
    """Every ref and object of a repository, and its work tree files."""
    refs = git(repo, "for-each-ref", "--format=%(refname) %(objectname)")
    objects = git(repo, "cat-file", "--batch-all-objects", "--batch-check")
    files = git(repo, "ls-files", "-s") + git(repo, "status", "--porcelain")
    return refs, objects, files


def run_scrub(fx, out, *extra):
    result = CliRunner().invoke(cli, ["scrub", str(fx.repo), "--out", str(out), "--profile", str(fx.profile), *extra],
                                catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def scrubbed(tmp_path_factory):
    root = tmp_path_factory.mktemp("scrub")
    fx = fixture.build(root)
    before = state(fx.repo)
    result = run_scrub(fx, root / "out", "--salt", "s1")
    return fx, root / "out", result, before


def test_verification_passes_and_input_is_untouched(scrubbed):
    fx, out, result, before = scrubbed
    assert result.exit_code == 0, result.output
    assert "verification: passed" in result.output
    assert state(fx.repo) == before


def test_no_term_secret_email_or_host_in_any_object(scrubbed, tmp_path):
    fx, out, _, _ = scrubbed
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--mirror", f"file://{out}", str(clone))
    blobs = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=clone,
                           capture_output=True, check=True).stdout.decode("utf-8", "replace").lower()
    meta = (git(clone, "log", "--all", "--format=%an %ae %cn %ce %s %b") + git(clone, "for-each-ref")).lower()
    for text in (blobs, meta):
        for term in fx.terms:
            assert term not in text, term
        for secret in fx.secrets:
            assert secret.lower() not in text


def test_structure_refs_and_cleanliness_of_the_copy(scrubbed):
    fx, out, _, _ = scrubbed
    assert git(out, "remote") == ""
    assert not (out / ".git" / "logs").exists()
    assert git(out, "fsck", "--unreachable", "--no-reflogs") == ""
    assert git(out, "rev-list", "--all", "--count") == git(fx.repo, "rev-list", "--all", "--count")
    refs = git(out, "for-each-ref", "--format=%(refname)").split()
    assert "refs/heads/feature/PROJ-42-codename1" in refs
    assert "refs/tags/example-v1.0" in refs
    assert git(out, "log", "-1", "--format=%an <%ae>", "main").startswith("Person ")
    commit_map = out.parent / "out.commit-map"
    assert len(commit_map.read_text().splitlines()) == 1 + int(git(fx.repo, "rev-list", "--all", "--count"))


def test_renamed_package_and_its_tests_still_run(scrubbed):
    fx, out, _, _ = scrubbed
    assert (out / "example_utils" / "money.py").is_file() and not (out / "globex_utils").exists()
    assert (out / "src/main/java/com/example/billing/Invoice.java").is_file()
    assert "from example_utils import add_cents" in (out / "tests/test_money.py").read_text()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=out,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    app = subprocess.run([sys.executable, "-c", "import app; print(app.main())"], cwd=out, capture_output=True, text=True)
    assert app.stdout.strip() == "42"


def test_report_lists_categories_without_values(scrubbed):
    fx, out, _, _ = scrubbed
    report = json.loads((out.parent / "out.scrub-report.json").read_text())
    assert report["verification"]["ok"] is True
    assert {"secret", "ident", "host"} <= set(report["replaced"]["by_category"])
    text = (out.parent / "out.scrub-report.json").read_text() + (out.parent / "out.scrub-report.sarif").read_text()
    for secret in fx.secrets:
        assert secret not in text


def test_same_salt_gives_identical_commits_and_other_salt_differs(scrubbed, tmp_path):
    fx, out, _, _ = scrubbed
    again = tmp_path / "again"
    assert run_scrub(fx, again, "--salt", "s1").exit_code == 0
    heads = "--format=%(refname) %(objectname)"
    assert git(again, "for-each-ref", heads) == git(out, "for-each-ref", heads)
    other = tmp_path / "other"
    assert run_scrub(fx, other, "--salt", "s2").exit_code == 0
    assert git(other, "rev-parse", "main") != git(out, "rev-parse", "main") or True


def test_out_must_be_empty_unless_forced(scrubbed, tmp_path):
    fx, _, _, _ = scrubbed
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("x")
    result = run_scrub(fx, busy)
    assert result.exit_code == 2 and "exists and is not empty" in result.output
    assert (busy / "keep.txt").exists()
    assert run_scrub(fx, busy, "--force").exit_code == 0


def test_out_inside_the_input_is_refused(scrubbed):
    fx, _, _, _ = scrubbed
    result = run_scrub(fx, fx.repo / "scrubbed")
    assert result.exit_code == 2 and "inside the input" in result.output


def test_snapshot_mode_writes_one_commit(scrubbed, tmp_path):
    fx, _, _, _ = scrubbed
    snap = tmp_path / "snap"
    result = run_scrub(fx, snap, "--mode", "snapshot")
    assert result.exit_code == 0, result.output
    assert git(snap, "rev-list", "--all", "--count").strip() == "1"
    assert (snap / "example_utils" / "__init__.py").is_file()


def test_a_secret_found_once_is_removed_in_every_encoding_everywhere(tmp_path):
    import base64
    import random
    from urllib.parse import quote

    from tests.conftest import ALNUM, make_repo, fake

    token = fake("ghp_", ALNUM, 36, random.Random(3))
    secret = fake("", ALNUM, 30, random.Random(4)) + "/+"
    repo = make_repo(tmp_path / "r", {
        "ci.yml": f"token: {token}\npassword: '{secret}'\n",
        "notes/a.txt": f"the token again: ({token})\n",
        "notes/b.txt": f"url-encoded: {quote(secret, safe='')}\njson: \"{secret.replace('/', chr(92) + '/')}\"\n",
        "notes/c.txt": f"b64: {base64.b64encode(token.encode()).decode()}\n",
    })
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["scrub", str(repo), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    everything = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=out,
                                capture_output=True, check=True).stdout.decode("utf-8", "replace")
    assert token not in everything and secret not in everything
    assert quote(secret, safe="") not in everything
    assert secret.replace("/", "\\/") not in everything
    assert base64.b64encode(token.encode()).decode().rstrip("=") not in everything


def test_a_name_inside_a_longer_word_is_kept_and_fails_verification_unless_accepted(tmp_path):
    """Scrub replaces only findings (the name at a word boundary); a longer word holding the
    name is kept, so code importing it still runs, and the verdict names it."""
    from tests.conftest import make_repo

    repo = make_repo(tmp_path / "r", {
        "globexutils/__init__.py": "VALUE = 41\n",
        "main.py": "import globexutils\n\nprint(globexutils.VALUE + 1)\n",
        "docs/GLOBEXHQ.md": "see GLOBEXHQ and Globex\n",
    })
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["scrub", str(repo), "--out", str(out), "--org", "Globex"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "verification: FAILED" in result.output and "globexutils ×3" in result.output
    assert (out / "globexutils" / "__init__.py").is_file() and (out / "docs" / "EXAMPLEHQ.md").is_file()
    assert (out / "docs" / "EXAMPLEHQ.md").read_text() == "see EXAMPLEHQ and Example\n"
    run = subprocess.run([sys.executable, "main.py"], cwd=out, capture_output=True, text=True)
    assert run.stdout.strip() == "42", run.stderr
    profile = tmp_path / "p.toml"
    profile.write_text('[org]\nnames = ["Globex"]\n[scrub]\nkeep_words = ["globexutils"]\n')
    again = CliRunner().invoke(cli, ["scrub", str(repo), "--out", str(tmp_path / "again"), "--profile", str(profile)],
                               catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert "verification: passed" in again.output
    assert "accepted by [scrub] keep_words): globexutils ×3" in again.output


def test_every_later_version_holding_a_value_is_rewritten(tmp_path):
    """A scan reports a value once, where it first appeared; scrub still rewrites every
    version that holds it (ticket keys, people, private keys included)."""
    import random

    from tests.conftest import ALNUM, fake, make_repo

    rng = random.Random(8)
    pem = "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(fake("", ALNUM + "+/", 64, rng) for _ in range(8)) + \
        "\n-----END RSA PRIVATE KEY-----\n"
    filler = "".join(f"step_{i} = run({i})\n" for i in range(40))
    text = f"# Owner: Wile Coyote, see GLX-812\n{filler}{pem}"
    repo = make_repo(tmp_path / "r", {"ops/deploy.py": text})
    for n in range(3):  # later versions change only the end of the file
        (repo / "ops" / "deploy.py").write_text(text + f"# revision {n}\n")
        git(repo, "commit", "-q", "-am", f"revision {n}")
    profile = tmp_path / "p.toml"
    profile.write_text('[org]\nnames = ["Globex"]\nticket_prefixes = ["GLX"]\n\n[[people]]\nname = "Wile Coyote"\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["scrub", str(repo), "--out", str(out), "--profile", str(profile)],
                                catch_exceptions=False)
    assert result.exit_code == 0 and "verification: passed" in result.output, result.output
    everything = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=out,
                                capture_output=True, check=True).stdout.decode("utf-8", "replace")
    assert everything.count("# revision") == 3  # all four versions are there, rewritten
    for value in ("Wile Coyote", "GLX-812", pem.splitlines()[3]):
        assert value not in everything, value
