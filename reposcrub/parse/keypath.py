"""Which family of formats a path is written in, and a key's full name: normalised, with
its YAML parents or INI section in front (``[twilio] auth_token`` -> ``twilio_auth_token``)."""
from __future__ import annotations

import re

_CODE = frozenset(
    ".py .pyi .pyw .js .jsx .mjs .cjs .ts .tsx .mts .cts .java .go .rb .rake .gemspec .c .h .cc .cpp .cxx .hpp .hh .hxx"
    " .cs .csx .php .phtml .kt .kts .scala .sc .swift .rs .groovy .gradle .dart .lua .pl .pm .r .m .mm .vb .fs .fsx"
    " .ex .exs .erl .clj .cljs .jl .ps1 .psm1 .vue .svelte .coffee .cr .nim .zig .sql .ipynb .jenkinsfile".split())
_JSON = frozenset(".json .jsonc .json5 .har .tfstate .dockercfg .babelrc .eslintrc".split())
_SHELL = frozenset(".sh .bash .zsh .ksh .fish .bat .cmd .envrc .env .mk .mak .dockerfile .profile .bashrc .zshrc".split())
_CONFIG = frozenset(
    ".ini .cfg .conf .cnf .toml .yaml .yml .hcl .tf .tfvars .npmrc .yarnrc .pypirc .s3cfg .gitconfig .netrc .pgpass"
    " .service .desktop .editorconfig .htaccess .boto .cfg.example .settings .prefs .rc .inf".split())
_XML = frozenset(".xml .config .csproj .vbproj .fsproj .props .targets .plist .xaml .resx .wsdl .nuspec .pom .jsp"
                 " .xsd .xul .manifest .xhtml .jnlp .ccproj .cscfg .csdef .pubxml .dtsconfig .ui".split())
_SHELL_NAMES = re.compile(r"^(?:Dockerfile|Containerfile|Makefile|GNUmakefile|makefile|Procfile|Jenkinsfile|Vagrantfile"
                          r"|\.env(?:\..*)?|.*\.env|env|\.bash_profile|\.bash_history|\.zsh_history|\.zprofile)$")
_CONFIG_NAMES = re.compile(r"^(?:\.?(?:npmrc|yarnrc|pypirc|s3cfg|netrc|pgpass|my\.cnf|gitconfig|boto|curlrc|wgetrc|"
                           r"dockercfg|git-credentials)|credentials|config|pip\.conf|pip\.ini)$")
_YAML = (".yaml", ".yml")
_CAMEL_LOWER = re.compile(r"([a-z0-9])([A-Z])")
_CAMEL_UPPER = re.compile(r"([A-Z]+)([A-Z][a-z])")
_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")
_SECTION = re.compile(rb"\[([A-Za-z0-9_. \"'-]{1,100})\][ \t]*\r?\n")
_YAML_PARENT = re.compile(rb"^([ \t]*)(?:-[ \t]+)?[\"']?([A-Za-z0-9_.-]{1,100})[\"']?[ \t]*:[ \t]*(?:#.*)?$")
_BRACES = re.compile(rb"[{}\[\]]")
_JSON_KEY = re.compile(rb'"([A-Za-z0-9_.$@ -]{1,100})"\s*:\s*\Z')
_LOOK_BACK = 4 << 10  # bytes searched for a section or parents: bounded, so many keys cost linear time
_MAX_PARENTS = 6


def family_for(path: str) -> str:
    """code, json, shell, config, properties, xml or text."""
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    if ext == ".properties":
        return "properties"
    if ext in _JSON:
        return "json"
    if ext in _CODE or name in ("Rakefile", "Gemfile", "Podfile", "Fastfile"):
        return "code"
    if ext in _SHELL or _SHELL_NAMES.match(name):
        return "shell"
    if ext in _CONFIG or _CONFIG_NAMES.match(name):
        return "config"
    return "xml" if ext in _XML else "text"


def normalise(raw: str) -> str:
    """Lower case, camelCase and every separator turned into one '_': DB.Password -> db_password."""
    text = _CAMEL_LOWER.sub(r"\1_\2", _CAMEL_UPPER.sub(r"\1_\2", raw))
    return _SEPARATORS.sub("_", text).strip("_").lower()


def key_path(data: bytes, start: int, path: str, family: str, key: str) -> str:
    """key with the YAML or JSON parents or INI/TOML section it sits under, nearest last."""
    if path.endswith(_YAML):
        parents = _yaml_parents(data, start)
    elif family == "json":
        parents = _json_parents(data, start)
    elif family in ("config", "properties"):
        parents = _section(data, start)
    else:
        return key
    return "_".join([*parents, key]) if parents else key


def _section(data: bytes, start: int) -> list[str]:
    low = max(0, start - _LOOK_BACK)
    at = data.rfind(b"\n[", low, start)
    if at < 0:
        at = low - 1 if data.startswith(b"[", low) else -2
    if at == -2:
        return []
    match = _SECTION.match(data, at + 1)
    return [normalise(match.group(1).decode("utf-8", "replace"))] if match and match.end() <= start + 1 else []


def _yaml_parents(data: bytes, start: int) -> list[str]:
    """Keys of the less indented lines above, read back at most _LOOK_BACK bytes."""
    line_start = data.rfind(b"\n", 0, start) + 1
    indent = _indent(data, line_start, start)
    parents: list[str] = []
    low = max(0, line_start - _LOOK_BACK)
    end = line_start - 1
    while indent > 0 and end > low and len(parents) < _MAX_PARENTS:
        begin = data.rfind(b"\n", low, end) + 1 or low
        line = data[begin:end].rstrip(b"\r")
        end = begin - 1
        stripped = line.lstrip(b" \t-")
        if not stripped or stripped.startswith(b"#"):
            continue
        own = _indent(line, 0, len(line))
        if own < indent:
            match = _YAML_PARENT.match(line)
            if match is None:
                break  # a less indented value, not a parent: nothing above belongs to the key
            parents.append(normalise(match.group(2).decode("utf-8", "replace")))
            indent = own
    return parents[::-1]


def _json_parents(data: bytes, start: int) -> list[str]:
    """Keys of the objects holding start ("Jwt": {"Key": ...} -> jwt), read back at most
    _LOOK_BACK bytes; strings are skipped roughly (a brace inside one may mislead)."""
    low = max(0, start - _LOOK_BACK)
    depth = 0
    parents: list[str] = []
    braces = [(m.start(), m.group()) for m in _BRACES.finditer(data, low, start)]
    for at, brace in reversed(braces):
        if brace in (b"}", b"]"):
            depth += 1
        elif depth:
            depth -= 1
        elif brace == b"{":  # an enclosing object: its key precedes it
            match = _JSON_KEY.search(data, max(low, at - 200), at)
            if match is None or len(parents) >= _MAX_PARENTS:
                break
            parents.append(normalise(match.group(1).decode("utf-8", "replace")))
    return parents[::-1]


def _indent(data: bytes, begin: int, stop: int) -> int:
    """Columns before the first character that is not a space, tab or list dash."""
    i = begin
    while i < stop and data[i] in b" \t-":
        i += 1
    return i - begin
