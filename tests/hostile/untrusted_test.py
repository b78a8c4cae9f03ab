"""A submission that ships its own suppressions (issue 12, item 8): in untrusted mode its
.reposcrubignore, inline allows, .reposcrub.toml and baseline are reported, not obeyed;
and scrub never keeps a secret because of a suppression without its verdict saying so."""
from __future__ import annotations

import json
import random

import pytest

from reposcrub.findings import fingerprint
from tests.conftest import ALNUM, UPPER_B32, fake, make_repo
from tests.hostile.gitattack import AWS, invoke

RNG = random.Random(31)
KEYS = {name: fake("AKIA", UPPER_B32, 16, RNG) for name in ("ignored", "allowed", "baselined", "gitignored")}
GITHUB = fake("ghp_", ALNUM, 36, RNG)


@pytest.fixture
def hiding(tmp_path):
    """Every key in it is hidden by something the submission itself ships."""
    baseline = {"version": 1, "accepted": [{"fingerprint": fingerprint(AWS, "old.py", KEYS["baselined"].encode())}]}
    return make_repo(tmp_path / "submission", {
        ".reposcrubignore": "fixtures/\n",
        ".gitignore": "local.env\n",  # untracked and ignored, yet on disk: an archive ships it
        "local.env": f"AWS_ACCESS_KEY_ID={KEYS['gitignored']}\n",
        "fixtures/keys.py": f"KEY = '{KEYS['ignored']}'\n",
        "app.py": f"KEY = '{KEYS['allowed']}'  # reposcrub: allow\n",
        "old.py": f"KEY = '{KEYS['baselined']}'\n",
        "gh.py": f"TOKEN = '{GITHUB}'\n",
        ".reposcrub.toml": '[rules]\ndisable = ["secret/github-pat", "secret/generic-token"]\nseverity = {"secret/aws-access-key-id" = "info"}\n',
        ".reposcrub-baseline.json": json.dumps(baseline),
    })


def test_trusted_scan_obeys_the_repository_own_settings(hiding):
    """What the mode is for: by default a repository's own settings are its owner's."""
    result = invoke("scan", str(hiding), "--format", "json")
    assert result.exit_code == 0, result.output


def test_untrusted_scan_reports_what_the_submission_hides(hiding):
    result = invoke("scan", str(hiding), "--untrusted", "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.output)
    shown = {f["path"]: f for f in doc["findings"] if f["category"] == "secret" and f["location"] == "file"}
    assert set(shown) >= {"fixtures/keys.py", "app.py", "old.py", "gh.py", "local.env"}
    assert all(f["severity"] in ("high", "critical") for f in shown.values())
    assert "reposcrub: allow" in shown["app.py"]["note"] and ".reposcrubignore" in shown["fixtures/keys.py"]["note"]
    assert "baseline" in shown["old.py"]["note"] and "profile" in shown["gh.py"]["note"]
    [said] = [n for n in doc["notes"] if n.startswith("untrusted:")]
    for name in (".reposcrubignore", ".reposcrub-baseline.json", ".reposcrub.toml", "inline"):
        assert name in said


def test_trusted_scrub_never_passes_with_a_suppressed_secret_left(hiding, tmp_path):
    result = invoke("scrub", str(hiding), "--out", str(tmp_path / "copy"))
    assert result.exit_code == 1, result.output
    assert "verification: FAILED" in result.output and "verification: passed" not in result.output
    # Each secret left says which suppression kept it.
    for suppression in ("inline allow", "ignore file", "baseline", "profile"):
        assert f"input's own {suppression}" in result.output, suppression


def test_untrusted_scrub_removes_every_secret(hiding, tmp_path):
    result = invoke("scrub", str(hiding), "--out", str(tmp_path / "copy"), "--untrusted")
    assert result.exit_code == 0, result.output
    assert "verification: passed" in result.output
    copied = b"".join(p.read_bytes() for p in (tmp_path / "copy").rglob("*") if p.is_file())
    for secret in (*KEYS.values(), GITHUB):
        assert secret.encode() not in copied
