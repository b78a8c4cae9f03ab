"""Hostile repositories built at test time: programs that leave a marker when they run,
commits with forged signatures, and the CLI run in-process with a chosen environment."""
from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from reposcrub.cli import cli
from tests.conftest import git, make_repo
from tests.hostile.helpers import fake_tokens

AWS = "secret/aws-access-key-id"
TOKENS = fake_tokens(12)
KEY = TOKENS["aws"]
# One forged signature of each kind git verifies with a program of its own choosing.
SIGNATURES = {
    "gpg": "-----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----",
    "ssh": "-----BEGIN SSH SIGNATURE-----\n U1NIU0lHAAAAAQ\n -----END SSH SIGNATURE-----",
    "x509": "-----BEGIN SIGNED MESSAGE-----\n MIAGCSqGSIb3\n -----END SIGNED MESSAGE-----",
}


def marker_program(folder: Path, name: str = "evil") -> tuple[Path, Path]:
    """(program, marker): the program appends a line to marker whenever anything runs it."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f"{name}-ran"
    program = folder / f"{name}.sh"
    program.write_text(f"#!/bin/sh\necho \"$0 $*\" >> '{marker}'\ncat >/dev/null 2>&1\nexit 0\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC | stat.S_IXGRP | stat.S_IXOTH)
    return program, marker


def forge_signed_commits(repo: Path, branch: str = "main") -> None:
    """Three commits on branch, each with a signature header that git would verify."""
    for kind, signature in SIGNATURES.items():
        tree = git(repo, "rev-parse", f"{branch}^{{tree}}").strip()
        parent = git(repo, "rev-parse", branch).strip()
        body = (f"tree {tree}\nparent {parent}\nauthor A <a@example.com> 1700000000 +0000\n"
                f"committer A <a@example.com> 1700000000 +0000\ngpgsig {signature}\n\nsigned with {kind}\n")
        oid = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=repo, input=body.encode(),
                             capture_output=True, check=True).stdout.decode().strip()
        git(repo, "update-ref", f"refs/heads/{branch}", oid)


def signature_config(program: str) -> dict[str, str]:
    """Config that makes porcelain git run program on every signed commit it shows."""
    return {"log.showSignature": "true", "gpg.program": program, "gpg.ssh.program": program,
            "gpg.x509.program": program, "gpg.ssh.allowedSignersFile": "/dev/null", "gpg.format": "ssh"}


def set_config(config_file: Path, values: dict[str, str]) -> None:
    config_file.parent.mkdir(parents=True, exist_ok=True)
    for key, value in values.items():
        subprocess.run(["git", "config", "--file", str(config_file), key, value], check=True)


def leaky_repo(root: Path, **files: str) -> Path:
    """A repository whose history (not its work tree) holds KEY."""
    repo = make_repo(root, {"settings.py": f"AWS_KEY = '{KEY}'\n", **files})
    git(repo, "rm", "-q", "settings.py")
    git(repo, "commit", "-q", "-m", "remove the key")
    return repo


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def scan_json(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = invoke("scan", *args, "--format", "json", "--jobs", "1", env=env)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def keys_found(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in doc["findings"] if f["rule_id"] == AWS]


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every path under root with its bytes (or link target): proof that nothing changed."""
    found: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = path.read_bytes()
    return found
