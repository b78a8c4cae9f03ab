"""The batch: a manifest's submissions on a Dask cluster (a LocalCluster by default, or an
existing one by scheduler address), each outcome into the store as it arrives."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reposcrub import __version__
from reposcrub.intake.cluster import connected
from reposcrub.intake.manifest import Submission, read_manifest
from reposcrub.intake.reports import write_reports
from reposcrub.intake.sandbox import Outcome, error
from reposcrub.intake.store import Previous, Store, now
from reposcrub.intake.task import IntakeSettings, run_submission
from reposcrub.rules import builtin_rule_files


@dataclass(frozen=True, slots=True)
class Batch:
    """What `reposcrub intake` was asked to do."""

    manifest: Path
    store: Path
    settings: IntakeSettings = field(default_factory=IntakeSettings)
    scheduler: str | None = None  # tcp://host:8786; None: a LocalCluster on this machine
    workers: int | None = None  # LocalCluster workers (default: one per core)
    retry_errors: bool = False


@dataclass
class Summary:
    verdicts: Counter[str] = field(default_factory=Counter)  # of every submission in the manifest
    scanned: int = 0
    unchanged: int = 0
    engine: str = ""


def rules_version() -> str:
    """A hash of the rule pack: the store's rows say which rules judged them."""
    digest = hashlib.sha256()
    for path in builtin_rule_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def run_batch(batch: Batch, said: Callable[[str], None] = lambda line: None) -> Summary:
    """Take in every submission of batch.manifest that the store does not hold already.

    Raises:
        ReposcrubError: bad manifest or store, or the scheduler cannot be reached.
        KeyboardInterrupt: interrupted; every outcome recorded so far stays in the store.
    """
    subs = read_manifest(batch.manifest)
    store = Store(batch.store)
    try:
        return _run(batch, subs, store, said)
    finally:
        store.close()


def _run(batch: Batch, subs: list[Submission], store: Store, said: Callable[[str], None]) -> Summary:
    rules = rules_version()
    keys = {s.id: _config_key(batch.settings, s, rules) for s in subs}
    todo = _todo(subs, store.previous(), keys, batch.retry_errors)
    summary = Summary()
    with connected(batch.scheduler, batch.workers) as (client, engine):
        summary.engine = engine
        run_id = store.start_run(str(batch.manifest), __version__, rules, engine, len(subs))
        interrupted = True
        try:
            _collect(client, todo, batch, store, {"run_id": run_id, "rules_version": rules}, keys, summary, said)
            interrupted = False
        finally:
            store.finish_run(run_id, summary.scanned, summary.unchanged, interrupted)
    recorded = store.previous()
    summary.verdicts = Counter(recorded[s.id].verdict for s in subs if s.id in recorded)
    return summary


def _todo(subs: list[Submission], previous: dict[str, Previous], keys: dict[str, str],
          retry_errors: bool) -> list[tuple[Submission, str | None]]:
    """(submission, content key it had when last done with this configuration)."""
    todo: list[tuple[Submission, str | None]] = []
    for sub in subs:
        prev = previous.get(sub.id)
        if prev is None or prev.config_key != keys[sub.id]:
            todo.append((sub, None))
        elif prev.verdict == "error":
            if retry_errors:
                todo.append((sub, None))
        else:
            todo.append((sub, prev.content_key))
    return todo


def _config_key(settings: IntakeSettings, sub: Submission, rules: str) -> str:
    """Everything besides the content that decides an outcome: tool, rules, options, profile."""
    plain = json.dumps(asdict(settings), default=str, sort_keys=True)
    profile = sub.profile or settings.profile
    digest = hashlib.sha256(f"{__version__}\0{rules}\0{plain}\0".encode())
    if profile:
        try:
            digest.update(Path(profile).read_bytes())
        except OSError:
            digest.update(b"unreadable profile")
    return digest.hexdigest()[:32]


def _collect(client: Any, todo: list[tuple[Submission, str | None]], batch: Batch, store: Store,
             run: dict[str, Any], keys: dict[str, str], summary: Summary, said: Callable[[str], None]) -> None:
    from dask.distributed import as_completed

    futures = {client.submit(run_submission, sub, batch.settings, prev, pure=False): sub for sub, prev in todo}
    try:
        for future in as_completed(futures):
            sub = futures.pop(future)
            outcome = _outcome_of(future)
            if outcome["verdict"] == "unchanged":
                summary.unchanged += 1
                continue
            summary.scanned += 1
            row, groups = _row(sub, outcome, {**run, "config_key": keys[sub.id]}, batch.store)
            store.record(row, groups)
            said(f"{sub.id}: {row['verdict']}" + (f" ({row['reason']})" if row["reason"] else
                                                  f" ({row['max_severity']})" if row["verdict"] == "findings" else ""))
    finally:
        client.cancel(list(futures))


def _outcome_of(future: Any) -> Outcome:
    try:
        return dict(future.result())
    except Exception as exc:  # noqa: BLE001 - a worker lost (KilledWorker), a task that could not run
        return error(f"the task failed on the cluster: {type(exc).__name__}")


_SEVERITIES = ("critical", "high", "medium", "low", "info")


def _row(sub: Submission, outcome: Outcome, run: dict[str, Any], store: Path) -> tuple[dict[str, Any], list[Any]]:
    summary = outcome.get("summary") or {}
    seconds = outcome.get("seconds") or {}
    scrub = outcome.get("scrub") or {}
    groups = outcome.get("groups") or []
    row: dict[str, Any] = {
        "id": sub.id, "target": sub.shown_target, "profile": sub.profile, "verdict": outcome["verdict"],
        "reason": outcome.get("reason"), "max_severity": next((s for s in _SEVERITIES if summary.get(s)), None),
        "findings": summary.get("findings", 0), "groups": len(groups), **{s: summary.get(s, 0) for s in _SEVERITIES},
        "content_key": outcome.get("content_key"), "tool_version": __version__,
        "files_scanned": summary.get("files_scanned"), "bytes_scanned": summary.get("bytes_scanned"),
        **{f"seconds_{k}": seconds.get(k) for k in ("total", "key", "scan", "report", "scrub")},
        "scrub_out": scrub.get("out"), "scrub_verified": scrub.get("verified"), "scrub_reason": scrub.get("reason"),
        "worker": outcome.get("worker"), "finished_at": now(), **run,
    }
    row.update(write_reports(store, sub.id, outcome.get("reports") or {}))
    return row, groups
