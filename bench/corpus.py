"""Synthetic source trees with planted fake credentials, for benchmarks.

A tree reads like a polyglot monorepo: Python services, JS/TS web apps, Java modules,
Go services, Kubernetes/CI YAML, JSON fixtures, Markdown docs, minified bundles, lock
files full of hashes, base64 blobs and UUIDs. Everything is deterministic from a seed.

Into it go a known set of *positives* (fake credentials: documented prefix plus random
characters of the right alphabet and length, built here at run time) and *negatives*
(look-alikes a scanner must not report: documentation example keys, placeholders,
``${VAR}`` templates, UUIDs, digests, lock-file hashes, public keys). Every planted item
sits on lines of its own, and the ground truth (path, line, end line, kind, value) is
written to ``<tree>.truth.json`` beside the tree, never inside it and never in the repo.

This source never holds a complete credential-shaped literal (prefixes and headers are
assembled from pieces), so the repository itself stays clean for scanners.

Use from another benchmark::

    from corpus import Spec, ensure, hit_index, score
    corpus, reused = ensure(Path("bench/out/tree"), Spec(size_mb=200, seed=1))
    hits = hit_index((f["path"], f["line"]) for f in findings)
    print(score(corpus.positives, hits).found, "of", len(corpus.positives))

Sizes are in MB = 10**6 bytes; a tree is at least ``size_mb`` MB.
"""
from __future__ import annotations

import base64
import json
import math
import os
import random
import re
import shutil
import string
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

GENERATOR_VERSION = 1
MB = 1_000_000

UPPER_B32 = string.ascii_uppercase + "234567"
ALNUM = string.ascii_letters + string.digits
DIGITS = string.digits
HEX = "0123456789abcdef"

# Pieces assembled at run time so this file never looks like a leak to a scanner.
_PEM_RSA = "RSA " + "PRIVATE" + " KEY"
_PEM_PUB = "PUBLIC" + " KEY"
_AWS_DOC_KEY_ID = "AKIA" + "IOSFODNN7" + "EXAMPLE"
_AWS_PREFIX = "AK" + "IA"
_GH_PREFIX = "gh" + "p_"
_SLACK_PREFIX = "xo" + "xb-"
_STRIPE_PREFIX = "sk" + "_live_"


# ----------------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class Spec:
    """What a tree is generated from; a tree is reused only for an identical spec."""

    size_mb: int = 200
    seed: int = 1
    version: int = GENERATOR_VERSION


@dataclass(frozen=True, slots=True)
class Planted:
    """One planted value. ``line``..``end_line`` (1-based, inclusive) hold it; a PEM block
    spans several lines, everything else one. ``positive`` False means a look-alike."""

    path: str
    line: int
    end_line: int
    kind: str
    value: str
    positive: bool


@dataclass(slots=True)
class Corpus:
    root: Path
    spec: Spec
    files: int
    bytes: int
    categories: dict[str, dict[str, int]]
    positives: list[Planted]
    negatives: list[Planted]
    generated_seconds: float = 0.0

    @property
    def truth_path(self) -> Path:
        return truth_path_for(self.root)


def truth_path_for(root: Path) -> Path:
    """The ground-truth file lives beside the tree, not in it: ``<tree>.truth.json``."""
    root = Path(root)
    return root.with_name(root.name + ".truth.json")


# ----------------------------------------------------------------------------- vocabulary

NOUNS = (
    "user account invoice order payment customer session report ledger shipment product cart "
    "item inventory warehouse address profile tenant subscription plan event message queue job "
    "task schedule metric alert notification webhook refund discount coupon catalog price tax "
    "region currency document attachment comment review rating search index cache record batch "
    "export audit policy permission role group team project workspace build release deployment "
    "artifact vendor supplier contract quote receipt transfer balance statement channel device"
).split()
VERBS = (
    "get fetch load save update delete create build parse validate render sync merge apply compute "
    "resolve format normalize publish consume enqueue dispatch handle process register refresh "
    "archive restore export filter sort collect encode decode reconcile schedule notify"
).split()
ADJS = "active pending default primary remote local cached legacy public current next raw final partial batched".split()
PROSE = (
    "the a an this that each every service request response client server data value field "
    "should must can will may returns accepts stores reads writes updates handles uses when if "
    "before after during while because so and or but not only also then first next finally "
    "configuration environment deployment cluster database table column migration schema release "
    "version feature flag rollout team owner on-call runbook dashboard latency throughput error "
    "retry timeout limit quota cache key index query worker job queue batch stream event topic"
).split()
FIRST = "alice bob carol dave erin frank grace heidi ivan judy mallory niaj olivia peggy rupert sybil trent victor walter".split()
LAST = "smith jones brown taylor wilson davies evans thomas johnson roberts walker wright thompson white hughes".split()
REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-2"]
DB_HOSTS = ["localhost", "127.0.0.1", "db", "postgres"]


def _rand(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choices(alphabet, k=n))


def fake(prefix: str, alphabet: str, length: int, rng: random.Random) -> str:
    """A fake credential: a documented prefix plus random characters of its alphabet."""
    return prefix + _rand(rng, alphabet, length)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _hex(rng: random.Random, nbytes: int) -> str:
    return rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big").hex()


def _b64(rng: random.Random, nbytes: int) -> str:
    return base64.b64encode(rng.randbytes(nbytes)).decode()


def _ver(rng: random.Random) -> str:
    return f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"


def _sentence(rng: random.Random, lo: int = 7, hi: int = 18) -> str:
    words = rng.choices(PROSE, k=rng.randint(lo, hi))
    return " ".join(words).capitalize() + "."


def _words(rng: random.Random) -> dict[str, object]:
    noun, noun2, noun3 = rng.sample(NOUNS, 3)
    verb, verb2 = rng.sample(VERBS, 2)
    adj = rng.choice(ADJS)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return {
        "noun": noun, "Noun": noun.capitalize(), "NOUN": noun.upper(),
        "noun2": noun2, "Noun2": noun2.capitalize(), "NOUN2": noun2.upper(),
        "noun3": noun3, "Noun3": noun3.capitalize(),
        "verb": verb, "Verb": verb.capitalize(), "verb2": verb2, "Verb2": verb2.capitalize(),
        "adj": adj, "Adj": adj.capitalize(), "ADJ": adj.upper(),
        "n": rng.randint(2, 500), "n2": rng.randint(1, 60), "n3": rng.randint(100, 9999),
        "ms": rng.choice([100, 250, 500, 1000, 2500, 5000, 30000]),
        "region": rng.choice(REGIONS), "uuid": _uuid(rng), "ver": _ver(rng),
        "email": f"{first}.{last}@example.com", "name": f"{first.capitalize()} {last.capitalize()}",
        "sentence": _sentence(rng), "sentence2": _sentence(rng), "hex8": _hex(rng, 4),
        "amount": f"{rng.randint(1, 99999) / 100:.2f}", "year": rng.randint(2015, 2025),
        "day": f"{rng.randint(1, 28):02d}", "month": f"{rng.randint(1, 12):02d}",
        "svc": f"{noun3}-{rng.choice(NOUNS)}",
    }


_FMT_CACHE: dict[str, str] = {}


def fill(template: str, values: Mapping[str, object]) -> str:
    """Replace <<key>> markers; templates hold code, so braces stay literal."""
    fmt = _FMT_CACHE.get(template)
    if fmt is None:
        fmt = re.sub(r"<<(\w+)>>", r"{\1}", template.replace("{", "{{").replace("}", "}}"))
        _FMT_CACHE[template] = fmt
    return fmt.format(**values)


# Per-file variation markers in filler chunks: snake, Camel and UPPER suffixes.
def _vary(chunk: str, tag: str) -> str:
    if "@" not in chunk:
        return chunk
    return chunk.replace("@s@", "_" + tag).replace("@C@", tag.capitalize()).replace("@S@", "_" + tag.upper())


# ----------------------------------------------------------------------------- filler templates

PY_HEADER = '''"""<<Noun>> and <<noun2>> helpers for the <<svc>> service."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable

from <<svc>>.<<pkg>> import <<noun>>_store, <<noun2>>_client
from <<svc>>.errors import NotFoundError, ValidationError

log = logging.getLogger(__name__)

'''
PY_CHUNKS = [
    '''
def <<verb>>_<<noun>>@s@(<<noun>>_id: str, *, <<adj>>: bool = False, limit: int = <<n>>) -> dict[str, Any]:
    """<<Verb>> the <<noun>> with the given id and return a summary of its <<noun2>>s."""
    record = <<noun>>_store.get(<<noun>>_id)
    if record is None:
        log.warning("%s %s not found", "<<noun>>", <<noun>>_id)
        raise NotFoundError(<<noun>>_id)
    items = [i for i in record.<<noun2>>s if i.<<adj>>] if <<adj>> else list(record.<<noun2>>s)
    total = sum(i.amount for i in items[:limit])
    log.debug("<<verb>> <<noun>>: %d items, total=%s", len(items), total)
    return {"id": <<noun>>_id, "count": len(items), "total": total, "status": record.status}
''',
    '''
class <<Noun>><<Noun2>>@C@Service:
    """Coordinates <<noun>> and <<noun2>> updates. <<sentence>>"""

    def __init__(self, client: "<<Noun2>>Client", retries: int = <<n2>>) -> None:
        self._client = client
        self._retries = retries
        self._cache: dict[str, Any] = {}

    def <<verb>>(self, key: str) -> Any | None:
        if key in self._cache:
            return self._cache[key]
        for attempt in range(self._retries):
            try:
                value = self._client.<<verb2>>_<<noun>>(key, timeout=<<ms>> / 1000)
            except TimeoutError:
                log.info("retry %d for %s", attempt + 1, key)
                continue
            self._cache[key] = value
            return value
        return None

    def clear(self) -> None:
        self._cache.clear()
''',
    '''
@dataclass(frozen=True)
class <<Noun>>@C@<<Noun2>>:
    """<<sentence>>"""

    id: str
    <<noun2>>_id: str
    amount: float = 0.0
    currency: str = "EUR"
    tags: tuple[str, ...] = ()
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def to_json(self) -> str:
        return json.dumps({"id": self.id, "<<noun2>>_id": self.<<noun2>>_id, "amount": self.amount})
''',
    '''
def test_<<verb>>_<<noun>>_<<adj>>@s@(<<noun>>_factory, <<noun2>>_client):
    <<noun>> = <<noun>>_factory(amount=<<amount>>, region="<<region>>")
    result = <<verb>>_<<noun>>(<<noun>>.id, limit=<<n2>>)
    assert result["id"] == <<noun>>.id
    assert result["count"] >= 0
    <<noun2>>_client.assert_called_once()
''',
    '''
<<NOUN>>_<<ADJ>>_DEFAULTS@S@ = {
    "timeout_ms": <<ms>>,
    "max_<<noun>>s": <<n3>>,
    "region": "<<region>>",
    "owner": "<<email>>",
    "retry": {"attempts": <<n2>>, "backoff": 1.5},
}
''',
    '''
def <<verb2>>_<<noun2>>s@s@(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        if not row.get("<<noun>>_id"):
            raise ValidationError("missing <<noun>>_id")
        row = {**row, "<<noun2>>": row.get("<<noun2>>", "").strip().lower()}
        if row.get("<<adj>>"):
            out.append(row)
    out.sort(key=lambda r: (r["<<noun>>_id"], r.get("created_at", "")))
    return out
''',
]

JS_HEADER = """// <<Noun>> <<noun2>> module for the <<app>> app.
import { <<verb>><<Noun>> } from '../api/<<noun>>';
import { logger } from '../utils/logger';

"""
JS_CHUNKS = [
    """
export async function <<verb>><<Noun>>@C@(<<noun>>Id, { limit = <<n>>, <<adj>> = false } = {}) {
  const res = await fetch(`/api/v1/<<noun>>s/${<<noun>>Id}/<<noun2>>s?limit=${limit}`, {
    headers: { Accept: 'application/json' },
  });
  if (!res.ok) {
    logger.warn('<<verb>> <<noun>> failed', { status: res.status, <<noun>>Id });
    throw new Error(`HTTP ${res.status}`);
  }
  const body = await res.json();
  return <<adj>> ? body.items.filter((i) => i.<<adj>>) : body.items;
}
""",
    """
export class <<Noun>><<Noun2>>@C@Store {
  constructor(client, ttlMs = <<ms>>) {
    this.client = client;
    this.ttlMs = ttlMs;
    this.cache = new Map();
  }

  async <<verb>>(key) {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = await this.client.<<verb2>><<Noun>>(key);
    this.cache.set(key, { value, at: Date.now() });
    return value;
  }
}
""",
    """
const <<noun>><<Noun2>>Reducer@C@ = (state = { items: [], loading: false }, action) => {
  switch (action.type) {
    case '<<NOUN>>/<<verb>>/pending':
      return { ...state, loading: true };
    case '<<NOUN>>/<<verb>>/fulfilled':
      return { ...state, loading: false, items: action.payload.slice(0, <<n>>) };
    default:
      return state;
  }
};
""",
    """
export const <<noun>>Columns@C@ = [
  { key: 'id', title: 'ID', width: <<n2>> },
  { key: '<<noun2>>', title: '<<Noun2>>', sortable: true },
  { key: 'amount', title: 'Amount', format: (v) => v.toFixed(2) },
  { key: 'updatedAt', title: 'Updated', format: (v) => new Date(v).toLocaleString() },
];
""",
]

TS_CHUNKS = [
    """
export interface <<Noun>><<Noun2>>@C@ {
  id: string;
  <<noun2>>Id: string;
  amount: number;
  status: '<<adj>>' | 'archived' | 'failed';
  createdAt: string;
}
""",
    """
export function <<verb>><<Noun>>@C@(items: <<Noun>>[], limit = <<n>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items.slice(0, limit)) {
    out[item.<<noun2>>Id] = (out[item.<<noun2>>Id] ?? 0) + item.amount;
  }
  return out;
}
""",
    """
export const <<Noun>>Card@C@: React.FC<{ <<noun>>: <<Noun>>; on<<Verb>>?: () => void }> = ({ <<noun>>, on<<Verb>> }) => {
  const [open, setOpen] = useState(false);
  return (
    <div className="<<noun>>-card" onClick={() => setOpen(!open)}>
      <h3>{<<noun>>.id}</h3>
      {open && <p>{<<noun>>.status}</p>}
      <button onClick={on<<Verb>>}><<Verb>></button>
    </div>
  );
};
""",
] + JS_CHUNKS

JAVA_HEADER = """package com.example.<<module>>.<<pkg>>;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** <<sentence>> */
public class <<Class>> {

    private static final Logger LOG = LoggerFactory.getLogger(<<Class>>.class);
"""
JAVA_CHUNKS = [
    """
    public Optional<<<Noun>>> <<verb>><<Noun>>@C@(String <<noun>>Id) {
        if (<<noun>>Id == null || <<noun>>Id.isBlank()) {
            throw new IllegalArgumentException("<<noun>>Id is required");
        }
        LOG.debug("<<verb>> <<noun>> {}", <<noun>>Id);
        return repository.findById(<<noun>>Id).filter(<<Noun>>::is<<Adj>>);
    }
""",
    """
    public List<<<Noun2>>> <<verb2>><<Noun2>>s@C@(List<<<Noun>>> <<noun>>s, int limit) {
        List<<<Noun2>>> out = new ArrayList<>();
        for (<<Noun>> item : <<noun>>s) {
            if (out.size() >= limit) {
                break;
            }
            out.addAll(item.get<<Noun2>>s());
        }
        LOG.info("collected {} <<noun2>>s", out.size());
        return out;
    }
""",
    """
    private double total<<Noun>>@C@(Map<String, Double> amounts) {
        return amounts.values().stream()
                .filter(v -> v != null && v > 0)
                .mapToDouble(Double::doubleValue)
                .sum();
    }
""",
    """
    public String get<<Noun>><<Noun2>>@C@() {
        return this.<<noun>><<Noun2>>;
    }

    public void set<<Noun>><<Noun2>>@C@(String value) {
        this.<<noun>><<Noun2>> = value;
        this.updatedAt = Instant.now();
    }
""",
]

GO_HEADER = """// Package <<pkg>> handles <<noun>> and <<noun2>> processing.
package <<pkg>>

import (
	"context"
	"errors"
	"fmt"
	"time"
)

"""
GO_CHUNKS = [
    """
// <<Verb>><<Noun>>@C@ <<verb>>s a <<noun>> and its <<noun2>>s.
func (s *Service) <<Verb>><<Noun>>@C@(ctx context.Context, id string) (*<<Noun>>, error) {
	ctx, cancel := context.WithTimeout(ctx, <<ms>>*time.Millisecond)
	defer cancel()
	n, err := s.store.Get<<Noun>>(ctx, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("<<noun>> %s: %w", id, err)
		}
		return nil, err
	}
	return n, nil
}
""",
    """
// <<Noun>><<Noun2>>@C@ is a <<noun>> row joined with its <<noun2>>.
type <<Noun>><<Noun2>>@C@ struct {
	ID        string    `json:"id"`
	<<Noun2>>ID string    `json:"<<noun2>>_id"`
	Amount    float64   `json:"amount"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}
""",
    """
func <<verb2>><<Noun2>>s@C@(items []<<Noun>>, limit int) map[string]float64 {
	out := make(map[string]float64, len(items))
	for i, it := range items {
		if i >= limit {
			break
		}
		out[it.<<Noun2>>ID] += it.Amount
	}
	return out
}
""",
]

YAML_CHUNKS = [
    """---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: <<svc>>-<<noun>>@s@
  labels:
    app: <<svc>>
    component: <<noun>>
spec:
  replicas: <<n2>>
  selector:
    matchLabels:
      app: <<svc>>
  template:
    spec:
      containers:
        - name: <<noun>>
          image: registry.example.com/<<svc>>/<<noun>>:<<ver>>
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: <<NOUN>>_TIMEOUT_MS
              value: "<<ms>>"
          resources:
            limits: {cpu: 500m, memory: 512Mi}
""",
    """
<<noun>>_<<noun2>>@s@:
  enabled: true
  region: <<region>>
  batch_size: <<n>>
  timeout_ms: <<ms>>
  owner: <<email>>
  retry:
    attempts: <<n2>>
    backoff: exponential
""",
    """
  <<verb>>-<<noun>>@s@:
    runs-on: ubuntu-latest
    needs: [build]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install -e '.[test]'
      - run: pytest -q tests/<<noun>>
""",
]

MD_CHUNKS = [
    """
## <<Verb>> <<noun>>s

<<sentence>> <<sentence2>>

- <<sentence>>
- Set `<<NOUN>>_TIMEOUT_MS` to <<ms>> for <<adj>> <<noun2>>s.
- Owner: <<name>> (<<email>>)
""",
    """
### Running locally

```bash
make <<noun>>@s@
kubectl -n <<svc>> rollout status deploy/<<svc>>-<<noun>>
curl -s localhost:8080/api/v1/<<noun>>s | jq '.items | length'
```

<<sentence>>
""",
    """
| <<Noun>> | <<Noun2>> | Limit | Notes |
|---|---|---|---|
| `<<adj>>` | `<<noun3>>` | <<n>> | <<sentence>> |
| `default` | `<<noun2>>` | <<n2>> | <<sentence2>> |
""",
]

JSON_CHUNKS = [
    """  {"id": "<<uuid>>", "<<noun>>": "<<noun2>>@s@", "amount": <<amount>>, "currency": "EUR", "status": "<<adj>>", "owner": "<<email>>", "created_at": "<<year>>-<<month>>-<<day>>T10:00:00Z"},
""",
    """  {
    "id": "<<uuid>>",
    "type": "<<noun>>.<<verb>>d",
    "region": "<<region>>",
    "attributes": {"<<noun2>>_count": <<n>>, "<<adj>>": true, "etag": "<<hex8>>"},
    "links": {"self": "/api/v1/<<noun>>s/<<uuid>>"}
  },
""",
]

MIN_STATEMENTS = [
    "function <<a>>(<<b>>,<<c>>){return <<b>>&&<<b>>.<<noun>>?<<c>>(<<b>>.<<noun>>):null}",
    "var <<a>>=<<b>>(<<n>>),<<c>>=<<b>>.n(<<a>>);",
    "<<a>>.prototype.<<verb>><<Noun>>=function(<<b>>){this._<<noun>>=<<b>>;return this};",
    '!function(<<a>>){"use strict";<<a>>.<<noun>>=<<a>>.<<noun>>||{},<<a>>.<<noun>>.<<verb>>=function(){}}(window);',
    "const <<a>>=[<<n>>,<<n2>>,<<n3>>,<<ms>>];",
    '<<a>>.exports={<<noun>>:"<<noun2>>",<<verb>>:function(<<b>>){return <<b>>.<<noun2>>}};',
    'function <<a>>(<<b>>){if(!<<b>>)throw new Error("<<Verb>> <<noun>> failed: "+<<b>>);return <<b>>}',
    "<<a>>=<<b>>.filter(function(<<c>>){return <<c>>.<<adj>>}).map(function(<<c>>){return <<c>>.id});",
    'var <<a>>={<<noun>>:"<<sentence>>",<<noun2>>:"<<sentence2>>"};',
    "for(var <<a>>=0;<<a>><<<b>>.length;<<a>>++)<<c>>[<<b>>[<<a>>].id]=<<b>>[<<a>>];",
    'try{<<a>>=JSON.parse(<<b>>)}catch(<<c>>){<<a>>={error:"<<noun>>"}}',
]


# ----------------------------------------------------------------------------- planted items

# Each kind: a value maker and templates per language family. A template holds exactly one
# value marker: <<v>> (raw), <<vj>> (JSON-escaped), <<v2>>/<<v8>> (continuation lines
# indented by 2/8 spaces). Other markers: <<name>>, <<user>>, <<db>>, <<host>>.
FAMILY = {
    "python": "py", "javascript": "js", "typescript": "js", "java": "java", "go": "go",
    "yaml": "yaml", "json": "json", "markdown": "md", "minified": "min", "keyfile": "key",
}

T_AWS_ID = {
    "py": ['AWS_ACCESS_KEY_ID = "<<v>>"\n', 'os.environ.setdefault("AWS_ACCESS_KEY_ID", "<<v>>")\n'],
    "js": ["const awsAccessKeyId = '<<v>>';\n"],
    "java": ['    private static final String AWS_ACCESS_KEY_ID = "<<v>>";\n'],
    "go": ['const awsAccessKeyID = "<<v>>"\n'],
    "yaml": ["aws_access_key_id: <<v>>\n", 'AWS_ACCESS_KEY_ID: "<<v>>"\n'],
    "json": ['  {"name": "<<name>>", "AccessKeyId": "<<v>>"},\n'],
    "md": ["\n```ini\n[default]\naws_access_key_id = <<v>>\n```\n"],
}
T_GITHUB = {
    "py": ['GITHUB_TOKEN = "<<v>>"\n'],
    "js": ["const githubToken = '<<v>>';\n"],
    "java": ['    private static final String GITHUB_TOKEN = "<<v>>";\n'],
    "go": ['const githubToken = "<<v>>"\n'],
    "yaml": ["github_token: <<v>>\n"],
    "json": ['  {"name": "<<name>>", "github_token": "<<v>>"},\n'],
    "md": ["\n```bash\nexport GITHUB_TOKEN=<<v>>\n```\n"],
    "min": ['window.__GH__={token:"<<v>>"};\n'],
}
T_SLACK = {
    "py": ['SLACK_BOT_TOKEN = "<<v>>"\n'],
    "js": ["const slackBotToken = '<<v>>';\n"],
    "go": ['const slackBotToken = "<<v>>"\n'],
    "yaml": ["slack_bot_token: <<v>>\n"],
    "json": ['  {"name": "<<name>>", "slack_token": "<<v>>"},\n'],
    "md": ["\n```bash\nexport SLACK_BOT_TOKEN=<<v>>\n```\n"],
    "min": ['var slackCfg={botToken:"<<v>>"};\n'],
}
T_STRIPE = {
    "py": ['stripe.api_key = "<<v>>"\n'],
    "js": ["const stripe = require('stripe')('<<v>>');\n"],
    "java": ['    private static final String STRIPE_SECRET_KEY = "<<v>>";\n'],
    "yaml": ["stripe_secret_key: <<v>>\n"],
    "json": ['  {"name": "<<name>>", "stripe_key": "<<v>>"},\n'],
    "min": ['window.__PAY__={stripeKey:"<<v>>"};\n'],
}
T_PEM = {
    "py": ['PRIVATE_KEY = """<<v>>\n"""\n'],
    "js": ["const privateKey = `<<v>>\n`;\n"],
    "java": ['    private static final String PRIVATE_KEY = """\n        <<v8>>\n        """;\n'],
    "go": ["const privateKeyPEM = `<<v>>\n`\n"],
    "yaml": ["tls_private_key: |\n  <<v2>>\n"],
    "json": ['  {"type": "service_account", "client_email": "<<user>>@example.com", "private_key": "<<vj>>\\n"},\n'],
    "md": ["\n```\n<<v>>\n```\n"],
    "key": ["<<v>>\n"],
}
T_POSTGRES = {
    "py": ['DATABASE_URL = "postgresql://<<user>>:<<v>>@<<host>>:5432/<<db>>"\n'],
    "js": ["const databaseUrl = 'postgres://<<user>>:<<v>>@<<host>>:5432/<<db>>';\n"],
    "java": ['    private static final String DB_URL = "postgresql://<<user>>:<<v>>@<<host>>:5432/<<db>>";\n'],
    "go": ['const dsn = "postgres://<<user>>:<<v>>@<<host>>:5432/<<db>>?sslmode=disable"\n'],
    "yaml": ["database_url: postgresql://<<user>>:<<v>>@<<host>>:5432/<<db>>\n"],
    "json": ['  {"name": "<<name>>", "database_url": "postgres://<<user>>:<<v>>@<<host>>:5432/<<db>>"},\n'],
    "md": ["\n```bash\npsql postgresql://<<user>>:<<v>>@<<host>>:5432/<<db>>\n```\n"],
}
T_API_KEY = {
    "py": ['api_key = "<<v>>"\n', 'API_KEY = "<<v>>"\n'],
    "js": ['export const apiKey = "<<v>>";\n', 'const api_key = "<<v>>";\n'],
    "java": ['    private static final String API_KEY = "<<v>>";\n'],
    "go": ['const apiKey = "<<v>>"\n'],
    "yaml": ['api_key: "<<v>>"\n'],
    "json": ['  {"name": "<<name>>", "api_key": "<<v>>"},\n'],
    "md": ['\n```python\napi_key = "<<v>>"\n```\n'],
    "min": ['window.__APP_CONFIG__={apiKey:"<<v>>",env:"production"};\n'],
}
T_UUID = {
    "py": ['DEFAULT_TENANT_ID = "<<v>>"\n', 'request_id = "<<v>>"\n'],
    "js": ["const tenantId = '<<v>>';\n"],
    "java": ['    private static final String TENANT_ID = "<<v>>";\n'],
    "go": ['const defaultTenantID = "<<v>>"\n'],
    "yaml": ["tenant_id: <<v>>\n", 'client_id: "<<v>>"\n'],
    "json": ['  {"name": "<<name>>", "tenant_id": "<<v>>"},\n'],
}
T_DIGEST = {
    "py": ['EXPECTED_SHA256 = "<<v>>"\n'],
    "js": ["const bundleSha256 = '<<v>>';\n"],
    "go": ['const archiveSHA256 = "<<v>>"\n'],
    "yaml": ["checksum: sha256:<<v>>\n"],
    "json": ['  {"name": "<<name>>", "sha256": "<<v>>"},\n'],
    "md": ["\n```\nsha256sum: <<v>>  release.tar.gz\n```\n"],
}
T_PUBKEY = {
    "py": ['PUBLIC_KEY = """<<v>>\n"""\n'],
    "js": ["const publicKey = `<<v>>\n`;\n"],
    "go": ["const publicKeyPEM = `<<v>>\n`\n"],
    "yaml": ["jwt_public_key: |\n  <<v2>>\n"],
    "md": ["\n```\n<<v>>\n```\n"],
}


def _pem(rng: random.Random, label: str, der_len: int, der_prefix: bytes) -> str:
    body = base64.b64encode(der_prefix + rng.randbytes(der_len - len(der_prefix))).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"])


def _slack(rng: random.Random) -> str:
    return (_SLACK_PREFIX + _rand(rng, DIGITS, rng.randint(10, 13)) + "-"
            + _rand(rng, DIGITS, rng.randint(10, 13)) + "-" + _rand(rng, ALNUM, 24))


@dataclass(frozen=True)
class Kind:
    name: str
    positive: bool
    make: Callable[[random.Random], str]
    templates: dict[str, list[str]]


POSITIVE_KINDS = [
    Kind("aws-access-key-id", True, lambda r: fake(_AWS_PREFIX, UPPER_B32, 16, r), T_AWS_ID),
    Kind("github-pat", True, lambda r: fake(_GH_PREFIX, ALNUM, 36, r), T_GITHUB),
    Kind("slack-bot-token", True, _slack, T_SLACK),
    Kind("stripe-live-secret", True, lambda r: fake(_STRIPE_PREFIX, ALNUM, 24, r), T_STRIPE),
    # PKCS#1 RSA-2048 DER starts 30 82 04 a4 02 01 00 02 82 01 01 00: "MIIEpAIBAAKCAQEA..."
    Kind("rsa-private-key", True, lambda r: _pem(r, _PEM_RSA, 1192, bytes.fromhex("308204a40201000282010100")), T_PEM),
    Kind("postgres-url-password", True, lambda r: _rand(r, ALNUM, 20), T_POSTGRES),
    Kind("generic-api-key", True, lambda r: _rand(r, ALNUM, 40), T_API_KEY),
]

_API_PLACEHOLDERS = ["${API_KEY}", "{{ .Values.apiKey }}", "<your-api-key>", "your_api_key_here", "%(api_key)s", "${{ secrets.API_KEY }}"]

NEGATIVE_KINDS = [
    Kind("aws-doc-example-key", False, lambda r: _AWS_DOC_KEY_ID, T_AWS_ID),
    Kind("aws-key-id-too-short", False, lambda r: fake(_AWS_PREFIX, UPPER_B32, 10, r), T_AWS_ID),
    Kind("github-placeholder", False, lambda r: _GH_PREFIX + r.choice("xX") * 36, T_GITHUB),
    Kind("slack-placeholder", False, lambda r: _SLACK_PREFIX + "0" * 10 + "-" + "0" * 12 + "-" + "x" * 24, T_SLACK),
    Kind("stripe-placeholder", False, lambda r: _STRIPE_PREFIX + r.choice("xX*") * 24, T_STRIPE),
    Kind("api-key-template", False, lambda r: r.choice(_API_PLACEHOLDERS), T_API_KEY),
    Kind("postgres-password-template", False, lambda r: r.choice(["${POSTGRES_PASSWORD}", "${DB_PASSWORD}", "$(DB_PASS)"]), T_POSTGRES),
    Kind("uuid", False, _uuid, T_UUID),
    Kind("sha256-in-code", False, lambda r: _hex(r, 32), T_DIGEST),
    # SubjectPublicKeyInfo for RSA-2048 is 294 bytes and starts 30 82 01 22 30 0d: "MIIBIjAN..."
    Kind("public-key-pem", False, lambda r: _pem(r, _PEM_PUB, 294, bytes.fromhex("30820122300d06092a864886f70d01010105000382010f00")), T_PUBKEY),
    # Picked from the hash lines of generated lock files rather than inserted.
    Kind("lockfile-sha256", False, lambda r: "", {}),
    Kind("lockfile-integrity", False, lambda r: "", {}),
]
LOCK_PICK = {"lockfile-sha256": ("poetry.lock", "Cargo.lock", "Pipfile.lock"),
             "lockfile-integrity": ("package-lock.json", "yarn.lock")}
_LOCK_LINE = {
    "lockfile-sha256": re.compile(r"(?:sha256:|checksum = \")([0-9a-f]{64})"),
    "lockfile-integrity": re.compile(r"(sha512-[A-Za-z0-9+/]{86}==)"),
}


@dataclass
class _Insert:
    kind: str
    positive: bool
    text: str
    value: str
    offset: int  # line of the value within text (0-based)
    span: int  # extra lines the value covers


def _render(kind: Kind, family: str, rng: random.Random) -> _Insert:
    value = kind.make(rng)
    template = rng.choice(kind.templates[family])
    marker = re.search(r"<<(v|vj|v2|v8)>>", template)
    assert marker is not None, template
    shown = {"v": value, "vj": json.dumps(value)[1:-1], "v2": value.replace("\n", "\n  "),
             "v8": value.replace("\n", "\n        ")}[marker.group(1)]
    ctx = {"name": rng.choice(NOUNS) + "-" + rng.choice(NOUNS), "user": rng.choice(["app", "svc", "admin", "etl", "api"]),
           "db": rng.choice(NOUNS) + "s", "host": rng.choice(DB_HOSTS), marker.group(1): shown}
    text = fill(template, ctx)
    offset = template[: marker.start()].count("\n")
    return _Insert(kind.name, kind.positive, text, value, offset, shown.count("\n"))


# ----------------------------------------------------------------------------- plan


@dataclass
class _File:
    path: str
    category: str
    target: int
    seed: int
    inserts: list[_Insert] = field(default_factory=list)
    picks: list[str] = field(default_factory=list)  # negative kinds to pick from lock lines


# category: (share of bytes, size sampler)
def _lognorm(median: int, sigma: float, lo: int, hi: int) -> Callable[[random.Random], int]:
    return lambda r: int(min(hi, max(lo, r.lognormvariate(math.log(median), sigma))))


CATEGORIES: dict[str, tuple[float, Callable[[random.Random], int]]] = {
    "python": (0.20, _lognorm(11000, 0.8, 600, 150_000)),
    "javascript": (0.10, _lognorm(9000, 0.8, 500, 120_000)),
    "typescript": (0.10, _lognorm(8000, 0.8, 500, 120_000)),
    "java": (0.13, _lognorm(12000, 0.7, 800, 150_000)),
    "go": (0.10, _lognorm(10000, 0.7, 600, 120_000)),
    "yaml": (0.05, _lognorm(3000, 0.9, 300, 60_000)),
    "json": (0.08, _lognorm(18000, 1.0, 500, 800_000)),
    "markdown": (0.05, _lognorm(6000, 0.8, 500, 60_000)),
    "minified": (0.07, lambda r: r.randint(150_000, 1_500_000)),
    "lockfile": (0.07, lambda r: r.randint(120_000, 1_200_000)),
    "blob": (0.05, lambda r: r.randint(20_000, 600_000)),
}


class _Paths:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.svcs = self._names(24)
        self.apps = [s.replace("_", "-") for s in self._names(8)]
        self.modules = [s.replace("_", "") for s in self._names(10)]
        self.gosvcs = [s.replace("_", "") for s in self._names(10)]
        self.crates = [s.replace("_", "-") for s in self._names(6)]

    def _names(self, n: int) -> list[str]:
        out: set[str] = set()
        while len(out) < n:
            out.add(self.rng.choice(NOUNS) + "_" + self.rng.choice(NOUNS + ADJS))
        return sorted(out)

    def unique(self, path: str) -> str:
        if path not in self.used:
            self.used.add(path)
            return path
        stem, dot, ext = path.rpartition(".")
        if "/" in ext or not dot:
            stem, ext = path, ""
        n = 2
        while f"{stem}_{n}{'.' + ext if ext else ''}" in self.used:
            n += 1
        path = f"{stem}_{n}{'.' + ext if ext else ''}"
        self.used.add(path)
        return path

    def unique_dir(self, base: str, name: str) -> str:
        n = 1
        while True:
            d = base if n == 1 else f"{base}-{n}"
            if f"{d}/{name}" not in self.used:
                self.used.add(f"{d}/{name}")
                return f"{d}/{name}"
            n += 1

    def for_category(self, cat: str) -> str:
        r = self.rng
        w = f"{r.choice(VERBS)}_{r.choice(NOUNS)}"
        noun = r.choice(NOUNS)
        if cat == "python":
            svc = r.choice(self.svcs)
            if r.random() < 0.2:
                return self.unique(f"services/{svc}/tests/test_{w}.py")
            return self.unique(f"services/{svc}/src/{svc}/{r.choice(['api', 'core', 'models', 'jobs', 'adapters'])}/{w}.py")
        if cat in ("javascript", "typescript"):
            app = r.choice(self.apps)
            d = r.choice(["components", "hooks", "utils", "services", "store", "api", "pages"])
            if cat == "javascript":
                return self.unique(f"web/{app}/src/{d}/{w.replace('_', '-')}.js")
            ext = "tsx" if d in ("components", "pages") else "ts"
            return self.unique(f"web/{app}/src/{d}/{noun.capitalize()}{r.choice(NOUNS).capitalize()}.{ext}")
        if cat == "java":
            m = r.choice(self.modules)
            pkg = r.choice(["service", "api", "domain", "repository", "config"])
            cls = f"{noun.capitalize()}{r.choice(NOUNS).capitalize()}{r.choice(['Service', 'Controller', 'Mapper', 'Handler', 'Client'])}"
            side = "test" if r.random() < 0.15 else "main"
            return self.unique(f"java/{m}/src/{side}/java/com/example/{m}/{pkg}/{cls}{'Test' if side == 'test' else ''}.java")
        if cat == "go":
            s = r.choice(self.gosvcs)
            return self.unique(f"go/{s}/internal/{r.choice(['store', 'handler', 'worker', 'billing', 'auth'])}/{w}.go")
        if cat == "yaml":
            svc = r.choice(self.svcs)
            return self.unique(r.choice([f"deploy/k8s/{svc}/{noun}.yaml", f"config/{svc}/{r.choice(['dev', 'staging', 'prod'])}-{noun}.yaml",
                                         f".github/workflows/{w.replace('_', '-')}.yml", f"deploy/compose/{svc}-{noun}.yml"]))
        if cat == "json":
            svc = r.choice(self.svcs)
            return self.unique(r.choice([f"fixtures/{svc}/{w}.json", f"config/{svc}/{noun}.json"]))
        if cat == "markdown":
            return self.unique(r.choice([f"docs/{r.choice(['guides', 'adr', 'runbooks', 'api'])}/{w.replace('_', '-')}.md",
                                         f"services/{r.choice(self.svcs)}/docs/{noun}.md"]))
        if cat == "minified":
            app = r.choice(self.apps)
            return self.unique(r.choice([f"web/{app}/public/vendor/{noun}-{r.choice(NOUNS)}.min.js",
                                         f"web/{app}/dist/assets/{noun}.{_hex(r, 4)}.js"]))
        if cat == "lockfile":
            kind = r.choice(["package-lock.json", "yarn.lock", "poetry.lock", "Pipfile.lock", "Cargo.lock", "go.sum"])
            base = {"package-lock.json": f"web/{r.choice(self.apps)}", "yarn.lock": f"web/{r.choice(self.apps)}",
                    "poetry.lock": f"services/{r.choice(self.svcs)}", "Pipfile.lock": f"services/{r.choice(self.svcs)}",
                    "Cargo.lock": f"rust/{r.choice(self.crates)}", "go.sum": f"go/{r.choice(self.gosvcs)}"}[kind]
            return self.unique_dir(base, kind)
        if cat == "blob":
            svc = r.choice(self.svcs)
            return self.unique(r.choice([f"fixtures/{svc}/payloads/{w}.json", f"web/{r.choice(self.apps)}/src/assets/{noun}-icons.css",
                                         f"services/{svc}/tests/data/{w}.b64"]))
        if cat == "keyfile":
            return self.unique(f"deploy/secrets/{r.choice(self.svcs)}/{noun}.pem")
        raise ValueError(cat)


def _plan(spec: Spec) -> list[_File]:
    rng = random.Random(f"reposcrub-bench-corpus:{spec.seed}")
    paths = _Paths(rng)
    total = spec.size_mb * MB
    files: list[_File] = []
    for cat, (share, size) in CATEGORIES.items():
        budget = int(total * share) + 1
        while budget > 0:
            target = size(rng)
            files.append(_File(paths.for_category(cat), cat, target, rng.getrandbits(64)))
            budget -= target

    # Planted items, spread over the categories that can hold each kind.
    by_family: dict[str, list[_File]] = defaultdict(list)
    for f in files:
        by_family[FAMILY.get(f.category, "")].append(f)
    n_pos = max(3, round(spec.size_mb / 4))
    n_neg = max(2, round(spec.size_mb / 8))
    keyfiles = 0
    for kind in POSITIVE_KINDS + NEGATIVE_KINDS:
        count = n_pos if kind.positive else n_neg
        if kind.name in LOCK_PICK:
            pool = [f for f in files if f.category == "lockfile" and f.path.rsplit("/", 1)[-1] in LOCK_PICK[kind.name]]
            for _ in range(count if pool else 0):
                rng.choice(pool).picks.append(kind.name)
            continue
        families = sorted(kind.templates)
        start = rng.randrange(len(families))
        for i in range(count):
            family = families[(start + i) % len(families)]
            if family == "key":
                f = _File(paths.for_category("keyfile"), "keyfile", 0, rng.getrandbits(64))
                files.append(f)
                keyfiles += 1
            else:
                f = rng.choice(by_family[family])
            f.inserts.append(_render(kind, family, rng))
    return files


# ----------------------------------------------------------------------------- builders


class _Pools:
    """Filler chunks per family, generated once per tree and reused with variation."""

    def __init__(self, rng: random.Random, size: int = 300) -> None:
        def pool(templates: list[str]) -> list[str]:
            return [fill(rng.choice(templates), _words(rng)) for _ in range(size)]

        self.py = pool(PY_CHUNKS)
        self.js = pool(JS_CHUNKS)
        self.ts = pool(TS_CHUNKS)
        self.java = pool(JAVA_CHUNKS)
        self.go = pool(GO_CHUNKS)
        self.yaml = pool(YAML_CHUNKS)
        self.md = pool(MD_CHUNKS)
        self.json = pool(JSON_CHUNKS)
        self.min = []
        for _ in range(size * 10):
            vals = _words(rng)
            vals.update(a=_rand(rng, "abcdefghijklmnopqrstuvwxyz", rng.randint(1, 2)),
                        b=rng.choice("eotnri"), c=rng.choice("sualcd"))
            self.min.append(fill(rng.choice(MIN_STATEMENTS), vals))


def _assemble(rng: random.Random, f: _File, header: str, pool: list[str], footer: str,
              tag: str, lines_of: Callable[[list[str]], list[str]] | None = None) -> tuple[str, list[Planted]]:
    chunks: list[str] = []
    size = len(header) + len(footer)
    while size < f.target:
        c = _vary(rng.choice(pool), tag)
        chunks.append(c)
        size += len(c)
    if lines_of is not None:
        chunks = lines_of(chunks)
    slots: dict[int, list[_Insert]] = defaultdict(list)
    for ins in f.inserts:
        slots[rng.randint(0, len(chunks))].append(ins)
    parts = [header]
    nl = header.count("\n")
    planted: list[Planted] = []
    for i in range(len(chunks) + 1):
        for ins in slots.get(i, ()):
            line = nl + 1 + ins.offset
            planted.append(Planted(f.path, line, line + ins.span, ins.kind, ins.value, ins.positive))
            parts.append(ins.text)
            nl += ins.text.count("\n")
        if i < len(chunks):
            parts.append(chunks[i])
            nl += chunks[i].count("\n")
    parts.append(footer)
    return "".join(parts), planted


def _minified_lines(rng: random.Random) -> Callable[[list[str]], list[str]]:
    def join(statements: list[str]) -> list[str]:
        lines: list[str] = []
        cur: list[str] = []
        n, limit = 0, rng.randint(8000, 32000)  # uglify/terser wrap near 32k columns
        for s in statements:
            cur.append(s)
            n += len(s)
            if n >= limit:
                lines.append("".join(cur) + "\n")
                cur, n, limit = [], 0, rng.randint(8000, 32000)
        if cur:
            lines.append("".join(cur) + "\n")
        return lines

    return join


def _pkg_name(rng: random.Random) -> str:
    name = f"{rng.choice(NOUNS)}-{rng.choice(VERBS + NOUNS)}"
    return f"@{rng.choice(NOUNS)}/{name}" if rng.random() < 0.15 else name


def _lockfile(rng: random.Random, f: _File) -> str:
    kind = f.path.rsplit("/", 1)[-1]
    out: list[str] = []
    size = 0

    def add(s: str) -> None:
        nonlocal size
        out.append(s)
        size += len(s)

    if kind == "package-lock.json":
        add('{\n  "name": "%s",\n  "version": "%s",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {\n' % (f.path.split("/")[1], _ver(rng)))
        while size < f.target:
            name, ver = _pkg_name(rng), _ver(rng)
            deps = ",\n".join(f'        "{_pkg_name(rng)}": "^{_ver(rng)}"' for _ in range(rng.randint(0, 4)))
            add(f'    "node_modules/{name}": {{\n      "version": "{ver}",\n'
                f'      "resolved": "https://registry.npmjs.org/{name}/-/{name.split("/")[-1]}-{ver}.tgz",\n'
                f'      "integrity": "sha512-{_b64(rng, 64)}",\n      "license": "MIT"'
                + (f',\n      "dependencies": {{\n{deps}\n      }}\n' if deps else "\n") + "    },\n")
        add('    "node_modules/zzz-end": {\n      "version": "1.0.0"\n    }\n  }\n}\n')
    elif kind == "yarn.lock":
        add("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n")
        while size < f.target:
            name, ver = _pkg_name(rng), _ver(rng)
            deps = "".join(f'    {_pkg_name(rng)} "^{_ver(rng)}"\n' for _ in range(rng.randint(0, 3)))
            add(f'"{name}@^{ver}":\n  version "{ver}"\n'
                f'  resolved "https://registry.yarnpkg.com/{name}/-/{name.split("/")[-1]}-{ver}.tgz#{_hex(rng, 20)}"\n'
                f"  integrity sha512-{_b64(rng, 64)}\n" + (f"  dependencies:\n{deps}" if deps else "") + "\n")
    elif kind == "poetry.lock":
        add("# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n\n")
        while size < f.target:
            name, ver = f"{rng.choice(NOUNS)}-{rng.choice(VERBS)}", _ver(rng)
            files = "".join(f'    {{file = "{name.replace("-", "_")}-{ver}-{tag}", hash = "sha256:{_hex(rng, 32)}"}},\n'
                            for tag in rng.sample(["py3-none-any.whl", "cp311-cp311-manylinux_2_17_x86_64.whl",
                                                   "cp312-cp312-macosx_11_0_arm64.whl", "tar.gz"], rng.randint(1, 4)))
            add(f'[[package]]\nname = "{name}"\nversion = "{ver}"\ndescription = "{_sentence(rng, 4, 9)}"\n'
                f'optional = false\npython-versions = ">=3.8"\nfiles = [\n{files}]\n\n')
        add('[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\n'
            f'content-hash = "{_hex(rng, 32)}"\n')
    elif kind == "Pipfile.lock":
        add('{\n    "_meta": {\n        "hash": {\n            "sha256": "%s"\n        },\n        "pipfile-spec": 6\n    },\n    "default": {\n' % _hex(rng, 32))
        while size < f.target:
            name = f"{rng.choice(NOUNS)}-{rng.choice(VERBS)}"
            hashes = ",\n".join(f'                "sha256:{_hex(rng, 32)}"' for _ in range(rng.randint(1, 6)))
            add(f'        "{name}": {{\n            "hashes": [\n{hashes}\n            ],\n'
                f'            "index": "pypi",\n            "version": "=={_ver(rng)}"\n        }},\n')
        add('        "zzz-end": {\n            "version": "==1.0.0"\n        }\n    },\n    "develop": {}\n}\n')
    elif kind == "Cargo.lock":
        add("# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 3\n\n")
        while size < f.target:
            name = f"{rng.choice(NOUNS)}-{rng.choice(VERBS)}"
            deps = "".join(f' "{rng.choice(NOUNS)}-{rng.choice(VERBS)}",\n' for _ in range(rng.randint(0, 4)))
            add(f'[[package]]\nname = "{name}"\nversion = "{_ver(rng)}"\n'
                f'source = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "{_hex(rng, 32)}"\n'
                + (f"dependencies = [\n{deps}]\n" if deps else "") + "\n")
    else:  # go.sum
        while size < f.target:
            mod, ver = f"github.com/{rng.choice(NOUNS)}/{rng.choice(NOUNS)}-{rng.choice(VERBS)}", _ver(rng)
            add(f"{mod} v{ver} h1:{_b64(rng, 32)}\n{mod} v{ver}/go.mod h1:{_b64(rng, 32)}\n")
    return "".join(out)


def _blob(rng: random.Random, f: _File) -> str:
    png = b"\x89PNG\r\n\x1a\n"
    if f.path.endswith(".css"):
        out, size = [], 0
        while size < f.target:
            data = base64.b64encode(png + rng.randbytes(rng.randint(500, 6000))).decode()
            s = f'.icon-{rng.choice(NOUNS)}-{rng.choice(ADJS)} {{\n  background-image: url("data:image/png;base64,{data}");\n}}\n'
            out.append(s)
            size += len(s)
        return "".join(out)
    if f.path.endswith(".b64"):
        data = base64.encodebytes(rng.randbytes(f.target * 3 // 4)).decode()  # 76-column lines
        return data
    items, size = [], 0
    while size < f.target:
        data = base64.b64encode(rng.randbytes(rng.randint(2000, 40000))).decode()
        s = (f'    {{"id": "{_uuid(rng)}", "filename": "{rng.choice(NOUNS)}-{rng.randint(1, 999)}.bin", '
             f'"content_type": "application/octet-stream", "encoding": "base64", "data": "{data}"}}')
        items.append(s)
        size += len(s)
    return '{\n  "attachments": [\n' + ",\n".join(items) + "\n  ]\n}\n"


def _pick_lock_lines(rng: random.Random, f: _File, text: str) -> list[Planted]:
    out: list[Planted] = []
    if not f.picks:
        return out
    lines = text.split("\n")
    for kind in sorted(set(f.picks)):
        pattern = _LOCK_LINE[kind]
        candidates = [(i, m.group(1)) for i, line in enumerate(lines) if (m := pattern.search(line))]
        want = min(f.picks.count(kind), len(candidates))
        for i, value in sorted(rng.sample(candidates, want)):
            out.append(Planted(f.path, i + 1, i + 1, kind, value, False))
    return out


def _build(f: _File, pools: _Pools) -> tuple[str, list[Planted]]:
    rng = random.Random(f.seed)
    tag = rng.choice(NOUNS + ADJS) + str(rng.randint(1, 9))
    w = _words(rng)
    cat = f.category
    if cat == "python":
        return _assemble(rng, f, fill(PY_HEADER, {**w, "svc": f.path.split("/")[1], "pkg": "core"}), pools.py, "", tag)
    if cat == "javascript":
        return _assemble(rng, f, fill(JS_HEADER, {**w, "app": f.path.split("/")[1]}), pools.js, "", tag)
    if cat == "typescript":
        header = "import React, { useState } from 'react';\n" + fill(JS_HEADER, {**w, "app": f.path.split("/")[1]})
        return _assemble(rng, f, header, pools.ts, "", tag)
    if cat == "java":
        parts = f.path.split("/")
        cls = parts[-1].removesuffix(".java")
        header = fill(JAVA_HEADER, {**w, "module": parts[1], "pkg": parts[-2], "Class": cls})
        header += f"\n    private final {cls}Repository repository;\n    private String {w['noun']}{w['Noun2']};\n    private Instant updatedAt;\n"
        return _assemble(rng, f, header, pools.java, "}\n", tag)
    if cat == "go":
        return _assemble(rng, f, fill(GO_HEADER, {**w, "pkg": f.path.split("/")[-2]}), pools.go, "", tag)
    if cat == "yaml":
        header = "name: ci\non:\n  push:\n    branches: [main]\njobs:\n" if f.path.startswith(".github/") else f"# {w['sentence']}\n"
        pool = [c for c in pools.yaml if c.startswith("\n  ")] if f.path.startswith(".github/") else [c for c in pools.yaml if not c.startswith("\n  ")]
        return _assemble(rng, f, header, pool, "", tag)
    if cat == "json":
        return _assemble(rng, f, "[\n", pools.json, '  {"id": "%s", "end": true}\n]\n' % _uuid(rng), tag)
    if cat == "markdown":
        header = f"# {w['Noun']} {w['noun2']} {rng.choice(['guide', 'runbook', 'design', 'notes'])}\n\n{w['sentence']} {w['sentence2']}\n"
        return _assemble(rng, f, header, pools.md, "", tag)
    if cat == "minified":
        header = f"/*! {f.path.rsplit('/', 1)[-1].split('.')[0]} v{_ver(rng)} | (c) {w['year']} | MIT License */\n"
        footer = f"//# sourceMappingURL={f.path.rsplit('/', 1)[-1]}.map\n"
        return _assemble(rng, f, header, pools.min, footer, tag, _minified_lines(rng))
    if cat == "lockfile":
        text = _lockfile(rng, f)
        return text, _pick_lock_lines(rng, f, text)
    if cat == "blob":
        return _blob(rng, f), []
    if cat == "keyfile":
        return _assemble(rng, f, "", [""], "", tag)
    raise ValueError(cat)


# ----------------------------------------------------------------------------- public API


def tree_stats(root: Path) -> tuple[int, int]:
    """(files, bytes) of every regular file under root."""
    files = size = 0
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            st = os.lstat(os.path.join(dirpath, name))
            files += 1
            size += st.st_size
    return files, size


def load(root: Path) -> Corpus | None:
    """The corpus described by the truth file beside root, or None if there is none."""
    path = truth_path_for(root)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Corpus(
        root=Path(root), spec=Spec(**doc["spec"]), files=doc["files"], bytes=doc["bytes"],
        categories=doc["categories"], generated_seconds=doc.get("generated_seconds", 0.0),
        positives=[Planted(**p) for p in doc["positives"]], negatives=[Planted(**p) for p in doc["negatives"]],
    )


def generate(root: Path, spec: Spec = Spec()) -> Corpus:
    """Write a fresh tree at root (replacing one this module made) and its truth file."""
    root = Path(root)
    truth = truth_path_for(root)
    if root.exists() and any(root.iterdir()):
        if not truth.exists():
            raise RuntimeError(f"{root} exists, is not empty and has no {truth.name} beside it: "
                               "refusing to delete a folder this generator did not make")
        truth.unlink()
        shutil.rmtree(root)
    started = time.perf_counter()
    files = _plan(spec)
    pools = _Pools(random.Random(f"reposcrub-bench-pools:{spec.seed}"))
    made_dirs: set[str] = set()
    planted: list[Planted] = []
    cats: dict[str, Counter[str]] = defaultdict(Counter)
    total = 0
    for f in files:
        text, items = _build(f, pools)
        data = text.encode("utf-8")
        d = os.path.dirname(f.path)
        if d not in made_dirs:
            (root / d).mkdir(parents=True, exist_ok=True)
            made_dirs.add(d)
        (root / f.path).write_bytes(data)
        planted.extend(items)
        cats[f.category]["files"] += 1
        cats[f.category]["bytes"] += len(data)
        total += len(data)
    planted.sort(key=lambda p: (p.path, p.line))
    corpus = Corpus(
        root=root, spec=spec, files=len(files), bytes=total,
        categories={k: dict(v) for k, v in sorted(cats.items())},
        positives=[p for p in planted if p.positive], negatives=[p for p in planted if not p.positive],
        generated_seconds=round(time.perf_counter() - started, 2),
    )
    doc = {
        "about": "Ground truth for a synthetic benchmark tree (bench/corpus.py). Values are fake, built at run time.",
        "spec": asdict(spec), "tree": str(root.resolve()), "files": corpus.files, "bytes": corpus.bytes,
        "categories": corpus.categories, "generated_seconds": corpus.generated_seconds,
        "positives": [asdict(p) for p in corpus.positives], "negatives": [asdict(p) for p in corpus.negatives],
    }
    tmp = truth.with_name(truth.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    tmp.replace(truth)  # written last: a half-written tree is never reused
    return corpus


def ensure(root: Path, spec: Spec = Spec()) -> tuple[Corpus, bool]:
    """Reuse the tree at root if its truth file has this spec and the files still add up
    (count and bytes); otherwise generate it. Returns (corpus, reused)."""
    root = Path(root)
    existing = load(root)
    if existing is not None and existing.spec == spec and root.is_dir():
        if tree_stats(root) == (existing.files, existing.bytes):
            return existing, True
    return generate(root, spec), False


# ----------------------------------------------------------------------------- scoring


def hit_index(pairs: Iterable[tuple[str, int]]) -> dict[str, set[int]]:
    """path -> set of lines with at least one finding. Paths are normalised to a/b/c."""
    index: dict[str, set[int]] = defaultdict(set)
    for path, line in pairs:
        index[os.path.normpath(path).replace(os.sep, "/")].add(int(line))
    return index


def is_hit(p: Planted, index: dict[str, set[int]]) -> bool:
    """A planted value is found when a finding is on its path and on one of its lines
    (line..end_line: only PEM blocks span several)."""
    lines = index.get(p.path, set())
    return any(n in lines for n in range(p.line, p.end_line + 1))


@dataclass
class Score:
    total: int
    found: int
    by_kind: dict[str, tuple[int, int]]  # kind -> (found, planted)

    @property
    def rate(self) -> float:
        return self.found / self.total if self.total else 0.0


def score(planted: Iterable[Planted], index: dict[str, set[int]]) -> Score:
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in planted:
        by_kind[p.kind][1] += 1
        by_kind[p.kind][0] += is_hit(p, index)
    found = sum(v[0] for v in by_kind.values())
    total = sum(v[1] for v in by_kind.values())
    return Score(total, found, {k: (v[0], v[1]) for k, v in sorted(by_kind.items())})


def planted_lines(corpus: Corpus) -> dict[str, set[int]]:
    """path -> every line holding a planted value (positive or negative)."""
    out: dict[str, set[int]] = defaultdict(set)
    for p in corpus.positives + corpus.negatives:
        out[p.path].update(range(p.line, p.end_line + 1))
    return out
