"""What reporting costs next to the scan it reports: one scan of a repository, then each format
rendered from it, median of several runs each (seconds), and the ratio to the scan.

    .venv/bin/python bench/report_cost.py PATH [--runs N]
"""
from __future__ import annotations

import argparse
import io
import statistics
import time
from dataclasses import replace

from reposcrub.pipeline import ScanOptions, scan_target
from reposcrub.reporters import Style, reporter_for
from reposcrub.reporters.render import render


def _median(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    result = scan_target(args.path, replace(ScanOptions(), excerpt_lines=2))
    scan = time.perf_counter() - started
    print(f"scan (with excerpts): {scan:.2f} s, {len(result.findings)} findings")
    render_s = _median(args.runs, lambda: render(result))
    print(f"render (mask, escape, group, rank): {render_s:.3f} s  ({render_s / scan:.1%} of the scan)")
    report = render(result)
    print(f"items: {len(report.groups)}")
    for fmt in ("text", "json", "sarif", "html"):
        out = io.StringIO()
        seconds = _median(args.runs, lambda: reporter_for(fmt, Style()).write(report, io.StringIO()))
        reporter_for(fmt, Style()).write(report, out)
        print(f"{fmt:>5}: {seconds:.3f} s ({seconds / scan:.1%} of the scan), {len(out.getvalue()) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
