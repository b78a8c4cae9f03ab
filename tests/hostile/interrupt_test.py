"""Ctrl-C leaves nothing behind: no partial output repository, no temporary clone or
extraction. The whole process group gets SIGINT, as a terminal sends it (git children
and scan workers too), at the moment a stage has visibly started."""
from __future__ import annotations

import os
import signal
import subprocess
import tarfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, write_files
from tests.hostile.helpers import DEADLINE, PYTHON, fake_tokens, make_history


def _leftovers(tmpdir: Path) -> list[str]:
    return sorted(p.name for p in tmpdir.iterdir() if p.name.startswith("reposcrub-"))


def interrupt(command: list[str], tmpdir: Path, ready: Callable[[], bool]) -> subprocess.CompletedProcess[str]:
    """Run command with TMPDIR=tmpdir, send SIGINT to its process group once ready()."""
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
    started = time.monotonic()
    try:
        while not ready():
            if proc.poll() is not None:
                _, err = proc.communicate()
                pytest.fail(f"finished (exit {proc.returncode}) before the stage started: {err[-2000:]}")
            if time.monotonic() - started > DEADLINE:
                pytest.fail("the stage never started")
            time.sleep(0.005)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=DEADLINE)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


def assert_interrupted_cleanly(done: subprocess.CompletedProcess[str], tmpdir: Path) -> None:
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode == 130, f"exit {done.returncode}: {done.stderr[-2000:]}"
    assert _leftovers(tmpdir) == []


@pytest.fixture
def tmpdir_for_child(tmp_path):
    path = tmp_path / "tmp"
    path.mkdir()
    return path


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    return make_history(tmp_path_factory.mktemp("history") / "repo", commits=40)


@pytest.mark.parametrize("stage", ["clone", "output"])
def test_interrupted_scrub_leaves_nothing(history, tmp_path, tmpdir_for_child, stage):
    out = tmp_path / "out"

    def work() -> list[Path]:  # the mirror's working directory, beside --out
        return list(tmp_path.glob(".out.reposcrub-work-*"))

    def ready() -> bool:
        return out.exists() if stage == "output" else bool(work())

    done = interrupt([PYTHON, "-m", "reposcrub", "scrub", str(history), "--out", str(out)], tmpdir_for_child, ready)
    assert_interrupted_cleanly(done, tmpdir_for_child)
    assert not out.exists(), sorted(p.name for p in out.rglob("*"))[:20]
    assert not work()
    assert not (tmp_path / "out.commit-map").exists() and not (tmp_path / "out.scrub-report.json").exists()


def test_interrupted_folder_scrub_leaves_nothing(tmp_path, tmpdir_for_child):
    source = tmp_path / "folder"
    write_files(source, {f"pkg{i % 20}/mod{i}.py": f"KEY = '{fake_tokens(i)['aws']}'\n" * 20 for i in range(400)})
    out = tmp_path / "out"
    done = interrupt([PYTHON, "-m", "reposcrub", "scrub", str(source), "--out", str(out)], tmpdir_for_child,
                     lambda: out.exists() and any(out.iterdir()))
    assert_interrupted_cleanly(done, tmpdir_for_child)
    assert not out.exists()


def test_interrupted_url_scan_removes_its_clone(history, tmpdir_for_child):
    done = interrupt([PYTHON, "-m", "reposcrub", "scan", history.resolve().as_uri(), "--format", "json"],
                     tmpdir_for_child, lambda: bool(_leftovers(tmpdir_for_child)))
    assert_interrupted_cleanly(done, tmpdir_for_child)


def test_interrupted_archive_scan_removes_its_extraction(history, tmp_path, tmpdir_for_child):
    archive = tmp_path / "repo.tgz"
    with tarfile.open(archive, "w:gz") as tf:
        tf.add(history, arcname="repo")
    # Until the CLI takes archives, the library entry point the lead will call.
    code = ("import sys; from pathlib import Path; from reposcrub.cli import main; "
            "from reposcrub.pipeline import ScanOptions, scan_archive\n"
            "try:\n    scan_archive(Path(sys.argv[1]), ScanOptions())\n"
            "except KeyboardInterrupt:\n    sys.exit(130)\n")
    done = interrupt([PYTHON, "-c", code, str(archive)], tmpdir_for_child, lambda: bool(_leftovers(tmpdir_for_child)))
    assert_interrupted_cleanly(done, tmpdir_for_child)
