"""Archives as targets: hostile entries are refused or skipped with a note, bombs stop
with a one-line error naming the option that raises the cap, nothing is ever written
outside the extraction directory, and a repository inside is scanned with its history."""
from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import tarfile
import tempfile
import uuid
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from reposcrub.errors import ReposcrubError
from reposcrub.model import Finding, ScanResult
from reposcrub.pipeline import ScanOptions, scan_archive
from reposcrub.sources.archive import (
    MAX_FILES_OPTION, MAX_RATIO_OPTION, MAX_SIZE_OPTION, ArchiveLimits, extracted, find_repositories, is_archive,
)
from tests.conftest import git, make_repo, write_files
from tests.hostile.helpers import Member, fake_tokens, tree_snapshot, write_tar, write_zip

TOKENS = fake_tokens(3)
FORMATS = ["zip", "tar", "tar.gz", "tar.bz2", "tar.xz"]


def write_archive(path_base: Path, fmt: str, members: list[Member]) -> Path:
    path = path_base.with_name(path_base.name + "." + fmt)
    if fmt == "zip":
        return write_zip(path, [m for m in members if m.kind != "hardlink"])
    return write_tar(path, members, {"tar": "", "tar.gz": "gz", "tar.bz2": "bz2", "tar.xz": "xz"}[fmt])


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """A TMPDIR of the test's own: extraction happens there and must leave it empty."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


def one_line(exc: pytest.ExceptionInfo[ReposcrubError]) -> str:
    text = str(exc.value)
    assert "\n" not in text and text
    return text


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_entries_never_escape(tmp_path, private_tmp, fmt):
    outside = f"reposcrub-hostile-{uuid.uuid4().hex}"
    members = [
        Member("pkg/ok.txt", b"fine\n"),
        Member(f"../{outside}", b"traversal\n"),
        Member(f"pkg/../../{outside}-2", b"traversal\n"),
        Member(f"/tmp/{outside}-abs", b"absolute\n"),
        Member(f"C:/{outside}-drive", b"drive letter\n"),
        Member("..\\" + outside + "-backslash", b"windows traversal\n"),
        Member("pkg/passwd-link", kind="symlink", link="/etc/passwd"),
        Member("pkg/up-link", kind="symlink", link="../../.."),
        Member("pkg/hard-ok", kind="hardlink", link="pkg/ok.txt"),
        Member("pkg/hard-out", kind="hardlink", link="/etc/passwd"),
        Member("pkg/fifo", kind="fifo"),
        Member("pkg/tty", kind="chardev"),
        Member("pkg/.git", b"gitdir: /etc\n"),
    ]
    archive = write_archive(tmp_path / "hostile", fmt, members)
    before = tree_snapshot(tmp_path)
    with extracted(archive, ArchiveLimits()) as result:
        inside = tree_snapshot(result.root)
        assert result.root.parent == private_tmp
        notes = "\n".join(result.notes)
        assert all(not os.path.islink(result.root / p) for p in inside)
    assert not list(private_tmp.iterdir()), "the extraction directory was not removed"
    assert tree_snapshot(tmp_path) == before
    for escaped in (tmp_path.parent / outside, tmp_path / outside, Path("/tmp") / f"{outside}-abs", Path("/") / outside):
        assert not escaped.exists()
    assert "pkg/ok.txt" in inside and f"tmp/{outside}-abs" in inside and f"{outside}-drive" in inside
    assert not any("passwd" in p or "link" in p or "fifo" in p or "tty" in p or p.endswith(".git") for p in inside)
    assert f"../{outside}" in notes and "symbolic link" in notes and "'.git' files" in notes
    if fmt != "zip":
        assert "pkg/hard-ok" in inside and "hard links to missing or unsafe targets" in notes
    assert len(result.notes) == len(set(result.notes)) and all("\n" not in n for n in result.notes)


def test_zip_bomb_declared_ratio(tmp_path, private_tmp):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.bin", b"\0" * (20 << 20))  # 20 MiB in about 20 KB
    with pytest.raises(ReposcrubError) as exc:
        with extracted(bomb, ArchiveLimits()):
            pass
    assert MAX_RATIO_OPTION in one_line(exc) and "bomb.zip" in str(exc.value)
    assert not list(private_tmp.iterdir())
    with pytest.raises(ReposcrubError) as exc:
        with extracted(bomb, ArchiveLimits(max_ratio=10_000, max_size=10 << 20)):
            pass
    assert MAX_SIZE_OPTION in one_line(exc)
    with extracted(bomb, ArchiveLimits(max_ratio=10_000)) as result:  # trusted: the caps are raised
        assert (result.root / "zeros.bin").stat().st_size == 20 << 20


def test_zip_bomb_lying_sizes_is_refused(tmp_path, private_tmp):
    """A central directory that declares 1 KB for 5 MiB of data: refused, not extracted."""
    liar = tmp_path / "liar.zip"
    with zipfile.ZipFile(liar, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", b"a" * (5 << 20))
    data = bytearray(liar.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # uncompressed-size fields
        at = data.find(signature)
        struct.pack_into("<I", data, at + offset, 1024)
    liar.write_bytes(bytes(data))
    with pytest.raises(ReposcrubError) as exc:
        with extracted(liar, ArchiveLimits()):
            pass
    assert "corrupt" in one_line(exc)
    assert not list(private_tmp.iterdir())


def test_tar_bomb_stops_on_declared_size(tmp_path, private_tmp):
    bomb = tmp_path / "bomb.tar.gz"
    with tarfile.open(bomb, "w:gz") as tf:
        info = tarfile.TarInfo("zeros.bin")
        info.size = 30 << 20
        tf.addfile(info, io.BytesIO(b"\0" * info.size))
    with pytest.raises(ReposcrubError) as exc:
        with extracted(bomb, ArchiveLimits(max_size=8 << 20, max_ratio=10_000)):
            pass
    assert MAX_SIZE_OPTION in one_line(exc)
    with pytest.raises(ReposcrubError) as exc:
        with extracted(bomb, ArchiveLimits()):
            pass
    assert MAX_RATIO_OPTION in one_line(exc)
    assert not list(private_tmp.iterdir())


def test_hard_link_copies_count_against_the_size_cap(tmp_path, private_tmp):
    members = [Member("one.bin", os.urandom(1 << 20))] + [Member(f"copy{i}", kind="hardlink", link="one.bin") for i in range(40)]
    archive = write_tar(tmp_path / "links.tar", members)
    with pytest.raises(ReposcrubError) as exc:
        with extracted(archive, ArchiveLimits(max_size=16 << 20)):
            pass
    assert MAX_SIZE_OPTION in one_line(exc)
    assert not list(private_tmp.iterdir())


@pytest.mark.parametrize("fmt", ["zip", "tar"])
def test_too_many_entries(tmp_path, private_tmp, fmt):
    archive = write_archive(tmp_path / "many", fmt, [Member(f"f{i}.txt") for i in range(500)])
    with pytest.raises(ReposcrubError) as exc:
        with extracted(archive, ArchiveLimits(max_files=100)):
            pass
    assert MAX_FILES_OPTION in one_line(exc) and "100" in str(exc.value)
    with extracted(archive, ArchiveLimits(max_files=500)) as result:
        assert len(list(result.root.iterdir())) == 500
    assert not list(private_tmp.iterdir())


@pytest.mark.parametrize("content,name", [
    (b"PK\x03\x04" + b"\0" * 100, "truncated.zip"),
    (b"this is not an archive\n", "text.zip"),
    (b"\x1f\x8b\x08\x00" + b"garbage" * 20, "broken.tar.gz"),
    (b"", "empty.tgz"),
])
def test_corrupt_archives_are_one_line_errors(tmp_path, private_tmp, content, name):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ReposcrubError) as exc:
        with extracted(tmp_path / name, ArchiveLimits()):
            pass
    assert name in one_line(exc)
    assert not list(private_tmp.iterdir())


def test_truncated_tar_gz_is_an_error(tmp_path, private_tmp):
    archive = write_tar(tmp_path / "t.tar.gz", [Member(f"f{i}", os.urandom(4096)) for i in range(20)], "gz")
    (tmp_path / "cut.tar.gz").write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(ReposcrubError) as exc:
        with extracted(tmp_path / "cut.tar.gz", ArchiveLimits()):
            pass
    assert "corrupt or truncated" in one_line(exc)
    assert not list(private_tmp.iterdir())


def test_is_archive_by_suffix_and_magic(tmp_path):
    zip_bin = write_zip(tmp_path / "data.bin", [Member("a.txt", b"a")])
    tar_dat = write_tar(tmp_path / "data.dat", [Member("a.txt", b"a")])
    tgz_raw = write_tar(tmp_path / "backup", [Member("a.txt", b"a")], "gz")
    write_files(tmp_path, {"notes.txt": "hello\n", "fake.gz": b"\x1f\x8bnot really", "empty.zip": b""})
    assert all(is_archive(p) for p in (zip_bin, tar_dat, tgz_raw, tmp_path / "empty.zip"))
    assert not any(is_archive(tmp_path / n) for n in ("notes.txt", "fake.gz", "missing.zip"))
    assert not is_archive(tmp_path)


def test_interrupt_removes_the_extraction(tmp_path, private_tmp):
    archive = write_tar(tmp_path / "a.tar", [Member("a.txt", b"a")])
    with pytest.raises(KeyboardInterrupt):
        with extracted(archive, ArchiveLimits()) as result:
            assert (result.root / "a.txt").is_file()
            raise KeyboardInterrupt
    assert not list(private_tmp.iterdir())


# Repositories inside archives.

def leaky_repo(root: Path) -> Path:
    """A secret committed, then deleted: only a history scan finds it."""
    repo = make_repo(root, {"settings.py": f"AWS = '{TOKENS['aws']}'\n", "README.md": "hello\n"})
    git(repo, "rm", "-q", "settings.py")
    git(repo, "commit", "-q", "-m", "remove settings")
    return repo


def pack(archive: Path, sources: dict[str, Path]) -> Path:
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for arcname, src in sources.items():
                for path in sorted(src.rglob("*")):
                    name = str(Path(arcname) / path.relative_to(src)) if arcname else str(path.relative_to(src))
                    if path.is_dir():
                        zf.writestr(name + "/", b"")
                    else:
                        zf.write(path, name)
    else:
        with tarfile.open(archive, "w:gz") as tf:
            for arcname, src in sources.items():
                for path in sorted(src.iterdir()) if not arcname else [src]:
                    tf.add(path, arcname=str(Path(arcname) / path.name) if not arcname else arcname)
    return archive


def history_findings(result: ScanResult) -> list[Finding]:
    return [f for f in result.findings if f.rule_id == "secret/aws-access-key-id" and f.commit]


@pytest.mark.parametrize("suffix", [".zip", ".tar.gz"])
@pytest.mark.parametrize("layout", ["root", "one-level-down", "bare"])
def test_archived_repository_is_scanned_with_history(tmp_path, private_tmp, suffix, layout):
    repo = leaky_repo(tmp_path / "src")
    if layout == "bare":
        subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(tmp_path / "src.git")], check=True)
        sources = {"project.git": tmp_path / "src.git"}
    else:
        sources = {"": repo} if layout == "root" else {"project": repo}
    archive = pack(tmp_path / ("backup" + suffix), sources)
    with extracted(archive, ArchiveLimits()) as result:
        found = find_repositories(result.root)
        assert found == ([result.root] if layout == "root" else [result.root / next(iter(sources))])
    result = scan_archive(archive, ScanOptions(jobs=1), ArchiveLimits())
    [finding] = history_findings(result)
    assert finding.path == ("settings.py" if layout == "root" else f"{next(iter(sources))}/settings.py")
    assert result.target == str(archive) and result.revision
    assert any("scanned with its history" in n for n in result.notes)
    assert not list(private_tmp.iterdir())


def test_several_repositories_and_loose_files(tmp_path, private_tmp):
    leaky_repo(tmp_path / "one")
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    write_files(tmp_path / "loose", {"token.txt": f"github = '{TOKENS['github']}'\n"})
    archive = tmp_path / "all.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        for name in ("one", "two"):
            tf.add(tmp_path / name, arcname=name)
        tf.add(tmp_path / "loose" / "token.txt", arcname="token.txt")
    result = scan_archive(archive, ScanOptions(jobs=1), ArchiveLimits())
    assert sorted(f.path for f in history_findings(result)) == ["one/settings.py", "two/settings.py"]
    assert [f.path for f in result.findings if f.rule_id.startswith("secret/github")] == ["token.txt"]


def test_archived_repository_cannot_reach_outside(tmp_path, private_tmp):
    """alternates and core.worktree would make git read a repository on this machine."""
    elsewhere = leaky_repo(tmp_path / "elsewhere")
    inner = make_repo(tmp_path / "inner", {"a.txt": "a\n"})
    (inner / ".git" / "objects" / "info").mkdir(parents=True, exist_ok=True)
    (inner / ".git" / "objects" / "info" / "alternates").write_text(f"{elsewhere / '.git' / 'objects'}\n")
    git(inner, "config", "core.worktree", str(elsewhere))
    archive = pack(tmp_path / "inner.tar.gz", {"inner": inner})
    result = scan_archive(archive, ScanOptions(jobs=1), ArchiveLimits())
    assert not [f for f in result.findings if f.rule_id == "secret/aws-access-key-id"]
    notes = "\n".join(result.notes)
    assert "alternates" in notes and "core.worktree" in notes


def test_staged_is_refused_for_archives(tmp_path):
    archive = write_tar(tmp_path / "a.tar", [Member("a.txt", b"a")])
    with pytest.raises(ReposcrubError) as exc:
        scan_archive(archive, ScanOptions(staged=True), ArchiveLimits())
    assert "--staged" in one_line(exc)


def test_cli_scans_an_archive(tmp_path):
    archive = pack(tmp_path / "backup.tar.gz", {"project": leaky_repo(tmp_path / "src")})
    result = CliRunner().invoke(cli, ["scan", str(archive), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "project/settings.py" in result.output


def test_cli_archive_bomb_is_exit_2(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.bin", b"\0" * (20 << 20))
    result = CliRunner().invoke(cli, ["scan", str(bomb)])
    assert result.exit_code == 2 and MAX_RATIO_OPTION in result.output and "Traceback" not in result.output
