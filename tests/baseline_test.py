"""Baselines accept today's findings; scans then report only what is new."""
from __future__ import annotations

import json
import random

from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import UPPER_B32, fake, write_files


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_baseline_hides_accepted_and_reports_new(tmp_path):
    rng = random.Random(4)
    old, new = fake("AKIA", UPPER_B32, 16, rng), fake("AKIA", UPPER_B32, 16, rng)
    tree = tmp_path / "t"
    write_files(tree, {"a.py": f"K = '{old}'\n"})
    base = tmp_path / "baseline.json"
    assert run("baseline", "create", str(tree), "-o", str(base)).exit_code == 0
    text = base.read_text()
    assert old not in text and '"line"' not in text and "generated_at" not in text
    assert run("scan", str(tree), "--baseline", str(base)).exit_code == 0
    write_files(tree, {"a.py": f"import os\n\n\nK = '{old}'\nJ = '{new}'\n"})  # old moved, new added
    doc = json.loads(run("scan", str(tree), "--baseline", str(base), "--format", "json").output)
    assert [(f["line"], f["rule_id"]) for f in doc["findings"]] == [(5, "secret/aws-access-key-id")]
    write_files(tree, {"a.py": f"K = '{new}'\n"})  # a new secret on the baselined line is still reported
    assert run("scan", str(tree), "--baseline", str(base)).exit_code == 1


def test_baseline_is_sorted_and_stable(tmp_path):
    rng = random.Random(5)
    write_files(tmp_path / "t", {f"f{i}.py": f"K = '{fake('AKIA', UPPER_B32, 16, rng)}'\n" for i in range(5)})
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    run("baseline", "create", str(tmp_path / "t"), "-o", str(a))
    run("baseline", "update", str(tmp_path / "t"), "-o", str(b))
    assert a.read_text() == b.read_text()
    fps = [e["fingerprint"] for e in json.loads(a.read_text())["accepted"]]
    assert fps == sorted(fps) and len(fps) == 5
    assert run("baseline", "create", str(tmp_path / "t"), "-o", str(a)).exit_code == 2  # refuses to overwrite


def test_bad_baseline_is_a_one_line_error(tmp_path):
    write_files(tmp_path, {"a.txt": "x", "b.json": "[1, 2]"})
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--baseline", str(tmp_path / "b.json")])
    assert result.exit_code == 2 and "not a reposcrub baseline" in result.output
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--baseline", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "baseline create" in result.output
