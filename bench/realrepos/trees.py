"""Ref tips of input and output compared: file lists under the rename map, and files that
parsed before and do not after (tree-sitter through the per-language wheels).

Like sweep.py, this is the bench's own code: it reads git with git and parses with
tree-sitter directly, sharing nothing with reposcrub.
"""
from __future__ import annotations

import importlib
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tree_sitter import Language, Parser

# extension -> (wheel module, language function)
_GRAMMARS = {
    ".py": ("tree_sitter_python", "language"), ".js": ("tree_sitter_javascript", "language"),
    ".mjs": ("tree_sitter_javascript", "language"), ".cjs": ("tree_sitter_javascript", "language"),
    ".ts": ("tree_sitter_typescript", "language_typescript"), ".tsx": ("tree_sitter_typescript", "language_tsx"),
    ".go": ("tree_sitter_go", "language"), ".java": ("tree_sitter_java", "language"),
    ".rb": ("tree_sitter_ruby", "language"), ".json": ("tree_sitter_json", "language"),
    ".yml": ("tree_sitter_yaml", "language"), ".yaml": ("tree_sitter_yaml", "language"),
    ".toml": ("tree_sitter_toml", "language"), ".sh": ("tree_sitter_bash", "language"),
}


def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True).stdout


def tips(repo: Path) -> dict[str, str]:
    """refname -> commit for every ref that points (maybe through tags) at a commit."""
    names = git(repo, "for-each-ref", "--format=%(refname)").decode().split()
    if not names:
        return {}
    asked = "".join(f"{name}^{{commit}}\n" for name in names).encode()
    out = subprocess.run(["git", "cat-file", "--batch-check"], cwd=repo, input=asked, capture_output=True,
                         check=True).stdout.decode().splitlines()
    return {name: line.split()[0] for name, line in zip(names, out) if line.endswith(" commit") or " commit " in line}


def tree(repo: Path, commit: str) -> dict[str, str]:
    """path -> blob id at commit (files only)."""
    out = git(repo, "ls-tree", "-r", "-z", "--full-tree", commit)
    files = {}
    for item in out.split(b"\0"):
        if b"\t" in item:
            meta, path = item.split(b"\t", 1)
            if meta.split()[1] == b"blob":
                files[path.decode("utf-8", "surrogateescape")] = meta.split()[2].decode()
    return files


def pair_renames(missing: set[str], extra: set[str], term_regex: re.Pattern[str]) -> dict[str, str]:
    """Input paths renamed in the output: a missing input path and an extra output path that
    differ only where the input path holds a profile term. Used when the scrub report gives
    no rename map. Where several output paths fit (mixpanel.py: example.py or
    test_example.py), the one that replaces each term as the unambiguous pairs did wins."""
    shapes = {}
    for old in missing:
        pieces = term_regex.split(old)
        if len(pieces) > 1:  # between the terms the path is unchanged; each term may become any name
            shapes[old] = re.compile("([A-Za-z0-9_./\\-]+?)".join(re.escape(p) for p in pieces) + r"\Z")
    fits = {old: [new for new in extra if shape.match(new)] for old, shape in shapes.items()}
    pairs = {old: found[0] for old, found in fits.items() if len(found) == 1}
    learned = {}
    for old, new in pairs.items():
        for term, replacement in zip(term_regex.findall(old), shapes[old].match(new).groups()):  # type: ignore[union-attr]
            learned.setdefault(term.lower(), replacement.lower())
    for old, found in fits.items():
        if len(found) > 1:
            terms = [t.lower() for t in term_regex.findall(old)]
            same = [new for new in found if [g.lower() for g in shapes[old].match(new).groups()]  # type: ignore[union-attr]
                    == [learned.get(t) for t in terms]]
            if len(same) == 1:
                pairs[old] = same[0]
    return pairs


@dataclass
class TreeReport:
    tips_compared: int = 0
    extra: set[str] = field(default_factory=set)  # ref:path in the output with no input counterpart
    missing: set[str] = field(default_factory=set)  # ref:path of the input absent from the output
    regressions: set[str] = field(default_factory=set)  # ref:path parsed before, not after
    parsed: int = 0  # files parsed (distinct blob pairs)
    unmapped_refs: list[str] = field(default_factory=list)


class Parsers:
    """One parser per language, results cached per blob id."""

    def __init__(self) -> None:
        self._parsers: dict[str, Parser] = {}
        self._cache: dict[tuple[str, str], bool] = {}

    def clean(self, repo: Path, oid: str, path: str) -> bool | None:
        """Whether the blob parses without errors (None: not a language we parse)."""
        ext = Path(path).suffix.lower()
        if ext not in _GRAMMARS:
            return None
        key = (str(repo), oid)
        if key not in self._cache:
            data = git(repo, "cat-file", "blob", oid)
            self._cache[key] = not self._parser(ext).parse(data).root_node.has_error
        return self._cache[key]

    def _parser(self, ext: str) -> Parser:
        if ext not in self._parsers:
            module, function = _GRAMMARS[ext]
            self._parsers[ext] = Parser(Language(getattr(importlib.import_module(module), function)()))
        return self._parsers[ext]


def compare(before: Path, after: Path, commit_map: dict[str, str], renames: dict[str, str] | None,
            term_regex: re.Pattern[str]) -> TreeReport:
    """Every ref tip of before against its rewritten commit in after."""
    report = TreeReport()
    parsers = Parsers()
    after_tips = set(tips(after).values())
    for ref, old in sorted(tips(before).items()):
        new = commit_map.get(old)
        if new is None or new not in after_tips:
            report.unmapped_refs.append(ref)
            continue
        report.tips_compared += 1
        old_tree, new_tree = tree(before, old), tree(after, new)
        mapping = dict(renames) if renames is not None else {}
        if renames is None:
            mapping = pair_renames(set(old_tree) - set(new_tree), set(new_tree) - set(old_tree), term_regex)
        mapped = {mapping.get(p, p): p for p in old_tree}
        report.missing |= {f"{ref}:{p}" for n, p in mapped.items() if n not in new_tree}
        report.extra |= {f"{ref}:{n}" for n in new_tree if n not in mapped}
        for new_path, old_path in mapped.items():
            if new_path in new_tree and parsers.clean(before, old_tree[old_path], old_path):
                report.parsed += 1
                if parsers.clean(after, new_tree[new_path], new_path) is False:
                    report.regressions.add(f"{ref}:{old_path}")
    return report
