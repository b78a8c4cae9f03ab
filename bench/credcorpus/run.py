"""Recall and false positives of reposcrub on real-shaped credential files, per file type and
per syntax family.

Usage (from the repository root, with the python of the reposcrub build to measure)::

    .venv/bin/python bench/credcorpus/run.py [--files DIR] [--seed 1] [--rounds 3] [--misses]

The corpus under ``bench/credcorpus/files/`` is written from each format's own documentation
(WordPress wp-config.php, FileZilla's sitemanager.xml, .pgpass, .netrc, Docker's
config.json, Maven's settings.xml, .npmrc, .pypirc, Kubernetes Secrets, docker-compose,
Makefiles, Spring .properties and .yml, web.config, appsettings.json, Django settings,
Terraform, Ansible, phpMyAdmin, shell scripts and histories...), not from reposcrub's rules.
Every credential and look-alike in it is a labelled marker; values are generated at run
time, so the files hold no credential literal:

- ``⟪P:kind⟫``: a credential of that kind (generated): must be reported;
- ``⟪N:text⟫``: this literal text (a placeholder, a reference, a name): must not be;
- ``⟪G:kind⟫``: a generated look-alike that is not a credential (a public key, a
  publishable key): must not be.

A value counts as found when a secret or cloud finding (documented examples aside)
overlaps it; a negative as flagged likewise. Findings that overlap no labelled value are
listed as unlabelled: each one is a false positive or a credential the corpus failed to
label. Each round uses other random values (``--seed`` + round).
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from values import generate  # noqa: E402

from reposcrub.model import Blob, Provenance  # noqa: E402
from reposcrub.rules import builtin_rules  # noqa: E402
from reposcrub.scan import Engine  # noqa: E402

try:  # absent from builds before the assignment extractor: the corpus also measures those
    from reposcrub.parse.keypath import family_for
except ImportError:
    def family_for(path: str) -> str:
        return "-"

HERE = Path(__file__).resolve().parent
_MARK = re.compile(r"⟪([PNG]):([^⟫]*)⟫")
REPORTED = ("secret", "cloud")


@dataclass
class Label:
    positive: bool
    kind: str
    start: int
    end: int
    line: int


@dataclass
class Rendered:
    path: str
    data: bytes
    labels: list[Label] = field(default_factory=list)


def render(path: str, template: str, rng_seed: str) -> Rendered:
    import random

    rng = random.Random(rng_seed)
    out, labels, size = [], [], 0
    last = 0
    for m in _MARK.finditer(template):
        piece = template[last:m.start()].encode()
        out.append(piece)
        size += len(piece)
        tag, arg = m.groups()
        value = arg if tag == "N" else generate(arg, rng)
        encoded = value.encode()
        line = b"".join(out).count(b"\n") + 1
        labels.append(Label(tag == "P", arg if tag != "N" else "placeholder", size, size + len(encoded), line))
        out.append(encoded)
        size += len(encoded)
        last = m.end()
    out.append(template[last:].encode())
    return Rendered(path, b"".join(out), labels)


@dataclass
class Tally:
    pos: int = 0
    found: int = 0
    neg: int = 0
    flagged: int = 0
    unlabelled: int = 0

    def add(self, other: Tally) -> None:
        for name in ("pos", "found", "neg", "flagged", "unlabelled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self, name: str) -> str:
        recall = f"{self.found}/{self.pos} {100 * self.found / self.pos:5.1f}%" if self.pos else "-"
        fp = f"{self.flagged}/{self.neg}" if self.neg else "-"
        return f"  {name:<34} {recall:>16} {fp:>9} {self.unlabelled:>10}"


def score(engine: Engine, item: Rendered, misses: list[str]) -> Tally:
    findings = [f for f in engine.scan_blob(Blob(item.data, Provenance(item.path)))
                if f.category in REPORTED and not getattr(f, "kind", "") and f.end > f.start]
    tally = Tally()
    for label in item.labels:
        hit = [f for f in findings if f.start < label.end and label.start < f.end]
        if label.positive:
            tally.pos += 1
            tally.found += bool(hit)
            if not hit:
                misses.append(f"missed   {item.path}:{label.line} {label.kind}")
        else:
            tally.neg += 1
            tally.flagged += bool(hit)
            if hit:
                misses.append(f"flagged  {item.path}:{label.line} {label.kind} by {sorted({f.rule_id for f in hit})}")
    for f in findings:
        if not any(f.start < label.end and label.start < f.end for label in item.labels):
            tally.unlabelled += 1
            misses.append(f"extra    {item.path}:{f.line} {f.rule_id}")
    return tally


def file_type(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name if name.startswith(".") or "." not in name or name.count(".") > 1 else name


def syntax_of(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    ext = name[name.rfind("."):] if "." in name[1:] else name
    return f"{family_for(path)} ({ext})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=Path, default=HERE / "files")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--misses", action="store_true", help="list every miss, flagged negative and unlabelled finding")
    args = ap.parse_args()
    engine = Engine(builtin_rules())
    templates = sorted(p for p in args.files.rglob("*") if p.is_file())
    by_file: dict[str, Tally] = defaultdict(Tally)
    by_syntax: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    misses: list[str] = []
    for round_ in range(args.rounds):
        for template in templates:
            path = template.relative_to(args.files).as_posix()
            item = render(path, template.read_text(encoding="utf-8"), f"{args.seed}:{round_}:{path}")
            tally = score(engine, item, misses if round_ == 0 else [])
            by_file[file_type(path)].add(tally)
            by_syntax[syntax_of(path)].add(tally)
            total.add(tally)
    header = f"  {'':<34} {'recall':>16} {'FP (neg)':>9} {'unlabelled':>10}"
    print(f"credential corpus: {len(templates)} files, {args.rounds} rounds of generated values (seed {args.seed})\n")
    print("per file type\n" + header)
    for name in sorted(by_file):
        print(by_file[name].row(name))
    print("\nper syntax (family and extension)\n" + header)
    for name in sorted(by_syntax):
        print(by_syntax[name].row(name))
    print("\n" + total.row("TOTAL"))
    if args.misses and misses:
        print("\nround 0 details:")
        print("\n".join(f"  {m}" for m in misses))


if __name__ == "__main__":
    main()
