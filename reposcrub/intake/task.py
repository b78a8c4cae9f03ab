"""The work for one submission, run on a Dask worker inside a sandboxed child: key, scan,
optionally scrub and verify. Returns a JSON-ready outcome holding no secret value."""
from __future__ import annotations

import importlib
import os
import shutil
import socket
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reposcrub.errors import ReposcrubError
from reposcrub.intake.content import Refused, content_key
from reposcrub.intake.groups import grouped
from reposcrub.intake.manifest import Submission
from reposcrub.intake.reports import render_reports, slug
from reposcrub.intake.sandbox import IMPORTING, Limits, Outcome, error, in_sandbox
from reposcrub.model import ScanResult, Severity
from reposcrub.pipeline import ScanOptions, scan_target
from reposcrub.sources.archive import ArchiveLimits


@dataclass(frozen=True, slots=True)
class IntakeSettings:
    """How every submission of a batch is taken in (the same for all of them)."""

    limits: Limits = field(default_factory=Limits)
    archive: ArchiveLimits = field(default_factory=ArchiveLimits)
    history: bool = True
    fail_on: Severity = Severity.LOW
    scrub_dir: str | None = None  # --scrub: where each sanitized copy goes (shared by the workers)
    profile: str | None = None  # the default profile, when the manifest names none


def run_submission(sub: Submission, settings: IntakeSettings, previous_key: str | None) -> Outcome:
    """A Dask task: the submission's outcome; "unchanged" when its content key is previous_key.
    Never raises for a bad submission: it comes back as an error or refused outcome."""
    _preload()
    _sweep_abandoned()
    workdir = Path(tempfile.mkdtemp(prefix=f"{_WORKDIR}{os.getpid()}-"))
    try:
        outcome = in_sandbox(lambda: _work(sub, settings, previous_key), settings.limits, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {**outcome, "worker": socket.gethostname()}


_WORKDIR = "reposcrub-intake-"
# What a scan imports on first use. Imported once in the worker, each forked child finds it
# loaded; else every child imports it again (detect-secrets alone takes half a second).
_PRELOAD = ("reposcrub.detectors.heuristics", "detect_secrets.filters.heuristic", "hyperscan",
            "reposcrub.parse.treesitter", "reposcrub.reporters.json", "reposcrub.reporters.sarif",
            "reposcrub.reporters.error_text")


def _preload() -> None:
    with IMPORTING:
        for name in _PRELOAD:
            if name not in sys.modules:
                try:
                    importlib.import_module(name)
                except ImportError:  # hyperscan is optional on some platforms
                    pass


def _sweep_abandoned() -> None:
    """Remove the folders of submissions whose worker was killed (an interrupted batch)
    before it could: each is named after the worker's process id."""
    root = Path(tempfile.gettempdir())
    for folder in root.glob(f"{_WORKDIR}*-*"):
        pid = folder.name[len(_WORKDIR):].split("-", 1)[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists() and sys.platform.startswith("linux"):
            shutil.rmtree(folder, ignore_errors=True)


def _work(sub: Submission, settings: IntakeSettings, previous_key: str | None) -> Outcome:
    started = time.perf_counter()
    archive = replace(settings.archive, max_size=min(settings.archive.max_size, settings.limits.max_size))
    key = None
    try:
        key = content_key(sub.target, archive)
        if key == previous_key:
            return {"verdict": "unchanged", "content_key": key}
        keyed = time.perf_counter()
        result = scan_target(sub.target, _scan_options(sub, settings, archive))
        result = replace(result, target=sub.shown_target)
        scanned = time.perf_counter()
        scrubbed = _scrub(sub, settings) if settings.scrub_dir else None
    except Refused as exc:
        if exc.key is not None and exc.key == previous_key:
            return {"verdict": "unchanged", "content_key": exc.key}
        return {"verdict": "refused", "reason": _one_line(exc), "content_key": exc.key}
    except ReposcrubError as exc:
        return error(_one_line(exc), content_key=key)
    reported = time.perf_counter()
    outcome = {"verdict": verdict(result, settings.fail_on), "reason": None, "content_key": key,
               "summary": _summary(result), "groups": grouped(result), "reports": render_reports(result),
               "scrub": scrubbed}
    done = time.perf_counter()
    timings = {"key": keyed - started, "scan": scanned - keyed, "report": done - reported, "total": done - started}
    if scrubbed is not None:
        timings["scrub"] = reported - scanned
    return {**outcome, "seconds": timings}


def _summary(result: ScanResult) -> dict[str, Any]:
    severities = Counter(f.severity.label for f in result.findings)
    return {"findings": len(result.findings), "files_scanned": result.files_scanned,
            "bytes_scanned": result.bytes_scanned, **{s.label: severities[s.label] for s in Severity}}


def verdict(result: ScanResult, fail_on: Severity) -> str:
    return "findings" if result.at_or_above(fail_on) else "clean"


def _scan_options(sub: Submission, settings: IntakeSettings, archive: ArchiveLimits) -> ScanOptions:
    profile = sub.profile or settings.profile
    # One submission a task, one task a worker thread: the scan runs in this process.
    return ScanOptions(jobs=1, untrusted=True, history=settings.history, archive_limits=archive,
                       profile_file=Path(profile) if profile else None)


def _scrub(sub: Submission, settings: IntakeSettings) -> dict[str, Any]:
    from reposcrub.scrub.run import ScrubOptions, scrub

    assert settings.scrub_dir is not None
    out = Path(settings.scrub_dir) / slug(sub.id)
    options = ScrubOptions(out=out, force=True, fail_on=settings.fail_on,
                           scan=_scan_options(sub, settings, settings.archive))
    try:
        done = scrub(sub.target, options)
    except ReposcrubError as exc:  # the scan's verdict stands; the copy's failure is recorded beside it
        return {"out": None, "verified": False, "reason": _one_line(exc)}
    v = done.verification
    return {"out": str(out), "verified": v is not None and v.ok, "reason": None if v is None or v.ok else
            f"verification failed: {len(v.leftover)} findings left, {len(v.problems)} problems"}


def _one_line(exc: BaseException) -> str:
    from reposcrub.reporters.error_text import error_message

    return error_message(exc).splitlines()[0] if str(exc) else type(exc).__name__
