"""Benchmark: ``reposcrub scan`` over a repository's whole history, against the raw cost of
reading its objects with git.

Usage (from the repository root)::

    /tmp/venv/bin/python bench/scan_history.py [REPO] [--repeat 3]
        [--commits 20000 --unique-mb 500 --branches 200 --seed 1]
        [--also-jobs1] [--phases-sample [--sample-commits 2000 --sample-mb 50]] [--no-phases]

What one run does:

1. Without REPO, generates (or reuses, when the spec matches) a synthetic bare repository
   with ``bench/gitrepo.py``: by default 20,000 commits and at least 500 MB of unique
   blobs, feature branches and merges, tags, renames and deletions, an organisation
   ("Globex") in files, messages, refs and identities, and fake credentials that are
   added and deleted again later (ground truth beside it: ``<repo>.truth.json``). With
   REPO, that repository is measured; recall is reported only if a truth file is beside it.
2. Counts the unique blobs and their bytes (``git cat-file --batch-all-objects
   --batch-check``) and reads the packs once so the page cache is warm.
3. Runs ``--repeat`` rounds, each: ``git cat-file --batch-all-objects --batch >/dev/null``
   (the raw cost of reading every object, in object-id order), the same with
   ``--unordered`` (pack order, the cheapest read of everything), then
   ``reposcrub scan REPO --format json -o OUT`` (all cores, its default). Medians are
   reported, and the ratio reposcrub / raw read, both measured in this run.
4. Prints reposcrub's own counts (blobs and bytes scanned, findings by category and
   location) and recall on the planted credentials: a planted value counts as found
   when a finding of category secret or file names its path, the commit that introduced
   a blob holding it and one of its lines in that blob (a value lives on in every later
   blob of the file until it is deleted: "versions" counts those blobs); the looser
   "path + line" count ignores the commit. A value pasted into a commit message is found
   by a finding in that commit's message.
5. Unless ``--no-phases``: runs reposcrub once more, in-process with one job and timers
   around its phases (``bench/inproc.py``; the timers cost little), and prints where the
   time goes, including the share spent in tree-sitter. On the same repository by
   default (one more scan, on one core); ``--phases-sample`` uses a smaller repository
   from the same generator instead (``--sample-commits``/``--sample-mb``), which is
   quicker but skewed: its commit messages alone stay under the 256 KiB after which
   reposcrub's keyword prefilter switches to hyperscan, so the slow prefilter path
   weighs more there, and tree-sitter less, than on a large repository.

Memory: "peak RSS" is the largest single process (kernel rusage via ``os.wait4``, what
``/usr/bin/time -v`` reports), taken in a small launcher process so that the benchmark's
own memory is not inherited into the number (see ``bench/proctree.py``); "tree PSS" is
the proportional set size summed over reposcrub's process tree (it forks workers),
sampled from /proc every ``--mem-interval`` seconds. Targets printed beside the numbers: scan within 3x the raw
read, peak memory under 500 MB. Sizes: MB = 10**6 bytes.

Numbers are also written to ``<repo>.scan_history.json`` (for a generated repository:
beside it under bench/out/repos/).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gitrepo  # noqa: E402
from gitrepo import MB, RepoInfo, RepoSpec  # noqa: E402
from proctree import code_version, measure  # noqa: E402
from scan_worktree import Run, find_tool, rule_count  # noqa: E402

BENCH = Path(__file__).resolve().parent
TARGET_RATIO = 3.0
TARGET_MEMORY = 500 * MB


def mbs(n: float) -> str:
    return f"{n / MB:,.1f} MB"


def mem(kb: int) -> str:
    return f"{kb * 1024 / MB:,.0f} MB" if kb else "n/a"


def median(runs: list[Run], attr: str = "wall") -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def blob_stats(repo: Path) -> tuple[int, int]:
    out = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)"],
                         cwd=repo, capture_output=True, check=True).stdout
    count = size = 0
    for line in out.splitlines():
        kind, n = line.split()
        if kind == b"blob":
            count += 1
            size += int(n)
    return count, size


def warm(repo: Path) -> float:
    started = time.perf_counter()
    git_dir = Path(subprocess.run(["git", "rev-parse", "--absolute-git-dir"], cwd=repo, capture_output=True, text=True,
                                  check=True).stdout.strip())
    for path in (git_dir / "objects").rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                while fh.read(1 << 20):
                    pass
    return time.perf_counter() - started


def resolve_repo(args: argparse.Namespace) -> tuple[Path, RepoInfo | None, str]:
    if args.repo is not None:
        repo = args.repo.resolve()
        info = gitrepo.load(repo)
        return repo, info, "given" + ("" if info else "; no truth file beside it: recall not measured")
    spec = RepoSpec(args.commits, args.unique_mb, args.branches, args.seed)
    repo = gitrepo.default_path(spec)
    repo.parent.mkdir(parents=True, exist_ok=True)
    info, reused = gitrepo.ensure(repo, spec, log=lambda s: print(s, flush=True))
    return repo, info, "reused" if reused else f"generated in {info.generated_seconds:.1f} s"


def run_reposcrub(exe: str, repo: Path, out: Path, interval: float, retries: int = 3,
                  extra: tuple[str, ...] = ()) -> tuple[Run, dict[str, Any]]:
    cmd = [exe, "scan", str(repo), "--format", "json", "-o", str(out), *extra]
    for attempt in range(retries + 1):
        out.unlink(missing_ok=True)
        run = measure(cmd, repo.parent, None, out.with_suffix(".stderr"), None, interval)
        if run.returncode in (0, 1):
            try:
                return run, json.loads(out.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pass
        print(f"      reposcrub attempt {attempt + 1} failed (exit {run.returncode}): {run.stderr_tail or 'no stderr'}", flush=True)
        time.sleep(5)
    sys.exit("scan_history: reposcrub kept failing; see the messages above")


def run_phases(repo: Path, work: Path, interval: float) -> tuple[Run, dict[str, Any]]:
    phases = work / f"{repo.name}.phases.json"
    out = work / f"{repo.name}.phases-report.json"
    cmd = [sys.executable, str(BENCH / "inproc.py"), "--json", str(phases), "scan", str(repo), "--format", "json",
           "-o", str(out), "--jobs", "1"]
    run = measure(cmd, repo.parent, None, work / f"{repo.name}.phases.stderr", None, interval)
    try:
        return run, json.loads(phases.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return run, {}


def phases_block(w: Any, label: str, run: Run, doc: dict[str, Any], blob_bytes: int) -> dict[str, Any]:
    w(f"where the time goes: {label}")
    if not doc:
        w(f"  (phase run failed, exit {run.returncode}: {run.stderr_tail})")
        return {}
    total = doc["total"]
    seconds = doc["seconds"]
    w(f"  in-process, --jobs 1, timers around reposcrub's functions (bench/inproc.py): {total:.2f} s wall, "
      f"{blob_bytes / MB / total:.2f} MB/s on one core")
    top = {k: v for k, v in seconds.items() if not k.startswith("  ")}
    for name, secs in sorted(seconds.items(), key=lambda kv: (kv[0].startswith("  "), -kv[1])):
        w(f"  {name:<42}{secs:8.2f} s {100 * secs / total:5.1f}%   {doc['calls'].get(name, 0):>9,} calls")
    rest = total - sum(top.values())
    w(f"  {'other (pipeline glue, batching, start-up)':<42}{rest:8.2f} s {100 * rest / total:5.1f}%")
    ts = seconds.get("  of which tree-sitter parse_context", 0.0)
    if doc.get("not_timed"):
        w(f"  not timed (no longer in reposcrub?): {', '.join(doc['not_timed'])}")
    w(f"  tree-sitter share of scan time: {100 * ts / total:.1f}% (parse_context), "
      f"{100 * seconds.get('syntax annotate (tree-sitter context)', 0.0) / total:.1f}% with the rest of syntax annotate")
    return {"total": total, "seconds": seconds, "calls": doc["calls"], "tree_sitter_share": ts / total if total else None}


def report(repo: Path, info: RepoInfo | None, how: str, blobs: tuple[int, int], warm_s: float,
           raw: list[Run], raw_unordered: list[Run], rs: list[Run], doc: dict[str, Any], args: argparse.Namespace,
           load_before: tuple[float, ...], phase: tuple[str, Run, dict[str, Any], int] | None) -> dict[str, Any]:
    w = print
    w("")
    w("=" * 100)
    w("reposcrub full-history scan benchmark")
    w("=" * 100)
    w(f"repository   {repo}  ({how})")
    if info is not None:
        s = info.stats
        w(f"             spec commits={info.spec.commits} unique_mb={info.spec.unique_mb} branches={info.spec.branches} "
          f"seed={info.spec.seed} v{info.spec.version}: {s['commits']:,} commits, {s['branches']} branches, {s['tags']} tags, "
          f"pack {mbs(s['pack_bytes'])}, HEAD {s['head_files']:,} files")
    w(f"reposcrub    {args.code}")
    w(f"unique blobs {blobs[0]:,} blobs, {mbs(blobs[1])} (every blob in the object store, once); page cache warmed in {warm_s:.1f} s")
    w(f"machine      {os.cpu_count()} CPUs; load average before {' '.join(f'{x:.2f}' for x in load_before)}, "
      f"after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    w("")

    def block(name: str, runs: list[Run], cmd: str) -> None:
        w(name)
        w(f"  command    {cmd}")
        for i, r in enumerate(runs, 1):
            w(f"  run {i}      {r.wall:8.2f} s wall  {r.cpu:8.2f} s cpu ({r.user:.1f} user + {r.sys:.1f} sys)  "
              f"peak RSS {mem(r.maxrss_kb)}  tree PSS {mem(r.tree_pss_kb)}  procs {r.max_procs}  exit {r.returncode}")
        wall = median(runs)
        w(f"  median     {wall:8.2f} s wall  {blobs[1] / MB / wall:8.1f} MB/s of unique blobs  cpu {median(runs, 'cpu'):.2f} s")

    block("raw read (git, object-id order)", raw, "git cat-file --batch-all-objects --batch > /dev/null")
    block("raw read (git, pack order)", raw_unordered, "git cat-file --batch-all-objects --unordered --batch > /dev/null")
    block("reposcrub", rs, f"reposcrub scan REPO --format json -o {repo.name}.reposcrub.json")
    peak_rss = max(r.maxrss_kb for r in rs) * 1024
    peak_pss = max(r.tree_pss_kb for r in rs) * 1024
    w(f"  memory     peak RSS {mem(peak_rss // 1024)} (largest process)   tree PSS {mem(peak_pss // 1024)} / "
      f"tree RSS {mem(max(r.tree_rss_kb for r in rs))} (all its processes, summed)")
    before, after = args.rules
    w(f"  rule pack  {before} rules before the runs, {after} after; findings per run: {', '.join(str(r.findings) for r in rs)}")
    if before != after or len({r.findings for r in rs}) > 1:
        w("  WARNING    the rule pack or the findings changed between runs: the runs did not all do the same work")
    w("")
    if args.rs1:
        block("reposcrub --jobs 1 (one process scanning; for comparison)", args.rs1,
              f"reposcrub scan REPO --format json -o {repo.name}.reposcrub-jobs1.json --jobs 1")
        w(f"  workers    default jobs vs --jobs 1: wall {median(rs):.2f} s vs {median(args.rs1):.2f} s "
          f"({median(args.rs1) / median(rs):.2f}x speed-up), cpu {median(rs, 'cpu'):.2f} s vs {median(args.rs1, 'cpu'):.2f} s")
        w("")
    ratio, ratio_u = median(rs) / median(raw), median(rs) / median(raw_unordered)
    ok = "MET" if ratio <= TARGET_RATIO else "MISSED"
    w(f"ratio        reposcrub / raw read = {median(rs):.2f} s / {median(raw):.2f} s = {ratio:.1f}x   "
      f"(target within {TARGET_RATIO:.0f}x: {ok});  against pack-order read {ratio_u:.1f}x")
    cpu, cpu_raw = median(rs, "cpu"), median(raw, "cpu")
    w(f"             cpu seconds (less sensitive to other tenants): {cpu:.2f} s / {cpu_raw:.2f} s = {cpu / cpu_raw:.1f}x; "
      f"reposcrub used {cpu / median(rs):.2f} of the {os.cpu_count()} cores on average")
    w(f"memory       peak RSS {mem(peak_rss // 1024)}, tree PSS {mem(peak_pss // 1024)}   (target under {mbs(TARGET_MEMORY)}: "
      f"{'MET' if max(peak_rss, peak_pss) < TARGET_MEMORY else 'MISSED'})")
    w("")

    summary = doc.get("summary", {})
    findings = doc.get("findings", [])
    w("reposcrub's own report (last run)")
    w(f"  scanned    {summary.get('files_scanned')} blobs, {summary.get('bytes_scanned')} bytes, {summary.get('seconds')} s internal")
    if summary.get("bytes_scanned") != blobs[1] or summary.get("files_scanned") != blobs[0]:
        w(f"  NOTE       the repository holds {blobs[0]:,} blobs / {blobs[1]:,} bytes; reposcrub's counts differ")
    w(f"  findings   {summary.get('findings')}: {summary.get('by_category')}")
    w(f"  by location {dict(Counter(f.get('location') for f in findings).most_common())}")
    w(f"  top rules  " + ", ".join(f"{k} {v:,}" for k, v in Counter(f["rule_id"] for f in findings).most_common(8)))
    if doc.get("notes"):
        w(f"  notes      {doc['notes'][:3]}")
    w("")
    recall: dict[str, Any] | None = None
    if info is not None:
        r = gitrepo.score_findings(info, findings)
        w(f"recall on planted credentials (truth {info.truth_path.name})")
        w(f"  {'kind':<26}{'found':>10}")
        for kind, (found, total) in sorted(r.by_kind.items()):
            w(f"  {kind:<26}{found:>4}/{total:<4} {100 * found / total:4.0f}%")
        w(f"  {'TOTAL':<26}{r.found:>4}/{r.total:<4} {100 * r.found / max(1, r.total):4.0f}%   "
          f"(path + commit + line; by path + line alone: {r.found_line}/{r.total})")
        w(f"  blob versions holding a planted value: {r.versions_found}/{r.versions} reported "
          f"(a later version that still holds a value is not reported again: its finding is at the "
          f"version that introduced it; scrub rewrites every version)")
        for m in r.missed[:10]:
            w(f"  missed     {m}")
        recall = asdict(r)
        w("")
    phases = None
    if phase is not None:
        label, prun, pdoc, pbytes = phase
        phases = phases_block(w, label, prun, pdoc, pbytes)
        w("")
    w("memory: peak RSS = largest single process (os.wait4 rusage, via a small launcher: bench/proctree.py);")
    w(f"        tree PSS/RSS = sum over the process tree from /proc, sampled every {args.mem_interval} s.  MB = 10**6 bytes.")
    w("=" * 100)
    return {"recall": recall, "phases": phases, "ratio": ratio, "ratio_unordered": ratio_u,
            "peak_rss_bytes": peak_rss, "peak_tree_pss_bytes": peak_pss}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See the module docstring for details.")
    ap.add_argument("repo", type=Path, nargs="?", default=None, help="repository to scan (default: generate one)")
    ap.add_argument("--commits", type=int, default=20_000, help="generated repository: commits (default 20000)")
    ap.add_argument("--unique-mb", type=int, default=500, help="generated repository: unique blob MB, at least (default 500)")
    ap.add_argument("--branches", type=int, default=200, help="generated repository: feature branches (default 200)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of raw read + reposcrub; medians reported (default 3)")
    ap.add_argument("--mem-interval", type=float, default=0.25, help="seconds between /proc memory samples (default 0.25)")
    ap.add_argument("--also-jobs1", action="store_true",
                    help="each round, also time reposcrub scan --jobs 1 (how much the worker processes buy)")
    ap.add_argument("--no-phases", action="store_true", help="skip the in-process phase breakdown")
    ap.add_argument("--phases-sample", action="store_true", help="phase breakdown on a smaller generated repository")
    ap.add_argument("--sample-commits", type=int, default=2000, help="phase breakdown repository: commits (default 2000)")
    ap.add_argument("--sample-mb", type=int, default=50, help="phase breakdown repository: unique blob MB (default 50)")
    ap.add_argument("--reposcrub", default=None, help="reposcrub executable (default: beside this python, else PATH)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    load_before = os.getloadavg()
    args.code = code_version()
    print("[1/4] repository", flush=True)
    repo, info, how = resolve_repo(args)
    print(f"      {repo} ({how})", flush=True)
    exe = find_tool("reposcrub", args.reposcrub)
    work = repo.parent
    blobs = blob_stats(repo)
    warm_s = warm(repo)
    print(f"      {blobs[0]:,} unique blobs, {mbs(blobs[1])}; cache warmed in {warm_s:.1f} s", flush=True)

    print(f"[2/4] {args.repeat} rounds: raw read, raw read (pack order), reposcrub scan", flush=True)
    rules_before = rule_count(exe)
    raw: list[Run] = []
    raw_u: list[Run] = []
    rs: list[Run] = []
    rs1: list[Run] = []
    doc: dict[str, Any] = {}
    out = work / f"{repo.name}.reposcrub.json"
    for i in range(args.repeat):
        for runs, extra in ((raw, []), (raw_u, ["--unordered"])):
            cmd = ["git", "cat-file", "--batch-all-objects", *extra, "--batch"]
            runs.append(measure(cmd, repo, Path(os.devnull), work / "cat-file.stderr", None, args.mem_interval))
        run, doc = run_reposcrub(exe, repo, out, args.mem_interval)
        run.findings = len(doc.get("findings", []))
        rs.append(run)
        if args.also_jobs1:
            one, _ = run_reposcrub(exe, repo, work / f"{repo.name}.reposcrub-jobs1.json", args.mem_interval, extra=("--jobs", "1"))
            rs1.append(one)
            print(f"      round {i + 1}: reposcrub --jobs 1 {one.wall:.2f} s", flush=True)
        print(f"      round {i + 1}: raw {raw[-1].wall:.2f} s, pack order {raw_u[-1].wall:.2f} s, "
              f"reposcrub {run.wall:.2f} s ({run.findings} findings)", flush=True)
    args.rules = (rules_before, rule_count(exe))

    phase = None
    if not args.no_phases:
        if not args.phases_sample or args.repo is not None:
            target, label, pbytes = repo, "this repository", blobs[1]
        else:
            spec = RepoSpec(args.sample_commits, args.sample_mb, max(2, args.branches * args.sample_commits // args.commits),
                            args.seed)
            print(f"[3/4] phase breakdown repository ({spec.name})", flush=True)
            sample, _ = gitrepo.ensure(gitrepo.default_path(spec), spec, log=lambda s: print(s, flush=True))
            target, pbytes = sample.root, sample.stats["blob_bytes"]
            label = (f"sample repository {target.name} ({sample.stats['commits']:,} commits, "
                     f"{sample.stats['blobs']:,} blobs, {mbs(pbytes)}, same generator)")
        warm(target)
        print("[4/4] reposcrub in-process with phase timers, --jobs 1", flush=True)
        prun, pdoc = run_phases(target, work, args.mem_interval)
        phase = (label, prun, pdoc, pbytes)

    args.rs1 = rs1
    scores = report(repo, info, how, blobs, warm_s, raw, raw_u, rs, doc, args, load_before, phase)
    saved = work / f"{repo.name}.scan_history.json"
    saved.write_text(json.dumps({
        "repo": str(repo), "reposcrub": args.code, "spec": asdict(info.spec) if info else None, "unique_blobs": blobs[0], "unique_blob_bytes": blobs[1],
        "raw": [asdict(r) for r in raw], "raw_unordered": [asdict(r) for r in raw_u], "reposcrub": [asdict(r) for r in rs],
        "reposcrub_jobs1": [asdict(r) for r in rs1],
        "median": {"raw": median(raw), "raw_unordered": median(raw_u), "reposcrub": median(rs)},
        "reposcrub_summary": doc.get("summary"), "rules_before_after": list(args.rules), **scores,
    }, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"numbers saved to {saved}")


if __name__ == "__main__":
    main()
