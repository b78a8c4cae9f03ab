"""Two reposcrub builds, side by side on one tree: wall and CPU medians and their ratio.

Usage::

    python bench/ab_scan.py --tree DIR --before /path/to/old/reposcrub --after /path/to/new/reposcrub [--repeat 7]

Runs ``reposcrub scan TREE --format json -o OUT`` with each executable in turn (ABAB...,
so that load from other work on the machine falls on both alike), after one warm-up run
each, and prints the medians, the ratio after/before and the findings per category of the
last run of each. Make the tree with bench/scan_worktree.py (``--tree``); it is scanned as
a plain folder (GIT_CEILING_DIRECTORIES set to its parent).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def _run(exe: str, tree: Path, out: Path) -> tuple[float, float]:
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tree.parent)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([exe, "scan", str(tree), "--format", "json", "-o", str(out)], env=env,
                          capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"ab_scan: {exe} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _categories(out: Path) -> dict[str, int]:
    report = json.loads(out.read_text())
    return dict(sorted(Counter(f["category"] for f in report.get("findings", [])).items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tree", type=Path, required=True)
    ap.add_argument("--before", required=True, help="reposcrub executable of the baseline")
    ap.add_argument("--after", required=True, help="reposcrub executable to compare")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        outs = {name: Path(tmp) / f"{name}.json" for name in ("before", "after")}
        exes = {"before": args.before, "after": args.after}
        for name in exes:
            _run(exes[name], args.tree, outs[name])  # warm-up: page cache, rule caches
        times: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
        for _ in range(args.repeat):
            for name in exes:
                times[name].append(_run(exes[name], args.tree, outs[name]))
        print(f"tree {args.tree}, {args.repeat} runs each, alternated; load average {os.getloadavg()[0]:.2f}")
        medians = {}
        for name in exes:
            wall = statistics.median(t[0] for t in times[name])
            cpu = statistics.median(t[1] for t in times[name])
            medians[name] = (wall, cpu)
            print(f"  {name:<7} wall {wall:6.2f} s   cpu {cpu:6.2f} s   findings {_categories(outs[name])}")
        ratio_wall = medians["after"][0] / medians["before"][0]
        ratio_cpu = medians["after"][1] / medians["before"][1]
        print(f"  ratio after/before: wall {ratio_wall:.3f}, cpu {ratio_cpu:.3f}")


if __name__ == "__main__":
    main()
