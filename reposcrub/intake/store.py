"""The intake store: one SQLite file (intake.sqlite) that sqlite3 or DuckDB can read, and the
per-submission reports beside it. Each submission's outcome is written in one transaction:
an interrupted batch leaves every row whole. Schema: README ("Intake")."""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reposcrub.errors import ReposcrubError

DB_NAME = "intake.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id TEXT PRIMARY KEY, target TEXT NOT NULL, profile TEXT,
    verdict TEXT NOT NULL CHECK (verdict IN ('clean', 'findings', 'refused', 'error')),
    reason TEXT, max_severity TEXT, findings INTEGER NOT NULL DEFAULT 0, groups INTEGER NOT NULL DEFAULT 0,
    critical INTEGER NOT NULL DEFAULT 0, high INTEGER NOT NULL DEFAULT 0, medium INTEGER NOT NULL DEFAULT 0,
    low INTEGER NOT NULL DEFAULT 0, info INTEGER NOT NULL DEFAULT 0,
    content_key TEXT, config_key TEXT NOT NULL, tool_version TEXT NOT NULL, rules_version TEXT NOT NULL,
    files_scanned INTEGER, bytes_scanned INTEGER,
    seconds_total REAL, seconds_key REAL, seconds_scan REAL, seconds_report REAL, seconds_scrub REAL,
    scrub_out TEXT, scrub_verified INTEGER, scrub_reason TEXT, report_json TEXT, report_sarif TEXT, report_html TEXT,
    worker TEXT, run_id INTEGER, finished_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS findings (
    submission_id TEXT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    group_key TEXT NOT NULL, rule_id TEXT NOT NULL, category TEXT NOT NULL,
    severity TEXT NOT NULL, severity_rank INTEGER NOT NULL, preview TEXT NOT NULL,
    occurrences INTEGER NOT NULL, paths INTEGER NOT NULL, path TEXT, line INTEGER,
    location TEXT, commit_id TEXT, fingerprint TEXT,
    PRIMARY KEY (submission_id, group_key)
);
CREATE INDEX IF NOT EXISTS findings_by_rule ON findings (rule_id, severity_rank);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, manifest TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
    tool_version TEXT NOT NULL, rules_version TEXT NOT NULL, engine TEXT NOT NULL,
    submissions INTEGER NOT NULL, scanned INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,
    interrupted INTEGER NOT NULL DEFAULT 0
);
"""
_FINDING_COLUMNS = ("group_key", "rule_id", "category", "severity", "severity_rank", "preview", "occurrences",
                    "paths", "path", "line", "location", "commit", "fingerprint")


@dataclass(frozen=True, slots=True)
class Previous:
    verdict: str
    content_key: str | None
    config_key: str


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Store:
    """The store in a folder: intake.sqlite and reports/."""

    def __init__(self, folder: Path) -> None:
        """Raises: ReposcrubError: the folder cannot be created or the database opened."""
        self.folder = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(folder / DB_NAME, isolation_level=None)
            self._db.execute("PRAGMA foreign_keys = ON")
            # A transaction per submission: WAL commits without a sync each, and an interrupted
            # batch still leaves only whole transactions (the last ones may be lost to a power cut).
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ReposcrubError(f"cannot open the intake store in {folder}: {exc}") from None

    def close(self) -> None:
        # Fold the write-ahead log back: the store is one file again for sqlite3 and DuckDB.
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.close()

    def previous(self) -> dict[str, Previous]:
        rows = self._db.execute("SELECT id, verdict, content_key, config_key FROM submissions")
        return {r[0]: Previous(r[1], r[2], r[3]) for r in rows}

    def start_run(self, manifest: str, tool: str, rules: str, engine: str, submissions: int) -> int:
        cur = self._db.execute("INSERT INTO runs (manifest, started_at, tool_version, rules_version, engine, submissions)"
                               " VALUES (?, ?, ?, ?, ?, ?)", (manifest, now(), tool, rules, engine, submissions))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, scanned: int, unchanged: int, interrupted: bool) -> None:
        self._db.execute("UPDATE runs SET finished_at = ?, scanned = ?, unchanged = ?, interrupted = ? WHERE id = ?",
                         (now(), scanned, unchanged, int(interrupted), run_id))

    def record(self, row: dict[str, Any], groups: list[dict[str, Any]]) -> None:
        """One submission's row and its grouped findings, replacing what was there, atomically."""
        columns = ", ".join(row)
        with self._transaction():
            self._db.execute("DELETE FROM findings WHERE submission_id = ?", (row["id"],))
            self._db.execute(f"INSERT OR REPLACE INTO submissions ({columns}) VALUES ({', '.join('?' * len(row))})",
                             tuple(row.values()))
            self._db.executemany(
                f"INSERT INTO findings (submission_id, {', '.join(_FINDING_COLUMNS).replace('commit,', 'commit_id,')})"
                f" VALUES (?{', ?' * len(_FINDING_COLUMNS)})",
                [(row["id"], *(g[c] for c in _FINDING_COLUMNS)) for g in groups])

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        self._db.row_factory = sqlite3.Row
        try:
            return list(self._db.execute(sql, args))
        finally:
            self._db.row_factory = None

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")
