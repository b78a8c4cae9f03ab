"""Syntactic context of byte spans (string, comment, identifier, other) from tree-sitter.

Each language's grammar is its own PyPI wheel, imported only when a file of that
language is first parsed. Anything this module cannot parse returns None, and the
caller treats the file as plain text: a parse problem never fails a scan.
"""
from __future__ import annotations

import bisect
import importlib
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import tree_sitter

CONTEXTS = ("string", "comment", "identifier", "other")


@dataclass(frozen=True, slots=True)
class LanguageSpec:
    """Node kinds of one grammar, named as in its node-types.json.

    Strings come in three shapes, which decide where `string_span` finds the contents:
    `strings` are opened and closed by children (anonymous quote tokens or the named
    `delimiters`), `tokens` hold their quotes inside one token, `bare` have none.
    """

    grammar: str  # "module:function" returning the tree-sitter language
    comments: tuple[str, ...]
    identifiers: tuple[str, ...]
    strings: tuple[str, ...] = ()
    tokens: tuple[str, ...] = ()
    bare: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # "parent:field" whose child names something (mapping keys)
    delimiters: tuple[str, ...] = ()


def _spec(grammar: str, ids: str, strings: str = "", *, comments: str = "comment", tokens: str = "",
          bare: str = "", names: str = "", delimiters: str = "") -> LanguageSpec:
    return LanguageSpec(grammar, tuple(comments.split()), tuple(ids.split()), tuple(strings.split()),
                        tuple(tokens.split()), tuple(bare.split()), tuple(names.split()), tuple(delimiters.split()))


_JS_IDS = ("identifier property_identifier private_property_identifier shorthand_property_identifier"
           " shorthand_property_identifier_pattern statement_identifier")
_C_IDS = "identifier field_identifier type_identifier statement_identifier"

LANGUAGES: dict[str, LanguageSpec] = {
    "python": _spec("tree_sitter_python:language", "identifier", "string", delimiters="string_start string_end"),
    "javascript": _spec("tree_sitter_javascript:language", _JS_IDS, "string template_string"),
    "typescript": _spec("tree_sitter_typescript:language_typescript", _JS_IDS + " type_identifier",
                        "string template_string"),
    "tsx": _spec("tree_sitter_typescript:language_tsx", _JS_IDS + " type_identifier", "string template_string"),
    "java": _spec("tree_sitter_java:language", "identifier type_identifier", "string_literal",
                  comments="line_comment block_comment", tokens="character_literal"),
    "go": _spec("tree_sitter_go:language", "identifier field_identifier type_identifier package_identifier label_name",
                "interpreted_string_literal raw_string_literal", tokens="rune_literal"),
    "ruby": _spec("tree_sitter_ruby:language", "identifier constant instance_variable class_variable"
                  " global_variable hash_key_symbol simple_symbol", "string delimited_symbol heredoc_body",
                  bare="bare_string", delimiters="heredoc_end"),
    "c": _spec("tree_sitter_c:language", _C_IDS, "string_literal char_literal", tokens="system_lib_string"),
    "cpp": _spec("tree_sitter_cpp:language", _C_IDS + " namespace_identifier",
                 "string_literal char_literal raw_string_literal", tokens="system_lib_string",
                 delimiters="raw_string_delimiter"),
    "csharp": _spec("tree_sitter_c_sharp:language", "identifier", "string_literal character_literal"
                    " interpolated_string_expression raw_string_literal", tokens="verbatim_string_literal",
                    delimiters="interpolation_start raw_string_start raw_string_end"),
    "php": _spec("tree_sitter_php:language_php", "name variable_name", "string encapsed_string heredoc nowdoc",
                 delimiters="heredoc_start heredoc_end"),
    "bash": _spec("tree_sitter_bash:language", "variable_name", "string", tokens="raw_string ansi_c_string",
                  bare="heredoc_body", names="function_definition:name"),
    "yaml": _spec("tree_sitter_yaml:language", "anchor_name alias_name", "double_quote_scalar single_quote_scalar",
                  tokens="block_scalar", bare="plain_scalar", names="block_mapping_pair:key flow_pair:key"),
    "json": _spec("tree_sitter_json:language", "", "string", names="pair:key"),
    "toml": _spec("tree_sitter_toml:language", "bare_key quoted_key", tokens="string quoted_key"),
    "hcl": _spec("tree_sitter_hcl:language", "identifier", "string_lit quoted_template heredoc_template",
                 delimiters="quoted_template_start quoted_template_end heredoc_start heredoc_identifier"),
}

_EXTENSIONS = {
    **dict.fromkeys((".py", ".pyi", ".pyw"), "python"),
    **dict.fromkeys((".js", ".jsx", ".mjs", ".cjs"), "javascript"),
    **dict.fromkeys((".ts", ".mts", ".cts"), "typescript"),
    ".tsx": "tsx",
    ".java": "java",
    ".go": "go",
    **dict.fromkeys((".rb", ".rake", ".gemspec", ".ru"), "ruby"),
    **dict.fromkeys((".c", ".h"), "c"),
    **dict.fromkeys((".cpp", ".cc", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h++", ".ipp"), "cpp"),
    **dict.fromkeys((".cs", ".csx"), "csharp"),
    **dict.fromkeys((".php", ".phtml"), "php"),
    **dict.fromkeys((".sh", ".bash"), "bash"),
    **dict.fromkeys((".yml", ".yaml"), "yaml"),
    **dict.fromkeys((".json", ".jsonc"), "json"),
    ".toml": "toml",
    **dict.fromkeys((".tf", ".tfvars", ".hcl"), "hcl"),
}
_FILENAMES = {
    **dict.fromkeys(("Rakefile", "Gemfile", "Guardfile", "Vagrantfile", "Podfile", "Fastfile", "Capfile"), "ruby"),
    **dict.fromkeys((".bashrc", ".bash_profile", ".bash_logout", ".profile"), "bash"),
    **dict.fromkeys(("Pipfile", "Cargo.lock", "poetry.lock"), "toml"),
}

# capture name -> (context, string shape or "", rank). On equal spans the higher rank is
# the inner one: a YAML key is a plain scalar (string) that names something (identifier).
_CAPTURES = {
    "delimited": ("string", "delimited", 0), "token": ("string", "token", 0), "bare": ("string", "bare", 0),
    "comment": ("comment", "", 1), "identifier": ("identifier", "", 1), "name": ("identifier", "", 2),
}
# An opening quote (after a prefix such as f, rb, L, u8, @ or $) or a YAML block-scalar header.
_OPENER = re.compile(rb"""[A-Za-z0-9_@$]{0,3}("{3}|'{3}|["'`<])|[|>][^\n]*\n?""")


def language_for(path: str) -> str | None:
    """The language name for a repository path, or None for plain text."""
    name = path.rsplit("/", 1)[-1]
    if name in _FILENAMES:
        return _FILENAMES[name]
    dot = name.rfind(".")
    return _EXTENSIONS.get(name[dot:].lower()) if dot > 0 else None


@dataclass(frozen=True, slots=True)
class Limits:
    """Files the caller had better treat as plain text: too large, minified or binary."""

    max_bytes: int = 2 * 1024 * 1024
    max_line: int = 10_000

    def accepts(self, data: bytes) -> bool:
        if not data or len(data) > self.max_bytes or b"\0" in data[:8192]:
            return False
        return max(map(len, data.split(b"\n"))) <= self.max_line


@dataclass(frozen=True, slots=True)
class _Grammar:
    parser: tree_sitter.Parser
    query: tree_sitter.Query


class Parsers:
    """The parser and query of each language, made on first use and kept for reuse.

    The caller owns one per worker: tree-sitter parsers are not thread-safe, and
    keeping them here rather than in module globals keeps configuration explicit.
    """

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._grammars: dict[str, _Grammar | None] = {}

    def grammar(self, language: str) -> _Grammar | None:
        """None when the grammar wheel is missing or built for another tree-sitter ABI."""
        if language not in self._grammars:
            self._grammars[language] = _load(LANGUAGES[language])
        return self._grammars[language]

    def parse(self, data: bytes, language: str, spans: Sequence[tuple[int, int]] | None = None) -> SyntaxIndex | None:
        """Index data as language, or None when it should be scanned as plain text.

        With spans, only the nodes around those byte spans are indexed: the parse is
        cheap, walking every node of a large file is not, and a scan asks about a few.
        """
        if language not in LANGUAGES or not self.limits.accepts(data):
            return None
        try:
            grammar = self.grammar(language)
            return None if grammar is None else _index(data, language, grammar, spans)
        except Exception:  # a parse problem must never fail a scan: scan the file as plain text
            return None


def parse_context(data: bytes, path: str, parsers: Parsers | None = None,
                  spans: Sequence[tuple[int, int]] | None = None) -> SyntaxIndex | None:
    """Index data by the language of path (only around spans, when given); None means
    plain text. Never raises."""
    language = language_for(path)
    if language is None:
        return None
    return (parsers or Parsers()).parse(data, language, spans)


@dataclass(frozen=True, slots=True)
class SyntaxIndex:
    """The string, comment and identifier nodes of one parsed file, as nested byte intervals.

    Made by `Parsers.parse(data, language)`. Intervals are sorted by start, outer first,
    each with the index of the interval holding it (-1 for none): a lookup is a bisect
    and a short walk outwards. Plain data: it keeps no tree and pickles.
    """

    language: str
    broken: bool
    starts: tuple[int, ...] = field(repr=False)
    ends: tuple[int, ...] = field(repr=False)
    parents: tuple[int, ...] = field(repr=False)
    kinds: tuple[str, ...] = field(repr=False)
    contents: tuple[tuple[int, int] | None, ...] = field(repr=False)  # of string literals

    def has_errors(self) -> bool:
        """True when tree-sitter had to recover from a syntax error anywhere in the file."""
        return self.broken

    def context_at(self, start: int, end: int) -> str:
        """The innermost of string, comment, identifier covering data[start:end], else other."""
        i = self._innermost(start, end)
        return "other" if i < 0 else self.kinds[i]

    def string_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The contents (without quotes) of the string literal holding data[start:end], if any."""
        i = self._innermost(start, end)
        while i >= 0 and self.contents[i] is None:
            i = self.parents[i]
        span = self.contents[i] if i >= 0 else None
        return span if span is not None and span[0] <= start and max(start, end) <= span[1] else None

    def _innermost(self, start: int, end: int) -> int:
        end = max(end, start + 1)  # an empty span asks about the byte at start
        i = bisect.bisect_right(self.starts, start) - 1
        while i >= 0 and self.ends[i] < end:
            i = self.parents[i]
        return i


def _load(spec: LanguageSpec) -> _Grammar | None:
    module, function = spec.grammar.split(":")
    try:
        language = tree_sitter.Language(getattr(importlib.import_module(module), function)())
    except (ImportError, AttributeError, ValueError):  # no wheel, or an ABI this tree-sitter cannot load
        return None
    return _Grammar(tree_sitter.Parser(language), tree_sitter.Query(language, _query_source(spec)))


def _query_source(spec: LanguageSpec) -> str:
    groups = {"comment": spec.comments, "identifier": spec.identifiers, "delimited": spec.strings,
              "token": spec.tokens, "bare": spec.bare}
    patterns = ["[" + " ".join(f"({kind})" for kind in kinds) + f"] @{name}" for name, kinds in groups.items() if kinds]
    for parent_field in spec.names:
        parent, child = parent_field.split(":")
        patterns.append(f"({parent} {child}: (_) @name)")
    return "\n".join(patterns)


def _index(data: bytes, language: str, grammar: _Grammar, spans: Sequence[tuple[int, int]] | None = None) -> SyntaxIndex:
    tree = grammar.parser.parse(data)
    delimiters = LANGUAGES[language].delimiters
    if spans is None:
        items = sorted(_intervals(data, tree, grammar.query, delimiters))
    else:
        # Captures intersecting each span include the nodes enclosing it: enough to answer
        # context_at and string_span for those spans.
        found: dict[tuple[int, int, str], tuple[int, int, int, int, str, tuple[int, int] | None]] = {}
        for start, end in spans:
            for item in _intervals(data, tree, grammar.query, delimiters, (start, max(end, start + 1))):
                found.setdefault((item[0], item[1], item[4]), item)
        items = sorted(found.values())
    ends = tuple(-item[1] for item in items)
    return SyntaxIndex(language, tree.root_node.has_error, tuple(item[0] for item in items), ends, _parents(ends),
                       tuple(item[4] for item in items), tuple(item[5] for item in items))


def _intervals(data: bytes, tree: tree_sitter.Tree, query: tree_sitter.Query, delimiters: tuple[str, ...],
               byte_range: tuple[int, int] | None = None) -> Iterator[tuple[int, int, int, int, str, tuple[int, int] | None]]:
    """(start, -end, rank, tie-break, context, string contents), to sort outer before inner."""
    tick = itertools.count()
    cursor = tree_sitter.QueryCursor(query)
    if byte_range is not None:
        cursor.set_byte_range(*byte_range)
    for name, nodes in cursor.captures(tree.root_node).items():
        kind, shape, rank = _CAPTURES[name]
        for node in nodes:
            start, end = node.start_byte, node.end_byte
            if end > start:  # zero-width nodes are MISSING tokens that error recovery inserted
                yield start, -end, rank, next(tick), kind, _contents(data, node, shape, delimiters)


def _contents(data: bytes, node: tree_sitter.Node, shape: str, delimiters: tuple[str, ...]) -> tuple[int, int] | None:
    if shape == "delimited":
        return _delimited(node, delimiters)
    if shape == "token":
        return _token(data, node.start_byte, node.end_byte)
    return (node.start_byte, node.end_byte) if shape == "bare" else None


def _parents(ends: tuple[int, ...]) -> tuple[int, ...]:
    """For intervals sorted outer first, the index of the innermost one holding each."""
    parents: list[int] = []
    stack: list[int] = []
    for i, end in enumerate(ends):
        while stack and ends[stack[-1]] < end:
            stack.pop()
        parents.append(stack[-1] if stack else -1)
        stack.append(i)
    return tuple(parents)


def _delimited(node: tree_sitter.Node, delimiters: tuple[str, ...]) -> tuple[int, int]:
    """Contents between the leading and the trailing run of quote or heredoc-marker children."""
    kids = node.children
    # Anonymous children are quotes, except PHP's "{$x}", which puts its braces right in the string.
    marks = [kid.type in delimiters or not (kid.is_named or kid.type in ("{", "}")) for kid in kids]
    lead = 0
    while lead < len(kids) and marks[lead]:
        lead += 1
    if lead == len(kids):  # only delimiters (YAML "x" has no content child): contents between the halves
        half = len(kids) // 2
        low = kids[half - 1].end_byte if half else node.start_byte
        return low, kids[half].start_byte if kids else node.end_byte
    trail = len(kids)
    while marks[trail - 1]:
        trail -= 1
    low = kids[lead - 1].end_byte if lead else node.start_byte
    return low, kids[trail].start_byte if trail < len(kids) else node.end_byte


def _token(data: bytes, start: int, end: int) -> tuple[int, int]:
    """Contents of a string token with its quotes inside, such as 'a', @"x" or a YAML |-block."""
    match = _OPENER.match(data, start, end)
    if match is None:
        return start, end
    quote = match.group(1)
    if quote is None:  # block scalar: contents start on the line after the header
        return match.end(), end
    close = b">" if quote == b"<" else quote
    stop = end - len(close) if data.endswith(close, match.end(), end) else end
    return match.end(), stop
