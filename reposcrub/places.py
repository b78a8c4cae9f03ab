"""What kind of place a finding sits in: a test, an example, a changelog, vendored code, git metadata.

Rules lower their severity by place (``place_severity`` in rules/*.yaml): a private address
in ``docker-compose.yml`` or a test fixture is a fact about a lab, not a leak, while the same
address in application code is. Places are named here once; rules only refer to them.
"""
from __future__ import annotations

import re

# Path places, matched against the whole repository-relative path.
_PATH_PLACES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("test", re.compile(
        r"(?i)(?:^|/)(?:tests?|testing|t|spec|specs|__tests__|testdata|test[-_]?data|fixtures?|__fixtures__|"
        r"mocks?|__mocks__|e2e|integration[-_]tests?)/"
        r"|(?:^|/)(?:test_[^/]*|[^/]*_test\.[^/.]+|[^/]*\.(?:test|spec)\.[^/.]+|conftest\.py)$")),
    ("compose", re.compile(
        r"(?i)(?:^|/)(?:docker-)?compose(?:[.-][^/]*)?\.ya?ml$|(?:^|/)(?:Vagrantfile|Dockerfile[^/]*|[^/]*\.dockerfile)$")),
    ("example", re.compile(
        r"(?i)(?:^|/)(?:examples?|samples?|demos?|tutorials?)/|\.(?:example|sample|template|tmpl|dist|tpl)$")),
    ("docs", re.compile(r"(?i)(?:^|/)(?:docs?|documentation|man|website)/|\.(?:md|markdown|rst|adoc|asciidoc|txt)$")),
    ("changelog", re.compile(
        r"(?i)(?:^|/)(?:changes|changelog|history|news|release[-_ ]?notes|authors|contributors|thanks|credits|"
        r"maintainers|copying|license|licence|notice|patents|codeowners)(?:[._-][^/]*)?$|(?:^|/)\.mailmap$")),
    ("vendored", re.compile(
        r"(?:^|/)(?:node_modules|bower_components|vendor|vendored|third[-_]?party|site-packages|dist-packages|"
        r"\.?venv[^/]*|virtualenvs?|\.tox|\.nox|_build|\.eggs|[^/]+\.egg-info|[^/]+\.dist-info|Pods|Carthage)/")),
)
# Places that are git metadata, by the finding's location.
_LOCATION_PLACES = {
    "message": "message", "tag-message": "message",
    "author": "identity", "committer": "identity",
    "ref": "ref",
}
PLACES = tuple(name for name, _ in _PATH_PLACES) + tuple(sorted(set(_LOCATION_PLACES.values())))


def places_of(location: str, path: str) -> frozenset[str]:
    """The places a finding at location/path sits in (file content and file paths by path)."""
    if location in _LOCATION_PLACES:
        return frozenset((_LOCATION_PLACES[location],))
    return frozenset(name for name, pattern in _PATH_PLACES if pattern.search(path))
