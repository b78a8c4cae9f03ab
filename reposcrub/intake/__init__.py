"""Intake: a manifest of submissions scanned (and optionally scrubbed) in parallel on Dask
into a SQLite store with no secret values. manifest -> task (in a sandbox) -> store -> dashboard."""
