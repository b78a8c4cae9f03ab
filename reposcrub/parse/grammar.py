"""The assignment grammars: how a key is given a value in each family of formats.

Each grammar is an RE2 alternative with a key group and a value group, so that matching
stays linear-time on any input; a family's alternatives are compiled into one pattern and
found in one pass. A key must contain one of the locator words (credential words such as
``pass``, ``token``, ``key``, plus the rules' own keywords), which keeps the number of
matches, and the Python work per match, small in ordinary code.

Values are literals only: a quoted string anywhere, a bare token only where the format
makes bare values literal (env, INI, properties, YAML, shell, Makefile, text), never in
code, where a bare word is an expression.

A key must end with a locator word (digits may follow: password2): credentials are named
by their last word (db_password, apiKey, SLACK_BOT_TOKEN), and an ending keeps words that
merely contain one (description, keyboard) out, so ordinary code makes few matches.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# The words a credential's key ends with: a key_pattern rule sees only such keys (see
# docs/rules.md). "key" and "pw" alone name too much ({ key: 'id' } in every table
# definition): they need a word before them.
LOCATOR_WORDS = (
    "pass", "passwd", "password", "passwort", "passphrase", "pwd", "pw", "secret", "secrets", "token", "tokens",
    "apikey", "auth", "authorization", "cred", "creds", "credential", "credentials", "login", "cookie", "jwt",
    "bearer", "account_id", "accountid", "subscription_id", "subscriptionid", "tenant_id", "tenantid",
    "project_id", "projectid", "cloud_project", "gcp_project", "gcloud_project", "google_project", "firebase_project",
    "bucket", "bucket_name", "bucketname", "salt",
)
_AFTER_A_WORD = ("key",)

FAMILIES = ("code", "json", "shell", "config", "properties", "xml", "text")


@dataclass(frozen=True, slots=True)
class Alternative:
    """One way of writing an assignment. ``quoted`` says whether its value group holds a
    quoted literal's contents (True), a bare token (False)."""

    name: str
    regex: str  # with {key} and {value} placeholders for the groups
    quoted: bool


_NAME = r"[A-Za-z0-9_$@.\-]|\[[ \t]*[:\"'`]?|\\?[\"'`]?[ \t]*\]"  # a key path: dots, dashes, [ 'brackets' ]
_DQ = r'"(?:[^"\\\n]|\\.)*"'
_SQ = r"'(?:[^'\\\n]|\\.)*'"
_PREFIX = r"(?:[rRbBuUfF]{1,2}|@|\$|L|u8)?"
# A quoted literal: the value group is the contents, between the quotes.
_QUOTED = (r'(?:"""(?P<{value}t>[^"\n]*)"""|' + _PREFIX + r'"(?P<{value}>(?:[^"\\\n]|\\.)*)"|' + _PREFIX
           + r"'(?P<{value}s>(?:[^'\\\n]|\\.)*)'|`(?P<{value}b>[^`\n]*)`|\\\"(?P<{value}e>[^\"\\\s]*)\\\")")
_TYPE = r"(?:[ \t]*:[ \t]*&?(?:'static[ \t]+)?[A-Za-z_][\w.]*(?:<[\w., ]*>)?\??|[ \t]+(?:string|\[\]byte))?"
_OP = r"[ \t]*(?:=>|:::=|::=|:=|\?=|\+=|\.=|\|\|=|\?\?=|=|:|<-)[ \t]*"
_LINE_OP = r"[ \t]*(?:=>|:::=|::=|:=|\?=|\+=|!=|=|:)[ \t]*"
_BARE_TO_EOL = r"(?P<{value}>[^\s\"'`][^\s]*?)[ \t]*(?:[ \t][#;][^\n]*)?\r?$"
_LINE_START = r"^[ \t]*(?:(?:export|set|setenv|local|readonly|declare(?:[ \t]+-[a-zA-Z]+)*|typeset|ENV|ARG|-)[ \t]+|\$env:)?"

_CLOSE = r"(?:\\?[\"'`]?[ \t]*\])?\\?[\"'`]?"  # the end of a quoted or bracketed key: ['password'], "token"
# A lookup with a literal fallback: process.env.X || '...', $_ENV['X'] ?? '...', getenv("X") or "..."
_FALLBACK = r"(?:[A-Za-z_$][\w.$]*(?:\[[^\]\n]{0,80}\]|\([^)\n]{0,80}\))?[ \t]*(?:\|\||\?\?|\bor\b|\?:)[ \t]*)?"
_ASSIGN = Alternative("assign", r"(?P<{key}>{name})" + _CLOSE + _TYPE + _OP + _FALLBACK + _QUOTED, True)
# key = value anywhere on a line, bare: in text and config, "?q=api_key = x&...", "set KEY = x"
_ASSIGN_BARE = Alternative("assign-bare", r"(?P<{key}>{name})" + _CLOSE + r"[ \t]*(?:=>|:=|=)[ \t]*"
                           r"(?P<{value}>[^\s\"'`&;<>()\[\]{},\\=][^\s\"'`&;<>()\[\]{},\\]*)", False)
# define('DB_PASSWORD', '...'), setProperty("api.key", "..."), { "password", "..." }: right after the
# opening parenthesis or brace, so a list of names ("user", "password", "email") is no pair
_PAIR = Alternative("pair", r"[({][ \t]*[\"'`](?P<{key}>{name})[\"'`][ \t]*,[ \t]*" + _QUOTED, True)
# HTTPBasicAuth("user", "password"), auth=("user", "password"), new NetworkCredential("u", "p")
_CRED_CALL = Alternative("credential-call", r"(?P<{key}>{name})[ \t]*(?:=[ \t]*)?\([ \t]*(?:" + _DQ + "|" + _SQ
                         + r")[ \t]*,[ \t]*" + _QUOTED + r"[ \t]*\)", True)
# setPassword("..."), .apiKey("..."), withToken('...')
_SETTER = Alternative("setter", r"(?P<{key}>{name})[ \t]*\([ \t]*" + _QUOTED + r"[ \t]*[,)]", True)
# "X-Api-Key: value" inside a string (a header)
_HEADER = Alternative("header", r"[\"'`](?P<{key}>{name}):[ \t]*(?P<{value}>[^\s\"'`](?:[^\"'`\n]*[^\s\"'`])?)[\"'`]", False)
# KEY=value inside a string or a command: "A=1\nKEY=v", ?key=v&, -e KEY=v, -Dkey=v, --set key=v
_INLINE = Alternative("inline", r"(?:\\n|[\"'`(\[,?&;]|(?:^|[ \t])(?:-e[ \t]+|--env[ \t=]+|--build-arg[ \t=]+|"
                      r"--set(?:-string)?[ \t=]+|-D))(?P<{key}>{name})=(?P<{value}>[^\s\"'`\\&;<>]+)", False)
# The same inside a string of code (a keyword argument's bare value is an expression, not a value)
_INLINE_STRING = Alternative("inline", r"(?:\\n|[\"'`?&;])(?P<{key}>{name})=(?P<{value}>[^\s\"'`\\&;<>]+)", False)
# The third argument of a database connect call is its password: getConnection(url, "user", "pw"),
# new mysqli("host", "user", "pw"), new PDO($dsn, 'user', 'pw'), pymysql.connect("h", "u", "pw")
_ARG = r"(?:\"[^\"\n]*\"|'[^'\n]*'|[A-Za-z_$][\w.$]*)"
_CONNECT = Alternative("connect-call", r"(?P<{key}>(?:[A-Za-z_$][\w$]*(?:\.|::|->))*(?i:getconnection|connect|mysqli|pdo|"
                       r"mysql_connect|mysqli_connect|pg_connect|mssql_connect|oci_connect|sqlsrv_connect))[ \t]*\([ \t]*"
                       + _ARG + r"[ \t]*,[ \t]*" + _ARG + r"[ \t]*,[ \t]*" + _QUOTED, True)
# name: KEY / value: ... pairs (Kubernetes env lists, ECS task definitions, CI variables)
_NAME_VALUE = Alternative("name-value", r"(?m:^[ \t]*-?[ \t]*[\"']?name[\"']?[ \t]*:[ \t]*[\"']?(?P<{key}>{name})[\"']?[ \t]*,?\r?\n"
                          r"[ \t]*[\"']?value[\"']?[ \t]*:[ \t]*(?:" + _QUOTED + r"|(?P<{value}r>[^\s\"'`{{\[][^\s]*?)[ \t]*\r?$))", True)
_NAME_VALUE_JSON = Alternative("name-value", r"[\"']name[\"'][ \t]*:[ \t]*[\"'](?P<{key}>{name})[\"'][ \t]*,\s*"
                               r"[\"']value[\"'][ \t]*:[ \t]*" + _QUOTED, True)
_LINE = Alternative("line", "(?m:" + _LINE_START + r"[\"']?(?P<{key}>{name})[\"']?" + _LINE_OP
                    + r"(?:" + _QUOTED + r"[ \t]*(?:[#;,][^\n]*)?\r?$|" + _BARE_TO_EOL.replace("{value}", "{value}r") + "))", True)
_SPACED = Alternative("spaced", r"(?m:^[ \t]*(?:setenv|ENV)[ \t]+(?P<{key}>{name})[ \t]+" + _BARE_TO_EOL + ")", False)
_PROPERTY = Alternative("property", r"(?m:^[ \t]*(?P<{key}>{name})[ \t]+(?P<{value}>[^\s=:][^\s]*)[ \t]*\r?$)", False)
_PLIST = Alternative("plist", r"<key>[ \t]*(?P<{key}>{name})[ \t]*</key>\s*<string>(?P<{value}>[^<]*)</string>", True)
_TEXT = r"[ \t\r\n]*(?P<{value}>[^<\s](?:[^<]*[^<\s])?)[ \t\r\n]*</"
_ELEMENT = Alternative("element", r"<(?:[\w.-]*:)?(?P<{key}>{name})(?:[ \t\r\n][^<>]*[^/<>])?>" + _TEXT, True)
_NAMED_ELEMENT = Alternative("named-element", r"<[A-Za-z_][\w:.-]*[ \t\r\n][^<>]*?\b(?:name|key|id)[ \t\r\n]*=[ \t\r\n]*"
                             r"[\"'](?P<{key}>{name})[\"'](?:[^<>]*[^/<>])?>" + _TEXT, True)
# The attributes of a tag that holds a key word, parsed in Python: key="..." value="...", password="...".
_TAG = Alternative("tag", r"<[A-Za-z_][\w:.-]*(?P<{key}>[ \t\r\n][^<>]*{kw}[^<>]*?)(?P<{value}>)/?>", False)

_GRAMMARS: dict[str, tuple[Alternative, ...]] = {
    "code": (_PAIR, _CONNECT, _CRED_CALL, _ASSIGN, _SETTER, _HEADER, _INLINE_STRING),
    "json": (_NAME_VALUE_JSON, _ASSIGN, _HEADER, _INLINE),
    "shell": (_LINE, _SPACED, _ASSIGN, _ASSIGN_BARE, _HEADER, _INLINE),
    "config": (_LINE, _NAME_VALUE, _ASSIGN, _ASSIGN_BARE, _HEADER, _INLINE),
    "properties": (_LINE, _PROPERTY, _ASSIGN, _ASSIGN_BARE, _INLINE),
    "xml": (_PLIST, _ELEMENT, _NAMED_ELEMENT, _TAG, _INLINE),
    "text": (_LINE, _PAIR, _ASSIGN, _ASSIGN_BARE, _HEADER, _INLINE, _PLIST, _ELEMENT, _NAMED_ELEMENT, _TAG),
}


@dataclass(frozen=True, slots=True)
class Grammar:
    """One family's grammar, as RE2 sources (compiled by the caller): `scan` finds where an
    assignment is, any alternative, with no groups (RE2's DFA alone: fast); `parts[i]` is
    alternative i with its key and value groups, run only where `scan` matched."""

    family: str
    scan: str
    parts: tuple[str, ...]
    alternatives: tuple[Alternative, ...]


def ending(words: Iterable[str], after_a_word: Iterable[str] = _AFTER_A_WORD) -> str:
    """A regex for the end of a credential's key: a locator word, then at most three digits.
    Words in after_a_word only count after another word (api_key, not key)."""
    ordered = sorted(set(words) - set(after_a_word), key=lambda w: (-len(w), w))
    endings = [re.escape(w) for w in ordered] + [rf"[A-Za-z0-9][_.-]?{w}" for w in after_a_word]
    return f"(?i:{'|'.join(endings)})[0-9]{{0,3}}"


def build(family: str, words: Iterable[str]) -> Grammar:
    """The grammar of a family whose keys end with one of words (case-insensitive literals)."""
    vocabulary = set(words) | set(_AFTER_A_WORD)
    kw = "(?i:" + "|".join(re.escape(w) for w in sorted(vocabulary, key=lambda w: (-len(w), w))) + ")"
    # In code "key" alone names anything ({ key: 'id' }); in config and markup it may name the secret
    # of its parent ("Jwt": {"Key": ...}), which the key path then says.
    name = f"(?:{_NAME})*{ending(vocabulary, _AFTER_A_WORD if family == 'code' else ())}"
    parts = []
    for alt in _GRAMMARS[family]:
        text = alt.regex.replace("{name}", name).replace("{kw}", kw)
        parts.append("(?:" + text.replace("{key}", "k").replace("{value}", "v") + ")")
    scan = _GROUP.sub("(?:", "|".join(parts))
    return Grammar(family, scan, tuple(parts), _GRAMMARS[family])


_GROUP = re.compile(r"\(\?P<[A-Za-z0-9_]+>")
