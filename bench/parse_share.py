"""Share of scan time spent in tree-sitter (parsing and context lookups), in-process.

    python bench/parse_share.py [TREE] [--max-files N]

Scans every file of TREE (default: the generated bench/out/tree) with the full rule pack
in one process, timing the syntax-context stage separately. Prints both and the share.
Target: under 25% of scan time.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from reposcrub import syntax
from reposcrub.model import Blob, Provenance
from reposcrub.rules import builtin_rules
from reposcrub.scan import Engine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("tree", nargs="?", default=str(Path(__file__).parent / "out" / "tree"))
    parser.add_argument("--max-files", type=int, default=0)
    args = parser.parse_args()
    root = Path(args.tree)
    paths = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    if args.max_files:
        paths = paths[: args.max_files]
    spent = [0.0]
    original = syntax.SyntaxContext.annotate

    def timed(self, findings, blob, rules):  # type: ignore[no-untyped-def]
        started = time.process_time()
        try:
            return original(self, findings, blob, rules)
        finally:
            spent[0] += time.process_time() - started

    syntax.SyntaxContext.annotate = timed  # type: ignore[method-assign]
    engine = Engine(builtin_rules())
    size = findings = 0
    started = time.process_time()
    for path in paths:
        data = path.read_bytes()
        size += len(data)
        findings += len(engine.scan_blob(Blob(data, Provenance(path=os.fsdecode(path.relative_to(root))))))
    total = time.process_time() - started
    print(f"files {len(paths)}, {size / 1e6:.1f} MB, findings {findings}")
    print(f"scan cpu {total:.2f} s ({size / 1e6 / total:.1f} MB per cpu-second)")
    print(f"tree-sitter cpu {spent[0]:.2f} s = {spent[0] / total:.1%} of scan time (target < 25%)")


if __name__ == "__main__":
    main()
