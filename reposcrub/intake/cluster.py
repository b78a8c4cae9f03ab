"""The Dask cluster a batch runs on: a LocalCluster sized to the machine, or an existing
cluster by its scheduler's address."""
from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from reposcrub.errors import ReposcrubError


@contextmanager
def connected(scheduler: str | None, workers: int | None) -> Iterator[tuple[Any, str]]:
    """(a dask.distributed Client, a line saying which cluster), closed on leaving.

    Raises:
        ReposcrubError: the scheduler cannot be reached.
    """
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            _reachable(scheduler)
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise ReposcrubError(f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__}); "
                                 "is `dask scheduler` running there, with `dask worker` processes attached?") from None
        with client:
            yield client, f"scheduler {scheduler}"
        return
    from reposcrub.scan import default_jobs

    workers = workers or default_jobs()
    # Processes, one thread each: scans are CPU-bound Python. No dashboard: no port to take.
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client, f"local cluster of {workers} worker(s)"


def _reachable(address: str) -> None:
    """A tcp:// scheduler that refuses connections fails now, not after the client's retries."""
    parts = urlsplit(address)
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        socket.create_connection((parts.hostname, parts.port), timeout=10).close()
