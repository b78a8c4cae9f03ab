"""Git notes, rebuilt on the rewritten commits.

git-filter-repo passes ``refs/notes/*`` through untouched: their trees name the *old*
commit ids (so every note ends up detached) and their blobs hold unscrubbed text. Each
notes ref is written again as one commit: every note of its tip, cleaned like a commit
message, attached to its commit's new id, under the ref's cleaned name, with the tip's
identity replaced. The notes ref's own history is not carried over (it holds every
earlier, unscrubbed version of each note); the report says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reposcrub import git
from reposcrub.catfile import read_objects
from reposcrub.model import Provenance
from reposcrub.scrub.plan import Plan
from reposcrub.scrub.refs import feed
from reposcrub.scrub.replace import Replacer
from reposcrub.scrub.rewrite import clean_refname
from reposcrub.sources import gitwalk


@dataclass
class NotesResult:
    refs: dict[str, str] = field(default_factory=dict)  # old notes ref -> new name
    notes: int = 0
    dropped: int = 0  # notes on objects other than commits: their new ids are not known
    squashed: int = 0  # notes refs whose history had more than one commit


def _entries(repo: Path, ref: str) -> list[tuple[str, str]]:
    """(annotated object id, note blob id) for every note at ref's tip; fan-out paths joined."""
    out = git.run(["ls-tree", "-r", "-z", ref], cwd=repo)
    rows = []
    for item in out.split(b"\0"):
        if b"\t" in item:
            meta, path = item.split(b"\t", 1)
            rows.append((path.replace(b"/", b"").decode(), meta.split()[2].decode()))
    return rows


def _committer(repo: Path, tip: str) -> tuple[bytes, bytes, bytes, bytes]:
    """(name, email, 'time tz', message) of a commit, read from the object itself."""
    raw = next(read_objects(repo, [tip], 1 << 30)).data
    header, _, message = raw.partition(b"\n\n")
    line = next((h for h in header.split(b"\n") if h.startswith(b"committer ")), b"committer unknown <> 0 +0000")
    ident, _, when = line[len(b"committer "):].rpartition(b"> ")
    name, _, email = ident.partition(b" <")
    return name, email, when, message


def rebuild_notes(pristine: Path, mirror: Path, commit_map: dict[str, str], plan: Plan, replacer: Replacer) -> NotesResult:
    """Replace the mirror's notes refs by scrubbed ones attached to the new commit ids.

    Raises:
        ReposcrubError: git failed.
    """
    result = NotesResult()
    notes = [(name, oid) for name, kind, oid in gitwalk.refs(pristine) if name.startswith("refs/notes/") and kind == "commit"]
    if not notes:
        return result
    deletes = "".join(f"delete {name}\n" for name, _, _ in gitwalk.refs(mirror) if name.startswith("refs/notes/"))
    feed(["update-ref", "--stdin"], mirror, deletes.encode("utf-8", "surrogateescape"))
    stream = [b"feature notes\n"]
    for name, tip in notes:
        stream.append(_notes_commit(pristine, name, tip, commit_map, plan, replacer, result))
    feed(["fast-import", "--quiet", "--force"], mirror, b"".join(stream) + b"done\n")
    return result


def _data(content: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(content), content)


def _notes_commit(pristine: Path, name: str, tip: str, commit_map: dict[str, str], plan: Plan,
                  replacer: Replacer, result: NotesResult) -> bytes:
    new_name = clean_refname(plan, name.encode("utf-8", "surrogateescape"))
    result.refs[name] = new_name.decode("utf-8", "surrogateescape")
    if git.run(["rev-list", "--count", tip], cwd=pristine).strip() != b"1":
        result.squashed += 1
    who, email, when, message = _committer(pristine, tip)
    if replacer.is_person(who, email):
        who, email = replacer.identity(who, email)
    message = plan.cleaner.clean(message, Provenance(path=name, location="message")).data
    out = [b"commit %s\ncommitter %s <%s> %s\n" % (new_name, who, email, when), _data(message)]
    entries = _entries(pristine, tip)
    blobs = {obj.oid: obj.data for obj in read_objects(pristine, sorted({b for _, b in entries}), 1 << 62)}
    for target, blob in entries:
        new_target = commit_map.get(target)
        if new_target is None:
            result.dropped += 1
            continue
        cleaned = plan.cleaner.clean(blobs.get(blob, b""), Provenance(path=name, location="message"))
        plan.replaced.extend(cleaned.replaced)
        out.append(b"N inline %s\n" % new_target.encode() + _data(cleaned.data))
        result.notes += 1
    return b"".join(out)
