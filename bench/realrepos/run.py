"""Acceptance bench on real repositories: scrub each with a hand-written profile, then check
the copy independently of reposcrub.

    python bench/realrepos/run.py PATH [PATH ...] [--out bench/out/realrepos] [--no-tests]

Each PATH is a git repository (a bare mirror is fine) whose path contains the `match` of an
entry in repos.toml; it is mirror-cloned first and never modified. For each, `reposcrub
scrub` runs as a user runs it (the CLI in a subprocess), then the bench's own checks:

- a literal sweep of every profile term (every case and separator style) and every person
  of the input's history through every object and ref name of a fresh
  `git clone --mirror --no-local` of the output (sweep.py),
- at every ref tip: files that parsed before and not after (tree-sitter), and files
  extra or missing in the output under the rename map (trees.py),
- the repository's own tests on HEAD before and after, where repos.toml says how (testrun.py).

With --inferred, each repository is also scrubbed with the draft `reposcrub profile infer`
prints, used as printed, and judged against the same hand-written profile's terms.

One table at the end; "FALSE PASS" marks a repository where reposcrub said "passed" and the
independent checks found something: the worst failure a scrubber can have.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sweep import SweepResult, identity_terms, profile_terms, sweep  # noqa: E402
from testrun import TestOutcome, checkout, python_env, run_tests  # noqa: E402
from trees import TreeReport, compare  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


@dataclass
class Row:
    repo: str
    language: str
    commits: int
    said: str
    seconds: float
    leaks: SweepResult
    trees: TreeReport
    before: TestOutcome
    after: TestOutcome

    @property
    def false_pass(self) -> bool:
        broken = self.leaks.total or self.trees.regressions or self.trees.extra or self.trees.missing
        worse = self.before.ran and self.after.passed < self.before.passed
        return self.said == "passed" and bool(broken or worse or self.trees.unmapped_refs)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True, text=True).stdout


def scrub(source: Path, out: Path, profile: Path) -> tuple[str, float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "reposcrub", "scrub", str(source), "--out", str(out),
                           "--profile", str(profile), "--force"], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    text = done.stdout + done.stderr
    said = "passed" if "verification: passed" in text else "FAILED" if "verification: FAILED" in text \
        else f"error (exit {done.returncode})"
    return said, seconds, text


def commit_map(out: Path) -> dict[str, str]:
    path = out.parent / f"{out.name}.commit-map"
    if not path.is_file():
        return {}
    rows = [line.split() for line in path.read_text().splitlines()[1:]]
    return {row[0]: row[1] for row in rows if len(row) == 2}


def rename_map(out: Path) -> dict[str, str] | None:
    """The scrub report's rename map if it has one; else None (trees.py pairs renames itself)."""
    path = out.parent / f"{out.name}.scrub-report.json"
    if not path.is_file():
        return None
    report = json.loads(path.read_text())
    for key in ("rename_map", "renames", "renamed"):
        if isinstance(report.get(key), dict):
            return {str(k): str(v) for k, v in report[key].items()}
    return None


def inferred_profile(source: Path, work: Path) -> Path:
    """The draft `reposcrub profile infer` prints, used exactly as printed."""
    draft = work / "inferred.toml"
    done = subprocess.run([sys.executable, "-m", "reposcrub", "profile", "infer", str(source)], capture_output=True,
                          text=True, check=True)
    draft.write_text(done.stdout)
    return draft


def bench_one(path: Path, name: str, entry: dict, work: Path, with_tests: bool, inferred: bool = False) -> Row:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    source = work / "input.git"
    subprocess.run(["git", "clone", "-q", "--mirror", "--no-local", str(path), str(source)], check=True)
    # The hand-written profile says what must go; an inferred draft is judged against it.
    profile = HERE / entry["profile"]
    used = inferred_profile(source, work) if inferred else profile
    out = work / "scrubbed"
    said, seconds, log = scrub(source, out, used)
    (work / "scrub.log").write_text(log)
    fresh = work / "fresh.git"
    if out.exists():
        subprocess.run(["git", "clone", "-q", "--mirror", "--no-local", str(out), str(fresh)], check=True)
    org_terms = profile_terms(profile)
    terms = org_terms + identity_terms(source)
    leaks = sweep(fresh, terms) if fresh.exists() else SweepResult()
    # Renames are paired on every term either profile names (the draft may rename more).
    rename_terms = sorted({t.pattern for t in org_terms + profile_terms(used)}, key=len, reverse=True)
    term_regex = re.compile("|".join(f"(?:{p})" for p in rename_terms), re.I)
    cmap = commit_map(out)
    trees = compare(source, fresh, cmap, rename_map(out), term_regex) if fresh.exists() else TreeReport()
    before = after = TestOutcome(False, note=entry.get("why_no_tests", "n/a"))
    if with_tests and "test" in entry:
        before, after = _tests(source, fresh, cmap, entry, work)
    return Row(name + (" (inferred)" if inferred else ""), entry["language"], int(git(source, "rev-list", "--all", "--count")), said, seconds,
               leaks, trees, before, after)


def _tests(source: Path, fresh: Path, cmap: dict[str, str], entry: dict, work: Path) -> tuple[TestOutcome, TestOutcome]:
    env = python_env(work, entry.get("deps", [])) if entry["language"] == "Python" else None
    head = git(source, "rev-parse", "HEAD").strip()
    results = []
    for repo, commit, where in ((source, head, "wt-before"), (fresh, cmap.get(head, ""), "wt-after")):
        if not commit:
            results.append(TestOutcome(False, note="no rewritten HEAD"))
            continue
        tree = checkout(repo, commit, work / where)
        results.append(run_tests(tree, entry.get("setup", []), entry["test"], env or _plain_env(), entry.get("timeout", 600)))
    return results[0], results[1]


def _plain_env() -> dict[str, str]:
    import os

    return dict(os.environ)


def table(rows: list[Row]) -> str:
    head = ("repo", "lang", "commits", "leaks left (org/people; objects)", "parse regr.", "extra/missing (ref:path)",
            "tests before", "tests after", "reposcrub said", "flag")
    lines = [head]
    for r in rows:
        objects = sum(r.leaks.objects.values())
        leaks = f"{r.leaks.hits['org']}/{r.leaks.hits['person']}; {objects}"
        paths = [len({x.split(":", 1)[1] for x in found}) for found in (r.trees.extra, r.trees.missing)]
        files = f"{len(r.trees.extra)}/{len(r.trees.missing)} ({paths[0]}/{paths[1]} paths)" + (f" ({len(r.trees.unmapped_refs)} refs unmapped)"
                                                                  if r.trees.unmapped_refs else "")
        lines.append((r.repo, r.language, str(r.commits), leaks, str(len(r.trees.regressions)), files,
                      str(r.before), str(r.after), f"{r.said} ({r.seconds:.0f}s)", "FALSE PASS" if r.false_pass else ""))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join(" | ".join(cell.ljust(w) for cell, w in zip(line, widths)) for line in lines)


def details(row: Row) -> str:
    top = ", ".join(f"{term} {n}" for term, n in row.leaks.by_term.most_common(8))
    where = ", ".join(f"{kind} {n}" for kind, n in sorted(row.leaks.objects.items()))
    regressions = sorted(row.trees.regressions)[:5]
    extra, missing = sorted(row.trees.extra)[:3], sorted(row.trees.missing)[:3]
    return (f"{row.repo}: most left: {top or 'none'}; objects with hits: {where or 'none'}; "
            f"tips compared {row.trees.tips_compared}, file checks {row.trees.parsed}; "
            f"regressions e.g. {regressions}; extra e.g. {extra}; missing e.g. {missing}; "
            f"refs without a rewritten tip: {row.trees.unmapped_refs[:3]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "realrepos")
    parser.add_argument("--no-tests", action="store_true")
    parser.add_argument("--inferred", action="store_true",
                        help="also scrub each with the draft of `reposcrub profile infer`, as printed")
    args = parser.parse_args()
    config = tomllib.loads((HERE / "repos.toml").read_text())
    rows = []
    for path in args.paths:
        name, entry = next(((n, e) for n, e in config.items() if e["match"] in str(path.resolve())), (None, None))
        if entry is None:
            sys.exit(f"no entry in repos.toml matches {path}")
        print(f"{name}: scrubbing and checking ...", file=sys.stderr, flush=True)
        rows.append(bench_one(path, name, entry, args.out / name, not args.no_tests))
        print(details(rows[-1]), file=sys.stderr, flush=True)
        if args.inferred:
            rows.append(bench_one(path, name, entry, args.out / f"{name}-inferred", not args.no_tests, inferred=True))
            print(details(rows[-1]), file=sys.stderr, flush=True)
    print(table(rows))


if __name__ == "__main__":
    main()
