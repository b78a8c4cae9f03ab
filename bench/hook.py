"""Benchmark: the pre-commit hook's command on a normal commit. Target: under 1 s wall.

Usage (from the repository root)::

    /tmp/venv/bin/python bench/hook.py [--repeat 15] [--files 10] [--base-files 300] [--profile]

What one run does:

1. Builds a git repository in a temporary directory: ``--base-files`` committed source files
   (Python, JavaScript, TypeScript, Go, YAML, JSON, Markdown; 1-40 KB each), then changes
   ``--files`` of them (edits spread through each file, plus one new file) and stages them,
   as a developer's commit would. No credentials: the common case is a clean commit.
2. Times, as subprocesses from the repository's directory, ``--repeat`` times each (after a
   warm-up run), and prints the medians:
   - ``python -c pass``: interpreter start-up, the floor under any Python hook;
   - ``python -c "import reposcrub.cli"``: start-up plus the CLI module;
   - ``reposcrub scan --staged --no-history``: the hook's entry, exactly as pre-commit runs
     it (the console script, interpreter start-up included; exit 0 expected);
   - the same with a staged fake AWS key, the blocking case (exit 1 expected).
3. ``--profile`` adds the slowest imports (``python -X importtime``) and the top functions
   by cumulative time (cProfile) of one hook run.

The console script is the one beside this interpreter (``bin/reposcrub`` of the venv), or
``--reposcrub PATH``: pre-commit's hook environment is a regular (not editable) install, whose
import path is shorter than an editable install's. Bytecode is cached under a temporary
``PYTHONPYCACHEPREFIX`` even where ``PYTHONDONTWRITEBYTECODE`` is set, as an installed package
has its ``.pyc`` files; the warm-up run writes them. Wall times depend on the machine's load,
so the CPU time (user + system, the command's whole process tree) and the load average are
printed too.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import resource
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 1.0
HOOK = ["scan", "--staged", "--no-history"]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}
KINDS = (".py", ".js", ".ts", ".go", ".yaml", ".json", ".md")


PYCACHE = Path(tempfile.gettempdir()) / "reposcrub-hook-bench-pycache"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(GIT_ENV, PYTHONPYCACHEPREFIX=str(PYCACHE))
    return env


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=_env(), check=True, capture_output=True)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 10)))


def _line(kind: str, rng: random.Random, n: int) -> str:
    a, b = _word(rng), _word(rng)
    return {
        ".py": f"def {a}_{n}({b}):\n    \"\"\"Return the {a} of {b}.\"\"\"\n    return {b}.get('{a}', {n})  # {a}\n",
        ".js": f"export function {a}{n}({b}) {{\n  // {a} {b}\n  return {b}['{a}'] ?? {n};\n}}\n",
        ".ts": f"export const {a}{n} = ({b}: string): number => {b}.indexOf('{a}') + {n};\n",
        ".go": f"func {a.capitalize()}{n}({b} string) int {{\n\treturn strings.Index({b}, \"{a}\") + {n}\n}}\n",
        ".yaml": f"{a}_{n}:\n  name: {b}\n  replicas: {n % 7}\n  image: registry.example.com/{a}:{n}\n",
        ".json": f'  "{a}_{n}": {{"name": "{b}", "size": {n}}},\n',
        ".md": f"## {a.capitalize()} {n}\n\nThe {a} step reads {b} and writes it back; see `{a}_{n}`.\n\n",
    }[kind]


def _file(kind: str, size: int, rng: random.Random) -> str:
    parts: list[str] = ["{\n"] if kind == ".json" else []
    n = 0
    while sum(map(len, parts)) < size:
        parts.append(_line(kind, rng, n))
        n += 1
    if kind == ".json":
        parts.append('  "end": true\n}\n')
    return "".join(parts)


def build_repo(root: Path, base_files: int, changed: int, rng: random.Random, token: str | None = None) -> int:
    """A repository with base_files committed and `changed` files staged; returns staged bytes."""
    _git(root, "-c", "init.defaultBranch=main", "init", "-q")
    paths = []
    for i in range(base_files):
        kind = KINDS[i % len(KINDS)]
        path = root / f"src/pkg{i % 12}/module_{i}{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_file(kind, rng.randint(1_000, 40_000), rng))
        paths.append(path)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    staged = 0
    for path in rng.sample(paths, changed - 1):
        lines = path.read_text().splitlines(keepends=True)
        for _ in range(5):  # edits spread through the file
            lines.insert(rng.randrange(len(lines) + 1), _line(path.suffix, rng, rng.randint(1000, 9999)))
        path.write_text("".join(lines))
        staged += path.stat().st_size
    new = root / "src/new_feature.py"
    new.write_text(_file(".py", 8_000, rng) + (f"\nAWS_KEY = '{token}'\n" if token else ""))
    staged += new.stat().st_size
    _git(root, "add", "-A")
    return staged


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(cmd: list[str], cwd: Path, repeat: int, expect: int) -> tuple[float, float]:
    """Median wall and CPU seconds of cmd."""
    subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True)  # warm-up: page cache, .pyc
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, start = _cpu(), time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True)
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
        if proc.returncode != expect:
            raise SystemExit(f"{' '.join(cmd)}: exit {proc.returncode}, expected {expect}\n{proc.stderr.decode()}")
    return statistics.median(walls), statistics.median(cpus)


def _reposcrub(given: str | None) -> list[str]:
    script = Path(given) if given else Path(sys.executable).parent / "reposcrub"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reposcrub"]


def _profile(repo: Path, python: str) -> None:
    proc = subprocess.run([python, "-X", "importtime", "-m", "reposcrub", *HOOK], cwd=repo, env=_env(),
                          capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
            rows.append((int(cumulative), name))
    print("\nslowest imports (cumulative ms, top-level packages and reposcrub modules):")
    for micros, name in sorted(rows, reverse=True)[:25]:
        if "." not in name.strip() or name.strip().startswith("reposcrub"):
            print(f"  {micros / 1000:8.1f}  {name}")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from reposcrub.cli import main

    profiler, cwd = cProfile.Profile(), Path.cwd()
    os.chdir(repo)
    try:
        profiler.runcall(lambda: _swallow_exit(main, HOOK))
    finally:
        os.chdir(cwd)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print("\ncProfile of one hook run in this process (imports already warm are not counted):")
    print("\n".join(out.getvalue().splitlines()[:45]))


def _swallow_exit(main: object, argv: list[str]) -> None:
    try:
        main(argv)  # type: ignore[operator]
    except SystemExit:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--files", type=int, default=10, help="files changed in the commit")
    parser.add_argument("--base-files", type=int, default=300, help="files already in the repository")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--reposcrub", help="the console script to time (default: beside this Python)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    token = "AKIA" + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16))
    with tempfile.TemporaryDirectory(prefix="reposcrub-hook-bench-") as tmp:
        clean, leaky = Path(tmp) / "clean", Path(tmp) / "leaky"
        clean.mkdir()
        leaky.mkdir()
        staged = build_repo(clean, args.base_files, args.files, random.Random(args.seed))
        build_repo(leaky, args.base_files, args.files, random.Random(args.seed), token)
        hook = _reposcrub(args.reposcrub) + HOOK
        python = str(Path(hook[0]).parent / "python") if args.reposcrub else sys.executable
        print(f"repository: {args.base_files} files; commit: {args.files} staged files, {staged / 1000:.0f} KB; "
              f"{args.repeat} runs each, medians; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
              f"Python {sys.version.split()[0]}; {hook[0]}")
        results = [
            ("python -c pass", _time([python, "-c", "pass"], clean, args.repeat, 0)),
            ("python -c 'import reposcrub.cli'", _time([python, "-c", "import reposcrub.cli"], clean, args.repeat, 0)),
            ("reposcrub " + " ".join(HOOK) + "  (clean commit)", _time(hook, clean, args.repeat, 0)),
            ("reposcrub " + " ".join(HOOK) + "  (staged AWS key)", _time(hook, leaky, args.repeat, 1)),
        ]
        print("     wall       cpu")
        for name, (wall, cpu) in results:
            print(f"  {wall:7.3f} s {cpu:7.3f} s  {name}")
        worst = max(wall for _, (wall, _cpu) in results[2:])
        print(f"target {TARGET_SECONDS:.1f} s: {'met' if worst < TARGET_SECONDS else 'MISSED'} (worst hook median {worst:.3f} s)")
        if args.profile or worst >= TARGET_SECONDS:
            _profile(clean, python)


if __name__ == "__main__":
    main()
