"""Synthetic git repositories with a long history and planted fake credentials, for benchmarks.

A repository reads like a company monorepo with years of history: Python services and a
``globex_utils/`` package, JS/TS web apps, Java modules, Go services, YAML config and CI,
JSON fixtures, Markdown docs and lock files. Most commits modify existing files (insert,
delete or tweak a function, bump lock-file entries); some add, rename or delete files.
Feature branches (``feature/GLX-123-...``) fork from ``main`` and are merged back with
merge commits, or abandoned; releases are tagged (annotated and lightweight tags).
Authors are a few dozen people, most at the organisation's domain.

The organisation is "Globex" (also "Globex Corporation"), domain ``globex.internal``,
ticket keys ``GLX-123``, namespaces ``globex_utils`` and ``com.globex``, codename
"Hammerhead": in file headers, some functions, config, docs, commit messages, ref names
and identities. ``ORG`` below is the profile a scrub should be given.

Planted *positives* (fake credentials: documented prefix plus random characters, built at
run time by ``bench/corpus.py``) are added to a file in one commit and deleted some
commits later, so the tip of every branch is clean and only a history scan finds them; a
few are pasted into commit messages. Ground truth is written beside the repository as
``<repo>.truth.json``: per planted value its kind, value, path, introducing and removing
commits, and every blob version that holds it (commit, path, lines), plus the repository's
statistics and the organisation profile.

Everything is deterministic from the spec (seed included): same spec, same commit ids.
The repository is bare and is built with one ``git fast-import`` stream written from
Python, then repacked (``git repack -adf``) so its pack has real deltas, like a gc'd
repository. A repository is reused when its truth file has the same spec and its refs
still match.

Use from another benchmark::

    from gitrepo import RepoSpec, default_path, ensure, score_findings
    info, reused = ensure(default_path(RepoSpec()), RepoSpec())
    recall = score_findings(info, json.load(open(report))["findings"])

Command line: ``python bench/gitrepo.py [--commits N] [--unique-mb MB] [--branches B]
[--seed S] [--repo PATH]``. Sizes: MB = 10**6 bytes of unique blob content.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as C  # noqa: E402

GENERATOR_VERSION = 1
MB = C.MB
BENCH = Path(__file__).resolve().parent

ORG: dict[str, list[str]] = {
    "names": ["Globex", "Globex Corporation"],
    "domains": ["globex.internal"],
    "namespaces": ["globex_utils", "com.globex"],
    "codenames": ["Hammerhead"],
    "ticket_prefixes": ["GLX"],
}
_EPOCH = 1_451_900_000  # 2016-01-04
_SPAN = 8 * 365 * 86400  # about eight years of history


# ----------------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class RepoSpec:
    """What a repository is generated from; it is reused only for an identical spec."""

    commits: int = 20_000
    unique_mb: int = 500
    branches: int = 200
    seed: int = 1
    version: int = GENERATOR_VERSION

    @property
    def name(self) -> str:
        return f"history-c{self.commits}-m{self.unique_mb}-b{self.branches}-s{self.seed}.git"


@dataclass(frozen=True, slots=True)
class Version:
    """One blob holding a planted value: the commit that introduced that blob, and where."""

    commit: str
    path: str
    line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class PlantedSecret:
    id: int
    kind: str
    value: str
    location: str  # "file" or "message"
    path: str  # the file it was added to ("" for a commit message)
    added: str  # commit that introduced it
    removed: str  # commit that deleted it ("" for a commit message)
    versions: tuple[Version, ...] = ()


@dataclass(slots=True)
class RepoInfo:
    root: Path
    spec: RepoSpec
    stats: dict[str, Any]
    org: dict[str, list[str]]
    identities: list[dict[str, Any]]
    planted: list[PlantedSecret]
    refs_digest: str
    generated_seconds: float = 0.0

    @property
    def truth_path(self) -> Path:
        return truth_path_for(self.root)


def truth_path_for(root: Path) -> Path:
    root = Path(root)
    return root.with_name(root.name + ".truth.json")


def default_path(spec: RepoSpec) -> Path:
    return BENCH / "out" / "repos" / spec.name


# ----------------------------------------------------------------------------- content

# Chunks that name the organisation, per family (the rest come from bench/corpus.py).
ORG_CHUNKS = {
    "py": [
        '\nGLOBEX_<<NOUN>>_URL = "https://<<noun>>.globex.internal/api/v<<n2>>"\n',
        "\n# TODO(GLX-<<n3>>): <<sentence>>\n",
        '\n\ndef globex_<<verb>>_<<noun>>@s@(client):\n    """Call the Globex <<noun>> service (GLX-<<n3>>)."""\n'
        '    return client.get("https://<<noun>>.globex.internal/<<noun2>>s", timeout=<<n2>>)\n',
    ],
    "js": ["\n// TODO(GLX-<<n3>>): <<sentence>>\nconst GLOBEX_<<NOUN>>_URL@S@ = 'https://<<noun>>.globex.internal/api';\n",
           "\nexport const globex<<Noun>>Flags@C@ = { owner: 'platform@globex.internal', ticket: 'GLX-<<n3>>' };\n"],
    "java": ['\n    // GLX-<<n3>>: <<sentence>>\n    private static final String GLOBEX_<<NOUN>>_URL@S@ = "https://<<noun>>.globex.internal/api";\n'],
    "go": ['\n// GLX-<<n3>>: <<sentence>>\nconst globex<<Noun>>URL@C@ = "https://<<noun>>.globex.internal/api"\n'],
    "yaml": ["\n<<noun>>_endpoint@s@: https://<<noun>>.globex.internal/v1\n<<noun>>_image@s@: registry.globex.internal/<<svc>>/<<noun>>:<<ver>>\n"],
    "ci": ["\n  notify-<<noun>>@s@:\n    runs-on: [self-hosted, globex]\n    steps:\n      - run: curl -fsS https://ci.globex.internal/hooks/<<noun>>\n"],
    "json": ['  {"id": "<<uuid>>", "owner": "<<noun>>-team@globex.internal", "endpoint": "https://<<noun>>.globex.internal"},\n'],
    "md": ["\nSee [GLX-<<n3>>](https://jira.globex.internal/browse/GLX-<<n3>>) for the Globex <<noun>> rollout (Project Hammerhead).\n"],
}
ORG_CHUNKS["ts"] = ORG_CHUNKS["js"]
ORG_HEADERS = {
    "py": "# Copyright (c) <<year>> Globex Corporation. Internal use only.\nfrom globex_utils.<<noun>> import <<Noun>>Client  # noqa: F401\n",
    "js": "// Copyright (c) <<year>> Globex Corporation\nimport { globexFetch } from '@globex/http';\n",
    "ts": "// Copyright (c) <<year>> Globex Corporation\nimport { globexFetch } from '@globex/http';\n",
    "java": "// Copyright (c) <<year>> Globex Corporation. Internal use only.\n",
    "go": "// Copyright (c) <<year>> Globex Corporation. Internal use only.\n",
    "yaml": "# owner: <<noun>>-team@globex.internal (Globex platform)\n",
    "ci": "# maintained by platform@globex.internal\n",
    "md": "> Internal documentation of Globex Corporation. Questions: #platform on chat.globex.internal\n\n",
    "json": "",
}
CHUNKS = {
    "py": C.PY_CHUNKS, "js": C.JS_CHUNKS, "ts": C.TS_CHUNKS, "java": C.JAVA_CHUNKS, "go": C.GO_CHUNKS,
    "yaml": C.YAML_CHUNKS[:2], "ci": C.YAML_CHUNKS[2:], "json": C.JSON_CHUNKS, "md": C.MD_CHUNKS,
}
TEMPLATE_FAMILY = {"ts": "js", "ci": "yaml"}  # which planted-value templates a family uses
COMMENT = {"py": "#", "yaml": "#", "ci": "#", "js": "//", "ts": "//", "java": "    //", "go": "//", "md": ""}
_CATEGORY_FAMILY = {"python": "py", "javascript": "js", "typescript": "ts", "java": "java", "go": "go",
                    "yaml": "yaml", "json": "json", "markdown": "md", "lockfile": "lock"}
_NEW_FILE_WEIGHTS = [("python", 30), ("javascript", 11), ("typescript", 11), ("java", 14), ("go", 10),
                     ("yaml", 9), ("json", 5), ("markdown", 8), ("lockfile", 2)]
_SIZE = C._lognorm(7000, 0.8, 400, 120_000)
_NUM = re.compile(r"\d+")
_LOCK_NAMES = ("package-lock.json", "yarn.lock", "poetry.lock", "Pipfile.lock", "Cargo.lock", "go.sum")


class _PlantChunk(str):
    """A chunk holding a planted value; ``pid`` names it, ``offset``/``span`` place it."""

    pid: int
    offset: int
    span: int


class _File:
    __slots__ = ("path", "family", "header", "chunks", "footer", "org", "tag", "size", "target")

    def __init__(self, path: str, family: str, header: str, chunks: list[str], footer: str, org: bool,
                 tag: str, target: int) -> None:
        self.path, self.family, self.header, self.chunks, self.footer = path, family, header, chunks, footer
        self.org, self.tag, self.target = org, tag, target
        self.size = len(header) + len(footer) + sum(len(c) for c in chunks)

    def copy(self) -> _File:
        return _File(self.path, self.family, self.header, list(self.chunks), self.footer, self.org, self.tag, self.target)

    def data(self) -> bytes:
        return (self.header + "".join(self.chunks) + self.footer).encode("utf-8")

    def plants(self) -> list[tuple[int, int, int]]:
        """(pid, line, end_line) of every planted chunk, 1-based lines."""
        out = []
        nl = self.header.count("\n")
        for c in self.chunks:
            if type(c) is _PlantChunk:
                out.append((c.pid, nl + 1 + c.offset, nl + 1 + c.offset + c.span))
            nl += c.count("\n")
        return out


def _lock_entry(rng: random.Random, kind: str) -> str:
    name, ver = C._pkg_name(rng), C._ver(rng)
    if kind == "package-lock.json":
        return (f'    "node_modules/{name}": {{\n      "version": "{ver}",\n'
                f'      "resolved": "https://registry.npmjs.org/{name}/-/{name.split("/")[-1]}-{ver}.tgz",\n'
                f'      "integrity": "sha512-{C._b64(rng, 64)}",\n      "license": "MIT"\n    }},\n')
    if kind == "yarn.lock":
        return (f'"{name}@^{ver}":\n  version "{ver}"\n'
                f'  resolved "https://registry.yarnpkg.com/{name}/-/{name.split("/")[-1]}-{ver}.tgz#{C._hex(rng, 20)}"\n'
                f"  integrity sha512-{C._b64(rng, 64)}\n\n")
    if kind == "go.sum":
        mod = f"github.com/{rng.choice(C.NOUNS)}/{rng.choice(C.NOUNS)}-{rng.choice(C.VERBS)}"
        return f"{mod} v{ver} h1:{C._b64(rng, 32)}\n{mod} v{ver}/go.mod h1:{C._b64(rng, 32)}\n"
    py = f"{rng.choice(C.NOUNS)}-{rng.choice(C.VERBS)}"
    if kind == "Cargo.lock":
        return (f'[[package]]\nname = "{py}"\nversion = "{ver}"\n'
                f'source = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "{C._hex(rng, 32)}"\n\n')
    if kind == "Pipfile.lock":
        hashes = ",\n".join(f'                "sha256:{C._hex(rng, 32)}"' for _ in range(rng.randint(1, 4)))
        return f'        "{py}": {{\n            "hashes": [\n{hashes}\n            ],\n            "version": "=={ver}"\n        }},\n'
    files = "".join(f'    {{file = "{py.replace("-", "_")}-{ver}-{tag}", hash = "sha256:{C._hex(rng, 32)}"}},\n'
                    for tag in rng.sample(["py3-none-any.whl", "cp311-cp311-manylinux_2_17_x86_64.whl", "tar.gz"], rng.randint(1, 3)))
    return f'[[package]]\nname = "{py}"\nversion = "{ver}"\noptional = false\npython-versions = ">=3.8"\nfiles = [\n{files}]\n\n'


_LOCK_FRAME = {  # header, footer
    "package-lock.json": ('{\n  "name": "web",\n  "lockfileVersion": 3,\n  "packages": {\n',
                          '    "node_modules/zzz-end": {\n      "version": "1.0.0"\n    }\n  }\n}\n'),
    "yarn.lock": ("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n", ""),
    "go.sum": ("", ""),
    "Cargo.lock": ("# This file is automatically @generated by Cargo.\nversion = 3\n\n", ""),
    "Pipfile.lock": ('{\n    "_meta": {\n        "pipfile-spec": 6\n    },\n    "default": {\n',
                     '        "zzz-end": {\n            "version": "==1.0.0"\n        }\n    }\n}\n'),
    "poetry.lock": ("# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n\n",
                    '[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\n'),
}


# ----------------------------------------------------------------------------- people and messages


@dataclass(frozen=True, slots=True)
class _Person:
    name: str
    email: str
    tz: str
    org: bool


def _people(rng: random.Random, n: int = 40) -> list[_Person]:
    pairs = sorted({(f, l) for f in C.FIRST for l in C.LAST})
    out = []
    for first, last in rng.sample(pairs, n):
        r = rng.random()
        if r < 0.65:
            email, org = f"{first}.{last}@globex.internal", True
        elif r < 0.85:
            email, org = f"{first}.{last}{rng.randint(1, 99)}@gmail.com", False
        else:
            email, org = f"{rng.randint(10000, 99999999)}+{first}{last[0]}@users.noreply.github.com", False
        out.append(_Person(f"{first.capitalize()} {last.capitalize()}", email, rng.choice(["+0000", "+0100", "+0200", "-0500", "-0800"]), org))
    return out


_CI = _Person("Globex CI", "ci-bot@globex.internal", "+0000", True)


def _fill_choice(rng: random.Random, templates: list[str], values: dict[str, object]) -> str:
    return C.fill(rng.choice(templates), values)


def _subject(rng: random.Random) -> str:
    w = C._words(rng)
    return _fill_choice(rng, [
        "<<Verb>> <<noun>> <<noun2>> handling", "Fix <<noun>> <<verb>> when <<noun2>> is <<adj>>",
        "Add <<noun>> <<noun2>> endpoint", "Refactor <<noun>> <<verb>> logic", "Remove unused <<noun>> helpers",
        "Speed up <<noun>> <<verb>> for <<adj>> <<noun2>>s", "Handle <<adj>> <<noun>> in <<svc>>",
        "Update <<noun>> docs", "Tests for <<noun>> <<verb>>", "Rename <<noun>> to <<noun2>>",
    ], w)


# ----------------------------------------------------------------------------- generator


@dataclass
class _Branch:
    ref: str
    length: int
    commits: int = 0
    tip: int = 0  # mark
    files: dict[str, _File] = field(default_factory=dict)
    new: set[str] = field(default_factory=set)


@dataclass
class _Plant:
    pid: int
    kind: str
    value: str
    location: str
    path: str = ""
    added: int = 0  # marks
    removed: int = 0
    versions: list[tuple[int, str, int, int]] = field(default_factory=list)
    kind_obj: Any = None


def _due(pending: list[tuple[int, _Plant]], i: int, last: bool, ready: Any = None) -> list[_Plant]:
    """Take the plants due at commit index i (all of them at the last commit) off the list."""
    out = [p for at, p in pending if (at <= i or last) and (ready is None or ready(p))]
    pending[:] = [(at, p) for at, p in pending if p not in out]
    return out


class _Generator:
    """Writes one fast-import stream; see the module docstring for what it holds."""

    def __init__(self, spec: RepoSpec, out: IO[bytes]) -> None:
        self.spec = spec
        self.out = out
        self.rng = random.Random(f"reposcrub-bench-gitrepo:{spec.seed}")
        self.paths = C._Paths(self.rng)
        self.people = _people(self.rng)
        self.weights = [1 / (i + 1) ** 0.8 for i in range(len(self.people))]
        self.files: dict[str, _File] = {}
        self.order: list[str] = []  # hot files first: picked with a skewed distribution
        self.locked: dict[str, str] = {}  # path -> branch ref
        self.planted_in: dict[str, list[int]] = defaultdict(list)
        self.plants: list[_Plant] = []
        self.mark = 0
        self.main_tip = 0
        self.clock = _EPOCH
        self.gap = _SPAN / spec.commits
        self.target = int(spec.unique_mb * MB * 1.01)
        self.emitted = 0
        self.merged_refs: list[str] = []
        self.kept_refs: list[str] = []
        self.counts: Counter[str] = Counter()
        self.used_refs: set[str] = set()

    # -- low level ----------------------------------------------------------------

    def _w(self, data: bytes) -> None:
        self.out.write(data)

    @staticmethod
    def _data(payload: bytes) -> bytes:
        return b"data %d\n" % len(payload) + payload + b"\n"

    def _who(self, person: _Person) -> bytes:
        self.clock += max(1, int(self.rng.expovariate(1 / self.gap)))
        return f"{person.name} <{person.email}> {self.clock} {person.tz}".encode()

    def _m(self, f: _File, count: bool = True) -> bytes:
        data = f.data()
        if count:
            self.emitted += len(data)
        return b"M 100644 inline " + f.path.encode() + b"\n" + self._data(data)

    def _commit(self, ref: str, message: str, ops: list[bytes], person: _Person | None = None,
                start: int = 0, merge: int = 0) -> int:
        self.mark += 1
        person = person or self.rng.choices(self.people, self.weights)[0]
        who = self._who(person)
        head = [b"commit " + ref.encode() + b"\nmark :%d\n" % self.mark, b"author " + who + b"\n",
                b"committer " + who + b"\n", self._data(message.encode())]
        if start:
            head.append(b"from :%d\n" % start)
        if merge:
            head.append(b"merge :%d\n" % merge)
        self._w(b"".join(head + ops) + b"\n")
        self.counts["commits"] += 1
        return self.mark

    # -- files --------------------------------------------------------------------

    def _chunk(self, family: str, tag: str, org: bool) -> str:
        rng = self.rng
        pool = ORG_CHUNKS[family] if rng.random() < (0.06 if org else 0.01) else CHUNKS[family]
        return C._vary(C.fill(rng.choice(pool), C._words(rng)), tag)

    def _new_file(self, category: str | None = None) -> _File:
        rng = self.rng
        if category is None:
            category = rng.choices([c for c, _ in _NEW_FILE_WEIGHTS], [w for _, w in _NEW_FILE_WEIGHTS])[0]
        family = _CATEGORY_FAMILY[category]
        if category == "python" and rng.random() < 0.12:
            path = self.paths.unique(f"globex_utils/{rng.choice(C.VERBS)}_{rng.choice(C.NOUNS)}.py")
        else:
            path = self.paths.for_category(category)
        tag = rng.choice(C.NOUNS + C.ADJS) + str(rng.randint(1, 9))
        if family == "lock":
            kind = next((k for k in _LOCK_NAMES if path.endswith(k)), "yarn.lock")
            head, foot = _LOCK_FRAME[kind]
            target = rng.randint(60_000, 250_000)
            chunks: list[str] = []
            size = 0
            while size < target:
                chunks.append(_lock_entry(rng, kind))
                size += len(chunks[-1])
            return _File(path, "lock:" + kind, head, chunks, foot, False, tag, target)
        if family == "yaml" and path.startswith(".github/"):
            family = "ci"
        org = path.startswith("globex_utils/") or rng.random() < 0.35
        header, footer = self._frame(family, path, org)
        f = _File(path, family, header, [], footer, org, tag, _SIZE(rng))
        while f.size < f.target:
            self._insert(f, self._chunk(family, tag, org))
        return f

    def _frame(self, family: str, path: str, org: bool) -> tuple[str, str]:
        w = C._words(self.rng)
        parts = path.split("/")
        header, footer = {
            "py": (C.fill(C.PY_HEADER, {**w, "svc": parts[1] if len(parts) > 2 else "globex", "pkg": "core"}), ""),
            "js": (C.fill(C.JS_HEADER, {**w, "app": parts[1]}), ""),
            "ts": ("import React, { useState } from 'react';\n" + C.fill(C.JS_HEADER, {**w, "app": parts[1]}), ""),
            "java": (C.fill(C.JAVA_HEADER, {**w, "module": parts[1], "pkg": parts[-2], "Class": parts[-1].removesuffix(".java")}), "}\n"),
            "go": (C.fill(C.GO_HEADER, {**w, "pkg": parts[-2]}), ""),
            "yaml": (f"# {w['sentence']}\n", ""),
            "ci": ("name: ci\non:\n  push:\n    branches: [main]\njobs:\n", ""),
            "json": ("[\n", '  {"id": "%s", "end": true}\n]\n' % C._uuid(self.rng)),
            "md": (f"# {w['Noun']} {w['noun2']} guide\n\n{w['sentence']}\n", ""),
        }[family]
        if org and ORG_HEADERS[family]:
            header = C.fill(ORG_HEADERS[family], w) + header
        return header, footer

    @staticmethod
    def _insert(f: _File, chunk: str, at: int | None = None) -> None:
        f.chunks.insert(len(f.chunks) if at is None else at, chunk)
        f.size += len(chunk)

    def _edit(self, f: _File) -> None:
        """One to three edits: insert a new chunk, delete one, or tweak a number in one."""
        rng = self.rng
        if f.family.startswith("lock:"):
            for _ in range(rng.randint(1, 6)):
                i = rng.randrange(len(f.chunks))
                new = _lock_entry(rng, f.family[5:])
                f.size += len(new) - len(f.chunks[i])
                f.chunks[i] = new
            return
        for _ in range(rng.randint(1, 3)):
            r = rng.random()
            plain = [i for i, c in enumerate(f.chunks) if type(c) is not _PlantChunk]
            if not plain or r < (0.55 if f.size < f.target * 1.3 else 0.25):
                self._insert(f, self._chunk(f.family, f.tag, f.org), rng.randint(0, len(f.chunks)))
            elif r < 0.75 and len(plain) > 2:
                f.size -= len(f.chunks.pop(rng.choice(plain)))
            else:
                i = rng.choice(plain)
                old = f.chunks[i]
                nums = list(_NUM.finditer(old))
                if nums:
                    m = rng.choice(nums)
                    new = old[: m.start()] + str(rng.randint(0, 9999)) + old[m.end():]
                elif COMMENT.get(f.family):
                    new = old + f"{COMMENT[f.family]} {C._sentence(rng, 4, 10)}\n"
                else:
                    new = self._chunk(f.family, f.tag, f.org)
                f.chunks[i] = new
                f.size += len(new) - len(old)

    def _pick(self, avoid_planted: bool = True, plain_only: bool = False, family_ok: set[str] | None = None) -> str | None:
        """A main-line file, hot ones more often, not locked by an open branch."""
        rng = self.rng
        n = len(self.order)
        for _ in range(200):
            path = self.order[int(n * rng.random() ** 1.6)]
            f = self.files[path]
            if path in self.locked or (avoid_planted and path in self.planted_in):
                continue
            if plain_only and (f.family.startswith("lock:") or f.family == "key"):
                continue
            if family_ok is not None and TEMPLATE_FAMILY.get(f.family, f.family) not in family_ok:
                continue
            return path
        return None

    def _add_main(self, f: _File) -> None:
        self.files[f.path] = f
        self.order.insert(self.rng.randint(0, len(self.order)), f.path)

    # -- the history --------------------------------------------------------------

    def run(self) -> None:
        spec, rng = self.spec, self.rng
        total = spec.commits
        n_files = max(60, min(4000, total // 8))
        growth_end = max(2, total * 15 // 100)
        initial = [self._new_file() for _ in range(max(20, n_files * 4 // 10))]
        for category in ("lockfile",) * max(2, n_files // 120):
            initial.append(self._new_file(category))
        to_add = n_files - len(initial)
        for f in initial:
            self._add_main(f)
        ops = [self._m(f) for f in initial]
        self.main_tip = self._commit("refs/heads/main", "Initial import of the Globex monorepo\n", ops)

        adds, removes, messages = self._schedule_plants(total)
        starts = sorted(rng.sample(range(total // 20, max(total // 20 + 1, total * 97 // 100)), min(spec.branches, total // 10)))
        open_branches: list[_Branch] = []
        tag_every = max(30, total // 80)
        main_commits = 0
        for i in range(1, total):
            while starts and starts[0] <= i:
                starts.pop(0)
                open_branches.append(self._open_branch(i, total))
            ready = [b for b in open_branches if b.commits >= b.length]
            last = i == total - 1
            if ready and rng.random() < 0.5 and not last:
                b = ready[0]
                open_branches.remove(b)
                if rng.random() < 0.85:
                    self._merge(b)
                    continue
                self._abandon(b)
            if open_branches and rng.random() < 0.35 and not last:
                self._branch_commit(rng.choice(open_branches), total - i)
                continue
            due_add = _due(adds, i, last)
            due_remove = _due(removes, i, last, lambda p: p.added != 0)  # never before it was added
            due_message = _due(messages, i, last)
            grow = 0
            if to_add > 0 and i < growth_end:
                share = to_add / (growth_end - i)
                grow = int(share) + (rng.random() < share - int(share))
                to_add -= grow
            self._main_commit(total - i, grow, due_add, due_remove, due_message)
            main_commits += 1
            if main_commits % tag_every == 0:
                self._tag(main_commits // tag_every)
        for b in open_branches:
            if b.commits:
                self.kept_refs.append(b.ref)
            for path in b.files:
                self.locked.pop(path, None)
        self._w(b"done\n")

    def _schedule_plants(self, total: int) -> tuple[list[tuple[int, _Plant]], list[tuple[int, _Plant]], list[tuple[int, _Plant]]]:
        """(commit index, plant) lists, sorted: when each value is added, removed, or pasted in a message."""
        rng = self.rng
        key_file = C.Kind("rsa-private-key-file", True, C.POSITIVE_KINDS[4].make, {"key": C.T_PEM["key"]})
        kinds = [*C.POSITIVE_KINDS, key_file]
        n = max(8, total // 250)
        adds, removes, messages = [], [], []
        for pid in range(n):
            kind = kinds[pid % len(kinds)]
            at = rng.randint(max(2, total * 3 // 100), max(3, total * 90 // 100))
            p = _Plant(pid, kind.name, "", "file", kind_obj=kind)
            adds.append((at, p))
            removes.append((min(total - 2, at + rng.randint(1, max(2, min(600, total // 20)))), p))
            self.plants.append(p)
        single = [k for k in C.POSITIVE_KINDS if k.name in ("aws-access-key-id", "github-pat", "slack-bot-token", "stripe-live-secret")]
        for j in range(max(2, n // 10)):
            kind = single[j % len(single)]
            p = _Plant(n + j, kind.name, kind.make(rng), "message")
            messages.append((rng.randint(2, max(3, total - 2)), p))
            self.plants.append(p)
        order = lambda x: (x[0], x[1].pid)  # noqa: E731
        return sorted(adds, key=order), sorted(removes, key=order), sorted(messages, key=order)

    def _message(self, extra: str = "") -> str:
        rng = self.rng
        progress = self.counts["commits"] / self.spec.commits
        ticket = f"GLX-{100 + int(progress * 9000) + rng.randint(-60, 60)}"
        subject = _subject(rng)
        if rng.random() < 0.6:
            subject = f"{ticket}: {subject}"
        body = ""
        if rng.random() < 0.4:
            body = "\n\n" + " ".join(C._sentence(rng) for _ in range(rng.randint(1, 3)))
            if rng.random() < 0.3:
                body += f"\n\nSee https://jira.globex.internal/browse/{ticket}"
            if rng.random() < 0.2:
                p = rng.choice(self.people)
                body += f"\n\nReviewed-by: {p.name} <{p.email}>"
        return subject + body + extra + "\n"

    def _budget(self, remaining: int) -> int:
        return max(1, (self.target - self.emitted) // max(1, remaining))

    def _main_commit(self, remaining: int, grow: int, adds: list[_Plant], removes: list[_Plant], messages: list[_Plant]) -> None:
        rng = self.rng
        need = self._budget(remaining)
        start = self.emitted
        ops: list[bytes] = []
        touched: dict[str, _File] = {}
        extra = ""
        for _ in range(grow):
            f = self._new_file()
            self._add_main(f)
            touched[f.path] = f
        if rng.random() < 0.01 and len(self.order) > 50:
            f = self._new_file()
            self._add_main(f)
            touched[f.path] = f
        for p in removes:
            self._unplant(p, touched, ops)
        for p in adds:
            self._plant(p, touched)
        for p in messages:
            extra += f"\n\nTemporary token for the staging deploy, revoke after GLX-{rng.randint(100, 9999)}: {p.value}"
            self.counts["message plants"] += 1
        if rng.random() < 0.03:
            locks = [q for q in self.order if self.files[q].family.startswith("lock:") and q not in self.locked]
            if locks:
                lock = rng.choice(locks)
                self._edit(self.files[lock])
                touched[lock] = self.files[lock]
        r = rng.random()
        if r < 0.006:
            self._rename(ops)
        elif r < 0.009:
            self._delete(ops)
        guard = 0
        while (self.emitted - start + sum(f.size for f in touched.values()) < need or not touched) and guard < 40:
            guard += 1
            path = self._pick(avoid_planted=False, plain_only=True)
            if path is None:
                break
            self._edit(self.files[path])
            touched[path] = self.files[path]
        ops.extend(self._m(f) for f in touched.values())
        if removes:
            subject = f"GLX-{rng.randint(100, 9999)}: remove hard-coded credentials" if rng.random() < 0.5 else "Move secrets to the vault"
            message = subject + "\n" + (extra + "\n" if extra else "")
        else:
            message = self._message(extra)
        self.main_tip = self._commit("refs/heads/main", message, ops)
        for p in adds + messages:
            p.added = self.main_tip if p.path or p.location == "message" else 0
        for p in removes:
            p.removed = self.main_tip
        for f in touched.values():
            if f.path in self.planted_in:
                for pid, line, end in f.plants():
                    self.plants[pid].versions.append((self.main_tip, f.path, line, end))

    def _plant(self, p: _Plant, touched: dict[str, _File]) -> None:
        rng = self.rng
        kind = p.kind_obj
        if kind.name == "rsa-private-key-file":
            f = _File(self.paths.for_category("keyfile"), "key", "", [], "", False, "", 0)
            family = "key"
            self._add_main(f)
        else:
            path = self._pick(plain_only=True, family_ok=set(kind.templates) - {"key", "min"})
            if path is None:
                return
            f = self.files[path]
            family = TEMPLATE_FAMILY.get(f.family, f.family)
        ins = C._render(kind, family, rng)
        chunk = _PlantChunk(ins.text)
        chunk.pid, chunk.offset, chunk.span = p.pid, ins.offset, ins.span
        self._insert(f, chunk, rng.randint(0, len(f.chunks)))
        p.value, p.path = ins.value, f.path
        self.planted_in[f.path].append(p.pid)
        touched[f.path] = f

    def _unplant(self, p: _Plant, touched: dict[str, _File], ops: list[bytes]) -> None:
        if not p.path or p.path not in self.files:
            return
        f = self.files[p.path]
        self.planted_in[p.path].remove(p.pid)
        if not self.planted_in[p.path]:
            del self.planted_in[p.path]
        if f.family == "key":
            ops.append(b"D " + f.path.encode() + b"\n")
            del self.files[f.path]
            self.order.remove(f.path)
            touched.pop(f.path, None)
            return
        f.chunks = [c for c in f.chunks if not (type(c) is _PlantChunk and c.pid == p.pid)]
        f.size = len(f.header) + len(f.footer) + sum(len(c) for c in f.chunks)
        touched[f.path] = f

    def _rename(self, ops: list[bytes]) -> None:
        path = self._pick(plain_only=True)
        if path is None:
            return
        rng = self.rng
        f = self.files.pop(path)
        d, _, base = path.rpartition("/")
        ext = base.rsplit(".", 1)[-1] if "." in base else ""
        stem = f"{rng.choice(C.VERBS)}_{rng.choice(C.NOUNS)}" if f.family != "java" else \
            f"{rng.choice(C.NOUNS).capitalize()}{rng.choice(C.NOUNS).capitalize()}Service"
        new = self.paths.unique(f"{d}/{stem}.{ext}" if d else f"{stem}.{ext}")
        f.path = new
        self.files[new] = f
        self.order[self.order.index(path)] = new
        ops.append(f"R {path} {new}\n".encode())
        self.counts["renames"] += 1

    def _delete(self, ops: list[bytes]) -> None:
        path = self._pick(plain_only=True)
        if path is None or len(self.order) < 50:
            return
        del self.files[path]
        self.order.remove(path)
        ops.append(f"D {path}\n".encode())
        self.counts["deletions"] += 1

    # -- branches and tags --------------------------------------------------------

    def _open_branch(self, i: int, total: int) -> _Branch:
        rng = self.rng
        w = C._words(rng)
        ticket = f"GLX-{100 + int(i / total * 9000)}"
        name = rng.choice([f"feature/{ticket}-{w['noun']}-{w['verb']}", f"fix/{ticket}-{w['noun']}",
                           f"{rng.choice(C.FIRST)}/{w['noun']}-{w['verb']}", f"hammerhead/{w['noun']}-{w['noun2']}"])
        ref = f"refs/heads/{name}"
        n = 2
        while ref in self.used_refs:
            ref = f"refs/heads/{name}-{n}"
            n += 1
        self.used_refs.add(ref)
        return _Branch(ref, rng.randint(2, 20))

    def _branch_commit(self, b: _Branch, remaining: int) -> None:
        rng = self.rng
        need = self._budget(remaining)
        start = self.emitted
        touched: dict[str, _File] = {}
        guard = 0
        while (self.emitted - start + sum(f.size for f in touched.values()) < need or not touched) and guard < 40:
            guard += 1
            if b.files and rng.random() < 0.6:
                f = b.files[rng.choice(sorted(b.files))]
            elif rng.random() < 0.05:
                f = self._new_file()
                b.files[f.path] = f
                b.new.add(f.path)
            else:
                path = self._pick(plain_only=True)
                if path is None:
                    break
                f = self.files[path].copy()
                b.files[path] = f
                self.locked[path] = b.ref
            self._edit(f)
            touched[f.path] = f
        ops = [self._m(f) for f in touched.values()]
        b.tip = self._commit(b.ref, self._message(), ops, start=self.main_tip if b.commits == 0 else 0)
        b.commits += 1
        self.counts["branch commits"] += 1

    def _merge(self, b: _Branch) -> None:
        rng = self.rng
        name = b.ref.removeprefix("refs/heads/")
        if rng.random() < 0.5:
            message = f"Merge branch '{name}' into main\n"
        else:
            message = f"Merge pull request #{rng.randint(100, 9999)} from globex/{name}\n\n{_subject(rng)}\n"
        ops = [self._m(f, count=False) for f in b.files.values()]
        self.main_tip = self._commit("refs/heads/main", message, ops, person=_CI, merge=b.tip)
        for path, f in b.files.items():
            self.locked.pop(path, None)
            if path in b.new:
                self._add_main(f)
            else:
                self.files[path] = f
        self.merged_refs.append(b.ref)
        self.counts["merges"] += 1

    def _abandon(self, b: _Branch) -> None:
        for path in b.files:
            self.locked.pop(path, None)
        if b.commits:
            self.kept_refs.append(b.ref)
            self.counts["abandoned branches"] += 1

    def _tag(self, k: int) -> None:
        rng = self.rng
        version = f"{1 + k // 20}.{k % 20}.0"
        person = rng.choices(self.people, self.weights)[0]
        if k % 4 == 3:
            self._w(f"reset refs/tags/build-{k:04d}\nfrom :{self.main_tip}\n\n".encode())
        else:
            notes = ", ".join(f"GLX-{rng.randint(100, 9999)}" for _ in range(rng.randint(1, 4)))
            msg = f"Release {version}\n\nHighlights: {notes}\n".encode()
            self._w(f"tag v{version}\nfrom :{self.main_tip}\ntagger ".encode() + self._who(person) + b"\n" + self._data(msg))
        self.counts["tags"] += 1


# ----------------------------------------------------------------------------- building


def _git(args: list[str], cwd: Path, **kw: Any) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    return subprocess.run(["git", "-c", "gc.auto=0", *args], cwd=cwd, env=env, check=True, **kw)


def repo_stats(repo: Path) -> dict[str, Any]:
    """Object counts and unique blob bytes (every blob in the object store, once), refs, pack size."""
    out = _git(["cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)"], repo, capture_output=True).stdout
    kinds: Counter[str] = Counter()
    blob_bytes = 0
    for line in out.splitlines():
        kind, size = line.split()
        kinds[kind.decode()] += 1
        if kind == b"blob":
            blob_bytes += int(size)
    refs = _git(["for-each-ref", "--format=%(refname)"], repo, capture_output=True).stdout.decode().split()
    commits = int(_git(["rev-list", "--all", "--count"], repo, capture_output=True).stdout)
    packs = sum(p.stat().st_size for p in (repo / "objects" / "pack").glob("*.pack"))
    head = _git(["ls-tree", "-r", "-l", "HEAD"], repo, capture_output=True).stdout.splitlines()
    return {
        "commits": commits, "blobs": kinds["blob"], "blob_bytes": blob_bytes, "trees": kinds["tree"],
        "commit_objects": kinds["commit"], "tag_objects": kinds["tag"],
        "branches": sum(r.startswith("refs/heads/") for r in refs), "tags": sum(r.startswith("refs/tags/") for r in refs),
        "pack_bytes": packs, "head_files": len(head), "head_bytes": sum(int(l.split()[3]) for l in head),
    }


def refs_digest(repo: Path) -> str:
    out = _git(["for-each-ref", "--format=%(objectname) %(refname)"], repo, capture_output=True).stdout
    return hashlib.sha256(out).hexdigest()


def generate(root: Path, spec: RepoSpec = RepoSpec(), log: Any = print) -> RepoInfo:
    """Build a fresh repository at root (replacing one this module made) and its truth file."""
    root = Path(root)
    truth = truth_path_for(root)
    if root.exists():
        if not truth.exists() and any(root.iterdir()):
            raise RuntimeError(f"{root} exists and has no {truth.name} beside it: refusing to delete it")
        truth.unlink(missing_ok=True)
        shutil.rmtree(root)
    tmp = root.with_name(root.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    started = time.perf_counter()
    _git(["init", "-q", "--bare", "-b", "main", "."], tmp)
    marks = tmp / "fast-import.marks"
    proc = subprocess.Popen(["git", "-c", "gc.auto=0", "fast-import", "--quiet", "--done", f"--export-marks={marks}"],
                            cwd=tmp, stdin=subprocess.PIPE, bufsize=1 << 20)
    assert proc.stdin is not None
    gen = _Generator(spec, proc.stdin)
    try:
        gen.run()
    finally:
        proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError(f"git fast-import failed with exit code {proc.returncode}")
    imported = time.perf_counter() - started
    log(f"      fast-import done in {imported:.1f} s ({gen.emitted / MB:,.0f} MB of blobs written); repacking")
    keep = set(gen.merged_refs[-3:])
    deletes = "".join(f"delete {r}\n" for r in gen.merged_refs if r not in keep)
    _git(["update-ref", "--stdin"], tmp, input=deletes.encode())
    _git(["repack", "-a", "-d", "-f", "-q", "--window=10", "--depth=50"], tmp)
    _git(["pack-refs", "--all"], tmp)
    _git(["commit-graph", "write", "--reachable"], tmp, capture_output=True)
    shas = {}
    for line in marks.read_text().splitlines():
        mark, sha = line.split()
        shas[int(mark[1:])] = sha
    marks.unlink()
    planted = [PlantedSecret(p.pid, p.kind, p.value, p.location, p.path, shas.get(p.added, ""), shas.get(p.removed, ""),
                             tuple(Version(shas[m], path, a, b) for m, path, a, b in p.versions))
               for p in gen.plants if p.added]
    stats = repo_stats(tmp)
    stats["written"] = dict(gen.counts)
    stats["import_seconds"] = round(imported, 2)
    tmp.rename(root)
    info = RepoInfo(root, spec, stats, ORG, [asdict(p) for p in gen.people + [_CI]], planted, refs_digest(root),
                    round(time.perf_counter() - started, 2))
    doc = {"about": "Ground truth for a synthetic benchmark repository (bench/gitrepo.py). Values are fake, built at run time.",
           "spec": asdict(spec), "repo": str(root.resolve()), "stats": stats, "org": ORG, "identities": info.identities,
           "refs_digest": info.refs_digest, "generated_seconds": info.generated_seconds,
           "planted": [asdict(p) for p in planted]}
    part = truth.with_name(truth.name + ".tmp")
    part.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    part.replace(truth)  # written last: a half-built repository is never reused
    return info


def load(root: Path) -> RepoInfo | None:
    """The repository described by the truth file beside root, or None."""
    try:
        doc = json.loads(truth_path_for(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    planted = [PlantedSecret(**{**p, "versions": tuple(Version(**v) for v in p["versions"])}) for p in doc["planted"]]
    return RepoInfo(Path(root), RepoSpec(**doc["spec"]), doc["stats"], doc["org"], doc["identities"], planted,
                    doc["refs_digest"], doc.get("generated_seconds", 0.0))


def ensure(root: Path, spec: RepoSpec = RepoSpec(), log: Any = print) -> tuple[RepoInfo, bool]:
    """Reuse the repository at root if its truth file has this spec and its refs still
    match; otherwise generate it. Returns (info, reused)."""
    existing = load(root)
    if existing is not None and existing.spec == spec and (Path(root) / "HEAD").is_file():
        try:
            if refs_digest(Path(root)) == existing.refs_digest:
                return existing, True
        except subprocess.CalledProcessError:
            pass
    return generate(root, spec, log), False


# ----------------------------------------------------------------------------- scoring

SECRET_CATEGORIES = ("secret", "file")


@dataclass
class Recall:
    total: int = 0
    found: int = 0  # a finding names the path, the commit and a line of a blob version holding it
    found_line: int = 0  # a secret finding names the path and a line of some version (any commit)
    versions: int = 0  # blob versions holding planted values
    versions_found: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [found, total]
    missed: list[str] = field(default_factory=list)


def score_findings(info: RepoInfo, findings: list[dict[str, Any]], categories: tuple[str, ...] = SECRET_CATEGORIES) -> Recall:
    """Recall on the planted values, from a reposcrub JSON report's findings.

    A file value counts as found when a finding of a secret/file category names its path,
    the commit that introduced a blob holding it and a line of the value in that blob
    (``found``); ``found_line`` relaxes the commit. A message value is found when a
    finding in that commit's message exists."""
    by_place: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    by_path: dict[str, list[tuple[int, int]]] = defaultdict(list)
    messages: set[str] = set()
    for f in findings:
        if f.get("category") not in categories:
            continue
        if f.get("location") == "message":
            messages.add(str(f.get("commit") or f.get("path")))
        elif f.get("location", "file") == "file":
            span = (int(f["line"]), int(f.get("end_line") or f["line"]))
            by_place[(f["path"], f.get("commit") or "")].append(span)
            by_path[f["path"]].append(span)
    r = Recall()

    def overlaps(spans: list[tuple[int, int]], v: Version) -> bool:
        return any(a <= v.end_line and b >= v.line for a, b in spans)

    for p in info.planted:
        r.total += 1
        k = r.by_kind.setdefault(p.kind, [0, 0])
        k[1] += 1
        if p.location == "message":
            hit = hit_line = p.added in messages
        else:
            hits = [overlaps(by_place.get((v.path, v.commit), []), v) for v in p.versions]
            r.versions += len(hits)
            r.versions_found += sum(hits)
            hit = any(hits)
            hit_line = any(overlaps(by_path.get(v.path, []), v) for v in p.versions)
        r.found += hit
        r.found_line += hit_line
        k[0] += hit
        if not hit:
            r.missed.append(f"{p.kind} {p.location} {p.path or '-'} @ {p.added[:10]}")
    return r


# ----------------------------------------------------------------------------- command line


def describe(info: RepoInfo, reused: bool) -> str:
    s = info.stats
    w = s.get("written", {})
    return (f"{info.root}  ({'reused' if reused else f'generated in {info.generated_seconds:.1f} s'})\n"
            f"  {s['commits']:,} commits ({w.get('merges', 0)} merges, {w.get('branch commits', 0)} on branches), "
            f"{s['branches']} branches, {s['tags']} tags; {s['blobs']:,} unique blobs, {s['blob_bytes'] / MB:,.1f} MB; "
            f"pack {s['pack_bytes'] / MB:,.1f} MB; HEAD {s['head_files']:,} files, {s['head_bytes'] / MB:,.1f} MB\n"
            f"  planted: {sum(p.location == 'file' for p in info.planted)} in files (added, then deleted later), "
            f"{sum(p.location == 'message' for p in info.planted)} in commit messages; kinds "
            + ", ".join(f"{k} {v}" for k, v in sorted(Counter(p.kind for p in info.planted).items())))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--commits", type=int, default=RepoSpec().commits)
    ap.add_argument("--unique-mb", type=int, default=RepoSpec().unique_mb)
    ap.add_argument("--branches", type=int, default=RepoSpec().branches)
    ap.add_argument("--seed", type=int, default=RepoSpec().seed)
    ap.add_argument("--repo", type=Path, default=None, help="where (default: bench/out/repos/<spec name>.git)")
    ap.add_argument("--force", action="store_true", help="regenerate even if a matching repository exists")
    args = ap.parse_args(argv)
    spec = RepoSpec(args.commits, args.unique_mb, args.branches, args.seed)
    root = args.repo or default_path(spec)
    root.parent.mkdir(parents=True, exist_ok=True)
    info, reused = (generate(root, spec), False) if args.force else ensure(root, spec)
    print(describe(info, reused))
    print(f"  truth: {info.truth_path}")


if __name__ == "__main__":
    main()
