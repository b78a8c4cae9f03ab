"""The organisation profile: whose code this is, so reposcrub can find them everywhere.

Read from ``.reposcrub.toml``, ``[tool.reposcrub]`` in ``pyproject.toml``, ``--profile
FILE`` or the ``--org``/``--domain`` flags. Unknown keys are an error naming the key.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reposcrub.errors import ReposcrubError
from reposcrub.model import Severity

PROFILE_FILE = ".reposcrub.toml"
_ORG_KEYS = {"names", "domains", "codenames", "namespaces", "ticket_prefixes", "ambiguous", "hosts"}
_TOP_KEYS = {"org", "people", "rules", "scrub"}
_RULES_KEYS = {"disable", "severity"}
_SCRUB_KEYS = {"secret_files", "keep_identity", "salt", "keep_words"}


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    emails: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other names they commit under (jdoe, Jane D.)


@dataclass(frozen=True, slots=True)
class Profile:
    names: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    codenames: tuple[str, ...] = ()
    namespaces: tuple[str, ...] = ()
    ticket_prefixes: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()  # names that are ordinary words: strong contexts only
    hosts: tuple[str, ...] = ()  # host name patterns: "*-devbox", "*.corp.acme.io"
    people: tuple[Person, ...] = ()
    disabled_rules: tuple[str, ...] = ()
    severity_overrides: tuple[tuple[str, Severity], ...] = ()
    secret_files: str = "remove"  # or "stub"
    keep_identity: tuple[str, ...] = ()
    salt: str = ""
    # Longer words that hold a name and are not the name (metadata for "Meta"): verification
    # lists them instead of failing on them.
    keep_words: tuple[str, ...] = ()
    source: str = field(default="", compare=False)
    # Drawn from what the repository says about itself because no profile was given.
    fallback: bool = field(default=False, compare=False)

    @property
    def is_empty(self) -> bool:
        return not (self.names or self.domains or self.codenames or self.namespaces
                    or self.ticket_prefixes or self.people or self.hosts)

    def merged(self, other: Profile) -> Profile:
        """This profile with other's entries added (flags on top of a file)."""
        def join(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(dict.fromkeys(a + b))

        return replace(
            self,
            names=join(self.names, other.names), domains=join(self.domains, other.domains),
            codenames=join(self.codenames, other.codenames), namespaces=join(self.namespaces, other.namespaces),
            ticket_prefixes=join(self.ticket_prefixes, other.ticket_prefixes),
            ambiguous=join(self.ambiguous, other.ambiguous), people=join(self.people, other.people),
            hosts=join(self.hosts, other.hosts),
            disabled_rules=join(self.disabled_rules, other.disabled_rules),
            keep_identity=join(self.keep_identity, other.keep_identity),
            keep_words=join(self.keep_words, other.keep_words),
        )

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], source: str) -> Profile:
        """Raises: ReposcrubError naming any unknown key or wrongly typed value."""
        _check_keys(raw, _TOP_KEYS, source)
        org = raw.get("org", {})
        _check_keys(org, _ORG_KEYS, f"{source} [org]")
        rules = raw.get("rules", {})
        _check_keys(rules, _RULES_KEYS, f"{source} [rules]")
        scrub = raw.get("scrub", {})
        _check_keys(scrub, _SCRUB_KEYS, f"{source} [scrub]")
        people = tuple(_person(p, source) for p in raw.get("people", ()))
        severity = tuple(sorted((str(k), _severity(v, source)) for k, v in rules.get("severity", {}).items()))
        secret_files = str(scrub.get("secret_files", "remove"))
        if secret_files not in ("remove", "stub"):
            raise ReposcrubError(f"{source}: [scrub] secret_files must be \"remove\" or \"stub\"")
        return cls(
            names=_strings(org, "names", source), domains=tuple(d.lower() for d in _strings(org, "domains", source)),
            codenames=_strings(org, "codenames", source), namespaces=_strings(org, "namespaces", source),
            ticket_prefixes=_strings(org, "ticket_prefixes", source), ambiguous=_strings(org, "ambiguous", source),
            hosts=tuple(_host_pattern(h, source) for h in _strings(org, "hosts", source)),
            people=people, disabled_rules=_strings(rules, "disable", source), severity_overrides=severity,
            secret_files=secret_files, keep_identity=_strings(scrub, "keep_identity", source),
            salt=str(scrub.get("salt", "")), keep_words=_strings(scrub, "keep_words", source), source=source,
        )


def _check_keys(raw: Any, allowed: set[str], where: str) -> None:
    if not isinstance(raw, Mapping):
        raise ReposcrubError(f"{where}: expected a table")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ReposcrubError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(allowed))})")


def _strings(raw: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = raw.get(key, ())
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ReposcrubError(f"{source}: {key} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


_HOST_PATTERN = re.compile(r"^[a-z0-9*](?:[a-z0-9.*-]*[a-z0-9*])?$")
_MIN_LITERAL = 3


def _host_pattern(pattern: str, source: str) -> str:
    """A host name in which * stands for one or more host-name characters; lower-cased.

    Raises:
        ReposcrubError: the pattern holds other characters, or too little besides * to be
            anything but every host.
    """
    value = pattern.lower()
    if not _HOST_PATTERN.match(value) or "**" in value:
        raise ReposcrubError(f"{source}: hosts entry {pattern!r} must be a host name with * wildcards, "
                             "like \"*-devbox\" or \"*.corp.acme.io\"")
    too_wide = re.fullmatch(r"\*\.[a-z0-9-]+", value) is not None  # *.io: every host under a top-level domain
    if too_wide or max((len(part) for part in value.split("*")), default=0) < _MIN_LITERAL:
        raise ReposcrubError(f"{source}: hosts entry {pattern!r} matches almost any host; name more of it, "
                             "like \"*-devbox\" or \"*.corp.acme.io\"")
    return value


def _person(raw: Any, source: str) -> Person:
    if isinstance(raw, str):
        return Person(raw)
    _check_keys(raw, {"name", "emails"}, f"{source} [[people]]")
    if not isinstance(raw.get("name"), str):
        raise ReposcrubError(f"{source}: every [[people]] entry needs a name")
    return Person(raw["name"], _strings(raw, "emails", source))


def _severity(value: Any, source: str) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError as exc:
        raise ReposcrubError(f"{source}: {exc}") from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReposcrubError(f"cannot read profile {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReposcrubError(f"{path} is not valid TOML: {exc}") from None


def load_profile(root: Path | None, profile_file: Path | None = None) -> Profile:
    """The profile for a scan: --profile FILE, else .reposcrub.toml, else [tool.reposcrub].

    Raises:
        ReposcrubError: the file is unreadable, not TOML, or has unknown keys.
    """
    if profile_file is not None:
        return Profile.from_dict(_read_toml(profile_file), str(profile_file))
    if root is None or not root.is_dir():
        return Profile()
    own = root / PROFILE_FILE
    if own.is_file():
        return Profile.from_dict(_read_toml(own), PROFILE_FILE)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        section = _read_toml(pyproject).get("tool", {}).get("reposcrub")
        if section is not None:
            return Profile.from_dict(section, "pyproject.toml [tool.reposcrub]")
    return Profile()


def from_flags(orgs: tuple[str, ...], domains: tuple[str, ...]) -> Profile:
    return Profile(names=orgs, domains=tuple(d.lower() for d in domains), source="command line")
