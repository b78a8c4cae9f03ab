"""Two scans in one process each keep their own configuration (organisation, rules)."""
from __future__ import annotations

from reposcrub.model import Blob, Provenance
from reposcrub.pipeline import ScanOptions, scan_target
from reposcrub.profile import Profile
from reposcrub.rules import builtin_rules
from reposcrub.scan import Engine, run
from tests.conftest import make_repo

_TEXT = b"# built by Acme for Globex\nprint('ok')\n"


def _blobs(n: int) -> list[Blob]:
    return [Blob(_TEXT, Provenance(f"src/m{i}.py")) for i in range(n)]


def _orgs_found(findings) -> set[str]:
    return {f.preview.lower() for f in findings if f.category == "ident"}


def test_interleaved_scans_keep_their_own_organisation():
    rules = builtin_rules()
    acme = Engine(rules, Profile(names=("Acme",)))
    globex = Engine(rules, Profile(names=("Globex",)))
    # Enough blobs for several batches: the first scan resumes after the second one started.
    first = run(_blobs(600), acme, jobs=1)
    seen = [next(first)]
    second = list(run(_blobs(600), globex, jobs=1))
    seen += list(first)
    assert _orgs_found(seen) == {"acme"}
    assert len(seen) == 600
    assert _orgs_found(second) == {"globex"}


def _fingerprints(result) -> list[str]:
    return sorted(f.fingerprint for f in result.findings)


def test_a_scan_given_an_executor_finds_what_a_scan_in_one_process_finds(tmp_path):
    import logging

    from dask.distributed import Client, LocalCluster

    files = {f"src/m{i}.py": _TEXT for i in range(300)}
    files["deploy.env"] = "DB_HOST=db01.corp.internal\n"
    repo = make_repo(tmp_path / "repo", files)
    options = ScanOptions(jobs=1, orgs=("Acme",))
    alone = scan_target(str(repo), options)
    # Dask's executor: the batches run in another process, each on an engine built there.
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        elsewhere = scan_target(str(repo), ScanOptions(jobs=2, orgs=("Acme",), executor=client.get_executor()))
    assert _orgs_found(alone.findings) == {"acme"}
    assert {f.rule_id for f in alone.findings if f.category == "host"}
    assert _fingerprints(elsewhere) == _fingerprints(alone)
