"""Syntactic context of `acme` in a small realistic file of every supported language."""
from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from reposcrub.parse import treesitter
from reposcrub.parse.treesitter import LANGUAGES, Limits, Parsers, language_for, parse_context

PARSERS = Parsers()

# path, source, [(needle holding one "acme", expected context of that "acme")]
CASES = [
    ("app/settings.py", b'''"""Settings for the acme billing service."""
import acme_utils
from acme.billing import client as acme_client

# TODO(acme): rotate before release
API_URL = f"https://api.acme.internal/{acme_client.VERSION}"
TOKEN = rb'acme\\raw'


class Settings:
    def __init__(self) -> None:
        self.acme_region = "eu"
''', [(b'"""Settings for the acme', "string"), (b"import acme_utils", "identifier"), (b"from acme.", "identifier"),
      (b"# TODO(acme)", "comment"), (b"api.acme.internal", "string"), (b"{acme_client.", "identifier"),
      (b"rb'acme", "string"), (b"self.acme_region", "identifier")]),
    ("web/src/api.jsx", b'''// Client for the acme billing API
import { acmeFetch } from "./acme-http";

/** Returns the acme endpoint. */
export const endpoint = `https://${host}.acme.example/v1`;
const config = { acmeRegion: "eu", token: 'acme-token' };
export function Banner() {
  return <div className="acme">{config.acmeRegion}</div>;
}
''', [(b"the acme billing", "comment"), (b"{ acmeFetch }", "identifier"), (b'"./acme-http"', "string"),
      (b"Returns the acme", "comment"), (b"}.acme.example", "string"), (b"{ acmeRegion:", "identifier"),
      (b"'acme-token'", "string"), (b'"acme">', "string"), (b"config.acmeRegion}", "identifier")]),
    ("src/client.ts", b'''// acme API client
interface Options { acmeRegion: string }
const base: string = "https://acme.example";
export class Client {
  private acmeKey = `key-acme`;
}
''', [(b"// acme", "comment"), (b"acmeRegion", "identifier"), (b'"https://acme', "string"),
      (b"private acmeKey", "identifier"), (b"`key-acme`", "string")]),
    ("src/App.tsx", b'''// acme dashboard
type Props = { acmeUser: string };
export const App = ({ acmeUser }: Props) => <a href="https://acme.example">{acmeUser}</a>;
''', [(b"// acme", "comment"), (b"{ acmeUser: string", "identifier"), (b"({ acmeUser }", "identifier"),
      (b'"https://acme', "string"), (b"{acmeUser}<", "identifier")]),
    ("src/main/java/com/acme/billing/Invoice.java", b'''package com.acme.billing;

import com.acme.util.Money;

/** Invoices for acme customers. */
public class Invoice {
    // acme legacy endpoint
    private static final String URL = "https://billing.acme.internal";
    private static final String BODY = """
        hello acme
        """;
    private final char sep = 'a';
    private Money acmeTotal;
}
''', [(b"com.acme.billing", "identifier"), (b"com.acme.util", "identifier"), (b"Invoices for acme", "comment"),
      (b"// acme legacy", "comment"), (b"billing.acme.internal", "string"), (b"hello acme", "string"),
      (b"acmeTotal", "identifier")]),
    ("internal/acme/client.go", b'''package acme

import (
\t"fmt"
\t"github.com/acme-corp/billing/api"
)

// NewClient talks to the acme gateway.
func NewClient() *Client {
\treturn &Client{acmeHost: `acme.internal:443`}
}

type Client struct{ acmeHost string }
''', [(b"package acme", "identifier"), (b'"github.com/acme-corp', "string"), (b"the acme gateway", "comment"),
      (b"`acme.internal", "string"), (b"struct{ acmeHost", "identifier")]),
    ("lib/acme/client.rb", b'''# acme API client
require "acme/http"

module Billing
  class Client
    ENDPOINT = 'https://acme.example/api'

    def initialize(acme_key)
      @acme_key = acme_key
      @opts = { acme_region: :eu, mode: :acme_mode }
      @doc = <<~TEXT
        Issued by acme
      TEXT
    end
  end
end
''', [(b"# acme", "comment"), (b'"acme/http"', "string"), (b"'https://acme", "string"),
      (b"(acme_key)", "identifier"), (b"@acme_key", "identifier"), (b"{ acme_region:", "identifier"),
      (b":acme_mode", "identifier"), (b"Issued by acme", "string")]),
    ("src/acme.h", b'''/* acme platform glue */
#include "acme_config.h"

struct acme_ctx { int acme_flags; };
static const char *HOST = "db.acme.internal"; // acme db
static const char SEP = 'a';
''', [(b"/* acme", "comment"), (b'"acme_config.h"', "string"), (b"struct acme_ctx", "identifier"),
      (b"int acme_flags", "identifier"), (b"db.acme.internal", "string"), (b"// acme db", "comment")]),
    ("src/client.cpp", b'''// acme client
#include <acme/net.hpp>

namespace acme {
std::string host() { return R"(https://acme.example)"; }
}
auto acme_timeout = 30;
''', [(b"// acme", "comment"), (b"<acme/net.hpp>", "string"), (b"namespace acme", "identifier"),
      (b'R"(https://acme', "string"), (b"acme_timeout", "identifier")]),
    ("src/Client.cs", b'''// acme service client
/// <summary>Talks to acme.</summary>
public class Client
{
    private string acmeUrl = "https://acme.example";
    private string path = @"C:\\acme\\data";
    public string Greeting(string name) => $"hello {name} from acme";
}
''', [(b"// acme", "comment"), (b"Talks to acme", "comment"), (b"acmeUrl", "identifier"),
      (b'"https://acme', "string"), (b'@"C:\\acme', "string"), (b"from acme", "string")]),
    ("src/Client.php", b'''<?php
namespace acme\\billing;

// acme legacy client
class Client {
    private $acmeKey = 'acme-key';
    public function url() { return "https://{$this->host}.acme.example"; }
}
''', [(b"namespace acme", "identifier"), (b"// acme", "comment"), (b"$acmeKey", "identifier"),
      (b"'acme-key'", "string"), (b".acme.example", "string")]),
    ("deploy/deploy.sh", b'''#!/usr/bin/env bash
# deploy to the acme cluster
ACME_HOST="build.acme.internal"

acme_deploy() {
  local acme_dir=/opt/app
  curl -H 'X-Team: acme' "$ACME_HOST"
  cat <<EOF
token for acme
EOF
}
''', [(b"the acme cluster", "comment"), (b"build.acme.internal", "string"), (b"acme_deploy()", "identifier"),
      (b"local acme_dir", "identifier"), (b"X-Team: acme'", "string"), (b"token for acme", "string")]),
    ("deploy/values.yaml", b'''# values for the acme chart
acme_image: registry.acme.internal/app:1.2
env:
  - name: API_URL
    value: "https://acme.example"
  - name: TEAM
    value: 'acme single'
script: |
  curl https://acme.example/health
''', [(b"the acme chart", "comment"), (b"acme_image:", "identifier"), (b"registry.acme.internal", "string"),
      (b'"https://acme', "string"), (b"'acme single'", "string"), (b"curl https://acme", "string")]),
    ("web/package.json", b'''{
  "name": "@acme/web",
  "acmeConfig": {"region": "eu"},
  "repository": "https://git.acme.internal/web"
}
''', [(b'"@acme/web"', "string"), (b'"acmeConfig"', "identifier"), (b"git.acme.internal", "string")]),
    ("pyproject.toml", b'''# acme build settings
[tool.acme]
index-url = "https://pypi.acme.internal/simple"
acme_token = 'literal'
description = """
acme multi
"""
''', [(b"# acme", "comment"), (b"tool.acme", "identifier"), (b"pypi.acme.internal", "string"),
      (b"acme_token", "identifier"), (b"acme multi", "string")]),
    ("infra/main.tf", b'''# acme production bucket
resource "aws_s3_bucket" "logs" {
  bucket     = "acme-logs-${var.env}"
  acme_owner = local.acme_team
  policy     = <<EOF
{"owner": "acme"}
EOF
}
''', [(b"# acme", "comment"), (b'"acme-logs-', "string"), (b"acme_owner", "identifier"),
      (b"local.acme_team", "identifier"), (b'"owner": "acme"', "string")]),
]

# path, source, needle holding one "acme", contents of the enclosing string literal
STRING_SPANS = [
    ("a.py", b'x = f"https://{host}.acme.example"\n', b"acme", b"https://{host}.acme.example"),
    ("a.py", b'def f():\n    """Docs for acme."""\n', b"acme", b"Docs for acme."),
    ("a.js", b"const u = `https://${h}.acme.example`;\n", b"acme", b"https://${h}.acme.example"),
    ("A.java", b'class A { String s = "acme-key"; }\n', b"acme", b"acme-key"),
    ("a.go", b"package a\n\nvar s = `raw acme`\n", b"acme", b"raw acme"),
    ("a.rb", b"x = %q(acme here)\n", b"acme", b"acme here"),
    ("a.cpp", b'auto s = R"x(https://acme.example)x";\n', b"acme", b"https://acme.example"),
    ("a.c", b'#include <acme/net.h>\n', b"acme", b"acme/net.h"),
    ("A.cs", b'class A { string p = @"C:\\acme\\data"; }\n', b"acme", b"C:\\acme\\data"),
    ("a.php", b'<?php\n$x = "host.acme.example";\n', b"acme", b"host.acme.example"),
    ("a.sh", b"curl -H 'X-Team: acme'\n", b"acme", b"X-Team: acme"),
    ("a.sh", b"X=$'acme\\n'\n", b"acme", b"acme\\n"),
    ("a.yaml", b'url: "https://acme.example"\n', b"acme", b"https://acme.example"),
    ("a.yaml", b"team: 'acme single'\n", b"acme", b"acme single"),
    ("a.yaml", b"host: db.acme.internal\n", b"acme", b"db.acme.internal"),
    ("a.yaml", b"script: |\n  curl acme\nnext: 1\n", b"acme", b"  curl acme"),
    ("a.json", b'{"acmeConfig": 1}', b"acme", b"acmeConfig"),
    ("a.toml", b'x = """\nacme multi\n"""\n', b"acme", b"\nacme multi\n"),
    ("a.toml", b"'acme key' = 1\n", b"acme", b"acme key"),
    ("a.tf", b'x = "acme-${var.env}"\n', b"acme", b"acme-${var.env}"),
]

BROKEN = [
    b'x = "unterminated acme\n((( {{ ]]\n',
    b"\xff\xfe\x01garbage acme \x80\x81 \xc3\x28 }}}]]] '''\n",
    b'\xc3\x28 "acme \xe2\x82 invalid utf-8\n' * 3,
]


def _span(source: bytes, needle: bytes) -> tuple[int, int]:
    assert source.count(needle) == 1, needle
    at = source.index(needle) + needle.index(b"acme")
    return at, at + len(b"acme")


def _rows():
    for path, source, expects in CASES:
        for needle, expected in expects:
            yield pytest.param(path, source, needle, expected, id=f"{language_for(path)}-{needle.decode()}")


@pytest.mark.parametrize(("path", "source", "needle", "expected"), list(_rows()))
def test_context_of_acme(path, source, needle, expected):
    index = parse_context(source, path, PARSERS)
    assert index is not None
    assert not index.has_errors()
    assert index.context_at(*_span(source, needle)) == expected


@pytest.mark.parametrize(("path", "source", "needle", "contents"), STRING_SPANS, ids=[r[0] + "-" + r[3].decode()
                                                                                     for r in STRING_SPANS])
def test_string_span_is_the_contents_without_quotes(path, source, needle, contents):
    index = parse_context(source, path, PARSERS)
    assert index is not None
    span = index.string_span(*_span(source, needle))
    assert span is not None
    assert source[span[0] : span[1]] == contents


def test_every_language_has_a_case():
    assert {language_for(path) for path, _, _ in CASES} == set(LANGUAGES)


@pytest.mark.parametrize(("path", "language"), [
    ("a/b/main.tf", "hcl"), ("prod.tfvars", "hcl"), ("x.hcl", "hcl"), ("ci.yml", "yaml"), ("k8s.YAML", "yaml"),
    ("App.jsx", "javascript"), ("m.mjs", "javascript"), ("c.cjs", "javascript"), ("types.d.ts", "typescript"),
    ("App.tsx", "tsx"), ("x.h", "c"), ("x.hpp", "cpp"), ("x.cc", "cpp"), ("x.cxx", "cpp"), ("lib/x.rb", "ruby"),
    ("Rakefile", "ruby"), ("sub/Gemfile", "ruby"), ("run.sh", "bash"), ("run.bash", "bash"), ("i.php", "php"),
    ("P.cs", "csharp"), ("Cargo.toml", "toml"), ("package.json", "json"), ("x.go", "go"), ("X.java", "java"),
    ("Dockerfile", None), ("README", None), ("notes.txt", None), (".gitignore", None), ("Makefile", None),
    ("archive.tar.gz", None), ("x.json.bak", None),
])
def test_language_for(path, language):
    assert language_for(path) == language


def test_unknown_extension_is_plain_text():
    assert parse_context(b'x = "acme"\n', "notes.txt", PARSERS) is None


def test_limits_send_empty_large_minified_and_binary_files_to_plain_text():
    parsers = Parsers(Limits(max_bytes=100, max_line=40))
    assert parsers.parse(b"", "python") is None
    assert parsers.parse(b"x = 1\n" * 20, "python") is None
    assert parsers.parse(b"x = [" + b"1," * 30 + b"]\n", "python") is None
    assert parsers.parse(b"x = 1\0\n", "python") is None
    assert parsers.parse(b"x = 1\n", "python") is not None


@pytest.mark.parametrize("path", [path for path, _, _ in CASES])
@pytest.mark.parametrize("garbage", BROKEN, ids=["unbalanced", "garbage-bytes", "invalid-utf8"])
def test_broken_source_never_raises_and_reports_errors(path, garbage):
    source = next(src for p, src, _ in CASES if p == path) + garbage
    index = parse_context(source, path, PARSERS)
    assert index is not None
    assert index.has_errors()
    for at in range(0, len(source), 7):
        assert index.context_at(at, at + 3) in treesitter.CONTEXTS
        index.string_span(at, at + 3)


def test_span_straddling_a_string_is_not_inside_it():
    source = b'token = "acme"\n'
    index = parse_context(source, "a.py", PARSERS)
    assert index is not None
    start, end = source.index(b'= "acme'), source.index(b'"\n') + 1
    assert index.context_at(start, end) == "other"
    assert index.string_span(start, end) is None
    assert index.string_span(source.index(b'"'), end) is None  # quotes included
    assert index.context_at(source.index(b'"'), end) == "string"
    assert index.string_span(0, 5) is None


def test_empty_strings_and_points():
    source = b'a = ""\nb = "x"\n'
    index = parse_context(source, "a.py", PARSERS)
    assert index is not None
    quote = source.index(b'""')
    assert index.string_span(quote + 1, quote + 1) == (quote + 1, quote + 1)
    assert index.context_at(quote + 1, quote + 1) == "string"
    assert index.context_at(len(source), len(source)) == "other"


def test_missing_grammar_falls_back_to_plain_text(monkeypatch):
    monkeypatch.setitem(LANGUAGES, "python", treesitter.LanguageSpec("no_such_grammar:language", ("comment",), ()))
    assert Parsers().parse(b"x = 1\n", "python") is None


def test_parsers_are_cached_per_owner():
    parsers = Parsers()
    assert parsers.grammar("json") is parsers.grammar("json")
    assert Parsers().grammar("json") is not parsers.grammar("json")


def test_grammars_are_imported_only_when_their_language_is_parsed():
    code = (
        "import sys\n"
        "from reposcrub.parse.treesitter import parse_context\n"
        "assert not [m for m in sys.modules if m.startswith('tree_sitter_')]\n"
        "assert parse_context(b'x = 1\\n', 'a.py') is not None\n"
        "print(sorted(m for m in sys.modules if m.startswith('tree_sitter_')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['tree_sitter_python', 'tree_sitter_python._binding']"


def test_index_is_plain_data_that_pickles():
    source = b'# acme\nx = "acme"\n'
    index = parse_context(source, "a.py", PARSERS)
    copy = pickle.loads(pickle.dumps(index))
    assert copy == index
    assert copy.context_at(*_span(source, b'"acme')) == "string"


@pytest.mark.parametrize(("path", "source", "contents"), [
    ("a.php", b'<?php $u = "{$host}.acme";', b"{$host}.acme"),
    ("a.cs", b'class A { string s = $"{host}.acme"; }', b"{host}.acme"),
    ("a.py", b'u = f"{host}.acme"', b"{host}.acme"),
    ("a.sh", b'U="${HOST}.acme"', b"${HOST}.acme"),
    ("a.rb", b'u = "#{host}.acme"', b"#{host}.acme"),
    ("a.tf", b'u = "${var.h}.acme"', b"${var.h}.acme"),
])
def test_string_span_keeps_a_leading_interpolation(path, source, contents):
    index = parse_context(source, path, PARSERS)
    assert index is not None
    span = index.string_span(*_span(source, b"acme"))
    assert span is not None
    assert source[span[0] : span[1]] == contents
