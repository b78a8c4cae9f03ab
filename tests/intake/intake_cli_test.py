"""intake through its command line: scrub, reruns after a change, retries, interruption,
the dashboard, and one-line errors."""
from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import git
from tests.intake.batch import archive_of, broken_repo, clean_repo, leaky_repo, silent_git_server
from tests.intake.batch_test import intake, rows


def test_scrub_then_a_rerun_takes_in_only_what_changed_or_failed(tmp_path, rng):
    clean = clean_repo(tmp_path / "clean", 1)
    leaky, secrets = leaky_repo(tmp_path / "leaky", rng)
    broken = broken_repo(tmp_path / "broken")
    archive = archive_of(leaky, tmp_path / "leaky.tar.gz")
    manifest = tmp_path / "m.txt"
    manifest.write_text(f"{clean}\n{leaky}\n{broken}\n{archive}\n")
    store, out = tmp_path / "store", tmp_path / "out"
    first = intake(str(manifest), "--store", str(store), "--workers", "2", "--scrub", str(out), tmp=tmp_path)
    assert first.returncode == 1, first.stderr
    got = rows(store)
    assert got[str(leaky)]["verdict"] == "findings" and got[str(leaky)]["scrub_verified"] == 1
    copy = Path(got[str(leaky)]["scrub_out"])
    assert copy.parent == out and (copy / "config.py").is_file()
    history = git(copy, "log", "--all", "-p")
    assert not [s for s in secrets if s in history or s in (copy / "config.py").read_text()]
    assert got[str(broken)]["verdict"] == "error" and got[str(broken)]["scrub_out"] is None
    assert got[str(archive)]["verdict"] == "findings"  # whether or not scrub takes archives
    assert got[str(archive)]["scrub_verified"] == 1 or got[str(archive)]["scrub_reason"]

    (clean / "notes.txt").write_text("more\n")
    git(clean, "add", "-A")
    git(clean, "commit", "-q", "-m", "more")
    again = intake(str(manifest), "--store", str(store), "--workers", "2", "--scrub", str(out), "--retry-errors",
                   tmp=tmp_path)
    assert "2 taken in now, 2 unchanged since the last run" in again.stdout, again.stderr
    assert rows(store)[str(clean)]["finished_at"] >= got[str(clean)]["finished_at"]
    assert rows(store)[str(leaky)]["finished_at"] == got[str(leaky)]["finished_at"]


def test_an_interrupted_batch_leaves_a_consistent_store_and_resumes(tmp_path):
    clean = clean_repo(tmp_path / "clean", 1)
    store = tmp_path / "store"
    with silent_git_server() as url:
        manifest = tmp_path / "m.jsonl"
        manifest.write_text(json.dumps({"id": "hangs", "target": url}) + "\n"
                            + json.dumps({"id": "clean", "target": str(clean)}) + "\n")
        env = {**os.environ, "TMPDIR": str(tmp_path)}
        proc = subprocess.Popen([str(Path(sys.executable).parent / "reposcrub"), "intake", str(manifest), "--store",
                                 str(store), "--workers", "2", "--timeout", "120"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "clean" not in _ids(store):
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    with sqlite3.connect(store / "intake.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT interrupted FROM runs").fetchall() == [(1,)]
        assert db.execute("SELECT id, verdict FROM submissions").fetchall() == [("clean", "clean")]
    time.sleep(1)
    assert not list(tmp_path.glob("reposcrub-intake-*")) or _sweeps(tmp_path, clean)


def _ids(store: Path) -> set[str]:
    try:
        with sqlite3.connect(store / "intake.sqlite") as db:
            return {r[0] for r in db.execute("SELECT id FROM submissions")}
    except sqlite3.Error:
        return set()


def _sweeps(tmp_path: Path, clean: Path) -> bool:
    """The folder an interrupted submission left is removed by the next batch on that machine."""
    manifest = tmp_path / "again.txt"
    manifest.write_text(f"{clean}\n")
    intake(str(manifest), "--store", str(tmp_path / "store2"), "--workers", "1", tmp=tmp_path)
    return not list(tmp_path.glob("reposcrub-intake-*"))


def test_the_dashboard_is_one_self_contained_page_that_escapes_what_it_shows(tmp_path):
    hostile = clean_repo(tmp_path / "x", 1)
    manifest = tmp_path / "m.csv"
    password = "pw-" + "q" * 12
    manifest.write_text(f'id,target\n"<script>alert(1)</script>",{hostile}\nmissing,{tmp_path / "nope"}\n'
                        f'remote,https://someone:{password}@127.0.0.1:9/x.git\n')
    store = tmp_path / "store"
    intake(str(manifest), "--store", str(store), "--workers", "1", tmp=tmp_path)
    remote = rows(store)["remote"]
    assert remote["verdict"] == "error" and remote["target"] == "https://127.0.0.1:9/x.git"
    assert password not in (store / "intake.sqlite").read_bytes().decode("latin-1")
    result = CliRunner().invoke(cli, ["intake", "report", "--store", str(store)])
    assert result.exit_code == 0, result.output
    page = (store / "dashboard.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "does not exist" in page and "reports/" in page
    # Nothing to fetch: no external resources, only links to the store's own reports.
    assert not re.search(r"""(?:src|href)=['"]?(?:https?:|//)|<link|@import|url\(""", page)


def test_errors_are_one_line(tmp_path):
    runner = CliRunner()
    nostore = runner.invoke(cli, ["intake", "report", "--store", str(tmp_path)])
    assert nostore.exit_code == 2 and "no intake store" in nostore.output
    (tmp_path / "m.txt").write_text(f"{tmp_path}\n")
    unreachable = runner.invoke(cli, ["intake", str(tmp_path / "m.txt"), "--store", str(tmp_path / "s"),
                                      "--scheduler", "tcp://127.0.0.1:9"])
    assert unreachable.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in unreachable.output
    assert len(unreachable.output.strip().splitlines()) == 1
