"""The GitHub Action: action/run.sh (what action.yml runs) with the environment a runner sets,
against repositories built in tmp_path; action.yml against GitHub's action metadata schema;
every `uses:` pinned to a commit and no `${{` expansion inside a `run:` script."""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import GIT_ENV, ROOT, SARIF_SCHEMA, UPPER_B32, fake, git, make_repo, write_files

ACTION = ROOT / "action.yml"
RUN_SH = ROOT / "action" / "run.sh"
WORKFLOW = ROOT / "examples" / "workflow.yml"
ACTION_SCHEMA = ROOT / "tests" / "data" / "github-action.schema.json"
REPOSCRUB_BIN = Path(sys.executable).parent / "reposcrub"
AWS = "secret/aws-access-key-id"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
ZEROS = "0" * 40


@dataclass
class Step:
    returncode: int
    log: str
    outputs: dict[str, str]
    summary: str

    def sarif(self) -> dict[str, Any]:
        return json.loads(Path(self.outputs["sarif-file"]).read_text())

    def rules(self) -> set[str]:
        return {r["ruleId"] for run in self.sarif()["runs"] for r in run["results"]}


def _bash(step: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(RUN_SH), step], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=300)


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITHUB_", "INPUT_", "REPOSCRUB_"))}
    env.update(GIT_ENV)
    return env


def scan(workspace: Path, runner: Path, event: str = "push", payload: dict[str, Any] | None = None,
         html_url: str = "", **inputs: str) -> Step:
    """`run.sh scan` as the runner starts it: GITHUB_* and RUNNER_TEMP set, the event payload
    in a file, the inputs as the INPUT_* variables action.yml maps, reposcrub installed."""
    (runner / "temp").mkdir(parents=True)
    (runner / "event.json").write_text(json.dumps(payload or {}))
    env = _clean_env()
    env.update(
        GITHUB_WORKSPACE=str(workspace), GITHUB_EVENT_NAME=event, GITHUB_EVENT_PATH=str(runner / "event.json"),
        GITHUB_STEP_SUMMARY=str(runner / "summary.md"), GITHUB_OUTPUT=str(runner / "output"),
        GITHUB_ACTION_PATH=str(ROOT), RUNNER_TEMP=str(runner / "temp"), REPOSCRUB_BIN=str(REPOSCRUB_BIN),
    )
    env.update({"INPUT_" + k.upper(): v for k, v in inputs.items()})
    proc = _bash("scan", env)
    out, summary = runner / "output", runner / "summary.md"
    outputs = dict(line.split("=", 1) for line in out.read_text().splitlines()) if out.exists() else {}
    log = proc.stdout
    if "json-file" in outputs:  # the job summary step, as action.yml runs it after the uploads
        env.update(REPOSCRUB_JSON=outputs["json-file"], REPOSCRUB_RANGE=outputs.get("range", ""),
                   REPOSCRUB_HTML_URL=html_url)
        step = _bash("summary", env)
        assert step.returncode == 0, step.stdout
        log += step.stdout
    return Step(proc.returncode, log, outputs, summary.read_text() if summary.exists() else "")


def gate(scanned: Step, fail_on: str = "low") -> Step:
    """`run.sh gate`, given the scan step's outputs as action.yml passes them."""
    env = _clean_env()
    env.update(INPUT_FAIL_ON=fail_on, REPOSCRUB_EXIT_CODE=scanned.outputs.get("exit-code", ""),
               REPOSCRUB_FAILING=scanned.outputs.get("failing", ""))
    proc = _bash("gate", env)
    return Step(proc.returncode, proc.stdout, {}, "")


def commit(repo: Path, files: dict[str, str | bytes], message: str) -> str:
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@dataclass
class History:
    repo: Path
    old_token: str
    new_token: str
    before: str
    after: str


@pytest.fixture
def history(tmp_path) -> History:
    """A token added and removed long ago, then a push adding another one."""
    rng = random.Random(77)
    old_token, new_token = fake("AKIA", UPPER_B32, 16, rng), fake("AKIA", UPPER_B32, 16, rng)
    repo = make_repo(tmp_path / "ws" / "repo", {"README.md": "demo\n"})
    commit(repo, {"old.py": f"KEY = '{old_token}'\n"}, "old key")
    git(repo, "rm", "-q", "old.py")
    git(repo, "commit", "-q", "-m", "remove old key")
    before = git(repo, "rev-parse", "HEAD").strip()
    commit(repo, {"app.py": "print('hello')\n"}, "app")
    after = commit(repo, {"config/settings.py": f"import os\n\nKEY = '{new_token}'\n"}, "settings")
    return History(repo, old_token, new_token, before, after)


def test_full_history_scan_writes_valid_sarif_summary_and_outputs(history, tmp_path):
    step = scan(history.repo.parent, tmp_path / "runner", path="repo", fail_on="low", range="full")
    assert step.returncode == 0, step.log
    doc = step.sarif()
    jsonschema.validate(doc, json.loads(SARIF_SCHEMA.read_text()))
    paths = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
             for run in doc["runs"] for r in run["results"] if r["ruleId"] == AWS}
    assert paths == {"old.py", "config/settings.py"}
    assert {run["automationDetails"]["id"] for run in doc["runs"]} == {"reposcrub/tree/", "reposcrub/history/"}
    assert step.outputs["root"] == str(history.repo.resolve())
    assert int(step.outputs["findings"]) >= 2 and step.outputs["failing"] != "0"
    assert step.outputs["exit-code"] == "1" and step.outputs["high"] == "2"
    assert Path(step.outputs["html-file"]).is_file() and json.loads(Path(step.outputs["json-file"]).read_text())["groups"]
    # The summary: a table by category and severity, redacted previews only.
    assert "| category | critical | high | medium | low | info | total |" in step.summary
    assert re.search(r"^\| secret \| - \| 2 \|", step.summary, re.M), step.summary
    assert "`config/settings.py:3`" in step.summary and "AKIA****" in step.summary
    for text in (step.summary, step.log, json.dumps(doc)):
        assert history.old_token not in text and history.new_token not in text
    failed = gate(step)
    assert failed.returncode == 1 and "at or above low" in failed.log


def test_pushed_range_skips_older_commits(history, tmp_path):
    payload = {"before": history.before, "after": history.after, "ref": "refs/heads/main"}
    full = scan(history.repo, tmp_path / "full", payload=payload)
    pushed = scan(history.repo, tmp_path / "pushed", payload=payload, range="pushed")
    assert pushed.returncode == 0, pushed.log
    assert f"--rev-range {history.before}..{history.after}" in pushed.log
    old = lambda s: [r for run in s.sarif()["runs"] for r in run["results"]  # noqa: E731
                     if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "old.py"]
    assert old(full) and not old(pushed)
    assert AWS in pushed.rules()  # the pushed commit's own token is still found
    ids = {run["automationDetails"]["id"] for run in pushed.sarif()["runs"]}
    assert ids == {"reposcrub/tree/", "reposcrub/history-range/"}  # not mixed with full-history alerts
    jsonschema.validate(pushed.sarif(), json.loads(SARIF_SCHEMA.read_text()))
    assert f"`{history.before[:10]}..{history.after[:10]}`" in pushed.summary


def test_pull_request_range_is_base_to_head(history, tmp_path):
    payload = {"pull_request": {"base": {"sha": history.before}, "head": {"sha": history.after}}}
    step = scan(history.repo, tmp_path / "r", event="pull_request", payload=payload, range="pushed")
    assert step.returncode == 0, step.log
    assert f"--rev-range {history.before}..{history.after}" in step.log


@pytest.mark.parametrize("event,payload,expected", [
    ("push", {"before": ZEROS, "after": "AFTER"}, "--rev-range AFTER"),  # new branch: all of it
    ("push", {"before": "f" * 40, "after": "AFTER"}, "--rev-range AFTER"),  # force-push: before is gone
    ("workflow_dispatch", {}, None),  # not a push: the whole history
])
def test_pushed_range_edge_cases(history, tmp_path, event, payload, expected):
    payload = {k: history.after if v == "AFTER" else v for k, v in payload.items()}
    step = scan(history.repo, tmp_path / "r", event=event, payload=payload, range="pushed")
    assert step.returncode == 0, step.log
    if expected is None:
        assert "--rev-range" not in step.log
    else:
        assert expected.replace("AFTER", history.after) in step.log
    assert "old.py" in json.dumps(step.sarif())


def test_branch_deletion_scans_nothing(history, tmp_path):
    payload = {"before": history.after, "after": ZEROS, "deleted": True}
    step = scan(history.repo, tmp_path / "r", payload=payload, range="pushed")
    assert step.returncode == 0, step.log
    assert step.outputs["findings"] == "0" and step.outputs["exit-code"] == "0"
    assert "nothing to scan" in step.summary
    assert gate(step).returncode == 0


def test_threshold_and_sarif_file_input(history, tmp_path):
    step = scan(history.repo, tmp_path / "r", fail_on="critical", sarif_file="out/scan.sarif")
    assert step.returncode == 0, step.log
    assert step.outputs["sarif-file"] == str(history.repo / "out" / "scan.sarif")
    assert step.outputs["failing"] == "0" and step.outputs["exit-code"] == "0"
    assert gate(step, "critical").returncode == 0


def test_baseline_input_accepts_current_findings(history, tmp_path):
    subprocess.run([str(REPOSCRUB_BIN), "baseline", "create", str(history.repo), "-o",
                    str(history.repo / ".reposcrub-baseline.json")], check=True, capture_output=True)
    step = scan(history.repo, tmp_path / "r", baseline=".reposcrub-baseline.json")
    assert step.returncode == 0, step.log
    assert step.outputs["findings"] == "0" and "No findings" in step.summary
    assert gate(step).returncode == 0


@pytest.mark.parametrize("inputs,message", [
    ({"fail_on": "severe"}, "fail-on must be one of"),
    ({"range": "recent"}, "range must be full or pushed"),
    ({"upload_sarif": "yes"}, "upload-sarif must be true or false"),
    ({"path": "missing"}, "is not a directory"),
    ({"sarif_file": "x.sarif\n::error::injected"}, "SARIF_FILE must be a single line"),
])
def test_bad_inputs_are_one_line_errors(tmp_path, inputs, message):
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    step = scan(repo, tmp_path / "r", **inputs)
    assert step.returncode == 2 and message in step.log, step.log


def test_scan_error_fails_the_step_without_outputs(tmp_path):
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    step = scan(repo, tmp_path / "r", profile="no-such-profile.toml")
    assert step.returncode == 2, step.log
    assert "sarif-file" not in step.outputs  # so the upload step is skipped
    assert "the scan failed" in step.summary


def test_clean_folder(tmp_path):
    write_files(tmp_path / "ws", {"main.py": "print('hello')\n"})
    step = scan(tmp_path / "ws", tmp_path / "r")
    assert step.returncode == 0, step.log
    assert step.outputs["findings"] == "0" and "No findings" in step.summary
    assert gate(step).returncode == 0


def test_install_step_is_skipped_when_reposcrub_is_given(tmp_path):
    env = _clean_env()
    env.update(REPOSCRUB_BIN=str(REPOSCRUB_BIN), GITHUB_OUTPUT=str(tmp_path / "output"), RUNNER_TEMP=str(tmp_path))
    proc = _bash("install", env)
    assert proc.returncode == 0, proc.stdout
    assert (tmp_path / "output").read_text() == f"bin={REPOSCRUB_BIN}\n"


def _summary_module():
    sys.path.insert(0, str(ROOT / "action"))
    try:
        import summary
    finally:
        sys.path.pop(0)
    return summary


def test_summary_cells_cannot_break_the_table_or_render_links():
    summary = _summary_module()
    hostile = "[x](https://evil.example/a) ![i](https://evil.example/i.png) `tick` a|b <img src=x>\nc"
    group = {"kind": "value", "rule_id": "host/x", "severity": "medium", "category": "host", "title": hostile,
             "remediation": "Replace [it](https://evil.example)", "occurrences": 2, "files": 2, "commits": 1,
             "first": {"path": hostile, "line": 4, "location": "file", "commit": "a" * 40}}
    finding = {"category": "host", "severity": "medium"}
    markdown, counts = summary.render({"groups": [group], "findings": [finding, finding]}, "medium", "")
    row = next(line for line in markdown.splitlines() if line.startswith("| 1 |"))
    assert row.count(" | ") == 5  # six cells: no pipe from the name split the row
    cells = row.split(" | ")
    assert cells[3].startswith("``") and cells[3].endswith("``") and cells[4].startswith("``")  # code spans
    assert "\\|" in cells[3] and "\n" not in row
    assert "](https://evil.example" not in markdown.replace(cells[3], "").replace(cells[4], "")
    assert "Replace \\[it\\]\\(https" in markdown
    assert counts["items"] == 1 and counts["medium"] == 2 and counts["failing"] == 2


def test_summary_code_spans_survive_backtick_runs():
    summary = _summary_module()
    for text in ("a`b", "``", "`start", "end`", "x ``` y"):
        span = summary.code(text)
        fence = span[: len(span) - len(span.lstrip("`"))]
        assert fence not in span[len(fence):-len(fence)] and span.endswith(fence)


def test_a_hostile_file_name_cannot_issue_workflow_commands_or_links(tmp_path):
    name = "::error::forged [x](https://evil.example) ![i](https://evil.example/i.png).py"
    repo = make_repo(tmp_path / "repo", {name: 'host = "build01.corp"\n'})
    step = scan(repo, tmp_path / "r", html_url="https://github.com/o/r/actions/runs/1/artifacts/2")
    assert step.returncode == 0, step.log
    stop = re.search(r"^::stop-commands::(reposcrub-[0-9a-f]{24})$", step.log, re.M)
    assert stop and f"::{stop.group(1)}::" in step.log
    inside = step.log.split(stop.group(0), 1)[1].split(f"::{stop.group(1)}::", 1)[0]
    assert "::error" not in step.log.replace(inside, "")
    assert "](https://evil.example" not in step.summary.replace("`", "").split("| 1 |")[0]
    assert "[The HTML report](https://github.com/o/r/actions/runs/1/artifacts/2)" in step.summary
    assert Path(step.outputs["html-file"]).read_text().count("<img") == 0


# action.yml itself.

def _load(path: Path) -> dict[str, Any]:
    # YAML 1.1 reads a bare `on:` key as True; GitHub reads it as "on".
    return yaml.load(path.read_text(), Loader=yaml.BaseLoader)


def _steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in doc:
        return doc["runs"]["steps"]
    return [step for job in doc["jobs"].values() for step in job["steps"]]


def test_action_metadata_matches_the_published_schema():
    doc = yaml.safe_load(ACTION.read_text())
    jsonschema.validate(doc, json.loads(ACTION_SCHEMA.read_text()))
    assert doc["runs"]["using"] == "composite"
    assert set(doc["inputs"]) == {"path", "range", "fail-on", "upload-sarif", "profile", "baseline", "sarif-file",
                                  "python-version"}
    assert {"sarif-file", "json-file", "html-file", "html-url", "findings", "items", "failing", "critical", "high",
            "medium", "low", "info"} <= set(doc["outputs"])


def test_uploads_use_current_majors():
    uses = [s["uses"] for s in yaml.safe_load(ACTION.read_text())["runs"]["steps"] if "uses" in s]
    text = ACTION.read_text()
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert re.search(r"upload-sarif@[0-9a-f]{40} # v4\.", text) and re.search(r"upload-artifact@[0-9a-f]{40} # v7\.", text)


def test_install_pins_reposcrubs_own_dependencies():
    constraints = (ROOT / "action" / "constraints.txt").read_text().splitlines()
    pins = [line for line in constraints if line and not line.startswith("#")]
    assert pins and all(re.match(r"^[a-z0-9-]+==[\w.]+$", line) for line in pins), pins
    names = {line.split("==")[0] for line in pins}
    assert {"click", "detect-secrets", "google-re2", "sarif-om", "tree-sitter", "pyyaml"} <= names
    assert '--constraint "$CONSTRAINTS"' in RUN_SH.read_text()


@pytest.mark.parametrize("path", [ACTION, WORKFLOW], ids=["action.yml", "examples/workflow.yml"])
def test_every_action_is_pinned_and_no_run_script_expands_expressions(path):
    steps = _steps(_load(path))
    uses = [s["uses"] for s in steps if "uses" in s]
    assert uses and all(PINNED.match(u) for u in uses), uses
    text = path.read_text()
    assert all(re.search(re.escape(u) + r" # v\d", text) for u in uses), "a pin without its version comment"
    for s in steps:
        assert "${{" not in s.get("run", ""), s


def test_inputs_reach_the_script_only_through_env():
    doc = yaml.safe_load(ACTION.read_text())
    mapped = {k: v for s in doc["runs"]["steps"] for k, v in (s.get("env") or {}).items()}
    used = set(re.findall(r"\bINPUT_[A-Z_]+\b", RUN_SH.read_text()))
    assert used and used <= set(mapped), used - set(mapped)
    for name in used:  # INPUT_FAIL_ON <- ${{ inputs.fail-on }}
        assert mapped[name] == "${{ inputs.%s }}" % name[6:].lower().replace("_", "-")


def test_the_check_fails_only_after_the_upload():
    steps = yaml.safe_load(ACTION.read_text())["runs"]["steps"]
    names = [s.get("uses", "").split("@")[0] or s.get("run", "") for s in steps]
    upload = names.index("github/codeql-action/upload-sarif")
    gate_at = next(i for i, n in enumerate(names) if n.endswith("run.sh\" gate"))
    scan_at = next(i for i, n in enumerate(names) if n.endswith("run.sh\" scan"))
    assert scan_at < upload < gate_at
    assert "inputs.upload-sarif == 'true'" in steps[upload]["if"]


def test_example_workflow_checks_out_the_whole_history_and_may_upload():
    doc = _load(WORKFLOW)
    job = next(iter(doc["jobs"].values()))
    assert job["permissions"]["security-events"] == "write"
    checkout = next(s for s in job["steps"] if s["uses"].startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == "0"
    action = next(s for s in job["steps"] if "/reposcrub@" in s["uses"])
    assert set(action.get("with", {})) <= set(yaml.safe_load(ACTION.read_text())["inputs"])
