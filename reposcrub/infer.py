"""Draft an organisation profile from the repository itself, with the evidence for each entry.

Sources: author and committer e-mail domains (public mail providers ignored), copyright
holders in headers and LICENSE files, package metadata (pyproject, setup.cfg,
package.json scopes, go.mod module paths, Java packages, Maven groupIds, .NET
namespaces), the organisation in remote URLs, and ticket keys in commit messages.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reposcrub import git
from reposcrub.sources.gitwalk import commits_metadata
from reposcrub.sources.safeopen import read_regular

PUBLIC_MAIL = frozenset("""
gmail.com googlemail.com yahoo.com yahoo.co.uk ymail.com hotmail.com hotmail.co.uk outlook.com live.com msn.com
icloud.com me.com mac.com aol.com proton.me protonmail.com pm.me gmx.com gmx.de gmx.net web.de yandex.ru yandex.com
mail.ru qq.com 163.com 126.com foxmail.com zoho.com fastmail.com hey.com tutanota.com mail.com inbox.com
users.noreply.github.com noreply.github.com example.com example.org example.net localhost localdomain
""".split())
_NOT_TICKETS = frozenset("UTF ISO SHA RFC CVE GPL LGPL AES HTTP PEP TLS SSL MD RSA ECDSA HMAC ISSUE BUG X IEEE ECMA".split())
_COPYRIGHT = re.compile(
    r"Copyright\s*(?:\(c\)|©)?\s*(?:[0-9]{4}(?:\s*[-–,]\s*[0-9]{4})*\s*,?\s*)(?:by\s+)?"
    r"(?P<holder>[A-Z][A-Za-z0-9&.' -]{1,60}?)\s*(?:\.|,|<|\(|All rights|$)", re.M)
_TICKET = re.compile(r"\b([A-Z][A-Z0-9]{1,9})-[0-9]{1,6}\b")
_REMOTE = re.compile(r"(?:[/:@])(?:github\.com|gitlab\.com|bitbucket\.org|[\w.-]+)[/:](?P<org>[\w.-]+)/[\w.-]+?(?:\.git)?/?$")
_JAVA_PACKAGE = re.compile(rb"^\s*package\s+([a-z][\w]*\.[a-z][\w]*)", re.M)
_DOTNET_NAMESPACE = re.compile(rb"^\s*namespace\s+([A-Z][A-Za-z0-9]+)\.", re.M)
_GROUP_ID = re.compile(rb"<groupId>\s*([a-z][\w]*\.[a-z][\w-]*)")
_GO_MODULE = re.compile(rb"^module\s+([\w.-]+/[\w.-]+)", re.M)
_LEGAL_SUFFIX = re.compile(r"[\s,]+(?:Inc|LLC|Ltd|GmbH|AG|SA|SAS|BV|Corp|Corporation|Limited|Co|plc|Pty)\.?$", re.I)
_GENERIC_HOLDERS = frozenset({"the", "the authors", "contributors", "the contributors", "author", "authors"})


@dataclass
class Evidence:
    """Entry -> source -> count, per profile section."""

    sections: dict[str, dict[str, Counter[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))

    def add(self, section: str, entry: str, source: str, n: int = 1) -> None:
        self.sections[section][entry][source] += n


def _holder(text: str) -> str | None:
    holder = _LEGAL_SUFFIX.sub("", text.strip(" .,-"))
    if len(holder) < 2 or holder.lower() in _GENERIC_HOLDERS or holder.lower().startswith(("the ", "contributors")):
        return None
    return holder


def scan_files(root: Path, files: Iterable[str], ev: Evidence) -> None:
    for rel in files:
        data = read_regular(root, rel, limit=(1 << 20) + 1)  # never through a link, never a FIFO
        if data is None or len(data) > 1 << 20:
            continue
        name = rel.rsplit("/", 1)[-1]
        head = data[:4096].decode("utf-8", "replace")
        for m in _COPYRIGHT.finditer(head if not name.upper().startswith(("LICENSE", "COPYING")) else data[:20000].decode("utf-8", "replace")):
            if (holder := _holder(m.group("holder"))) is not None:
                ev.add("names", holder, "copyright holders")
        _package_metadata(name, data, ev)


def _package_metadata(name: str, data: bytes, ev: Evidence) -> None:
    if name == "package.json":
        try:
            pkg = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            return
        pkg_name = pkg.get("name", "") if isinstance(pkg, dict) else ""
        if isinstance(pkg_name, str) and pkg_name.startswith("@") and "/" in pkg_name:
            ev.add("namespaces", pkg_name.split("/")[0], "package.json scopes")
    elif name == "go.mod":
        for m in _GO_MODULE.finditer(data):
            module = m.group(1).decode()
            parts = module.split("/")
            if len(parts) >= 2 and "." in parts[0]:
                ev.add("namespaces", "/".join(parts[:2]), "go.mod module paths")
    elif name == "pom.xml":
        for m in _GROUP_ID.finditer(data):
            ev.add("namespaces", ".".join(m.group(1).decode().split(".")[:2]), "Maven groupIds")
    elif name.endswith((".java", ".kt")):
        for m in _JAVA_PACKAGE.finditer(data[:4096]):
            ev.add("namespaces", m.group(1).decode(), "Java/Kotlin packages")
    elif name.endswith(".cs"):
        for m in _DOTNET_NAMESPACE.finditer(data[:4096]):
            ev.add("names", m.group(1).decode(), ".NET namespaces")
    elif name in ("pyproject.toml", "setup.cfg"):
        for m in re.finditer(rb"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)", data):
            _domain(m.group(1).decode().lower(), "package metadata e-mails", ev)


def _domain(domain: str, source: str, ev: Evidence) -> None:
    if domain in PUBLIC_MAIL or domain.endswith(".noreply.github.com") or "." not in domain:
        return
    ev.add("domains", domain, source)
    label = domain.split(".")[-2]
    if len(label) > 2:
        ev.add("names", label.capitalize(), "e-mail domains")


def scan_history(repo: Path, ev: Evidence) -> None:
    for meta in commits_metadata(repo, ["--all"]):
        for identity in (meta.author, meta.committer):
            email = identity.rsplit(b"<", 1)[-1].rstrip(b">").decode("utf-8", "replace").lower()
            if "@" in email:
                _domain(email.split("@", 1)[1], "author/committer e-mails", ev)
        for m in _TICKET.finditer(meta.message.decode("utf-8", "replace")):
            if m.group(1) not in _NOT_TICKETS:
                ev.add("ticket_prefixes", m.group(1), "commit messages")
    for url in git.remote_urls(repo):  # read as data from the repository's own config
        remote = _REMOTE.search(url)
        if remote:
            ev.add("names", remote.group("org"), "remote URLs")


def _merge_case(entries: dict[str, Counter[str]]) -> dict[str, Counter[str]]:
    """'acme' and 'Acme' are one entry; show the capitalised spelling."""
    merged: dict[str, tuple[str, Counter[str]]] = {}
    for entry, sources in entries.items():
        key = entry.lower()
        shown, counts = merged.get(key, (entry, Counter()))
        if entry[:1].isupper() and not shown[:1].isupper():
            shown = entry
        merged[key] = (shown, counts + sources)
    return {shown: counts for shown, counts in merged.values()}


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def render(ev: Evidence, min_tickets: int = 2) -> str:
    lines = ["# Drafted by `reposcrub profile infer`: review every entry, delete what is not yours,",
             "# then save as .reposcrub.toml. Each comment gives the evidence count and where it came from.",
             "", "[org]"]
    for section in ("names", "domains", "namespaces", "ticket_prefixes"):
        entries = _merge_case(ev.sections.get(section, {}))
        rows = sorted(entries.items(), key=lambda item: (-sum(item[1].values()), item[0]))
        if section == "ticket_prefixes":
            rows = [r for r in rows if sum(r[1].values()) >= min_tickets]
        lines.append(f"{section} = [")
        for entry, sources in rows:
            detail = ", ".join(f"{src} ({n})" for src, n in sources.most_common())
            lines.append(f"  {_toml_string(entry)},  # {sum(sources.values())}: {detail}")
        lines.append("]")
    lines += ["codenames = []", "ambiguous = []", ""]
    return "\n".join(lines)


def infer_profile(root: Path) -> str:
    """A draft profile (TOML text) for the repository or folder at root."""
    ev = Evidence()
    from reposcrub.sources.worktree import WorktreeSource

    tree = WorktreeSource(root)
    scan_files(tree.root, tree.paths(), ev)
    if tree.is_git or git.rev_parse_flag(root, "--is-bare-repository"):
        if git.run(["rev-parse", "--verify", "-q", "HEAD"], cwd=root, check=False).strip():
            scan_history(root, ev)
    return render(ev)
