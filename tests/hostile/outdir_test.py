"""scrub --out deletes and writes nothing it should not (issue 12, items 7 and 20): never the
input or what holds it, never through a link, --force only over an earlier copy of its
own; a run killed with SIGKILL leaves a copy marked unfinished, and its working directory
(the unscrubbed history) is removed by the next run."""
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from tests.conftest import ROOT, git, make_repo, write_files
from tests.hostile.gitattack import KEY, invoke, keys_found, leaky_repo, marker_program, scan_json, snapshot
from tests.hostile.helpers import DEADLINE, PYTHON, make_history


def test_out_holding_the_input_is_refused_even_with_force(tmp_path):
    parent = tmp_path / "work"
    repo = leaky_repo(parent / "repo")
    write_files(parent, {"sibling/notes.txt": "not the input's\n"})
    before = snapshot(parent)
    result = invoke("scrub", str(repo), "--out", str(parent), "--force")
    assert result.exit_code == 2 and "contains the input" in result.output
    assert snapshot(parent) == before


def test_url_whose_path_is_out_is_refused(tmp_path):
    bare = tmp_path / "src.git"
    git(tmp_path, "clone", "-q", "--bare", str(leaky_repo(tmp_path / "repo")), str(bare))
    before = snapshot(bare)
    result = invoke("scrub", bare.as_uri(), "--out", str(bare), "--force")
    assert result.exit_code == 2, result.output
    assert snapshot(bare) == before


@pytest.mark.parametrize("content", ["full", "empty"])
def test_out_that_is_a_link_is_refused(tmp_path, content):
    repo = leaky_repo(tmp_path / "repo")
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    if content == "full":
        (folder / "keep.txt").write_text("keep\n")
    link = tmp_path / "copy"
    link.symlink_to(folder)
    before = snapshot(folder)
    for extra in ((), ("--force",)):
        result = invoke("scrub", str(repo), "--out", str(link), *extra)
        assert result.exit_code == 2 and "symbolic link" in result.output, result.output
    assert snapshot(folder) == before and link.is_symlink()


def test_files_beside_out_are_never_written_through_links(tmp_path):
    repo = leaky_repo(tmp_path / "repo")
    victims = {}
    for suffix in ("commit-map", "scrub-report.json", "scrub-report.sarif"):
        victim = tmp_path / f"victim-{suffix}"
        victim.write_text("precious\n")
        (tmp_path / f"copy.{suffix}").symlink_to(victim)
        victims[suffix] = victim
    result = invoke("scrub", str(repo), "--out", str(tmp_path / "copy"))
    assert result.exit_code == 0, result.output
    for suffix, victim in victims.items():
        assert victim.read_text() == "precious\n"
        written = tmp_path / f"copy.{suffix}"
        assert not written.is_symlink() and written.stat().st_size > 0
    assert (tmp_path / "copy.commit-map").read_text().startswith("old new\n")


def test_killed_scrub_leaves_an_unfinished_copy_and_the_next_run_cleans_up(tmp_path):
    source = make_history(tmp_path / "source", commits=40)
    out = tmp_path / "out"

    def work() -> list:
        return list(tmp_path.glob(".out.reposcrub-work-*"))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([PYTHON, "-m", "reposcrub", "scrub", str(source), "--out", str(out)], env=env, cwd=ROOT,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    try:
        while not any((w / "mirror.git").exists() for w in work()):  # the unscrubbed history is on disk
            assert proc.poll() is None, "finished before the rewrite started"
            assert time.monotonic() - started < DEADLINE, "the rewrite never started"
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert work(), "a killed run cannot clean up: its working directory is still there"
    assert (out / "REPOSCRUB-UNFINISHED").is_file()
    result = invoke("scrub", str(source), "--out", str(out))  # no --force needed over an unfinished copy
    assert result.exit_code == 0, result.output
    assert not work() and not (out / "REPOSCRUB-UNFINISHED").exists()
    assert not list(tmp_path.glob("*reposcrub-scrub-*"))


def test_gitmodules_with_a_command_is_reported_and_the_scan_goes_on(tmp_path):
    program, marker = marker_program(tmp_path / "attacker")
    repo = make_repo(tmp_path / "repo", {"a.py": f"K = '{KEY}'\n", ".gitmodules":
                     f'[submodule "lib"]\n\tpath = lib\n\turl = ./lib\n\tupdate = !{program}\n'})
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},lib")
    git(repo, "commit", "-q", "-m", "add a submodule")
    doc = scan_json(str(repo))
    assert keys_found(doc) and any("submodule at lib" in n for n in doc["notes"])
    result = invoke("scrub", str(repo), "--out", str(tmp_path / "copy"))
    assert result.exit_code == 0, result.output
    assert not marker.exists()
