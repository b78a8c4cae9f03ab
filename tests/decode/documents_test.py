"""Documents inside a deliverable, end to end: a Word file, a workbook with a hidden sheet,
a deck with speaker notes, a PDF, a notebook and two pictures, each leaking an org name, a
person, an e-mail, an internal host and a token. Every one is found by a content rule,
and after scrub none is left in any part of any file, and every file still opens."""
from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from reposcrub.pipeline import ScanOptions, scan_target
from tests.conftest import git, make_repo
from tests.decode import documents as D


@pytest.fixture(scope="module")
def deliverable(tmp_path_factory):
    root = tmp_path_factory.mktemp("deliverable")
    p = D.planted()
    repo = make_repo(root / "repo")
    files = D.build(repo, p)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "work products")
    profile = root / "profile.toml"
    profile.write_text(D.PROFILE)
    return repo, profile, p, files


@pytest.fixture(scope="module")
def scrubbed(deliverable, tmp_path_factory):
    repo, profile, p, files = deliverable
    before = git(repo, "cat-file", "--batch-all-objects", "--batch-check") + git(repo, "status", "--porcelain")
    out = tmp_path_factory.mktemp("scrubbed") / "out"
    result = CliRunner().invoke(cli, ["scrub", str(repo), "--out", str(out), "--profile", str(profile)],
                                catch_exceptions=False)
    after = git(repo, "cat-file", "--batch-all-objects", "--batch-check") + git(repo, "status", "--porcelain")
    return out, result, before == after


@pytest.mark.parametrize("path", sorted(D.FILES))
def test_every_planted_value_is_found_by_a_content_rule(deliverable, path):
    repo, profile, p, _ = deliverable
    result = scan_target(str(repo), ScanOptions(profile_file=profile, jobs=1, history=False))
    mine = [f for f in result.findings if f.container == path and f.category != "file"]
    for kind, value in p.values.items():
        assert any(value.lower() in f.value.decode("utf-8", "replace").lower() for f in mine), (path, kind)
    assert all(f.part and f.path == f"{path}!{f.part}" for f in mine)


def test_findings_name_the_part_and_place_in_every_report(deliverable):
    repo, profile, _, _ = deliverable
    run = CliRunner().invoke(cli, ["scan", str(repo), "--profile", str(profile), "--no-history", "--format", "json"])
    doc = json.loads(run.output)
    where = {(f["path"], f["rule_id"]): f for f in doc["findings"]}
    hidden = where[("finance/Costs.xlsx!xl/worksheets/sheet2.xml", "secret/github-pat")]
    assert "cell Keys!B4" in hidden["note"] and "hidden sheet" in hidden["note"]
    assert "speaker notes" in where[("slides/Kickoff.pptx!ppt/notesSlides/notesSlide1.xml", "secret/github-pat")]["note"]
    assert ("docs/Plan.docx!word/header1.xml", "ident/org-name") in where
    assert "tracked change" in where[("docs/Plan.docx!word/document.xml", "host/org-domain")]["note"]
    assert ("img/site.jpg!gps", "pii/gps-position") in where
    sarif = CliRunner().invoke(cli, ["scan", str(repo), "--profile", str(profile), "--no-history", "--format", "sarif"])
    results = json.loads(sarif.output)["runs"][0]["results"]
    # Code scanning shows the file itself; the part and its line are in the message.
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == set(D.FILES)
    assert any("in cell 2, line 1" in r["message"]["text"] for r in results)


def test_scrub_passes_and_leaves_the_input_alone(scrubbed):
    out, result, untouched = scrubbed
    assert result.exit_code == 0, result.output
    assert "verification: passed" in result.output
    assert untouched


@pytest.mark.parametrize("path", sorted(D.FILES))
def test_scrubbed_file_opens_and_holds_no_planted_value(scrubbed, deliverable, path):
    out, _, _ = scrubbed
    p = deliverable[2]
    data = (out / path).read_bytes()
    D.opens(path, data)
    everything = D.everything_in(path, data).lower()
    assert [k for k, v in p.values.items() if v.lower().encode() in everything] == []


def test_no_planted_value_in_any_object_of_the_copy(scrubbed, deliverable):
    out, _, _ = scrubbed
    p = deliverable[2]
    listing = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)"],
                             cwd=out, capture_output=True, check=True, text=True).stdout.split("\n")
    for line in filter(None, listing):
        oid, kind = line.split()
        data = subprocess.run(["git", "cat-file", kind, oid], cwd=out, capture_output=True, check=True).stdout
        everything = D.everything_in("", data).lower()
        assert [k for k, v in p.values.items() if v.lower().encode() in everything] == [], oid


def test_pictures_keep_their_pixels_and_lose_their_metadata(scrubbed, deliverable):
    import io

    from PIL import Image

    out, _, _ = scrubbed
    files = deliverable[3]
    for path in ("img/screen.png", "img/site.jpg"):
        before, after = Image.open(io.BytesIO(files[path])), Image.open(io.BytesIO((out / path).read_bytes()))
        assert before.tobytes() == after.tobytes()
        assert not after.getexif() and not getattr(after, "text", {})


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("path", ["docs/Plan.docx", "finance/Costs.xlsx", "slides/Kickoff.pptx"])
def test_libreoffice_converts_each_scrubbed_office_file(scrubbed, path, tmp_path):
    out, _, _ = scrubbed
    proc = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out / path)],
                          capture_output=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0 and (tmp_path / (path.rsplit("/", 1)[1].rsplit(".", 1)[0] + ".pdf")).is_file(), proc.stderr


def test_a_document_in_history_is_scanned_as_its_version_and_scrubbed(tmp_path):
    import docx

    p = D.planted(11)
    repo = make_repo(tmp_path / "repo", {"Plan.docx": D.word(p)}, message="draft")
    first = git(repo, "rev-parse", "HEAD").strip()
    clean = docx.Document()
    clean.add_paragraph("nothing to see")
    (repo / "Plan.docx").write_bytes(D._save(clean))
    git(repo, "commit", "-qam", "final")
    profile = tmp_path / "p.toml"
    profile.write_text(D.PROFILE)
    result = scan_target(str(repo), ScanOptions(profile_file=profile, jobs=1))
    [token] = [f for f in result.findings if f.rule_id == "secret/github-pat"]
    assert (token.path, token.commit) == ("Plan.docx!word/comments.xml", first)
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["scrub", str(repo), "--out", str(out), "--profile", str(profile)])
    assert run.exit_code == 0 and "verification: passed" in run.output, run.output
    for line in git(out, "rev-list", "--all", "--objects").splitlines():
        oid = line.split()[0]
        if git(out, "cat-file", "-t", oid).strip() == "blob":
            data = subprocess.run(["git", "cat-file", "blob", oid], cwd=out, capture_output=True, check=True).stdout
            assert p.token.encode() not in D.everything_in("", data)
            D.opens("x.docx", data)


def test_an_unchanged_part_of_a_later_version_is_not_reported_again(tmp_path):
    import docx

    p = D.planted(12)
    repo = make_repo(tmp_path / "repo", {"Plan.docx": D.word(p)}, message="draft")
    first = git(repo, "rev-parse", "HEAD").strip()
    d = docx.Document(str(repo / "Plan.docx"))
    d.add_paragraph(f"Also ask {D.EMAIL.replace('peter', 'samir')}")
    d.save(str(repo / "Plan.docx"))
    git(repo, "commit", "-qam", "more")
    second = git(repo, "rev-parse", "HEAD").strip()
    profile = tmp_path / "p.toml"
    profile.write_text(D.PROFILE)
    found = scan_target(str(repo), ScanOptions(profile_file=profile, jobs=1)).findings
    # The work tree's file is reported as it is (commit None); in history, the token is
    # reported once, where it came in: the comments part did not change after.
    assert sorted(str(f.commit) for f in found if f.rule_id == "secret/github-pat") == sorted(["None", first])
    repo_copy = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(repo_copy))
    found = scan_target(str(repo_copy), ScanOptions(profile_file=profile, jobs=1)).findings
    assert [f.commit for f in found if f.rule_id == "secret/github-pat"] == [first]
    assert {f.commit for f in found if f.part == "word/document.xml" and b"samir" in f.value} == {second}


def test_the_literal_sweep_of_a_copy_looks_inside_documents(deliverable, tmp_path):
    """Verification's sweep is independent of the detectors, and a zip's deflated bytes
    would hide a name from a byte search: the sweep reads documents' parts too."""
    from reposcrub.profile import Profile
    from reposcrub.scrub.sweep import Sweeper, sweep_repository
    from reposcrub.scrub.terms import sweep_terms

    _, _, p, files = deliverable
    repo = make_repo(tmp_path / "r", {"blob-without-a-name": files["finance/Costs.xlsx"]})
    assert D.ORG.encode() not in files["finance/Costs.xlsx"]  # deflated: invisible to a byte search
    result = sweep_repository(repo, Sweeper(sweep_terms(Profile(names=(D.ORG,)), [], []), ()))
    assert result.leak_count >= 1
