"""What a repository's package metadata says it is called: import packages, distribution
names, CLI commands and namespaces (pyproject, setup.py/cfg, package.json, go.mod, Java,
Maven, .NET)."""
from __future__ import annotations

import configparser
import json
import re
import tomllib
from typing import Any
from xml.etree import ElementTree

from reposcrub.infer.evidence import Evidence

# Evidence of a package name goes to "packages" until ranking knows the organisation's name:
# a package named after it is the strongest evidence of the name, any other is a product.
PACKAGES = "packages"

_SETUP_NAME = re.compile(rb"""\bname\s*=\s*['"]([A-Za-z0-9][\w.-]{1,80})['"]""")
_CONSOLE_SCRIPT = re.compile(rb"""['"]\s*([A-Za-z0-9][\w.-]{1,60})\s*=\s*[\w.]+:[\w.]+""")
_JAVA_PACKAGE = re.compile(rb"^\s*package\s+([a-z][\w]*)\.([a-z][\w]*)((?:\.[a-z_][\w]*)*)\s*;?", re.M)
_GO_PACKAGE = re.compile(rb"^package\s+([A-Za-z_]\w*)", re.M)
_GO_MODULE = re.compile(rb"^module\s+([\w.-]+(?:/[\w.-]+)*)", re.M)
_DOTNET_NAMESPACE = re.compile(rb"^\s*namespace\s+([A-Z][A-Za-z0-9]+)[.\s;{]", re.M)
_EMAIL = re.compile(rb"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_GENERIC_ROOTS = frozenset({"com", "org", "net", "io", "java", "javax", "kotlin", "android", "androidx", "dev", "co", "me"})
_FORGE_LABELS = frozenset({"github", "gitlab", "bitbucket"})
_NOT_PRODUCTS = frozenset({"src", "lib", "pkg", "cmd", "internal", "main", "app", "test", "tests", "docs", "example",
                           "examples", "scripts", "tools", "bin", "vendor", "setup", "conftest", "testing", "benchmarks"})


def read_package(path: str, data: bytes, ev: Evidence) -> None:
    """Add what one file's package metadata names to ev."""
    name = path.rsplit("/", 1)[-1]
    handler = _BY_NAME.get(name)
    if handler is not None:
        handler(path, data, ev)
    elif name == "__init__.py":
        _python_package(path, ev)
    elif name.endswith((".java", ".kt")):
        _java(path, data, ev)
    elif name.endswith(".go") and not name.endswith("_test.go"):
        for m in _GO_PACKAGE.finditer(data[:4096]):
            _product(ev, m.group(1).decode(), "import package", path)
    elif name.endswith(".cs"):
        for m in _DOTNET_NAMESPACE.finditer(data[:8192]):
            ev.add("names", m.group(1).decode(), ".NET namespace", example=path)


def _product(ev: Evidence, name: str, source: str, where: str) -> None:
    if name.lower() not in _NOT_PRODUCTS and not name.startswith(("_", "test")):
        ev.add(PACKAGES, name, source, example=where)


def _python_package(path: str, ev: Evidence) -> None:
    parts = path.split("/")
    if len(parts) == 2 or (len(parts) == 3 and parts[0] in ("src", "lib", "python")):
        _product(ev, parts[-2], "import package", "/".join(parts[:-1]) + "/")


def _pyproject(path: str, data: bytes, ev: Evidence) -> None:
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return
    tool = doc.get("tool", {}) if isinstance(doc.get("tool"), dict) else {}
    for table in (doc.get("project"), tool.get("poetry")):
        if not isinstance(table, dict):
            continue
        if isinstance(table.get("name"), str):
            _product(ev, table["name"], "package name", path)
        for script in table.get("scripts", {}) if isinstance(table.get("scripts"), dict) else ():
            _product(ev, str(script), "CLI command", f"{path} [scripts]")
        _people_emails(table.get("authors", []), path, ev)
        _people_emails(table.get("maintainers", []), path, ev)


def _people_emails(people: Any, path: str, ev: Evidence) -> None:
    for person in people if isinstance(people, list) else ():
        text = person.get("email", "") if isinstance(person, dict) else person if isinstance(person, str) else ""
        for m in _EMAIL.finditer(str(text).encode()):
            ev.add("emails", m.group(1).decode().lower(), "package metadata e-mail", example=path)


def _setup_py(path: str, data: bytes, ev: Evidence) -> None:
    if (m := _SETUP_NAME.search(data)) is not None:
        _product(ev, m.group(1).decode(), "package name", path)
    for m in _CONSOLE_SCRIPT.finditer(data):
        _product(ev, m.group(1).decode(), "CLI command", f"{path} console_scripts")
    for m in _EMAIL.finditer(data):
        ev.add("emails", m.group(1).decode().lower(), "package metadata e-mail", example=path)


def _setup_cfg(path: str, data: bytes, ev: Evidence) -> None:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(data.decode("utf-8"))
    except (configparser.Error, UnicodeDecodeError):
        return
    if parser.has_option("metadata", "name"):
        _product(ev, parser.get("metadata", "name"), "package name", path)
    if parser.has_option("options.entry_points", "console_scripts"):
        for line in parser.get("options.entry_points", "console_scripts").splitlines():
            if "=" in line:
                _product(ev, line.split("=", 1)[0].strip(), "CLI command", f"{path} console_scripts")


def _package_json(path: str, data: bytes, ev: Evidence) -> None:
    try:
        pkg = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return
    if not isinstance(pkg, dict) or "/node_modules/" in f"/{path}":
        return
    name = pkg.get("name")
    if isinstance(name, str) and name:
        scope, _, bare = name.rpartition("/")
        if scope.startswith("@"):
            ev.add("namespaces", scope, "namespace", example=f"{path} name")
            _product(ev, scope[1:], "package name", path)
        _product(ev, bare, "package name", path)
    bins = pkg.get("bin")
    for command in bins if isinstance(bins, dict) else ([name.rpartition("/")[2]] if isinstance(bins, str) and isinstance(name, str) else []):
        _product(ev, str(command), "CLI command", f"{path} bin")
    _people_emails([pkg.get("author")] + list(pkg.get("contributors") or []), path, ev)


def _go_mod(path: str, data: bytes, ev: Evidence) -> None:
    for m in _GO_MODULE.finditer(data):
        parts = m.group(1).decode().split("/")
        if len(parts) >= 2 and "." in parts[0]:
            ev.add("namespaces", "/".join(parts[:2]), "namespace", example=f"{path} module")
            ev.add("names", parts[1], "namespace", weight=0.4, example=f"{path} module")
        _product(ev, parts[-1], "package name", path)


def _java(path: str, data: bytes, ev: Evidence) -> None:
    for m in _JAVA_PACKAGE.finditer(data[:4096]):
        root, org = m.group(1).decode(), m.group(2).decode()
        if root in _GENERIC_ROOTS and org not in _GENERIC_ROOTS | {"github", "google", "apache"}:
            ev.add("namespaces", f"{root}.{org}", "namespace", example=path)
            ev.add("names", org, "namespace", example=f"{root}.{org}")
            sub = m.group(3).decode().lstrip(".").split(".")[0]
            if sub:
                _product(ev, sub, "import package", f"{root}.{org}.{sub}")


def _pom(path: str, data: bytes, ev: Evidence) -> None:
    """The project's own groupId and artifactId, not its dependencies'."""
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError):
        return
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    group = root.findtext(f"{ns}groupId") or root.findtext(f"{ns}parent/{ns}groupId") or ""
    parts = group.strip().split(".")
    if len(parts) >= 2 and parts[0] in _GENERIC_ROOTS:
        depth = 3 if parts[1] in _FORGE_LABELS and len(parts) >= 3 else 2
        ev.add("namespaces", ".".join(parts[:depth]), "namespace", example=f"{path} groupId")
    artifact = (root.findtext(f"{ns}artifactId") or "").strip()
    if artifact:
        _product(ev, artifact, "package name", f"{path} artifactId")


_BY_NAME = {
    "pyproject.toml": _pyproject, "setup.py": _setup_py, "setup.cfg": _setup_cfg, "package.json": _package_json,
    "go.mod": _go_mod, "pom.xml": _pom,
}
