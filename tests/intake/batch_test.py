"""The done-when batch: 50 generated submissions on a real LocalCluster and on a real
`dask scheduler` + `dask worker` started as separate processes; a rerun does no work."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.intake.batch import make_batch, silent_git_server

BIN = Path(sys.executable).parent
TIMEOUT = "10"  # seconds: the hanging submission is stopped after this (others take well under 1 s)


def intake(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.run([str(BIN / "reposcrub"), "intake", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def rows(store: Path) -> dict[str, sqlite3.Row]:
    with sqlite3.connect(store / "intake.sqlite") as db:
        db.row_factory = sqlite3.Row
        return {r["id"]: r for r in db.execute("SELECT * FROM submissions")}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    with silent_git_server() as url:
        yield (root, *make_batch(root, url))


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """A scheduler and one worker (two threads), each its own process, as on a real cluster."""
    where = tmp_path_factory.mktemp("cluster")
    info = where / "scheduler.json"
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(info)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not info.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        procs.append(subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "2", "--no-dashboard",
                                       "--local-directory", str(where)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from dask.distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _check_verdicts(store: Path, expected: dict[str, str], secrets: list[str]) -> None:
    got = rows(store)
    assert {i: r["verdict"] for i, r in got.items()} == expected
    assert "timed out after 10 s" in got["hangs"]["reason"]
    assert "inflate" in got["broken"]["reason"] or "corrupt" in got["broken"]["reason"]
    assert "compressed" in got["zip-bomb"]["reason"]
    assert all("\n" not in (r["reason"] or "") for r in got.values())
    leaky = [r for i, r in got.items() if i.startswith("leaky")]
    assert all(r["max_severity"] in ("high", "critical") and r["groups"] >= 2 for r in leaky)
    assert all(r["report_sarif"] and (store / r["report_sarif"]).is_file() for r in leaky)
    # No planted secret anywhere in the store: database, reports.
    stored = b"".join(p.read_bytes() for p in store.rglob("*") if p.is_file())
    assert not [s for s in secrets if s.encode() in stored]
    assert secrets[0][:4].encode() in stored  # the redacted previews are there


def test_batch_on_a_local_cluster_then_a_rerun_does_no_work(batch, tmp_path):
    root, manifest, expected, secrets = batch
    store = tmp_path / "store"
    first = intake(str(manifest), "--store", str(store), "--workers", "2", "--timeout", TIMEOUT, tmp=tmp_path)
    assert first.returncode == 1, first.stderr
    assert "50 submissions: 30 clean, 2 error, 17 findings, 1 refused; 50 taken in now" in first.stdout
    _check_verdicts(store, expected, secrets)
    assert not list(tmp_path.glob("reposcrub-*")), "a submission's temporary directory was left behind"
    before = {i: r["finished_at"] for i, r in rows(store).items()}
    stamps = {p: p.stat().st_mtime_ns for p in (store / "reports").rglob("*")}

    again = intake(str(manifest), "--store", str(store), "--workers", "2", "--timeout", TIMEOUT, tmp=tmp_path)
    assert again.returncode == 1, again.stderr
    assert "0 taken in now, 48 unchanged since the last run" in again.stdout
    assert {i: r["finished_at"] for i, r in rows(store).items()} == before
    assert {p: p.stat().st_mtime_ns for p in (store / "reports").rglob("*")} == stamps


def test_the_same_batch_on_a_separately_started_scheduler_and_worker(batch, scheduler, tmp_path):
    root, manifest, expected, secrets = batch
    store = tmp_path / "store"
    done = intake(str(manifest), "--store", str(store), "--scheduler", scheduler, "--timeout", TIMEOUT, tmp=tmp_path)
    assert done.returncode == 1, done.stderr
    assert f"50 taken in now, 0 unchanged since the last run (scheduler {scheduler})" in done.stdout
    _check_verdicts(store, expected, secrets)
