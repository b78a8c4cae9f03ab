"""`reposcrub profile infer`: draft an organisation profile from the repository itself,
ranked by evidence.

Sources: package metadata (import packages, distribution and CLI names, namespaces),
copyright holders, the e-mail domains committers used, URLs to the organisation's own
hosts, host names machines gave themselves, ticket keys recurring in commit messages and
branch names, and the remote's organisation. See rank.py for what is left out.
"""
from __future__ import annotations

from pathlib import Path

from reposcrub import git
from reposcrub.infer.content import read_content
from reposcrub.infer.domains import DomainClassifier
from reposcrub.infer.evidence import Evidence
from reposcrub.infer.history import has_commits, read_history
from reposcrub.infer.hosts import read_hosts
from reposcrub.infer.packages import read_package
from reposcrub.infer.rank import Ranking, rank
from reposcrub.infer.render import render
from reposcrub.infer.tree import files
from reposcrub.infer.words import WordList

THRESHOLD = 0.5


def gather(root: Path) -> Evidence:
    """Every piece of evidence in the files (work tree, or HEAD of a bare repository) and history."""
    ev = Evidence()
    for path, data in files(root):
        read_package(path, data, ev)
        read_content(path, data, ev)
    if git.is_inside_repo(root) and has_commits(root):
        read_history(root, ev)
    return ev


def infer_ranking(root: Path, words: WordList) -> Ranking:
    domains = DomainClassifier()
    ev = gather(root)
    read_hosts(ev, domains)
    return rank(ev, words, domains)


def infer_profile(root: Path, words_file: Path | None = None, threshold: float = THRESHOLD) -> str:
    """A draft profile (TOML text) for the repository or folder at root.

    Raises:
        ReposcrubError: git failed on the repository.
    """
    words = WordList.load(words_file)
    return render(infer_ranking(root, words), str(root), threshold, words)
