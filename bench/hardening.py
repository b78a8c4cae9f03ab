"""Benchmark: what reading repositories through a shadow git directory costs (issue 12).

Usage (from the repository root)::

    .venv/bin/python bench/hardening.py REPO --baseline-tree DIR [--repeat 5]

REPO is a git work tree (a clone of a real project: the shadow's cost grows with the
number of git calls, not with the size of the history). DIR holds the code to compare
against (e.g. ``git archive <commit> | tar -x -C DIR``). Each round runs, alternating
between DIR's code and this checkout's, as subprocesses with PYTHONPATH set:

- ``reposcrub scan REPO --format json`` (work tree and whole history),
- ``reposcrub scan REPO --no-history --format json`` (work tree only: the .gitignore
  pre-walk and the per-component opens are here),
- ``reposcrub scan REPO --staged --no-history`` with one staged file (the pre-commit hook).

It prints, per command and code, the medians of wall time and of CPU time (user + system
of the whole process tree), and the ratio this checkout / baseline. The machine's load
average is printed too: wall times on a shared machine move with it, CPU times less so.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def _run(tree: Path, args: list[str]) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "reposcrub", *args], env=env, cwd=tree, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{args}: exit {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repo", type=Path)
    parser.add_argument("--baseline-tree", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    opts = parser.parse_args()
    repo = str(opts.repo.resolve())
    staged = opts.repo / "reposcrub_bench_staged.py"
    staged.write_text("VALUE = 1\n")
    subprocess.run(["git", "add", staged.name], cwd=opts.repo, check=True)
    commands = {
        "full scan": ["scan", repo, "--format", "json", "-o", os.devnull],
        "work tree only": ["scan", repo, "--no-history", "--format", "json", "-o", os.devnull],
        "hook (--staged)": ["scan", repo, "--staged", "--no-history"],
    }
    trees = {"baseline": opts.baseline_tree.resolve(), "this": HERE}
    try:
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(opts.repeat):
            for name, args in commands.items():
                for label, tree in trees.items():
                    times.setdefault((name, label), []).append(_run(tree, args))
    finally:
        subprocess.run(["git", "rm", "-q", "--cached", staged.name], cwd=opts.repo, check=True)
        staged.unlink()
    print(f"load average: {os.getloadavg()[0]:.2f}; medians of {opts.repeat} alternating runs")
    print(f"{'command':<18}{'baseline wall':>15}{'this wall':>11}{'baseline cpu':>14}{'this cpu':>10}{'cpu ratio':>11}")
    for name in commands:
        base, this = times[(name, "baseline")], times[(name, "this")]
        bw, tw = statistics.median(w for w, _ in base), statistics.median(w for w, _ in this)
        bc, tc = statistics.median(c for _, c in base), statistics.median(c for _, c in this)
        print(f"{name:<18}{bw:>14.2f}s{tw:>10.2f}s{bc:>13.2f}s{tc:>9.2f}s{tc / bc:>10.2f}x")


if __name__ == "__main__":
    main()
