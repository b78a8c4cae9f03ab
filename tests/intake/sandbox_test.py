"""The sandbox a submission runs in: its deadline kills everything it started, its memory
cap holds, its errors come back as one line without their message, its files stay in its folder."""
from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from reposcrub.intake.sandbox import Limits, in_sandbox


def test_past_its_timeout_the_child_and_what_it_started_are_killed(tmp_path):
    pid_file = tmp_path / "grandchild.pid"

    def hang():
        sleeper = subprocess.Popen(["sleep", "300"])
        pid_file.write_text(str(sleeper.pid))
        time.sleep(300)
        return {}

    started = time.monotonic()
    outcome = in_sandbox(hang, Limits(timeout=1.5), tmp_path)
    assert outcome["verdict"] == "error" and outcome["reason"] == "timed out after 1.5 s (--timeout)"
    assert time.monotonic() - started < 10
    grandchild = int(pid_file.read_text())
    for _ in range(50):  # SIGKILL is delivered at once; reaping by init can lag a little
        if not Path(f"/proc/{grandchild}").exists() or "Z" in Path(f"/proc/{grandchild}/stat").read_text().split()[2]:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the submission's git (here: sleep) outlived its timeout")


def test_the_memory_cap_stops_a_submission_that_grows_too_large(tmp_path):
    def grow():
        hoard = [bytearray(64 << 20) for _ in range(64)]  # 4 GiB
        return {"verdict": "clean", "held": len(hoard)}

    outcome = in_sandbox(grow, Limits(timeout=60, max_memory=512 << 20), tmp_path)
    assert outcome == {"verdict": "error", "reason": "over the memory cap of 512 MiB (--max-memory)"}


def test_an_unexpected_error_is_named_by_its_type_only(tmp_path):
    secret = "hunter2-" + "x" * 20

    def fail():
        raise ValueError(f"bad value {secret}")

    outcome = in_sandbox(fail, Limits(timeout=30), tmp_path)
    assert outcome == {"verdict": "error", "reason": "internal error: ValueError"}


def test_temporary_files_go_to_the_submission_folder_and_results_come_back(tmp_path):
    def work():
        with tempfile.NamedTemporaryFile(delete=False) as f:
            return {"verdict": "clean", "tmp": f.name, "pid": os.getpid(), "big": "x" * (3 << 20)}

    outcome = in_sandbox(work, Limits(timeout=30), tmp_path)
    assert Path(outcome["tmp"]).parent == tmp_path
    assert outcome["pid"] != os.getpid()
    assert len(outcome["big"]) == 3 << 20  # larger than a pipe's buffer: read while written
