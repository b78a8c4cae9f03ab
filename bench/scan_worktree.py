"""Benchmark: ``reposcrub scan`` against ``detect-secrets scan`` on a synthetic work tree.

Usage (from the repository root)::

    /tmp/venv/bin/python bench/scan_worktree.py [--tree DIR] [--size-mb 200] [--seed 1]
        [--repeat 3] [--ds-sample 1.0] [--ds-repeat 1] [--skip-ds]

What one run does:

1. Generates, or reuses when the spec matches, a synthetic tree of at least ``--size-mb``
   MB (10**6 bytes) under ``--tree`` (default ``bench/out/tree``, git-ignored) with
   ``bench/corpus.py``: Python, JS/TS, Java, Go, YAML, JSON, Markdown, minified JS, lock
   files, base64 blobs, UUIDs, plus a few hundred planted fake credentials and
   look-alike negatives. Ground truth: ``<tree>.truth.json`` beside the tree.
2. Reads every file once so the page cache is warm for both tools, then times
   ``reposcrub scan TREE --format json -o OUT`` ``--repeat`` times (median reported) and
   ``detect-secrets scan --all-files .`` (cwd TREE, baseline to a file) ``--ds-repeat``
   times. Both are subprocesses using all cores (their defaults).
   ``--ds-sample F`` (0 < F < 1) runs detect-secrets on a deterministic, per-file-type
   stratified subset holding about F of the bytes, hard-linked (or copied) into the
   sibling folder ``<tree>.ds-sample``; its time is scaled up linearly by bytes
   (full bytes / sample bytes) and the report says so. Default: the full tree.
3. Prints the tree size; per tool the wall seconds, files/s, MB/s, CPU seconds and
   memory; the speed ratio (detect-secrets time / reposcrub time); recall on the
   planted positives and false positives on the planted negatives, per kind. A planted
   value counts as found when the tool reports a finding on the same path and on its
   line (for a multi-line PEM block: on any of its lines).

Memory: "peak RSS" is the largest single process of the tool's process tree, from the
kernel's rusage for the waited child (``os.wait4``; the number ``/usr/bin/time -v``
prints as "Maximum resident set size", and unlike ``getrusage(RUSAGE_CHILDREN)`` it is
per run, not a running maximum over every child so far). Both tools fork worker
processes, so "tree PSS" adds the proportional set size of every process in the tree,
sampled from /proc every ``--mem-interval`` seconds (peak of the sum; may miss spikes).

A tree under a git work tree that ignores it (bench/out is git-ignored) would be seen
by reposcrub as that repository's subfolder with nothing to ship, i.e. zero files, so
reposcrub runs with ``GIT_CEILING_DIRECTORIES`` set to the tree's parent: the tree is
scanned as a plain folder. The report checks reposcrub's own files/bytes counts against
the tree. A failed reposcrub run (exit code other than 0/1, or unreadable JSON, e.g.
while a rule file is being edited) is retried up to ``--retries`` times.

Numbers are also written to ``<tree>.scan_worktree.json``. Sizes: MB = 10**6 bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_mod  # noqa: E402
from corpus import MB, Corpus, Planted, Spec, hit_index, planted_lines, score  # noqa: E402

BENCH = Path(__file__).resolve().parent


# ----------------------------------------------------------------------------- measuring


@dataclass
class Run:
    cmd: list[str]
    returncode: int
    wall: float
    user: float
    sys: float
    maxrss_kb: int  # largest single process (kernel rusage of the waited child)
    tree_pss_kb: int  # peak of the summed PSS over the process tree (sampled)
    tree_rss_kb: int  # peak of the summed RSS over the process tree (sampled)
    max_procs: int
    stderr_tail: str = ""
    findings: int | None = None  # reposcrub only: findings in this run's report

    @property
    def cpu(self) -> float:
        return self.user + self.sys


def measure(cmd: list[str], cwd: Path, stdout: Path | None, stderr: Path, env: dict[str, str] | None = None,
            interval: float = 0.25) -> Run:
    """proctree.measure: its launcher reads the child's own peak RSS (a forked child
    would inherit this process's high-water mark). Imported here: proctree imports Run."""
    from proctree import measure as measure_tree

    return measure_tree(cmd, cwd, stdout, stderr, env, interval)


# ----------------------------------------------------------------------------- tools


def find_tool(name: str, given: str | None) -> str:
    if given:
        return given
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if not found:
        sys.exit(f"scan_worktree: cannot find {name}; pass --{name} PATH")
    return found


def rule_count(exe: str) -> str:
    """`reposcrub rules list` ends with "N rules"; the pack may change while we measure."""
    try:
        proc = subprocess.run([exe, "rules", "list"], capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    last = proc.stdout.strip().splitlines()[-1:] or [""]
    return last[0].split()[0] if proc.returncode == 0 and last[0].endswith(" rules") else "?"


def run_reposcrub(exe: str, tree: Path, out: Path, retries: int, interval: float) -> tuple[Run, dict[str, Any]]:
    env = dict(os.environ)
    env["GIT_CEILING_DIRECTORIES"] = str(tree.parent)  # scan the tree as a plain folder, see docstring
    cmd = [exe, "scan", str(tree), "--format", "json", "-o", str(out)]
    for attempt in range(retries + 1):
        if out.exists():
            out.unlink()
        run = measure(cmd, tree.parent, None, out.with_suffix(".stderr"), env, interval)
        doc = None
        if run.returncode in (0, 1):
            try:
                doc = json.loads(out.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                doc = None
        if doc is not None:
            return run, doc
        print(f"  reposcrub attempt {attempt + 1} failed (exit {run.returncode}): {run.stderr_tail or 'no stderr'}")
        if attempt < retries:
            print("  retrying in 5 s")
            time.sleep(5)
    sys.exit("scan_worktree: reposcrub kept failing; see the messages above")


def run_detect_secrets(exe: str, target: Path, out: Path, interval: float) -> tuple[Run, dict[str, Any]]:
    cmd = [exe, "scan", "--all-files", "."]
    run = measure(cmd, target, out, out.with_suffix(".stderr"), None, interval)
    try:
        doc = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        doc = None
    if run.returncode != 0 or doc is None:
        sys.exit(f"scan_worktree: detect-secrets failed (exit {run.returncode}): {run.stderr_tail}")
    return run, doc


# ----------------------------------------------------------------------------- tree helpers


def list_files(root: Path) -> list[tuple[str, int]]:
    out = []
    for dirpath, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            full = os.path.join(dirpath, name)
            out.append((os.path.relpath(full, root).replace(os.sep, "/"), os.lstat(full).st_size))
    return out


def warm_cache(root: Path, files: list[tuple[str, int]]) -> float:
    started = time.perf_counter()
    for rel, _size in files:
        with open(root / rel, "rb") as fh:
            while fh.read(1 << 20):
                pass
    return time.perf_counter() - started


def _stratum(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    if name in ("package-lock.json", "yarn.lock", "poetry.lock", "Pipfile.lock", "Cargo.lock", "go.sum"):
        return "lock"
    if ".min." in name or "/dist/" in rel:
        return "min"
    if "/payloads/" in rel:
        return "payload"
    return name.rsplit(".", 1)[-1] if "." in name else ""


def choose_sample(files: list[tuple[str, int]], fraction: float, seed: int) -> list[tuple[str, int]]:
    """About `fraction` of the bytes of every file type (extension, lock file, minified,
    payload; at least one file of each), files taken in a seeded hash order, skipping
    any that would overshoot by more than half its size: deterministic and representative."""
    strata: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for rel, size in files:
        strata[_stratum(rel)].append((rel, size))
    chosen = []
    for _key, members in sorted(strata.items()):
        members.sort(key=lambda f: hashlib.sha256(f"{seed}:{f[0]}".encode()).digest())
        want = fraction * sum(s for _, s in members)
        got = 0
        for rel, size in members:  # nearest to `want`, and at least one file of every type
            if got and got + size / 2 > want:
                continue
            chosen.append((rel, size))
            got += size
    return sorted(chosen)


def build_sample_dir(tree: Path, sample: list[tuple[str, int]]) -> Path:
    target = tree.with_name(tree.name + ".ds-sample")
    if target.exists():
        shutil.rmtree(target)
    for rel, _size in sample:
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(tree / rel, dst)
        except OSError:
            shutil.copy2(tree / rel, dst)
    return target


# ----------------------------------------------------------------------------- reporting


def mb(n: int | float) -> str:
    return f"{n / MB:,.1f} MB"


def mem(kb: int) -> str:
    return f"{kb / 1024:,.0f} MiB" if kb else "n/a"


@dataclass
class ToolResult:
    name: str
    runs: list[Run]
    files: int
    bytes: int
    scale: float = 1.0  # full-tree bytes / scanned bytes (1.0 when not sampled)
    hits: dict[str, set[int]] = field(default_factory=dict)
    labels: dict[tuple[str, int], list[str]] = field(default_factory=dict)  # (path, line) -> rule ids / types

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def full_wall(self) -> float:
        return self.wall * self.scale


def pct(found: int, total: int) -> str:
    return f"{found}/{total} {100 * found / total:3.0f}%" if total else "-"


def matched_by(tool: ToolResult, planted: list[Planted]) -> str:
    c: Counter[str] = Counter()
    for p in planted:
        for line in range(p.line, p.end_line + 1):
            c.update(tool.labels.get((p.path, line), ()))
    return ", ".join(f"{k} ({v})" for k, v in c.most_common(2))


def report(corpus: Corpus, reused: bool, rs: ToolResult, ds: ToolResult | None, sample_paths: set[str] | None,
           args: argparse.Namespace, load_before: tuple[float, ...], warm_s: float, rs_doc: dict[str, Any],
           interval: float) -> dict[str, Any]:
    w = print
    w("")
    w("=" * 96)
    w("reposcrub work-tree scan benchmark")
    w("=" * 96)
    w(f"tree         {corpus.root}  ({'reused' if reused else f'generated in {corpus.generated_seconds:.1f} s'}; "
      f"spec size_mb={corpus.spec.size_mb} seed={corpus.spec.seed} v{corpus.spec.version})")
    w(f"             {corpus.files:,} files, {mb(corpus.bytes)}; page cache warmed in {warm_s:.1f} s")
    w("             " + ", ".join(f"{k} {v['files']:,}/{mb(v['bytes'])}" for k, v in corpus.categories.items()))
    w(f"planted      {len(corpus.positives)} positives in {len({p.kind for p in corpus.positives})} kinds, "
      f"{len(corpus.negatives)} negatives in {len({p.kind for p in corpus.negatives})} kinds; truth {corpus.truth_path}")
    w(f"machine      {os.cpu_count()} CPUs; load average before {' '.join(f'{x:.2f}' for x in load_before)}, "
      f"after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    w("")

    summary = rs_doc.get("summary", {})
    if summary.get("files_scanned") != corpus.files or summary.get("bytes_scanned") != corpus.bytes:
        w(f"WARNING: reposcrub reports {summary.get('files_scanned')} files / {summary.get('bytes_scanned')} bytes "
          f"scanned, the tree has {corpus.files} / {corpus.bytes}: its numbers do not cover the whole tree")
        w("")

    def tool_block(t: ToolResult, cmd: str) -> None:
        w(f"{t.name}")
        w(f"  command    {cmd}")
        for i, r in enumerate(t.runs, 1):
            w(f"  run {i}      {r.wall:8.2f} s wall  {r.cpu:8.2f} s cpu ({r.user:.1f} user + {r.sys:.1f} sys)  "
              f"peak RSS {mem(r.maxrss_kb)}  tree PSS {mem(r.tree_pss_kb)}  procs {r.max_procs}  exit {r.returncode}")
        lbl = "median" if len(t.runs) > 1 else "time"
        w(f"  {lbl:<10} {t.wall:8.2f} s wall  {t.files / t.wall:8,.0f} files/s  {t.bytes / MB / t.wall:7.2f} MB/s  "
          f"cpu {t.cpu:.2f} s  ({t.bytes / MB / t.cpu:.2f} MB per cpu-second)")
        w(f"  memory     peak RSS {mem(max(r.maxrss_kb for r in t.runs))} (largest process)   "
          f"tree PSS {mem(max(r.tree_pss_kb for r in t.runs))} / tree RSS {mem(max(r.tree_rss_kb for r in t.runs))} "
          f"(all its processes, summed)")

    tool_block(rs, f"reposcrub scan TREE --format json -o {args.tree_out_rs}  (x{len(rs.runs)}, GIT_CEILING_DIRECTORIES=TREE/..)")
    before, after = args.rules
    w(f"  rule pack  {before} rules before the runs, {after} after; findings per run: "
      f"{', '.join(str(r.findings) for r in rs.runs)}; recall below uses the last run")
    if before != after or len({r.findings for r in rs.runs}) > 1:
        w("  WARNING    the rule pack changed while measuring: the runs timed different rule sets")
    w(f"  own report {summary.get('files_scanned')} files, {summary.get('bytes_scanned')} bytes, "
      f"{summary.get('seconds')} s internal, {summary.get('findings')} findings {summary.get('by_category')}")
    notes = rs_doc.get("notes") or []
    if notes:
        w(f"  notes      {notes[:3]}")
    w("")
    if ds is not None:
        where = "TREE" if ds.scale == 1.0 else f"{corpus.root.name}.ds-sample"
        tool_block(ds, f"detect-secrets scan --all-files .  (cwd {where}, stdout -> {args.tree_out_ds}, x{len(ds.runs)})")
        if ds.scale != 1.0:
            w(f"  SAMPLED    detect-secrets ran on a --ds-sample {args.ds_sample} subset: {ds.files:,} files, {mb(ds.bytes)} "
              f"({100 * ds.bytes / corpus.bytes:.1f}% of the bytes); its time is scaled x{ds.scale:.2f} by bytes:")
            w(f"             full-tree estimate {ds.full_wall:,.1f} s wall, {ds.cpu * ds.scale:,.1f} s cpu. "
              f"Recall/false positives below count only planted items inside the sample.")
        w("")
        ratio = ds.full_wall / rs.wall
        w(f"speed ratio  detect-secrets / reposcrub = {ds.full_wall:,.1f} s / {rs.wall:.2f} s = {ratio:,.1f}x "
          f"(wall{', detect-secrets scaled from a sample' if ds.scale != 1.0 else ''}); "
          f"cpu {ds.cpu * ds.scale / rs.cpu:,.1f}x")
        w("")

    def table(title: str, items: list[Planted], positive: bool) -> dict[str, Any]:
        head = "found" if positive else "reported (false positives)"
        w(f"{title}: {head}")
        w(f"  {'kind':<28}{'planted':>8}  {'reposcrub':>13}  {'detect-secrets':>15}  matched by (reposcrub | detect-secrets)")
        kinds = sorted({p.kind for p in items})
        ds_items = [p for p in items if sample_paths is None or p.path in sample_paths]
        rs_score, ds_score = score(items, rs.hits), score(ds_items, ds.hits) if ds else None
        for k in kinds:
            rf, rt = rs_score.by_kind.get(k, (0, 0))
            dcell = pct(*ds_score.by_kind.get(k, (0, 0))) if ds_score else "-"
            mine = [p for p in items if p.kind == k]
            by = matched_by(rs, mine) + " | " + (matched_by(ds, [p for p in ds_items if p.kind == k]) if ds else "")
            w(f"  {k:<28}{rt:>8}  {pct(rf, rt):>13}  {dcell:>15}  {by}")
        dtot = pct(ds_score.found, ds_score.total) if ds_score else "-"
        w(f"  {'TOTAL':<28}{rs_score.total:>8}  {pct(rs_score.found, rs_score.total):>13}  {dtot:>15}")
        w("")
        return {"reposcrub": asdict(rs_score), "detect_secrets": asdict(ds_score) if ds_score else None}

    pos = table("recall on planted positives", corpus.positives, True)
    neg = table("planted negatives", corpus.negatives, False)

    planted = planted_lines(corpus)

    def elsewhere(t: ToolResult) -> tuple[int, Counter[str]]:
        c: Counter[str] = Counter()
        n = 0
        for (path, line), labels in t.labels.items():
            if line not in planted.get(path, ()):
                n += len(labels)
                c.update(labels)
        return n, c

    w("findings on lines with nothing planted (the filler holds no credentials; reposcrub also reports")
    w("hosts, personal data and org identifiers, which the filler may legitimately contain):")
    others = {}
    for t in (rs, ds):
        if t is None:
            continue
        n, c = elsewhere(t)
        others[t.name] = {"count": n, "by_label": dict(c.most_common())}
        w(f"  {t.name:<15} {n:>7,}  " + ", ".join(f"{k} {v:,}" for k, v in c.most_common(6)))
    w("")
    w("memory: peak RSS = largest single process, kernel rusage of the waited child (os.wait4, what /usr/bin/time -v")
    w(f"        reports); tree PSS/RSS = sum over the tool's process tree from /proc, sampled every {interval} s.")
    w("=" * 96)
    return {"positives": pos, "negatives": neg, "unplanted_findings": others}


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See the module docstring for details.")
    ap.add_argument("--tree", type=Path, default=BENCH / "out" / "tree", help="tree folder (default: bench/out/tree)")
    ap.add_argument("--size-mb", type=int, default=200, help="tree size in MB (10**6 bytes), at least (default 200)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--repeat", type=int, default=3, help="reposcrub runs; the median is reported (default 3)")
    ap.add_argument("--ds-sample", type=float, default=1.0,
                    help="run detect-secrets on about this fraction of the bytes and scale its time (default 1.0: full tree)")
    ap.add_argument("--ds-repeat", type=int, default=1, help="detect-secrets runs (default 1)")
    ap.add_argument("--skip-ds", action="store_true", help="do not run detect-secrets")
    ap.add_argument("--retries", type=int, default=5, help="retries of a failed reposcrub run (default 5)")
    ap.add_argument("--mem-interval", type=float, default=0.25, help="seconds between /proc memory samples (default 0.25)")
    ap.add_argument("--reposcrub", default=None, help="reposcrub executable (default: beside this python, else PATH)")
    ap.add_argument("--detect-secrets", dest="detect_secrets", default=None, help="detect-secrets executable")
    args = ap.parse_args(argv)
    if not 0 < args.ds_sample <= 1:
        ap.error("--ds-sample must be in (0, 1]")
    if args.repeat < 1 or args.ds_repeat < 1 or args.size_mb < 1:
        ap.error("--repeat, --ds-repeat and --size-mb must be at least 1")

    tree = args.tree.resolve()
    rs_exe = find_tool("reposcrub", args.reposcrub)
    ds_exe = None if args.skip_ds else find_tool("detect-secrets", args.detect_secrets)
    rs_out = tree.with_name(tree.name + ".reposcrub.json")
    ds_out = tree.with_name(tree.name + ".detect-secrets.json")
    args.tree_out_rs, args.tree_out_ds = rs_out.name, ds_out.name
    tree.parent.mkdir(parents=True, exist_ok=True)

    load_before = os.getloadavg()
    print(f"[1/3] tree {tree} (size_mb={args.size_mb}, seed={args.seed})", flush=True)
    corpus, reused = corpus_mod.ensure(tree, Spec(size_mb=args.size_mb, seed=args.seed))
    print(f"      {'reused' if reused else f'generated in {corpus.generated_seconds:.1f} s'}: "
          f"{corpus.files:,} files, {mb(corpus.bytes)}", flush=True)
    files = list_files(tree)
    if (len(files), sum(s for _, s in files)) != (corpus.files, corpus.bytes):
        sys.exit("scan_worktree: the tree does not match its truth file; delete it and rerun")
    warm_s = warm_cache(tree, files)

    print(f"[2/3] reposcrub x{args.repeat}", flush=True)
    rules_before = rule_count(rs_exe)
    rs_runs: list[Run] = []
    rs_doc: dict[str, Any] = {}
    for i in range(args.repeat):
        run, rs_doc = run_reposcrub(rs_exe, tree, rs_out, args.retries, args.mem_interval)
        run.findings = len(rs_doc.get("findings", []))
        rs_runs.append(run)
        print(f"      run {i + 1}: {run.wall:.2f} s, {run.findings} findings", flush=True)
    args.rules = (rules_before, rule_count(rs_exe))
    rs = ToolResult("reposcrub", rs_runs, corpus.files, corpus.bytes)
    # Info findings are documented example values, reported as such rather than as leaks.
    rs_pairs = [(f["path"], f["line"], f["rule_id"]) for f in rs_doc.get("findings", [])
                if f.get("location", "file") == "file" and f.get("severity") != "info"]
    rs.hits = hit_index((p, n) for p, n, _ in rs_pairs)
    for p, n, rule in rs_pairs:
        rs.labels.setdefault((os.path.normpath(p), int(n)), []).append(rule)

    ds = None
    sample_paths = None
    if ds_exe:
        target, ds_files = tree, files
        if args.ds_sample < 1:
            ds_files = choose_sample(files, args.ds_sample, args.seed)
            target = build_sample_dir(tree, ds_files)
            sample_paths = {rel for rel, _ in ds_files}
            print(f"      SAMPLING: detect-secrets on {len(ds_files):,} files, {mb(sum(s for _, s in ds_files))} "
                  f"(--ds-sample {args.ds_sample}) in {target}", flush=True)
        print(f"[3/3] detect-secrets x{args.ds_repeat} (slow)", flush=True)
        ds_runs = []
        ds_doc: dict[str, Any] = {}
        for i in range(args.ds_repeat):
            run, ds_doc = run_detect_secrets(ds_exe, target, ds_out, args.mem_interval)
            ds_runs.append(run)
            print(f"      run {i + 1}: {run.wall:.2f} s", flush=True)
        ds_bytes = sum(s for _, s in ds_files)
        ds = ToolResult("detect-secrets", ds_runs, len(ds_files), ds_bytes, scale=corpus.bytes / ds_bytes)
        ds_pairs = [(path, r["line_number"], r["type"]) for path, rs_list in ds_doc.get("results", {}).items() for r in rs_list]
        ds.hits = hit_index((p, n) for p, n, _ in ds_pairs)
        for p, n, typ in ds_pairs:
            ds.labels.setdefault((os.path.normpath(p), int(n)), []).append(typ)

    scores = report(corpus, reused, rs, ds, sample_paths, args, load_before, warm_s, rs_doc, args.mem_interval)

    saved = tree.with_name(tree.name + ".scan_worktree.json")
    doc = {
        "spec": asdict(corpus.spec), "tree_files": corpus.files, "tree_bytes": corpus.bytes,
        "reposcrub": {"runs": [asdict(r) for r in rs.runs], "median_wall": rs.wall, "median_cpu": rs.cpu},
        "detect_secrets": None if ds is None else {
            "runs": [asdict(r) for r in ds.runs], "median_wall": ds.wall, "files": ds.files, "bytes": ds.bytes,
            "scale": ds.scale, "full_tree_wall_estimate": ds.full_wall, "sample_fraction": args.ds_sample},
        "reposcrub_rules_before_after": list(args.rules),
        "ratio_wall": (ds.full_wall / rs.wall) if ds else None, **scores,
    }
    saved.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"numbers saved to {saved}")


if __name__ == "__main__":
    main()
