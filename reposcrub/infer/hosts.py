"""Internal host naming conventions from the host names a repository mentions.

Machines name themselves in git identities (``jdoe@alice-devbox``, ``jdoe@build7.corp.acme.io``)
and in URLs. Two hosts that differ only in their first label (``*.corp.acme.io``) or in the
first part of a dashed name (``alice-devbox``, ``bob-devbox``: ``*-devbox``) are a convention.
"""
from __future__ import annotations

import ipaddress
import re
from collections import defaultdict

from reposcrub.infer.domains import DomainClassifier
from reposcrub.infer.evidence import Evidence

_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))*$")
# First labels of a parent domain that say it is not public: build7.corp.acme.io.
_INTERNAL_LABELS = frozenset({"corp", "internal", "intranet", "int", "lan", "office", "vpn", "priv", "private", "infra",
                              "ad", "dc", "prod", "staging", "dev"})
_NOT_MACHINES = frozenset({"localhost", "localhost.localdomain", "local", "none"})


def read_hosts(ev: Evidence, domains: DomainClassifier) -> None:
    """Add host patterns seen in ev.hosts to ev's "hosts" candidates."""
    parents: dict[str, set[str]] = defaultdict(set)
    dashed: dict[str, set[str]] = defaultdict(set)
    for host, where in ev.hosts.items():
        if not _HOST.match(host) or host in _NOT_MACHINES or _is_ip(host):
            continue
        kind = domains.classify(host)
        if kind.kind not in ("company", "machine"):
            continue
        first, _, rest = host.partition(".")
        under = rest.endswith("." + kind.registrable) if kind.kind == "company" else "." in rest
        if under:
            parents[rest].add(host)
        if "-" in first.strip("-") and not first.split("-", 1)[1][:1].isdigit():
            dashed["*-" + first.split("-", 1)[1] + ("." + rest if rest else "")].add(host)
    for parent, hosts in parents.items():
        internal = parent.split(".", 1)[0] in _INTERNAL_LABELS
        _add(ev, f"*.{parent}", hosts, ev, 0.5 if internal else 0.0)
    for pattern, hosts in dashed.items():
        if len(hosts) >= 2:
            _add(ev, pattern, hosts, ev, 0.0)


def _add(ev: Evidence, pattern: str, hosts: set[str], where: Evidence, bonus: float) -> None:
    weight = min(0.9, 0.15 + 0.2 * len(hosts) + bonus)
    sample = sorted(hosts)[0]
    ev.add("hosts", pattern, "host names", len(hosts), weight=weight,
           example=f"({len(hosts)}: {sample} in {where.hosts.get(sample, '?')})")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
