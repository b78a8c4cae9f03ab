"""Benchmark: ``reposcrub scrub`` (history rewrite) against ``git filter-repo --replace-text``.

Usage (from the repository root)::

    /tmp/venv/bin/python bench/scrub.py [REPO] [--size full|medium|small] [--repeat 1]
        [--commits N --unique-mb MB --branches B --seed S] [--fr-text-only]

What one run does, on one repository:

1. Without REPO, generates (or reuses) a synthetic bare repository with
   ``bench/gitrepo.py``. ``--size`` picks the spec: full = 20,000 commits / 500 MB of
   unique blobs / 200 branches (the default), medium = 5,000 / 125 / 50, small = 2,000 /
   50 / 20; ``--commits`` etc. override. Writes the organisation profile
   (``[org]`` names, domains, namespaces, codenames, ticket_prefixes; ``gitrepo.ORG``) to
   ``profile.toml`` in the work folder ``bench/out/scrub/<repo name>/``.
2. ``reposcrub scrub REPO --out DIR --profile profile.toml --no-verify``, then the same
   without ``--no-verify`` (verification is the default), each ``--repeat`` times. The
   CLI runs in a child process (``bench/inproc.py``) that wraps reposcrub's phases with
   timers (nothing in reposcrub is edited): scan of the input, plan (every blob with
   findings cleaned), rewrite (git-filter-repo with reposcrub's callbacks, in reposcrub's
   own mirror clone, including filter-repo's final repack), writing the new repository
   (fetch, checkout, gc), verification (re-scan of the copy, fsck, structure and
   untouched-file checks), reports. "other" is the rest: mirror clone, profile, start-up.
3. On a fresh ``git clone --mirror --no-local`` of the same repository (the clone is not
   timed), ``git filter-repo --force --quiet --replace-text TERMS`` with literal terms: the
   organisation's names in their case and separator variants, codename, domain,
   namespaces, the ticket prefix, every author's name and e-mail, and every planted
   secret (a PEM key by its first base64 line). Unless ``--fr-text-only``, also
   ``--replace-text TERMS --replace-message TERMS`` on another fresh copy (messages too,
   closer to what reposcrub rewrites). Each ``--repeat`` times.
4. Prints per run the wall/CPU time and memory, reposcrub's phases, its plan (findings,
   replacements, blobs rewritten), the verification result and leftover findings, the
   ratio reposcrub rewrite phase / filter-repo (target: within 2x), and an independent
   check of every output: planted values and occurrences of "globex" (any case) left in
   any object (blobs, trees, commits, tags), found by reading all objects with
   ``git cat-file --batch-all-objects --batch``.

Runs are interleaved round by round (reposcrub --no-verify, reposcrub with verification,
filter-repo, filter-repo with messages) so drift on a shared machine hits all alike.
Memory: peak RSS of the largest process (os.wait4, in a small launcher so the benchmark's
own memory is not counted: ``bench/proctree.py``) and summed PSS of the process tree
sampled from /proc. Sizes: MB = 10**6 bytes. Numbers
are written to ``<work folder>/scrub.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gitrepo  # noqa: E402
from gitrepo import MB, RepoInfo, RepoSpec  # noqa: E402
from proctree import code_version, measure  # noqa: E402
from scan_worktree import Run  # noqa: E402

BENCH = Path(__file__).resolve().parent
TARGET_RATIO = 2.0
SIZES = {"full": (20_000, 500, 200), "medium": (5_000, 125, 50), "small": (2_000, 50, 20)}

try:
    import re2 as _re  # linear-time, fast on large inputs; reposcrub depends on it
except ImportError:  # pragma: no cover
    import re as _re


def mbs(n: float) -> str:
    return f"{n / MB:,.1f} MB"


def mem(kb: int) -> str:
    return f"{kb * 1024 / MB:,.0f} MB" if kb else "n/a"


@dataclass
class Result:
    name: str
    runs: list[Run] = field(default_factory=list)
    phases: list[dict[str, Any]] = field(default_factory=list)
    check: dict[str, Any] = field(default_factory=dict)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    def phase(self, name: str) -> float:
        vals = [p.get("seconds", {}).get(name) for p in self.phases]
        vals = [v for v in vals if v is not None]
        return statistics.median(vals) if vals else float("nan")


# ----------------------------------------------------------------------------- inputs


def write_profile(path: Path, org: dict[str, list[str]]) -> None:
    def toml_list(items: list[str]) -> str:
        return "[" + ", ".join(json.dumps(i) for i in items) + "]"

    lines = ["[org]"] + [f"{key} = {toml_list(org[key])}" for key in
                         ("names", "domains", "namespaces", "codenames", "ticket_prefixes") if org.get(key)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _variants(name: str) -> list[str]:
    words = name.split()
    out = [name, name.lower(), name.upper()]
    if len(words) > 1:
        out += ["".join(words), "_".join(w.lower() for w in words), "_".join(w.upper() for w in words),
                "-".join(w.lower() for w in words)]
    return out


def literal_terms(info: RepoInfo) -> tuple[list[str], dict[str, int]]:
    """Literal terms for filter-repo and how many of each sort."""
    org = info.org
    groups = {
        "org names (case/separator variants)": [v for n in org["names"] for v in _variants(n)],
        "codenames (case variants)": [v for n in org.get("codenames", []) for v in _variants(n)],
        "domains": list(org["domains"]),
        "namespaces": list(org.get("namespaces", [])),
        "ticket prefixes (as 'GLX-')": [p + "-" for p in org.get("ticket_prefixes", [])],
        "people names": [i["name"] for i in info.identities],
        "people e-mails": [i["email"] for i in info.identities],
        "planted secrets": [p.value.splitlines()[1] if p.value.startswith("-----") else p.value for p in info.planted],
    }
    seen: dict[str, None] = {}
    counts = {}
    for label, items in groups.items():
        fresh = [t for t in dict.fromkeys(items) if t not in seen]
        seen.update(dict.fromkeys(fresh))
        counts[label] = len(fresh)
    return sorted(seen, key=lambda t: (-len(t), t)), counts


def write_terms(path: Path, terms: list[str]) -> None:
    # Longest first, so "Globex Corporation" goes before "Globex"; one replacement for all.
    path.write_text("".join(f"literal:{t}==>REDACTED\n" for t in terms), encoding="utf-8")


# ----------------------------------------------------------------------------- runs


def run_reposcrub(repo: Path, work: Path, profile: Path, verify: bool, index: int, interval: float) -> tuple[Run, dict[str, Any]]:
    tag = "verify" if verify else "noverify"
    out = work / f"out-{tag}"
    shutil.rmtree(out, ignore_errors=True)
    for stale in (work / f"out-{tag}.commit-map",):
        stale.unlink(missing_ok=True)
    phases = work / f"phases-{tag}-{index}.json"
    cmd = [sys.executable, str(BENCH / "inproc.py"), "--json", str(phases), "scrub", str(repo), "--out", str(out),
           "--profile", str(profile)] + ([] if verify else ["--no-verify"])
    run = measure(cmd, work, work / f"reposcrub-{tag}.stdout", work / f"reposcrub-{tag}.stderr", None, interval)
    try:
        doc = json.loads(phases.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        doc = {}
    return run, doc


def run_filter_repo(repo: Path, work: Path, terms: Path, messages: bool, interval: float) -> Run:
    tag = "fr-text-message" if messages else "fr-text"
    copy = work / f"{tag}.git"
    shutil.rmtree(copy, ignore_errors=True)
    subprocess.run(["git", "clone", "--mirror", "--no-local", "--quiet", str(repo), str(copy)], check=True)
    exe = Path(sys.executable).with_name("git-filter-repo")
    cmd = ([str(exe)] if exe.exists() else [sys.executable, "-m", "git_filter_repo"]) + \
        ["--force", "--quiet", "--replace-text", str(terms)] + (["--replace-message", str(terms)] if messages else [])
    return measure(cmd, copy, work / f"{tag}.stdout", work / f"{tag}.stderr", None, interval)


def leftovers(repo: Path, info: RepoInfo) -> dict[str, Any]:
    """Planted values and 'globex' (any case) left in any object of repo, read with cat-file."""
    values = {p.value.splitlines()[1] if p.value.startswith("-----") else p.value: p for p in info.planted}
    pattern = _re.compile("|".join(_re.escape(v) for v in sorted(values, key=len, reverse=True)).encode())
    org = _re.compile(rb"(?i)globex")
    proc = subprocess.Popen(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=repo, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    found: set[str] = set()
    org_hits: Counter[str] = Counter()
    org_objects: Counter[str] = Counter()
    while header := proc.stdout.readline():
        _oid, kind, size = header.split()
        data = proc.stdout.read(int(size))
        proc.stdout.read(1)
        for m in pattern.finditer(data):
            found.add(m.group().decode())
        n = len(org.findall(data))
        if n:
            org_hits[kind.decode()] += n
            org_objects[kind.decode()] += 1
    proc.wait()
    kinds = Counter(values[v].kind for v in found)
    return {"planted_left": len(found), "planted_total": len(values), "planted_left_by_kind": dict(kinds),
            "planted_left_locations": dict(Counter(values[v].location for v in found)),
            "globex_occurrences": dict(org_hits), "globex_objects": dict(org_objects)}


# ----------------------------------------------------------------------------- report

_PHASE_ORDER = [
    "scan input", "identity people", "plan (clean every blob with findings)", "rewrite (git-filter-repo + callbacks)",
    "  rewrite: file_info callback", "  rewrite: message callback", "  rewrite: commit callback", "  rewrite: refname callback",
    "write repository (fetch, checkout, gc)", "verify (total)", "verify: re-scan the copy", "  verify: fsck unreachable",
    "  verify: check structure", "  verify: check untouched files", "reports",
]


def _phase_lines(w: Any, doc: dict[str, Any]) -> None:
    seconds = doc.get("seconds", {})
    total = doc.get("total", 0.0)
    if not seconds or not total:
        return
    top = 0.0
    for name in _PHASE_ORDER:
        if name not in seconds:
            continue
        secs = seconds[name]
        nested = name.startswith("  ") or name == "verify: re-scan the copy"  # inside rewrite / verify (total)
        if not nested:
            top += secs
        shown = "  " + name if name == "verify: re-scan the copy" else name
        w(f"    {shown:<44}{secs:9.2f} s {100 * secs / total:5.1f}%")
    w(f"    {'other (mirror clone, profile, start-up)':<44}{total - top:9.2f} s {100 * (total - top) / total:5.1f}%")
    w(f"    {'total in process':<44}{total:9.2f} s")
    if doc.get("not_timed"):
        w(f"    not timed (no longer in reposcrub?): {', '.join(doc['not_timed'])}")
    calls = doc.get("calls", {})

    def part(name: str) -> str:
        return f"{seconds.get(name, 0.0):.1f} s ({calls.get(name, 0):,} calls)"

    w("    in the main process (plan, rewrite callbacks; the scans' detectors run in worker processes, not counted here):")
    w(f"      Cleaner.clean {part('cleaner (Cleaner.clean)')}: detector rules {part('detector: rules')}, "
      f"identifiers {part('detector: identifiers')}, syntax annotate {part('syntax annotate (tree-sitter context)')},")
    w(f"      syntax-regression check {part('syntax-regression check')}; "
      f"tree-sitter parse_context in all {part('  of which tree-sitter parse_context')}")


def report(repo: Path, info: RepoInfo, how: str, work: Path, terms: tuple[list[str], dict[str, int]],
           results: list[Result], args: argparse.Namespace, load_before: tuple[float, ...]) -> dict[str, Any]:
    w = print
    s = info.stats
    w("")
    w("=" * 100)
    w("reposcrub scrub benchmark")
    w("=" * 100)
    w(f"repository   {repo}  ({how})")
    w(f"             {s['commits']:,} commits, {s['branches']} branches, {s['tags']} tags; {s['blobs']:,} unique blobs, "
      f"{mbs(s['blob_bytes'])}; pack {mbs(s['pack_bytes'])}; {len(info.planted)} planted secrets")
    w(f"reposcrub    {args.code}")
    w(f"profile      {work / 'profile.toml'}: " + "; ".join(f"{k} {v}" for k, v in info.org.items()))
    w(f"terms        {len(terms[0])} literal terms for filter-repo ({work / 'terms.txt'}): "
      + ", ".join(f"{k} {v}" for k, v in terms[1].items()))
    w(f"machine      {os.cpu_count()} CPUs; load average before {' '.join(f'{x:.2f}' for x in load_before)}, "
      f"after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    w("")
    by_name = {r.name: r for r in results}
    for r in results:
        w(r.name)
        for i, run in enumerate(r.runs, 1):
            w(f"  run {i}      {run.wall:8.2f} s wall  {run.cpu:8.2f} s cpu ({run.user:.1f} user + {run.sys:.1f} sys)  "
              f"peak RSS {mem(run.maxrss_kb)}  tree PSS {mem(run.tree_pss_kb)}  procs {run.max_procs}  exit {run.returncode}")
            if run.returncode not in (0, 1):
                w(f"  stderr     {run.stderr_tail}")
        if len(r.runs) > 1:
            w(f"  median     {r.wall:8.2f} s wall")
        if r.phases:
            w("  phases (last run; bench/inproc.py timers)")
            _phase_lines(w, r.phases[-1])
            res = r.phases[-1].get("result", {})
            if res:
                w(f"  plan       {res['input_findings']:,} findings in the input; replaced {res['replaced']:,} "
                  f"({res['replaced_distinct_values']:,} distinct values): {res['replaced_by_category']}")
                w(f"             {res['blobs_rewritten']:,} blobs rewritten, {res['paths_renamed']} paths renamed, "
                  f"{res['secret_files']} secret files removed, {res['plan_leftover']} left by the plan, "
                  f"{res['broken_syntax']} files whose syntax broke")
                v = res.get("verification")
                if v is not None:
                    w(f"  verified   {'PASSED' if v['ok'] else 'FAILED'}: {v['leftover']:,} findings left, "
                      f"{v['review']} for review, {v['problem_count']} problems")
                    if v["leftover"]:
                        w(f"  left by rule      {v['leftover_by_rule']}")
                        w(f"  left by location  {v['leftover_by_location']}")
                        for f in v["leftover_sample"][:8]:
                            where = f"{f['path']}:{f['line']}" if f["location"] == "file" else f"{f['location']} {f['path'][:40]}"
                            w(f"    left: {f['rule_id']} {where} {f['preview'][:40]}")
                    if v.get("sweep"):
                        w(f"  sweep      {v['sweep']}")
                    for line in v.get("evidence", []):
                        w(f"  evidence   {line}")
                    for problem in v["problems"][:5]:
                        w(f"    problem: {problem}")
        if r.check:
            c = r.check
            w(f"  output     planted values left in any object: {c['planted_left']}/{c['planted_total']} "
              f"{c['planted_left_locations'] or ''}; 'globex' (any case) left: "
              f"{sum(c['globex_occurrences'].values()):,} occurrences in {sum(c['globex_objects'].values()):,} objects "
              f"{c['globex_objects'] or ''}")
        w("")
    noverify = by_name.get("reposcrub scrub --no-verify")
    verify = by_name.get("reposcrub scrub (with verification)")
    fr = by_name.get("git filter-repo --replace-text")
    frm = by_name.get("git filter-repo --replace-text --replace-message")
    ratios: dict[str, float] = {}
    if fr is not None:
        w("ratios (medians of this run)")
        base = fr.wall
        for label, value in (
            ("reposcrub rewrite phase (--no-verify run)", noverify.phase("rewrite (git-filter-repo + callbacks)") if noverify else None),
            ("reposcrub rewrite phase (verify run)", verify.phase("rewrite (git-filter-repo + callbacks)") if verify else None),
            ("reposcrub scrub --no-verify, whole", noverify.wall if noverify else None),
            ("reposcrub scrub with verification, whole", verify.wall if verify else None),
        ):
            if value is None:
                continue
            ratio = value / base
            ratios[label] = ratio
            target = f"   (target within {TARGET_RATIO:.0f}x: {'MET' if ratio <= TARGET_RATIO else 'MISSED'})" if "rewrite phase (--no" in label else ""
            w(f"  {label:<44} {value:8.2f} s / filter-repo {base:.2f} s = {ratio:5.2f}x{target}")
        if frm is not None and noverify is not None:
            value = noverify.phase("rewrite (git-filter-repo + callbacks)")
            w(f"  {'rewrite phase vs filter-repo with messages':<44} {value:8.2f} s / {frm.wall:.2f} s = {value / frm.wall:5.2f}x")
        w("")
    w("memory: peak RSS = largest single process (os.wait4 rusage via bench/proctree.py's launcher); tree PSS = sum")
    w(f"        over the process tree from /proc, sampled every {args.mem_interval} s.  MB = 10**6 bytes.")
    w(f"work folder: {work}")
    w("=" * 100)
    return ratios


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See the module docstring for details.")
    ap.add_argument("repo", type=Path, nargs="?", default=None, help="repository to scrub (default: generate one)")
    ap.add_argument("--size", choices=sorted(SIZES), default="full", help="generated repository size (default full)")
    ap.add_argument("--commits", type=int, default=None)
    ap.add_argument("--unique-mb", type=int, default=None)
    ap.add_argument("--branches", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1, help="rounds; medians reported (default 1)")
    ap.add_argument("--fr-text-only", action="store_true", help="skip the filter-repo run that also rewrites messages")
    ap.add_argument("--skip-verify-run", action="store_true", help="skip the reposcrub run with verification")
    ap.add_argument("--no-check", action="store_true", help="skip reading every output object for leftovers")
    ap.add_argument("--mem-interval", type=float, default=0.25)
    args = ap.parse_args(argv)

    load_before = os.getloadavg()
    args.code = code_version()
    if args.repo is not None:
        repo = args.repo.resolve()
        info = gitrepo.load(repo)
        if info is None:
            sys.exit(f"scrub: {repo} has no truth file beside it ({repo.name}.truth.json); generate one with bench/gitrepo.py")
        how = "given"
    else:
        commits, unique_mb, branches = SIZES[args.size]
        spec = RepoSpec(args.commits or commits, args.unique_mb or unique_mb, args.branches or branches, args.seed)
        repo = gitrepo.default_path(spec)
        repo.parent.mkdir(parents=True, exist_ok=True)
        print(f"[1/3] repository {spec.name}", flush=True)
        info, reused = gitrepo.ensure(repo, spec, log=lambda s: print(s, flush=True))
        how = "reused" if reused else f"generated in {info.generated_seconds:.1f} s"
    work = BENCH / "out" / "scrub" / repo.name.removesuffix(".git")
    work.mkdir(parents=True, exist_ok=True)
    profile = work / "profile.toml"
    write_profile(profile, info.org)
    terms = literal_terms(info)
    write_terms(work / "terms.txt", terms[0])

    plan = [("reposcrub scrub --no-verify", "rs", False)]
    if not args.skip_verify_run:
        plan.append(("reposcrub scrub (with verification)", "rs", True))
    plan.append(("git filter-repo --replace-text", "fr", False))
    if not args.fr_text_only:
        plan.append(("git filter-repo --replace-text --replace-message", "fr", True))
    results = {name: Result(name) for name, _, _ in plan}
    print(f"[2/3] {args.repeat} round(s): " + ", ".join(name for name, _, _ in plan), flush=True)
    for i in range(args.repeat):
        for name, tool, flag in plan:
            if tool == "rs":
                run, doc = run_reposcrub(repo, work, profile, flag, i, args.mem_interval)
                results[name].phases.append(doc)
            else:
                run = run_filter_repo(repo, work, work / "terms.txt", flag, args.mem_interval)
            results[name].runs.append(run)
            print(f"      round {i + 1}: {name}: {run.wall:.2f} s (exit {run.returncode})", flush=True)
    if not args.no_check:
        print("[3/3] reading every object of each output for leftovers", flush=True)
        outputs = {"reposcrub scrub --no-verify": work / "out-noverify", "reposcrub scrub (with verification)": work / "out-verify",
                   "git filter-repo --replace-text": work / "fr-text.git",
                   "git filter-repo --replace-text --replace-message": work / "fr-text-message.git"}
        for name, path in outputs.items():
            if name in results and path.exists():
                results[name].check = leftovers(path, info)

    ratios = report(repo, info, how, work, terms, list(results.values()), args, load_before)
    saved = work / "scrub.json"
    saved.write_text(json.dumps({
        "repo": str(repo), "reposcrub": args.code, "spec": asdict(info.spec), "stats": info.stats, "terms": terms[1], "ratios": ratios,
        "results": {r.name: {"runs": [asdict(x) for x in r.runs], "median_wall": r.wall, "phases": r.phases, "check": r.check}
                    for r in results.values()},
    }, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"numbers saved to {saved}")


if __name__ == "__main__":
    main()
