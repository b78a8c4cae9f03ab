"""Benchmark: ``reposcrub intake`` throughput on 1 and 2 Dask workers, and its overhead per
submission over a bare scan of the same repositories.

Usage (from the repository root)::

    .venv/bin/python bench/intake.py [--count 500] [--out DIR] [--template REPO] [--timeout 600]

What one run does:

1. Makes ``--count`` small git repositories under ``--out`` (default ``bench/out/intake``,
   git-ignored), each with its own content: a few Python files, a README, a second commit,
   and in every fourth one a planted fake credential. With ``--template REPO`` each is
   instead a mirror clone of REPO (a real repository: the same content ``--count`` times).
2. Bare scan: every repository scanned one after another in this process with the scan intake
   runs (``scan_target``, one job, untrusted), plus a sample of 20 as ``reposcrub scan``
   processes: seconds per repository, median and total.
3. Intake on a LocalCluster of 1 worker, then of 2 workers, each into a fresh store: wall
   seconds including the cluster's start, the start of an empty cluster measured alone,
   and submissions per minute with and without it.
4. Prints the ratio 2 workers / 1 worker, and the overhead per submission: (intake on 1
   worker, less the cluster's start) / count, against the bare in-process scan per
   repository. The machine's load average is printed before each phase: on shared cores
   the numbers move with it.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import string
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reposcrub.intake.cluster import connected  # noqa: E402
from reposcrub.intake.run import Batch, run_batch  # noqa: E402
from reposcrub.intake.sandbox import Limits  # noqa: E402
from reposcrub.intake.task import IntakeSettings  # noqa: E402
from reposcrub.pipeline import ScanOptions, scan_target  # noqa: E402

_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com", "GIT_CONFIG_NOSYSTEM": "1"}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=_ENV, check=True, capture_output=True)


def _make_repo(root: Path, n: int, rng: random.Random) -> None:
    root.mkdir(parents=True)
    _git(root, "-c", "init.defaultBranch=main", "init", "-q")
    for i in range(4):
        body = "\n".join(f"def f{i}_{k}(x):\n    return x * {rng.randint(1, 999)}\n" for k in range(30))
        (root / f"mod{i}.py").write_text(body)
    (root / "README.md").write_text(f"# project {n}\n\nRun `python mod0.py`.\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "first")
    extra = "\n"
    if n % 4 == 0:  # a fake AWS key id: AKIA and 16 base32 characters
        extra = 'KEY = "AKIA' + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16)) + '"\n'
    (root / "settings.py").write_text(f"DEBUG = False\n{extra}")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "settings")


def make_submissions(out: Path, count: int, template: Path | None) -> Path:
    repos = out / "repos"
    marker = out / f"made-{count}-{template.name if template else 'generated'}"
    if not marker.exists():
        shutil.rmtree(out, ignore_errors=True)
        repos.mkdir(parents=True)
        rng = random.Random(16)
        for n in range(count):
            if template:
                subprocess.run(["git", "clone", "-q", "--mirror", str(template), str(repos / f"s{n:04}.git")], check=True)
            else:
                _make_repo(repos / f"s{n:04}", n, rng)
        marker.touch()
    manifest = out / "manifest.txt"
    manifest.write_text("".join(f"{p}\n" for p in sorted(repos.iterdir())))
    return manifest


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def bare(targets: list[str]) -> tuple[float, float, float]:
    """(total seconds in process, median per repository in process, median per `reposcrub scan` process)."""
    each = []
    for t in targets:
        started = time.perf_counter()
        scan_target(t, ScanOptions(jobs=1, untrusted=True))
        each.append(time.perf_counter() - started)
    cli = []
    for t in targets[:20]:
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "reposcrub"), "scan", t, "--jobs", "1"], capture_output=True)
        cli.append(time.perf_counter() - started)
    return sum(each), statistics.median(each), statistics.median(cli)


def cluster_start(workers: int) -> float:
    started = time.perf_counter()
    with connected(None, workers) as (client, _):
        client.submit(os.getpid, pure=False).result()  # a worker is up and answering
    return time.perf_counter() - started


def intake(manifest: Path, store: Path, workers: int, timeout: float) -> float:
    shutil.rmtree(store, ignore_errors=True)
    started = time.perf_counter()
    summary = run_batch(Batch(manifest, store, IntakeSettings(limits=Limits(timeout=timeout)), workers=workers))
    seconds = time.perf_counter() - started
    assert summary.scanned == sum(summary.verdicts.values()), summary
    print(f"  verdicts: {dict(summary.verdicts)}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "intake")
    parser.add_argument("--template", type=Path, default=None, help="a repository to submit --count times")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    manifest = make_submissions(args.out, args.count, args.template)
    targets = manifest.read_text().split()
    n = len(targets)
    print(f"{n} submissions from {args.template or 'generated repositories'}; {_load()}")
    total, median, cli = bare(targets)
    print(f"bare scan in process: {total:.1f} s for {n} ({median * 1000:.0f} ms median each); "
          f"`reposcrub scan` process: {cli * 1000:.0f} ms median")
    walls, starts = {}, {}
    for workers in (1, 2):
        print(f"{_load()}")
        starts[workers] = cluster_start(workers)
        walls[workers] = intake(manifest, args.out / f"store-{workers}", workers, args.timeout)
        net = walls[workers] - starts[workers]
        print(f"intake, {workers} worker(s): {walls[workers]:.1f} s wall ({n / walls[workers] * 60:.0f}/min); "
              f"cluster start {starts[workers]:.1f} s; without it {net:.1f} s ({n / net * 60:.0f}/min)")
    net1, net2 = walls[1] - starts[1], walls[2] - starts[2]
    print(f"2 workers / 1 worker: {walls[1] / walls[2]:.2f}x wall, {net1 / net2:.2f}x without cluster start "
          f"(target >= 1.7x)")
    per = net1 / n
    print(f"per submission on 1 worker: {per * 1000:.0f} ms vs bare scan {total / n * 1000:.0f} ms: "
          f"overhead {(per / (total / n) - 1) * 100:+.0f}% (target <= 20%)")


if __name__ == "__main__":
    main()
